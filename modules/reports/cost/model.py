"""Monthly cost of an environment from its configuration and prices.json, and what-ifs."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from modules.facts.catalog import Catalog
from modules.kernel.errors import ConfigError
from modules.stack.environment import Environment

PRICES_PATH = Path(__file__).with_name("prices.json")
CENT = Decimal("0.01")


@functools.cache
def shipped_prices() -> dict[str, Any]:
    return dict(json.loads(PRICES_PATH.read_text()))


def _is_amount(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and 0 <= value < float("inf")
    )


def _refuse(field: str, problem: str, value: object, fix: str) -> ConfigError:
    return ConfigError(f"--prices: {field}", problem, value, fix)


def check_price_overrides(overrides: object) -> dict[str, Any]:
    """A --prices document shaped like prices.json (regions -> known keys -> amounts), checked
    like an environment file: a misspelled key or a non-number is refused, never ignored."""
    if not isinstance(overrides, dict):
        raise _refuse(
            "(document)",
            "not a JSON object",
            type(overrides).__name__,
            "Shape it like modules/reports/cost/prices.json.",
        )
    for key in overrides:
        if key not in ("//", "hours_per_month", "regions"):
            raise _refuse(
                key, "not a setting of prices.json", key, "Use hours_per_month and regions."
            )
    if "hours_per_month" in overrides and not (
        _is_amount(overrides["hours_per_month"]) and overrides["hours_per_month"] > 0
    ):
        raise _refuse(
            "hours_per_month", "not a positive number", overrides["hours_per_month"], "Use 730."
        )
    regions = overrides.get("regions", {})
    if not isinstance(regions, dict):
        raise _refuse(
            "regions",
            "not an object of regions",
            regions,
            'Use {"<region>": {"interface_endpoint_hour": 0.011}}.',
        )
    for region, entry in regions.items():
        _check_region_prices(region, entry)
    return overrides


def _check_region_prices(region: str, entry: object) -> None:
    """One region's prices: keys prices.json knows, each a price (or a list of GB tiers)."""
    if not isinstance(entry, dict):
        raise _refuse(
            f"regions.{region}",
            "not an object of prices",
            entry,
            'Use {"interface_endpoint_hour": 0.011}.',
        )
    known = shipped_prices()["regions"]["default"]
    for key, value in entry.items():
        field = f"regions.{region}.{key}"
        if key not in known:
            raise _refuse(
                field,
                "not a price prices.json knows",
                key,
                f"Use one of {', '.join(sorted(known))}.",
            )
        if key == "privatelink_data_gb_tiers":
            if not _are_tiers(value):
                raise _refuse(
                    field,
                    "not a list of [GB limit or null, price] pairs",
                    value,
                    "Use [[1048576, 0.01], [null, 0.004]].",
                )
        elif not _is_amount(value):
            raise _refuse(
                field, "not a price (a number, 0 or more)", value, "Use a number such as 0.011."
            )


def _are_tiers(value: object) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(
            isinstance(t, list)
            and len(t) == 2
            and (t[0] is None or _is_amount(t[0]))
            and _is_amount(t[1])
            for t in value
        )
    )


def priced_region(region: str, overrides: dict[str, Any] | None = None) -> bool:
    """Whether prices.json or the overrides give this region's own prices (else: the defaults)."""
    return any(
        region in document.get("regions", {}) for document in (shipped_prices(), overrides or {})
    )


def prices_for(region: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Prices of a region: defaults, then the region's entry, then the overrides (same shape)."""
    merged: dict[str, Any] = {"hours_per_month": shipped_prices()["hours_per_month"]}
    for document in (shipped_prices(), overrides or {}):
        regions = document.get("regions", {})
        merged.update(regions.get("default", {}))
        merged.update(regions.get(region, {}))
        if "hours_per_month" in document:
            merged["hours_per_month"] = document["hours_per_month"]
    return merged


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def price(value: Decimal) -> str:
    """A unit price: cents at least, more digits only when it has them (0.011)."""
    return f"{value:.2f}" if value == value.quantize(CENT) else str(value.normalize())


@dataclass(frozen=True)
class Usage:
    """Monthly usage the bill depends on; zero unless the user says."""

    data_processed_gb: Decimal = Decimal(0)
    flow_log_gb: Decimal = Decimal(0)


@dataclass(frozen=True)
class Line:
    item: str
    quantity: str
    unit_price: Decimal
    monthly: Decimal


@dataclass(frozen=True)
class Estimate:
    lines: tuple[Line, ...]

    @property
    def total(self) -> Decimal:
        return money(sum((line.monthly for line in self.lines), Decimal(0)))

    def subtotal(self, prefix: str) -> Decimal:
        return money(
            sum((line.monthly for line in self.lines if line.item.startswith(prefix)), Decimal(0))
        )


def _tiered(gb: Decimal, tiers: list[list[Any]]) -> Decimal:
    cost, remaining = Decimal(0), gb
    for limit, price in tiers:
        band = remaining if limit is None else min(remaining, Decimal(limit))
        cost += band * Decimal(str(price))
        remaining -= band
        if remaining <= 0:
            break
    return cost


def estimate(env: Environment, prices: dict[str, Any], usage: Usage = Usage()) -> Estimate:
    """Every monthly line: endpoints per AZ-hour, the KMS key, usage-based lines when given."""
    hours = Decimal(prices["hours_per_month"])
    azs = len(env.network.zones())
    lines = []
    for key in env.vpc_endpoints.selected:
        entry = env.facts.catalog.endpoints[key]
        if entry.type == "Interface":
            price = Decimal(str(prices["interface_endpoint_hour"]))
            lines.append(
                Line(
                    f"interface endpoint {key}",
                    f"{azs} AZ x {hours} h",
                    price,
                    money(azs * hours * price),
                )
            )
        else:
            price = Decimal(str(prices["gateway_endpoint_hour"]))
            lines.append(Line(f"gateway endpoint {key}", f"{hours} h", price, money(hours * price)))
    lines.append(
        Line(
            "KMS key (flow logs)",
            "1 key",
            Decimal(str(prices["kms_key_month"])),
            money(Decimal(str(prices["kms_key_month"]))),
        )
    )
    return Estimate(tuple(lines + _usage_lines(env, prices, usage)))


def _usage_lines(env: Environment, prices: dict[str, Any], usage: Usage) -> list[Line]:
    """The lines billed per GB, for the usage given."""
    lines = []
    if usage.data_processed_gb:
        # Billed in tiers: the unit price shown is what a GB costs on average at this volume.
        tiered = _tiered(usage.data_processed_gb, prices["privatelink_data_gb_tiers"])
        lines.append(
            Line(
                "PrivateLink data processed",
                f"{usage.data_processed_gb} GB, tiered",
                (tiered / usage.data_processed_gb).quantize(Decimal("0.0001"), ROUND_HALF_UP),
                money(tiered),
            )
        )
    if usage.flow_log_gb:
        ingest = Decimal(str(prices["flow_log_ingest_gb"]))
        lines.append(
            Line(
                "flow log ingestion",
                f"{usage.flow_log_gb} GB",
                ingest,
                money(usage.flow_log_gb * ingest),
            )
        )
        # At steady state the group holds `retention` months of logs (forever: counted as 12).
        months = Decimal(env.network.flow_log_retention_days or 365) / Decimal(365) * 12
        storage = Decimal(str(prices["log_storage_gb_month"]))
        lines.append(
            Line(
                "flow log storage (steady state)",
                f"{usage.flow_log_gb} GB x {months:.1f} months",
                storage,
                money(usage.flow_log_gb * months * storage),
            )
        )
    return lines


#: Lines billed by usage (per GB): the same whether workloads share one network or not.
USAGE_LINES = ("PrivateLink data", "flow log")


@dataclass(frozen=True)
class PerWorkload:
    """What each of N workloads pays for the network's fixed cost (endpoint hours, the KMS key),
    sharing one network, or each deploying its own copy."""

    workloads: int
    interface_endpoints_each: Decimal
    shared_each: Decimal
    unshared_each: Decimal

    @property
    def unshared_total(self) -> Decimal:
        return money(self.unshared_each * self.workloads)

    @property
    def saving(self) -> Decimal:
        return money(self.unshared_total - self.shared_each * self.workloads)


def per_workload(cost: Estimate, workloads: int) -> PerWorkload:
    fixed = money(
        sum(
            (line.monthly for line in cost.lines if not line.item.startswith(USAGE_LINES)),
            Decimal(0),
        )
    )
    return PerWorkload(
        workloads,
        money(cost.subtotal("interface endpoint") / workloads),
        money(fixed / workloads),
        fixed,
    )


@dataclass(frozen=True)
class WhatIf:
    name: str
    endpoints: Decimal  # interface endpoints only: the AWS sample's figures
    monthly: Decimal
    gives_up: str


def _with_flows(env: Environment, flows: set[str]) -> Environment:
    """The environment serving other flows, with exactly the endpoints they go through."""
    keep_buckets = any(env.facts.flows.flows[f].needs_code_buckets for f in flows)
    endpoints = replace(
        env.vpc_endpoints,
        flows=tuple(sorted(flows)),
        endpoints=None,
        code_buckets=env.vpc_endpoints.code_buckets if keep_buckets else (),
    )
    return replace(env, vpc_endpoints=endpoints)


def _interface(keys: set[str], catalog: Catalog) -> list[str]:
    return [k for k, e in catalog.endpoints.items() if k in keys and e.type == "Interface"]


def _flow_variants(env: Environment) -> Iterator[tuple[str, Environment, str]]:
    """(name, environment, what it gives up) without each selected flow that alone needs an
    interface endpoint, and with each other flow that would add one."""
    flows, every_flow = set(env.vpc_endpoints.selected_flows), env.facts.flows.flows
    for key in sorted(flows):  # without a flow: the interface endpoints no other flow needs
        others = {e for f in flows - {key} for e in every_flow[f].endpoints}
        dropped = _interface(set(every_flow[key].endpoints) - others, env.facts.catalog)
        if dropped:
            yield (
                f"without flow {key} (drops {', '.join(dropped)})",
                _with_flows(env, flows - {key}),
                f"{every_flow[key].title}: no longer possible from the VPC",
            )
    for key in sorted(set(every_flow) - flows):  # with a flow: the interface endpoints it adds
        added = _interface(
            set(every_flow[key].endpoints) - set(env.vpc_endpoints.selected), env.facts.catalog
        )
        if added and not every_flow[key].needs_code_buckets:
            yield (
                f"with flow {key} (adds {', '.join(added)})",
                _with_flows(env, flows | {key}),
                f"nothing; adds: {every_flow[key].title}",
            )


def what_ifs(
    env: Environment,
    prices: dict[str, Any],
    usage: Usage = Usage(),
    workloads: tuple[int, ...] = (2, 5, 10),
) -> list[WhatIf]:
    """Alternatives side by side, each with what it gives up."""

    def option(name: str, variant: Environment, gives_up: str) -> WhatIf:
        cost = estimate(variant, prices, usage)
        return WhatIf(name, cost.subtotal("interface endpoint"), cost.total, gives_up)

    now = estimate(env, prices, usage)
    options = [option("as configured", env, "-")]
    zones = env.network.zones()
    if len(zones) > 2:
        kept = [n for n, s in sorted(env.network.subnets.items()) if s.zone in zones[:2]]
        runtime = tuple(r for r in env.network.runtime_subnets or () if r in kept) or None
        network = replace(
            env.network, subnets={n: env.network.subnets[n] for n in kept}, runtime_subnets=runtime
        )
        options.append(
            option(
                f"2 AZs instead of {len(zones)}",
                replace(env, network=network),
                "availability: losing one AZ leaves one endpoint ENI per service instead of two; "
                "runtimes may only use 2 AZs",
            )
        )
    options += [option(*variant) for variant in _flow_variants(env)]
    for count in workloads:
        options.append(
            WhatIf(
                f"{count} workloads sharing this VPC (per workload)",
                money(now.subtotal("interface endpoint") / count),
                money(now.total / count),
                "isolation: the workloads share endpoints, their policies and one blast radius",
            )
        )
    return options
