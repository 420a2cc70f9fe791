"""`plan [--out FILE]`: what `deploy` would change. Exit 0 no changes, 2 changes, 1 error.

With --out, the plan is saved (FILE, and FILE.json for review and `verify --file`) so that
`deploy --plan FILE` applies exactly what was reviewed (modules/runner/saved_plan.py).
"""

from __future__ import annotations

import argparse

from modules.cli.progress import Steps
from modules.runner import saved_plan
from modules.runner.deployment import open_deployment
from modules.stack.environment import display_path


def run(args: argparse.Namespace) -> int:
    steps = Steps(total=4)
    deployment = open_deployment(args.env, local=args.local, steps=steps, use_cache=args.use_cache)
    with steps.step(f"Planning {deployment.env.stack_name} against {deployment.where}"):
        if args.out:
            exit_code = saved_plan.save(deployment, args.out)
            steps.note(
                f"saved: {display_path(args.out.resolve())} and "
                f"{display_path(saved_plan.sidecar(args.out.resolve()))} (for review and verify --file)"
            )
        else:
            exit_code = deployment.terraform.run(
                ["plan", "-input=false", "-no-color", "-detailed-exitcode", "-lock-timeout=30s"],
                show="all",
                ok_codes=(0, 2),
                what="terraform plan",
            ).exit_code
    steps.finish("Changes pending (exit 2)." if exit_code == 2 else "No changes (exit 0).")
    return exit_code
