"""verify: prove, from a configuration or a plan, that the network has no way to the internet,
allows nothing but what its flows need, lets every one of those flows through for every signer
and owner AWS presents, and keeps strangers out but where AWS's design leaves them in."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from modules.checks.finding import Finding, Suppression, counting, suppress
from modules.checks.verify.checks import (
    UNKNOWN_PROBLEM,
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
from modules.kernel.instances import expected_instances


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


Status = Literal["proven", "refuted", "unprovable"]
#: How a run's inputs add up: the worst of them.
STATUS_ORDER: tuple[Status, ...] = ("proven", "unprovable", "refuted")


@dataclass(frozen=True)
class Verdict:
    """One input, judged: proven; refuted (a finding that holds); or unprovable (nothing
    refuted, but a claim rests on values known only after apply: a first deploy's plan)."""

    status: Status
    checked: Verification
    #: The configuration a plan was made from, proven where the plan cannot be (`plan --out`
    #: records it); None for an input that carries none.
    made_from: Verification | None = None

    @property
    def findings(self) -> list[Finding]:
        """Every finding of the input and of the configuration it was made from."""
        return [*self.checked.findings, *(self.made_from.findings if self.made_from else [])]


def plan_carries(model: Model, configuration: dict[str, Any]) -> list[Finding]:
    """A plan carries exactly the resource instances the configuration it was made from
    declares: one missing, or one more, means the plan is not that configuration's."""
    declared = {i.address for i in expected_instances(configuration)}
    planned = {i.address for i in model.instances}
    return [
        Finding(
            "plan",
            address,
            None,
            "declared by the configuration the plan was made from, missing from the plan"
            if address in declared
            else "in the plan, not in the configuration it was made from",
            fix="make the plan again from the configuration (plan --out FILE)",
        )
        for address in sorted(declared ^ planned)
    ]


def judge(model: Model, suppressions: tuple[Suppression, ...] = ()) -> Verdict:
    """The input's verdict; a plan that knows some values only after apply is judged on what
    it knows and on the configuration it was made from. A finding an unexpired suppression
    accepts is kept, marked, and does not count."""
    checked = verification(model)
    if model.configuration is not None:
        carried = plan_carries(model, model.configuration)
        if carried:
            checked = replace(checked, findings=[*carried, *checked.findings])
    checked = replace(checked, findings=suppress(checked.findings, suppressions))
    counted = counting(checked.findings)
    if not counted:
        return Verdict("proven", checked)
    if any(f.problem != UNKNOWN_PROBLEM for f in counted):
        return Verdict("refuted", checked)
    if model.configuration is None:
        return Verdict("unprovable", checked)
    made_from = verification(
        model_of(model.configuration, f"the configuration of {model.source}", model.facts)
    )
    made_from = replace(made_from, findings=suppress(made_from.findings, suppressions))
    return Verdict("refuted" if counting(made_from.findings) else "unprovable", checked, made_from)


def worst(statuses: list[Status]) -> Status:
    return max(statuses, key=STATUS_ORDER.index, default="proven")


def verify_model(model: Model) -> list[Finding]:
    """Every finding: the network's properties, each selected flow that does not get through,
    and each way a stranger gets in that the network does not mean to leave open."""
    return verification(model).findings


__all__ = [
    "Finding",
    "Model",
    "Status",
    "Verdict",
    "Verification",
    "judge",
    "worst",
    "flow_matrix",
    "flow_results",
    "load_model",
    "model_of",
    "policy_problems",
    "verification",
    "verify_model",
    "view_of",
]
