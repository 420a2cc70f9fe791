"""The numbers the docs state, computed from the data they describe: a change to the catalog, the
flows or the stack that moves one of them fails here until the sentence is corrected."""

from __future__ import annotations

import re
from typing import Any

import pytest

from modules.cli.commands.parser import DESCRIPTION
from modules.facts.facts import shipped
from modules.reports.cost.model import estimate, prices_for
from modules.stack.environment import PROJECT_ROOT, load_environment


def _instances(stack: dict[str, Any]) -> int:
    """Resource instances the stack creates (what `Apply complete! Resources: N added` counts)."""
    blocks = {
        f"{kind}.{name}": body
        for kind, named in stack["resource"].items()
        for name, body in named.items()
    }

    def count(body: dict[str, Any]) -> int:
        for_each = body.get("for_each")
        if for_each is None:
            return 1
        if isinstance(for_each, dict):
            return len(for_each)
        return count(
            blocks[for_each.removeprefix("${").removesuffix("}")]
        )  # for_each = another resource

    return sum(count(body) for body in blocks.values())


def _default_endpoints() -> tuple[int, int]:
    keys = shipped().flows.endpoints_needed(shipped().flows.defaults(), shipped().catalog)
    interface = sum(shipped().catalog.endpoints[k].type == "Interface" for k in keys)
    return interface, len(keys) - interface


def _text(path: str) -> str:
    return " ".join((PROJECT_ROOT / path).read_text().split())


def test_the_endpoint_counts_the_docs_give_are_the_default_flows() -> None:
    interface, gateway = _default_endpoints()
    total = interface + gateway
    assert f"**{total} VPC endpoints** ({interface} interface + {gateway} gateway)" in _text(
        "README.md"
    )
    assert f"the {total} endpoints" in _text("help/README.md")
    assert f"{total} VPC endpoints" in " ".join(DESCRIPTION.split())
    subnets = len(load_environment("dev", PROJECT_ROOT / "environments").network.endpoint_subnets())
    assert (
        f"{interface} interface endpoints: one ENI per subnet ({interface * subnets} ENIs)"
        in _text("help/architecture.md")
    )
    assert f"the default flows and the {total} endpoints they go through" in _text(
        "help/configuration.md"
    )
    assert (
        f"There are {len(shipped().catalog.endpoints)} services in the catalog; the default "
        "flows go "
        f"through {total} of them ({interface} interface + {gateway} gateway)"
    ) in _text("help/endpoints.md")


def test_the_resource_counts_the_docs_give_are_the_stacks(
    synthesized: dict[str, dict[str, Any]],
) -> None:
    dev, prod = _instances(synthesized["dev"]), _instances(synthesized["prod"])
    assert (
        f"the stack has {dev} resources in dev (three subnets) and {prod} in prod (five)"
        in _text("help/architecture.md")
    )


def test_the_cost_the_docs_quote_is_the_estimate() -> None:
    env = load_environment("dev", PROJECT_ROOT / "environments")
    interface, _ = _default_endpoints()
    total = estimate(env, prices_for(env.region)).subtotal("interface endpoint")
    zones = len(env.network.endpoint_subnets())
    assert f"{interface} interface endpoints in {zones} AZs cost ${total} a month" in _text(
        "help/architecture.md"
    )


@pytest.mark.parametrize(
    "path",
    [
        "README.md",
        *(str(p.relative_to(PROJECT_ROOT)) for p in (PROJECT_ROOT / "help").glob("*.md")),
    ],
)
def test_no_page_says_a_stale_endpoint_count(path: str) -> None:
    interface, gateway = _default_endpoints()
    stated = {int(n) for n in re.findall(r"\b(\d+) (?:VPC )?endpoints\b", _text(path))}
    assert stated <= {interface + gateway, interface, gateway, 13, 2, 3, 1}, (path, stated)
