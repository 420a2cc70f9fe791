"""Lint over all our Python (tests included): pyflakes, and ruff (format at 100 columns, imports
sorted, pycodestyle with lines of at most 100 columns)."""

from __future__ import annotations

import subprocess
import sys

from modules.stack.environment import PROJECT_ROOT


def test_pyflakes_is_clean() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "pyflakes", "main.py", "modules", "tests", "bench"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


RUFF_PATHS = ["main.py", "modules", "tests", "bench"]


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *RUFF_PATHS],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_ruff_lint_and_format_are_clean() -> None:
    lint, form = _ruff("check", "--output-format", "concise"), _ruff("format", "--check")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert form.returncode == 0, form.stdout + form.stderr
