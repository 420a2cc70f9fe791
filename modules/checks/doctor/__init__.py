"""doctor: the AWS sample's troubleshooting checklist, run against the deployed network."""

from modules.checks.doctor.checks import Result, diagnose

__all__ = ["Result", "diagnose"]
