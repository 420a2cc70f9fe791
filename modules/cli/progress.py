"""Step-by-step progress output with elapsed times, for commands that take a while."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from modules.cli.say import say


class Steps:
    """Prints ``[n/N] what...`` and ``done in Xs`` around each step of a command."""

    def __init__(self, total: int, *, silent: bool = False) -> None:
        self.total = total
        #: Print nothing (an environment's steps inside a fleet run, many at once).
        self.silent = silent
        self.number = 0
        self.started = time.monotonic()
        self.stream = sys.stdout

    def quiet(self) -> None:
        """Send progress to stderr, keeping stdout for machine-readable output."""
        self.stream = sys.stderr

    @contextmanager
    def step(self, what: str) -> Iterator[None]:
        self.number += 1
        if self.silent:
            yield
            return
        began = time.monotonic()
        say(f"[{self.number}/{self.total}] {what}...", hang="      ", stream=self.stream)
        yield
        print(f"      done in {time.monotonic() - began:.1f}s", file=self.stream, flush=True)

    def note(self, text: str) -> None:
        if not self.silent:
            say(text, "      ", " " * 8, stream=self.stream)

    def finish(self, summary: str) -> None:
        say(f"{summary} ({time.monotonic() - self.started:.0f}s in all)", stream=self.stream)
