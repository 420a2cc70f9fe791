"""Validation of what an environment selects: flows, code buckets, and the endpoints they need.

The HCL twins carry the same rules as `validation` blocks with the same sentences.
"""

from __future__ import annotations

from modules.facts.facts import Facts
from modules.kernel.bucket_names import BUCKET_NAME_RULE, is_bucket_name
from modules.kernel.errors import ConfigError
from modules.kernel.organizations import ORGANIZATION_ID, PRINCIPAL_PATTERN, organization_of

DIRECT_CODE_FLOW = "runtime_loads_code_from_s3"
#: principal_scope -> the condition key of the identity perimeter (None: no identity perimeter).
PRINCIPAL_SCOPES = {
    "any": None,
    "account": "aws:PrincipalAccount",
    "organization": "aws:PrincipalOrgID",
}
DEFAULT_PRINCIPAL_SCOPE = "account"
#: Where the interface endpoints admit HTTPS from: anywhere in the VPC, or the workload groups.
ENDPOINT_INGRESS = ("vpc", "workloads")


def _listed(values: tuple[str, ...]) -> list[str]:
    return list(values)


def _flows_go(users: list[str]) -> str:
    """``flow a goes`` or ``flows a, b go``."""
    return f"flow {users[0]} goes" if len(users) == 1 else f"flows {', '.join(users)} go"


def _duplicates(field_name: str, values: tuple[str, ...], fix: str) -> None:
    repeated = sorted({v for v in values if values.count(v) > 1})
    if repeated:
        raise ConfigError(
            field_name, f"{', '.join(repeated)} listed more than once", _listed(values), fix
        )


def validate_flows(flows: tuple[str, ...] | None, facts: Facts) -> tuple[str, ...]:
    """The selected flow keys; ``None`` means the default flows."""
    if flows is None:
        return facts.flows.defaults()
    known, retired = facts.flows.flows, facts.flows.retired
    for key in flows:
        if key not in known:
            raise ConfigError(
                "flows",
                f"unknown flow {key!r}"
                + (f" ({key} was {retired[key]})" if key in retired else ""),
                _listed(flows),
                f"Known flows: {', '.join(sorted(known))}.",
            )
    _duplicates("flows", flows, "List each flow once.")
    if not flows:
        raise ConfigError(
            "flows",
            "no flow selected: the network would serve nothing",
            _listed(flows),
            "List the flows the workloads need, or remove flows to get the default ones.",
        )
    return flows


def validate_flow_features(flows: tuple[str, ...], region: str, facts: Facts) -> None:
    """Every AgentCore feature a selected flow needs is offered in the region."""
    offered = facts.aws.regions[region].agentcore
    for key in sorted(flows):
        for feature in facts.flows.flows[key].agentcore:
            if feature not in offered:
                elsewhere = facts.aws.agentcore_regions(feature)
                raise ConfigError(
                    "flows",
                    f"{key} needs AgentCore {feature.title()}, which {region} does not offer",
                    list(flows),
                    f"Remove {key!r} from flows, or use a region that offers it: "
                    f"{', '.join(elsewhere)}.",
                )


def validate_principal_scope(
    scope: str, organization_id: str | None, participants: tuple[str, ...] = ()
) -> None:
    """How far endpoint policies trust signed calls (any principal, this account and its
    participants, or this organization), and whose workloads besides ours use the endpoints."""
    if scope not in PRINCIPAL_SCOPES:
        raise ConfigError(
            "principal_scope",
            "not a principal scope",
            scope,
            f"Use one of {', '.join(PRINCIPAL_SCOPES)}.",
        )
    if scope == "organization" and not organization_id:
        raise ConfigError(
            "organization_id",
            'principal_scope = "organization" needs the organization\'s id',
            organization_id or "",
            'Add organization_id = "o-..." (aws organizations describe-organization).',
        )
    if organization_id is not None and scope != "organization":
        raise ConfigError(
            "organization_id",
            'only principal_scope = "organization" uses it',
            organization_id,
            'Set principal_scope = "organization", or remove organization_id.',
        )
    if organization_id is not None and not ORGANIZATION_ID.match(organization_id):
        raise ConfigError(
            "organization_id",
            "not an organization id",
            organization_id,
            "Use the id of AWS Organizations: 'o-' and 10 to 32 lower-case letters or digits.",
        )
    _validate_participants(scope, organization_id, participants)


def _validate_participants(
    scope: str, organization_id: str | None, participants: tuple[str, ...]
) -> None:
    """Participants are accounts, or (organization scope only) the organization or its OUs."""
    for principal in participants:
        if not PRINCIPAL_PATTERN.match(principal):
            raise ConfigError(
                "participants",
                "not an account id, organization ARN or OU ARN",
                principal,
                "Give the subnet-sharing principals: 12-digit account ids, or the ARN of the "
                "organization or of an OU.",
            )
        organization = organization_of(principal)
        if organization is not None and scope != "organization":
            raise ConfigError(
                "principal_scope",
                f"participant {principal} is an organization or OU, whose accounts the "
                "endpoint policies cannot list",
                scope,
                'Use principal_scope = "organization" (with organization_id), or share with '
                "account ids.",
            )
        if organization is not None and organization != organization_id:
            raise ConfigError(
                "organization_id",
                f"participant {principal} belongs to {organization}",
                organization_id,
                f'Set organization_id = "{organization}": AWS shares subnets only inside the '
                "organization.",
            )


def validate_code_buckets(
    code_buckets: tuple[str, ...], flows: tuple[str, ...], facts: Facts
) -> tuple[str, ...]:
    """Buckets of direct code packages: given exactly when a selected flow reads them."""
    for bucket in code_buckets:
        if not is_bucket_name(bucket):
            raise ConfigError(
                "code_buckets",
                f"not an S3 bucket name: {bucket!r}",
                _listed(code_buckets),
                BUCKET_NAME_RULE,
            )
    _duplicates("code_buckets", code_buckets, "List each bucket once.")
    needing = [f for f in sorted(flows) if facts.flows.flows[f].needs_code_buckets]
    if needing and not code_buckets:
        raise ConfigError(
            "code_buckets",
            f"flow {needing[0]} reads code packages from S3, but no bucket is given",
            _listed(code_buckets),
            'Add code_buckets = ["<bucket of your code packages>"].',
        )
    if code_buckets and not needing:
        raise ConfigError(
            "code_buckets",
            "no selected flow reads code packages",
            _listed(code_buckets),
            f"Add '{DIRECT_CODE_FLOW}' to flows, or remove code_buckets.",
        )
    return code_buckets


def validate_endpoints(
    endpoints: tuple[str, ...] | None, flows: tuple[str, ...], facts: Facts
) -> tuple[str, ...]:
    """The catalog keys that get an endpoint; ``None`` means exactly those the flows need."""
    needed = facts.flows.endpoints_needed(flows, facts.catalog)
    if endpoints is None:
        return tuple(needed)
    known = facts.catalog.endpoints
    for key in endpoints:
        if key not in known:
            raise ConfigError(
                "endpoints",
                f"unknown endpoint {key!r}",
                _listed(endpoints),
                f"Known endpoints: {', '.join(sorted(known))}.",
            )
    _duplicates("endpoints", endpoints, "List each endpoint once.")
    for key, users in sorted(needed.items()):
        if key not in endpoints:
            raise ConfigError(
                "endpoints",
                f"{key!r} is missing, but {_flows_go(users)} through it",
                _listed(endpoints),
                f"Add {key!r} to endpoints, or remove endpoints to get what the flows need.",
            )
    for key in sorted(endpoints):
        if key not in needed:
            users = [f for f, flow in sorted(facts.flows.flows.items()) if key in flow.endpoints]
            raise ConfigError(
                "endpoints",
                f"{key!r} serves no selected flow",
                _listed(endpoints),
                f"Add a flow that uses it ({', '.join(users)}) to flows, or remove {key!r}.",
            )
    return endpoints
