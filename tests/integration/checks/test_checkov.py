"""checkov on the plan of every shipped environment: no failed check but the documented skips."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from modules.runner.emulator import Emulator
from modules.runner.terraform import Terraform
from modules.stack.environment import PROJECT_ROOT
from tests.conftest import SHIPPED

pytestmark = pytest.mark.integration
SKIPS = json.loads((PROJECT_ROOT / "security" / "checkov_skips.json").read_text())
CHECKOV = Path(
    os.environ.get("CHECKOV_BINARY") or PROJECT_ROOT / ".venv-checkov" / "bin" / "checkov"
)


def test_every_skip_has_a_reason() -> None:
    checks = {k: v for k, v in SKIPS.items() if not k.startswith("//")}
    assert checks and all(len(v["reason"]) > 80 for v in checks.values())


@pytest.mark.parametrize("env", SHIPPED)
def test_checkov_finds_nothing_in_the_plan(
    env: str, emulator: Emulator, synth_outdir: Path, tmp_path: Path
) -> None:
    if not CHECKOV.exists():
        pytest.fail(
            f"checkov is not installed at {CHECKOV}: run `make setup` (it installs "
            "requirements-checkov.txt)"
        )
    tf = Terraform(
        synth_outdir / "stacks" / f"network-{env}",
        data_dir=tmp_path / "data",
        extra_env=emulator.aws_env(),
        cli_config_dir=tmp_path,
    )
    tf.run(
        [
            "init",
            "-input=false",
            "-no-color",
            "-reconfigure",
            f"-backend-config=path={tmp_path / 'state'}",
        ],
        show="none",
    )
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(tf.plan_json(["-input=false", "-no-color"], tmp_path / "plan")))
    skips = ",".join(k for k in SKIPS if not k.startswith("//"))
    completed = subprocess.run(
        [
            str(CHECKOV),
            "-f",
            str(plan),
            "--framework",
            "terraform_plan",
            "--skip-download",
            "--skip-check",
            skips,
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(completed.stdout)
    summary = report["summary"]
    failed = [
        (c["check_id"], c["resource"]) for c in report.get("results", {}).get("failed_checks", [])
    ]
    assert summary["failed"] == 0, failed
    assert summary["passed"] >= 50 and summary["parsing_errors"] == 0
    # Every check the Security Hub page says we pass, passes.
    passed = {c["check_id"] for c in report["results"]["passed_checks"]}
    claimed = set(
        re.findall(r"CKV2?_AWS_\d+", (PROJECT_ROOT / "help" / "security-hub.md").read_text())
    )
    assert claimed - set(SKIPS) <= passed, sorted(claimed - set(SKIPS) - passed)
