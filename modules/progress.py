"""Step-by-step progress output with elapsed times, for commands that take a while."""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


class Steps:
    """Prints ``[n/N] what...`` and ``done in Xs`` around each step of a command."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.number = 0
        self.started = time.monotonic()

    @contextmanager
    def step(self, what: str) -> Iterator[None]:
        self.number += 1
        began = time.monotonic()
        print(f"[{self.number}/{self.total}] {what}...", flush=True)
        yield
        print(f"      done in {time.monotonic() - began:.1f}s", flush=True)

    def finish(self, summary: str) -> None:
        print(f"{summary} ({time.monotonic() - self.started:.0f}s in all)", flush=True)
