"""Terraform on the HCL twins, for the integration tests: a Terraform of its own data directory
(against the emulator, or none), a plan as JSON, and the twins copied into a scratch repository."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from modules.runner.emulator import Emulator
from modules.runner.terraform import Terraform
from modules.stack.environment import PROJECT_ROOT
from modules.stack.twins import ROOT, TWINS, data_files
from tests.conftest import FIXTURE_ENVIRONMENTS, SHIPPED

#: The tfvars of every shipped and fixture environment, by name.
TFVARS = {name: PROJECT_ROOT / "environments" / f"{name}.tfvars" for name in SHIPPED}
TFVARS.update({p.stem: p for p in FIXTURE_ENVIRONMENTS.glob("*.tfvars")})


def terraform_in(workdir: Path, data_dir: Path, emulator: Emulator | None = None) -> Terraform:
    return Terraform(
        workdir,
        data_dir=data_dir,
        extra_env=emulator.aws_env() if emulator else {},
        cli_config_dir=data_dir,
    )


def plan_in(tf: Terraform, state: Path, *args: str) -> dict[str, Any]:
    tf.run(
        ["init", "-input=false", "-no-color", "-reconfigure", f"-backend-config=path={state}"],
        show="none",
    )
    return tf.plan_json(["-input=false", "-no-color", *args], state.with_suffix(".tfplan"))


def copy_twins(destination: Path) -> Path:
    """The twins, their root and the data files they read, under ``destination``; the root's
    copy."""
    for directory in [*TWINS.values(), ROOT]:
        target = destination / directory.relative_to(PROJECT_ROOT)
        target.mkdir(parents=True, exist_ok=True)
        for path in directory.glob("*.tf"):
            shutil.copy(path, target / path.name)
    for data in data_files():
        target = destination / data.relative_to(PROJECT_ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(data, target)
    return destination / ROOT.relative_to(PROJECT_ROOT)
