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
#: Where the project's virtual environments are (`make setup`, `make cdktn`).
ROOT = Path(__file__).resolve().parent


def _in_the_venv() -> None:
    """Run in the virtual environment of the selected engine (AGENTCORE_ENGINE: `.venv` for
    cdktf, `.venv-cdktn` for cdktn; AGENTCORE_VENV names another): an interpreter without its
    packages (a bare `python main.py`, or `npx cdktf synth` outside the venv) starts it again
    there, or says in one line how to make it."""
    from modules.kernel.engine import EngineError, selected_engine

    try:
        engine = selected_engine()
    except EngineError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    # Found, not imported: importing the engine would start its jsii runtime for every command.
    missing = [
        name
        for name in (engine.core, engine.bindings, "hcl2", "boto3")
        if importlib.util.find_spec(name) is None
    ]
    if not missing:
        return
    venv = Path(os.environ.get("AGENTCORE_VENV") or ROOT / engine.venv)
    python = venv / "bin" / "python"
    if python.is_file() and Path(sys.prefix).resolve() != venv.resolve():
        os.execv(str(python), [str(python), __file__, *sys.argv[1:]])
    print(
        f"error: {missing[0]} is not installed for {sys.executable}. Run `make "
        f"{engine.make_target}` (it makes {venv}), then {engine.venv}/bin/python main.py ...",
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
