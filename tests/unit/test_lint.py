"""Lint over all our Python (tests included): pyflakes, ruff (format at 100 columns, imports
sorted, pycodestyle with lines of at most 100 columns), and functions that fit on a screen."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

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


#: A screen: the longest function, counted from its ``def`` to its last line, docstring included.
SCREEN_LINES = 60


def _too_long(path: Path) -> list[str]:
    return [
        f"{path.relative_to(PROJECT_ROOT)}:{node.lineno} {node.name}"
        for node in ast.walk(ast.parse(path.read_text(), str(path)))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and (node.end_lineno or 0) - node.lineno + 1 > SCREEN_LINES
    ]


def test_every_function_fits_on_a_screen() -> None:
    paths = [PROJECT_ROOT / "main.py"] + [
        path for part in RUFF_PATHS[1:] for path in sorted((PROJECT_ROOT / part).rglob("*.py"))
    ]
    assert len(paths) > 150
    too_long = [where for path in paths for where in _too_long(path)]
    assert not too_long, f"longer than {SCREEN_LINES} lines: split them: {too_long}"
