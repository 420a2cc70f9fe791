"""Baseline: a cdktf App with one empty stack, no provider bindings."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
from cdktf import App, TerraformStack  # noqa: E402

app = App(outdir=sys.argv[1])
TerraformStack(app, "bare")
app.synth()
