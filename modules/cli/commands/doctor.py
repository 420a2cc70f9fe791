"""`doctor`: the AWS sample's troubleshooting checklist against the deployed network.

For each symptom (container fails to start, agent cannot call Bedrock, MCP cannot reach
DynamoDB, logs not appearing) it runs its checks, proves the symptom's flow end to end on the
live network, and prints pass/fail with the fix; then (no --symptom given) every check deploy's
read-back and verify --live make, from the same registry.
Exit 0 all pass, 2 something fails, 1 error.
"""

from __future__ import annotations

import argparse

from modules.checks.compare import configured_view
from modules.checks.doctor.checks import NETWORK, NETWORK_TITLE, checklist, diagnose
from modules.checks.live import LiveNetwork
from modules.cli import json_output
from modules.cli.commands.command import Command, environment_options
from modules.console import exit_codes
from modules.console.progress import Steps
from modules.console.say import mark, paint, say
from modules.runner.deployment import open_deployment

FAILED = exit_codes.ATTENTION


def run(args: argparse.Namespace) -> int:
    steps = Steps(total=4)
    deployment = open_deployment(
        args.env, local=args.local, steps=steps, quiet=args.json, use_cache=args.use_cache
    )
    outputs = deployment.deployed_outputs()
    with steps.step(f"Reading the network from {deployment.where}"):
        live = LiveNetwork.read(
            deployment.env,
            outputs,
            deployment.aws_client,
            configured=configured_view(deployment.stack_file, deployment.env.facts),
            heal=deployment.deploy_command,
        )
        results = diagnose(live, args.symptom or None)
    failed = [r for r in results if r.counts]
    if args.json:
        return json_output.emit(
            "doctor",
            "problems" if failed else "healthy",
            FAILED if failed else exit_codes.SUCCESS,
            {
                "healthy": not failed,
                "results": [r.as_dict() for r in results],
                "findings": [r.finding().as_dict() for r in results if not r.ok],
            },
            stack=deployment.env.stack_name,
            target=deployment.target,
        )
    sections = {**checklist(), NETWORK: {"title": NETWORK_TITLE}}
    for key, symptom in sections.items():
        mine = [r for r in results if r.symptom == key]
        if not mine:
            continue
        healthy = not any(r.counts for r in mine)
        say(f"{symptom['title']}: {'ok' if healthy else paint('PROBLEM FOUND', 'fail')}")
        for r in mine:
            shown = mark(r.ok) if r.suppressed is None else "skip"
            say(f"{shown} {r.check}" + ("" if r.ok else f" ({r.detail})"), "  ", "       ")
            if r.suppressed is not None:
                say(r.suppressed.words(), "       ", "         ")
            elif not r.ok:
                say(f"fix: {r.fix}", "       ", "            ")
        for item in symptom.get("manual", []):
            say(f"also check (outside the network): {item}", "  ", "      ")
    say(
        "All checks pass." if not failed else f"{len(failed)} check(s) failed: see the fixes above."
    )
    return FAILED if failed else 0


def options(parser: argparse.ArgumentParser) -> None:
    environment_options(parser)
    parser.add_argument(
        "--symptom",
        action="append",
        choices=sorted(checklist()),
        metavar="SYMPTOM",
        help=f"only this symptom (repeatable): {', '.join(sorted(checklist()))}",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable report on stdout")


COMMAND = Command(
    name="doctor",
    summary=(
        "the AWS sample's troubleshooting checklist against the deployed network, with fixes; "
        "exit 0 healthy, 2 problems, 1 error"
    ),
    example="python main.py doctor --local",
    exit_codes="0 healthy, 2 problems, 1 error",
    synopsis="`doctor [--symptom S] [--json]`",
    does=(
        "the AWS sample's troubleshooting checklist against the deployed network, each failure "
        "with its fix"
    ),
    json="own",
    options=options,
    run=run,
    conflicts=(),
)
