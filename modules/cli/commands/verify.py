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
import json
from pathlib import Path
from typing import Any

from modules.checks.compare import configured_view
from modules.checks.finding import Suppression, counting
from modules.checks.live import check_network
from modules.checks.suppressions import load_suppressions, say_unused
from modules.checks.suppressions import read as read_suppressions
from modules.checks.verify import (
    Model,
    Verdict,
    Verification,
    flow_matrix,
    judge,
    load_model,
    model_of,
    worst,
)
from modules.checks.verify.access_scopes import write_access_scopes
from modules.checks.verify.checks import UNKNOWN_PROBLEM
from modules.checks.verify.claims import beyond_network, perimeter_report, proven_sentence
from modules.cli import json_output
from modules.cli.commands import fleet
from modules.cli.commands.command import Command, environment_options, fleet_options
from modules.console import exit_codes
from modules.console.progress import Steps
from modules.console.say import mark, paint, say
from modules.flows.proof import FlowResult, summary_line
from modules.kernel.errors import CommandError
from modules.runner.deployment import Deployment, open_deployment
from modules.runner.fleet import Outcome
from modules.runner.synth import synthesize
from modules.runner.workspace import Workspace
from modules.stack.environment import Environment, load_environment

REFUTED = exit_codes.ATTENTION
EXIT_CODES = {
    "proven": exit_codes.SUCCESS,
    "refuted": REFUTED,
    "unprovable": exit_codes.UNPROVABLE,
}


def run(args: argparse.Namespace) -> int:
    if args.access_scopes is not None and not args.live:
        raise CommandError(
            "--access-scopes writes the scopes of a deployed network: add --live (and --local "
            "for the emulator)."
        )
    if args.suppressions is not None and not args.file:
        raise CommandError(
            "--suppressions applies to --file; an environment's accepted exceptions are read from "
            "environments/NAME.suppressions.json beside its file (help/suppressions.md)."
        )
    if fleet.wanted(args):
        return fleet.run("verify", args, outcome, terraform=args.plan)
    if args.live:
        return _live(args)
    env = None if args.file else load_environment(args.env)
    suppressions = _suppressions(args, env)  # a mistake in them stops before any synthesis
    models = [_static_model(args, env)]
    if args.plan:
        models.append(_plan_model(args))
    verdicts = _judged(models, suppressions)
    status = worst([v.status for v in verdicts])
    report: dict[str, Any] = {
        "proven": status == "proven",
        "unprovable": status == "unprovable",
        "inputs": [_input_report(model, verdict) for model, verdict in zip(models, verdicts)],
    }
    if not args.json:
        for model, verdict in zip(models, verdicts):
            _print(model, verdict)
    code = EXIT_CODES[status]
    if args.json:
        stack = None if args.file else f"network-{args.env}"
        return json_output.emit(
            "verify",
            status,
            code,
            report,
            stack=stack,
            target=("emulator" if args.local else "aws") if args.plan else None,
        )
    return code


def _judged(models: list[Model], suppressions: tuple[Suppression, ...]) -> list[Verdict]:
    """Each input's verdict; a suppression none of them needed is said."""
    verdicts = [judge(model, suppressions) for model in models]
    say_unused(suppressions, (f for v in verdicts for f in v.findings), "configuration")
    return verdicts


def _input_report(model: Model, verdict: Verdict) -> dict[str, Any]:
    checked = verdict.checked
    return {
        "source": model.source,
        "status": verdict.status,
        "flows_from": model.flows_origin,
        "findings": [f.as_dict() for f in checked.findings],
        "flows": [r.as_dict() for r in checked.results],
        "matrix": [
            dict(zip(("source", "destination", "port", "why"), row)) for row in flow_matrix(model)
        ],
        "perimeter": perimeter_report(checked),
        "made_from": None
        if verdict.made_from is None
        else {
            "source": verdict.made_from.view.source,
            "proven": not verdict.made_from.findings,
            "findings": [f.as_dict() for f in verdict.made_from.findings],
        },
    }


def _suppressions(args: argparse.Namespace, env: Environment | None) -> tuple[Suppression, ...]:
    """The exceptions the environment accepts (its suppressions file), or those of
    --suppressions for a --file (lapsed ones are said, and count again)."""
    if args.suppressions is not None:
        if not args.suppressions.is_file():
            raise CommandError(
                f"--suppressions {args.suppressions}: no such file. Give the path of a "
                "suppressions file (help/suppressions.md)."
            )
        return read_suppressions(args.suppressions)
    return () if env is None else load_suppressions(env)


def _static_model(args: argparse.Namespace, env: Environment | None) -> Model:
    if env is None:
        return load_model(args.file)
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
    changes nothing), with the configuration it was made from."""
    plan = deployment.terraform.plan_json(
        ["-input=false", "-no-color", "-lock=false"], deployment.target_dir / "verify.tfplan"
    )
    model = model_of(plan, f"plan of {deployment.env.stack_name} against {deployment.where}")
    model.configuration = json.loads(deployment.stack_file.read_text())
    return model


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


def _print(model: Model, verdict: Verdict) -> None:
    checked = verdict.checked
    say(f"{model.source}:")
    _print_flows(model, checked.results)
    _print_strangers(checked)
    say("rules (who may talk to what):", "  ")
    rows = flow_matrix(model)
    width = max((len(r[0]) for r in rows), default=6), max((len(r[1]) for r in rows), default=11)
    say(f"{'source':{width[0]}}  {'destination':{width[1]}}  port     why", "    ")
    hang = " " * (4 + width[0] + 2 + width[1] + 2 + 9)
    for source, destination, port, why in rows:
        say(f"{source:{width[0]}}  {destination:{width[1]}}  {port:7}  {why}", "    ", hang)
    findings = verdict.findings
    if verdict.status == "proven":
        say(f"{paint('PROVEN', 'ok')}: {proven_sentence(checked)}", "  ")
        if findings:
            say(f"accepted exceptions ({len(findings)}), not counted:", "  ")
    else:
        _print_verdict(verdict)
    for f in findings:
        say(
            f"[{f.rule}] {f.address}"
            + (f" {f.attribute}" if f.attribute else "")
            + f": {f.problem}",
            "    ",
            "      ",
        )
        if f.suppressed:
            say(f.suppressed.words(), "      ", "        ")
        elif f.fix:
            say(f"fix: {f.fix}", "      ", "           ")


def _print_verdict(verdict: Verdict) -> None:
    """UNPROVABLE (and what still holds) or REFUTED, with how many findings of each kind."""
    findings = counting(verdict.checked.findings)
    unknown = [f for f in findings if f.problem == UNKNOWN_PROBLEM]
    made_from = verdict.made_from
    if verdict.status == "unprovable":
        holds = (
            f"the configuration it was made from is proven: {proven_sentence(made_from)}"
            if made_from is not None
            else "verify the configuration too (verify --env NAME)"
        )
        say(
            f"{paint('UNPROVABLE FROM THIS PLAN', 'warn')}: {len(unknown)} value(s) are known only "
            f"after apply (below); nothing the plan knows is refuted, and {holds} deploy proves "
            "the network after apply (a re-plan and the live read-back).",
            "  ",
        )
        return
    refuted = len(findings) - len(unknown) + (len(counting(made_from.findings)) if made_from else 0)
    suppressed = len(verdict.checked.findings) - len(findings)
    say(
        f"{paint('REFUTED', 'fail')}: {refuted} finding(s)"
        + (f", {len(unknown)} value(s) known only after apply" if unknown else "")
        + (f", {suppressed} suppressed" if suppressed else "")
        + (" (the configuration the plan was made from is refuted)" if made_from else ""),
        "  ",
    )


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
            deployment.env,
            outputs,
            deployment.aws_client,
            configured=configured_view(deployment.stack_file, deployment.env.facts),
            heal=deployment.deploy_command,
        )
    failed = [c for c in checks if c.counts]
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
                "checks": [c.as_dict() for c in checks],
                "findings": [c.finding().as_dict() for c in checks if not c.ok],
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
    given a deployment (``--plan``), its plan: proven (0), refuted (2) or unprovable (3)."""
    workspace = deployment.workspace if deployment else Workspace.from_environment()
    models = [load_model(workspace.stack_file(env))]
    if deployment is not None:
        models.append(plan_model(deployment))
    suppressions = load_suppressions(env)
    verdicts = _judged(models, suppressions)
    status = worst([v.status for v in verdicts])
    findings = [f for v in verdicts for f in counting(v.findings)]
    refuting = [f for f in findings if f.problem != UNKNOWN_PROBLEM]
    first = refuting[0] if refuting else None
    flows = len(verdicts[0].checked.results)  # the configuration's
    summary = {
        "proven": f"proven: {flows} flows, the configuration"
        + (" and its plan" if deployment else ""),
        "unprovable": f"unprovable from its plan: {len(findings)} value(s) known only after "
        f"apply; the configuration proven ({flows} flows)",
        "refuted": f"{len(refuting)} finding(s), first: "
        + (f"{first.rule} {first.address}: {first.problem}" if first else ""),
    }[status]
    return Outcome(
        env.env,
        env.stack_name,
        EXIT_CODES[status],
        status,
        summary,
        0.0,
        {"findings": [f.as_dict() for f in findings], "inputs": [m.source for m in models]},
    )


def options(parser: argparse.ArgumentParser) -> None:
    environment_options(parser)
    parser.add_argument(
        "--file",
        type=Path,
        metavar="PATH",
        help="verify this cdk.tf.json or `terraform show -json` plan instead",
    )
    parser.add_argument(
        "--plan", action="store_true", help="also verify a fresh plan against the target"
    )
    parser.add_argument(
        "--live", action="store_true", help="verify the deployed network, read back with boto3"
    )
    parser.add_argument(
        "--suppressions",
        metavar="FILE",
        type=Path,
        help="the accepted exceptions to apply (default: the environment's "
        "environments/NAME.suppressions.json; none for --file)",
    )
    parser.add_argument(
        "--access-scopes",
        metavar="DIR",
        type=Path,
        help="with --live: also write verify's claims as Network Access Analyzer scopes into DIR "
        "(help/deploy-to-aws.md#a-second-opinion-from-aws)",
    )
    fleet_options(parser)


COMMAND = Command(
    name="verify",
    summary=(
        "prove every selected flow gets through, hop by hop, and nothing else does; exit 0 "
        "proven, 2 refuted, 1 error"
    ),
    example="python main.py verify --file plan.json",
    exit_codes="0 proven, 2 refuted, 3 unprovable (values known only after apply), 1 error",
    synopsis=(
        "`verify [--file PATH \\| --plan \\| --live [--access-scopes DIR]] [--all \\| --match "
        "PATTERN] [--json]`"
    ),
    does=(
        "proves every selected flow reachable end to end (DNS, endpoint, route, network ACL, "
        "security groups, endpoint policy) for every signer and owner AWS presents, and no "
        "other path: nothing to or from the internet, no rule or policy broader than the flows "
        "need, the data perimeter whole (it lists what a stranger can still do, and what "
        "reaches beyond the network); on the configuration, any cdk.tf.json or plan JSON, a "
        "fresh plan, or the live network. Each blocked flow is named with its hop and fix. "
        "`--access-scopes` writes the claims as Network Access Analyzer scopes. A plan that "
        "knows some values only after apply (a first deploy) is `unprovable` (3) when nothing "
        "it knows is refuted and the configuration it was made from is proven"
    ),
    json="own",
    options=options,
    run=run,
    conflicts=(
        ("file", "plan"),
        ("file", "live"),
        ("plan", "live"),
        ("file", "env"),
        ("file", "local"),
        ("all", "env"),
        ("match", "env"),
        ("all", "match"),
        ("file", "all"),
        ("file", "match"),
        ("live", "all"),
        ("live", "match"),
    ),
)
