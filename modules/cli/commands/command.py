"""What a command declares about itself, in its own module: its name, what it does (for --help and
README's table), an example, its exit codes, its options, how it speaks JSON, and its handler.
The parser, --help, README's table (python -m tools.docs) and the JSON schema's list of commands
are built from these declarations (modules/cli/commands/registry.py)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from modules.runner.fleet import DEFAULT_JOBS


@dataclass(frozen=True)
class Command:
    name: str
    #: One line for `python main.py --help` and the top of the command's own --help.
    summary: str
    #: The example its --help ends with.
    example: str
    #: Its exit codes, as --help and README's table print them.
    exit_codes: str
    #: README's table: the synopsis (markdown) and what it does.
    synopsis: str
    does: str
    #: "own": the handler prints its envelope under --json (and adds --json itself); "reported":
    #: the handler fills ``json_output.report(args)`` and the dispatcher prints the envelope.
    json: Literal["own", "reported"]
    options: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    #: Options that contradict each other: given together, a usage error.
    conflicts: tuple[tuple[str, str], ...] = ()


def environment_options(parser: argparse.ArgumentParser, *, local: bool = True) -> None:
    parser.add_argument(
        "--env",
        default=None,
        metavar="NAME",  # None: not given (conflicts), then dev
        help="environment: reads environments/NAME.tfvars (default: dev)",
    )
    parser.add_argument(
        "--no-cache",
        dest="use_cache",
        action="store_false",
        help="synthesize even when nothing changed since the last synthesis",
    )
    if local:
        parser.add_argument(
            "--local",
            action="store_true",
            help="use the embedded AWS emulator on 127.0.0.1 (started if needed) and its own state",
        )


def _jobs(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 32:
        raise argparse.ArgumentTypeError(
            f"not a number of environments at once (1 to 32): {value!r}"
        )
    return int(value)


def selection_options(parser: argparse.ArgumentParser, every: str) -> None:
    """--all / --match: many environments at once (modules/runner/fleet.py)."""
    parser.add_argument("--all", action="store_true", help=every)
    parser.add_argument(
        "--match",
        action="append",
        metavar="PATTERN",
        help="the environments whose names match (shell pattern, repeatable): --match 'prod*'",
    )


def fleet_options(parser: argparse.ArgumentParser) -> None:
    """The command over a selection of environments, --jobs at a time, and --json."""
    selection_options(parser, "every environment (environments/*.tfvars, not _*)")
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=DEFAULT_JOBS,
        metavar="N",
        help=f"with --all/--match: environments at once (default: {DEFAULT_JOBS})",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="machine-readable report on stdout (plan: one table entry per environment)",
    )


def approval_option(parser: argparse.ArgumentParser, action: str) -> None:
    parser.add_argument("--auto-approve", action="store_true", help=f"{action} without asking (CI)")


#: Conflicts of the commands that take --all/--match and --env.
SELECTION_CONFLICTS = (("all", "env"), ("match", "env"), ("all", "match"))
