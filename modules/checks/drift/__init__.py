"""Drift: differences between Terraform state and the live network, with their severity."""

from modules.checks.drift.managed import managed_drift
from modules.checks.drift.unmanaged import unmanaged_additions
from modules.checks.finding import Finding

__all__ = ["Finding", "managed_drift", "unmanaged_additions"]
