"""The engine's core classes (App, stacks, iterators, tokens), from the engine AGENTCORE_ENGINE
selects (modules/kernel/engine.py). Constructs import them from here, never from the engine.

The import names the default engine's package; with cdktn selected, that name is bound to the
``cdktn`` package first, which has the same classes and signatures (as modules/kernel/aws.py
does for the bindings): one list serves both engines, and the type checker reads it against
the default's.
"""

from __future__ import annotations

import importlib
import sys

from modules.kernel.engine import DEFAULT, selected_engine

if selected_engine().name != DEFAULT and DEFAULT not in sys.modules:
    sys.modules[DEFAULT] = importlib.import_module(selected_engine().core)

from cdktf import (  # noqa: E402 - after the binding above
    App,
    LocalBackend,
    S3Backend,
    TerraformElement,
    TerraformIterator,
    TerraformOutput,
    TerraformResourceLifecycle,
    TerraformStack,
    Token,
)

__all__ = [
    "App",
    "LocalBackend",
    "S3Backend",
    "TerraformElement",
    "TerraformIterator",
    "TerraformOutput",
    "TerraformResourceLifecycle",
    "TerraformStack",
    "Token",
]
