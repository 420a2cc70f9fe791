"""Asking before real AWS is changed: in a terminal, or not at all without --auto-approve."""
from __future__ import annotations

import sys

from modules.errors import CommandError


def confirm(question: str, expected: str, *, action: str) -> None:
    """Ask ``question``; go on only if the answer is ``expected``. Refuses without a terminal."""
    if not sys.stdin.isatty():
        raise CommandError(
            f"Refusing to {action} without confirmation: review the output above, then re-run "
            "with --auto-approve (for CI) or from a terminal."
        )
    answer = input(f"{question} Type '{expected}' to go on: ")
    if answer.strip() != expected:
        raise CommandError(f"Did not {action}: the answer was not '{expected}'.")
