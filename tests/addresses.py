"""The Terraform addresses a synthesized stack declares, instance keys included: what state
records. tests/fixtures/addresses/<env>.txt holds them; a change there is a state move."""

from __future__ import annotations

from typing import Any


def stack_addresses(stack: dict[str, Any]) -> list[str]:
    found = []
    for section, prefix in (("resource", ""), ("data", "data.")):
        for kind, named in stack.get(section, {}).items():
            for name, body in named.items():
                for_each = body.get("for_each")
                keys = sorted(for_each) if isinstance(for_each, dict) else [None]
                found += [
                    f"{prefix}{kind}.{name}" + ("" if key is None else f'["{key}"]') for key in keys
                ]
    return sorted(found)
