"""`force-unlock LOCK_ID`: release a state lock left behind by a killed Terraform run."""

from __future__ import annotations

import argparse

from modules.cli import json_output
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
