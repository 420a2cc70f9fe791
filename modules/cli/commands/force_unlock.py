"""`force-unlock LOCK_ID`: release a state lock left behind by a killed Terraform run."""

from __future__ import annotations

import argparse

from modules.cli import json_output
from modules.cli.commands.command import Command, environment_options
from modules.console.progress import Steps
from modules.runner.deployment import open_deployment


def run(args: argparse.Namespace) -> int:
    steps = Steps(total=4)
    deployment = open_deployment(args.env, local=args.local, steps=steps, use_cache=args.use_cache)
    with steps.step(f"Releasing lock {args.lock_id} of {deployment.env.stack_name}"):
        deployment.terraform.run(
            ["force-unlock", "-force", "-no-color", args.lock_id], what="terraform force-unlock"
        )
    json_output.report(args).update(lock_id=args.lock_id, released=True)
    steps.finish("Lock released: only do this when no Terraform run is active.")
    return 0


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("lock_id", metavar="LOCK_ID", help="the lock ID the lock error printed")
    environment_options(parser)


COMMAND = Command(
    name="force-unlock",
    summary="release a state lock left by a killed Terraform run (only when no run is active)",
    example="python main.py force-unlock 1a2b3c --env prod",
    exit_codes="0, 1 error",
    synopsis="`force-unlock LOCK_ID [--json]`",
    does="releases a state lock left by a killed run",
    json="reported",
    options=options,
    run=run,
    conflicts=(),
)
