"""One model of the resources to verify, from a synthesized cdk.tf.json or a plan's JSON.

Checks see instances (for_each expanded) with their attribute values; a reference to another
resource resolves to a Ref naming that resource. From a configuration, references are the
`${type.name["key"].attr}` strings; from a plan, they are the ids of other planned resources
(known for plans of a deployed network; a first plan leaves some unknown, and the checks that
need them say so instead of guessing).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modules.facts.facts import Facts, shipped
from modules.flows.proof import selection_of
from modules.flows.view import UNKNOWN
from modules.kernel.errors import CommandError
from modules.kernel.instances import expected_instances

_REFERENCE = re.compile(r'^\$\{((?:data\.)?\w+\.\w+(?:\["[^"]+"\])?)\.(\w+)\}$')
_KEY = re.compile(r'\["([^"]+)"\]$')
#: A reference to an attribute of a resource (instance): ``type.name["key"].attr``.
_ATTRIBUTE_REFERENCE = re.compile(r'^(?:data\.)?\w+\.\w+(?:\["[^"]+"\])?\.\w+$')
IDENTIFYING = ("id", "arn", "prefix_list_id", "key_id")
#: Attributes that name another resource's identity on resources that only refer to it (a rule's
#: prefix_list_id is the gateway endpoint's): the owner, not the referrer, is what an id resolves
#: to.
OWNED_BY = {"prefix_list_id": ("aws_vpc_endpoint", "aws_ec2_managed_prefix_list")}
#: What a configuration's account id token (``${data.aws_caller_identity.<x>.account_id}``)
#: stands for in policies, once normalized.
CONFIGURED_ACCOUNT = "ACCOUNT"
_ACCOUNT_TOKEN = re.compile(r"\$\{data\.aws_caller_identity\.\w+\.account_id\}")


def normalize_account(text: str) -> str:
    """A configuration's policy with its account id token written as CONFIGURED_ACCOUNT."""
    return _ACCOUNT_TOKEN.sub(CONFIGURED_ACCOUNT, text)


@dataclass(frozen=True)
class Ref:
    """A reference to an attribute (id, arn...) of another resource instance."""

    address: str
    attribute: str

    @property
    def key(self) -> str | None:
        """The for_each key of the referenced instance (``vpc_endpoints`` for a group)."""
        match = _KEY.search(self.address)
        return match.group(1) if match else None


@dataclass
class Instance:
    type: str
    address: str
    values: dict[str, Any]
    unknown: set[str] = field(default_factory=set)

    @property
    def key(self) -> str | None:
        match = _KEY.search(self.address)
        return match.group(1) if match else None

    def get(self, attribute: str) -> Any:
        return UNKNOWN if attribute in self.unknown else self.values.get(attribute)


@dataclass
class Model:
    """The instances to verify, and how references between them resolve."""

    source: str
    instances: list[Instance]
    from_plan: bool
    #: Output values (a configuration's literals, a plan's known values).
    outputs: dict[str, Any] = field(default_factory=dict)
    #: The account id the policies name: digits from a plan, a placeholder for a configuration.
    account_id: str = CONFIGURED_ACCOUNT
    #: Gateway service (s3) -> the CIDRs of its prefix list, as a plan read them.
    prefix_list_cidrs: dict[str, list[str]] = field(default_factory=dict)
    #: Ids a plan's data sources read, and the data source each names (a managed prefix list's
    #: id is a rule's peer before the gateway endpoint exists).
    data_ids: dict[str, Ref] = field(default_factory=dict)
    #: The configuration a plan was made from, where its record carries it (`plan --out`).
    configuration: dict[str, Any] | None = None
    #: The catalog, rules and flows its keys name: the shipped ones, or a library user's.
    facts: Facts = field(default_factory=shipped)
    _ids: dict[str, Ref] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_address = {i.address: i for i in self.instances}
        #: The flows the network is meant to serve (its ``flows`` output, else the defaults).
        self.selection = selection_of(self.outputs, self.facts)
        self.flows, self.code_buckets = self.selection.flows, self.selection.code_buckets
        self.flows_origin = self.selection.origin
        if self.from_plan:
            for instance in self.instances:
                for attribute in IDENTIFYING:
                    if attribute in OWNED_BY and instance.type not in OWNED_BY[attribute]:
                        continue
                    value = instance.values.get(attribute)
                    if isinstance(value, str) and value:
                        self._ids.setdefault(value, Ref(instance.address, attribute))
            for value, ref in self.data_ids.items():
                self._ids.setdefault(value, ref)

    def of_type(self, *types: str) -> list[Instance]:
        return [i for i in self.instances if i.type in types]

    def resolve(self, value: Any) -> Any:
        """A Ref for a reference to another resource's id/arn; the literal value of any other
        referenced attribute (a VPC's cidr_block, say); the value itself otherwise."""
        if value is UNKNOWN or not isinstance(value, str):
            return value
        if self.from_plan:
            if value.startswith("ref:"):
                address, _, attribute = value[4:].rpartition(".")
                return Ref(address, attribute)
            return self._ids.get(value, value)
        match = _REFERENCE.match(value)
        if not match:
            return value
        address, attribute = match.groups()
        if attribute in IDENTIFYING or address not in self.by_address:
            return Ref(address, attribute)
        return self.resolve(self.by_address[address].values.get(attribute))


def _config_model(stack: dict[str, Any], source: str, facts: Facts) -> Model:
    instances = [
        Instance(i.terraform_type, i.address, dict(i.body)) for i in expected_instances(stack)
    ]
    outputs = {name: body.get("value") for name, body in stack.get("output", {}).items()}
    return Model(source, instances, from_plan=False, outputs=outputs, facts=facts)


def _plan_data(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """The data sources the plan read (its prior state), in every module."""

    def modules(module: dict[str, Any]) -> list[dict[str, Any]]:
        return [module, *(m for child in module.get("child_modules", []) for m in modules(child))]

    root = plan.get("prior_state", {}).get("values", {}).get("root_module", {})
    return [
        r
        for module in modules(root)
        for r in module.get("resources", [])
        if r.get("mode") == "data"
    ]


def _plan_account(plan: dict[str, Any]) -> str | None:
    """The account id the plan's aws_caller_identity data source read, if it has one."""
    for resource in _plan_data(plan):
        if resource.get("type") == "aws_caller_identity" and resource.get("values", {}).get(
            "account_id"
        ):
            return str(resource["values"]["account_id"])
    return None


def _plan_prefix_lists(plan: dict[str, Any]) -> dict[str, list[str]]:
    """Service -> CIDRs of the AWS-managed prefix lists (com.amazonaws.<region>.<service>) the plan
    read."""
    found: dict[str, list[str]] = {}
    for resource in _plan_data(plan):
        values = resource.get("values") or {}
        if resource.get("type") == "aws_ec2_managed_prefix_list" and isinstance(
            values.get("name"), str
        ):
            cidrs = [
                str(e["cidr"])
                for e in values.get("entries") or []
                if isinstance(e, dict) and e.get("cidr")
            ]
            found[values["name"].rsplit(".", 1)[-1]] = sorted(cidrs)
    return found


def _plan_data_ids(plan: dict[str, Any]) -> dict[str, Ref]:
    """The ids of the managed prefix lists the plan read, by value."""
    return {
        str(resource["values"]["id"]): Ref(str(resource["address"]), "id")
        for resource in _plan_data(plan)
        if resource.get("type") == "aws_ec2_managed_prefix_list"
        and (resource.get("values") or {}).get("id")
    }


def _plan_instances(module: dict[str, Any], unknown: dict[str, dict[str, Any]]) -> list[Instance]:
    instances = [
        Instance(
            r["type"],
            r["address"],
            dict(r.get("values") or {}),
            {k for k, v in unknown.get(r["address"], {}).items() if v is True},
        )
        for r in module.get("resources", [])
        if r.get("mode") == "managed"
    ]
    for child in module.get("child_modules", []):
        instances += _plan_instances(child, unknown)
    return instances


def _configured_references(module: dict[str, Any], prefix: str = "") -> dict[str, dict[str, Any]]:
    """Resource address (no index) -> its configuration: expressions and for_each references."""
    found = {f"{prefix}{r['address']}": r for r in module.get("resources", [])}
    for name, call in module.get("module_calls", {}).items():
        found.update(_configured_references(call.get("module", {}), f"{prefix}module.{name}."))
    return found


def _from_configuration(instance: Instance, configured: dict[str, Any], prefix: str) -> None:
    """Fill references the plan leaves unknown from the configuration, where it names them:
    `aws_vpc.this.id`, or each.value of a for_each over another resource."""
    # A for_each over another resource (each.value is its instance); not over a local or a
    # variable, whose values a plan does not show.
    source = [
        r
        for r in configured.get("for_each_expression", {}).get("references", [])
        if "each." not in r and not r.startswith(("local.", "var.", "path.", "module."))
    ]
    for attribute, expression in configured.get("expressions", {}).items():
        if attribute not in instance.unknown or not isinstance(expression, dict):
            continue
        references = [
            r
            for r in expression.get("references", [])
            if not r.startswith(("var.", "local.", "path."))
        ]
        if not references:
            continue
        first = references[0]
        literal = _each_value(configured, instance, first)
        if literal is not None:
            instance.values[attribute] = f"ref:{prefix}{literal}"
        elif first.startswith("each.value.") and len(source) == 1 and instance.key is not None:
            target = f'{prefix}{source[0]}["{instance.key}"]'
            instance.values[attribute] = f"ref:{target}.{first.removeprefix('each.value.')}"
        elif (
            not first.startswith("each.")
            and first.count(".") >= 2
            and not first.startswith("module.")
        ):
            # Every attribute it names: a list of references is a list (subnet_ids = [a, b, c]).
            named = [
                f"ref:{prefix}{r}"
                for r in dict.fromkeys(references)
                if _ATTRIBUTE_REFERENCE.match(r) and not r.startswith(("each.", "module."))
            ]
            listed = isinstance(expression.get("constant_value"), list) or len(named) > 1
            instance.values[attribute] = named if listed else f"ref:{prefix}{first}"
        else:
            continue
        instance.unknown.discard(attribute)


def _each_value(configured: dict[str, Any], instance: Instance, reference: str) -> str | None:
    """``each.value.<field>`` of a for_each over a literal map (a configuration synthesized by
    cdktf): the resource attribute its entry for this instance names, if it names one."""
    constant = configured.get("for_each_expression", {}).get("constant_value")
    if not reference.startswith("each.value.") or not isinstance(constant, dict):
        return None
    entry = constant.get(instance.key or "")
    literal = entry.get(reference.removeprefix("each.value.")) if isinstance(entry, dict) else None
    match = _REFERENCE.match(literal) if isinstance(literal, str) else None
    return f"{match.group(1)}.{match.group(2)}" if match else None


def _plan_model(plan: dict[str, Any], source: str, facts: Facts) -> Model:
    unknown = {
        c["address"]: c["change"].get("after_unknown") or {}
        for c in plan.get("resource_changes", [])
    }
    root = plan.get("planned_values", {}).get("root_module", {})
    instances = _plan_instances(root, unknown)
    configured = _configured_references(plan.get("configuration", {}).get("root_module", {}))
    for instance in instances:
        base = re.sub(r'\["[^"]*"\]$', "", instance.address)
        prefix = base.rsplit(".", 2)[0] + "." if base.startswith("module.") else ""
        if base in configured and instance.unknown:
            _from_configuration(instance, configured[base], prefix)
    outputs = {
        name: body.get("value")
        for name, body in plan.get("planned_values", {}).get("outputs", {}).items()
        if "value" in body
    }
    return Model(
        source,
        instances,
        from_plan=True,
        outputs=outputs,
        account_id=_plan_account(plan) or CONFIGURED_ACCOUNT,
        prefix_list_cidrs=_plan_prefix_lists(plan),
        data_ids=_plan_data_ids(plan),
        configuration=_made_from(plan, source),
        facts=facts,
    )


def prior_model(plan: dict[str, Any], source: str, facts: Facts | None = None) -> Model:
    """The network as it stands before a plan is applied: the plan's prior state (refreshed
    by the plan), with every value known. A first plan's prior state holds data sources only.
    Outputs come from the plan's output changes: the prior state's are already the new ones."""
    values = plan.get("prior_state", {}).get("values", {})
    outputs = {
        name: change["before"]
        for name, change in plan.get("output_changes", {}).items()
        if change.get("before") is not None and "create" not in change.get("actions", [])
    }
    return Model(
        f"{source} (before)",
        _plan_instances(values.get("root_module", {}), {}),
        from_plan=True,
        outputs=outputs,
        account_id=_plan_account(plan) or CONFIGURED_ACCOUNT,
        prefix_list_cidrs=_plan_prefix_lists(plan),
        data_ids=_plan_data_ids(plan),
        facts=facts or shipped(),
    )


def _made_from(plan: dict[str, Any], source: str) -> dict[str, Any] | None:
    """The configuration a saved plan's record carries (modules/runner/saved_plan.py), checked
    against the hash the record gives for it; None for a plan without one."""
    record = plan.get("agentcore_plan")
    if not isinstance(record, dict) or not isinstance(record.get("configuration"), str):
        return None
    text = str(record["configuration"])
    if hashlib.sha256(text.encode()).hexdigest() != record.get("configuration_sha256"):
        raise CommandError(
            f"{source}: the configuration in its agentcore_plan record does not match the hash "
            "recorded beside it: the file was edited. Make the plan again (plan --out FILE)."
        )
    configuration: dict[str, Any] = json.loads(text)
    return configuration


def model_of(document: dict[str, Any], source: str, facts: Facts | None = None) -> Model:
    """A model of a Terraform JSON configuration or of the JSON of `terraform show -json PLAN`,
    whose keys name ``facts`` (default: the shipped ones)."""
    if "planned_values" in document:
        return _plan_model(document, source, facts or shipped())
    if "resource" in document:
        return _config_model(document, source, facts or shipped())
    raise CommandError(
        f"{source}: neither a Terraform JSON configuration (cdk.tf.json) nor a plan "
        "(terraform show -json PLANFILE)."
    )


def load_model(path: Path, facts: Facts | None = None) -> Model:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise CommandError(
            f"{path}: a directory. Give a file: cdktf.out/stacks/<stack>/cdk.tf.json, or the "
            "FILE.json that plan --out writes."
        ) from None
    except OSError as error:
        raise CommandError(f"{path}: cannot be read ({error.strerror}).") from None
    except ValueError as error:  # UnicodeDecodeError too
        raise CommandError(f"{path}: not JSON ({error}).") from None
    return model_of(document, str(path), facts)
