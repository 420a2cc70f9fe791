"""pyflakes over all our Python: no undefined names, no unused imports (tests included)."""
from __future__ import annotations

import subprocess
import sys

from modules.stack.environment import PROJECT_ROOT


def test_pyflakes_is_clean() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "pyflakes", "main.py", "modules", "tests", "bench"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
