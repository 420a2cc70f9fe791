"""One JSON envelope for every `--json` output, described by cli_output.schema.json.

Every command prints one object on stdout under --json, in success and in error, and nothing
else there (progress and warnings go to stderr):

    {"schema_version": 2, "command": "drift", "stack": "network-dev", "target": "emulator",
     "result": "drift", "exit_code": 2, "payload": {...the command's own report...}}

`result` is the word CI branches on (proven/refuted/unprovable, none/drift, healthy/problems, ok,
stopped (local status), error; a fleet run, `--all`/`--match`, has ok/attention/failed/unprovable
for the worst of its environments);
`exit_code` is the process's (modules/console/exit_codes.py). A change that removes or renames a
field bumps SCHEMA_VERSION; adding one does not.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, Literal, cast

SCHEMA_VERSION = 2
#: A reported command's result word by its exit code (failures are "error" envelopes); a command
#: is reported or prints its own envelope as it declares (modules/cli/commands/command.py).
RESULT_OF_EXIT = {0: "ok", 3: "stopped"}  # local status: the emulator is not running
SCHEMA_PATH = Path(__file__).with_name("cli_output.schema.json")

Target = Literal["emulator", "aws"]


def envelope(
    command: str,
    result: str,
    exit_code: int,
    payload: dict[str, Any],
    *,
    stack: str | None = None,
    target: Target | None = None,
) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "command": command,
        "stack": stack,
        "target": target,
        "result": result,
        "exit_code": exit_code,
        "payload": payload,
    }


def emit(
    command: str,
    result: str,
    exit_code: int,
    payload: dict[str, Any],
    *,
    stack: str | None = None,
    target: Target | None = None,
) -> int:
    """Print the envelope on stdout and return the exit code, for `return emit(...)`."""
    document = envelope(command, result, exit_code, payload, stack=stack, target=target)
    print(json.dumps(document, indent=2, default=str))
    return exit_code


def report(args: argparse.Namespace) -> dict[str, Any]:
    """The payload a REPORTED command fills (a throwaway one without --json)."""
    found = getattr(args, "report", None)
    if not isinstance(found, dict):
        found = args.report = {}
    return cast(dict[str, Any], found)


def target_of(args: argparse.Namespace) -> Target | None:
    """Where a command line reaches: the emulator with --local (and for `local`), else AWS for
    the commands that reach it; None for those that read only files."""
    if args.command == "local":
        return "emulator"
    if args.command == "matrix" or not hasattr(args, "local"):
        return None
    if args.command == "verify" and not (args.plan or args.live):
        return None
    return "emulator" if args.local else "aws"


def emit_error(args: argparse.Namespace, message: str, exit_code: int) -> int:
    """The envelope of a command that failed: result "error", the message in the payload, the
    stack and target the command line named."""
    stack = (
        None if getattr(args, "file", None) or not hasattr(args, "env") else f"network-{args.env}"
    )
    return emit(
        args.command, "error", exit_code, {"error": message}, stack=stack, target=target_of(args)
    )
