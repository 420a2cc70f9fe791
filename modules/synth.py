"""Synthesis: environments in, cdktf.out/stacks/<stack>/cdk.tf.json out, all in one App."""
from __future__ import annotations

import os
from pathlib import Path

from modules.environment import Environment
from modules.workspace import Workspace, cdktf_context


def synthesize(envs: list[Environment], workspace: Workspace) -> dict[str, Path]:
    """Synthesize every environment in one process; returns the stack file of each."""
    # jsii prints a 12-line banner on every run under Node 20, which is still maintained here.
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    from cdktf import App  # imported here: loading cdktf costs seconds

    from modules.stack import NetworkStack

    app = App(outdir=str(workspace.outdir), context=cdktf_context())
    for env in envs:
        NetworkStack(app, env, backend_path=workspace.backend_path(env))
    app.synth()
    return {env.env: workspace.stack_file(env) for env in envs}
