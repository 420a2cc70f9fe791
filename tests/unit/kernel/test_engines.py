"""CDK Terrain (cdktn) as a second engine: every environment synthesized by cdktn with its AWS
bindings (hashicorp/aws 6.69.1) is the cdktf synthesis but for the differences listed below, each
with its reason; `verify --file` proves the cdktn stacks; and nothing of cdktf is loaded on the
way (modules/kernel/engine.py, core.py and aws.py are the one seam).

The cdktn engine lives in .venv-cdktn (`make cdktn`; `make setup` makes it too)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from modules.kernel.engine import ENGINES, VARIABLE
from modules.stack.environment import PROJECT_ROOT
from tests.conftest import SHIPPED

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

SCRIPT = """
import json, sys
from pathlib import Path
from tests.synthesis import synthesize_all
synthesize_all(Path(sys.argv[1]))
engine_packages = {"cdktf", "cdktn", "cdktf_cdktf_provider_aws", "cdktn_provider_aws"}
print(json.dumps(sorted({
    Path(m.__file__).parts[Path(m.__file__).parts.index("site-packages") + 1]
    for name, m in sys.modules.items()
    if name.split(".")[0] in engine_packages and getattr(m, "__file__", None)
})))
"""


def _cdktn(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    if not PYTHON.is_file():
        pytest.fail(f"{PYTHON} is missing: run `make cdktn` (make setup does) to test the engine")
    return subprocess.run(
        [str(PYTHON), *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, VARIABLE: "cdktn", **(env or {})},
        timeout=300,
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
    outdir = tmp_path_factory.mktemp("cdktn")  # same depth as synth_outdir: same backend paths
    ran = _cdktn("-c", SCRIPT, str(outdir))
    assert ran.returncode == 0, ran.stderr[-3000:]
    loaded = json.loads(ran.stdout.strip().splitlines()[-1])
    # The names the seam imports (cdktf, cdktf_cdktf_provider_aws) are cdktn's packages.
    assert loaded == ["cdktn", CDKTN.bindings], f"the engine's classes came from {loaded}"
    return outdir


def test_cdktn_synthesizes_every_environment_as_cdktf_does_but_for_the_listed_differences(
    synth_outdir: Path, cdktn_outdir: Path
) -> None:
    stacks = sorted(p.relative_to(synth_outdir) for p in synth_outdir.glob("stacks/*/cdk.tf.json"))
    assert len(stacks) >= len(SHIPPED)
    assert sorted(p.relative_to(cdktn_outdir) for p in cdktn_outdir.glob("stacks/*/cdk.tf.json"))
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


def _main(*args: str, python: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*python, "main.py", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )


def test_main_synth_runs_itself_in_the_selected_engines_venv_and_writes_those_stacks(
    cdktn_outdir: Path, tmp_path: Path
) -> None:
    # From the default venv's Python: main.py starts itself again in .venv-cdktn. tmp_path is
    # as deep as cdktn_outdir, so the backend's relative state path is the same.
    ran = _main(
        "synth",
        "--env",
        "dev",
        "--no-cache",
        python=[sys.executable],
        **{VARIABLE: "cdktn", "CDKTF_OUTDIR": str(tmp_path)},
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    stack = Path("stacks") / "network-dev" / "cdk.tf.json"
    assert (tmp_path / stack).read_bytes() == (cdktn_outdir / stack).read_bytes()
    version = _main("--version", python=[sys.executable], **{VARIABLE: "cdktn"})
    assert f"(cdktn engine, hashicorp/aws {CDKTN.aws_provider})" in version.stdout, version.stderr
    default = _main("--version", python=[sys.executable], **{VARIABLE: ""})
    assert f"(cdktf engine, hashicorp/aws {CDKTF.aws_provider})" in default.stdout, default.stderr


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
