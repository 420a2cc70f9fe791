"""`output [--json]`: the deployed network's outputs (VPC, subnet, group and endpoint ids), as
`terraform output -json` gives them, for the workloads' own Terraform or scripts.

    python main.py output --env prod --json | jq -r '.payload.outputs.vpc_id'
"""

from __future__ import annotations

import argparse
import json

from modules.cli import json_output
from modules.cli.commands.command import Command, environment_options
from modules.console import exit_codes
from modules.console.progress import Steps
from modules.runner.deployment import open_deployment


def run(args: argparse.Namespace) -> int:
    deployment = open_deployment(
        args.env, local=args.local, steps=Steps(total=3), quiet=True, use_cache=args.use_cache
    )
    outputs = deployment.deployed_outputs()
    if args.json:
        return json_output.emit(
            "output",
            "ok",
            exit_codes.SUCCESS,
            {"outputs": outputs},
            stack=deployment.env.stack_name,
            target=deployment.target,
        )
    width = max(len(name) for name in outputs)
    for name, value in sorted(outputs.items()):
        print(f"{name:{width}} = {json.dumps(value) if not isinstance(value, str) else value}")
    return exit_codes.SUCCESS


def options(parser: argparse.ArgumentParser) -> None:
    environment_options(parser)
    parser.add_argument(
        "--json", action="store_true", help="machine-readable, in the one JSON envelope"
    )


COMMAND = Command(
    name="output",
    summary=(
        "the deployed network's outputs (ids of the VPC, subnets, groups, endpoints), like "
        "terraform output"
    ),
    example="python main.py output --env prod --json",
    exit_codes="0, 1 error (nothing deployed)",
    synopsis="`output [--json]`",
    does=(
        "the deployed network's outputs (VPC, subnet, security group and endpoint ids), like "
        "`terraform output`, for the workloads' own Terraform or scripts"
    ),
    json="own",
    options=options,
    run=run,
    conflicts=(),
)
