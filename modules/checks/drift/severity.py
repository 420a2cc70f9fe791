"""Loads severity.json and classifies a drifted attribute."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from modules.checks.registry import Severity

SEVERITY_PATH = Path(__file__).with_name("severity.json")


@functools.cache
def rules() -> dict[str, Any]:
    return dict(json.loads(SEVERITY_PATH.read_text()))


def _matches(rule: dict[str, Any], terraform_type: str, attribute: str) -> bool:
    return rule["type"] in ("*", terraform_type) and (
        "*" in rule["attributes"] or attribute in rule["attributes"]
    )


def ignored(terraform_type: str, attribute: str) -> bool:
    return any(_matches(rule, terraform_type, attribute) for rule in rules()["ignored"])


def classify(terraform_type: str, attribute: str) -> tuple[Severity, str]:
    for rule in rules()["attributes"]:
        if _matches(rule, terraform_type, attribute):
            return rule["severity"], rule["why"]
    default = rules()["default"]
    return default["severity"], default["why"]


def deleted() -> tuple[Severity, str]:
    return rules()["deleted"]["severity"], rules()["deleted"]["why"]


def unmanaged(kind: str) -> tuple[Severity, str]:
    entry = rules()["unmanaged"][kind]
    return entry["severity"], entry["why"]


def stale(change: str) -> tuple[Severity, str]:
    entry = rules()["stale"][change]
    return entry["severity"], entry["why"]
