"""Entry point: `python main.py [command] [options]`; with no command it synthesizes (cdktf
synth)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from modules.cli import commands

#: What shells report for a command whose reader went away (`python main.py cost | head -1`).
BROKEN_PIPE = 128 + 13


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        code = commands.run(args or ["synth", "--all"])
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # The reader closed the pipe: stop quietly, and keep Python from failing at exit on the
        # flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return BROKEN_PIPE


if __name__ == "__main__":
    raise SystemExit(main())
