"""Warnings about an environment file, said in full where they matter and not on every command.

`synth`, `plan` and `deploy` (the commands that build or change the network) always print every
warning. The other commands print a warning in full the first time it is seen on this machine,
and afterwards count it in one closing line instead: the shipped dev file's three warnings are
not repeated by every `output`, `cost` or `verify`. What was seen lives in the state directory
(`warnings-seen.json`, hashes of the warnings' text); a changed warning is new, so it is shown.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from modules.runner.workspace import Workspace

#: The commands that always say every warning.
ALWAYS = frozenset({"synth", "plan", "deploy"})


class Notices:
    """The warning sink of one command run."""

    def __init__(self, command: str, seen_file: Path | None = None) -> None:
        self.always = command in ALWAYS
        self._seen_file = seen_file
        self.held: list[str] = []

    @property
    def seen_file(self) -> Path:
        if self._seen_file is None:  # on first use: within the command's own error handling
            self._seen_file = Workspace.from_environment().state_root / "warnings-seen.json"
        return self._seen_file

    def __call__(self, warning: str) -> None:
        if self.always:  # nothing written: these commands say them every time
            print(f"warning: {warning}", file=sys.stderr)
            return
        digest = hashlib.sha256(warning.encode()).hexdigest()[:16]
        seen = self._seen()
        if digest in seen:
            self.held.append(warning)
            return
        print(f"warning: {warning}", file=sys.stderr)
        self._remember(seen | {digest})

    def close(self) -> None:
        """The one line for the warnings held back."""
        if self.held:
            print(
                f"note: {len(self.held)} warning(s) about the environment, shown before, not "
                "repeated (python main.py synth shows them again).",
                file=sys.stderr,
            )

    def _seen(self) -> set[str]:
        try:
            return set(json.loads(self.seen_file.read_text()))
        except (OSError, ValueError, TypeError):
            return set()

    def _remember(self, seen: set[str]) -> None:
        try:
            self.seen_file.parent.mkdir(parents=True, exist_ok=True)
            self.seen_file.write_text(json.dumps(sorted(seen)))
        except OSError:  # a read-only state directory: say it again next time
            pass
