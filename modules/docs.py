"""Tables in help/ generated from the catalog, so the docs cannot drift from the data.

`python -m modules.docs` rewrites every generated block; a test fails when one is stale.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from modules.environment import PROJECT_ROOT
from modules.vpc_endpoints.catalog import catalog

HELP = PROJECT_ROOT / "help"
_BLOCK = re.compile(r"(<!-- generated: (?P<name>[a-z_]+) -->\n).*?(<!-- end generated -->)", re.S)


def endpoint_table() -> str:
    rows = ["| key | service | type | serves | policy: actions on resources |", "|---|---|---|---|---|"]
    for key, entry in catalog().endpoints.items():
        policy = "; ".join(
            f"{_actions(s['Action'])} on {_resources(s['Resource'])}" for s in entry.statements
        )
        flows = ", ".join(entry.flows)
        rows.append(f"| `{key}` | `{entry.service}` | {entry.type} | {flows} | {policy} |")
    return "\n".join(rows)


def flow_table() -> str:
    rows = ["| flow | what | endpoints |", "|---|---|---|"]
    for flow, description in catalog().flows.items():
        keys = ", ".join(f"`{k}`" for k, e in catalog().endpoints.items() if flow in e.flows)
        rows.append(f"| `{flow}` | {description} | {keys} |")
    return "\n".join(rows)


def _actions(actions: str | list[str]) -> str:
    return ", ".join(f"`{a}`" for a in ([actions] if isinstance(actions, str) else actions))


def _resources(resources: str | list[str]) -> str:
    return ", ".join(f"`{r}`" for r in ([resources] if isinstance(resources, str) else resources))


GENERATORS: dict[str, Callable[[], str]] = {"endpoints": endpoint_table, "flows": flow_table}


def render(text: str) -> str:
    """``text`` with every generated block replaced by its current content."""
    return _BLOCK.sub(lambda m: f"{m.group(1)}{GENERATORS[m.group('name')]()}\n{m.group(3)}", text)


def pages() -> list[Path]:
    return sorted(p for p in HELP.glob("*.md") if "<!-- generated: " in p.read_text())


def main() -> int:
    for page in pages():
        text = page.read_text()
        updated = render(text)
        if updated != text:
            page.write_text(updated)
            print(f"updated {page.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
