"""Asking before a network is changed: in a terminal, or not at all without --auto-approve."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from modules.kernel.errors import CommandError

if TYPE_CHECKING:
    from modules.runner.deployment import Deployment

#: What to do when there is no terminal to ask in.
WITHOUT_TERMINAL = "re-run with --auto-approve (for CI) or from a terminal"


def confirm(
    question: str, expected: str, *, action: str, reason: str = "", way_out: str = WITHOUT_TERMINAL
) -> None:
    """Ask ``question``; go on only if the answer is ``expected``. Refuses without a terminal,
    saying ``reason`` (why it asks) and ``way_out``."""
    if not sys.stdin.isatty():
        why = f": {reason}" if reason else ""
        raise CommandError(
            f"Refusing to {action} without confirmation{why}. Review the output above, then "
            f"{way_out}."
        )
    answer = input(f"{question} Type '{expected}' to go on: ")
    if answer.strip() != expected:
        raise CommandError(f"Did not {action}: the answer was not '{expected}'.")


def confirm_change(
    deployment: Deployment,
    what: str,
    expected: str = "yes",
    *,
    reason: str = "",
    way_out: str = WITHOUT_TERMINAL,
) -> None:
    """Ask before changing the network, naming where: ``what`` reads "<what> AWS account
    1234... in us-west-2 (environment prod, network-prod)?" (the emulator: "<what> the local
    emulator at URL (...)?")."""
    if deployment.emulator is not None:
        where, action = deployment.where, "change the network"
    else:
        account = deployment.aws_client("sts").get_caller_identity()["Account"]
        where, action = f"AWS account {account} in {deployment.env.region}", "change real AWS"
    confirm(
        f"{what} {where} (environment {deployment.env.env}, {deployment.env.stack_name})?",
        expected,
        action=action,
        reason=reason,
        way_out=way_out,
    )
