"""The argument parser: every command, its options and examples."""
from __future__ import annotations

import argparse

from modules.commands import synth


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python main.py", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    synth_parser = commands.add_parser("synth", help="synthesize Terraform JSON")
    synth_parser.add_argument("--env", default="dev")
    synth_parser.add_argument("--all", action="store_true")
    synth_parser.set_defaults(handler=synth.run)
    return parser
