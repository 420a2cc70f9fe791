"""`destroy`: remove every resource of an environment, unless the environment is protected."""

from __future__ import annotations

import argparse
import re

from modules.cli import json_output
from modules.cli.commands.command import Command, approval_option, environment_options
from modules.cli.commands.confirm import confirm_change
from modules.console.progress import Steps
from modules.kernel.errors import CommandError
from modules.runner.deployment import managed_resource_count, open_deployment
from modules.runner.eni_watch import EniWatch
from modules.runner.workspace import Target, Workspace
from modules.stack.environment import display_path, load_environment


def run(args: argparse.Namespace) -> int:
    env = load_environment(args.env)
    if env.network.prevent_destroy:
        lift = (
            "For the local emulator, `python main.py local down` discards everything in it instead."
            if args.local
            else f"To destroy it on purpose, set prevent_destroy = false in "
            f"{display_path(env.origin('prevent_destroy'))}, then run destroy again."
        )
        raise CommandError(
            f"{env.env} is protected (prevent_destroy = true in "
            f"{display_path(env.origin('prevent_destroy'))}): its "
            f"VPC, subnets, KMS key and log group refuse destroy. {lift}"
        )
    target: Target = "emulator" if args.local else "aws"
    state_file = Workspace.from_environment().state_file(env, target)
    if env.state_backend.type == "local" and managed_resource_count(state_file) == 0:
        print(f"Nothing to destroy: {display_path(state_file)} records no resources.")
        json_output.report(args).update(destroyed=0, seconds=None)
        return 0
    steps = Steps(total=4)
    deployment = open_deployment(args.env, local=args.local, steps=steps, use_cache=args.use_cache)
    if deployment.emulator is None and not args.auto_approve:
        confirm_change(deployment, "Destroy every resource of the network in", expected=env.env)
    vpc_id = str(deployment.terraform.output_json().get("vpc_id", ""))
    watch = EniWatch(vpc_id, deployment.aws_client, steps.note) if vpc_id else None
    with steps.step(f"Destroying {env.stack_name} in {deployment.where}"):
        destroyed = deployment.terraform.run(
            ["destroy", "-auto-approve", "-input=false", "-no-color"],
            what="terraform destroy",
            watch=watch,
        )
    tally = re.search(r"Resources: (\d+) destroyed", destroyed.output)
    json_output.report(args).update(
        destroyed=int(tally.group(1)) if tally else 0, seconds=steps.timings()
    )
    steps.finish(f"{env.stack_name} is destroyed in {deployment.where}.")
    return 0


def options(parser: argparse.ArgumentParser) -> None:
    environment_options(parser)
    approval_option(parser, "destroy in real AWS")


COMMAND = Command(
    name="destroy",
    summary="remove every resource of the environment (protected environments refuse)",
    example="python main.py destroy --local",
    exit_codes="0, 1 error",
    synopsis="`destroy [--auto-approve] [--json]`",
    does="removes the environment; environments with `prevent_destroy = true` refuse",
    json="reported",
    options=options,
    run=run,
    conflicts=(),
)
