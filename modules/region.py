"""What a region name tells us without asking AWS: its validity, partition and AZ names."""
from __future__ import annotations

import re

from modules.errors import ConfigError

# Standard commercial and GovCloud regions, e.g. us-west-2, ap-southeast-4, us-gov-west-1.
_REGION = re.compile(r"^(?P<area>[a-z]{2})(?P<gov>-gov)?-[a-z]+-[0-9]{1,2}$")
_AZ_SUFFIX = re.compile(r"^[a-z]$")


def validate_region(field: str, region: object) -> str:
    """Return the region if it is a well-formed region name we can build service names for."""
    if not isinstance(region, str) or not _REGION.match(region):
        raise ConfigError(
            field,
            "not a region name",
            region,
            "Use a region such as 'us-west-2' or 'eu-central-1'.",
        )
    if region.startswith(("cn-", "us-iso", "eu-isoe")):
        raise ConfigError(
            field,
            "partitions other than aws and aws-us-gov use different endpoint service names",
            region,
            "Use a commercial or GovCloud region.",
        )
    return region


def partition_of(region: str) -> str:
    """The ARN partition of a region validated by :func:`validate_region`."""
    return "aws-us-gov" if region.startswith("us-gov-") else "aws"


def az_belongs_to_region(az: str, region: str) -> bool:
    """True when ``az`` is an AZ name of ``region`` (``us-west-2a`` for ``us-west-2``).

    Local Zones and Wavelength Zones (``us-west-2-lax-1a``) are rejected on purpose: interface
    endpoints are not offered there.
    """
    return az.startswith(region) and bool(_AZ_SUFFIX.match(az[len(region):]))
