"""cost: the AWS sample's figures to the cent, tiers, overrides, usage lines and what-ifs."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from modules.cli import commands
from modules.network.config import SubnetConfig
from modules.reports.cost.model import Usage, estimate, prices_for, what_ifs
from modules.stack.environment import load_environment
from tests import tfvars
from tests.cli_json import payload
from tests.conftest import FIXTURE_ENVIRONMENTS

DEV = load_environment("dev")
PRICES = prices_for("us-west-2")


def test_the_seeds_figure_to_the_cent() -> None:
    # the AWS sample: 12 interface endpoints x 3 AZs x $0.01 x 730 h = $262.80
    cost = estimate(DEV, PRICES)
    assert cost.subtotal("interface endpoint") == Decimal("262.80")
    assert [line.monthly for line in cost.lines if line.item.startswith("interface endpoint")] == [
        Decimal("21.90")
    ] * 12
    assert [line.monthly for line in cost.lines if line.item.startswith("gateway endpoint")] == [
        Decimal("0.00")
    ] * 2
    assert cost.total == Decimal("263.80")  # plus the flow-log KMS key


def test_the_seeds_two_az_figure_to_the_cent() -> None:
    # the AWS sample: 12 x 2 AZs x $0.01 x 730 h = $175.20, saving $87.60
    (two_azs,) = [w for w in what_ifs(DEV, PRICES) if w.name == "2 AZs instead of 3"]
    assert two_azs.endpoints == Decimal("175.20")
    assert estimate(DEV, PRICES).subtotal("interface endpoint") - two_azs.endpoints == Decimal(
        "87.60"
    )
    assert "availability" in two_azs.gives_up


def test_prices_differ_by_region_and_can_be_overridden() -> None:
    london = replace(
        DEV,
        region="eu-west-2",
        network=replace(
            DEV.network,
            region="eu-west-2",
            runtime_subnets=None,
            subnets={
                f"s{i}": SubnetConfig(cidr=f"10.0.{i}.0/24", az=f"eu-west-2{az}")
                for i, az in enumerate("abc")
            },
        ),
    )
    assert estimate(london, prices_for("eu-west-2")).subtotal("interface endpoint") == Decimal(
        "289.08"
    )
    overridden = prices_for(
        "us-west-2", {"regions": {"us-west-2": {"interface_endpoint_hour": 0.02}}}
    )
    assert estimate(DEV, overridden).subtotal("interface endpoint") == Decimal("525.60")


def test_data_processing_is_tiered() -> None:
    first_petabyte = Decimal(1048576)
    one_pb = estimate(DEV, PRICES, Usage(data_processed_gb=first_petabyte))
    more = estimate(DEV, PRICES, Usage(data_processed_gb=first_petabyte + 1000))

    def processed(cost: Any) -> Decimal:
        return next(
            line.monthly for line in cost.lines if line.item == "PrivateLink data processed"
        )

    assert processed(one_pb) == Decimal("10485.76")
    assert processed(more) - processed(one_pb) == Decimal("6.00")  # $0.006 per GB past the first PB
    # The unit price shown is the average a GB costs at that volume, not 0.00.
    (line,) = [line for line in more.lines if line.item == "PrivateLink data processed"]
    gb = first_petabyte + 1000
    assert line.quantity.endswith("GB, tiered") and line.unit_price > 0
    assert abs(line.unit_price * gb - line.monthly) <= gb * Decimal("0.00005")


def test_a_prices_file_is_named_as_the_source_of_the_prices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "prices.json"
    mine.write_text('{"regions": {"us-west-2": {"interface_endpoint_hour": 0.011}}}')
    assert commands.run(["cost", "--prices", str(mine)]) == 0
    header = " ".join(capsys.readouterr().out.split("item")[0].split())
    assert f"prices from {mine}, the others as checked" in header


def test_flow_log_usage_adds_ingestion_and_steady_state_storage() -> None:
    cost = estimate(DEV, PRICES, Usage(flow_log_gb=Decimal(100)))
    lines = {line.item: line.monthly for line in cost.lines}
    assert lines["flow log ingestion"] == Decimal("50.00")
    assert lines["flow log storage (steady state)"] == Decimal(
        "36.00"
    )  # 100 GB x 12 months x $0.03


def test_what_ifs_drop_what_only_one_flow_needs_and_say_what_is_lost() -> None:
    options = {w.name: w for w in what_ifs(DEV, PRICES)}
    # Secrets Manager also serves AgentCore Identity: dropping Aurora saves kms and rds_data only.
    aurora = options["without flow agent_queries_aurora (drops kms, rds_data)"]
    assert aurora.endpoints == Decimal("219.00") and "Agent queries Aurora" in aurora.gives_up
    assert not any(
        "agent_uses_memory" in name for name in options
    )  # its endpoint serves other flows
    assert options["with flow ec2_api (adds ec2)"].endpoints == Decimal("284.70")
    assert options["5 workloads sharing this VPC (per workload)"].monthly == Decimal("52.76")
    assert all(w.gives_up for w in options.values())


def test_cost_json_and_bad_prices_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert commands.run(["cost", "--what-if", "--json"]) == 0
    report = payload(capsys.readouterr().out)
    assert (report["interface_endpoints"], report["total"]) == ("262.80", "263.80")
    assert any(
        w["scenario"] == "2 AZs instead of 3" and w["interface_endpoints"] == "175.20"
        for w in report["what_if"]
    )
    broken = tmp_path / "prices.json"
    broken.write_text("{")
    assert commands.run(["cost", "--prices", str(broken)]) == 1
    assert "--prices: not a readable JSON file" in capsys.readouterr().err


def test_a_two_az_environment_costs_the_seeds_optimisation(tmp_path: Path) -> None:
    values = tfvars.shipped("dev")
    values["subnets"] = {k: v for k, v in list(values["subnets"].items())[:2]}
    tfvars.write(tmp_path, "two", values)
    assert estimate(load_environment("two", tmp_path), PRICES).subtotal(
        "interface endpoint"
    ) == Decimal("175.20")


def test_a_region_without_prices_is_refused_with_the_way_to_price_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests import tfvars

    values = tfvars.shipped("dev")
    values.update(
        region="eu-central-1",
        name="agentcore-eu",
        subnets={
            role: {**subnet, "az": subnet["az"].replace("us-west-2", "eu-central-1")}
            for role, subnet in values["subnets"].items()
        },
    )
    tfvars.write(tmp_path / "envs", "eu", values)
    monkeypatch.setenv("AGENTCORE_ENVIRONMENTS_DIR", str(tmp_path / "envs"))
    assert commands.run(["cost", "--env", "eu"]) == 1
    assert "has no prices for eu-central-1" in capsys.readouterr().err
    prices = tmp_path / "prices.json"
    prices.write_text('{"regions": {"eu-central-1": {"interface_endpoint_hour": 0.012}}}')
    assert commands.run(["cost", "--env", "eu", "--prices", str(prices), "--json"]) == 0
    assert (
        payload(capsys.readouterr().out)["interface_endpoints"] == "315.36"
    )  # 12 x 3 x 730 x 0.012


def test_cost_per_workload_from_the_environment_and_from_the_option(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENTCORE_ENVIRONMENTS_DIR", str(FIXTURE_ENVIRONMENTS))
    assert commands.run(["cost", "--env", "shared", "--json"]) == 0
    (six,) = payload(capsys.readouterr().out)["per_workload"]  # subnet_sharing.workloads = 6
    # 12 interface endpoints x 3 AZs = 262.80 + the KMS key 1.00, split six ways or paid six times
    assert six == {
        "workloads": 6,
        "interface_endpoints_each": "43.80",
        "shared_each": "43.97",
        "unshared_each": "263.80",
        "unshared_total": "1582.80",
        "saving": "1318.98",
    }
    assert commands.run(["cost", "--env", "shared", "--workloads", "2", "12"]) == 0
    report = capsys.readouterr().out
    assert "through AWS RAM (subnet_sharing)" in report
    rows = [line.split() for line in report.splitlines()]
    assert ["12", "21.90", "21.98", "263.80", "3165.60", "2901.84"] in rows
    monkeypatch.delenv("AGENTCORE_ENVIRONMENTS_DIR")
    assert commands.run(["cost", "--json"]) == 0  # dev says nothing of workloads: none shown
    assert payload(capsys.readouterr().out)["per_workload"] == []
