"""Shared fixtures. Synthesis loads the AWS bindings, so it runs once per session for all
environments (the shipped ones and tests/fixtures/environments) in a single App."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from modules.stack.environment import PROJECT_ROOT, environment_names, load_environment

FIXTURE_ENVIRONMENTS = Path(__file__).parent / "fixtures" / "environments"
SHIPPED = environment_names(PROJECT_ROOT / "environments")

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


def synthesize_all(outdir: Path) -> None:
    """Synthesize every shipped and fixture environment into ``outdir`` in one App."""
    from modules.runner.synth import synthesize
    from modules.runner.workspace import Workspace

    envs = [load_environment(name, PROJECT_ROOT / "environments") for name in SHIPPED]
    envs += [
        load_environment(p.stem, FIXTURE_ENVIRONMENTS)
        for p in sorted(FIXTURE_ENVIRONMENTS.glob("*.tfvars"))
    ]
    # Never from the synth cache: tests compare real syntheses.
    synthesize(envs, Workspace(outdir=outdir, state_root=PROJECT_ROOT / ".state"), use_cache=False)


@pytest.fixture(scope="session")
def synth_outdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every shipped and fixture environment, synthesized once into one directory."""
    outdir = tmp_path_factory.mktemp("synth")
    synthesize_all(outdir)
    return outdir


@pytest.fixture(scope="session")
def synthesized(synth_outdir: Path) -> dict[str, dict[str, Any]]:
    """Parsed cdk.tf.json by environment name."""
    return {
        path.parent.name.removeprefix("network-"): json.loads(path.read_text())
        for path in synth_outdir.glob("stacks/*/cdk.tf.json")
    }


@pytest.fixture(scope="session")
def dev(synthesized: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return synthesized["dev"]


def resources(stack: dict[str, Any], terraform_type: str) -> dict[str, dict[str, Any]]:
    """The resources of one type, by logical id, without cdktf metadata."""
    return {
        name: {k: v for k, v in body.items() if k != "//"}
        for name, body in stack.get("resource", {}).get(terraform_type, {}).items()
    }


def only(stack: dict[str, Any], terraform_type: str) -> dict[str, Any]:
    """The single resource of a type (fails if there is not exactly one)."""
    found = resources(stack, terraform_type)
    assert len(found) == 1, f"expected one {terraform_type}, found {sorted(found)}"
    return next(iter(found.values()))
