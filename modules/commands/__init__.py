"""Command-line interface: parses arguments and dispatches to one small module per command."""
from __future__ import annotations

import sys
from collections.abc import Sequence

from modules.errors import CommandError, ConfigError


def run(argv: Sequence[str]) -> int:
    from modules.commands.parser import build_parser

    parser = build_parser()
    args = parser.parse_args(list(argv))
    try:
        return int(args.handler(args))
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except CommandError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
