"""The rule registry and the checks agree: every rule a check names is registered, and every
registered rule is named by a check (a rule nobody runs is not listed as if it were)."""

from __future__ import annotations

import re
from pathlib import Path

from modules.checks.doctor.checks import CHECKS, checklist
from modules.checks.registry import READ_BY, SEVERITY_ORDER, rules
from modules.flows.proof import HOP_KINDS
from modules.stack.environment import PROJECT_ROOT

CHECKS_DIR = PROJECT_ROOT / "modules" / "checks"
#: A rule id as the checks write it: Finding("<id>", ...) or _verdict("<id>", ...).
NAMED = re.compile(r"\b(?:Finding|_verdict|Result)\(\s*(?:symptom,\s*)?\"([a-z_.]+)\"", re.S)
OTHER_HOPS = {"network", "flow_log", "subnet", "sharing", "state"}


def _named_in_code() -> set[str]:
    found = set()
    for path in CHECKS_DIR.rglob("*.py"):
        found |= set(NAMED.findall(path.read_text()))
    # doctor's checklist checks are named by their key (modules/checks/doctor/checks.py).
    found |= {f"doctor.{name}" for name in CHECKS}
    return found


def test_every_rule_a_check_names_is_registered_and_every_registered_rule_is_named() -> None:
    named = _named_in_code()
    assert named - set(rules()) == set(), "checks name rules the registry lacks"
    assert set(rules()) - named == set(), "registered rules no check names"


def test_the_checklist_uses_only_checks_that_exist() -> None:
    used = {c["check"] for symptom in checklist().values() for c in symptom["checks"]}
    assert used <= set(CHECKS)


def test_every_rule_says_what_it_reads_how_serious_it_is_its_hop_and_its_fix() -> None:
    for rule in rules().values():
        assert rule.reads in READ_BY, rule
        assert rule.severity in SEVERITY_ORDER, rule
        assert rule.hop in {*HOP_KINDS, *OTHER_HOPS}, rule
        assert rule.title and rule.fix, rule
        prefix = {"live": "live.", "symptom": "doctor.", "state": "drift."}.get(rule.reads, "")
        assert rule.id.startswith(prefix) and ("." in rule.id) == bool(prefix), rule


def test_the_pattern_finds_a_rule_named_on_the_next_line(tmp_path: Path) -> None:
    text = 'yield Finding(\n    "internet", address, None, "x")\nyield _verdict("live.flow", n)'
    assert NAMED.findall(text) == ["internet", "live.flow"]
