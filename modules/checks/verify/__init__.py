"""verify: prove, from a configuration or a plan, that the network has no way to the internet,
allows nothing but what its flows need, and lets every one of those flows through."""

from __future__ import annotations

from modules.checks.verify.checks import (
    Finding,
    flow_matrix,
    network_findings,
    policy_problems,
)
from modules.checks.verify.model import Model, load_model, model_of
from modules.checks.verify.reachability import flow_findings, flow_results, view_of


def verify_model(model: Model) -> list[Finding]:
    """Every finding: the network's properties, then each selected flow that does not get
    through."""
    return [*network_findings(model), *flow_findings(flow_results(model))]


__all__ = [
    "Finding",
    "Model",
    "flow_matrix",
    "flow_results",
    "load_model",
    "model_of",
    "policy_problems",
    "verify_model",
    "view_of",
]
