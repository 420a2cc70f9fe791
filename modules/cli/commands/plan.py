"""`plan [--out FILE]`: what `deploy` would change. Exit 0 no changes, 2 changes, 1 error.

The plan is shown for review (modules/reports/plan_review.py): one line per resource, the
changes that widen access (computed by the flow proof), then Terraform's own text. With --all or
--match, every chosen environment (modules/cli/commands/fleet.py); with --json, the same as one
JSON document: per environment its counts, resource_changes and broadening.

With --out, the plan is saved (FILE, and FILE.json for review and `verify --file`) so that
`deploy --plan FILE` applies exactly what was reviewed (modules/runner/saved_plan.py).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from modules.cli.commands import fleet
from modules.cli.commands.command import (
    SELECTION_CONFLICTS,
    Command,
    environment_options,
    fleet_options,
)
from modules.cli.plan_text import print_review
from modules.console import exit_codes
from modules.console.progress import Steps
from modules.reports.plan_review import Review, review
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
        found = planned_review(deployment, args.out)
        if args.out:
            steps.note(
                f"saved: {display_path(args.out.resolve())} and "
                f"{display_path(saved_plan.sidecar(args.out.resolve()))} (for review and verify "
                "--file)"
            )
    print_review(found)
    exit_code = found.planned.exit_code
    widens = f"; {len(found.widenings)} change(s) widen access" if found.widenings else ""
    steps.finish(f"Changes pending{widens} (exit 2)." if exit_code == 2 else "No changes (exit 0).")
    return exit_code


def planned_review(deployment: Deployment, out: Path | None = None) -> Review:
    """Plan (saved to ``out`` when given, else to a file removed afterwards) and review it."""
    if out is not None:
        return review(saved_plan.save(deployment, out), deployment.env.stack_name)
    plan_file = deployment.target_dir / "review.tfplan"
    try:
        return review(deployment.terraform.plan_to(plan_file), deployment.env.stack_name)
    finally:
        plan_file.unlink(missing_ok=True)  # a plan file can hold sensitive values


def outcome(env: Environment, deployment: Deployment | None) -> Outcome:
    """One environment of `plan --all` / `--json`: no changes (0) or changes (2), with
    Terraform's tally, every resource change and what widens access."""
    assert deployment is not None
    found = planned_review(deployment)
    counts = found.counts
    changed = bool(found.changes)
    widens = f"; {len(found.widenings)} widen access" if found.widenings else ""
    return Outcome(
        env.env,
        env.stack_name,
        exit_codes.ATTENTION if changed else exit_codes.SUCCESS,
        "changes" if changed else "no changes",
        f"{counts['add']} to add, {counts['change']} to change, {counts['destroy']} to destroy"
        + widens
        if changed
        else "no changes",
        0.0,
        found.as_dict(),
    )


def options(parser: argparse.ArgumentParser) -> None:
    environment_options(parser)
    parser.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="save the plan (FILE, and FILE.json to review and verify) for deploy --plan",
    )
    fleet_options(parser)


COMMAND = Command(
    name="plan",
    summary="show what deploy would change; exit 0 none, 2 changes, 1 error",
    example="python main.py plan --local",
    exit_codes="0 no changes, 2 changes, 1 error",
    synopsis="`plan [--out FILE] [--all \\| --match PATTERN] [--jobs N] [--json]`",
    does=(
        "shows what `deploy` would change, for review: one line per resource (its action and "
        "the attributes that change), then a table of the changes that **widen access** "
        "(policy statements, rules, routes, endpoints, sharing, the perimeter; computed by the "
        "flow proof on the state before and the plan after, not by matching text), then "
        "Terraform's own text, intact. `--out` saves the plan (FILE, and FILE.json for review "
        "and `verify --file`). `--all` or `--match 'prod*'`: every chosen environment, "
        "`--jobs` at a time, each on its own state and lock, one table (or JSON document, with "
        "each environment's `resource_changes` and `broadening`); the exit code is the worst "
        "of them"
    ),
    json="own",
    options=options,
    run=run,
    conflicts=(*SELECTION_CONFLICTS, ("out", "all"), ("out", "match"), ("out", "json")),
)
