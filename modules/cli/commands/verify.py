"""`verify`: prove the network has no way to the internet, allows nothing its flows do not need,
and lets every one of its flows through, hop by hop.

Exit 0 proven, 2 refuted (or not provable from the input), 1 error.
  python main.py verify --env prod           the synthesized configuration
  python main.py verify --file plan.json     any cdk.tf.json or `terraform show -json` plan
  python main.py verify --plan --local       also a fresh Terraform plan against the target
  python main.py verify --live --local       the deployed VPC, read back with boto3
"""

from __future__ import annotations

import argparse
from typing import Any

from modules.checks.live import check_network
from modules.checks.verify import (
    Model,
    Verification,
    flow_matrix,
    flow_results,
    load_model,
    model_of,
    verification,
    verify_model,
)
from modules.checks.verify.access_scopes import write_access_scopes
from modules.checks.verify.checks import UNKNOWN_PROBLEM
from modules.checks.verify.claims import beyond_network, perimeter_report, proven_sentence
from modules.cli import exit_codes, json_output
from modules.cli.commands import fleet
from modules.cli.progress import Steps
from modules.cli.say import mark, paint, say
from modules.flows.proof import FlowResult, summary_line
from modules.kernel.errors import CommandError
from modules.runner.deployment import Deployment, open_deployment
from modules.runner.fleet import Outcome
from modules.runner.synth import synthesize
from modules.runner.workspace import Workspace
from modules.stack.environment import Environment, load_environment

REFUTED = exit_codes.ATTENTION


def run(args: argparse.Namespace) -> int:
    if args.access_scopes is not None and not args.live:
        raise CommandError(
            "--access-scopes writes the scopes of a deployed network: add --live (and --local "
            "for the emulator)."
        )
    if fleet.wanted(args):
        return fleet.run("verify", args, outcome, terraform=args.plan)
    if args.live:
        return _live(args)
    models = [_static_model(args)]
    if args.plan:
        models.append(_plan_model(args))
    report: dict[str, Any] = {"proven": True, "inputs": []}
    for model in models:
        checked = verification(model)
        report["proven"] &= not checked.findings
        report["inputs"].append(
            {
                "source": model.source,
                "flows_from": model.flows_origin,
                "findings": [f.as_dict() for f in checked.findings],
                "flows": [r.as_dict() for r in checked.results],
                "matrix": [
                    dict(zip(("source", "destination", "port", "why"), row))
                    for row in flow_matrix(model)
                ],
                "perimeter": perimeter_report(checked),
            }
        )
        if not args.json:
            _print(model, checked)
    code = exit_codes.SUCCESS if report["proven"] else REFUTED
    if args.json:
        stack = None if args.file else f"network-{args.env}"
        return json_output.emit(
            "verify",
            "proven" if report["proven"] else "refuted",
            code,
            report,
            stack=stack,
            target=("emulator" if args.local else "aws") if args.plan else None,
        )
    return code


def _static_model(args: argparse.Namespace) -> Model:
    if args.file:
        return load_model(args.file)
    env = load_environment(args.env)
    synthesis = synthesize([env], Workspace.from_environment(), use_cache=args.use_cache)
    return load_model(synthesis.files[env.env])


def _plan_model(args: argparse.Namespace) -> Model:
    steps = Steps(total=4)
    deployment = open_deployment(
        args.env, local=args.local, steps=steps, quiet=True, use_cache=args.use_cache
    )
    with steps.step(f"Planning {deployment.env.stack_name} against {deployment.where}"):
        return plan_model(deployment)


def plan_model(deployment: Deployment) -> Model:
    """A fresh plan of the deployment against its target, as a model to verify (no lock: it
    changes nothing)."""
    plan = deployment.terraform.plan_json(
        ["-input=false", "-no-color", "-lock=false"], deployment.target_dir / "verify.tfplan"
    )
    return model_of(plan, f"plan of {deployment.env.stack_name} against {deployment.where}")


def _print_flows(model: Model, results: list[FlowResult]) -> None:
    say(f"flows ({model.flows_origin}):", "  ")
    width = max((len(r.flow.key) for r in results), default=4)
    pad = " " * (4 + 5 + width + 2)
    for result in results:
        text = (
            f"reachable ({len(result.hops)} hops)"
            if result.status == "reachable"
            else summary_line(result)
        )
        ok = True if result.status == "reachable" else False if result.status == "blocked" else None
        say(f"{mark(ok)} {result.flow.key:{width}}  {text}", "    ", pad)
        blocked = result.blocked_at
        if blocked is not None and blocked.fix:
            say(f"fix: {blocked.fix}", pad, pad + "     ")
    for warning in dict.fromkeys(w for r in results for w in r.warnings):
        say(f"note: {warning}", "    ", "          ")


def _print(model: Model, checked: Verification) -> None:
    findings, results = checked.findings, checked.results
    say(f"{model.source}:")
    _print_flows(model, results)
    _print_strangers(checked)
    say("rules (who may talk to what):", "  ")
    rows = flow_matrix(model)
    width = max((len(r[0]) for r in rows), default=6), max((len(r[1]) for r in rows), default=11)
    say(f"{'source':{width[0]}}  {'destination':{width[1]}}  port     why", "    ")
    hang = " " * (4 + width[0] + 2 + width[1] + 2 + 9)
    for source, destination, port, why in rows:
        say(f"{source:{width[0]}}  {destination:{width[1]}}  {port:7}  {why}", "    ", hang)
    if not findings:
        say(f"{paint('PROVEN', 'ok')}: {proven_sentence(checked)}", "  ")
        return
    unknown = [f for f in findings if f.problem == UNKNOWN_PROBLEM]
    if len(unknown) == len(findings):
        say(
            f"{paint('NOT PROVABLE FROM THIS PLAN', 'warn')}: {len(unknown)} value(s) are known "
            "only after apply. Verify the configuration (verify --env NAME) or a plan of the "
            "deployed network.",
            "  ",
        )
    else:
        say(
            f"{paint('REFUTED', 'fail')}: {len(findings) - len(unknown)} finding(s)"
            + (f", {len(unknown)} value(s) known only after apply" if unknown else ""),
            "  ",
        )
    for f in findings:
        say(
            f"[{f.check}] {f.address}"
            + (f" {f.attribute}" if f.attribute else "")
            + f": {f.problem}",
            "    ",
            "      ",
        )
        if f.fix:
            say(f"fix: {f.fix}", "      ", "           ")


def _print_strangers(checked: Verification) -> None:
    """What foreign credentials and resources can still do, and the tools that leave."""
    say("what a stranger can still do (foreign credentials, foreign resources):", "  ")
    if not checked.strangers:
        say("nothing: every statement keeps to this network's principals and resources", "    ")
    for access in checked.strangers:
        say(
            f"{'open' if access.expected else paint('FAIL', 'fail')} {access.endpoint} "
            f"{access.sid}: "
            f"{', '.join(access.actions)} by {access.who}, on {access.on}",
            "    ",
            "         ",
        )
        say(f"why: {access.why}", "         ", "              ")
    for flow, sentence in beyond_network(checked):
        say(f"beyond the network: {flow}: {sentence}", "  ", "    ")


def _live(args: argparse.Namespace) -> int:
    steps = Steps(total=4)
    deployment = open_deployment(
        args.env, local=args.local, steps=steps, quiet=args.json, use_cache=args.use_cache
    )
    outputs = deployment.deployed_outputs()
    with steps.step(f"Reading the network back from {deployment.where}"):
        checks = check_network(
            deployment.env, outputs, deployment.aws_client, deployment.deploy_command
        )
    failed = [c for c in checks if not c.ok]
    scopes = (
        write_access_scopes(args.access_scopes, deployment.env, outputs)
        if args.access_scopes is not None
        else []
    )
    if args.json:
        return json_output.emit(
            "verify",
            "refuted" if failed else "proven",
            REFUTED if failed else exit_codes.SUCCESS,
            {
                "proven": not failed,
                "source": f"live network of {deployment.env.stack_name}",
                "checks": [c.__dict__ for c in checks],
                "access_scopes": [str(path) for path in scopes],
            },
            stack=deployment.env.stack_name,
            target=deployment.target,
        )
    else:
        for check in checks:
            say(check.line(), "  ", "       ")
        say(
            f"{paint('PROVEN', 'ok')} on the live network."
            if not failed
            else f"{paint('REFUTED', 'fail')}: {len(failed)} check(s) failed."
        )
        if scopes:
            say(
                f"Network Access Analyzer scopes written: {', '.join(map(str, scopes))}. Create "
                "each with aws ec2 create-network-insights-access-scope --cli-input-json "
                "file://<scope>.json and analyze it (help/deploy-to-aws.md#a-second-opinion-from-"
                "aws): no finding confirms the claim on the real VPC."
            )
    return REFUTED if failed else 0


def outcome(env: Environment, deployment: Deployment | None) -> Outcome:
    """One environment of `verify --all`: its configuration (synthesized with the others) and,
    given a deployment (``--plan``), its plan: proven (0) or refuted (2)."""
    workspace = deployment.workspace if deployment else Workspace.from_environment()
    models = [load_model(workspace.stack_file(env))]
    if deployment is not None:
        models.append(plan_model(deployment))
    findings = [f for model in models for f in verify_model(model)]
    flows = len(flow_results(models[0]))  # the configuration's
    first = findings[0] if findings else None
    return Outcome(
        env.env,
        env.stack_name,
        REFUTED if findings else exit_codes.SUCCESS,
        "refuted" if findings else "proven",
        f"{len(findings)} finding(s), first: {first.check} {first.address}: {first.problem}"
        if first
        else f"proven: {flows} flows, the configuration" + (" and its plan" if deployment else ""),
        0.0,
        {"findings": [f.as_dict() for f in findings], "inputs": [m.source for m in models]},
    )
