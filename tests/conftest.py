"""Shared fixtures. Synthesis loads the AWS bindings, so it runs once per session for all
environments (the shipped ones and tests/fixtures/environments) in a single App."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.synthesis import FIXTURE_ENVIRONMENTS, SHIPPED, TESTS, synthesize_all

__all__ = ["FIXTURE_ENVIRONMENTS", "SHIPPED", "TESTS", "synthesize_all"]

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
# Terraform and the AWS provider are Go programs; most of a command's CPU goes to loading the
# provider's schema, and much of that to garbage collection. Collecting at 4x the live heap
# instead of 2x: `terraform test` of modules/vpc_endpoints/terraform took 19 instead of 28
# CPU-seconds (about 110 MB more per provider process, 2026-12-07). The suite is CPU-bound on two
# cores, so its wall time follows. Tests only: the product leaves the users' Go settings alone.
os.environ.setdefault("GOGC", "400")


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


# The slowest test files by the seconds they took (the whole suite on four workers, 2026-12-07,
# GOGC above; test_types.py after mypy stopped reading the provider bindings), slowest first.
# pytest-xdist hands out whole files in collection order (--no-loadscope-reorder in
# pyproject.toml), so the long files start at once and the short ones fill the gaps at the end,
# instead of a 200-second file starting last. An integration file not listed counts as a minute,
# any other file as nothing; a stale number costs minutes of wall time, never a result.
SECONDS_BY_FILE = {
    "integration/checks/test_drift_and_state.py": 343,
    "integration/runner/test_faults.py": 342,
    "integration/test_hcl_roots.py": 329,
    "integration/test_hcl_twin_checks.py": 302,
    "integration/runner/test_saved_plans.py": 298,
    "integration/runner/test_local_lifecycle.py": 291,
    "integration/runner/test_cdktf_cli.py": 265,
    "integration/subnet_sharing/test_subnet_sharing.py": 235,
    "integration/checks/test_verify_and_doctor.py": 200,
    "integration/runner/test_resume.py": 191,
    "integration/test_hcl_twins.py": 185,
    "integration/runner/test_fleet.py": 157,
    "integration/test_bench.py": 148,
    "integration/test_aws_guards.py": 104,
    "unit/kernel/test_bindings_import.py": 58,
    "integration/checks/test_checkov.py": 43,
    "unit/kernel/test_engines.py": 32,  # cdktn synthesizes every environment in its own venv
    "unit/test_types.py": 25,  # mypy --strict over the package, without its cache
    "unit/stack/test_settings_walk.py": 23,
    "hcl/test_aws6_schema.py": 23,
    "unit/cli/test_cli.py": 20,
    "integration/runner/test_emulator_accounts.py": 7,
    "integration/test_module_refs.py": 5,
}
UNLISTED_INTEGRATION_SECONDS = 60


def expected_seconds(item: pytest.Item) -> int:
    unlisted = UNLISTED_INTEGRATION_SECONDS if item.get_closest_marker("integration") else 0
    return SECONDS_BY_FILE.get(item.path.relative_to(TESTS).as_posix(), unlisted)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slowest files first; the tests of one file keep their order (the sort is stable)."""
    items.sort(key=lambda item: -expected_seconds(item))
