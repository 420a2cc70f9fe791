"""Entry point: `python main.py [command] [options]`; with no command it synthesizes (cdktf synth)."""
from __future__ import annotations

import sys
from collections.abc import Sequence

from modules import commands


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    return commands.run(args or ["synth", "--all"])


if __name__ == "__main__":
    raise SystemExit(main())
