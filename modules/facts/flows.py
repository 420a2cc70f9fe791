"""Loads flows.json: the workloads, and the flows they send through the network, checked
against an endpoint catalog and a rule set (no cdktf import)."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from modules.facts.aws_constraints import constraints
from modules.facts.catalog import Catalog, shipped_catalog
from modules.facts.rules import ENDPOINT_GROUP, PeerKind, RuleSet, shipped_rule_set

FLOWS_PATH = Path(__file__).with_name("flows.json")
PLACEHOLDERS = ("partition", "region", "account_id", "code_bucket")
CODE_BUCKET = "${code_bucket}"

#: Who signs a call: ``workload`` (the workload's IAM role, SigV4: of this account, or of a
#: participant's with subnet sharing), ``bearer`` (an OAuth/JWT caller, anonymous to IAM), or
#: ``presigned`` (a presigned URL an AWS service's account signed: ECR's layers, CloudFormation's
#: responses). help/sources.md#perimeter-examples.
Signer = Literal["workload", "bearer", "presigned"]
SIGNERS: tuple[Signer, ...] = ("workload", "bearer", "presigned")
#: Who owns what a call reaches: ``workload`` (the calling workload's own account: ARNs name
#: ``${account_id}``), ``aws`` (AWS: an entry of aws_owned_resources in
#: modules/facts/aws_constraints.json), ``signer`` (no resource ARN: the action acts in the
#: account that signs, ``*``), ``named`` (resources this configuration names: ``${code_bucket}``).
Owner = Literal["workload", "aws", "signer", "named"]
OWNERS: tuple[Owner, ...] = ("workload", "aws", "signer", "named")

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_SID = re.compile(r"^[A-Za-z0-9]+$")
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
_ACTION = re.compile(r"^[a-z0-9-]+:[A-Za-z0-9*?]+$")


@dataclass(frozen=True)
class Workload:
    """What runs in the network and sends traffic: its security group and preferred subnets."""

    key: str
    security_group: str
    #: Subnet roles it runs in; an environment without any of them runs it in every subnet.
    subnets: tuple[str, ...]
    description: str
    #: An AgentCore Runtime (VPC mode): its subnets must be in AZ IDs AgentCore supports.
    agentcore_runtime: bool = False


@dataclass(frozen=True)
class Call:
    """One kind of request a flow makes, as the real client sends it: through an endpoint (an
    AWS API call, with its IAM actions), or to a security group inside the VPC (a database)."""

    sid: str
    #: The catalog key of the endpoint the call goes through; None for a call to ``target``.
    endpoint: str | None
    dns: str
    port: int
    signers: tuple[Signer, ...]
    #: Who owns the resources (OWNERS); ``workload`` for a call to a group inside the VPC.
    owner: Owner
    actions: tuple[str, ...]
    #: ARN templates (placeholders in PLACEHOLDERS); ``*`` inside means "any such resource".
    resources: tuple[str, ...]
    #: The security group of rules.json the call reaches inside the VPC (``data_tier``).
    target: str | None = None
    #: Condition keys the request carries (``cloudwatch:namespace``), for policy conditions.
    context: Mapping[str, str] = field(default_factory=dict)
    #: The Condition block of the endpoint policy statement that allows this call.
    condition: Mapping[str, Mapping[str, str]] | None = None
    #: What AWS does not document about this call, if anything.
    unconfirmed: str = ""


@dataclass(frozen=True)
class Flow:
    """Traffic a workload needs: the sources it comes from and the calls it makes."""

    key: str
    title: str
    description: str
    sources: tuple[str, ...]
    calls: tuple[Call, ...]
    default: bool
    #: The number of the AWS sample's flow it is (help/sources.md#aws-sample), if one of the four.
    seed: int | None = None
    refs: tuple[str, ...] = ()
    #: AgentCore features it needs in the region (runtime, gateway, identity, tools, memory).
    agentcore: tuple[str, ...] = ()
    #: What this flow lets reach beyond the network (an AWS-managed tool running in AWS's
    #: network), in a sentence; empty for a flow that stays inside.
    beyond_network: str = ""

    @property
    def endpoints(self) -> tuple[str, ...]:
        """The catalog keys this flow's calls go through, in call order, each once."""
        return tuple(
            dict.fromkeys(call.endpoint for call in self.calls if call.endpoint is not None)
        )

    @property
    def targets(self) -> tuple[str, ...]:
        """The security groups this flow's calls reach inside the VPC, each once."""
        return tuple(dict.fromkeys(call.target for call in self.calls if call.target is not None))

    @property
    def needs_code_buckets(self) -> bool:
        return any(CODE_BUCKET in r for call in self.calls for r in call.resources)


@dataclass(frozen=True)
class FlowCatalog:
    workloads: Mapping[str, Workload]
    flows: Mapping[str, Flow]
    #: Flow keys no longer shipped -> what replaced them (said when an environment names one).
    retired: Mapping[str, str] = field(default_factory=dict)

    def defaults(self) -> tuple[str, ...]:
        """The flows an environment gets when it does not choose: sorted, as Terraform does."""
        return tuple(sorted(k for k, f in self.flows.items() if f.default))

    def runtime_roles(self) -> set[str]:
        """The subnet roles AgentCore runtime workloads run in."""
        return {s for w in self.workloads.values() if w.agentcore_runtime for s in w.subnets}

    def runtime_subnets(self, roles: Mapping[str, str]) -> tuple[str, ...] | None:
        """The subnets (name -> role) where AgentCore runtimes run; None when no role says so (then
        any)."""
        chosen = tuple(sorted(name for name, role in roles.items() if role in self.runtime_roles()))
        return chosen or None

    def endpoints_needed(self, selected: tuple[str, ...], catalog: Catalog) -> dict[str, list[str]]:
        """Endpoint key -> the selected flows that go through it, in catalog order."""
        needed = {
            key: [f for f in sorted(selected) if key in self.flows[f].endpoints]
            for key in catalog.endpoints
        }
        return {key: flows for key, flows in needed.items() if flows}


def peer_of(endpoint: str, catalog: Catalog) -> tuple[PeerKind, str]:
    """Where a workload's egress goes to reach an endpoint: the endpoint group or a prefix list."""
    if catalog.endpoints[endpoint].type == "Gateway":
        return "prefix_list", endpoint
    return "security_group", ENDPOINT_GROUP


def call_peer(call: Call, catalog: Catalog) -> tuple[PeerKind, str, int]:
    """(peer kind, peer, port) a workload's egress goes to for one call."""
    if call.target is not None:
        return "security_group", call.target, call.port
    assert call.endpoint is not None
    return (*peer_of(call.endpoint, catalog), call.port)


class FlowsError(ValueError):
    """flows.json itself is malformed: a bug in this repository, not a user mistake."""


#: The fields a call of flows.json may have.
CALL_FIELDS = frozenset(
    "sid endpoint target dns port signers owner actions resources context condition "
    "unconfirmed".split()
)
_ACCOUNT_FIELD = re.compile(r"^arn:\$\{partition\}:[a-z0-9-]+:[^:]*:\$\{account_id\}:")


def _call(where: str, raw: Mapping[str, Any], catalog: Catalog, rules: RuleSet) -> Call:
    def fail(problem: str) -> FlowsError:
        return FlowsError(f"{where}: {problem}")

    if "principals" in raw:
        raise fail(
            "principals was renamed signers in 0.9.0 ('account' is now 'workload'), and every "
            f"call names its owner, one of {OWNERS}"
        )
    if set(raw) - CALL_FIELDS:
        raise fail(f"unknown fields {sorted(set(raw) - CALL_FIELDS)}")
    if not _SID.match(str(raw.get("sid", ""))):
        raise fail("sid must be letters and digits (it becomes the policy statement's Sid)")
    if ("endpoint" in raw) == ("target" in raw):
        raise fail("a call goes through an endpoint or to a target group, exactly one of the two")
    if "target" in raw:
        return _target_call(raw, fail, rules)
    if raw.get("endpoint") not in catalog.endpoints:
        raise fail(f"endpoint must be a catalog key, got {raw.get('endpoint')!r}")
    if raw.get("port") != 443:
        raise fail(
            "every call through an endpoint is HTTPS on 443 (the only port the endpoints open)"
        )
    signers = tuple(raw.get("signers") or ())
    if not signers or set(signers) - set(SIGNERS):
        raise fail(f"signers must be among {SIGNERS}, got {signers}")
    actions, resources = tuple(raw.get("actions") or ()), tuple(raw.get("resources") or ())
    if not actions or not all(_ACTION.match(a) for a in actions):
        raise fail(f"actions must be service:Action, got {actions}")
    if not resources:
        raise fail("every call names the resources it reaches")
    names = set(_PLACEHOLDER.findall(json.dumps([raw.get("dns"), resources])))
    if not names <= set(PLACEHOLDERS):
        raise fail(f"placeholders must be among {PLACEHOLDERS}, got {sorted(names)}")
    owner = raw.get("owner")
    problem = _owner_problem(owner, signers, resources)
    if problem:
        raise fail(problem)
    condition = raw.get("condition")
    for keys in (condition or {}).values():
        missing = set(keys) - set(raw.get("context") or {})
        if missing:
            raise fail(
                f"the condition tests {sorted(missing)}, which the request's context does not carry"
            )
    return Call(
        sid=str(raw["sid"]),
        endpoint=str(raw["endpoint"]),
        dns=str(raw.get("dns") or ""),
        port=443,
        signers=signers,
        owner=owner,  # type: ignore[arg-type]
        actions=actions,
        resources=resources,
        context=dict(raw.get("context") or {}),
        condition=condition,
        unconfirmed=str(raw.get("unconfirmed") or ""),
    )


def _owner_problem(owner: Any, signers: tuple[str, ...], resources: tuple[str, ...]) -> str:
    """What is wrong with a call's owner given its signers and resources ("" when nothing)."""
    if owner not in OWNERS:
        return f"owner must be one of {OWNERS}, got {owner!r}"
    if "presigned" in signers and (owner != "aws" or set(signers) != {"presigned"}):
        return (
            "a presigned URL is signed by an AWS service's account: signers ['presigned'] alone, "
            "owner 'aws'"
        )
    if owner == "workload" and not all(_ACCOUNT_FIELD.match(r) for r in resources):
        return (
            "owner 'workload': every resource is an ARN of ${account_id} "
            "(arn:${partition}:<service>:<region>:${account_id}:...)"
        )
    if owner == "signer" and resources != ("*",):
        return "owner 'signer': the action takes no resource, so resources is ['*']"
    if owner == "named" and not all(CODE_BUCKET in r for r in resources):
        return "owner 'named': every resource names ${code_bucket}"
    if owner == "aws":
        for resource in resources:
            owned = constraints().aws_owned_by_arn(resource)
            if owned is None:
                return (
                    f"owner 'aws': {resource} is not an AWS-owned resource of "
                    "modules/facts/aws_constraints.json (aws_owned_resources); add it there with "
                    "its source"
                )
            if owned.signed_by not in signers:
                return (
                    f"owner 'aws': {resource} is reached signed by {owned.signed_by!r} "
                    f"(aws_owned_resources.{owned.key})"
                )
    return ""


def _target_call(raw: Mapping[str, Any], fail: Any, rules: RuleSet) -> Call:
    """A call to a security group inside the VPC: no endpoint, no IAM, a port."""
    if raw["target"] not in rules.groups or raw["target"] == ENDPOINT_GROUP:
        raise fail(
            f"target must be a group of rules.json other than {ENDPOINT_GROUP}, got "
            f"{raw['target']!r}"
        )
    port = raw.get("port")
    if not isinstance(port, int) or not 0 < port < 65536:
        raise fail("a call to a target names its TCP port")
    if set(raw) & {"signers", "owner", "actions", "resources", "context", "condition"}:
        raise fail(
            "a call to a target group is not an AWS API call: no signers, owner, actions or "
            "resources"
        )
    return Call(
        sid=str(raw["sid"]),
        endpoint=None,
        dns=str(raw.get("dns") or ""),
        port=port,
        signers=(),
        owner="workload",
        actions=(),
        resources=(),
        target=str(raw["target"]),
        unconfirmed=str(raw.get("unconfirmed") or ""),
    )


def _flow(
    key: str,
    raw: Mapping[str, Any],
    workloads: Mapping[str, Workload],
    source: str,
    against: tuple[Catalog, RuleSet],
) -> Flow:
    def fail(problem: str) -> FlowsError:
        return FlowsError(f"{source}: flows.{key}: {problem}")

    known = {
        "title",
        "seed",
        "default",
        "sources",
        "description",
        "refs",
        "calls",
        "agentcore",
        "beyond_network",
    }
    if not _KEY.match(key):
        raise fail("keys are lower-case identifiers")
    if set(raw) - known:
        raise fail(f"unknown fields {sorted(set(raw) - known)}")
    sources = tuple(raw.get("sources") or ())
    if not sources or set(sources) - set(workloads):
        raise fail(f"sources must be workloads of {sorted(workloads)}, got {sources}")
    if (
        not isinstance(raw.get("default"), bool)
        or not raw.get("title")
        or not raw.get("description")
    ):
        raise fail("every flow has a title, a description and default: true or false")
    calls = tuple(
        _call(f"{source}: flows.{key}.calls[{i}]", c, *against)
        for i, c in enumerate(raw.get("calls") or ())
    )
    if not calls:
        raise fail("a flow makes at least one call")
    return Flow(
        key=key,
        title=str(raw["title"]),
        description=str(raw["description"]),
        sources=sources,
        calls=calls,
        default=bool(raw["default"]),
        seed=raw.get("seed"),
        refs=tuple(raw.get("refs") or ()),
        agentcore=tuple(raw.get("agentcore") or ()),
        beyond_network=str(raw.get("beyond_network") or ""),
    )


def parse_flows(
    raw: Mapping[str, Any], source: str, *, catalog: Catalog, rules: RuleSet
) -> FlowCatalog:
    """Check flows in flows.json's shape against an endpoint catalog and a rule set; ``source``
    names them in errors."""
    groups = rules.groups
    workloads = {}
    for key, entry in raw["workloads"].items():
        if entry.get("security_group") not in groups:
            raise FlowsError(
                f"{source}: workloads.{key}: security_group must be one of {sorted(groups)}"
            )
        workloads[key] = Workload(
            key,
            str(entry["security_group"]),
            tuple(entry["subnets"]),
            str(entry["description"]),
            bool(entry.get("agentcore_runtime", False)),
        )
    flows = {
        key: _flow(key, entry, workloads, source, (catalog, rules))
        for key, entry in raw["flows"].items()
    }
    sids: dict[tuple[str, str], str] = {}
    for flow in flows.values():
        for call in flow.calls:
            other = sids.setdefault((call.endpoint or str(call.target), call.sid), flow.key)
            if (
                other != flow.key
                or sum(c.sid == call.sid and c.endpoint == call.endpoint for c in flow.calls) > 1
            ):
                raise FlowsError(
                    f"{source}: flows.{flow.key}: Sid {call.sid} is used twice on {call.endpoint}"
                )
    egress = {
        (r.group, r.peer_kind, r.peer, r.port)
        for r in rules.rules.values()
        if r.direction == "egress"
    }
    for flow in flows.values():
        for source in flow.sources:
            for call in flow.calls:
                needed = (workloads[source].security_group, *call_peer(call, catalog))
                if needed not in egress:
                    raise FlowsError(
                        f"{source}: flows.{flow.key}: no egress rule in the rule set lets "
                        f"{needed[0]} reach {needed[2]} on {needed[3]}"
                    )
    retired = {str(k): str(v) for k, v in (raw.get("retired") or {}).items()}
    return FlowCatalog(workloads=workloads, flows=flows, retired=retired)


def load_flows(path: Path = FLOWS_PATH) -> FlowCatalog:
    """Read and check a flows file against the shipped endpoint catalog and rule set."""
    return parse_flows(
        json.loads(path.read_text()),
        path.name,
        catalog=shipped_catalog(),
        rules=shipped_rule_set(),
    )


@functools.cache
def shipped_flows() -> FlowCatalog:
    """flows.json, read once per process."""
    return load_flows()
