"""CDK Terrain (cdktn) as a second engine: every environment synthesized by cdktn with its AWS
bindings (hashicorp/aws 6.69.1) is the cdktf synthesis but for the differences listed below, each
with its reason; `verify --file` proves the cdktn stacks; and nothing of cdktf is installed in its
venv (modules/kernel/engine.py, core.py and aws.py are the one seam).

The cdktn engine lives in .venv-cdktn (`make cdktn`; `make setup` makes it too)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from modules.kernel.engine import ENGINES, VARIABLE
from modules.stack.environment import PROJECT_ROOT
from tests.conftest import FIXTURE_ENVIRONMENTS, SHIPPED

CDKTN = ENGINES["cdktn"]
CDKTF = ENGINES["cdktf"]
PYTHON = PROJECT_ROOT / CDKTN.venv / "bin" / "python"

#: Where the two engines' stacks may differ, and why. Nothing the 6.x schema forces is listed:
#: the constructs use only what both provider majors take (the region is read from
#: data.aws_region's `id`, not the `name` 6.0 deprecates; tests/hcl/test_aws6_schema.py checks
#: the HCL twins against the same schema).
DIFFERENCES = {
    ("//", "metadata", "version"): "the engine's own version (cdktf 0.21.0, cdktn 0.24.0): "
    "metadata Terraform ignores",
    ("terraform", "required_providers", "aws", "source"): 'cdktf writes "aws", cdktn '
    '"hashicorp/aws": both mean registry.terraform.io/hashicorp/aws',
    ("terraform", "required_providers", "aws", "version"): "each engine's bindings pin the "
    "provider they were generated from: 5.100.0 (cdktf) and 6.69.1 (cdktn)",
}


def _main(*args: str, python: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*python, "main.py", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )


def _differences(a: Any, b: Any, path: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    if isinstance(a, dict) and isinstance(b, dict):
        return {
            found
            for key in a.keys() | b.keys()
            for found in _differences(a.get(key), b.get(key), (*path, key))
        }
    return set() if a == b else {path}


@pytest.fixture(scope="module")
def cdktn_outdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python main.py synth --all` with cdktn selected, over the shipped and the fixture
    environments (one directory: AGENTCORE_ENVIRONMENTS_DIR), from the default venv's Python:
    main.py starts itself again in .venv-cdktn."""
    environments = tmp_path_factory.mktemp("environments")
    for source in (PROJECT_ROOT / "environments", FIXTURE_ENVIRONMENTS):
        for path in source.glob("*.tfvars"):
            shutil.copy(path, environments / path.name)
    outdir = tmp_path_factory.mktemp("cdktn")  # same depth as synth_outdir: same backend paths
    ran = _main(
        "synth",
        "--all",
        "--no-cache",
        python=[sys.executable],
        **{VARIABLE: "cdktn", "CDKTF_OUTDIR": str(outdir)},
        AGENTCORE_ENVIRONMENTS_DIR=str(environments),
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    return outdir


def test_cdktn_synthesizes_every_environment_as_cdktf_does_but_for_the_listed_differences(
    synth_outdir: Path, cdktn_outdir: Path
) -> None:
    stacks = sorted(p.relative_to(synth_outdir) for p in synth_outdir.glob("stacks/*/cdk.tf.json"))
    assert len(stacks) >= len(SHIPPED)
    assert stacks == sorted(
        p.relative_to(cdktn_outdir) for p in cdktn_outdir.glob("stacks/*/cdk.tf.json")
    )
    found: set[tuple[str, ...]] = set()
    for stack in stacks:
        cdktf_stack = json.loads((synth_outdir / stack).read_text())
        cdktn_stack = json.loads((cdktn_outdir / stack).read_text())
        found |= _differences(cdktf_stack, cdktn_stack)
        providers = cdktn_stack["terraform"]["required_providers"]["aws"]
        assert providers == {"source": "hashicorp/aws", "version": CDKTN.aws_provider}, stack
        assert cdktf_stack["terraform"]["required_providers"]["aws"]["version"] == (
            CDKTF.aws_provider
        )
    unexplained = found - DIFFERENCES.keys()
    assert not unexplained, f"differences with no reason listed: {sorted(unexplained)}"
    assert found == DIFFERENCES.keys(), f"listed but gone: {sorted(DIFFERENCES.keys() - found)}"


def test_verify_file_proves_every_shipped_cdktn_stack(cdktn_outdir: Path) -> None:
    runs = {
        env: subprocess.Popen(
            [
                str(PYTHON),
                "main.py",
                "verify",
                "--file",
                str(cdktn_outdir / "stacks" / f"network-{env}" / "cdk.tf.json"),
                "--json",
            ],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, VARIABLE: "cdktn"},
        )
        for env in SHIPPED
    }
    for env, run in runs.items():
        stdout, stderr = run.communicate(timeout=300)
        assert run.returncode == 0, (env, stderr[-2000:])
        assert json.loads(stdout)["result"] == "proven", env


def test_each_engine_runs_in_its_own_venv_with_nothing_of_the_other() -> None:
    version = _main("--version", python=[sys.executable], **{VARIABLE: "cdktn"})
    assert f"(cdktn engine, hashicorp/aws {CDKTN.aws_provider})" in version.stdout, version.stderr
    default = _main("--version", python=[sys.executable], **{VARIABLE: ""})
    assert f"(cdktf engine, hashicorp/aws {CDKTF.aws_provider})" in default.stdout, default.stderr
    # The names the seam imports (cdktf, cdktf_cdktf_provider_aws) can only be cdktn's there.
    installed = {p.name.split("-")[0] for p in PYTHON.parent.parent.glob("lib/*/site-packages/*")}
    assert {"cdktn", "cdktn_provider_aws"} <= installed
    assert not installed & {"cdktf", "cdktf_cdktf_provider_aws"}


def test_an_engine_not_installed_or_unknown_is_one_line_with_the_fix(tmp_path: Path) -> None:
    bare = [sys._base_executable, "-S"]  # type: ignore[attr-defined]
    missing = _main("synth", python=bare, AGENTCORE_VENV=str(tmp_path), **{VARIABLE: "cdktn"})
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert missing.stderr.startswith("error: cdktn is not installed for "), missing.stderr
    assert "Run `make cdktn`" in missing.stderr
    unknown = _main("synth", python=[sys.executable], **{VARIABLE: "cdk-terrain"})
    assert unknown.returncode == 1
    assert unknown.stderr == (
        f"error: {VARIABLE}: not an engine we support; got 'cdk-terrain'. Set it to cdktf or "
        "cdktn, or unset it for cdktf.\n"
    )
