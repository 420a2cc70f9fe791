"""Step-by-step progress output with elapsed times, for commands that take a while."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from modules.console.say import say


class Steps:
    """Prints ``[n/N] what...`` and ``done in Xs`` around each step of a command."""

    def __init__(self, total: int, *, silent: bool = False) -> None:
        self.total = total
        #: Print nothing (an environment's steps inside a fleet run, many at once).
        self.silent = silent
        self.number = 0
        self.started = time.monotonic()
        self.stream = sys.stdout
        #: Seconds each step took, by what it did (for --json reports).
        self.seconds: dict[str, float] = {}

    def quiet(self) -> None:
        """Send progress to stderr, keeping stdout for machine-readable output."""
        self.stream = sys.stderr

    @contextmanager
    def step(self, what: str) -> Iterator[None]:
        self.number += 1
        began = time.monotonic()
        if self.silent:
            yield
            self.seconds[what] = round(time.monotonic() - began, 1)
            return
        say(f"[{self.number}/{self.total}] {what}...", hang="      ", stream=self.stream)
        yield
        self.seconds[what] = round(time.monotonic() - began, 1)
        print(f"      done in {self.seconds[what]:.1f}s", file=self.stream, flush=True)

    def timings(self) -> dict[str, object]:
        """Each step's seconds and the total so far."""
        return {"steps": dict(self.seconds), "total": round(time.monotonic() - self.started, 1)}

    def note(self, text: str) -> None:
        if not self.silent:
            say(text, "      ", " " * 8, stream=self.stream)

    def finish(self, summary: str) -> None:
        say(f"{summary} ({time.monotonic() - self.started:.0f}s in all)", stream=self.stream)
