"""Command-line interface: parses arguments and dispatches to one small module per command."""
from __future__ import annotations

import sys
from collections.abc import Sequence

from modules import environment, exit_codes
from modules.aws_errors import command_error
from modules.errors import CommandError, ConfigError


def run(argv: Sequence[str]) -> int:
    from modules.commands.parser import build_parser

    parser = build_parser()
    args = parser.parse_args(list(argv))
    environment.warning_sink = lambda warning: print(f"warning: {warning}", file=sys.stderr)
    try:
        return int(args.handler(args))
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return exit_codes.ERROR
    except CommandError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return exit_codes.INTERRUPTED
    except Exception as error:
        translated = command_error(error)
        if translated is None:
            raise  # a bug: keep the traceback
        print(f"error: {translated}", file=sys.stderr)
        return translated.exit_code
