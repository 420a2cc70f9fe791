"""Every `--json` output the tests read goes through here: it must be the one envelope, valid
against modules/cli/cli_output.schema.json, whatever the command and whether it succeeded."""

from __future__ import annotations

import functools
import json
from typing import Any

import jsonschema

from modules.cli.json_output import SCHEMA_PATH


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def envelope(stdout: str) -> dict[str, Any]:
    """The whole of stdout, parsed and validated (it holds nothing but the envelope)."""
    document = json.loads(stdout)
    _validator().validate(document)
    return dict(document)


def payload(stdout: str) -> dict[str, Any]:
    return dict(envelope(stdout)["payload"])
