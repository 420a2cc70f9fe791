"""The twins' interfaces: same names as the Python config, typed, described, formatted."""

from __future__ import annotations

import dataclasses
import inspect
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from modules.network.config import NetworkConfig
from modules.network.construct import Network
from modules.runner.terraform import terraform_binary
from modules.security_groups.config import SecurityGroupsConfig
from modules.security_groups.construct import SecurityGroups
from modules.stack.environment import PROJECT_ROOT, TFVARS_SCHEMA
from modules.stack.twins import (
    MIGRATION_FILE,
    ROOT,
    TWINS,
    data_files,
    managed_addresses,
    moved_blocks,
    parse_terraform,
)
from modules.subnet_sharing.config import SubnetSharingConfig
from modules.subnet_sharing.construct import SubnetSharing
from modules.vpc_endpoints.config import VpcEndpointsConfig
from modules.vpc_endpoints.construct import VpcEndpoints

# Each twin's variables: its Python config's fields plus the construct's wiring arguments.
PYTHON_INTERFACES: dict[str, tuple[type, list[Any]]] = {
    "network": (NetworkConfig, [Network.__init__]),
    "vpc_endpoints": (VpcEndpointsConfig, [VpcEndpoints.__init__]),
    "security_groups": (SecurityGroupsConfig, [SecurityGroups.__init__, SecurityGroups.add_rules]),
    "subnet_sharing": (SubnetSharingConfig, [SubnetSharing.__init__]),
}
# Inputs a Python caller computes from the flows and hands over (the endpoint policies, the
# groups and rules in use: modules.flows.policies), which each twin computes from the same
# flows.json itself (tests/hcl/test_equivalence.py shows both give the same); and the facts
# (modules/facts/facts.py), which the twins read from the files themselves.
COMPUTED_BY_THE_TWIN = {
    "vpc_endpoints": {"policies", "facts"},
    "security_groups": {"rules", "facts"},
}


def _blocks(directory: Path, kind: str) -> dict[str, dict[str, Any]]:
    return {
        name: body
        for block in parse_terraform(directory).get(kind, [])
        for name, body in block.items()
    }


def _keyword_parameters(function: Any) -> set[str]:
    return {
        name
        for name, p in inspect.signature(function).parameters.items()
        if p.kind is inspect.Parameter.KEYWORD_ONLY and name != "config"
    }


@pytest.mark.parametrize("module", TWINS)
def test_twin_variables_are_the_python_inputs(module: str) -> None:
    config, functions = PYTHON_INTERFACES[module]
    python = {f.name for f in dataclasses.fields(config)} | set().union(
        *map(_keyword_parameters, functions)
    )
    computed = COMPUTED_BY_THE_TWIN.get(module, set())
    assert computed <= python
    assert set(_blocks(TWINS[module], "variable")) == python - computed


def test_root_variables_are_the_tfvars_keys() -> None:
    assert set(_blocks(ROOT, "variable")) == set(TFVARS_SCHEMA)


def test_the_root_calls_each_twin_by_its_construct_id(
    synthesized: dict[str, dict[str, Any]],
) -> None:
    calls = {name: body["source"] for name, body in _blocks(ROOT, "module").items()}
    assert calls == {name: os.path.relpath(path, ROOT) for name, path in TWINS.items()}
    construct_ids = {
        body["//"]["metadata"]["path"].split("/")[1]
        for stack in synthesized.values()
        for kind in ("resource", "data")
        for named in stack[kind].values()
        for body in named.values()
    }
    assert construct_ids == set(TWINS)


@pytest.mark.parametrize(
    "directory", [*TWINS.values(), ROOT], ids=lambda p: str(p.relative_to(PROJECT_ROOT))
)
def test_every_variable_is_typed_and_described_every_output_described(directory: Path) -> None:
    for name, body in _blocks(directory, "variable").items():
        assert body.get("type") and body.get("description"), name
    for name, body in _blocks(directory, "output").items():
        assert body.get("description"), name


def test_twins_read_the_same_data_files_as_python() -> None:
    endpoints = (TWINS["vpc_endpoints"] / "main.tf").read_text()
    assert 'file("${path.module}/../../facts/catalog.json")' in endpoints
    groups = (TWINS["security_groups"] / "main.tf").read_text()
    assert 'file("${path.module}/../../facts/rules.json")' in groups
    # data_files() are read off the twins' file() and templatefile() calls: what a copy takes along.
    assert all(path.is_file() for path in data_files())
    assert {path.relative_to(PROJECT_ROOT).as_posix() for path in data_files()} == {
        "modules/facts/flows.json",
        "modules/facts/aws_constraints.json",
        "modules/network/policies/flow_log_key.json",
        "modules/network/policies/flow_log_trust.json",
        "modules/network/policies/flow_log_write.json",
        "modules/facts/rules.json",
        "modules/facts/catalog.json",
    }


def test_terraform_fmt_is_clean() -> None:
    completed = subprocess.run(
        [terraform_binary(), "fmt", "-check", "-recursive", "-diff", "modules", "tests/fixtures"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout


def test_migration_file_is_current(synthesized: dict[str, dict[str, Any]]) -> None:
    every = sorted({a for stack in synthesized.values() for a in managed_addresses(stack)})
    expected = moved_blocks(every)
    assert MIGRATION_FILE.read_text() == expected, "stale: run `python -m tools.docs`"
    for env, stack in synthesized.items():
        assert set(managed_addresses(synthesized["dev"])) <= set(managed_addresses(stack)), env
