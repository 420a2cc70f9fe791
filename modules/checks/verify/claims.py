"""What verify claims when it says PROVEN, in words and as data: the flows for every signer and
owner, the perimeters, what a stranger can still do, and what reaches beyond the network."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from modules.flows.perimeter import workload_parties

if TYPE_CHECKING:
    from modules.checks.verify import Verification


def beyond_network(checked: Verification) -> list[tuple[str, str]]:
    """(flow, what reaches beyond the network) for each selected flow that lets something
    leave from outside this VPC (an AWS-managed tool running in AWS's network)."""
    flows = checked.view.facts.flows.flows
    return [
        (key, flows[key].beyond_network) for key in checked.view.flows if flows[key].beyond_network
    ]


def _signers(checked: Verification) -> list[str]:
    """Who AWS presents for the selected flows, in words."""
    calls = [c for key in checked.view.flows for c in checked.view.facts.flows.flows[key].calls]
    kinds = {signer for call in calls for signer in call.signers}
    found = (
        [f"roles of {p.name}" for p in workload_parties(checked.view)]
        if "workload" in kinds
        else []
    )
    found += ["OAuth callers"] if "bearer" in kinds else []
    return found + (["presigned URLs AWS services sign"] if "presigned" in kinds else [])


def _identity(checked: Verification) -> str:
    view = checked.view
    if view.principal_scope == "any":
        return 'OFF (principal_scope = "any"): credentials of any account get through'
    if view.principal_scope == "organization":
        return f"the principals of organization {view.organization_id or '?'}"
    others = [p for p in view.participants]
    return "this account's principals" + (
        f" and its participants' ({', '.join(others)})" if others else ""
    )


def perimeter_report(checked: Verification) -> dict[str, Any]:
    """The perimeter part of verify's JSON (schema: modules/cli/cli_output.schema.json)."""
    view = checked.view
    return {
        "principal_scope": view.principal_scope,
        "organization_id": view.organization_id,
        "participants": list(view.participants),
        "signers": _signers(checked),
        "strangers": [access.as_dict() for access in checked.strangers],
        "beyond_network": [
            {"flow": flow, "what": sentence} for flow, sentence in beyond_network(checked)
        ],
    }


def proven_sentence(checked: Verification) -> str:
    """Exactly what was proven, for the PROVEN line."""
    open_by_design = [a for a in checked.strangers if a.expected]
    leaving = [flow for flow, _ in beyond_network(checked)]
    return " ".join(
        [
            f"every flow ({len(checked.results)}) reachable end to end for every signer and owner "
            f"AWS presents ({'; '.join(_signers(checked))});",
            f"identity perimeter: {_identity(checked)}, on every call only the workloads sign;",
            "resource perimeter: the workloads' own resources, and AWS's named exceptions only;",
            f"a stranger can still do {len(open_by_design)} thing(s), each listed above with why;"
            if open_by_design
            else "a stranger can do nothing through the endpoints;",
            f"beyond the network: {', '.join(leaving)} (AWS-managed tools in AWS's network, "
            "listed above);"
            if leaving
            else "nothing the flows start runs beyond the network;",
            "no path to or from the internet through this VPC; only the rules the flows need; "
            "every interface endpoint private, in every AZ, behind the endpoint group; gateway "
            "endpoints on the subnets' route table; policies no broader than the flows need; "
            "flow logs on, encrypted, kept a year; default group closed; network ACL managed, "
            "nothing in it from or to anywhere.",
        ]
    )
