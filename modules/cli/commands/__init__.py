"""Command-line interface: parses arguments and dispatches to one small module per command
(each declares itself: command.py; the list: registry.py)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from modules.cli import json_output
from modules.cli.notices import Notices
from modules.console import exit_codes
from modules.kernel.errors import CommandError, ConfigError, ConfigErrors
from modules.runner.aws_errors import command_error
from modules.stack import environment


def run(argv: Sequence[str]) -> int:
    from modules.cli.commands.parser import UsageError, build_parser, parse
    from modules.cli.commands.registry import BY_NAME

    _drop_empty_aws_settings()
    parser = build_parser()
    try:
        args = parse(parser, list(argv))
    except UsageError as mistake:
        command = next((word for word in argv if word in BY_NAME), None)
        if "--json" in argv and command:
            json_output.emit(command, "error", exit_codes.ERROR, {"error": mistake.message})
        raise
    notices = Notices(args.command)
    environment.warning_sink = notices
    try:
        if getattr(args, "json", False) and BY_NAME[args.command].json == "reported":
            return _reported(args)
        return int(args.handler(args))
    except ConfigErrors as error:  # every mistake of the file, each on its own line
        return _failed(args, str(error), exit_codes.ERROR, lines=len(error.errors))
    except ConfigError as error:
        return _failed(args, str(error), exit_codes.ERROR)
    except CommandError as error:
        return _failed(args, str(error), error.exit_code)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return exit_codes.INTERRUPTED
    except Exception as error:
        translated = command_error(error)
        if translated is None:
            raise  # a bug: keep the traceback
        return _failed(args, str(translated), translated.exit_code)
    finally:
        notices.close()


def _reported(args: argparse.Namespace) -> int:
    """A command that reports what it did: its text to stderr, then the envelope on stdout."""
    report = json_output.report(args)
    with contextlib.redirect_stdout(sys.stderr):
        code = int(args.handler(args))
    result = json_output.RESULT_OF_EXIT.get(code, "error")
    one = getattr(args, "env", None) and not getattr(args, "all", False)
    stack = f"network-{args.env}" if one else None
    return json_output.emit(
        args.command, result, code, report, stack=stack, target=json_output.target_of(args)
    )


def _drop_empty_aws_settings() -> None:
    """An empty AWS_PROFILE (or AWS_DEFAULT_PROFILE) is unset, as the AWS CLI and Terraform
    take it: boto3 would look for a profile named '' and fail (a shell that evaluated an older
    `env --local` exports AWS_PROFILE='')."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        if os.environ.get(name) == "":
            del os.environ[name]


def _failed(args: argparse.Namespace, message: str, exit_code: int, lines: int = 1) -> int:
    """The error on stderr (``lines`` errors: one per line); under --json, also its envelope on
    stdout (never text there)."""
    for line in message.splitlines() if lines > 1 else [message]:
        print(f"error: {line}", file=sys.stderr)
    if getattr(args, "json", False):
        json_output.emit_error(args, message, exit_code)
    return exit_code
