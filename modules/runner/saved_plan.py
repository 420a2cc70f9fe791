"""Saved plans: what was reviewed is exactly what is applied.

`plan --out FILE` writes Terraform's plan to FILE and, beside it, FILE.json: the plan as
`terraform show -json` gives it (for `verify --file FILE.json`, reviewers and policy tools),
with a record of what it was made from under "agentcore_plan" (the stack, the target, the
synthesized configuration and its hash). `deploy --plan FILE` applies FILE only when that record
matches the environment it is asked to deploy; Terraform itself refuses a plan whose state
has moved on since (a stale plan).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from modules.kernel.errors import CommandError
from modules.runner.deployment import Deployment
from modules.runner.terraform import Planned
from modules.stack.environment import display_path

RECORD_KEY = "agentcore_plan"
RECORD_FORMAT = 1


@dataclass(frozen=True)
class PlanRecord:
    """What a saved plan was made from."""

    stack: str
    target: str
    configuration_sha256: str
    created: str
    format: int = RECORD_FORMAT
    #: The synthesized configuration itself (its text, whose sha256 is configuration_sha256):
    #: what verify proves where the plan knows a value only after apply (a first deploy).
    configuration: str | None = None


def sidecar(plan_file: Path) -> Path:
    return plan_file.with_name(plan_file.name + ".json")


def _configuration_hash(deployment: Deployment) -> str:
    return hashlib.sha256(deployment.workspace.stack_file(deployment.env).read_bytes()).hexdigest()


def _configuration_text(deployment: Deployment) -> str:
    return deployment.workspace.stack_file(deployment.env).read_text()


def save(deployment: Deployment, plan_file: Path) -> Planned:
    """Plan into ``plan_file`` (and its JSON beside it, with the record)."""
    plan_file = plan_file.resolve()
    plan_file.parent.mkdir(parents=True, exist_ok=True)
    planned = deployment.terraform.plan_to(plan_file)
    record = PlanRecord(
        stack=deployment.env.stack_name,
        target=deployment.target,
        configuration_sha256=_configuration_hash(deployment),
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        configuration=_configuration_text(deployment),
    )
    document = {RECORD_KEY: asdict(record), **planned.document}
    sidecar(plan_file).write_text(json.dumps(document, indent=1))
    return Planned(planned.exit_code, planned.text, document)


def load(plan_file: Path) -> dict[str, Any]:
    """The JSON saved beside a plan (after `check`)."""
    return dict(json.loads(sidecar(plan_file).read_text()))


def check(deployment: Deployment, plan_file: Path) -> None:
    """Refuse a plan that is not for this environment, this target and this configuration."""
    if plan_file.suffix == ".json" and _is_record(plan_file):
        plan = plan_file.with_suffix("")
        raise CommandError(
            f"--plan: {display_path(plan_file.resolve())} is the JSON copy of a plan, for review "
            f"and verify --file; deploy applies the plan itself: --plan {display_path(plan)}"
        )
    if not plan_file.is_file():
        raise CommandError(
            f"--plan: {plan_file}: no such file. Make one with `python main.py plan --out FILE` "
            "(same --env and --local)."
        )
    try:
        raw: Any = json.loads(sidecar(plan_file).read_text())[RECORD_KEY]
        record = PlanRecord(**raw)
    except (OSError, ValueError, KeyError, TypeError):
        raise CommandError(
            f"--plan: {display_path(sidecar(plan_file))} is missing or is not the record `plan "
            "--out` writes: without it nothing says which environment the plan is for. Keep FILE "
            "and FILE.json together."
        ) from None
    made_for = f"{record.stack} on the {record.target}"
    asked = f"{deployment.env.stack_name} on the {deployment.target}"
    if (record.stack, record.target) != (deployment.env.stack_name, deployment.target):
        raise CommandError(
            f"--plan: {plan_file.name} was made for {made_for}, not {asked}. Nothing was applied. "
            "Use the same --env and --local as the plan, or make a new plan."
        )
    if record.configuration_sha256 != _configuration_hash(deployment):
        raise CommandError(
            f"--plan: the configuration of {record.stack} changed since {plan_file.name} was made "
            f"({record.created}). Nothing was applied. Review a new plan: "
            f"python main.py plan --env {deployment.env.env}"
            + (" --local" if deployment.target == "emulator" else "")
            + " --out FILE."
        )


def _is_record(path: Path) -> bool:
    """Whether ``path`` is the JSON `plan --out` writes beside a plan."""
    try:
        with path.open("rb") as stream:
            return f'"{RECORD_KEY}"'.encode() in stream.read(200)
    except OSError:
        return False


def apply(deployment: Deployment, plan_file: Path) -> str:
    """Apply exactly the saved plan (Terraform refuses it if the state moved on); its output."""
    return deployment.terraform.run(
        ["apply", "-input=false", "-no-color", str(plan_file.resolve())], what="terraform apply"
    ).output
