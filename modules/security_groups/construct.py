"""The SecurityGroups construct: the groups of rules.json and exactly the rules it lists."""

from __future__ import annotations

from collections.abc import Mapping

from constructs import Construct

from modules.facts.rules import Direction, Rule, RuleSet
from modules.kernel.aws import (
    SecurityGroup,
    SecurityGroupTimeouts,
    VpcSecurityGroupEgressRule,
    VpcSecurityGroupIngressRule,
)
from modules.kernel.core import TerraformIterator, TerraformResourceLifecycle
from modules.kernel.errors import ConfigError
from modules.kernel.module import Module, dashed, each, instance_attribute, null
from modules.kernel.tags import with_name
from modules.kernel.timeouts import LONG_DELETE_TIMEOUT
from modules.security_groups.config import SecurityGroupsConfig

RuleClass = type[VpcSecurityGroupIngressRule] | type[VpcSecurityGroupEgressRule]


class SecurityGroups(Module):
    """Security groups with no rules but the given ones.

    ``rules`` holds the groups this network has and every rule they carry, a part of rules.json:
    ``groups_and_rules(config)`` (modules.flows.policies) gives the endpoint group, each
    workload's, the data tier's when a selected flow reaches it, and exactly the rules the
    selected flows need; it is what the stack passes. Creates aws_security_group.<id>_this
    (for_each group; Terraform removes AWS's default allow-all egress, and no inline rules are
    declared) and, given ``vpc_cidr_block`` and the gateway services' ``prefix_list_ids``
    (``Network.gateway_prefix_list_ids``), or later in :meth:`add_rules`,
    aws_vpc_security_group_ingress_rule.<id>_ingress and
    aws_vpc_security_group_egress_rule.<id>_egress (for_each rule, each with a description).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: SecurityGroupsConfig,
        rules: RuleSet,
        vpc_id: str,
        vpc_cidr_block: str | None = None,
        prefix_list_ids: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self._rules_added = False
        _check_rules(rules)
        self.rules = dict(rules.rules)
        self.endpoint_ingress = config.endpoint_ingress
        #: The groups this network has: the data tier's only when a selected flow reaches it.
        self.group_keys = list(rules.groups)
        groups = TerraformIterator.from_map(
            {
                key: {
                    "description": description,
                    "name_prefix": f"{config.name}-{dashed(key)}-",
                    "name": f"{config.name}-{dashed(key)}",
                }
                for key, description in rules.groups.items()
            }
        )
        self.groups = self.add(
            SecurityGroup,
            "this",
            for_each=groups,
            name_prefix=each("name_prefix"),
            description=each("description"),
            vpc_id=vpc_id,
            tags=with_name(config.tags, each("name")),
            timeouts=SecurityGroupTimeouts(delete=LONG_DELETE_TIMEOUT),
            # A replacement group exists before the old one goes, so attachments never
            # point at nothing; name_prefix lets both exist at once.
            lifecycle=TerraformResourceLifecycle(create_before_destroy=True),
        )
        self.ids = {key: instance_attribute(self.groups, key, "id") for key in self.group_keys}
        if vpc_cidr_block is not None:  # one step: the rules now
            self.add_rules(vpc_cidr_block=vpc_cidr_block, prefix_list_ids=prefix_list_ids or {})

    def add_rules(self, *, vpc_cidr_block: str, prefix_list_ids: Mapping[str, str]) -> None:
        """Create every rule, when the construction did not (no ``vpc_cidr_block`` given): for
        prefix lists that exist only later, such as a gateway endpoint's ``prefix_list_ids``."""
        if self._rules_added:
            raise RuntimeError("the rules of this SecurityGroups were already added")
        self._rules_added = True
        for key, rule in sorted(self.rules.items()):  # sorted, as Terraform iterates maps
            if rule.peer_kind == "prefix_list" and rule.peer not in prefix_list_ids:
                raise ConfigError(
                    "endpoints",
                    f"rule {key} needs the {rule.peer!r} gateway endpoint",
                    sorted(prefix_list_ids),
                    f"Add {rule.peer!r} to endpoints.",
                )

        directions: tuple[tuple[Direction, RuleClass], ...] = (
            ("ingress", VpcSecurityGroupIngressRule),
            ("egress", VpcSecurityGroupEgressRule),
        )
        for direction, rule_class in directions:
            rules = TerraformIterator.from_map(
                {
                    key: self._instance(rule, vpc_cidr_block, prefix_list_ids)
                    for key, rule in self.rules.items()
                    if rule.direction == direction
                }
            )
            self.add(
                rule_class,
                direction,
                for_each=rules,
                security_group_id=each("security_group_id"),
                ip_protocol="tcp",
                from_port=rules.get_number("port"),
                to_port=rules.get_number("port"),
                description=each("description"),
                cidr_ipv4=each("cidr_ipv4"),
                referenced_security_group_id=each("referenced_security_group_id"),
                prefix_list_id=each("prefix_list_id"),
            )

    def _instance(
        self, rule: Rule, vpc_cidr_block: str, prefix_list_ids: Mapping[str, str]
    ) -> dict[str, object]:
        # Every instance carries every peer attribute, null where unused, so that the for_each
        # map is homogeneous (one object type) as Terraform expects.
        return {
            "security_group_id": self.ids[rule.group],
            "port": rule.port,
            "description": rule.description,
            "cidr_ipv4": vpc_cidr_block if rule.peer_kind == "cidr" else null(),
            "referenced_security_group_id": (
                self.ids[rule.peer] if rule.peer_kind == "security_group" else null()
            ),
            "prefix_list_id": (
                prefix_list_ids[rule.peer] if rule.peer_kind == "prefix_list" else null()
            ),
        }


def _check_rules(rules: RuleSet) -> None:
    """Every rule's group, and every group a rule names as its peer, is among the groups."""
    for key, rule in sorted(rules.rules.items()):
        named = [rule.group] + ([rule.peer] if rule.peer_kind == "security_group" else [])
        absent = [group for group in named if group not in rules.groups]
        if absent:
            raise ConfigError(
                "rules",
                f"rule {key} names group {absent[0]}, which is not among the groups",
                sorted(rules.groups),
                "Pass rules=groups_and_rules(config) (modules.flows.policies), or add the group.",
            )
