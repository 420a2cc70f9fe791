"""Asking before real AWS is changed: in a terminal, or not at all without --auto-approve."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from modules.kernel.errors import CommandError

if TYPE_CHECKING:
    from modules.runner.deployment import Deployment


def confirm(question: str, expected: str, *, action: str) -> None:
    """Ask ``question``; go on only if the answer is ``expected``. Refuses without a terminal."""
    if not sys.stdin.isatty():
        raise CommandError(
            f"Refusing to {action} without confirmation: review the output above, then re-run "
            "with --auto-approve (for CI) or from a terminal."
        )
    answer = input(f"{question} Type '{expected}' to go on: ")
    if answer.strip() != expected:
        raise CommandError(f"Did not {action}: the answer was not '{expected}'.")


def confirm_change(deployment: Deployment, what: str, expected: str = "yes") -> None:
    """Ask before changing real AWS, naming the account, the region and the environment:
    ``what`` reads "<what> AWS account 1234... in us-west-2 (environment prod, network-prod)?"."""
    account = deployment.aws_client("sts").get_caller_identity()["Account"]
    confirm(
        f"{what} AWS account {account} in {deployment.env.region} "
        f"(environment {deployment.env.env}, {deployment.env.stack_name})?",
        expected,
        action="change real AWS",
    )
