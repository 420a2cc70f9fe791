"""The flow-log policies as data (the JSON files beside this one), read by the FlowLogs construct
and, through templatefile, by the HCL twin (no cdktf import)."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from modules.kernel.policy import as_jsonencode

POLICIES = Path(__file__).parent
#: What a policy file may leave for the language to fill in (Terraform's templatefile syntax).
_PLACEHOLDER = re.compile(r"\$\{([a-z_]+)\}")


@functools.cache
def _template(name: str) -> str:
    """A policy file without its ``//`` notes, serialized as Terraform's jsonencode does."""
    document = json.loads((POLICIES / f"{name}.json").read_text())
    document.pop("//", None)
    return as_jsonencode(document)


def policy(name: str, **values: str) -> str:
    """The policy ``policies/<name>.json`` with its ``${...}`` filled in (values may be tokens)."""

    def fill(match: re.Match[str]) -> str:
        if match.group(1) not in values:
            raise KeyError(f"policies/{name}.json needs a value for ${{{match.group(1)}}}")
        return values[match.group(1)]

    return _PLACEHOLDER.sub(fill, _template(name))
