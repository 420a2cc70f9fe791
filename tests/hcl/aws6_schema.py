"""The hashicorp/aws 6.x schema of the types the HCL modules and examples use, extracted from the
jsii assembly that ships in the CDK Terrain bindings (cdktn-provider-aws 25.x binds aws 6.69.1).

No aws 6.x provider binary can be had on this machine, but its schema is in that assembly: each
resource is a class (its attributes) with a Config interface (its arguments), each nested block
an interface of its own. This script writes the subset our HCL needs
(tests/hcl/test_aws6_schema.py reads it), from the bindings installed in .venv-cdktn (`make
cdktn`), a directory holding them, or their wheel; a test checks the file is what the installed
bindings give:

    .venv/bin/python -m tests.hcl.aws6_schema .venv-cdktn
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


def _assembly(source: Path) -> tuple[dict[str, Any], str]:
    """The assembly of the bindings in ``source``: a wheel, or a directory they are installed in."""
    if source.is_dir():
        (tgz_path,) = source.glob("**/cdktn_provider_aws/_jsii/*.jsii.tgz")
        name, data = tgz_path.name, tgz_path.read_bytes()
    else:
        with zipfile.ZipFile(source) as archive:
            member = next(n for n in archive.namelist() if n.endswith(".jsii.tgz"))
            name, data = member.rsplit("/", 1)[1], archive.read(member)
    with tarfile.open(fileobj=io.BytesIO(data)) as tgz:
        stream = tgz.extractfile("package/.jsii")
        assert stream is not None
        assembly: dict[str, Any] = json.load(stream)
    return assembly, name


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


def schema(source: Path) -> dict[str, Any]:
    """The 6.x schema of every type the HCL uses, from the bindings in ``source``."""
    assembly, name = _assembly(source)
    return {
        "//": f"hashicorp/aws 6.x as bound by {name} (tests/hcl/aws6_schema.py writes it)",
        "provider": assembly.get("description", ""),
        "types": {
            f"{mode} {terraform_type}": _type_schema(assembly, mode, terraform_type)
            for mode, terraform_type in sorted(used_types())
        },
    }


def main(source: str) -> int:
    written = schema(Path(source))
    SCHEMA_FILE.write_text(json.dumps(written, indent=1, sort_keys=True) + "\n")
    print(f"wrote {SCHEMA_FILE} ({len(written['types'])} types)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
