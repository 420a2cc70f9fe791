"""Security groups: the groups and rules of rules.json and their configuration."""
from modules.security_groups.config import SecurityGroupsConfig
from modules.security_groups.rules import RuleSet, rule_set

__all__ = ["RuleSet", "SecurityGroupsConfig", "rule_set"]
