"""Reads an environment's accepted exceptions: ``<env>.suppressions.json`` beside its
environment file (help/suppressions.md). Each names a rule of the registry, the addresses it
covers, the reason, and optionally the date it lapses; the file is checked whole before any
check runs, and every mistake is named with its fix."""

from __future__ import annotations

import difflib
import json
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from modules.checks.finding import Suppression
from modules.checks.registry import Reads, rules
from modules.console.say import say
from modules.kernel.errors import ConfigError, raise_all
from modules.stack.environment import Environment

SUFFIX = ".suppressions.json"
KEYS = ("rule", "address", "reason", "until")
#: A reason says why the exception is accepted and who accepted it: a word or two does not.
MINIMUM_REASON = 20


def suppressions_file(env: Environment) -> Path:
    """Where the environment's suppressions live: beside its own environment file."""
    return env.source.with_name(env.env + SUFFIX)


def load_suppressions(env: Environment) -> tuple[Suppression, ...]:
    """The environment's suppressions (none when it has no file), the lapsed ones said."""
    path = suppressions_file(env)
    return read(path) if path.is_file() else ()


def read(path: Path) -> tuple[Suppression, ...]:
    """The suppressions of a file, each lapsed one said on stderr (its findings count again)."""
    found = parse(path)
    for note in expired(found):
        say(f"note: {note}", stream=sys.stderr)
    return found


def parse(path: Path) -> tuple[Suppression, ...]:
    where = _shown(path)
    try:
        raw = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise ConfigError(
            where,
            f"not valid JSON ({error.msg} at line {error.lineno})",
            path.read_text()[:40],
            'write {"suppressions": [{"rule": ..., "reason": ...}]} (help/suppressions.md)',
        ) from None
    entries = raw.get("suppressions") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(
            f"{where}: suppressions",
            "must be a list of suppressions",
            entries if isinstance(raw, dict) else raw,
            'write {"suppressions": [{"rule": ..., "reason": ...}]} (help/suppressions.md)',
        )
    errors: list[ConfigError] = []
    found = []
    for number, entry in enumerate(entries, start=1):
        try:
            found.append(_suppression(entry, f"{where}#{number}"))
        except ConfigError as error:
            errors.append(error)
    raise_all(errors)
    return tuple(found)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _suppression(entry: Any, where: str) -> Suppression:
    if not isinstance(entry, dict):
        raise ConfigError(where, "must be an object", entry, 'write {"rule": ..., "reason": ...}')
    unknown = sorted(set(entry) - set(KEYS))
    if unknown:
        raise ConfigError(
            f"{where}: {unknown[0]}",
            "is not a key of a suppression",
            unknown[0],
            f"use {', '.join(KEYS)}",
        )
    rule_id = entry.get("rule")
    known = rules()
    if rule_id not in known:
        near = difflib.get_close_matches(str(rule_id), list(known), n=3)
        raise ConfigError(
            f"{where}: rule",
            "is not a rule of the registry",
            rule_id,
            (f"did you mean {' or '.join(near)}? " if near else "")
            + "Every rule is listed in help/rules.md.",
        )
    if not known[rule_id].suppressible:
        raise ConfigError(
            f"{where}: rule",
            "cannot be suppressed: a plan that is not its configuration's proves nothing",
            rule_id,
            "make the plan again from the configuration (plan --out FILE)",
        )
    reason = entry.get("reason")
    if not isinstance(reason, str) or len(reason.strip()) < MINIMUM_REASON:
        raise ConfigError(
            f"{where}: reason",
            f"must say why the exception is accepted and by whom (at least {MINIMUM_REASON} "
            "characters)",
            reason,
            'write, say, "accepted by the security board, ticket SEC-123: ..."',
        )
    address = entry.get("address", "*")
    if not isinstance(address, str) or not address:
        raise ConfigError(
            f"{where}: address",
            "must be a resource address or a glob (* matches any)",
            address,
            'write the address a finding names, or leave it out for "*"',
        )
    until = entry.get("until")
    lapses = None
    if until is not None:
        try:
            lapses = date.fromisoformat(str(until))
        except ValueError:
            raise ConfigError(
                f"{where}: until",
                "must be a date, YYYY-MM-DD",
                until,
                'write the last day the exception holds, say "2027-06-30"',
            ) from None
    return Suppression(rule_id, reason.strip(), address, lapses, where)


def expired(suppressions: tuple[Suppression, ...], today: date | None = None) -> list[str]:
    """A note for each suppression that has lapsed (its findings count again)."""
    today = today or date.today()
    return [
        f"{s.source}: the suppression of {s.rule} lapsed on {s.until}: its findings count again; "
        "renew it with a new date, or fix them"
        for s in suppressions
        if s.expired(today)
    ]


class Marked(Protocol):
    """A finding or a check, marked with the suppression that accepts it (if any)."""

    @property
    def suppressed(self) -> Suppression | None: ...


def unused(
    suppressions: tuple[Suppression, ...],
    marked: Iterable[Marked],
    reads: Reads,
    today: date | None = None,
) -> list[Suppression]:
    """The unexpired suppressions of the rules that read ``reads`` (the rules a run checked
    whole) that accepted none of its findings or failed checks: the exception each records is
    gone, or another suppression before it accepts the same."""
    today = today or date.today()
    used = {m.suppressed for m in marked if m.suppressed is not None}
    return [
        s
        for s in suppressions
        if rules()[s.rule].reads == reads and not s.expired(today) and s not in used
    ]


def say_unused(
    suppressions: tuple[Suppression, ...], marked: Iterable[Marked], reads: Reads
) -> None:
    """A note on stderr for each suppression the run did not need (``unused``): left in place, it
    would accept the rule's next failure at that address without anyone deciding again."""
    for s in unused(suppressions, marked, reads):
        say(
            f"note: {s.source}: the suppression of {s.rule} at {s.address} accepted nothing in "
            "this run: remove it once its exception is gone (help/suppressions.md)",
            stream=sys.stderr,
        )
