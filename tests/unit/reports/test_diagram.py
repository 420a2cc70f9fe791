"""diagram: the committed pictures match the configuration, and every part of the network is
drawn."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from modules.cli import commands
from modules.facts.facts import shipped
from modules.flows.policies import groups_in_use
from modules.reports.diagram import COLOURS, RULE_COLOURS, dot, render, seed_flows
from modules.stack.environment import PROJECT_ROOT, environment_names, load_environment

DIAGRAMS = PROJECT_ROOT / "help" / "diagrams"
FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "environments"


@pytest.mark.parametrize("name", environment_names())
def test_committed_diagram_matches_the_environment(name: str) -> None:
    env = load_environment(name)
    committed = DIAGRAMS / f"{env.stack_name}.dot"
    assert committed.exists(), "run: python main.py diagram --all --output help/diagrams"
    assert committed.read_text() == dot(env), (
        "stale diagram: python main.py diagram --all --output help/diagrams"
    )
    for fmt in ("svg", "png"):
        assert (DIAGRAMS / f"{env.stack_name}.{fmt}").stat().st_size > 0


def _nodes(source: str) -> dict[str, str]:
    return dict(re.findall(r'^\s+(\w+) \[label="([^"]*)"', source, re.MULTILINE))


@pytest.mark.parametrize("name,directory", [("dev", None), ("eu", FIXTURES)])
def test_every_subnet_group_and_selected_endpoint_is_drawn(
    name: str, directory: Path | None
) -> None:
    env = load_environment(name, directory)
    nodes = _nodes(dot(env))
    for role, subnet in env.network.subnets.items():
        assert subnet.cidr in nodes[f"subnet_{role}"]
    for group in groups_in_use(env.vpc_endpoints.selected_flows, shipped()):
        assert f"group_{group}" in nodes
    assert ("group_data_tier" in nodes) == any(
        shipped().flows.flows[f].targets for f in env.vpc_endpoints.selected_flows
    )
    drawn = {key.removeprefix("endpoint_") for key in nodes if key.startswith("endpoint_")}
    assert drawn == set(env.vpc_endpoints.selected)
    assert f"{env.stack_name}" in dot(env) and env.network.vpc_cidr in dot(env)


def test_the_seeds_four_flows_are_marked_and_explained() -> None:
    source = dot(load_environment("dev"))
    assert sorted(number for number, _ in seed_flows(shipped().flows).values()) == [
        "1",
        "2",
        "3",
        "4",
    ]
    for key, flow in shipped().flows.flows.items():
        if key in seed_flows(shipped().flows):
            for endpoint in flow.endpoints:
                assert (
                    f"flow {seed_flows(shipped().flows)[key][0]}"
                    in _nodes(source)[f"endpoint_{endpoint}"]
                )
    assert source.count("flow 1: ") == 1 and source.count("flow 4: ") == 1


def test_the_internet_has_no_edge() -> None:
    assert not re.search(r"internet\s*->|->\s*internet", dot(load_environment("dev")))


def test_render_writes_svg_and_png_with_every_endpoint(tmp_path: Path) -> None:
    env = load_environment("dev")
    written = render(env, tmp_path)
    assert [p.suffix for p in written] == [".dot", ".svg", ".png"]
    assert (tmp_path / "network-dev.png").read_bytes().startswith(b"\x89PNG")
    svg = html.unescape((tmp_path / "network-dev.svg").read_text())
    for key in env.vpc_endpoints.selected:
        assert f">{shipped().catalog.endpoints[key].service}</text>" in svg


def test_without_graphviz_the_command_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert commands.run(["diagram", "--output", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "Graphviz" in err and "apt-get install graphviz" in err and "Traceback" not in err


def test_a_group_spans_every_az_of_its_subnets() -> None:
    """prod runs each runtime role in two AZs: its group is drawn once, outside the AZs, and
    joined to the role's subnet in each."""
    env = load_environment("prod")
    source = dot(env)
    for zone_block in re.findall(r"subgraph cluster_az_\w+ \{(.*?)\n    \}", source, re.S):
        assert "group_" not in zone_block
    for role in ("agent_runtime", "mcp_runtime"):
        subnets = [n for n in env.network.subnets if env.network.role_of(n) == role]
        zones = {env.network.subnets[n].zone for n in subnets}
        assert len(zones) == 2
        for name in subnets:
            assert re.search(rf"subnet_{name} -> group_{role} \[", source), name


def test_no_rule_arrow_is_coloured_as_a_flow() -> None:
    source = dot(load_environment("prod"))
    arrows = re.findall(r"group_\w+ -> \w+ \[[^\]]*color=\"(#[0-9a-f]+)\"", source)
    assert arrows and not set(arrows) & set(COLOURS.values())
    for colour in RULE_COLOURS.values():
        assert colour in _legend_of(source)


def _legend_of(source: str) -> str:
    return source[source.index("legend [") :]
