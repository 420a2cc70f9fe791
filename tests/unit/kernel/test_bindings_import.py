"""modules/kernel/aws.py imports the AWS bindings without the package __init__: same output, less
work."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from modules.stack.environment import PROJECT_ROOT

SCRIPT = """
import json, sys
from pathlib import Path
from tests.synthesis import synthesize_all
synthesize_all(Path(sys.argv[1]))
loaded = [m for m in sys.modules if m.startswith("cdktf_cdktf_provider_aws.")]
print(json.dumps({"submodules": len(loaded)}))
"""


def _synthesize(outdir: Path, naive: bool) -> int:
    env = {**os.environ, "AGENTCORE_NAIVE_IMPORT": "1" if naive else "0"}
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(outdir)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return int(json.loads(completed.stdout.strip().splitlines()[-1])["submodules"])


def test_lazy_import_gives_byte_identical_stacks(
    synth_outdir: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    naive_outdir = tmp_path_factory.mktemp(
        "naive"
    )  # same depth as synth_outdir: same backend paths
    submodules = _synthesize(naive_outdir, naive=True)
    assert submodules > 2000, "the naive path should have imported every binding submodule"
    stacks = sorted(p.relative_to(synth_outdir) for p in synth_outdir.glob("stacks/*/cdk.tf.json"))
    assert stacks
    for stack in stacks:
        assert (synth_outdir / stack).read_bytes() == (naive_outdir / stack).read_bytes(), stack


def test_lazy_import_loads_only_what_the_constructs_use(tmp_path: Path) -> None:
    assert _synthesize(tmp_path / "lazy", naive=False) < 55  # 50 in 0.6.0 (3 RAM bindings added)
