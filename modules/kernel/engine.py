"""Which CDK for Terraform engine synthesizes: CDKTF (the default) or its fork CDK Terrain (cdktn).

CDKTF was archived upstream on 2025-12-10; CDK Terrain continues it under new package names
(help/sources.md#cdk-terrain). Set AGENTCORE_ENGINE=cdktn to synthesize with cdktn and its AWS
bindings (hashicorp/aws 6.x), installed by `make cdktn` into a virtual environment of its own,
since the two pin different `constructs` releases. Nothing else changes: cdktf.json, cdktf.out/
and the Terraform state are the same for both.

Standard library only: main.py reads the selection before it knows which venv to run in.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

#: The environment variable that picks the engine.
VARIABLE = "AGENTCORE_ENGINE"


@dataclass(frozen=True)
class Engine:
    """One engine: its core package (App, TerraformStack, ...), the package of its hashicorp/aws
    bindings and the provider version they write into required_providers, and the virtual
    environment (and make target) that holds it."""

    name: str
    bindings: str
    aws_provider: str
    venv: str
    make_target: str

    @property
    def core(self) -> str:
        return self.name

    @property
    def distributions(self) -> tuple[str, ...]:
        """The installed distributions whose versions shape the synthesized JSON."""
        return (self.name, self.bindings.replace("_", "-"), "constructs", "jsii")


ENGINES = {
    engine.name: engine
    for engine in (
        Engine("cdktf", "cdktf_cdktf_provider_aws", "5.100.0", ".venv", make_target="setup"),
        Engine("cdktn", "cdktn_provider_aws", "6.69.1", ".venv-cdktn", make_target="cdktn"),
    )
}
DEFAULT = "cdktf"


class EngineError(ValueError):
    """AGENTCORE_ENGINE names no engine we support."""


def selected_engine() -> Engine:
    """The engine AGENTCORE_ENGINE names (cdktf when it is unset or empty)."""
    name = os.environ.get(VARIABLE, "").strip() or DEFAULT
    engine = ENGINES.get(name.lower())
    if engine is None:
        raise EngineError(
            f"{VARIABLE}: not an engine we support; got {name!r}. Set it to "
            f"{' or '.join(ENGINES)}, or unset it for {DEFAULT}."
        )
    return engine
