"""Generated documentation: tables in help/ and the twins' READMEs, and the migration file.

Everything here is derived from the catalog, the HCL twins and the synthesized stack, so the
docs cannot drift. `python -m tools.docs` rewrites it all; tests fail when anything is
stale.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from modules import __version__
from modules.facts.aws_constraints import constraints
from modules.facts.facts import shipped
from modules.stack.environment import PROJECT_ROOT
from modules.stack.twins import parse_terraform
from tools import module_pin

if TYPE_CHECKING:
    from modules.facts.flows import Call, Workload

HELP = PROJECT_ROOT / "help"
_BLOCK = re.compile(r"(<!-- generated: (?P<name>[a-z_]+) -->\n).*?(<!-- end generated -->)", re.S)


def endpoint_table(page: Path) -> str:
    from modules.flows.policies import calls_through

    defaults = shipped().flows.defaults()
    rows = [
        "| key | service | type | custom policy ([catalog.json](../modules/facts/catalog.json)) "
        "| flows through it | policy with the default flows: statement (Sid): actions |",
        "|---|---|---|---|---|---|",
    ]
    for key, entry in shipped().catalog.endpoints.items():
        users = [
            f"`{f}`" + ("" if f in defaults else " (opt-in)")
            for f, flow in sorted(shipped().flows.flows.items())
            if key in flow.endpoints
        ]
        policy = (
            "; ".join(
                f"{c.sid}: {_code_list(list(c.actions))}"
                for c in calls_through(key, defaults, shipped())
            )
            or "(not deployed by default)"
        )
        custom = (
            "no: AWS's full access"
            if not entry.custom_policy
            else "yes"
            if entry.policy_confirmed
            else "unconfirmed: checked at plan"
        )
        rows.append(
            f"| `{key}` | `{entry.service}` | {entry.type} | {custom} | {', '.join(users)} | "
            f"{policy} |"
        )
    return "\n".join(rows)


def flow_table(page: Path) -> str:

    rows = [
        "| flow | sample | default | from | what | endpoints (or group inside the VPC) |",
        "|---|---|---|---|---|---|",
    ]
    for key, flow in sorted(shipped().flows.flows.items()):
        rows.append(
            f"| `{key}` | {flow.seed or ''} | {'yes' if flow.default else 'no'} | "
            f"{', '.join(flow.sources)} | {flow.description} | "
            f"{_code_list([*flow.endpoints, *(f'group {t}' for t in flow.targets)])} |"
        )
    return "\n".join(rows)


def flow_details(page: Path) -> str:
    """Per flow: where it comes from, and each call's hops (DNS, path, port, signer) and actions."""
    from modules.facts.rules import ENDPOINT_GROUP
    from modules.flows.policies import rules_in_use

    rules: dict[tuple[str, str, str, str], str] = {
        (r.group, r.direction, r.peer_kind, r.peer): k
        for k, r in rules_in_use(shipped().flows.flows, "vpc", shipped()).items()
    }
    ingress = ", ".join(
        f"`{k}`"
        for (group, direction, _, _), k in rules.items()
        if direction == "ingress" and group == ENDPOINT_GROUP
    )
    out = []
    for key, flow in sorted(shipped().flows.flows.items()):
        seed = f"sample flow {flow.seed}, " if flow.seed else ""
        out += [
            f"### `{key}`: {flow.title} ({seed}{'default' if flow.default else 'opt-in'})",
            "",
            flow.description,
            "",
        ]
        workloads = [shipped().flows.workloads[w] for w in flow.sources]
        out.append(
            "From: "
            + "; ".join(
                f"{w.key} (group `{w.security_group}`, subnets {', '.join(w.subnets)})"
                for w in workloads
            )
            + "."
        )
        out += [
            "",
            "| call (Sid) | DNS name | hops | port | signed by | owned by | actions "
            "| on resources |",
            "|---|---|---|---|---|---|---|---|",
        ]
        out += [_call_row(call, workloads, rules, ingress) for call in flow.calls]
        notes = [f"{c.sid}: {c.unconfirmed}" for c in flow.calls if c.unconfirmed]
        out += [""] + ([f"Unconfirmed: {'; '.join(notes)}.", ""] if notes else [])
        if flow.beyond_network:
            out += [f"**Beyond the network.** {flow.beyond_network}", ""]
        out += [f"Sources: {'; '.join(_source_link(ref, page) for ref in flow.refs)}.", ""]
    return "\n".join(out).rstrip()


def _call_row(
    call: Call,
    workloads: list[Workload],
    rules: dict[tuple[str, str, str, str], str],
    ingress: str,
) -> str:
    """One call of a flow as a table row: its DNS name, the hops and rules it passes, its port,
    who signs it, and the actions the endpoint policy allows it."""
    from modules.facts.flows import call_peer

    kind, peer, _ = call_peer(call, shipped().catalog)
    egress = ", ".join(f"`{rules[(w.security_group, 'egress', kind, peer)]}`" for w in workloads)
    if call.target is not None:  # no AWS API: the database's own login, no endpoint policy
        admits = ", ".join(
            f"`{rules[(peer, 'ingress', 'security_group', w.security_group)]}`" for w in workloads
        )
        hops = f"inside the VPC -> group `{peer}`; egress {egress}; ingress {admits}"
        return (
            f"| {call.sid} | `{call.dns}` | {hops} | {call.port} | database login | the database "
            "| none | none |"
        )
    if kind == "prefix_list":
        hops = (
            f"route table: {peer} prefix list -> gateway endpoint `{call.endpoint}`; "
            f"egress {egress}"
        )
    else:
        hops = (
            f"private DNS -> interface endpoint `{call.endpoint}`; egress {egress}; "
            f"ingress {ingress}"
        )
    return (
        f"| {call.sid} | `{call.dns}` | {hops} | {call.port} | "
        f"{', '.join(call.signers)} | {call.owner} | "
        f"{_code_list(list(call.actions))} | {_code_list(list(call.resources))} |"
    )


def _source_link(ref: str, page: Path) -> str:
    """A reference of flows.json as a link: ``help/sources.md#aws-sample (flow 1)`` ->
    ``[aws-sample](sources.md#aws-sample) (flow 1)``; an address as it is."""
    match = re.match(r"^(help/sources\.md)#([\w-]+)(.*)$", ref)
    if not match:
        return ref
    target = os.path.relpath(PROJECT_ROOT / match.group(1), page.parent)
    return f"[{match.group(2)}]({target}#{match.group(2)}){match.group(3)}"


def flow_proof_table(page: Path) -> str:
    from modules.checks.verify import flow_results, model_of
    from modules.flows.proof import summary_line

    rows = ["| flow | what | result on dev | hops proven |", "|---|---|---|---|"]
    for result in flow_results(model_of(_dev_stack(), "dev")):
        proven = sum(1 for h in result.hops if h.ok)
        rows.append(
            f"| `{result.flow.key}` | {result.flow.title} | {summary_line(result)} | "
            f"{proven} of {len(result.hops)} |"
        )
    return "\n".join(rows)


def _expression(value: Any) -> str:
    if isinstance(value, str) and value.startswith("${") and value.endswith("}"):
        return value[2:-1]
    return json.dumps(value)


def inputs_table(page: Path) -> str:
    rows = ["| name | type | default | description |", "|---|---|---|---|"]
    for block in parse_terraform(page.parent).get("variable", []):
        for name, body in block.items():
            default = "required" if "default" not in body else f"`{_expression(body['default'])}`"
            kind = str(body["type"]).removeprefix("${").removesuffix("}")
            rows.append(f"| `{name}` | `{kind}` | {default} | {body['description']} |")
    return "\n".join(rows)


def outputs_table(page: Path) -> str:
    rows = ["| name | description |", "|---|---|"]
    for block in parse_terraform(page.parent).get("output", []):
        for name, body in block.items():
            rows.append(f"| `{name}` | {body['description']} |")
    return "\n".join(rows)


def state_mv_block(page: Path) -> str:
    from modules.stack.twins import state_mv_commands

    return "```bash\n" + state_mv_commands(_addresses()) + "\n```"


def severity_table(page: Path) -> str:
    from modules.checks.drift.severity import rules

    rows = ["| resource type | attributes | severity | why |", "|---|---|---|---|"]
    for rule in rules()["attributes"]:
        rows.append(
            f"| `{rule['type']}` | {_code_list(rule['attributes'])} | {rule['severity']} | "
            f"{rule['why']} |"
        )
    for rule in rules()["ignored"]:
        rows.append(
            f"| `{rule['type']}` | {_code_list(rule['attributes'])} | not reported | "
            f"{rule['why']} |"
        )
    default = rules()["default"]
    rows.append(f"| any other | | {default['severity']} | {default['why']} |")
    return "\n".join(rows)


def unmanaged_table(page: Path) -> str:
    from modules.checks.drift.severity import rules

    rows = ["| addition | severity | why |", "|---|---|---|"]
    for kind, entry in rules()["unmanaged"].items():
        rows.append(f"| {kind.replace('_', ' ')} | {entry['severity']} | {entry['why']} |")
    return "\n".join(rows)


def check_rules_table(page: Path) -> str:
    from modules.checks.registry import READ_BY, rules

    rows = [
        "| rule | reads (run by) | severity | hop | holds when | fix |",
        "|---|---|---|---|---|---|",
    ]
    for rule in rules().values():
        severity = rule.severity + ("" if rule.suppressible else " (cannot be suppressed)")
        rows.append(
            f"| `{rule.id}` | {rule.reads} ({READ_BY[rule.reads]}) | {severity} | `{rule.hop}` | "
            f"{rule.title} | {rule.fix} |"
        )
    return "\n".join(rows)


BENCH_RESULTS = PROJECT_ROOT / "bench" / "results.json"


def benchmark_table(results_path: Path = BENCH_RESULTS) -> str:
    """The latest bench/results.json as markdown: targets first, then every case."""
    results = json.loads(results_path.read_text())
    rows = [
        f"Measured {results['date']} on {results['machine']}, median of {results['repeat']} runs.",
        "",
        "| target | measured | limit | met |",
        "|---|---|---|---|",
    ]
    for key, target in results["targets"].items():
        value = results["ratios"][key]
        shown = f"{value:.0f}" if key.endswith("_mb") else f"{value:.3f}"
        rows.append(
            f"| {target['what']} | {shown} | {target['op']} {target['limit']} | "
            f"{'yes' if target['met'] else 'NO'} |"
        )
    rows += ["", "| case | wall time (s) | peak RSS, process tree (MB) |", "|---|---|---|"]
    for name, case in results["cases"].items():
        peak = case["peak_mb"]
        rss = "(not measured)" if peak is None else f"{peak:.0f}" if peak else "(in process)"
        rows.append(f"| {name.replace('_', ' ')} | {case['seconds']:.2f} | {rss} |")
    return "\n".join(rows)


def _code_list(items: str | list[str]) -> str:
    return ", ".join(f"`{item}`" for item in ([items] if isinstance(items, str) else items))


def render(page: Path, text: str | None = None) -> str:
    """The page with every generated block replaced by its current content."""
    text = page.read_text() if text is None else text
    shown = module_pin.REF.search(text)  # kept while the modules' new commit does not exist yet
    commit = module_pin.pinned_commit() or (shown.group(1) if shown else None)
    text = _BLOCK.sub(
        lambda m: f"{m.group(1)}{GENERATORS[m.group('name')](page)}\n{m.group(3)}", text
    )
    return module_pin.pin(text, commit)


def pages() -> list[Path]:
    """Every page with a generated block or a module source's ref (tools/module_pin.py)."""
    candidates = [
        PROJECT_ROOT / "README.md",
        *HELP.glob("*.md"),
        *PROJECT_ROOT.glob("modules/*/terraform/README.md"),
        *PROJECT_ROOT.glob("examples/*/*.tf"),
    ]
    return sorted(
        p
        for p in candidates
        if p.is_file() and ("<!-- generated: " in p.read_text() or "?ref=" in p.read_text())
    )


#: The participant account of the docs' shared example.
PARTICIPANT = "111122223333"


@functools.cache
def _stacks() -> dict[str, dict[str, Any]]:
    """The synthesized dev stack (its outputs are those of every environment), and dev sharing
    its runtime subnets (its addresses are the optional ones too), by environment name."""
    from modules.runner.synth import synthesize
    from modules.runner.workspace import Workspace
    from modules.stack.environment import load_environment
    from modules.subnet_sharing.config import SubnetSharingConfig

    dev = load_environment("dev", PROJECT_ROOT / "environments")
    shared = dataclasses.replace(
        dev,
        env="dev-shared",
        vpc_endpoints=dataclasses.replace(dev.vpc_endpoints, participants=(PARTICIPANT,)),
        subnet_sharing=SubnetSharingConfig(name=dev.network.name, principals=(PARTICIPANT,)),
        shared_roles=("agent_runtime",),
    )
    with tempfile.TemporaryDirectory() as outdir:
        workspace = Workspace(outdir=Path(outdir), state_root=PROJECT_ROOT / ".state")
        files = synthesize([dev, shared], workspace, use_cache=False).files
        return {name: dict(json.loads(path.read_text())) for name, path in files.items()}


def _dev_stack() -> dict[str, Any]:
    return _stacks()["dev"]


def _addresses() -> list[str]:
    """Every address a stack may have: moved blocks whose source is not in a state are ignored."""
    from modules.stack.twins import managed_addresses

    return managed_addresses(_stacks()["dev-shared"])


def outputs_of_stack(page: Path) -> str:
    rows = ["| output | description |", "|---|---|"]
    for name, output in _dev_stack()["output"].items():
        rows.append(f"| `{name}` | {output['description']} |")
    return "\n".join(rows)


def rules_table(page: Path) -> str:

    def peer_of(kind: str, peer: str) -> str:
        if kind == "cidr":
            return "the VPC CIDR"
        if kind == "security_group":
            return f"{peer} SG"
        return f"{peer.replace('dynamodb', 'DynamoDB').replace('s3', 'S3')} prefix list"

    rows = ["| group | direction | port | peer | why |", "|---|---|---|---|---|"]
    for rule in shipped().rules.rules.values():
        rows.append(
            f"| {rule.group} | {rule.direction} | tcp {rule.port} | "
            f"{peer_of(rule.peer_kind, rule.peer)} | {rule.description} |"
        )
    return "\n".join(rows)


def flow_matrix_table(page: Path) -> str:
    from modules.checks.verify import flow_matrix, model_of

    rows = ["| source | destination | port | why |", "|---|---|---|---|"]
    for source, destination, port, why in flow_matrix(model_of(_dev_stack(), "dev")):
        rows.append(f"| {source} | {destination} | {port} | {why} |")
    return "\n".join(rows)


def _identity_words(call: Any) -> str:
    if set(call.signers) == {"workload"}:
        return "`aws:PrincipalAccount`: this account (and participants)"
    if "bearer" in call.signers:
        return "none: OAuth callers are anonymous to IAM (AWS's example)"
    return "none: the URL is signed by the AWS service's account"


def _resource_words(call: Any) -> str:

    if call.owner == "workload":
        return "ARNs of this account (with participants: any account, `aws:ResourceAccount`)"
    if call.owner == "aws":
        owned = [constraints().aws_owned_by_arn(r) for r in call.resources]
        return "AWS's own: " + ", ".join(
            f"`{o.key}` ([source]({o.source.removeprefix('help/')}))" for o in owned if o
        )
    if call.owner == "signer":
        return "none: the action names no resource (it acts in the signer's account)"
    return "the buckets `code_buckets` names"


def perimeter_table(page: Path) -> str:
    """Each call's identity and resource perimeter, as the default (account) scope makes them."""

    rows = [
        "| flow | call (Sid) | signed by | owned by | identity perimeter | resource perimeter |",
        "|---|---|---|---|---|---|",
    ]
    for key, flow in sorted(shipped().flows.flows.items()):
        for call in flow.calls:
            if call.endpoint is None:
                continue
            rows.append(
                f"| `{key}` | {call.sid} | {', '.join(call.signers)} | {call.owner} | "
                f"{_identity_words(call)} | {_resource_words(call)} |"
            )
    return "\n".join(rows)


def _strangers(stack: dict[str, Any], name: str) -> str:
    from modules.checks.verify import model_of, verification

    rows = ["| endpoint | statement | who | on | actions | why |", "|---|---|---|---|---|---|"]
    for a in verification(model_of(stack, name)).strangers:
        rows.append(
            f"| `{a.endpoint}` | {a.sid} | {a.who} | {a.on} | {_code_list(list(a.actions))} | "
            f"{a.why} |"
        )
    return "\n".join(rows)


def stranger_table(page: Path) -> str:
    """What a stranger can still do through dev's endpoints (verify's list)."""
    return _strangers(_dev_stack(), "dev")


def shared_stranger_table(page: Path) -> str:
    """The same on dev shared with one account."""
    return _strangers(_stacks()["dev-shared"], "dev-shared")


def shared_statement(page: Path) -> str:
    """One statement of dev shared with one account: both perimeters hold the participant."""
    stack = _stacks()["dev-shared"]
    endpoints = stack["resource"]["aws_vpc_endpoint"]["vpc_endpoints_interface"]["for_each"]
    document = json.loads(endpoints["logs"]["policy"])
    (events,) = [s for s in document["Statement"] if s["Sid"] == "RuntimeLogEvents"]
    text = json.dumps(events, indent=2).replace(
        "${data.aws_caller_identity.vpc_endpoints_current.account_id}", "<owner account>"
    )
    return f"```json\n{text}\n```"


def aws_owned_table(page: Path) -> str:
    """The AWS-owned resources the flows reach (aws_constraints.json, aws_owned_resources)."""

    rows = ["| exception | ARN | signed by | what | source |", "|---|---|---|---|---|"]
    for key, owned in constraints().aws_owned.items():
        rows.append(
            f"| `{key}` | `{owned.arn}` | {owned.signed_by} | {owned.what} | "
            f"[{owned.source.split('#')[1]}]"
            f"({os.path.relpath(PROJECT_ROOT / owned.source.split('#')[0], page.parent)}"
            f"#{owned.source.split('#')[1]}) |"
        )
    return "\n".join(rows)


def cost_summary(page: Path) -> str:
    from modules.reports.cost.model import estimate, prices_for
    from modules.stack.environment import environment_names, load_environment

    rows = [
        "| environment | region | AZs | interface endpoints | gateway endpoints "
        "| endpoints a month | total a month |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in environment_names(PROJECT_ROOT / "environments"):
        env = load_environment(name, PROJECT_ROOT / "environments")
        cost = estimate(env, prices_for(env.region))
        interface = sum(1 for line in cost.lines if line.item.startswith("interface endpoint"))
        gateway = sum(1 for line in cost.lines if line.item.startswith("gateway endpoint"))
        rows.append(
            f"| {name} | {env.region} | {len(env.network.zones())} | {interface} | {gateway} | "
            f"${cost.subtotal('interface endpoint')} | ${cost.total} |"
        )
    return "\n".join(rows)


def cost_what_if(page: Path) -> str:
    from modules.reports.cost.model import estimate, prices_for, what_ifs
    from modules.stack.environment import load_environment

    env = load_environment("dev", PROJECT_ROOT / "environments")
    now = estimate(env, prices_for(env.region)).total
    rows = [
        "| what if (dev) | endpoints a month | total a month | vs now | gives up |",
        "|---|---|---|---|---|",
    ]
    for w in what_ifs(env, prices_for(env.region)):
        rows.append(
            f"| {w.name} | ${w.endpoints} | ${w.monthly} | {w.monthly - now:+} | {w.gives_up} |"
        )
    return "\n".join(rows)


def command_table(page: Path) -> str:
    """README's table of commands, from each command's own declaration (modules/cli/commands/)."""
    from modules.cli.commands.registry import COMMANDS

    rows = ["| command | what it does | exit codes |", "|---|---|---|"]
    rows += [f"| {c.synopsis} | {c.does} | {c.exit_codes} |" for c in COMMANDS]
    return "\n".join(rows)


def schema_with_commands() -> str:
    """The JSON schema with its list of commands taken from the registry (every command takes
    --json)."""
    from modules.cli.commands.registry import COMMANDS
    from modules.cli.json_output import SCHEMA_PATH

    schema = json.loads(SCHEMA_PATH.read_text())
    schema["properties"]["command"]["enum"] = [c.name for c in COMMANDS]
    return json.dumps(schema, indent=2) + "\n"


def version_line(page: Path) -> str:
    """The release the page documents (the one `python main.py --version` and CHANGELOG.md name)
    and the commit to pin it by (render() fills in the ref)."""
    changelog = os.path.relpath(PROJECT_ROOT / "CHANGELOG.md", page.parent)
    reuse = os.path.relpath(HELP / "reuse.md", page.parent)
    return (
        f"Release {__version__} ([changelog]({changelog})): pin the module source to the commit "
        f"`?ref=v{__version__}`, the last one that changed the modules or the data they read "
        f"(this repository publishes no tags: [pinning]({reuse}#pinning-a-version))."
    )


GENERATORS: dict[str, Callable[[Path], str]] = {
    "commands": command_table,
    "version": version_line,
    "endpoints": endpoint_table,
    "flows": flow_table,
    "flow_details": flow_details,
    "flow_proof": flow_proof_table,
    "inputs": inputs_table,
    "outputs": outputs_table,
    "state_mv": state_mv_block,
    "severities": severity_table,
    "unmanaged": unmanaged_table,
    "benchmark": lambda page: benchmark_table(),
    "stack_outputs": outputs_of_stack,
    "rules": rules_table,
    "check_rules": check_rules_table,
    "flow_matrix": flow_matrix_table,
    "perimeter": perimeter_table,
    "strangers": stranger_table,
    "shared_strangers": shared_stranger_table,
    "shared_statement": shared_statement,
    "aws_owned": aws_owned_table,
    "cost_summary": cost_summary,
    "cost_what_if": cost_what_if,
}


def main() -> int:
    from modules.cli.json_output import SCHEMA_PATH
    from modules.stack.twins import MIGRATION_FILE, moved_blocks

    outputs = {page: render(page) for page in pages()}
    outputs[MIGRATION_FILE] = moved_blocks(_addresses())
    outputs[SCHEMA_PATH] = schema_with_commands()
    for path, text in outputs.items():
        if not path.is_file() or path.read_text() != text:
            path.write_text(text)
            print(f"updated {path.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
