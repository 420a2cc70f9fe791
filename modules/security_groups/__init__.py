"""Security groups: the construct, its configuration and the groups and rules of
modules/facts/rules.json, each loaded when first used (the construct loads the engine, which
takes seconds)."""

from modules.kernel.exports import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "SecurityGroups": "modules.security_groups.construct",
        "RuleSet": "modules.facts.rules",
        "rule_set": "modules.facts.rules",
        "SecurityGroupsConfig": "modules.security_groups.config",
    },
)
