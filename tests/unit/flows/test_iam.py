"""The endpoint-policy evaluator: IAM's evaluation rules, wildcards, principals and conditions."""

from __future__ import annotations

from typing import Any

import pytest

from modules.flows.iam import (
    ABSENT,
    ANOTHER_ACCOUNT,
    Request,
    covers,
    evaluate,
    overlaps,
)

ACCOUNT = "111122223333"
LAYERS = "arn:aws:s3:::prod-us-west-2-starport-layer-bucket/*"


def _policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _allow(**fields: Any) -> dict[str, Any]:
    return {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": LAYERS,
        **fields,
    }


def _deny(**fields: Any) -> dict[str, Any]:
    return {**_allow(**fields), "Effect": "Deny"}


def _get(
    principal: str = "workload", context: dict[str, Any] | None = None, resource: str = LAYERS
) -> Request:
    return Request("s3:GetObject", resource, principal, context or {})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("pattern", "request_", "expected"),
    [
        ("arn:aws:s3:::b/*", "arn:aws:s3:::b/key", True),
        ("arn:aws:s3:::b/*", "arn:aws:s3:::b/*", True),
        ("arn:aws:s3:::b/x*", "arn:aws:s3:::b/*", False),  # only part of the bucket
        ("*", "anything:*:at?all", True),
        ("a?c", "abc", True),
        ("a?c", "a*c", False),  # * may be empty or longer than one character
        ("a*b*c", "a-x-b-y-c", True),
        ("arn:aws:ecr:*:1:repository/*", "arn:aws:ecr:us-west-2:1:repository/*", True),
    ],
)
def test_covers_means_every_matching_string_matches(
    pattern: str, request_: str, expected: bool
) -> None:
    assert covers(pattern, request_) is expected


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("arn:aws:s3:::b/x*", "arn:aws:s3:::b/*", True),
        ("a*", "b*", False),
        ("a?c", "*c", True),
        ("abc", "abd", False),
    ],
)
def test_overlaps_means_some_string_matches_both(first: str, second: str, expected: bool) -> None:
    assert overlaps(first, second) is expected


def test_no_policy_is_full_access() -> None:
    assert evaluate(None, _get(), ACCOUNT).allowed


def test_an_allow_covering_the_request_allows_it() -> None:
    decision = evaluate(_policy(_allow(Sid="Layers")), _get(), ACCOUNT)
    assert (decision.outcome, decision.reason) == ("allowed", "allowed by Layers")


def test_nothing_allows_it_is_an_implicit_deny() -> None:
    decision = evaluate(_policy(_allow(Action="s3:PutObject")), _get(), ACCOUNT)
    assert decision.outcome == "denied" and "implicit deny" in decision.reason


def test_actions_match_with_wildcards_ignoring_case() -> None:
    assert evaluate(_policy(_allow(Action="S3:Get*")), _get(), ACCOUNT).allowed


def test_an_allow_covering_part_of_the_resources_is_not_enough() -> None:
    policy = _policy(_allow(Resource="arn:aws:s3:::prod-us-west-2-starport-layer-bucket/sha256-a*"))
    assert evaluate(policy, _get(), ACCOUNT).outcome == "denied"


def test_an_explicit_deny_wins_over_an_allow() -> None:
    decision = evaluate(_policy(_allow(), _deny(Sid="NoLayers", Action="s3:*")), _get(), ACCOUNT)
    assert (decision.outcome, decision.reason) == ("denied", "explicitly denied by NoLayers")


def test_a_deny_on_part_of_the_resources_blocks_the_flow() -> None:
    policy = _policy(
        _allow(), _deny(Resource="arn:aws:s3:::prod-us-west-2-starport-layer-bucket/secret*")
    )
    assert evaluate(policy, _get(), ACCOUNT).outcome == "denied"


def test_not_action_allows_every_other_action() -> None:
    assert evaluate(_policy(_allow(Action=None, NotAction="s3:Put*")), _get(), ACCOUNT).allowed
    assert not evaluate(_policy(_allow(Action=None, NotAction="s3:Get*")), _get(), ACCOUNT).allowed


def test_not_resource_allows_every_other_resource() -> None:
    assert evaluate(
        _policy(_allow(Resource=None, NotResource="arn:aws:s3:::other/*")), _get(), ACCOUNT
    ).allowed
    assert not evaluate(
        _policy(_allow(Resource=None, NotResource="arn:aws:s3:::prod-*")), _get(), ACCOUNT
    ).allowed


@pytest.mark.parametrize(
    ("principal", "signer", "expected"),
    [
        ("*", "bearer", "allowed"),
        ({"AWS": "*"}, "bearer", "allowed"),
        ({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "workload", "allowed"),
        ({"AWS": ACCOUNT}, "workload", "allowed"),
        (
            {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "bearer",
            "denied",
        ),  # OAuth callers are anonymous
        ({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "presigned", "denied"),
        (
            {"AWS": f"arn:aws:iam::{ACCOUNT}:role/agent"},
            "workload",
            "depends",
        ),  # which role calls is not known
        ({"Service": "bedrock-agentcore.amazonaws.com"}, "workload", "denied"),
    ],
)
def test_principals(principal: Any, signer: str, expected: str) -> None:
    assert evaluate(_policy(_allow(Principal=principal)), _get(signer), ACCOUNT).outcome == expected


def test_a_condition_on_a_key_the_request_carries_is_decided() -> None:
    policy = _policy(
        _allow(Condition={"StringEquals": {"cloudwatch:namespace": "bedrock-agentcore"}})
    )
    assert evaluate(
        policy, _get(context={"cloudwatch:namespace": "bedrock-agentcore"}), ACCOUNT
    ).allowed
    assert (
        evaluate(policy, _get(context={"cloudwatch:namespace": "Custom"}), ACCOUNT).outcome
        == "denied"
    )


def test_condition_keys_ignore_case() -> None:
    policy = _policy(_allow(Condition={"StringEquals": {"AWS:PrincipalAccount": ACCOUNT}}))
    assert evaluate(policy, _get(context={"aws:PrincipalAccount": ACCOUNT}), ACCOUNT).allowed


def test_a_condition_on_an_unknown_key_depends_on_it_and_is_never_passed() -> None:
    policy = _policy(_allow(Condition={"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}))
    decision = evaluate(policy, _get(), ACCOUNT)
    assert (decision.outcome, decision.depends_on) == ("depends", ("aws:PrincipalOrgID",))


def test_a_deny_that_may_apply_makes_an_allowed_request_depend_on_its_key() -> None:
    policy = _policy(
        _allow(),
        _deny(
            Action="*", Resource="*", Condition={"StringNotEquals": {"aws:PrincipalOrgID": "o-abc"}}
        ),
    )
    decision = evaluate(policy, _get(), ACCOUNT)
    assert decision.outcome == "depends" and "aws:PrincipalOrgID" in decision.reason


def test_a_negated_condition_on_an_absent_key_is_true() -> None:
    # Anonymous (OAuth) requests have no org id: "StringNotEquals aws:PrincipalOrgID" denies them.
    policy = _policy(
        _allow(),
        _deny(
            Action="*", Resource="*", Condition={"StringNotEquals": {"aws:PrincipalOrgID": "o-abc"}}
        ),
    )
    assert (
        evaluate(policy, _get("bearer", {"aws:PrincipalOrgID": ABSENT}), ACCOUNT).outcome
        == "denied"
    )


def test_if_exists_passes_when_the_key_is_absent() -> None:
    policy = _policy(_allow(Condition={"StringEqualsIfExists": {"aws:PrincipalAccount": ACCOUNT}}))
    assert evaluate(policy, _get("bearer", {"aws:PrincipalAccount": ABSENT}), ACCOUNT).allowed


def test_a_presigned_url_is_signed_in_another_account() -> None:
    policy = _policy(_allow(Condition={"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}))
    assert (
        evaluate(
            policy, _get("presigned", {"aws:PrincipalAccount": ANOTHER_ACCOUNT}), ACCOUNT
        ).outcome
        == "denied"
    )


def test_like_conditions_against_a_pattern_valued_key() -> None:
    role = f"arn:aws:iam::{ACCOUNT}:role/*"
    covered = _policy(
        _allow(Condition={"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:*"}})
    )
    narrower = _policy(
        _allow(Condition={"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/agent-*"}})
    )
    assert evaluate(covered, _get(context={"aws:PrincipalArn": role}), ACCOUNT).allowed
    assert (
        evaluate(narrower, _get(context={"aws:PrincipalArn": role}), ACCOUNT).outcome == "depends"
    )


def test_operators_it_does_not_decide_depend_on_their_key() -> None:
    policy = _policy(_allow(Condition={"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}}))
    assert evaluate(policy, _get(context={"aws:VpcSourceIp": "10.0.3.7"}), ACCOUNT).depends_on == (
        "aws:VpcSourceIp",
    )


def test_a_role_of_another_account_is_not_this_accounts_principal() -> None:
    policy = _policy(_allow(Principal={"AWS": ACCOUNT}))
    request = Request("s3:GetObject", LAYERS, "workload", {}, account="444455556666")
    assert evaluate(policy, request, ACCOUNT).outcome == "denied"


def test_a_denial_names_the_condition_that_did_not_match() -> None:
    policy = _policy(
        _allow(Condition={"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}, Sid="Layers")
    )
    decision = evaluate(
        policy, _get("presigned", {"aws:PrincipalAccount": ANOTHER_ACCOUNT}), ACCOUNT
    )
    assert decision.outcome == "denied"
    assert "Layers requires aws:PrincipalAccount" in decision.reason
    assert ANOTHER_ACCOUNT in decision.reason
