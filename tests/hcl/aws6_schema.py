"""The hashicorp/aws 6.x schema of the types the HCL modules and examples use, extracted from the
jsii assembly that ships in the CDK Terrain bindings (cdktn-provider-aws 25.x binds aws 6.69.1).

No aws 6.x provider binary can be had on this machine, but its schema is in that assembly: each
resource is a class (its attributes) with a Config interface (its arguments), each nested block
an interface of its own. This script writes the subset our HCL needs, so that the test
(tests/hcl/test_aws6_schema.py) runs without the 70 MB wheel:

    pip download --no-deps -d /tmp/cdktn "cdktn-provider-aws==25.8.1"
    .venv/bin/python -m tests.hcl.aws6_schema /tmp/cdktn/cdktn_provider_aws-25.8.1-py3-none-any.whl
"""

from __future__ import annotations

import io
import json
import re
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

from tests.hcl.hcl_usage import used_types

SCHEMA_FILE = Path(__file__).with_name("aws6_schema.json")
_WORD = re.compile(r"(?<!^)(?=[A-Z])")


def snake(name: str) -> str:
    return _WORD.sub("_", name).lower()


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _assembly(wheel: Path) -> tuple[dict[str, Any], str]:
    with zipfile.ZipFile(wheel) as archive:
        member = next(n for n in archive.namelist() if n.endswith(".jsii.tgz"))
        with tarfile.open(fileobj=io.BytesIO(archive.read(member))) as tgz:
            stream = tgz.extractfile("package/.jsii")
            assert stream is not None
            assembly: dict[str, Any] = json.load(stream)
    return assembly, member.rsplit("/", 1)[1]


def _interface(assembly: dict[str, Any], fqn: str) -> dict[str, Any]:
    """Arguments of an interface (a Config or a block): name -> the block's own schema, or None."""
    found: dict[str, Any] = {}
    for prop in assembly["types"][fqn].get("properties", []):
        found[snake(prop["name"])] = _block(assembly, prop["type"])
    return found


def _block(assembly: dict[str, Any], type_ref: dict[str, Any]) -> dict[str, Any] | None:
    """The schema of a nested block, when the property's type is (a list of, or a union with)
    one of the bindings' interfaces."""
    fqn = type_ref.get("fqn", "")
    if fqn.startswith("@cdktn/provider-aws.") and assembly["types"][fqn]["kind"] == "interface":
        return _interface(assembly, fqn)
    inner = [*type_ref.get("union", {}).get("types", [])]
    if "collection" in type_ref:
        inner.append(type_ref["collection"]["elementtype"])
    for option in inner:
        found = _block(assembly, option)
        if found is not None:
            return found
    return None


def _type_schema(assembly: dict[str, Any], mode: str, terraform_type: str) -> dict[str, Any]:
    # Modules are named as the bindings name them: vpcEndpoint, dataAwsRegion.
    module = camel(f"data_{terraform_type}" if mode == "data" else terraform_type[len("aws_") :])
    base = "cdktn.TerraformDataSource" if mode == "data" else "cdktn.TerraformResource"
    classes = [
        fqn
        for fqn, t in assembly["types"].items()
        if fqn.startswith(f"@cdktn/provider-aws.{module}.")
        and t["kind"] == "class"
        and t.get("base") == base
    ]
    if not classes:
        return {"missing": True}
    (fqn,) = classes
    attributes = sorted(
        snake(p["name"])
        for p in assembly["types"][fqn].get("properties", [])
        if not p["name"].endswith("Input") and not p.get("static")
    )
    return {"arguments": _interface(assembly, f"{fqn}Config"), "attributes": attributes}


def main(wheel: str) -> int:
    assembly, source = _assembly(Path(wheel))
    types = used_types()
    schema = {
        "//": f"hashicorp/aws 6.x as bound by {source} (tests/hcl/aws6_schema.py writes it)",
        "provider": assembly.get("description", ""),
        "types": {
            f"{mode} {name}": _type_schema(assembly, mode, name) for mode, name in sorted(types)
        },
    }
    SCHEMA_FILE.write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n")
    print(f"wrote {SCHEMA_FILE} ({len(types)} types)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
