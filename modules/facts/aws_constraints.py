"""What AWS allows by region, without asking AWS: regions, AZ names and IDs, and where AgentCore
runs (aws_constraints.json, dated and sourced; the HCL twins read the same file)."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modules.kernel.errors import ConfigError

CONSTRAINTS_PATH = Path(__file__).with_name("aws_constraints.json")

# Standard commercial and GovCloud regions, e.g. us-west-2, ap-southeast-4, us-gov-west-1.
_REGION = re.compile(r"^(?P<area>[a-z]{2})(?P<gov>-gov)?-[a-z]+-[0-9]{1,2}$")
_AZ_SUFFIX = re.compile(r"^[a-z]$")


@dataclass(frozen=True)
class RegionFacts:
    """What aws_constraints.json says of one region."""

    name: str
    partition: str
    az_letters: tuple[str, ...]
    az_ids: tuple[str, ...]
    #: AgentCore features offered here (runtime, gateway, identity, tools, memory).
    agentcore: tuple[str, ...]
    #: AZ IDs where AgentCore Runtime runs in VPC mode; None where no source gives them.
    runtime_az_ids: tuple[str, ...] | None
    unconfirmed: tuple[str, ...]


@dataclass(frozen=True)
class AwsOwnedResource:
    """A resource AWS owns that a flow reaches (aws_constraints.json, aws_owned_resources): an
    exception of the resource perimeter, named with who signs the requests and the source."""

    key: str
    #: ARN template (``${partition}``, ``${region}``).
    arn: str
    #: ``presigned`` (a URL an AWS service's account signs) or ``workload`` (the caller's role).
    signed_by: str
    what: str
    source: str


@dataclass(frozen=True)
class Constraints:
    as_of: str
    regions: Mapping[str, RegionFacts]
    #: By key (``ecr_image_layers``): the AWS-owned resources the flows may name.
    aws_owned: Mapping[str, AwsOwnedResource]

    def aws_owned_by_arn(self, arn: str) -> AwsOwnedResource | None:
        """The AWS-owned resource an ARN template names, if it is one of them."""
        return next((r for r in self.aws_owned.values() if r.arn == arn), None)

    def agentcore_regions(self, feature: str = "runtime") -> list[str]:
        return sorted(r for r, facts in self.regions.items() if feature in facts.agentcore)


def _facts(name: str, raw: Mapping[str, Any]) -> RegionFacts:
    runtime = raw.get("runtime_az_ids")
    return RegionFacts(
        name=name,
        partition=str(raw["partition"]),
        az_letters=tuple(raw["az_letters"]),
        az_ids=tuple(raw["az_ids"]),
        agentcore=tuple(raw["agentcore"]),
        runtime_az_ids=None if runtime is None else tuple(runtime),
        unconfirmed=tuple(raw.get("unconfirmed", ())),
    )


@functools.cache
def constraints() -> Constraints:
    """The shipped constraints, read once per process."""
    raw = json.loads(CONSTRAINTS_PATH.read_text())
    return Constraints(
        as_of=str(raw["as_of"]),
        regions={k: _facts(k, v) for k, v in raw["regions"].items()},
        aws_owned={
            key: AwsOwnedResource(
                key, str(e["arn"]), str(e["signed_by"]), str(e["what"]), str(e["source"])
            )
            for key, e in raw["aws_owned_resources"].items()
            if key != "//"
        },
    )


def validate_region(field: str, region: object) -> str:
    """Return the region if AWS has it (aws_constraints.json) and we can build service names for
    it."""
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
    if region not in constraints().regions:
        raise ConfigError(
            field,
            "not an AWS region",
            region,
            f"Known regions (as of {constraints().as_of}): "
            f"{', '.join(sorted(constraints().regions))}; a newer one goes into "
            "modules/facts/aws_constraints.json.",
        )
    return region


def validate_agentcore_region(field: str, region: object) -> str:
    """A region that exists and where AgentCore Runtime runs: the network exists for its
    runtimes."""
    validate_region(field, region)
    assert isinstance(region, str)
    if "runtime" not in constraints().regions[region].agentcore:
        raise ConfigError(
            field,
            "AgentCore Runtime is not offered in this region",
            region,
            f"Use one of {', '.join(constraints().agentcore_regions())}.",
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
    return az.startswith(region) and bool(_AZ_SUFFIX.match(az[len(region) :]))


def az_letters(region: str) -> tuple[str, ...]:
    """The letters of the region's AZ names (any account's)."""
    return constraints().regions[region].az_letters
