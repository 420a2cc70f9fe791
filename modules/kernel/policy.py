"""IAM policy documents serialized the way Terraform's jsonencode does (sorted, compact)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

POLICY_VERSION = "2012-10-17"


def as_jsonencode(document: Mapping[str, Any]) -> str:
    """``document`` as Terraform's jsonencode writes it: keys sorted, no spaces."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


def policy_json(statements: Sequence[Mapping[str, Any]]) -> str:
    """A policy document; strings may hold cdktf tokens, which resolve at synth."""
    return as_jsonencode({"Version": POLICY_VERSION, "Statement": list(statements)})
