"""A picture of an environment's network (Graphviz): subnets per AZ, endpoints, security groups,
the rules its flows need, and the AWS sample's four flows, from the same data as the stack."""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path

from modules.facts.flows import FlowCatalog
from modules.facts.rules import Rule
from modules.flows.policies import groups_in_use, rules_in_use
from modules.kernel.errors import CommandError
from modules.stack.environment import Environment

COLOURS = {"1": "#1f77b4", "2": "#2ca02c", "3": "#9467bd", "4": "#d62728"}


def _label(*lines: str) -> str:
    return "\\n".join(line.replace('"', "'") for line in lines)


def _group_node(group: str) -> str:
    """A workload security group: VPC-wide, so drawn outside the AZs, joined to its subnets."""
    return (
        f'group_{group} [label="{_label(group.replace("_", " "), f"SG {group}")}", '
        'shape=hexagon, fillcolor="#e8f5e9"];'
    )


#: The colours of the rule arrows, apart from the sample flows' (COLOURS) so that no arrow reads as
#: a flow: what each kind of rule reaches.
RULE_COLOURS = {
    "a workload group (its port)": "#6a1b9a",
    "the interface endpoints' group (443)": "#455a64",
    "a gateway endpoint's prefix list (443)": "#8d6e63",
}
_TO_GROUP, _TO_INTERFACE, _TO_PREFIX_LIST = RULE_COLOURS.values()
#: The dotted lines: a subnet's workloads in their group, a subnet on the route table.
MEMBER_COLOUR, ROUTE_COLOUR = "#66bb6a", "#90a4ae"


def seed_flows(flows: FlowCatalog) -> dict[str, tuple[str, str]]:
    """Flow key -> (sample flow number, title) for the AWS sample's four flows (flows.json)."""
    return {key: (str(flow.seed), flow.title) for key, flow in flows.flows.items() if flow.seed}


def dot(env: Environment) -> str:
    """The DOT source: deterministic, so it can be compared with a committed copy."""
    flows = seed_flows(env.facts.flows)
    groups = [
        g
        for g in groups_in_use(env.vpc_endpoints.selected_flows, env.facts)
        if g != "vpc_endpoints"
    ]
    out = [
        *_graph_header(env),
        *_zones(env, groups),
        *_endpoint_clusters(env, flows),
        "  }",  # the VPC
        *_members(env, groups),
        *_edges(env),
        *_legend(flows),
        "}",
    ]
    return "\n".join(out) + "\n"


def _graph_header(env: Environment) -> list[str]:
    """The graph's defaults, the internet and the services outside, and the VPC's frame."""
    network = env.network
    title = _label(f"{env.stack_name}: private network for Bedrock AgentCore ({env.region})")
    vpc_label = _label(
        f"VPC {network.vpc_cidr}: DNS support and hostnames on; flow logs "
        f"({network.flow_log_traffic_type}) to a KMS-encrypted log group kept "
        f"{network.flow_log_retention_days or chr(8734)} days"
    )
    return [
        "digraph network {",
        '  graph [rankdir=LR, fontname="Helvetica", fontsize=14, labelloc=t, compound=true, '
        "nodesep=0.25, ranksep=0.9, "
        f'label="{title}"];',
        '  node [fontname="Helvetica", fontsize=10, shape=box, style="rounded,filled", '
        'fillcolor="#ffffff"];',
        '  edge [fontname="Helvetica", fontsize=9];',
        '  internet [label="Internet\\nno gateway, no route, no open rule", shape=octagon, '
        'style="dashed,filled", fillcolor="#fff0f0", color="#cc0000", fontcolor="#cc0000"];',
        '  services [label="AWS services\\nreached over PrivateLink", shape=cylinder, '
        'fillcolor="#fff8e1"];',
        "  subgraph cluster_vpc {",
        f'    label="{vpc_label}";',
        '    style="rounded"; color="#1565c0"; fontsize=11;',
    ]


def _zones(env: Environment, groups: list[str]) -> list[str]:
    """Each AZ with its subnets; the workload groups (a group spans every AZ of its role's
    subnets), the endpoints' group and the route table."""
    network, out = env.network, []
    for zone in network.zones():
        out.append(f"    subgraph cluster_az_{zone.replace('-', '_')} {{")
        out.append(f'      label="{zone}"; style="rounded,dashed"; color="#90a4ae";')
        for name in sorted(n for n, s in network.subnets.items() if s.zone == zone):
            role, subnet = network.role_of(name), network.subnets[name]
            lines = [
                f"subnet {name}",
                subnet.cidr,
                *([f"role {role}"] if role != name else []),
                "no public IPs",
            ]
            out.append(f'      subnet_{name} [label="{_label(*lines)}", fillcolor="#e3f2fd"];')
        out.append("    }")
    out += [f"    {_group_node(group)}" for group in groups]
    admits = "the VPC" if env.security_groups.endpoint_ingress == "vpc" else "the workload groups"
    return [
        *out,
        f'    group_vpc_endpoints [label="SG vpc_endpoints\\nHTTPS in from {admits} only", '
        'shape=hexagon, fillcolor="#fffde7"];',
        '    route_table [label="route table private\\nlocal + gateway endpoint routes only", '
        'shape=note, fillcolor="#f5f5f5"];',
    ]


def _members(env: Environment, groups: list[str]) -> list[str]:
    """Each workload group joined to every subnet of its role (in whichever AZ)."""
    network = env.network
    return [
        f"  subnet_{name} -> group_{network.role_of(name)} [arrowhead=none, style=dotted, "
        f'color="{MEMBER_COLOUR}"];'
        for name in sorted(network.subnets)
        if network.role_of(name) in groups
    ]


def _endpoint_clusters(env: Environment, flows: dict[str, tuple[str, str]]) -> list[str]:
    """The interface and the gateway endpoints, each marked with the sample flows it serves."""
    out = []
    for kind, title in (
        ("Interface", "Interface endpoints: private DNS, one ENI in every AZ"),
        ("Gateway", "Gateway endpoints: on the route table, free"),
    ):
        out.append(f"    subgraph cluster_{kind.lower()} {{")
        out.append(f'      label="{title}"; style="rounded"; color="#ef6c00";')
        for key in env.vpc_endpoints.selected:
            entry = env.facts.catalog.endpoints[key]
            if entry.type != kind:
                continue
            numbers = sorted(
                flows[f][0]
                for f in env.vpc_endpoints.selected_flows
                if f in flows and key in env.facts.flows.flows[f].endpoints
            )
            marks = [f"flow {number}" for number in numbers]
            colour = COLOURS[numbers[0]] if numbers else "#616161"
            label = _label(entry.service, ", ".join(marks)) if marks else _label(entry.service)
            out.append(f'      endpoint_{key} [label="{label}", color="{colour}", penwidth=1.5];')
        out.append("    }")
    return out


def _edges(env: Environment) -> list[str]:
    """Subnets to the route table, the rules the flows need, gateway routes, PrivateLink."""
    selected = env.vpc_endpoints.selected
    first_interface = next(
        (k for k in selected if env.facts.catalog.endpoints[k].type == "Interface"), None
    )
    out = [
        f'  subnet_{role} -> route_table [arrowhead=none, style=dotted, color="{ROUTE_COLOUR}"];'
        for role in env.network.subnets
    ]
    for rule in rules_in_use(
        env.vpc_endpoints.selected_flows, env.security_groups.endpoint_ingress, env.facts
    ).values():
        out += _rule_edge(rule, selected, first_interface)
    out += [
        f'  route_table -> endpoint_{key} [arrowhead=none, style=dashed, color="#ef6c00"];'
        for key in selected
        if env.facts.catalog.endpoints[key].type == "Gateway"
    ]
    if first_interface:
        out.append(
            f"  group_vpc_endpoints -> endpoint_{first_interface} [lhead=cluster_interface, "
            "arrowhead=none, style=dashed];"
        )
        out.append(
            f"  endpoint_{first_interface} -> services [ltail=cluster_interface, "
            'label="PrivateLink", color="#ef6c00"];'
        )
    return out


def _rule_edge(rule: Rule, selected: tuple[str, ...], first_interface: str | None) -> list[str]:
    """An egress rule as an arrow: to a workload group, to the interface endpoints (one arrow
    for the cluster), or to a gateway endpoint through its prefix list."""
    if rule.direction != "egress":
        return []
    if rule.peer_kind == "security_group" and rule.peer != "vpc_endpoints":
        return [
            f'  group_{rule.group} -> group_{rule.peer} [label="{rule.port}", color="{_TO_GROUP}"];'
        ]
    if rule.peer_kind == "security_group" and first_interface:
        return [
            f"  group_{rule.group} -> endpoint_{first_interface} [lhead=cluster_interface, "
            f'label="443", color="{_TO_INTERFACE}"];'
        ]
    if rule.peer_kind == "prefix_list" and rule.peer in selected:
        return [
            f'  group_{rule.group} -> endpoint_{rule.peer} [label="443 via prefix list", '
            f'color="{_TO_PREFIX_LIST}"];'
        ]
    return []


def _legend(flows: dict[str, tuple[str, str]]) -> list[str]:
    """The sample flows (the endpoints' colours), then the rule arrows' colours."""
    legend = "".join(
        f'<TR><TD ALIGN="LEFT"><FONT COLOR="{COLOURS[number]}">&#9632;</FONT> flow {number}: '
        f"{html.escape(text)}</TD></TR>"
        for number, text in sorted(flows.values())
    )
    arrows = "".join(
        f'<TR><TD ALIGN="LEFT"><FONT COLOR="{colour}">&#8594;</FONT> egress rule to '
        f"{html.escape(what)}</TD></TR>"
        for what, colour in RULE_COLOURS.items()
    )
    arrows += "".join(
        f'<TR><TD ALIGN="LEFT"><FONT COLOR="{colour}">&#8943;</FONT> {what}</TD></TR>'
        for what, colour in (
            ("a subnet's workloads run in the group", MEMBER_COLOUR),
            ("a subnet routes through the route table", ROUTE_COLOUR),
        )
    )
    return [
        '  legend [shape=plaintext, style="", label=<<TABLE BORDER="0" CELLBORDER="0" '
        'CELLSPACING="2">'
        '<TR><TD ALIGN="LEFT"><B>The AWS sample\'s four flows (endpoint colours)</B></TD></TR>'
        f"{legend}"
        f'<TR><TD ALIGN="LEFT"><B>Arrows</B></TD></TR>{arrows}</TABLE>>];'
    ]


def render(env: Environment, directory: Path) -> list[Path]:
    """Write <directory>/<stack>.dot, .svg and .png; Graphviz's `dot` lays them out."""
    binary = shutil.which("dot")
    if binary is None:
        raise CommandError(
            "Graphviz is not installed (no `dot` on PATH): apt-get install graphviz, or brew "
            "install graphviz."
        )
    directory.mkdir(parents=True, exist_ok=True)
    source = directory / f"{env.stack_name}.dot"
    source.write_text(dot(env))
    written = [source]
    for fmt, extra in (("svg", []), ("png", ["-Gdpi=110"])):
        target = directory / f"{env.stack_name}.{fmt}"
        completed = subprocess.run(
            [binary, f"-T{fmt}", *extra, "-o", str(target), str(source)],
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise CommandError(f"Graphviz could not draw {source}: {completed.stderr.strip()}")
        written.append(target)
    return written
