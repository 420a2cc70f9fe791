"""Does an endpoint policy let a request through? IAM's evaluation rules, for endpoint policies.

Why not a library: parliament 1.6.4 and policyuniverse 1.5.1 were tried. Neither evaluates a
request against a policy; parliament's `is_glob_match` answers "could these two patterns match a
common string" (overlap), which would pass a flow when a policy covers only part of it, and its
IAM data (2024) has no `bedrock-agentcore`. The rules below are AWS's ("Policy evaluation logic",
IAM user guide): an explicit Deny wins, then any Allow, else the request is implicitly denied.

A request here stands for a family of requests: its resource (and action) may contain wildcards
meaning "any such resource the workload uses". An Allow must cover every member of the family; a
Deny that may match any member blocks the flow. Condition keys whose value is not known for the
request make the answer "depends on <key>"; nothing unknown is passed silently.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from modules.facts.flows import Signer

#: A condition key's value for a request: a string (may hold wildcards), ABSENT, or not in the
#: context at all (unknown).
ABSENT = object()
ANOTHER_ACCOUNT = "<another account>"


# ---- wildcard patterns: * any run of characters, ? exactly one ------------------------------


@functools.lru_cache(maxsize=65536)
def covers(pattern: str, request: str) -> bool:
    """Every string ``request`` matches is matched by ``pattern`` (sound: never a false yes).

    The request's own wildcards are symbols that only a ``*`` of the pattern can absorb (a ``?``
    may take a ``?``)."""

    @functools.cache
    def match(i: int, j: int) -> bool:
        if i == len(pattern):
            return j == len(request)
        if pattern[i] == "*":
            return match(i + 1, j) or (j < len(request) and match(i, j + 1))
        if j == len(request) or request[j] == "*":
            return False
        if pattern[i] == "?":
            return match(i + 1, j + 1)
        return request[j] != "?" and pattern[i] == request[j] and match(i + 1, j + 1)

    return match(0, 0)


@functools.lru_cache(maxsize=65536)
def overlaps(first: str, second: str) -> bool:
    """Some string is matched by both patterns."""

    @functools.cache
    def match(i: int, j: int) -> bool:
        if i == len(first) and j == len(second):
            return True
        if i < len(first) and first[i] == "*":
            if match(i + 1, j) or (j < len(second) and match(i, j + 1)):
                return True
        if j < len(second) and second[j] == "*":
            if match(i, j + 1) or (i < len(first) and match(i + 1, j)):
                return True
        if i < len(first) and j < len(second) and "*" not in (first[i], second[j]):
            return (first[i] == second[j] or "?" in (first[i], second[j])) and match(i + 1, j + 1)
        return False

    return match(0, 0)


# ---- requests and decisions -----------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """What a client sends through an endpoint, as the endpoint policy sees it."""

    action: str
    resource: str
    principal: Signer
    #: Condition keys with their values for this request (ABSENT: the request has no such key).
    context: Mapping[str, Any] = field(default_factory=dict)
    #: The account of a signing role, where it is not the policy's own (a participant's, a
    #: stranger's); None: the policy's own account.
    account: str | None = None


Outcome = Literal["allowed", "denied", "depends"]


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reason: str
    #: The condition keys (or principal detail) an undecided answer depends on.
    depends_on: tuple[str, ...] = ()

    @property
    def allowed(self) -> bool:
        return self.outcome == "allowed"


Match = bool | tuple[str, ...]  # True, False, or the keys it depends on


def _all(*matches: Match) -> Match:
    if any(m is False for m in matches):
        return False
    keys = tuple(k for m in matches if isinstance(m, tuple) for k in m)
    return keys or True


def _as_list(value: Any) -> list[Any]:
    return [value] if isinstance(value, (str, dict)) else list(value or [])


def _action_matches(statement: Mapping[str, Any], action: str, deny: bool) -> bool:
    action = action.lower()
    test = overlaps if deny else covers
    if "NotAction" in statement:
        # Applies when the action is outside every NotAction pattern (for all members, or for some).
        outside = [
            not (covers if deny else overlaps)(p.lower(), action)
            for p in _as_list(statement["NotAction"])
        ]
        return all(outside)
    return any(test(p.lower(), action) for p in _as_list(statement.get("Action")))


def _resource_matches(statement: Mapping[str, Any], resource: str, deny: bool) -> bool:
    test = overlaps if deny else covers
    if "NotResource" in statement:
        return all(
            not (covers if deny else overlaps)(p, resource)
            for p in _as_list(statement["NotResource"])
        )
    return any(test(p, resource) for p in _as_list(statement.get("Resource")))


def _principal_entries(principal: Any) -> tuple[bool, list[str], bool]:
    """(everyone, AWS principal entries, names other kinds: Service/Federated/CanonicalUser)."""
    if principal in (None, "*"):
        return True, [], False
    if isinstance(principal, dict):
        aws = [str(p) for p in _as_list(principal.get("AWS"))]
        return "*" in aws, aws, any(k != "AWS" for k in principal)
    return False, [str(p) for p in _as_list(principal)], False


def _principal_matches(principal: Any, kind: Signer, account_id: str) -> Match:
    everyone, aws, _ = _principal_entries(principal)
    if everyone:
        return True
    if kind != "workload":
        return False  # bearer callers are anonymous; presigned URLs are signed in another account
    for entry in aws:
        if entry in (account_id, f"arn:aws:iam::{account_id}:root") or entry.endswith(
            f"iam::{account_id}:root"
        ):
            return True
    if any(f":{account_id}:" in entry for entry in aws):
        return (
            "aws:PrincipalArn",
        )  # a named role or user of this account: which one calls is not known
    return False


def _statement_principal(statement: Mapping[str, Any], kind: Signer, account_id: str) -> Match:
    if "NotPrincipal" in statement:
        excluded = _principal_matches(statement["NotPrincipal"], kind, account_id)
        return ("aws:PrincipalArn",) if isinstance(excluded, tuple) else not excluded
    return _principal_matches(statement.get("Principal"), kind, account_id)


_STRING_TESTS: dict[str, Callable[[str, str], bool]] = {
    "StringEquals": lambda p, v: p == v,
    "StringEqualsIgnoreCase": lambda p, v: p.lower() == v.lower(),
    "StringLike": covers,
    "ArnEquals": lambda p, v: p == v,
    "ArnLike": covers,
}
_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}


def _condition_entry(operator: str, key: str, expected: Any, context: Mapping[str, Any]) -> Match:
    base = operator.split(":", 1)[-1]  # ForAnyValue:/ForAllValues: on single-valued keys
    if_exists = base.endswith("IfExists")
    base = base.removesuffix("IfExists")
    if key.lower() not in context:
        return (key,)
    value = context[key.lower()]
    if base == "Null":
        wants_absent = str(_as_list(expected)[0]).lower() == "true"
        return (value is ABSENT) == wants_absent
    if value is ABSENT:
        return if_exists or base in _NEGATED
    if base == "Bool":
        return str(value).lower() in {str(e).lower() for e in _as_list(expected)}
    negated = base in _NEGATED
    test = _STRING_TESTS.get(_NEGATED.get(base, base))
    if test is None:
        return (key,)  # numeric, date and IP operators: not decided here
    value = str(value)
    if "*" in value or "?" in value:  # the request's value is itself only known as a pattern
        if any(covers(str(e), value) for e in _as_list(expected) if base.endswith("Like")):
            return not negated
        if not any(overlaps(str(e), value) for e in _as_list(expected)):
            return negated
        return (key,)
    hit = any(test(str(e), value) for e in _as_list(expected))
    return hit != negated


def _failed_condition(statement: Mapping[str, Any], context: Mapping[str, Any]) -> str:
    """``requires <key> <operator> <expected>, which is <value> here`` for the first condition
    entry the request fails; "" when none does."""
    lowered = {key.lower(): value for key, value in context.items()}
    for operator, entries in (statement.get("Condition") or {}).items():
        for key, expected in (entries or {}).items():
            if _condition_entry(str(operator), str(key), expected, lowered) is False:
                value = lowered.get(str(key).lower())
                shown = "absent" if value is ABSENT else repr(value)
                return f"requires {key} {operator} {expected!r}, which is {shown} here"
    return ""


def _condition_matches(statement: Mapping[str, Any], context: Mapping[str, Any]) -> Match:
    context = {key.lower(): value for key, value in context.items()}  # IAM's keys ignore case
    condition = statement.get("Condition") or {}
    if not isinstance(condition, dict):
        return ("Condition",)
    results: list[Match] = []
    for operator, entries in condition.items():
        for key, expected in (entries or {}).items():
            results.append(_condition_entry(str(operator), str(key), expected, context))
    return _all(*results)


def _statement_match(statement: Mapping[str, Any], request: Request, account_id: str) -> Match:
    deny = statement.get("Effect") == "Deny"
    if not _action_matches(statement, request.action, deny) or not _resource_matches(
        statement, request.resource, deny
    ):
        return False
    return _all(
        _statement_principal(statement, request.principal, request.account or account_id),
        _condition_matches(statement, request.context),
    )


def statements_of(policy: str | Mapping[str, Any] | None) -> list[Mapping[str, Any]] | None:
    """The statements of a policy document; None for no policy (AWS's default: full access)."""
    if policy is None or policy == "":
        return None
    document = json.loads(policy) if isinstance(policy, str) else policy
    statements = document.get("Statement")
    return [s for s in _as_list(statements) if isinstance(s, dict)]


def evaluate(policy: str | Mapping[str, Any] | None, request: Request, account_id: str) -> Decision:
    """The endpoint policy's answer to a request (a family of requests, see the module doc)."""
    statements = statements_of(policy)
    if statements is None:
        return Decision("allowed", "no policy: the endpoint's default policy allows full access")
    allows: list[tuple[str, Match]] = []
    denies: list[tuple[str, Match]] = []
    for number, statement in enumerate(statements):
        name = str(statement.get("Sid") or f"Statement[{number}]")
        result = _statement_match(statement, request, account_id)
        if result is False:
            continue
        (denies if statement.get("Effect") == "Deny" else allows).append((name, result))
    for name, result in denies:
        if result is True:
            return Decision("denied", f"explicitly denied by {name}")
    allowed_by = next((name for name, result in allows if result is True), None)
    undecided = [(name, result) for name, result in denies if isinstance(result, tuple)]
    if allowed_by is not None and undecided:
        name, keys = undecided[0]
        return Decision(
            "depends", f"{name} may deny it, depending on {', '.join(keys)}", tuple(keys)
        )
    if allowed_by is not None:
        return Decision("allowed", f"allowed by {allowed_by}")
    maybe = [(name, result) for name, result in allows if isinstance(result, tuple)]
    if maybe:
        name, keys = maybe[0]
        return Decision(
            "depends", f"{name} allows it only depending on {', '.join(keys)}", tuple(keys)
        )
    return Decision(
        "denied", "no statement allows it (implicit deny)" + _near_miss(statements, request)
    )


def _near_miss(statements: list[Mapping[str, Any]], request: Request) -> str:
    """``: <Sid> requires <key> ...``: the first Allow whose action and resource match the
    request but whose condition does not (what the perimeter refused)."""
    for number, statement in enumerate(statements):
        if statement.get("Effect") == "Deny":
            continue
        if _action_matches(statement, request.action, False) and _resource_matches(
            statement, request.resource, False
        ):
            failed = _failed_condition(statement, request.context)
            if failed:
                return f": {statement.get('Sid') or f'Statement[{number}]'} {failed}"
    return ""
