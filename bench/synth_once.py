"""Times one call of modules.runner.synth.synthesize in this process (interpreter start
excluded)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from modules.runner.synth import synthesize  # noqa: E402
from modules.runner.workspace import Workspace  # noqa: E402
from modules.stack.environment import environment_names, load_environments  # noqa: E402

outdir, state_root, use_cache = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "cache"
envs = load_environments(sys.argv[4:] or environment_names())
started = time.perf_counter()
result = synthesize(envs, Workspace(outdir=outdir, state_root=state_root), use_cache=use_cache)
print(json.dumps({"seconds": time.perf_counter() - started, "cached": result.cached}))
