"""What the HCL modules and examples use of the AWS provider: each resource and data source type,
the arguments and nested blocks they set, and the attributes they read (`aws_x.name.attr`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from modules.stack.environment import PROJECT_ROOT
from modules.stack.twins import parse_terraform

#: Terraform's own meta-arguments and blocks, which no provider schema lists.
META = {"count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection"}
_READ = re.compile(r"(?<![\w.])(data\.)?(aws_\w+)\.(\w+)(?:\[[^\]]*\])?\.(\w+)")
#: `for k, endpoint in aws_vpc_endpoint.interface : k => endpoint.id`: what `endpoint` reads.
_FOR = re.compile(r"for\s+(?:\w+\s*,\s*)?(\w+)\s+in\s+(data\.)?(aws_\w+)\.\w+\s*:([^}\]]*)")
_SELF = re.compile(r"\bself\.(\w+)")

Usage = dict[tuple[str, str], dict[str, Any]]  # (mode, type) -> arguments used (nested: blocks)


def directories() -> list[Path]:
    return sorted(
        {
            *PROJECT_ROOT.glob("modules/*/terraform"),
            *(p for p in PROJECT_ROOT.glob("examples/*") if list(p.glob("*.tf"))),
        }
    )


def _arguments(body: dict[str, Any]) -> dict[str, Any]:
    """Argument name -> None, or -> the arguments of a nested block (merged over its uses)."""
    found: dict[str, Any] = {}
    for name, value in body.items():
        if name in META:
            continue
        if name == "dynamic":  # dynamic "x" { content { ... } }: the block x
            for dynamic in value:
                for block, spec in dynamic.items():
                    for content in spec.get("content", []):
                        found.setdefault(block, {}).update(_arguments(content))
            continue
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            merged = found.setdefault(name, {})
            for block in value:
                merged.update(_arguments(block))
        else:
            found.setdefault(name, None)
    return found


def usage() -> tuple[Usage, set[tuple[str, str, str]]]:
    """Arguments by (mode, type), and every (mode, type, attribute) read."""
    used: Usage = {}
    reads: set[tuple[str, str, str]] = set()
    for directory in directories():
        parsed = parse_terraform(directory)
        for mode, key in (("resource", "resource"), ("data", "data")):
            for block in parsed.get(key, []):
                for terraform_type, named in block.items():
                    if not terraform_type.startswith("aws_"):
                        continue
                    for body in named.values():
                        used.setdefault((mode, terraform_type), {}).update(_arguments(body))
                        for attribute in _SELF.findall(str(body.get("lifecycle", ""))):
                            reads.add((mode, terraform_type, attribute))
        for path in directory.glob("*.tf"):
            text = path.read_text()
            for data, terraform_type, _, attribute in _READ.findall(text):
                reads.add(("data" if data else "resource", terraform_type, attribute))
            for name, data, terraform_type, rest in _FOR.findall(text):
                for attribute in re.findall(rf"\b{name}\.(\w+)", rest):
                    reads.add(("data" if data else "resource", terraform_type, attribute))
    return used, reads


def used_types() -> set[tuple[str, str]]:
    used, reads = usage()
    return set(used) | {(mode, name) for mode, name, _ in reads}
