"""IAM policy documents serialized the way Terraform's jsonencode does (sorted, compact), and
the placeholders of their templates (``${partition}``, ``${region}``, ``${account_id}``)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

POLICY_VERSION = "2012-10-17"
_PLACEHOLDER = re.compile(r"\$\{(partition|region|account_id)\}")


def as_jsonencode(document: Mapping[str, Any]) -> str:
    """``document`` as Terraform's jsonencode writes it: keys sorted, no spaces."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


def policy_json(statements: Sequence[Mapping[str, Any]]) -> str:
    """A policy document; strings may hold cdktf tokens, which resolve at synth."""
    return as_jsonencode({"Version": POLICY_VERSION, "Statement": list(statements)})


def render(template: str, *, partition: str, region: str, account_id: str) -> str:
    """Fill ``${partition}``, ``${region}`` and ``${account_id}`` into a template."""
    values = {"partition": partition, "region": region, "account_id": account_id}
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)
