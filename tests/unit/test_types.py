"""Strict mypy over modules/, tools/ and main.py (configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from modules.stack.environment import PROJECT_ROOT


def test_library_code_type_checks_strictly() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
