"""The resource instances a synthesized stack declares, for_each expanded and each.value filled
in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_EACH = re.compile(r"\$\{each\.value\.(\w+)\}")


@dataclass(frozen=True)
class Instance:
    """One resource instance the configuration expects, its arguments resolved where literal."""

    terraform_type: str
    address: str
    body: dict[str, Any]


def expected_instances(stack: dict[str, Any]) -> list[Instance]:
    """Every managed instance of a synthesized stack, ``each.value.*`` filled in."""
    resources = stack.get("resource", {})
    instances = []
    for terraform_type, named in resources.items():
        for name, body in named.items():
            for_each = body.get("for_each")
            source = None
            if isinstance(
                for_each, str
            ):  # for_each over another resource: each.value is its instance
                source = for_each.strip("${}")
                source_type, source_name = source.split(".")
                for_each = resources[source_type][source_name]["for_each"]
            if not isinstance(for_each, dict):
                instances.append(Instance(terraform_type, f"{terraform_type}.{name}", body))
                continue
            for key, value in for_each.items():
                instances.append(
                    Instance(
                        terraform_type,
                        f'{terraform_type}.{name}["{key}"]',
                        _substitute(body, key, value, source),
                    )
                )
    return instances


def _substitute(body: Any, key: str, value: Any, source: str | None) -> Any:
    """``body`` with each.value.* filled in. A value that is exactly ``${each.value.x}`` takes x
    itself (null, a number, a bool); inside a longer string, its text."""
    if isinstance(body, str):
        whole = _EACH.fullmatch(body)
        if whole and not source and isinstance(value, dict):
            return value.get(whole.group(1))

        def each(match: re.Match[str]) -> str:
            if source:
                return f'${{{source}["{key}"].{match.group(1)}}}'
            return str(value.get(match.group(1), "")) if isinstance(value, dict) else ""

        return _EACH.sub(each, body)
    if isinstance(body, dict):
        return {k: _substitute(v, key, value, source) for k, v in body.items()}
    if isinstance(body, list):
        return [_substitute(v, key, value, source) for v in body]
    return body
