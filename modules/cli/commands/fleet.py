"""`plan`, `drift` and `verify` with `--all` or `--match PATTERN`: the same command over many
environments at once, `--jobs` at a time, each on its own state and lock; one table (or one JSON
document) and the worst exit code: 1 if any environment failed, else 2 if any needs a look, else
3 if a plan could be proven only in part (verify --plan of a first deploy).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from modules.cli import json_output
from modules.console import exit_codes
from modules.console.progress import Steps
from modules.console.say import paint, say
from modules.runner.deployment import Deployment
from modules.runner.fleet import Outcome, run_fleet, select, worst_exit_code
from modules.stack.environment import Environment

#: The fleet's word for its worst exit code (the --json envelope's result).
RESULTS = {
    exit_codes.SUCCESS: "ok",
    exit_codes.ATTENTION: "attention",
    exit_codes.ERROR: "failed",
    exit_codes.UNPROVABLE: "unprovable",  # verify --plan: first deploys, nothing refuted
}
_TONE = {
    exit_codes.SUCCESS: "ok",
    exit_codes.ATTENTION: "warn",
    exit_codes.ERROR: "fail",
    exit_codes.UNPROVABLE: "warn",  # verify: nothing refuted, a plan's values after apply
}


def wanted(args: argparse.Namespace) -> bool:
    """Whether the command runs over a fleet (--all or --match) rather than one --env."""
    return bool(getattr(args, "all", False) or getattr(args, "match", None))


def run(
    command: str,
    args: argparse.Namespace,
    work: Callable[[Environment, Deployment | None], Outcome],
    *,
    terraform: bool = True,
) -> int:
    names = select(args.match or (), args.all) if wanted(args) else [args.env]
    steps = Steps(total=3)
    if args.json:
        steps.quiet()

    def report(outcome: Outcome, done: int, total: int) -> None:
        say(
            f"{done}/{total} {outcome.env}: {outcome.result} ({outcome.seconds:.0f}s)",
            "      ",
            " " * 8,
            stream=steps.stream,
        )

    outcomes = run_fleet(
        names,
        work,
        local=args.local,
        terraform=terraform,
        jobs=args.jobs,
        steps=steps,
        use_cache=args.use_cache,
        report=report,
    )
    code = worst_exit_code(outcomes)
    if args.json:
        return json_output.emit(
            command,
            RESULTS[code],
            code,
            {"jobs": args.jobs, "environments": [o.as_dict() for o in outcomes]},
            target=("emulator" if args.local else "aws") if terraform else None,
        )
    print_table(command, outcomes)
    if code != exit_codes.SUCCESS:
        say(
            f"One environment in full: python main.py {command} --env NAME"
            + (" --local" if args.local else ""),
            "  ",
        )
    steps.finish(
        f"{len(outcomes)} environment(s): {_tally(outcomes)}; exit {code} (the worst of them)."
    )
    return code


def _tally(outcomes: list[Outcome]) -> str:
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.result] = counts.get(outcome.result, 0) + 1
    return ", ".join(f"{n} {result}" for result, n in sorted(counts.items()))


def print_table(command: str, outcomes: list[Outcome]) -> None:
    width = max([len(o.env) for o in outcomes] + [len("environment")])
    say(f"{command} of {len(outcomes)} environment(s):")
    say(f"{'environment':{width}}  {'result':10}  {'time':>5}  summary", "  ")
    hang = " " * (2 + width + 2 + 10 + 2 + 5 + 2)
    for o in outcomes:
        word = paint(f"{o.result:10}", _TONE.get(o.exit_code, "fail"))
        say(f"{o.env:{width}}  {word}  {o.seconds:4.0f}s  {o.summary}", "  ", hang)
