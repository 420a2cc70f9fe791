"""`plan`: what `deploy` would change. Exit 0 no changes, 2 changes, 1 error."""
from __future__ import annotations

import argparse

from modules.deployment import open_deployment
from modules.progress import Steps


def run(args: argparse.Namespace) -> int:
    steps = Steps(total=4)
    deployment = open_deployment(args.env, local=args.local, steps=steps, use_cache=args.use_cache)
    with steps.step(f"Planning {deployment.env.stack_name} against {deployment.where}"):
        result = deployment.terraform.run(
            ["plan", "-input=false", "-no-color", "-detailed-exitcode", "-lock-timeout=30s"],
            show="all",
            ok_codes=(0, 2),
            what="terraform plan",
        )
    steps.finish("Changes pending (exit 2)." if result.exit_code == 2 else "No changes (exit 0).")
    return result.exit_code
