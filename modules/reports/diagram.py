"""A picture of an environment's network (Graphviz): subnets per AZ, endpoints, security groups,
the rules its flows need, and the seed's four flows, from the same data as the stack."""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path

from modules.flows.model import flow_catalog
from modules.flows.policies import groups_in_use, rules_in_use
from modules.kernel.errors import CommandError
from modules.stack.environment import Environment
from modules.vpc_endpoints.catalog import catalog

COLOURS = {"1": "#1f77b4", "2": "#2ca02c", "3": "#9467bd", "4": "#d62728"}


def _label(*lines: str) -> str:
    return "\\n".join(line.replace('"', "'") for line in lines)


def _group_node(group: str) -> str:
    """A workload security group; drawn in its subnet's AZ when a subnet has its name."""
    return (
        f'group_{group} [label="{_label(group.replace("_", " "), f"SG {group}")}", '
        'shape=hexagon, fillcolor="#e8f5e9"];'
    )


def seed_flows() -> dict[str, tuple[str, str]]:
    """Flow key -> (seed flow number, title) for the seed's four flows (flows.json)."""
    return {
        key: (str(flow.seed), flow.title) for key, flow in flow_catalog().flows.items() if flow.seed
    }


def dot(env: Environment) -> str:
    """The DOT source: deterministic, so it can be compared with a committed copy."""
    network, selected = env.network, env.vpc_endpoints.selected
    flows = seed_flows()
    groups = [g for g in groups_in_use(env.vpc_endpoints.selected_flows) if g != "vpc_endpoints"]
    title = _label(f"{env.stack_name}: private network for Bedrock AgentCore ({env.region})")
    vpc_label = _label(
        f"VPC {network.vpc_cidr}: DNS support and hostnames on; flow logs "
        f"({network.flow_log_traffic_type}) to a KMS-encrypted log group kept "
        f"{network.flow_log_retention_days or chr(8734)} days"
    )
    out = [
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
    placed: set[str] = set()
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
            if role in groups and role not in placed:
                out.append(f"      {_group_node(role)}")
                placed.add(role)
        out.append("    }")
    for group in groups:
        if group not in placed:
            out.append(f"    {_group_node(group)}")
    admits = "the VPC" if env.security_groups.endpoint_ingress == "vpc" else "the workload groups"
    out.append(
        f'    group_vpc_endpoints [label="SG vpc_endpoints\\nHTTPS in from {admits} only", '
        'shape=hexagon, fillcolor="#fffde7"];'
    )
    out.append(
        '    route_table [label="route table private\\nlocal + gateway endpoint routes only", '
        'shape=note, fillcolor="#f5f5f5"];'
    )
    for kind, title in (
        ("Interface", "Interface endpoints: private DNS, one ENI in every AZ"),
        ("Gateway", "Gateway endpoints: on the route table, free"),
    ):
        out.append(f"    subgraph cluster_{kind.lower()} {{")
        out.append(f'      label="{title}"; style="rounded"; color="#ef6c00";')
        for key in selected:
            entry = catalog().endpoints[key]
            if entry.type != kind:
                continue
            numbers = sorted(
                flows[f][0]
                for f in env.vpc_endpoints.selected_flows
                if f in flows and key in flow_catalog().flows[f].endpoints
            )
            marks = [f"flow {number}" for number in numbers]
            colour = COLOURS[numbers[0]] if numbers else "#616161"
            label = _label(entry.service, ", ".join(marks)) if marks else _label(entry.service)
            out.append(f'      endpoint_{key} [label="{label}", color="{colour}", penwidth=1.5];')
        out.append("    }")
    out.append("  }")
    first_interface = next(
        (k for k in selected if catalog().endpoints[k].type == "Interface"), None
    )
    for role in network.subnets:
        out.append(
            f'  subnet_{role} -> route_table [arrowhead=none, style=dotted, color="#90a4ae"];'
        )
    for rule in rules_in_use(
        env.vpc_endpoints.selected_flows, env.security_groups.endpoint_ingress
    ).values():
        if (
            rule.direction == "egress"
            and rule.peer_kind == "security_group"
            and rule.peer != "vpc_endpoints"
        ):
            out.append(
                f'  group_{rule.group} -> group_{rule.peer} [label="{rule.port}", color="#6a1b9a"];'
            )
        elif rule.direction == "egress" and rule.peer_kind == "security_group" and first_interface:
            out.append(
                f"  group_{rule.group} -> endpoint_{first_interface} [lhead=cluster_interface, "
                'label="443", color="#455a64"];'
            )
        elif (
            rule.direction == "egress" and rule.peer_kind == "prefix_list" and rule.peer in selected
        ):
            out.append(
                f'  group_{rule.group} -> endpoint_{rule.peer} [label="443 via prefix list", '
                'color="#2e7d32"];'
            )
    for key in selected:
        if catalog().endpoints[key].type == "Gateway":
            out.append(
                f'  route_table -> endpoint_{key} [arrowhead=none, style=dashed, color="#ef6c00"];'
            )
    if first_interface:
        out.append(
            f"  group_vpc_endpoints -> endpoint_{first_interface} [lhead=cluster_interface, "
            "arrowhead=none, style=dashed];"
        )
        out.append(
            f"  endpoint_{first_interface} -> services [ltail=cluster_interface, "
            'label="PrivateLink", color="#ef6c00"];'
        )
    legend = "".join(
        f'<TR><TD ALIGN="LEFT"><FONT COLOR="{COLOURS[number]}">&#9632;</FONT> flow {number}: '
        f"{html.escape(text)}</TD></TR>"
        for number, text in sorted(flows.values())
    )
    out.append(
        '  legend [shape=plaintext, style="", label=<<TABLE BORDER="0" CELLBORDER="0" '
        'CELLSPACING="2">'
        f'<TR><TD ALIGN="LEFT"><B>The seed\'s four flows</B></TD></TR>{legend}</TABLE>>];'
    )
    out.append("}")
    return "\n".join(out) + "\n"


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
