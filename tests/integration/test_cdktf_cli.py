"""`npx cdktf synth` (the cdktf CLI running main.py) writes what `python main.py synth` writes."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from modules.environment import PROJECT_ROOT

pytestmark = pytest.mark.integration


def test_cdktf_cli_synth_matches_python_main(tmp_path: Path) -> None:
    if not (PROJECT_ROOT / "node_modules" / ".bin" / "cdktf").exists():
        pytest.fail("cdktf-cli is not installed: run `npm ci` (make setup does)")
    env = {**os.environ, "CHECKPOINT_DISABLE": "1",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("TF_CLI_CONFIG_FILE", None)
    cli_out, python_out = tmp_path / "cli", tmp_path / "python"
    subprocess.run([shutil.which("npx") or "npx", "cdktf", "synth", "--output", str(cli_out)],
                   cwd=PROJECT_ROOT, env=env, check=True, capture_output=True, timeout=300)
    subprocess.run([sys.executable, "main.py", "synth", "--all"], cwd=PROJECT_ROOT,
                   env={**env, "CDKTF_OUTDIR": str(python_out)}, check=True, capture_output=True)
    stacks = sorted(p.relative_to(cli_out) for p in cli_out.glob("stacks/*/cdk.tf.json"))
    assert [s.parent.name for s in stacks] == ["network-dev", "network-prod"]
    for stack in stacks:
        assert (cli_out / stack).read_bytes() == (python_out / stack).read_bytes(), stack
