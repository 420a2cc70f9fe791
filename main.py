"""Entry point: `python main.py [command] [options]`; with no command it synthesizes (cdktf
synth)."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path

#: What shells report for a command whose reader went away (`python main.py cost | head -1`).
BROKEN_PIPE = 128 + 13
#: The project's virtual environment (`make setup`); AGENTCORE_VENV names another.
VENV = Path(os.environ.get("AGENTCORE_VENV") or Path(__file__).resolve().parent / ".venv")


def _in_the_venv() -> None:
    """Run in the project's virtual environment: an interpreter without its packages (a bare
    `python main.py`, or `npx cdktf synth` outside the venv) starts it again there, or says in
    one line how to make it."""
    # Found, not imported: importing cdktf would start its jsii runtime for every command.
    missing = [
        name for name in ("cdktf", "hcl2", "boto3") if importlib.util.find_spec(name) is None
    ]
    if not missing:
        return
    python = VENV / "bin" / "python"
    if python.is_file() and Path(sys.prefix).resolve() != VENV.resolve():
        os.execv(str(python), [str(python), __file__, *sys.argv[1:]])
    print(
        f"error: {missing[0]} is not installed for {sys.executable}. Run `make setup` (it makes "
        f"{VENV}), then .venv/bin/python main.py ...",
        file=sys.stderr,
    )
    raise SystemExit(1)


def main(argv: Sequence[str] | None = None) -> int:
    from modules.cli import commands

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
    _in_the_venv()
    raise SystemExit(main())
