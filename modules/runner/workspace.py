"""Where things live: synthesized stacks, Terraform state and data dirs, emulator files."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from modules.kernel.errors import CommandError
from modules.runner.emulator import DEFAULT_ACCOUNT
from modules.stack.environment import PROJECT_ROOT, Environment

EMULATOR_ACCOUNT = "AGENTCORE_EMULATOR_ACCOUNT"
# State of stacks deployed to real AWS and to the local emulator never share a file.
Target = Literal["aws", "emulator"]
CDKTF_JSON = PROJECT_ROOT / "cdktf.json"
STATE_FILE = "terraform.tfstate"


@dataclass(frozen=True)
class Workspace:
    """Paths of one checkout, and its account in the emulator. Defaults: cdktf.out/ and
    .state/ in the project root, the emulator's default account.

    ``CDKTF_OUTDIR`` (set by the cdktf CLI) moves the synth output; ``AGENTCORE_STATE_DIR``
    moves the state (tests use it); ``AGENTCORE_EMULATOR_ACCOUNT`` deploys ``--local`` into
    another account of the emulator (tests give each command line its own).
    """

    outdir: Path
    state_root: Path
    emulator_account: str = DEFAULT_ACCOUNT

    @classmethod
    def from_environment(cls) -> Workspace:
        return cls(
            outdir=Path(os.environ.get("CDKTF_OUTDIR") or PROJECT_ROOT / "cdktf.out").resolve(),
            state_root=Path(
                os.environ.get("AGENTCORE_STATE_DIR") or PROJECT_ROOT / ".state"
            ).resolve(),
            emulator_account=_emulator_account(),
        )

    def stack_dir(self, env: Environment) -> Path:
        return self.outdir / "stacks" / env.stack_name

    def stack_file(self, env: Environment) -> Path:
        return self.stack_dir(env) / "cdk.tf.json"

    def target_dir(self, env: Environment, target: Target) -> Path:
        return self.state_root / target / env.env

    def state_file(self, env: Environment, target: Target) -> Path:
        return self.target_dir(env, target) / STATE_FILE

    def backend_path(self, env: Environment) -> str:
        """The local backend path written into cdk.tf.json: real-AWS state, relative to the
        stack directory so the file is the same in every clone. ``--local`` overrides it at
        ``terraform init`` time, so the configuration itself never changes."""
        return os.path.relpath(self.state_file(env, "aws"), self.stack_dir(env))

    @property
    def emulator_dir(self) -> Path:
        """The emulator's record (server.json) and log: apart from the states it holds."""
        return self.state_root / "emulator-server"

    @property
    def synth_cache(self) -> Path:
        return self.state_root / "synth-cache"

    @property
    def archive_dir(self) -> Path:
        return self.state_root / "archive"


def _emulator_account() -> str:
    account = os.environ.get(EMULATOR_ACCOUNT) or DEFAULT_ACCOUNT
    if not re.fullmatch(r"\d{12}", account):
        raise CommandError(
            f"{EMULATOR_ACCOUNT}={account!r} is not an AWS account id: set it to twelve digits "
            f"(e.g. 210987654321), or unset it for the emulator's default account "
            f"{DEFAULT_ACCOUNT}."
        )
    return account


def cdktf_context() -> dict[str, Any]:
    """The ``context`` of cdktf.json, so ``python main.py`` and ``cdktf synth`` agree."""
    return dict(json.loads(CDKTF_JSON.read_text()).get("context", {}))
