"""Security groups: the groups and rules of rules.json and their configuration, each loaded when
first used (the configuration reads the flows, which read the rules)."""

from modules.kernel.exports import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "SecurityGroups": "modules.security_groups.construct",
        "RuleSet": "modules.security_groups.rules",
        "rule_set": "modules.security_groups.rules",
        "SecurityGroupsConfig": "modules.security_groups.config",
    },
)
