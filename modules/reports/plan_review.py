"""A plan as a reviewer reads it: one line per resource first, then the changes that widen
access (computed by the flow proof, modules/checks/verify/broadening.py), then Terraform's own
text, intact (printed by modules/cli/plan_text.py). `plan --json` carries the same resource
changes and widenings.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from modules.checks.verify.broadening import Widening, plan_widenings
from modules.runner.terraform import Planned

#: Terraform's symbols for its actions (as its own text shows them).
SYMBOLS = {
    "create": "+",
    "update": "~",
    "delete": "-",
    "replace": "-/+",
    "read": "<=",
}


@dataclass(frozen=True)
class ResourceChange:
    """One resource the plan changes."""

    address: str
    #: create, update, delete, replace or read.
    action: str
    #: The attributes that change (update), or that force the replacement (replace).
    attributes: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "attributes": list(self.attributes)}

    @property
    def line(self) -> str:
        detail = ""
        if self.attributes:
            why = "replaced for" if self.action == "replace" else "changes"
            detail = f" ({why} {', '.join(self.attributes)})"
        return f"{SYMBOLS[self.action]:>3} {self.address}{detail}"


@dataclass(frozen=True)
class Review:
    """What a reviewer needs of one plan."""

    planned: Planned
    changes: list[ResourceChange]
    widenings: list[Widening]

    @property
    def counts(self) -> dict[str, int]:
        """Terraform's own tally: a replacement counts as one to add and one to destroy."""
        tally: Counter[str] = Counter()
        for change in self.changes:
            tally["add"] += change.action in ("create", "replace")
            tally["change"] += change.action == "update"
            tally["destroy"] += change.action in ("delete", "replace")
        return {key: tally[key] for key in ("add", "change", "destroy")}

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.counts,
            "resource_changes": [c.as_dict() for c in self.changes],
            "broadening": [w.as_dict() for w in self.widenings],
        }


def review(planned: Planned, source: str) -> Review:
    return Review(
        planned, resource_changes(planned.document), plan_widenings(planned.document, source)
    )


def review_saved(document: dict[str, Any], source: str) -> Review:
    """The review of a saved plan's JSON (`plan --out`): its text was shown when it was made."""
    changes = resource_changes(document)
    planned = Planned(2 if changes else 0, "", document)
    return Review(planned, changes, plan_widenings(document, source))


def resource_changes(plan: dict[str, Any]) -> list[ResourceChange]:
    """Every resource the plan (``terraform show -json``) changes, in Terraform's order."""
    found = []
    for change in plan.get("resource_changes", []):
        actions = change["change"]["actions"]
        if actions == ["no-op"]:
            continue
        action = "replace" if len(actions) == 2 else actions[0]
        found.append(ResourceChange(change["address"], action, _attributes(change, action)))
    return found


def _attributes(change: dict[str, Any], action: str) -> tuple[str, ...]:
    body = change["change"]
    if action == "replace":
        return tuple(
            dict.fromkeys(str(path[0]) for path in body.get("replace_paths") or [] if path)
        )
    if action != "update":
        return ()
    before, after = body.get("before") or {}, body.get("after") or {}
    unknown = body.get("after_unknown") or {}
    return tuple(
        sorted(
            name
            for name in set(before) | set(after)
            if before.get(name) != after.get(name) or unknown.get(name) is True
        )
    )
