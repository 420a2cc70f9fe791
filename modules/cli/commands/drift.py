"""`drift`: what changed in the live network since the last deploy, and what was added to it.

Exit 0 no drift, 2 drift, 1 error. Managed drift comes from a refresh-only plan (read as JSON);
unmanaged additions from an inventory of the VPC. `deploy` heals managed drift; unmanaged
additions are reported with the command that removes them and are never deleted by us.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from modules.checks.drift import Finding, managed_drift, unmanaged_additions
from modules.checks.drift.findings import kind, severity_counts, sort_findings
from modules.checks.drift.stale import stale_acl
from modules.checks.drift.unmanaged import Managed
from modules.checks.finding import counting, suppress
from modules.checks.snapshot import Snapshot
from modules.checks.suppressions import load_suppressions, say_unused
from modules.cli import json_output
from modules.cli.commands import fleet
from modules.cli.commands.command import (
    SELECTION_CONFLICTS,
    Command,
    environment_options,
    fleet_options,
)
from modules.console import exit_codes
from modules.console.progress import Steps
from modules.console.say import paint, say
from modules.runner.deployment import Deployment, open_deployment
from modules.runner.fleet import Outcome
from modules.stack.environment import Environment

DRIFT = exit_codes.ATTENTION


def run(args: argparse.Namespace) -> int:
    if fleet.wanted(args):
        return fleet.run("drift", args, outcome)
    steps = Steps(total=6)
    deployment = open_deployment(
        args.env, local=args.local, steps=steps, quiet=args.json, use_cache=args.use_cache
    )
    findings = drift_findings(deployment, steps)
    code = DRIFT if counting(findings) else exit_codes.SUCCESS
    if args.json:
        return json_output.emit(
            "drift",
            "drift" if code else "none",
            code,
            _as_json(findings),
            stack=deployment.env.stack_name,
            target=deployment.target,
        )
    _print_report(deployment, findings)
    return code


def drift_findings(deployment: Deployment, steps: Steps | None = None) -> list[Finding]:
    """Managed drift (a refresh-only plan) and unmanaged additions, most severe first; those the
    environment accepts (its suppressions) marked so."""
    suppressions = load_suppressions(deployment.env)
    steps = steps or Steps(total=0, silent=True)
    with steps.step("Refreshing state from the live network (refresh-only plan)"):
        # Nothing deployed: said here, not as Terraform's index errors.
        outputs = deployment.deployed_outputs()
        # Read-only: no lock, so a running deploy neither blocks nor is blocked by this.
        plan = deployment.terraform.plan_json(
            ["-refresh-only", "-lock=false", "-input=false", "-no-color"],
            deployment.target_dir / "drift.tfplan",
            what="terraform plan -refresh-only",
        )
    findings = managed_drift(plan, deployment.deploy_command)
    managed = Managed.from_state(_state_resources(plan))
    # One reading of the VPC for both scans below.
    snapshot = Snapshot(deployment.aws_client("ec2"), managed.vpc_id or str(outputs.get("vpc_id")))
    with steps.step("Looking for resources in the VPC that Terraform does not manage"):
        findings += unmanaged_additions(snapshot, managed, deployment.aws_client("ram"))
    with steps.step("Comparing the network ACL with the prefix lists as AWS serves them now"):
        findings += stale_acl(snapshot, outputs, deployment.deploy_command)
    findings = suppress(sort_findings(findings), suppressions)
    say_unused(suppressions, findings, "state")
    return findings


def outcome(env: Environment, deployment: Deployment | None) -> Outcome:
    """One environment of `drift --all`: none (0) or drift (2), with the severity counts."""
    assert deployment is not None
    findings = drift_findings(deployment)
    counted = counting(findings)
    counts = severity_counts(counted)
    summary = (
        f"{len(counted)} finding(s): {counts['high']} high, {counts['medium']} medium, "
        f"{counts['low']} low"
        if counted
        else "no drift"
    ) + _suppressed_words(findings)
    return Outcome(
        env.env,
        env.stack_name,
        DRIFT if counted else exit_codes.SUCCESS,
        "drift" if counted else "none",
        summary,
        0.0,
        _as_json(findings),
    )


def _state_resources(plan: dict[str, Any]) -> list[dict[str, Any]]:
    resources = list(
        plan.get("prior_state", {}).get("values", {}).get("root_module", {}).get("resources", [])
    )
    # Resources deleted out of band are gone from the refreshed state; their ids are still ours.
    for drift in plan.get("resource_drift", []):
        if drift["change"].get("before"):
            resources.append({"type": drift["type"], "values": drift["change"]["before"]})
    return resources


def _as_json(findings: list[Finding]) -> dict[str, Any]:
    counted = counting(findings)
    return {
        "drift": bool(counted),
        "summary": {**severity_counts(counted), "suppressed": len(findings) - len(counted)},
        "findings": [f.as_dict() for f in findings],
    }


def _suppressed_words(findings: list[Finding]) -> str:
    """`` (2 suppressed)`` when the environment accepts some of them, else nothing."""
    suppressed = len(findings) - len(counting(findings))
    return f" ({suppressed} suppressed)" if suppressed else ""


def _text(value: Any) -> str:
    """The whole value, as JSON unless it is text (wrapped by say, never cut); a JSON document held
    in a string (a policy) spaced out so that it wraps between its items."""
    if isinstance(value, str):
        if not value.lstrip().startswith(("{", "[")):
            return value
        try:
            value = json.loads(value)
        except ValueError:
            return str(value)
    return json.dumps(value, default=str, sort_keys=True)


def _print_report(deployment: Deployment, findings: list[Finding]) -> None:
    if not findings:
        say(
            f"No drift: {deployment.env.stack_name} in {deployment.where} matches its state, and "
            "nothing unmanaged is in the VPC."
        )
        return
    managed = [f for f in findings if kind(f) in ("changed", "deleted")]
    stale = [f for f in findings if kind(f) == "stale"]
    unmanaged = [f for f in findings if kind(f) == "unmanaged"]
    if managed:
        say(
            f"Drift of managed resources ({len(managed)}); `{deployment.deploy_command}` restores "
            "them:"
        )
        for f in managed:
            change = (
                "deleted"
                if kind(f) == "deleted"
                else f"{f.attribute}: {_text(f.expected)} -> {_text(f.actual)}"
            )
            say(f"{_severity(f)} {f.address}  {change}", "  ", " " * 9)
            _why(f)
    if stale:
        say(
            f"AWS changed what the network was built from ({len(stale)}); "
            f"`{deployment.deploy_command}` rebuilds it:"
        )
        for f in stale:
            missing = f.actual == "absent"
            what = f"{f.expected} is not in it" if missing else f"{f.actual} is no longer listed"
            say(f"{_severity(f)} {f.address}: {what}", "  ", " " * 9)
            _why(f)
    if unmanaged:
        say(
            f"Unmanaged additions in the VPC ({len(unmanaged)}); not in Terraform state, never "
            "removed by us:"
        )
        for f in unmanaged:
            say(f"{_severity(f)} {f.attribute} {f.address}: {_text(f.actual)}", "  ", " " * 9)
            _why(f)
            say(f"remove: {f.fix}", " " * 9, " " * 17)
    counted = counting(findings)
    counts = severity_counts(counted)
    say(
        f"{len(counted)} finding(s): {counts['high']} high, {counts['medium']} medium, "
        f"{counts['low']} low{_suppressed_words(findings)}."
    )


def _why(finding: Finding) -> None:
    say(f"why: {finding.problem}", " " * 9, " " * 14)
    if finding.suppressed:
        say(finding.suppressed.words(), " " * 9, " " * 14)


def _severity(finding: Finding) -> str:
    return paint(f"{finding.severity.upper():6}", "fail" if finding.severity == "high" else "warn")


def options(parser: argparse.ArgumentParser) -> None:
    environment_options(parser)
    fleet_options(parser)


COMMAND = Command(
    name="drift",
    summary=(
        "what changed in the live network and what was added to it; exit 0 none, 2 drift, 1 error"
    ),
    example="python main.py drift --env prod --json",
    exit_codes="0 none, 2 drift, 1 error",
    synopsis="`drift [--all \\| --match PATTERN] [--json]`",
    does=(
        "what changed in the live network since the deploy (with severity), and what was added "
        "to the VPC outside Terraform (with the command that removes it)"
    ),
    json="own",
    options=options,
    run=run,
    conflicts=SELECTION_CONFLICTS,
)
