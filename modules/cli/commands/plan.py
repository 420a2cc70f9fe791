"""`plan [--out FILE]`: what `deploy` would change. Exit 0 no changes, 2 changes, 1 error.

With --all or --match, every chosen environment (modules/cli/commands/fleet.py); with --json,
the same table as one JSON document.

With --out, the plan is saved (FILE, and FILE.json for review and `verify --file`) so that
`deploy --plan FILE` applies exactly what was reviewed (modules/runner/saved_plan.py).
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

from modules.cli import exit_codes
from modules.cli.commands import fleet
from modules.cli.progress import Steps
from modules.runner import saved_plan
from modules.runner.deployment import Deployment, open_deployment
from modules.runner.fleet import Outcome
from modules.stack.environment import Environment, display_path


def run(args: argparse.Namespace) -> int:
    if fleet.wanted(args) or args.json:
        return fleet.run("plan", args, outcome)
    steps = Steps(total=4)
    deployment = open_deployment(args.env, local=args.local, steps=steps, use_cache=args.use_cache)
    with steps.step(f"Planning {deployment.env.stack_name} against {deployment.where}"):
        if args.out:
            exit_code = saved_plan.save(deployment, args.out)
            steps.note(
                f"saved: {display_path(args.out.resolve())} and "
                f"{display_path(saved_plan.sidecar(args.out.resolve()))} (for review and verify "
                "--file)"
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


def planned_counts(plan: dict[str, Any]) -> Counter[str]:
    """Terraform's own tally: a replacement counts as one to add and one to destroy."""
    counts: Counter[str] = Counter()
    for change in plan.get("resource_changes", []):
        actions = set(change["change"]["actions"])
        counts["add"] += "create" in actions
        counts["change"] += "update" in actions
        counts["destroy"] += "delete" in actions
    return counts


def outcome(env: Environment, deployment: Deployment | None) -> Outcome:
    """One environment of `plan --all`: no changes (0) or changes (2), with Terraform's tally."""
    assert deployment is not None
    plan = deployment.terraform.plan_json(
        ["-input=false", "-no-color", "-lock-timeout=30s"], deployment.target_dir / "fleet.tfplan"
    )
    counts = planned_counts(plan)
    changed = any(counts.values())
    return Outcome(
        env.env,
        env.stack_name,
        exit_codes.ATTENTION if changed else exit_codes.SUCCESS,
        "changes" if changed else "no changes",
        f"{counts['add']} to add, {counts['change']} to change, {counts['destroy']} to destroy"
        if changed
        else "no changes",
        0.0,
        {key: counts[key] for key in ("add", "change", "destroy")},
    )
