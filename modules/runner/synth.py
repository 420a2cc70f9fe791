"""Synthesis: environments in, cdktf.out/stacks/<stack>/cdk.tf.json out, all in one App."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from modules.runner import synth_cache
from modules.runner.workspace import Workspace, cdktf_context
from modules.stack.environment import Environment


@dataclass(frozen=True)
class Synthesis:
    """The stack file of each environment, and whether it came from the synth cache."""

    files: dict[str, Path]
    cached: bool


def synthesize(
    envs: list[Environment], workspace: Workspace, *, use_cache: bool = True
) -> Synthesis:
    """Synthesize every environment in one process.

    Unchanged inputs are served from the synth cache (``use_cache=False`` bypasses it).
    """
    files = {env.env: workspace.stack_file(env) for env in envs}
    entry = workspace.synth_cache / synth_cache.cache_key(
        envs, workspace.outdir, workspace.state_root
    )
    if use_cache and synth_cache.restore(entry, workspace.outdir, envs):
        return Synthesis(files, cached=True)
    _synthesize(envs, workspace)
    synth_cache.store(entry, workspace.outdir, envs)
    return Synthesis(files, cached=False)


def _synthesize(envs: list[Environment], workspace: Workspace) -> None:
    # jsii prints a 12-line banner on every run under Node 20, which is still maintained here.
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    from modules.kernel.core import App  # imported here: loading the engine costs seconds
    from modules.stack.construct import NetworkStack

    app = App(outdir=str(workspace.outdir), context=cdktf_context())
    for env in envs:
        NetworkStack(app, env, backend_path=workspace.backend_path(env))
    app.synth()
