"""Test helper: write environment files from Python values (the reverse of environment.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import hcl2

from modules.stack.environment import PROJECT_ROOT, TFVARS_OPTIONS

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def shipped(env: str) -> dict[str, Any]:
    """The values of a shipped environment file, as python-hcl2 reads them."""
    text = (PROJECT_ROOT / "environments" / f"{env}.tfvars").read_text()
    return dict(hcl2.loads(text, serialization_options=TFVARS_OPTIONS))


def render(value: Any) -> str:
    """One HCL value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(render(item) for item in value) + "]"
    if isinstance(value, dict):
        items = (
            f"{k if _IDENTIFIER.match(k) else json.dumps(k)} = {render(v)}"
            for k, v in value.items()
        )
        return "{ " + ", ".join(items) + " }"
    raise TypeError(f"cannot render {value!r}")


def write(directory: Path, env: str, values: dict[str, Any]) -> Path:
    """Write ``values`` as environments file ``<directory>/<env>.tfvars``."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{env}.tfvars"
    path.write_text("".join(f"{key} = {render(value)}\n" for key, value in values.items()))
    return path
