"""Exit codes of every command, in one place (Terraform's `-detailed-exitcode` convention).

CI reads them: 1 always means "something is wrong" (a bad configuration, a typo'd flag, AWS or
Terraform failing), so a pull request that breaks an environment file fails its plan job; 2
always means "it worked, and the result needs a look" (changes, drift, a refuted flow, a problem
in the live network). The README table and `--help` are generated from COMMANDS; a test keeps
them in step.
"""

from __future__ import annotations

from typing import Final

SUCCESS: Final = 0
"""Success, or nothing to do (no changes, no drift, proven, healthy)."""
ERROR: Final = 1
"""Any error: bad configuration, bad usage or unknown flag, AWS or Terraform failure."""
ATTENTION: Final = 2
"""A result that needs attention: changes pending, drift, a refuted flow, an unhealthy network."""
NOT_RUNNING: Final = 3
"""`local status` only: the emulator is not running (like `systemctl status`)."""
UNPROVABLE: Final = 3
"""`verify` only: nothing is refuted, but some claims rest on values a plan knows only after
apply (a first deploy's plan); what it knows, and the configuration it was made from, hold."""
INTERRUPTED: Final = 130
"""Ctrl-C, as shells report SIGINT."""

#: The exit codes of each command, as the README table and `--help` print them.
COMMANDS: Final[dict[str, str]] = {
    "synth": "0, 1 error",
    "plan": "0 no changes, 2 changes, 1 error",
    "deploy": "0, 1 error or refused, 130 interrupted",
    "destroy": "0, 1 error",
    "output": "0, 1 error (nothing deployed)",
    "drift": "0 none, 2 drift, 1 error",
    "verify": "0 proven, 2 refuted, 3 unprovable (values known only after apply), 1 error",
    "doctor": "0 healthy, 2 problems, 1 error",
    "cost": "0, 1 error",
    "diagram": "0, 1 error (no Graphviz)",
    "matrix": "0, 1 error",
    "env": "0, 1 error",
    "deploy-role": "0, 1 error",
    "force-unlock": "0, 1 error",
    "local": "0, 1 error; status: 3 not running",
}


EPILOG: Final = (
    f"exit codes: {SUCCESS} success or nothing to do; {ERROR} any error (bad configuration, bad "
    f"usage, AWS or Terraform failure); {ATTENTION} a result that needs attention (plan: changes, "
    f"drift: drift, verify: refuted, doctor: problems); {NOT_RUNNING} local status: emulator not "
    f"running, verify: unprovable from a plan whose values are known only after apply"
)
