"""Who AWS presents at an endpoint for each call, and what a stranger can still do.

A call is signed by the workload's role (of this account, or of a participant's), by an OAuth
caller (anonymous to IAM) or by a presigned URL an AWS service's account signed; it reaches
resources of the workload's own account, AWS's own, none (the signer's account) or resources the
configuration names (flows.json, ``signers`` and ``owner``). The flow proof evaluates the endpoint
policy for every pair AWS will present (:func:`presentations`); :func:`stranger_access` evaluates
foreign credentials and foreign resources against the same policies and lists what gets through
(help/sources.md#perimeter-examples, #iam-principal-account).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from modules.facts.flows import Call, Signer
from modules.flows.iam import ABSENT, Request, evaluate
from modules.flows.policies import ACCOUNT_ID, expand_resources
from modules.flows.view import UNKNOWN, NetworkView
from modules.kernel.organizations import is_account, organization_of
from modules.kernel.policy import render

#: Stand-ins for accounts and organizations that are not the network's.
STRANGER_ACCOUNT = "<another account>"
STRANGER_ORGANIZATION = "<another organization>"
AWS_ACCOUNT = "<an AWS service account>"
AWS_ORGANIZATION = "<AWS's organization>"


@dataclass(frozen=True)
class Party:
    """Someone who signs requests: a role of an account, an OAuth caller, a presigned URL."""

    signer: Signer
    #: Whose: ``this account``, ``participant 111122223333``, ``another account``...
    name: str
    #: The signing account (None for an OAuth caller).
    account: str | None = None
    organization: str | None = None

    @property
    def words(self) -> str:
        """``a role of this account``, ``an OAuth caller``... (for findings)."""
        return f"a role of {self.name}" if self.signer == "workload" else self.name


@dataclass(frozen=True)
class Presentation:
    """One way AWS presents a call to an endpoint policy: who signs, on whose resources."""

    party: Party
    #: Whose resources, in words: ``its own resources``, ``AWS's resources``...
    owner_words: str
    #: The resource ARNs, rendered.
    resources: tuple[str, ...]
    context: Mapping[str, Any]

    @property
    def words(self) -> str:
        return f"{self.party.words}, on {self.owner_words}"

    def requests(self, call: Call) -> Iterator[Request]:
        account = self.party.account if self.party.signer == "workload" else None
        for action in call.actions:
            for resource in self.resources:
                yield Request(action, resource, self.party.signer, self.context, account)


def _this(view: NetworkView) -> Party:
    return Party("workload", "this account", view.account_id, view.organization_id or None)


def workload_parties(view: NetworkView) -> list[Party]:
    """This account's roles and each participant's (an OU or the organization stands for its
    accounts)."""
    parties = [_this(view)]
    for participant in view.participants:
        if is_account(participant):
            parties.append(
                Party(
                    "workload",
                    f"participant {participant}",
                    participant,
                    view.organization_id or None,
                )
            )
        else:
            organization = organization_of(participant) or view.organization_id
            parties.append(
                Party(
                    "workload",
                    f"an account of {participant}",
                    f"<an account of {organization}>",
                    organization,
                )
            )
    return parties


OAUTH_CALLER = Party("bearer", "an OAuth caller")
PRESIGNED = Party("presigned", "a presigned URL an AWS service's account signed", AWS_ACCOUNT)
STRANGER = Party("workload", "another account", STRANGER_ACCOUNT, STRANGER_ORGANIZATION)


def _principal_context(party: Party, view: NetworkView) -> dict[str, Any]:
    if party.signer == "bearer":
        keys = ("aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalOrgID")
        return {**{key: ABSENT for key in keys}, "aws:PrincipalType": "Anonymous"}
    if party.signer == "presigned":
        return {"aws:PrincipalAccount": str(party.account)}
    context: dict[str, Any] = {
        "aws:PrincipalAccount": str(party.account),
        "aws:PrincipalArn": f"arn:{view.partition}:iam::{party.account}:role/*",
        "aws:PrincipalType": "AssumedRole",
    }
    if party.organization:
        context["aws:PrincipalOrgID"] = party.organization
    return context


def _resource_context(call: Call, account: str, organization: str | None) -> dict[str, Any]:
    """The resource keys of a request on ``account``'s resources (none known for a call that
    names no resource, or names it in the configuration)."""
    if call.owner == "aws":
        return {"aws:ResourceAccount": AWS_ACCOUNT, "aws:ResourceOrgID": AWS_ORGANIZATION}
    if call.owner != "workload":
        return {}
    context = {"aws:ResourceAccount": account}
    if organization:
        context["aws:ResourceOrgID"] = organization
    return context


def _resources(
    view: NetworkView, call: Call, account: str, buckets: tuple[str, ...] | None = None
) -> tuple[str, ...]:
    """The call's resources, rendered for the resources of ``account`` (where the ARNs name the
    workload's account) and ``buckets`` (default: the network's code buckets)."""
    templates = expand_resources(call.resources, view.code_buckets if buckets is None else buckets)
    return tuple(
        render(
            template.replace(ACCOUNT_ID, account),
            partition=view.partition,
            region=view.region,
            account_id=view.account_id,
        )
        for template in templates
    )


def base_context(view: NetworkView, call: Call) -> dict[str, Any]:
    """The keys every request of a call carries: transport, the network's, the call's own."""
    context: dict[str, Any] = {"aws:SecureTransport": "true", **view.context}
    context.update(
        {
            key: render(
                value, partition=view.partition, region=view.region, account_id=view.account_id
            )
            for key, value in call.context.items()
        }
    )
    return context


def _present(
    view: NetworkView,
    call: Call,
    party: Party,
    owner: Party | None,
    owner_words: str,
    buckets: tuple[str, ...] | None = None,
) -> Presentation:
    """``party`` signing ``call`` on the resources of ``owner``'s account (``buckets``: other
    buckets than the configuration names)."""
    account = (owner.account if owner else None) or view.account_id
    organization = owner.organization if owner else None
    context = {
        **base_context(view, call),
        **_principal_context(party, view),
        **_resource_context(call, account, organization),
    }
    return Presentation(party, owner_words, _resources(view, call, account, buckets), context)


_OWNER_WORDS = {
    "aws": "AWS's resources",
    "signer": "its own account (the action names no resource)",
    "named": "the buckets the configuration names",
}


def presentations(view: NetworkView, call: Call) -> list[Presentation]:
    """Every signer and owner AWS will present for a call the workloads make."""
    workloads = workload_parties(view)
    found = []
    for signer in call.signers:
        if signer == "workload":
            for party in workloads:
                found.append(_present(view, call, party, party, _owned(call, "its own")))
        elif signer == "bearer":
            for owner in workloads:
                whose = _owned(call, f"{owner.name}'s")
                found.append(_present(view, call, OAUTH_CALLER, owner, whose))
        else:
            found.append(_present(view, call, PRESIGNED, None, _owned(call, "")))
    return found


def _owned(call: Call, whose: str) -> str:
    """``<whose> resources`` for the workload's own resources, else what the call reaches."""
    return f"{whose} resources" if call.owner == "workload" else _OWNER_WORDS[call.owner]


@dataclass(frozen=True)
class StrangerAccess:
    """Something a stranger (foreign credentials, a foreign resource) can do through an
    endpoint: what the perimeter leaves open."""

    flow: str
    endpoint: str
    sid: str
    #: Who: ``a role of another account``, ``an OAuth caller``, ``a role of this account``...
    who: str
    #: On whose resources, in words (``this account's resources``).
    on: str
    actions: tuple[str, ...]
    #: identity (foreign credentials), resource (a foreign resource), or exception (an AWS-owned
    #: resource reached by design).
    perimeter: str
    #: Whether the network means this to stay open (AWS's design, or the configuration's
    #: opt-out) or it breaks a perimeter the network should have.
    expected: bool
    why: str

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "actions": list(self.actions)}


def _probes(view: NetworkView, call: Call) -> Iterator[tuple[Presentation, str]]:
    """The foreign presentations of a call, each with the perimeter it tests: foreign
    credentials (identity), a foreign resource (resource), or any account's content in an
    AWS-owned resource (exception)."""
    this, elsewhere = _this(view), STRANGER
    if "workload" in call.signers:
        yield _present(view, call, STRANGER, this, _owned(call, "this account's")), "identity"
        if call.owner == "workload":
            yield _present(view, call, STRANGER, elsewhere, "its own resources"), "identity"
            yield _present(view, call, this, elsewhere, "another account's resources"), "resource"
        if call.owner == "named":
            foreign = ("<another bucket>",)
            yield _present(view, call, this, None, "another bucket", foreign), "resource"
    if "bearer" in call.signers:
        yield _present(view, call, OAUTH_CALLER, this, "this account's resources"), "identity"
        yield (
            _present(view, call, OAUTH_CALLER, elsewhere, "another account's resources"),
            "resource",
        )
    if "presigned" in call.signers:
        yield (
            _present(view, call, PRESIGNED, None, "AWS's resources, with any account's content"),
            "exception",
        )


def _allowed(view: NetworkView, policy: Any, presentation: Presentation, call: Call) -> bool:
    """Every request of the presentation gets through the policy."""
    return all(
        evaluate(policy, request, view.account_id).allowed
        for request in presentation.requests(call)
    )


def _expectation(view: NetworkView, call: Call, perimeter: str) -> tuple[bool, str]:
    """Whether an open probe is by design, and why; otherwise what it breaks."""
    entry = view.facts.catalog.endpoints[str(call.endpoint)]
    if not entry.custom_policy:
        return True, (
            f"AWS takes only the full-access endpoint policy for {entry.service} "
            "(modules/facts/catalog.json): IAM policies alone keep strangers out"
        )
    if perimeter == "exception":
        return True, (
            "presigned URLs are signed by the AWS service's account, for any account's content "
            "(AWS's documented exception)"
        )
    if set(call.signers) != {"workload"} and perimeter == "identity":
        return True, (
            "OAuth callers are anonymous to IAM, so the statement admits any caller, scoped by "
            "action and resource (AWS's example); the resource's own authorizer decides"
        )
    if set(call.signers) != {"workload"}:
        return False, "the resource perimeter is open: the ARNs name no account"
    if perimeter == "identity" and view.principal_scope == "any":
        return True, 'principal_scope = "any": the identity perimeter is off by configuration'
    if perimeter == "identity":
        return False, "the identity perimeter is missing: credentials of any account get through"
    return False, "the resource perimeter is missing: data can go to another account's resources"


def stranger_access(view: NetworkView) -> list[StrangerAccess]:
    """What foreign credentials and foreign resources can still do through the network's
    endpoints, for every call of its flows (policies known only after apply are skipped)."""
    found: dict[tuple[str, str, str, str], StrangerAccess] = {}
    for key in sorted(view.flows):
        for call in view.facts.flows.flows[key].calls:
            endpoint = view.endpoints.get(call.endpoint or "")
            if endpoint is None or endpoint.policy is UNKNOWN:
                continue
            for probe, perimeter in _probes(view, call):
                if not _allowed(view, endpoint.policy, probe, call):
                    continue
                expected, why = _expectation(view, call, perimeter)
                access = StrangerAccess(
                    key,
                    endpoint.key,
                    call.sid,
                    probe.party.words,
                    probe.owner_words,
                    call.actions,
                    perimeter,
                    expected,
                    why,
                )
                where = (endpoint.key, call.sid, access.who, access.on)
                found.setdefault(where, access)
    return list(found.values())
