"""`cost`: the monthly cost of an environment, line by line, and what the alternatives cost.

Interface endpoints bill per endpoint per AZ-hour; gateway endpoints are free. Usage-based
lines appear when given usage. Prices: modules/reports/cost/prices.json (source and date per price),
overridable with --prices. No AWS access needed.
"""

from __future__ import annotations

import argparse
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from modules.cli import json_output
from modules.cli.commands.command import Command, environment_options
from modules.console import exit_codes
from modules.console.say import wrap
from modules.kernel.errors import CommandError, ConfigError
from modules.reports.cost.model import (
    USAGE_LINES,
    Estimate,
    PerWorkload,
    Usage,
    WhatIf,
    check_price_overrides,
    estimate,
    per_workload,
    price,
    priced_region,
    prices_for,
    shipped_prices,
    what_ifs,
)
from modules.stack.environment import load_environment


def gb(value: str) -> Decimal:
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a number of GB: {value!r}") from None
    if not amount.is_finite() or amount < 0:
        raise argparse.ArgumentTypeError(f"not a number of GB (0 or more): {value!r}")
    return amount


def workload_count(value: str) -> int:
    """A number of workloads sharing the network: a whole number, 1 or more."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"not a number of workloads (1 or more): {value!r}")
    return int(value)


def run(args: argparse.Namespace) -> int:
    env = load_environment(args.env)
    overrides = _price_overrides(args.prices)
    if not priced_region(env.region, overrides):
        raise CommandError(
            f"modules/reports/cost/prices.json has no prices for {env.region}, and a guess would "
            "be a wrong bill. Give them with --prices FILE: "
            f'{{"regions": {{"{env.region}": {{"interface_endpoint_hour": 0.01}}}}}} '
            "(from https://aws.amazon.com/privatelink/pricing/; an empty object takes the "
            "us-east-1 prices)."
        )
    prices = prices_for(env.region, overrides)
    usage = Usage(args.data_gb, args.flow_log_gb)
    cost = estimate(env, prices, usage)
    counts = tuple(args.workloads or ([env.workloads] if env.workloads else []))
    shares = [per_workload(cost, count) for count in counts]
    alternatives = what_ifs(env, prices, usage, counts or (2, 5, 10)) if args.what_if else []
    if args.json:
        return json_output.emit(
            "cost",
            "ok",
            exit_codes.SUCCESS,
            _as_json(env.region, cost, alternatives, shares),
            stack=env.stack_name,
        )
    print(cost_report(env.stack_name, env.region, cost, prices, args.prices))
    if shares:
        print()
        print(per_workload_report(shares, sharing=env.subnet_sharing is not None))
    if alternatives:
        print()
        print(what_if_report(alternatives, cost.total))
    return 0


def _price_overrides(path: Path | None) -> dict[str, Any] | None:
    """The prices of --prices, checked like an environment file; None without it."""
    if path is None:
        return None
    try:
        overrides: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise ConfigError(
            "--prices",
            f"not a readable JSON file ({error})",
            str(path),
            "Give a JSON file shaped like modules/reports/cost/prices.json.",
        ) from None
    check_price_overrides(overrides)
    return overrides


def _as_json(
    region: str, cost: Estimate, alternatives: list[WhatIf], shares: list[PerWorkload]
) -> dict[str, Any]:
    """The payload of ``cost --json``: every figure as a decimal string."""
    return {
        "region": region,
        "currency": shipped_prices()["currency"],
        "lines": [
            {
                "item": line.item,
                "quantity": line.quantity,
                "unit_price": price(line.unit_price),
                "monthly": str(line.monthly),
            }
            for line in cost.lines
        ],
        "interface_endpoints": str(cost.subtotal("interface endpoint")),
        "total": str(cost.total),
        "what_if": [
            {
                "scenario": w.name,
                "interface_endpoints": str(w.endpoints),
                "total": str(w.monthly),
                "gives_up": w.gives_up,
            }
            for w in alternatives
        ],
        "per_workload": [
            {
                "workloads": share.workloads,
                "interface_endpoints_each": str(share.interface_endpoints_each),
                "shared_each": str(share.shared_each),
                "unshared_each": str(share.unshared_each),
                "unshared_total": str(share.unshared_total),
                "saving": str(share.saving),
            }
            for share in shares
        ],
    }


def cost_report(
    stack: str, region: str, cost: Any, prices: dict[str, Any], overrides: Path | None = None
) -> str:
    checked = shipped_prices()["sources"]["interface_endpoint_hour"]["checked"]
    source = f"prices checked {checked}"
    if overrides is not None:
        source = f"prices from {overrides}, the others as checked {checked}"
    rows = [
        wrap(
            f"Monthly cost of {stack} in {region} (USD, {prices['hours_per_month']} h a month, "
            f"{source})"
        ),
        f"  {'item':44} {'quantity':20} {'unit price':>10} {'monthly':>9}",
    ]
    for line in cost.lines:
        rows.append(
            f"  {line.item:44} {line.quantity:20} {price(line.unit_price):>10} {line.monthly:>9}"
        )
    interface = [line for line in cost.lines if line.item.startswith("interface endpoint")]
    rows.append(
        f"  {'interface endpoints (' + str(len(interface)) + ')':44} {'':20} {'':>10} "
        f"{cost.subtotal('interface endpoint'):>9}"
    )
    rows.append(f"  {'total':44} {'':20} {'':>10} {cost.total:>9}")
    if not any(line.item.startswith(USAGE_LINES) for line in cost.lines):
        rows.append(
            wrap(
                "Not included without usage figures: PrivateLink data processing (--data-gb), "
                "flow-log ingestion and storage (--flow-log-gb), KMS and API requests.",
                "  ",
                "  ",
            )
        )
    return "\n".join(rows)


def what_if_report(alternatives: Any, now: Decimal) -> str:
    rows = [f"  {'what if':56} {'endpoints':>9} {'total':>9} {'vs now':>8}"]
    for w in alternatives:
        delta = w.monthly - now
        name = w.name
        if len(name) > 56:  # a long scenario on its own line, its figures under the columns
            rows.append(wrap(name, "  ", "  "))
            name = ""
        rows.append(f"  {name:56} {w.endpoints:>9} {w.monthly:>9} {delta:>+8}")
        rows.append(wrap(f"gives up: {w.gives_up}", "      ", " " * 16))
    return "\n".join(rows)


def per_workload_report(shares: list[PerWorkload], *, sharing: bool) -> str:
    how = "through AWS RAM (subnet_sharing)" if sharing else "if they shared it (subnet_sharing)"
    rows = [
        wrap(
            "Per workload: the fixed monthly cost (endpoint hours, KMS key) that each workload "
            f"pays, sharing this network {how}, beside each deploying its own copy; usage lines "
            "are billed per GB either way."
        ),
        f"  {'workloads':>9} {'endpoints each':>14} {'shared each':>11} {'unshared each':>13} "
        f"{'unshared, all':>13} {'saving':>9}",
    ]
    for share in shares:
        rows.append(
            f"  {share.workloads:>9} {share.interface_endpoints_each:>14} {share.shared_each:>11} "
            f"{share.unshared_each:>13} {share.unshared_total:>13} {share.saving:>9}"
        )
    return "\n".join(rows)


def options(parser: argparse.ArgumentParser) -> None:
    environment_options(parser, local=False)
    parser.add_argument(
        "--what-if",
        action="store_true",
        help="alternatives side by side: 2 AZs, without optional flows, shared by N workloads",
    )
    parser.add_argument(
        "--data-gb",
        type=gb,
        default=0,
        metavar="GB",
        help="PrivateLink data processed a month (tiered price)",
    )
    parser.add_argument(
        "--flow-log-gb",
        type=gb,
        default=0,
        metavar="GB",
        help="flow logs ingested a month (ingestion and steady-state storage)",
    )
    parser.add_argument(
        "--workloads",
        type=workload_count,
        nargs="+",
        metavar="N",
        help="how many workloads share the network: what each pays, shared and unshared "
        "(default: the environment's subnet_sharing.workloads; the what-if takes 2 5 10)",
    )
    parser.add_argument(
        "--prices", type=Path, metavar="FILE", help="price overrides, shaped like prices.json"
    )
    parser.add_argument("--json", action="store_true", help="machine-readable report on stdout")


COMMAND = Command(
    name="cost",
    summary=(
        "monthly cost, per endpoint and AZ, and what-ifs with what each gives up (no AWS access)"
    ),
    example="python main.py cost --env prod --what-if --data-gb 500",
    exit_codes="0, 1 error",
    synopsis="`cost [--what-if] [--data-gb GB] [--flow-log-gb GB] [--prices FILE] [--json]`",
    does=(
        "monthly cost per endpoint and AZ from priced data, optional usage lines, and "
        "alternatives side by side with what each gives up"
    ),
    json="own",
    options=options,
    run=run,
    conflicts=(),
)
