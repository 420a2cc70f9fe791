"""Reads environments/<name>.tfvars (python-hcl2) into one typed, validated Environment."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

import hcl2
from hcl2 import SerializationOptions

from modules.facts.aws_constraints import constraints, validate_agentcore_region
from modules.facts.facts import Facts, shipped
from modules.facts.selection import DEFAULT_PRINCIPAL_SCOPE
from modules.kernel.errors import ConfigError, raise_all
from modules.kernel.tags import validate_tags
from modules.network.config import NetworkConfig, SubnetConfig
from modules.security_groups.config import SecurityGroupsConfig
from modules.stack.state_backend import StateBackendConfig
from modules.subnet_sharing.config import (
    SHAREABLE_ENDPOINT_INGRESS,
    SubnetSharingConfig,
    sharing_facts,
)
from modules.vpc_endpoints.config import VpcEndpointsConfig

_T = TypeVar("_T")

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ENVIRONMENTS_ENV = "AGENTCORE_ENVIRONMENTS_DIR"
STACK_PREFIX = "network-"

# Plain values: no quotes kept, no __is_block__ / __comments__ keys (python-hcl2 8.x options).
TFVARS_OPTIONS = SerializationOptions(
    strip_string_quotes=True, explicit_blocks=False, with_comments=False
)
_ENV_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
#: Files that only other environments extend (``_common.tfvars``): never an environment.
LAYER_ONLY_PREFIX = "_"
_LAYER_NAME = re.compile(r"^_?[a-z0-9][a-z0-9_-]{0,31}$")
_TOP_LEVEL_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*")
_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*=", re.MULTILINE)


@dataclass(frozen=True, kw_only=True)
class Environment:
    """Everything one environment file configures, validated."""

    #: Environment name: the file stem (``dev`` for environments/dev.tfvars).
    env: str
    source: Path
    region: str
    #: Tags on every resource (provider default_tags). Default: none.
    tags: Mapping[str, str] = field(default_factory=dict)
    network: NetworkConfig
    vpc_endpoints: VpcEndpointsConfig
    security_groups: SecurityGroupsConfig
    #: Where Terraform keeps the state. Default: local.
    state_backend: StateBackendConfig = field(default_factory=StateBackendConfig)
    #: The share of subnets with other accounts (AWS RAM). Default: ``None``, none.
    subnet_sharing: SubnetSharingConfig | None = None
    #: The subnet roles whose subnets are shared (``subnet_sharing.roles``; default: the runtime
    #: roles the network has). Empty when nothing is shared.
    shared_roles: tuple[str, ...] = ()
    #: How many workloads are expected to use the network (``subnet_sharing.workloads``), for
    #: ``cost``'s per-workload figures. Default: ``None``, not said.
    workloads: int | None = None
    #: What the configuration relies on that no source confirms (printed, not refused).
    warnings: tuple[str, ...] = ()
    #: Every file of the environment, base layer first and ``source`` last (``extends``): give
    #: them to Terraform in this order, one ``-var-file`` each.
    sources: tuple[Path, ...] = ()
    #: The file that set each variable (a later layer replaces an earlier one's value).
    origins: Mapping[str, Path] = field(default_factory=dict)

    @property
    def var_files(self) -> tuple[Path, ...]:
        """``terraform plan -var-file=...`` for each, in this order, reads this environment."""
        return self.sources or (self.source,)

    def origin(self, variable: str) -> Path:
        """The file that set ``variable`` (the environment's own file for defaults)."""
        return self.origins.get(variable, self.source)

    @property
    def shared_subnets(self) -> dict[str, str]:
        """Subnet name -> role of every shared subnet, in name order ({} when none is shared)."""
        return {
            name: self.network.role_of(name)
            for name in sorted(self.network.subnets)
            if self.network.role_of(name) in self.shared_roles
        }

    @property
    def facts(self) -> Facts:
        """The catalog, rules and flows this environment names: the shipped ones (environment
        files cannot extend them; help/library.md does, in code)."""
        return self.vpc_endpoints.facts

    @property
    def stack_name(self) -> str:
        """The CDKTF stack: ``cdktf.out/stacks/<stack_name>/cdk.tf.json``."""
        return f"{STACK_PREFIX}{self.env}"


#: Where load_environment reports an environment's warnings; the CLI prints them on stderr.
warning_sink: Callable[[str], None] | None = None


def environments_dir() -> Path:
    """Where environment files live: ``environments/``, or ``$AGENTCORE_ENVIRONMENTS_DIR``
    (for teams that keep their tfvars in a separate repository)."""
    return Path(os.environ.get(ENVIRONMENTS_ENV) or PROJECT_ROOT / "environments")


def environment_names(directory: Path | None = None) -> list[str]:
    """The environments that exist as files, sorted (``_*.tfvars`` are layers only)."""
    return [n for n in layer_names(directory) if not n.startswith(LAYER_ONLY_PREFIX)]


def layer_names(directory: Path | None = None) -> list[str]:
    """Every file an environment may extend: the environments and the ``_*`` layers, sorted."""
    return sorted(p.stem for p in (directory or environments_dir()).glob("*.tfvars"))


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)


def load_environment(env: str, directory: Path | None = None) -> Environment:
    """Read and validate one environment (its file and the layers it extends); every
    ConfigError names the file that set the bad value."""
    directory = directory or environments_dir()
    if not isinstance(env, str) or not _ENV_NAME.match(env):
        raise ConfigError(
            "--env",
            "not an environment name",
            env,
            "Use lower-case letters, digits, '-' and '_' (the stem of a file in environments/).",
        )
    source = directory / f"{env}.tfvars"
    if not source.is_file():
        known = ", ".join(environment_names(directory)) or "none"
        raise ConfigError(
            "--env",
            f"there is no file {display_path(source)}",
            env,
            f"Known environments: {known}. Create {display_path(source)} or pick one of them.",
        )
    layers = read_layers(source, directory)
    values, origins = merge_layers(layers)
    try:
        loaded = _environment(env, source, values)
    except ConfigError as error:

        def located(error: ConfigError) -> ConfigError:
            setter = origins.get(_top_level(error.field), source)
            where = display_path(setter) + (f" (a layer of {env})" if setter != source else "")
            return ConfigError(f"{where}: {error.field}", error.problem, error.value, error.fix)

        raise_all([located(e) for e in getattr(error, "errors", [error])])
        raise  # unreachable: raise_all raised
    loaded = replace(loaded, sources=tuple(path for path, _ in layers), origins=origins)
    for warning in loaded.warnings:
        if warning_sink is not None:
            warning_sink(f"{display_path(source)}: {warning}")
    return loaded


def _top_level(field_name: str) -> str:
    """``subnets.data.cidr`` -> ``subnets``: the variable a field belongs to."""
    match = _TOP_LEVEL_FIELD.match(field_name)
    return match.group(0) if match else field_name


def read_layers(source: Path, directory: Path) -> list[tuple[Path, dict[str, Any]]]:
    """The files an environment is made of, base first: each ``extends`` names the next one
    down. A file's parse errors name that file."""
    chain: list[tuple[Path, dict[str, Any]]] = []
    current = source
    while True:
        try:
            raw = _parse(current)
        except ConfigError as error:
            raise ConfigError(
                f"{display_path(current)}: {error.field}", error.problem, error.value, error.fix
            ) from None
        chain.insert(0, (current, raw))
        base = raw.get("extends")
        if base is None:
            break
        if not isinstance(base, str) or not _LAYER_NAME.match(base):
            raise ConfigError(
                f"{display_path(current)}: extends",
                "not the name of an environment file",
                base,
                'Give the stem of a file in the same directory, e.g. extends = "prod".',
            )
        current = directory / f"{base}.tfvars"
        if any(current == path for path, _ in chain):
            names = " -> ".join(path.stem for path, _ in reversed(chain))
            raise ConfigError(
                f"{display_path(chain[0][0])}: extends",
                f"the layers extend each other in a circle ({names} -> {base})",
                base,
                "Let the base file extend nothing.",
            )
        if not current.is_file():
            raise ConfigError(
                f"{display_path(chain[0][0])}: extends",
                f"there is no file {display_path(current)}",
                base,
                f"Create it, or extend one of: {', '.join(layer_names(directory)) or 'none'}.",
            )
    return chain


def merge_layers(
    layers: list[tuple[Path, dict[str, Any]]],
) -> tuple[dict[str, Any], dict[str, Path]]:
    """Values of the layers merged in order, Terraform's rule for repeated ``-var-file``: a
    variable set in a later file replaces the whole earlier value (maps are not merged). Returns
    the values and, for each variable, the file that set it."""
    values: dict[str, Any] = {}
    origins: dict[str, Path] = {}
    for path, raw in layers:
        for key, value in raw.items():
            values[key], origins[key] = value, path
    return values, origins


def load_environments(names: list[str], directory: Path | None = None) -> list[Environment]:
    """Several environments, validated all before any is used."""
    return [load_environment(name, directory) for name in names]


def _parse(source: Path) -> dict[str, Any]:
    try:
        text = source.read_text(encoding="utf-8-sig")  # a BOM, as Terraform reads it too
    except UnicodeDecodeError as error:
        raise ConfigError(
            "encoding",
            f"not UTF-8 text (byte {error.start})",
            source.name,
            "Save it as UTF-8, as Terraform reads .tfvars files.",
        ) from None
    keys = _TOP_LEVEL_KEY.findall(text)
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise ConfigError(
            repeated[0], "set more than once", repeated[0], "Keep one assignment of each variable."
        )
    try:
        values = hcl2.loads(text, serialization_options=TFVARS_OPTIONS)
    except Exception as error:  # lark raises several exception types for syntax errors
        line = getattr(error, "line", 0)
        lines = text.splitlines()
        known = isinstance(line, int) and 0 < line <= len(lines)
        raise ConfigError(
            "syntax",
            f"not valid HCL at line {line}" if known else "not valid HCL",
            lines[line - 1].strip() if known else str(error).splitlines()[0],
            'Write one `key = value` per line, e.g. region = "us-west-2".',
        ) from None
    return dict(values)


# ---- typed readers: each returns the value or raises ConfigError naming the key -------------


def _literal(key: str, value: Any) -> Any:
    if isinstance(value, str) and "${" in value:
        raise ConfigError(
            key,
            "tfvars files take literal values, not expressions",
            value,
            "Write the value itself.",
        )
    return value


def _string(key: str, value: Any) -> str:
    if not isinstance(_literal(key, value), str):
        raise ConfigError(key, "must be a string", value, f'Quote it: {key} = "..."')
    return str(value)


# Like Terraform, accept the string forms of typed values ("365", "true"), so that a file
# `terraform plan -var-file` accepts is accepted here too.
def _integer(key: str, value: Any) -> int:
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip()):
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(key, "must be a whole number", value, f"Write it unquoted: {key} = 365")
    return value


def _boolean(key: str, value: Any) -> bool:
    if value in ("true", "false"):
        return bool(value == "true")
    if not isinstance(value, bool):
        raise ConfigError(key, "must be true or false", value, f"Write {key} = true or false.")
    return value


def _string_list(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ConfigError(key, "must be a list of strings", value, f'Write {key} = ["a", "b"].')
    return tuple(_string(f"{key}[{i}]", item) for i, item in enumerate(value))


def _object(key: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(key, "must be a map", value, f"Write {key} = {{ ... }}.")
    return value


def _tags(key: str, value: Any) -> dict[str, str]:
    items = sorted(_object(key, value).items())
    return validate_tags(key, {k: _string(f"{key}.{k}", v) for k, v in items})


def _subnets(key: str, value: Any) -> dict[str, SubnetConfig]:
    subnets = {}
    for role, raw in _object(key, value).items():
        where = f"{key}.{role}"
        fields = _object(where, raw)
        unknown = sorted(set(fields) - {"cidr", "az", "az_id", "role"})
        missing = sorted({"cidr"} - set(fields))
        if unknown or missing:
            raise ConfigError(
                where,
                f"unknown keys {unknown}" if unknown else f"missing keys {missing}",
                dict(fields),
                'Give cidr and az (or az_id), e.g. { cidr = "10.0.3.0/24", az = "us-west-2a" }.',
            )
        subnets[role] = SubnetConfig(
            cidr=_string(f"{where}.cidr", fields["cidr"]),
            az=_string(f"{where}.az", fields["az"]) if "az" in fields else None,
            az_id=_string(f"{where}.az_id", fields["az_id"]) if "az_id" in fields else None,
            role=_string(f"{where}.role", fields["role"]) if "role" in fields else None,
        )
    return subnets


def _state_backend(key: str, value: Any) -> StateBackendConfig:
    values = _object(key, value)
    unknown = sorted(set(values) - {f.name for f in fields(StateBackendConfig)})
    if unknown:
        raise ConfigError(
            key,
            f"unknown keys {unknown}",
            dict(values),
            'Give type ("local" or "s3") and, for s3, bucket and optionally key and region.',
        )
    return StateBackendConfig(**{name: _string(f"{key}.{name}", v) for name, v in values.items()})


def _subnet_sharing(key: str, value: Any) -> dict[str, Any]:
    fields = _object(key, value)
    unknown = sorted(
        set(fields) - {"principals", "roles", "allow_external_principals", "workloads"}
    )
    if unknown or "principals" not in fields:
        raise ConfigError(
            key,
            f"unknown keys {unknown}" if unknown else "missing keys ['principals']",
            dict(fields),
            "Give principals (and optionally roles, allow_external_principals, workloads), e.g. "
            '{ principals = ["111122223333"] }.',
        )
    readers = {
        "principals": _string_list,
        "roles": _string_list,
        "allow_external_principals": _boolean,
        "workloads": _integer,
    }
    values = {name: readers[name](f"{key}.{name}", v) for name, v in fields.items()}
    if values.get("roles") == ():
        raise ConfigError(
            f"{key}.roles",
            "no subnet role to share",
            [],
            "Name the roles whose subnets are shared, or leave roles out for the runtime roles.",
        )
    workloads = values.get("workloads")
    if isinstance(workloads, int) and workloads < 1:
        raise ConfigError(
            f"{key}.workloads",
            "must be 1 or more",
            workloads,
            "Give the number of workloads expected to use the network, e.g. workloads = 4.",
        )
    return values


# key -> (reader, required). The keys are the HCL twins' variable names.
TFVARS_SCHEMA: dict[str, tuple[Callable[[str, Any], Any], bool]] = {
    "name": (_string, True),
    "region": (_string, True),
    "vpc_cidr": (_string, False),
    "subnets": (_subnets, True),
    "flows": (_string_list, False),
    "code_buckets": (_string_list, False),
    "principal_scope": (_string, False),
    "organization_id": (_string, False),
    "endpoint_ingress": (_string, False),
    "endpoints": (_string_list, False),
    "flow_log_retention_days": (_integer, False),
    "flow_log_traffic_type": (_string, False),
    "flow_log_max_aggregation_interval": (_integer, False),
    "kms_key_deletion_window_days": (_integer, False),
    "prevent_destroy": (_boolean, False),
    "tags": (_tags, False),
    "state_backend": (_state_backend, False),
    "subnet_sharing": (_subnet_sharing, False),
    "extends": (_string, False),
}
_NETWORK_KEYS = (
    "vpc_cidr",
    "flow_log_retention_days",
    "flow_log_traffic_type",
    "flow_log_max_aggregation_interval",
    "kms_key_deletion_window_days",
    "prevent_destroy",
)


def _values(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Every variable of the file, known and read; the required ones there."""
    errors = [
        ConfigError(
            key, "unknown variable", key, f"Known variables: {', '.join(sorted(TFVARS_SCHEMA))}."
        )
        for key in raw
        if key not in TFVARS_SCHEMA
    ]
    errors += [
        ConfigError(key, "required variable is missing", None, f"Add {key} = ... to the file.")
        for key, (_, required) in TFVARS_SCHEMA.items()
        if required and key not in raw
    ]
    values = {}
    for key, value in raw.items():
        if key in TFVARS_SCHEMA:
            try:
                values[key] = TFVARS_SCHEMA[key][0](key, value)
            except ConfigError as error:
                errors.append(error)
    raise_all(errors)  # every variable's own mistakes at once; then how they fit together
    return values


def _environment(env: str, source: Path, raw: Mapping[str, Any]) -> Environment:
    values = _values(raw)
    region = validate_agentcore_region("region", values["region"])
    network, subnet_sharing, vpc_endpoints = _parts(values, region)
    sharing = values.get("subnet_sharing")
    shared_roles = _shared_roles(sharing, network) if sharing is not None else ()
    security_groups = SecurityGroupsConfig(
        name=values["name"],
        flows=vpc_endpoints.flows,
        endpoint_ingress=values.get("endpoint_ingress", "vpc"),
    )
    if subnet_sharing is not None:
        _shareable(security_groups)
    return Environment(
        env=env,
        source=source,
        region=region,
        tags=values.get("tags", {}),
        network=network,
        vpc_endpoints=vpc_endpoints,
        security_groups=security_groups,
        state_backend=values.get("state_backend", StateBackendConfig()),
        subnet_sharing=subnet_sharing,
        shared_roles=shared_roles,
        workloads=sharing.get("workloads") if sharing is not None else None,
        warnings=constraint_warnings(network, vpc_endpoints) + _sharing_warnings(subnet_sharing),
    )


def _parts(
    values: Mapping[str, Any], region: str
) -> tuple[NetworkConfig, SubnetSharingConfig | None, VpcEndpointsConfig]:
    """The network, the sharing and the endpoints, each validated on its own: one run reports
    the mistakes of all three."""
    errors: list[ConfigError] = []

    def attempt(build: Callable[[], _T]) -> _T | None:
        try:
            return build()
        except ConfigError as error:
            errors.append(error)
            return None

    network = attempt(
        lambda: NetworkConfig(
            name=values["name"],
            region=region,
            subnets=values["subnets"],
            runtime_subnets=shipped().flows.runtime_subnets(
                {n: s.role if s.role is not None else n for n, s in values["subnets"].items()}
            ),
            **{key: values[key] for key in _NETWORK_KEYS if key in values},
        )
    )
    sharing = values.get("subnet_sharing")
    subnet_sharing = (
        attempt(lambda: _sharing_config(values["name"], sharing)) if sharing is not None else None
    )
    vpc_endpoints = attempt(
        lambda: VpcEndpointsConfig(
            name=values["name"],
            region=region,
            flows=values.get("flows"),
            code_buckets=values.get("code_buckets", ()),
            endpoints=values.get("endpoints"),
            principal_scope=values.get("principal_scope", DEFAULT_PRINCIPAL_SCOPE),
            organization_id=values.get("organization_id"),
            # Participants sign with their own accounts and reach their own resources: inside
            # the perimeter (modules/flows/policies.py).
            participants=subnet_sharing.principals if subnet_sharing else (),
        )
    )
    raise_all(errors)
    assert network is not None and vpc_endpoints is not None
    return network, subnet_sharing, vpc_endpoints


def _shared_roles(raw: Mapping[str, Any], network: NetworkConfig) -> tuple[str, ...]:
    """The roles whose subnets are shared, checked against the subnets (default: the runtime
    roles the network has)."""
    subnet_roles = list(network.subnets_by_role())
    roles = raw.get("roles")
    if roles is not None:
        for role in roles:
            if role not in subnet_roles:
                raise ConfigError(
                    "subnet_sharing.roles",
                    "no subnet has this role",
                    role,
                    f"Use one of {', '.join(subnet_roles)}.",
                )
    else:
        roles = tuple(r for r in sorted(shipped().flows.runtime_roles()) if r in subnet_roles)
        if not roles:
            raise ConfigError(
                "subnet_sharing.roles",
                "no subnet has a runtime role to share by default",
                sorted(shipped().flows.runtime_roles()),
                f'Name the roles whose subnets are shared, e.g. roles = ["{subnet_roles[0]}"].',
            )
    return tuple(roles)


def _sharing_config(name: str, raw: Mapping[str, Any]) -> SubnetSharingConfig:
    """The share of the subnets with the participants."""
    return SubnetSharingConfig(
        name=name,
        principals=tuple(raw["principals"]),
        allow_external_principals=raw.get("allow_external_principals", False),
    )


def _shareable(security_groups: SecurityGroupsConfig) -> None:
    """The interface endpoints must admit the participants' own security groups."""
    if security_groups.endpoint_ingress != SHAREABLE_ENDPOINT_INGRESS:
        raise ConfigError(
            "endpoint_ingress",
            "participants' workloads carry their own security groups, which an endpoint admitting "
            "only this account's groups refuses",
            security_groups.endpoint_ingress,
            f'Set endpoint_ingress = "{SHAREABLE_ENDPOINT_INGRESS}" to share subnets.',
        )


def _sharing_warnings(sharing: SubnetSharingConfig | None) -> tuple[str, ...]:
    """What AWS does not document about a share (aws_constraints.json, subnet_sharing)."""
    if sharing is None:
        return ()
    facts = sharing_facts()
    found = [
        "subnet_sharing: resource sharing with AWS Organizations must be enabled once, from the "
        "organization's management account (aws ram enable-sharing-with-aws-organization), or "
        "AssociateResourceShare fails at apply (help/sources.md#vpc-sharing)."
    ]
    if facts.get("agentcore_runtime") == "unconfirmed":
        found.append(
            "subnet_sharing: whether AgentCore Runtime accepts subnets shared with AWS RAM is not "
            "documented (modules/facts/aws_constraints.json); Lambda, EC2 and RDS do. Try one "
            "runtime in a participant account before moving workloads."
        )
    if sharing.allow_external_principals:
        found.append(
            "subnet_sharing.allow_external_principals: AWS shares subnets only inside the "
            "organization, so this admits no outside account to the subnets; it only lets "
            "the share name one, whose association then fails at apply."
        )
    return tuple(found)


def _single_az_runtimes(network: NetworkConfig) -> list[str]:
    """AgentCore documents at least two private subnets in different AZs for a runtime
    (help/sources.md#agentcore-vpc)."""
    roles, runtime = network.subnets_by_role(), shipped().flows.runtime_roles()
    groups = {role: names for role, names in roles.items() if role in runtime} or {
        "": sorted(network.subnets)
    }
    found = []
    for role, names in groups.items():
        zones = sorted({network.subnets[n].zone for n in names})
        if len(zones) < 2:
            who = f"the {role} role is" if role else "every subnet is"
            add = f'a subnet with role = "{role}"' if role else "a subnet"
            found.append(
                f"subnets: {who} in one AZ ({zones[0]}); AgentCore Runtime wants at least two "
                f"private subnets in different AZs: add {add} in another AZ."
            )
    return found


def _endpoint_policy_warnings(vpc_endpoints: VpcEndpointsConfig) -> list[str]:
    """Endpoint services whose custom-policy support no source confirms, or that take none
    (catalog.json: custom_policy, policy_unconfirmed); the HCL twin's check block says the same."""
    catalog = vpc_endpoints.facts.catalog
    entries = {key: catalog.endpoints[key] for key in sorted(vpc_endpoints.selected)}
    found = [
        f"endpoints: {key}: {entry.service} takes only AWS's full-access endpoint policy "
        "(modules/facts/catalog.json): the endpoint lets every call through; IAM policies alone "
        "narrow it."
        for key, entry in entries.items()
        if not entry.custom_policy
    ]
    unconfirmed = [
        key for key, entry in entries.items() if entry.custom_policy and not entry.policy_confirmed
    ]
    if unconfirmed:
        found.append(
            f"endpoints: whether AWS takes a custom endpoint policy for {', '.join(unconfirmed)} "
            "is unconfirmed (modules/facts/catalog.json); the plan reads it from AWS and "
            "stops before any change where not."
        )
    return found


def constraint_warnings(
    network: NetworkConfig, vpc_endpoints: VpcEndpointsConfig
) -> tuple[str, ...]:
    """What no authoritative source confirms for this environment (aws_constraints.json):
    said, never passed silently."""
    region, found = constraints().regions[network.region], list(_single_az_runtimes(network))
    runtime_names = network.runtime_subnets or tuple(network.subnets)
    if region.runtime_az_ids is None:
        placed = sorted(r for r in runtime_names if network.subnets[r].az_id is not None)
        if placed:
            found.append(
                f"subnets.{placed[0]}.az_id: which AZ IDs AgentCore Runtime supports in "
                f"{network.region} is not documented (modules/facts/aws_constraints.json); check "
                "the AgentCore VPC guide."
            )
    for flow in sorted(vpc_endpoints.selected_flows):
        for feature in vpc_endpoints.facts.flows.flows[flow].agentcore:
            if f"agentcore.{feature}" in region.unconfirmed:
                found.append(
                    f"flows: whether {network.region} offers AgentCore {feature.title()} ({flow}) "
                    "is unconfirmed (modules/facts/aws_constraints.json)."
                )
    found += _endpoint_policy_warnings(vpc_endpoints)
    for item in region.unconfirmed:
        if not item.startswith(("agentcore.", "runtime_az_ids")):
            found.append(
                f"region: {item} of {network.region} are unconfirmed "
                "(modules/facts/aws_constraints.json)."
            )
    return tuple(found)
