"""Timeouts shared by the constructs and the commands that explain them (no cdktf import)."""

from __future__ import annotations

# AgentCore runtime ENIs can hold a subnet or security group for hours after the runtime is gone
# (provider issues #45099, #47399); wait longer than the default before giving up a delete.
LONG_DELETE_TIMEOUT = "60m"
