"""Package exports loaded on first use (PEP 562), so that importing a package runs nothing: a
construct loads the engine (cdktf or cdktn and their AWS bindings, seconds), which the commands
that only read a configuration (verify --file, cost, env) never need."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], list[str]]:
    """``(__getattr__, __all__)`` for a package whose names live in the given submodules."""

    def __getattr__(name: str) -> Any:
        if name in exports:
            return getattr(importlib.import_module(exports[name]), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__, sorted(exports)
