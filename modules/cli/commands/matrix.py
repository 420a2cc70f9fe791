"""`matrix`: the CI matrix of a fleet, one job per environment, as one line of JSON for GitHub
Actions' ``strategy.matrix: ${{ fromJSON(...) }}`` (examples/github-actions). Exit 0, 1 error.

    python main.py matrix --all            {"include": [{"env": "dev", "region": ...}, ...]}
    python main.py matrix --match 'prod*'

It validates every chosen environment first: a broken file fails the job that builds the matrix,
not twenty jobs later.
"""

from __future__ import annotations

import argparse
import json

from modules.cli import json_output
from modules.cli.commands.command import Command, selection_options
from modules.runner.fleet import matrix, select


def run(args: argparse.Namespace) -> int:
    names = select(args.match or (), args.all or not args.match)
    jobs = matrix(names, local=args.local)
    json_output.report(args).update(jobs)  # under --json: {"include": [...]} in the envelope
    print(json.dumps(jobs, separators=(",", ":")))
    return 0


def options(parser: argparse.ArgumentParser) -> None:
    selection_options(parser, "every environment (the default)")
    parser.add_argument("--local", action="store_true", help="mark the jobs for the local emulator")


COMMAND = Command(
    name="matrix",
    summary="the CI matrix of many environments (JSON, one job each) for strategy.matrix",
    example="python main.py matrix --match 'prod*'",
    exit_codes="0, 1 error",
    synopsis="`matrix [--all \\| --match PATTERN] [--json]`",
    does=(
        "the CI matrix of the chosen environments (validated first), one line of JSON for "
        "GitHub Actions' `strategy.matrix`: one job per environment ([the "
        "example](examples/github-actions/agentcore-network.yml))"
    ),
    json="reported",
    options=options,
    run=run,
    conflicts=(("all", "match"),),
)
