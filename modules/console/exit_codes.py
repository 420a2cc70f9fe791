"""Exit codes of every command, in one place (Terraform's `-detailed-exitcode` convention).

CI reads them: 1 always means "something is wrong" (a bad configuration, a typo'd flag, AWS or
Terraform failing), so a pull request that breaks an environment file fails its plan job; 2
always means "it worked, and the result needs a look" (changes, drift, a refuted flow, a problem
in the live network). What each command returns it declares itself (modules/cli/commands/, the
`exit_codes` of its COMMAND); README's table and `--help` print that.
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

EPILOG: Final = (
    f"exit codes: {SUCCESS} success or nothing to do; {ERROR} any error (bad configuration, bad "
    f"usage, AWS or Terraform failure); {ATTENTION} a result that needs attention (plan: changes, "
    f"drift: drift, verify: refuted, doctor: problems); {NOT_RUNNING} local status: emulator not "
    f"running, verify: unprovable from a plan whose values are known only after apply"
)
