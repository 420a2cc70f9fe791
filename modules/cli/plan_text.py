"""A plan's review as the terminal shows it (modules/reports/plan_review.py computes it)."""

from __future__ import annotations

from collections import Counter

from modules.checks.verify.broadening import Widening
from modules.console.say import paint, say
from modules.reports.plan_review import Review


def print_review(found: Review) -> None:
    """The summary, the widening table, then Terraform's text as Terraform printed it."""
    counts = found.counts
    if not found.changes:
        say("Resources: no changes.", "  ")
    else:
        say(
            f"Resources: {counts['add']} to add, {counts['change']} to change, "
            f"{counts['destroy']} to destroy:",
            "  ",
        )
        for change in found.changes:
            say(change.line, "  ", " " * 8)
    print_widenings(found.widenings)
    say("Terraform's plan:", "  ")
    for line in found.planned.text.rstrip("\n").splitlines():
        print(f"    {line}".rstrip())


def print_widenings(widenings: list[Widening]) -> None:
    if not widenings:
        say(
            "Access: nothing widens (flows, perimeter, policies, rules, ACLs, endpoints, routes).",
            "  ",
        )
        return
    kinds = Counter(w.kind for w in widenings)
    say(
        paint(f"Access widens: {len(widenings)} change(s)", "warn")
        + f" ({', '.join(f'{n} {kind}' for kind, n in kinds.items())}):",
        "  ",
    )
    for widening in widenings:
        where = f"{widening.address}: " if widening.address else ""
        say(f"+ {widening.kind:10} {where}{widening.change}", "    ", " " * 17)
