"""The argument parser, built from the commands' own declarations (registry.py)."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from modules import __version__
from modules.cli.commands.registry import BY_NAME, COMMANDS
from modules.console import exit_codes
from modules.console.say import wrap
from modules.kernel.engine import selected_engine
from modules.runner.fleet import DEFAULT_JOBS
from modules.runner.provider_mirror import AWS_PROVIDER_VERSION

DESCRIPTION = """\
Private network for Amazon Bedrock AgentCore: a VPC with no internet access, 14 VPC endpoints,
least-privilege security groups and encrypted flow logs, as CDKTF constructs.
Environments are the files environments/<name>.tfvars."""

EXAMPLES = """\
examples:
  python main.py deploy --local            deploy dev to the local AWS emulator and verify it
  python main.py plan --local              exit 0 if nothing would change, 2 if something would
  python main.py drift --local             what changed since the deploy, and what was added
  python main.py verify --env prod         prove: every flow gets through, nothing else does
  python main.py doctor --local            the AWS sample's troubleshooting checklist, with fixes
  python main.py cost --what-if            monthly cost and its alternatives
  python main.py diagram --all             draw every environment as SVG and PNG
  python main.py destroy --local           remove it again
  python main.py synth --env prod          write cdktf.out/stacks/network-prod/cdk.tf.json
  python main.py deploy --env prod         deploy to the AWS account of your credentials
  python main.py local status              the emulator's URL, for other AWS tools
"""


def parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Parse, refuse contradicting options in one line (exit 1), then default --env to dev."""
    args = parser.parse_args(argv)
    for first, second in BY_NAME[args.command].conflicts:
        if getattr(args, first, None) and getattr(args, second, None):
            parser.error(f"{args.command}: --{first} and --{second} cannot be used together")
    if getattr(args, "jobs", DEFAULT_JOBS) != DEFAULT_JOBS and not (
        getattr(args, "all", False) or getattr(args, "match", None)
    ):
        parser.error(f"{args.command}: --jobs needs --all or --match")
    if hasattr(args, "env") and args.env is None:
        args.env = "dev"
    return args


class UsageError(SystemExit):
    """A usage mistake: exit 1 (any error), its one line already on stderr; ``message`` is that
    line without ``error:``, for the --json envelope."""

    def __init__(self, message: str) -> None:
        super().__init__(exit_codes.ERROR)
        self.message = message


class Parser(argparse.ArgumentParser):
    """argparse, with usage mistakes exiting 1 in one line (exit_codes: 1 is any error)."""

    def error(self, message: str) -> NoReturn:
        mistake = f"{message} (see `{self.prog} --help`)"
        print(f"error: {mistake}", file=sys.stderr)
        raise UsageError(mistake)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python main.py",
        description=DESCRIPTION,
        epilog=EXAMPLES + wrap(exit_codes.EPILOG, hang="  "),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {__version__} ({selected_engine().name} engine, hashicorp/aws "
        f"{AWS_PROVIDER_VERSION})",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    for declared in COMMANDS:
        sub = commands.add_parser(
            declared.name,
            help=declared.summary,
            description=wrap(declared.summary),
            epilog=f"example:\n  {declared.example}\nexit codes: {declared.exit_codes}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        declared.options(sub)
        if declared.json == "reported":  # the dispatcher prints its envelope
            sub.add_argument(
                "--json",
                action="store_true",
                help="one JSON envelope on stdout (what was done, timings); the progress on stderr",
            )
        sub.set_defaults(handler=declared.run)
    return parser
