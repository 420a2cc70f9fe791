"""verify: prove, from a configuration or a plan, that the network has no way to the internet,
allows nothing but what its flows need, lets every one of those flows through for every signer
and owner AWS presents, and keeps strangers out but where AWS's design leaves them in."""

from __future__ import annotations

from dataclasses import dataclass

from modules.checks.verify.checks import (
    Finding,
    flow_matrix,
    network_findings,
    policy_problems,
)
from modules.checks.verify.model import Model, load_model, model_of
from modules.checks.verify.reachability import (
    flow_findings,
    flow_results,
    perimeter_findings,
    view_of,
)
from modules.flows.perimeter import StrangerAccess, stranger_access
from modules.flows.proof import FlowResult, prove
from modules.flows.view import NetworkView


@dataclass(frozen=True)
class Verification:
    """What verify found on one input: its findings, each flow's proof, and what a stranger
    can still do through the endpoints."""

    view: NetworkView
    findings: list[Finding]
    results: list[FlowResult]
    strangers: list[StrangerAccess]


def verification(model: Model) -> Verification:
    """The network's properties, each selected flow for every signer and owner, and the
    perimeter against strangers, on one reading of the model."""
    view = view_of(model)
    results, strangers = prove(view), stranger_access(view)
    findings = [
        *network_findings(model),
        *flow_findings(results),
        *perimeter_findings(strangers),
    ]
    return Verification(view, findings, results, strangers)


def verify_model(model: Model) -> list[Finding]:
    """Every finding: the network's properties, each selected flow that does not get through,
    and each way a stranger gets in that the network does not mean to leave open."""
    return verification(model).findings


__all__ = [
    "Finding",
    "Model",
    "Verification",
    "flow_matrix",
    "flow_results",
    "load_model",
    "model_of",
    "policy_problems",
    "verification",
    "verify_model",
    "view_of",
]
