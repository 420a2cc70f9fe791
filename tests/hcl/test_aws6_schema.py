"""The HCL modules take hashicorp/aws 5.100 and 6.x: their version constraint admits both, and
every resource and data source type, argument, nested block and attribute they and the examples
use exists in the 6.x schema (tests/hcl/aws6_schema.json, extracted from the 6.69.1 bindings'
jsii assembly by tests/hcl/aws6_schema.py) and is not one 6.x deprecates. 5.100 itself is
applied by the integration tests (validate, plan, apply of every module and example)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import hcl2
import pytest

from modules.kernel.engine import ENGINES
from modules.stack.environment import PROJECT_ROOT, TFVARS_OPTIONS
from tests.hcl import aws6_schema, hcl_usage
from tests.hcl.aws6_schema import SCHEMA_FILE, schema
from tests.hcl.hcl_usage import usage, used_types

#: What the 6.0 upgrade guide deprecates among what such a module could use
#: (help/sources.md#aws-provider-6): none of it may be used.
DEPRECATED_IN_6 = {("data", "aws_region"): {"name"}}
#: The provider versions the modules must accept: what the tests apply, and 6.x.
VERSIONS = ("5.100.0", "6.0.0", "6.69.1")


def _schema() -> dict[str, Any]:
    return dict(json.loads(SCHEMA_FILE.read_text())["types"])


def test_the_schema_file_covers_exactly_the_types_the_hcl_uses() -> None:
    assert set(_schema()) == {f"{mode} {name}" for mode, name in used_types()}, (
        "regenerate: python -m tests.hcl.aws6_schema .venv-cdktn"
    )


def test_the_schema_file_is_what_the_installed_cdktn_bindings_give(
    request: pytest.FixtureRequest,
) -> None:
    # The second engine's venv (make cdktn) holds the bindings the file was extracted from. The
    # extraction (a 155 MB assembly) is kept in pytest's cache under the hash of what it reads.
    venv = PROJECT_ROOT / ENGINES["cdktn"].venv
    assert venv.is_dir(), f"{venv} is missing: run `make cdktn` (make setup does)"
    (assembly,) = venv.glob("lib/*/site-packages/cdktn_provider_aws/_jsii/*.jsii.tgz")
    inputs = hashlib.sha256(assembly.read_bytes())
    for source in (aws6_schema.__file__, hcl_usage.__file__):
        inputs.update(Path(source).read_bytes())
    inputs.update(repr(sorted(used_types())).encode())
    key = f"aws6_schema/{inputs.hexdigest()}"
    extracted = request.config.cache.get(key, None)
    if extracted is None:
        extracted = schema(venv)
        request.config.cache.set(key, extracted)
    assert json.loads(SCHEMA_FILE.read_text()) == extracted, (
        "regenerate: python -m tests.hcl.aws6_schema .venv-cdktn"
    )


def _unknown(used: dict[str, Any], known: dict[str, Any], path: str) -> list[str]:
    missing = []
    for name, nested in used.items():
        if name not in known:
            missing.append(f"{path}.{name}")
        elif isinstance(nested, dict) and nested:
            missing += _unknown(nested, known[name] or {}, f"{path}.{name}")
    return missing


def test_every_argument_and_block_exists_in_aws_6() -> None:
    schema = _schema()
    used, _ = usage()
    missing = []
    for (mode, name), arguments in sorted(used.items()):
        entry = schema[f"{mode} {name}"]
        assert not entry.get("missing"), f"{mode} {name} is not in aws 6.x"
        missing += _unknown(arguments, entry["arguments"], f"{mode}.{name}")
    assert missing == []


def test_every_attribute_read_exists_in_aws_6_and_none_is_deprecated() -> None:
    schema = _schema()
    _, reads = usage()
    assert reads
    missing = [
        f"{mode}.{name}.{attribute}"
        for mode, name, attribute in sorted(reads)
        if attribute not in schema[f"{mode} {name}"]["attributes"]
    ]
    assert missing == []
    deprecated = [
        (mode, name, attribute)
        for mode, name, attribute in reads
        if attribute in DEPRECATED_IN_6.get((mode, name), set())
    ]
    assert deprecated == []


def _admits(constraint: str, version: str) -> bool:
    """Whether a Terraform version constraint (>=, <, ~>, =, comma-separated) admits ``version``."""

    def parts(text: str) -> tuple[int, ...]:
        return tuple(int(p) for p in text.split("."))

    have = parts(version)
    for clause in constraint.split(","):
        operator, wanted = re.fullmatch(r"\s*(>=|<=|>|<|~>|=)?\s*([\d.]+)\s*", clause).groups()  # type: ignore[union-attr]
        want = parts(wanted)
        padded = have[: len(want)]
        ok = {
            ">=": have >= want,
            "<=": have <= want,
            ">": have > want,
            "<": have < want,
            "=": have == want,
            None: have == want,
            "~>": padded >= want and have[: len(want) - 1] == want[:-1],
        }[operator]
        if not ok:
            return False
    return True


@pytest.mark.parametrize(
    "versions_tf",
    sorted(PROJECT_ROOT.glob("modules/*/terraform/versions.tf")),
    ids=lambda p: p.parent.parent.name,
)
def test_every_module_accepts_aws_5_100_and_6(versions_tf: Any) -> None:
    terraform = hcl2.loads(versions_tf.read_text(), serialization_options=TFVARS_OPTIONS)
    constraint = terraform["terraform"][0]["required_providers"][0]["aws"]["version"]
    assert [v for v in VERSIONS if not _admits(constraint, v)] == [], constraint
    assert not _admits(constraint, "7.0.0")  # a major not yet checked


def test_the_constraint_reader_reads_constraints_as_terraform_does() -> None:
    assert _admits("~> 5.100.0", "5.100.0") and not _admits("~> 5.100.0", "5.101.0")
    assert _admits("~> 6.0", "6.69.1") and not _admits("~> 6.0", "7.0.0")
    assert _admits(">= 5.100, < 7.0", "6.69.1") and not _admits(">= 5.100, < 7.0", "5.99.0")
