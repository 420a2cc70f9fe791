"""`deploy`: plan, ask (real AWS: when a change widens access; --require-approval), apply, then
verify by re-planning and reading back."""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from modules.checks.compare import configured_view
from modules.checks.live import check_network
from modules.cli import json_output
from modules.cli.commands.command import Command, approval_option, environment_options
from modules.cli.commands.confirm import confirm_change
from modules.cli.plan_text import print_review, print_widenings
from modules.console.progress import Steps
from modules.console.say import say
from modules.kernel.errors import CommandError
from modules.reports.plan_review import Review, review, review_saved
from modules.runner import recovery, saved_plan
from modules.runner.deployment import Deployment, open_deployment
from modules.runner.terraform import Result, StateLocked


def approval(args: argparse.Namespace, deployment: Deployment) -> str:
    """When to ask before applying: never, broadening (a change widens access) or any-change.
    --auto-approve is never; real AWS asks when access widens, the emulator never asks."""
    if args.auto_approve:
        return "never"
    if args.require_approval:
        return str(args.require_approval)
    return "never" if deployment.emulator is not None else "broadening"


def run(args: argparse.Namespace) -> int:
    report = json_output.report(args)
    steps = Steps(total=7 if args.verify else 5)
    deployment = open_deployment(args.env, local=args.local, steps=steps, use_cache=args.use_cache)
    asking = approval(args, deployment)
    if args.plan:
        saved_plan.check(deployment, args.plan)  # before anything else touches the stack
    with steps.step("Looking for resources an interrupted deploy left unrecorded or tainted"):
        deployment.record_emulator()
        imports = _recover(deployment, steps, saved=args.plan)
    try:
        with steps.step(f"Applying {deployment.env.stack_name} to {deployment.where}"):
            with recovery.applying(deployment.target_dir, deployment.env.stack_name):
                if args.plan:
                    found = None
                    if asking != "never":
                        found = review_saved(saved_plan.load(args.plan), args.plan.name)
                        print_widenings(found.widenings)
                        _approve(
                            deployment, found, asking, f"Apply the saved plan {args.plan.name} to"
                        )
                    applied = saved_plan.apply(deployment, args.plan)
                else:
                    found, applied = _apply(deployment, asking)
    finally:
        if imports:
            imports.unlink(missing_ok=True)
    report.update(review=found.as_dict() if found else None, applied=_applied(applied))
    # The re-plan runs while the outputs and the live network are read (each takes seconds).
    with ThreadPoolExecutor(max_workers=1) as background:
        replan = background.submit(_replan, deployment) if args.verify else None
        outputs = deployment.outputs()
        report.update(outputs=outputs, verification=None, seconds=steps.timings())
        failures = _verify(deployment, outputs, steps, report, replan) if replan else 0
        report["seconds"] = steps.timings()
    if args.verify:
        if failures:
            raise CommandError(
                f"Deployed, but {failures} check(s) of the live network failed (see above). Run "
                "`python main.py drift` (same --env, --local) to see what differs and how to fix "
                "it."
            )
    _print_outputs(outputs)
    steps.finish(f"{deployment.env.stack_name} is deployed to {deployment.where}.")
    return 0


def _apply(deployment: Deployment, asking: str) -> tuple[Review | None, str]:
    """Apply (after review and approval unless ``asking`` is never): the review, if one was
    made, and Terraform's apply output ("" when there was nothing to apply)."""
    if asking == "never":
        # One `terraform apply` holds the state lock from plan to apply: a concurrent
        # deploy fails at once instead of slipping in between.
        applied = deployment.terraform.run(
            ["apply", "-auto-approve", "-input=false", "-no-color"], what="terraform apply"
        )
        return None, applied.output
    return _review_approve_apply(deployment, asking)


def _applied(output: str) -> dict[str, int]:
    """Terraform's tally of an apply: resources added, changed, destroyed (all 0: nothing)."""
    found = re.search(r"Resources: (\d+) added, (\d+) changed, (\d+) destroyed", output)
    counts = [int(n) for n in found.groups()] if found else [0, 0, 0]
    return dict(zip(("added", "changed", "destroyed"), counts, strict=True))


def _recover(deployment: Deployment, steps: Steps, saved: Path | None) -> Path | None:
    """Resume what an interrupted apply left tainted and adopt what a failed or interrupted one
    created without recording it (import blocks, returned to remove after the apply). Only when
    the last apply here did not succeed, or when the state lives elsewhere (S3: the last apply
    may have run on another machine, whose markers this one cannot see)."""
    if deployment.env.state_backend.type == "local" and not recovery.unfinished(
        deployment.target_dir
    ):
        steps.note("no unfinished apply here: nothing to resume or adopt")
        return None
    # The raw state: `show -json` would load every provider schema first (seconds).
    pulled = deployment.terraform.run(["state", "pull"], show="none").output
    state = json.loads(pulled or "{}")
    _resume(deployment, state, steps, saved)
    return _adopt_interrupted(deployment, state, steps, saved)


def _resume(
    deployment: Deployment, state: dict[str, object], steps: Steps, saved: Path | None
) -> None:
    """Untaint what this project's own interrupted apply left tainted (see recovery.py)."""
    started = recovery.interrupted(deployment.target_dir)
    left = recovery.tainted(state) if started else []
    if not left:
        return
    if saved is not None:
        raise CommandError(
            f"The deploy interrupted at {started} left {len(left)} resource(s) tainted "
            f"({', '.join(left)}); resuming it changes what {saved.name} would do. Nothing was "
            f"applied. Run `{deployment.deploy_command}` (without --plan) to resume it, then make "
            "and review a new plan."
        )
    steps.note(
        f"resuming the deploy interrupted at {started}: untainting the {len(left)} resource(s) "
        "it was creating (each converges in place from what it is):"
    )
    for address in left:
        steps.note(f"  {address}")
        deployment.terraform.run(
            ["untaint", "-lock-timeout=30s", "-no-color", address], show="none"
        )


def _adopt_interrupted(
    deployment: Deployment, state: dict[str, object], steps: Steps, saved: Path | None = None
) -> Path | None:
    """Import blocks for what an interrupted deploy created but did not record (see recovery.py)."""
    stack = json.loads(deployment.stack_file.read_text())
    found = recovery.orphans(stack, recovery.state_ids(state), deployment.aws_client)
    if not found:
        return None
    if saved is not None:
        raise CommandError(
            f"An interrupted deploy left {len(found)} resource(s) unrecorded "
            f"({', '.join(sorted(found))}); adopting them changes what {saved.name} would do. "
            f"Nothing was applied. Run `{deployment.deploy_command}` (without --plan) to adopt "
            "them, then make and review a new plan."
        )
    steps.note(
        f"adopting {len(found)} resource(s) an interrupted deploy created but did not record:"
    )
    for address, resource_id in sorted(found.items()):
        steps.note(f"  {address} = {resource_id}")
    return recovery.write_import_blocks(deployment.workspace.stack_dir(deployment.env), found)


def _review_approve_apply(deployment: Deployment, asking: str) -> tuple[Review, str]:
    """Show the plan for review, ask as ``asking`` says, apply exactly that plan."""
    plan_file = deployment.target_dir / "deploy.tfplan"
    try:
        found = review(deployment.terraform.plan_to(plan_file), deployment.env.stack_name)
        if not found.changes:
            say("No changes: nothing to apply.", "      ")
            return found, ""
        print_review(found)
        _approve(deployment, found, asking, "Apply this plan to")
        applied = deployment.terraform.run(
            ["apply", "-input=false", "-no-color", str(plan_file)], what="terraform apply"
        )
        return found, applied.output
    finally:
        plan_file.unlink(missing_ok=True)  # a plan file can hold sensitive values


def _approve(deployment: Deployment, found: Review, asking: str, what: str) -> None:
    """Ask when ``asking`` (broadening, any-change) says the plan needs a person's yes."""
    if asking == "broadening" and not found.widenings:
        say(
            "Nothing in this plan widens access: applying without asking "
            "(--require-approval broadening; any-change asks for every change).",
            "      ",
        )
        return
    kinds = Counter(w.kind for w in found.widenings)
    reason = (
        f"{len(found.widenings)} change(s) widen access ("
        + ", ".join(f"{n} {kind}" for kind, n in kinds.items())
        + ", listed above)"
        if found.widenings
        else f"--require-approval {asking}"
    )
    confirm_change(
        deployment,
        what,
        reason=reason,
        way_out="re-run from a terminal, or with --require-approval never (or --auto-approve) "
        "once they are reviewed; or review a saved plan (plan --out FILE) and apply it (deploy "
        "--plan FILE --auto-approve)",
    )


def _replan(deployment: Deployment) -> Result | StateLocked:
    """A new plan after the apply (exit 0: converged, 2: changes), or the lock another run took
    after our apply and kept (the apply itself succeeded)."""
    try:
        return deployment.terraform.run(
            ["plan", "-input=false", "-no-color", "-detailed-exitcode", "-lock-timeout=30s"],
            show="none",
            ok_codes=(0, 2),
            what="terraform plan",
        )
    except StateLocked as locked:
        return locked


def _verify(
    deployment: Deployment,
    outputs: dict[str, object],
    steps: Steps,
    report: dict[str, object],
    replan: Future[Result | StateLocked],
) -> int:
    """The live read-back, then the re-plan (running since the apply ended) must show no
    changes; what each found goes in ``report``. Returns the failed checks."""
    with steps.step(f"Verifying: reading the network back from {deployment.where}"):
        checks = check_network(
            deployment.env,
            outputs,
            deployment.aws_client,
            configured=configured_view(deployment.stack_file, deployment.env.facts),
            heal=deployment.deploy_command,
        )
        for check in checks:
            say(check.line(), "      ", " " * 11)
    verification: dict[str, object] = {"checks": [check.as_dict() for check in checks]}
    report["verification"] = verification
    with steps.step("Verifying: a new plan must show no changes"):
        result = replan.result()
        if isinstance(result, StateLocked):  # another run took the lock after our apply
            say(
                "skipped: the apply succeeded, but another Terraform run took the state after "
                f"it and still holds it after 30s ({result.holder}). Plan again when that run "
                "has ended: python main.py plan with the same --env and --local.",
                "      ",
                " " * 6,
            )
        elif result.exit_code == 2:
            changes = [line for line in result.output.splitlines() if line.strip().startswith("#")]
            raise CommandError(
                "Deployed, but a new plan still shows changes (the provider and AWS disagree):\n"
                + "\n".join(changes)
            )
        else:
            say("no changes: the configuration and the deployed network agree", "      ")
        verification["replan"] = "skipped" if isinstance(result, StateLocked) else "no changes"
    return sum(1 for check in checks if check.counts)


def _print_outputs(outputs: dict[str, object]) -> None:
    say("Outputs:")
    for name, value in outputs.items():
        if value in ("", {}, []):  # an optional part not configured (subnet_sharing, say)
            say(f"{name} = (none)", "  ", " " * 6)
        elif isinstance(value, dict):
            say(f"{name}:", "  ")
            for key, item in value.items():
                shown = ", ".join(map(str, item)) if isinstance(item, list) else item
                say(f"{key} = {shown}", "    ", " " * 8)
        elif isinstance(value, list) and value:
            say(f"{name}:", "  ")
            for item in value:
                say(f"- {item}", "    ", " " * 6)
        else:
            say(
                f"{name} = {json.dumps(value) if not isinstance(value, str) else value}",
                "  ",
                " " * 6,
            )


def options(parser: argparse.ArgumentParser) -> None:
    environment_options(parser)
    approval_option(parser, "apply to real AWS")
    parser.add_argument(
        "--require-approval",
        choices=("never", "broadening", "any-change"),
        default=None,
        help="when to show the plan and ask before applying: broadening (a change widens "
        "access: the default on real AWS), any-change, or never (the default with --local)",
    )
    parser.add_argument(
        "--no-verify",
        dest="verify",
        action="store_false",
        help="skip the re-plan and the live read-back",
    )
    parser.add_argument(
        "--plan",
        type=Path,
        metavar="FILE",
        help="apply exactly this plan from `plan --out FILE` (refused if stale, or made "
        "for another environment or configuration)",
    )


COMMAND = Command(
    name="deploy",
    summary="plan, apply, then verify by re-planning and reading the network back",
    example="python main.py deploy --local",
    exit_codes="0, 1 error or refused, 130 interrupted",
    synopsis=(
        "`deploy [--auto-approve \\| --require-approval never\\|broadening\\|any-change] "
        "[--no-verify] [--plan FILE] [--json]`"
    ),
    does=(
        "plans, shows the review (as `plan`), asks before changing the network (naming the "
        "account, region and environment), applies, then verifies: a re-plan must show no "
        "changes and the network is read back and checked. When it asks: `broadening` (the "
        "default on real AWS) asks only when the plan widens access, `any-change` whenever "
        "something changes, `never` (the default with `--local`; `--auto-approve` is the same) "
        "never. `--plan` applies exactly a plan saved by `plan --out`, and refuses one that is "
        "stale or was made for another environment or configuration. An interrupted deploy "
        "(Ctrl-C, exit 130) resumes on the next run"
    ),
    json="reported",
    options=options,
    run=run,
    conflicts=(("auto_approve", "require_approval"),),
)
