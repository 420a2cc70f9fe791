"""Structural equivalence of a synthesized CDKTF stack and the HCL twins, via python-hcl2.

Pipeline: parse every twin and the root composition (python-hcl2 8, the TFVARS_OPTIONS of
modules/stack/environment.py: plain strings, no __is_block__/__comments__); take the synthesized
cdk.tf.json of the same environment; reduce CDKTF logical ids to (module, name); then compare,
resource by resource:
  - the same resources and data sources in each module;
  - the same attribute names and meta-arguments (for_each, lifecycle);
  - every attribute that is a literal in the stack and resolvable in HCL (variables are taken
    from the root's module arguments and the environment's tfvars, locals are followed);
  - the reference graph: which resources each resource depends on, following variables,
    locals and module outputs through the root composition.
Intended differences: HCL cannot drive prevent_destroy from a variable, so the network twin uses
terraform_data.destroy_guard where the stack writes lifecycle literals; and resources that filter
one shared local (the ingress and egress rules) have their references compared together.
Per-instance values (for_each expansion) are compared by the plan-level test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from modules.stack.twins import OPTIONAL_TWINS, ROOT, TWINS, parse_terraform, split_logical_id

Ref = tuple[str, str, str, str]  # module, mode (managed|data), type, name
UNRESOLVED = object()
GUARD = ("managed", "terraform_data", "destroy_guard")
META = {"//", "for_each", "lifecycle", "depends_on", "provider", "count"}

_PY_ADDRESS = re.compile(
    r"(?<![/\w.])(data\.)?(aws_\w+)\.(\w+)"
)  # not a file name such as modules/facts/aws_constraints.json
_HCL_REF = re.compile(
    r"(?<![/\w.])(?:(?P<var>var)\.(?P<var_name>\w+)|(?P<local>local)\.(?P<local_name>\w+)"
    r"|module\.(?P<module>\w+)(?:\[0\])?\.(?P<output>\w+)"
    r"|data\.(?P<data_type>\w+)\.(?P<data_name>\w+)"
    r"|(?P<type>aws_\w+|terraform_data)\.(?P<name>\w+))"
)
_SIMPLE = re.compile(r"^(var|local)\.(\w+)$")


@dataclass
class Module:
    """One parsed HCL directory."""

    name: str
    blocks: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    locals: dict[str, Any] = field(default_factory=dict)
    variables: dict[str, dict[str, Any]] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: dict[str, dict[str, Any]] = field(default_factory=dict)  # module blocks (root only)


def load(directory: Path, name: str) -> Module:
    parsed = parse_terraform(directory)
    module = Module(name)
    for mode, kind in (("managed", "resource"), ("data", "data")):
        for block in parsed.get(kind, []):
            for terraform_type, named in block.items():
                for resource_name, body in named.items():
                    module.blocks[(mode, terraform_type, resource_name)] = body
    for block in parsed.get("locals", []):
        module.locals.update(block)
    for kind, target in (
        ("variable", module.variables),
        ("output", module.outputs),
        ("module", module.calls),
    ):
        for block in parsed.get(kind, []):
            target.update(block)
    return module


def load_twins() -> tuple[Module, dict[str, Module]]:
    return load(ROOT, "root"), {name: load(path, name) for name, path in TWINS.items()}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


class Resolver:
    """Follows HCL references through locals, module variables and outputs."""

    def __init__(self, root: Module, modules: dict[str, Module], tfvars: dict[str, Any]) -> None:
        self.root, self.modules, self.tfvars = root, modules, tfvars
        # Optional twins the root does not call (count 0): references to them lead nowhere.
        self.off = {m for m, variable in OPTIONAL_TWINS.items() if tfvars.get(variable) is None}

    def _module(self, name: str) -> Module:
        return self.root if name == "root" else self.modules[name]

    def refs(
        self, module: str, value: Any, seen: frozenset[tuple[str, str]] = frozenset()
    ) -> set[Ref]:
        found: set[Ref] = set()
        for text in _strings(value):
            for match in _HCL_REF.finditer(text):
                if match["var"] and module != "root":
                    argument = self.root.calls[module].get(match["var_name"])
                    found |= self.refs("root", argument, seen)
                elif match["local"]:
                    key = (module, match["local_name"])
                    if key not in seen:
                        found |= self.refs(
                            module, self._module(module).locals[match["local_name"]], seen | {key}
                        )
                elif match["module"] in self.off:
                    continue
                elif match["module"]:
                    output = self.modules[match["module"]].outputs[match["output"]]["value"]
                    found |= self.refs(match["module"], output, seen)
                elif match["data_type"]:
                    found.add((module, "data", match["data_type"], match["data_name"]))
                elif match["type"]:
                    found.add((module, "managed", match["type"], match["name"]))
        return found

    def value(self, module: str, value: Any) -> Any:
        """The literal an expression stands for, or UNRESOLVED."""
        if isinstance(value, dict):
            resolved = {k: self.value(module, v) for k, v in value.items()}
            return UNRESOLVED if UNRESOLVED in resolved.values() else resolved
        if isinstance(value, list):
            items = [self.value(module, v) for v in value]
            return UNRESOLVED if UNRESOLVED in items else items
        if not isinstance(value, str) or "${" not in value:
            return value
        whole = re.fullmatch(r"\$\{([^${}]*)\}", value)
        if whole:
            return self._reference(module, whole.group(1).strip())
        parts = re.split(r"\$\{([^${}]*)\}", value)
        out = []
        for i, part in enumerate(parts):
            if i % 2 == 0:
                if "${" in part or "}" in part:
                    return UNRESOLVED
                out.append(part)
            else:
                resolved = self._reference(module, part.strip())
                if resolved is UNRESOLVED or isinstance(resolved, (dict, list)):
                    return UNRESOLVED
                out.append(str(resolved).lower() if isinstance(resolved, bool) else str(resolved))
        return "".join(out)

    def _reference(self, module: str, expression: str) -> Any:
        match = _SIMPLE.match(expression)
        if not match:
            return UNRESOLVED
        kind, name = match.groups()
        if kind == "local":
            return self.value(module, self._module(module).locals[name])
        if module == "root":
            return self.tfvars.get(name, self.root.variables[name].get("default"))
        resolved = self.value("root", self.root.calls[module].get(name))
        if resolved is None:  # null from the root: the module's own default (nullable = false)
            return self.modules[module].variables[name].get("default", UNRESOLVED)
        return resolved


def python_blocks(stack: dict[str, Any]) -> dict[Ref, dict[str, Any]]:
    blocks: dict[Ref, dict[str, Any]] = {}
    for mode, kind in (("managed", "resource"), ("data", "data")):
        for terraform_type, named in stack.get(kind, {}).items():
            for logical_id, body in named.items():
                module, name = split_logical_id(logical_id)
                blocks[(module, mode, terraform_type, name)] = body
    return blocks


def python_refs(value: Any) -> set[Ref]:
    found: set[Ref] = set()
    for text in _strings(value):
        if "${" not in text and not _PY_ADDRESS.fullmatch(text):  # depends_on holds bare addresses
            continue
        for data, terraform_type, logical_id in _PY_ADDRESS.findall(text):
            module, name = split_logical_id(logical_id)
            found.add((module, "data" if data else "managed", terraform_type, name))
    return found


def _shared_sources(modules: dict[str, Module]) -> dict[Ref, str]:
    """Resources whose for_each filters a local that a sibling's for_each also filters.

    Terraform (and our resolver) sees every reference of that local from each of them, while
    the stack gives each its own map; such resources are compared as a group.
    """
    users: dict[str, list[Ref]] = {}
    for name, module in modules.items():
        for (mode, terraform_type, resource_name), body in module.blocks.items():
            for local in re.findall(r"\blocal\.(\w+)", str(body.get("for_each", ""))):
                users.setdefault(f"{name}.local.{local}", []).append(
                    (name, mode, terraform_type, resource_name)
                )
    return {ref: group for group, refs in users.items() if len(refs) > 1 for ref in refs}


def _lifecycle(body: dict[str, Any]) -> dict[str, Any]:
    """The lifecycle block; its pre- and postconditions as counts (their expressions are checked
    by the twins' terraform tests and, on real values, by the plan-level test)."""
    lifecycle = body.get("lifecycle", {})
    found = dict(lifecycle[0] if isinstance(lifecycle, list) else lifecycle)
    for condition in ("precondition", "postcondition"):
        if condition in found:
            found[condition] = len(found[condition])
    return found


def _compare_values(where: str, python: Any, hcl: Any, differences: list[str]) -> None:
    if (
        isinstance(python, dict)
        and isinstance(hcl, list)
        and len(hcl) == 1
        and isinstance(hcl[0], dict)
    ):
        hcl = hcl[0]  # a nested block (timeouts { ... }) parses as a one-element list
    if isinstance(python, dict) and isinstance(hcl, dict):
        for key in sorted(set(python) | set(hcl)):
            if key in python and key in hcl:
                _compare_values(f"{where}.{key}", python[key], hcl[key], differences)
            else:
                differences.append(
                    f"{where}.{key}: only in {'the stack' if key in python else 'HCL'}"
                )
    elif hcl is UNRESOLVED or any("${" in s for s in _strings(python)):
        return  # an expression on either side: the reference graph and the plan test cover it
    elif python != hcl:
        differences.append(f"{where}: stack {python!r} != HCL {hcl!r}")


CALLER_IDENTITY = ("data", "aws_caller_identity", "current")


def compare(
    stack: dict[str, Any], tfvars: dict[str, Any], root: Module, modules: dict[str, Module]
) -> list[str]:
    """Every difference between the stack and the twins, as '<module>.<type>.<name>: ...'."""
    resolver = Resolver(root, modules, tfvars)
    differences: list[str] = []
    python = python_blocks(stack)
    off = resolver.off  # optional twins not called: their resources are not expected
    hcl = {
        (m, *key): body
        for m, module in modules.items()
        if m not in off
        for key, body in module.blocks.items()
    }
    guard = hcl.pop(("network", *GUARD), None)
    for key in sorted(set(python) ^ set(hcl)):
        differences.append(
            f"{'.'.join(key[0:1] + key[2:])}: only in {'the stack' if key in python else 'HCL'}"
        )
    protected: set[Ref] = set()
    shared = _shared_sources(modules)
    group_refs: dict[str, tuple[set[Ref], set[Ref]]] = {}
    for key in sorted(set(python) & set(hcl)):
        module, _, terraform_type, name = key
        where = f"{module}.{terraform_type}.{name}"
        py_body, hcl_body = python[key], hcl[key]
        if _compare_block(where, py_body, hcl_body, partial(resolver.value, module), differences):
            protected.add(key)
        py_refs = python_refs(py_body)
        hcl_refs = resolver.refs(module, hcl_body)
        if key in shared:
            py_group, hcl_group = group_refs.setdefault(shared[key], (set(), set()))
            py_group |= py_refs
            hcl_group |= hcl_refs
        elif py_refs != hcl_refs:
            differences.append(
                f"{where}: references stack {sorted(py_refs - hcl_refs)} HCL "
                f"{sorted(hcl_refs - py_refs)}"
            )
    for group, (py_group, hcl_group) in sorted(group_refs.items()):
        # The twin's policies always pass through replace("${account_id}", <caller identity>);
        # where no statement names the account (an organization perimeter with participants)
        # the stack's JSON has no token to replace, and that read is the twin's alone.
        hcl_group = {r for r in hcl_group if r in py_group or r[1:] != CALLER_IDENTITY}
        if py_group != hcl_group:
            differences.append(
                f"{group} (its resources together): references stack "
                f"{sorted(py_group - hcl_group)} HCL {sorted(hcl_group - py_group)}"
            )
    differences += _compare_guard(protected, guard, resolver)
    differences += _compare_outputs(stack, root, resolver)
    return differences


def _compare_block(
    where: str,
    py_body: dict[str, Any],
    hcl_body: dict[str, Any],
    value_of: Callable[[Any], Any],
    differences: list[str],
) -> bool:
    """Adds the differences of one resource's attributes, for_each and lifecycle (HCL values
    resolved by ``value_of``); returns whether the stack protects it (prevent_destroy)."""
    py_attributes, hcl_attributes = set(py_body) - META, set(hcl_body) - META
    for attribute in sorted(py_attributes ^ hcl_attributes):
        differences.append(
            f"{where}: attribute {attribute} only in "
            f"{'the stack' if attribute in py_attributes else 'HCL'}"
        )
    if ("for_each" in py_body) != ("for_each" in hcl_body):
        differences.append(
            f"{where}: for_each only in {'the stack' if 'for_each' in py_body else 'HCL'}"
        )
    py_lifecycle, hcl_lifecycle = _lifecycle(py_body), _lifecycle(hcl_body)
    protected = bool(py_lifecycle.pop("prevent_destroy", False))
    if py_lifecycle != hcl_lifecycle:
        differences.append(f"{where}: lifecycle stack {py_lifecycle} != HCL {hcl_lifecycle}")
    for attribute in sorted(py_attributes & hcl_attributes):
        _compare_values(
            f"{where}: {attribute}", py_body[attribute], value_of(hcl_body[attribute]), differences
        )
    return protected


def _compare_guard(protected: set[Ref], guard: Any, resolver: Resolver) -> list[str]:
    """The twin's destroy guard names exactly the resources the stack protects."""
    if not protected:
        return []
    if guard is None:
        return ["network: the stack protects resources but the twin has no destroy guard"]
    guarded = resolver.refs("network", guard)
    if guarded != protected:
        return [
            f"network.terraform_data.destroy_guard: guards {sorted(guarded)}, the stack "
            f"protects {sorted(protected)}"
        ]
    return []


def _compare_outputs(stack: dict[str, Any], root: Module, resolver: Resolver) -> list[str]:
    differences = []
    python_outputs, hcl_outputs = stack.get("output", {}), root.outputs
    for name in sorted(set(python_outputs) ^ set(hcl_outputs)):
        differences.append(
            f"output {name}: only in {'the stack' if name in python_outputs else 'HCL'}"
        )
    for name in sorted(set(python_outputs) & set(hcl_outputs)):
        if python_outputs[name]["description"] != hcl_outputs[name]["description"]:
            differences.append(f"output {name}: descriptions differ")
        py_refs = python_refs(python_outputs[name]["value"])
        hcl_refs = resolver.refs("root", hcl_outputs[name]["value"])
        if py_refs != hcl_refs:
            differences.append(
                f"output {name}: references stack {sorted(py_refs)} HCL {sorted(hcl_refs)}"
            )
    return differences
