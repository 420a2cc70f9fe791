"""Many environments at once: chosen by name or pattern, synthesized together in one process,
then each planned (or checked) on its own state and lock, a bounded number at a time.

The CI matrix (`python main.py matrix`) hands the same selection to CI runners, one job per
environment, for fleets larger than one machine should run.
"""

from __future__ import annotations

import fnmatch
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from typing import Any

from modules.console import exit_codes
from modules.console.progress import Steps
from modules.kernel.errors import CommandError, ConfigError
from modules.runner.aws_errors import command_error
from modules.runner.deployment import (
    Deployment,
    check_real_aws_environment,
    open_emulator,
    prepare_deployment,
)
from modules.runner.synth import synthesize
from modules.runner.terraform import check_version, terraform_binary
from modules.runner.workspace import Workspace
from modules.stack import environment
from modules.stack.environment import Environment, environment_names, load_environments

#: Environments worked on at once by default: Terraform runs are mostly waiting on AWS, but each
#: also takes a core for a moment and ~150 MB for the provider.
DEFAULT_JOBS = max(2, min(4, os.cpu_count() or 2))


@dataclass(frozen=True)
class Outcome:
    """What one environment's run came to."""

    env: str
    stack: str
    exit_code: int
    #: A word for the table: "no changes", "changes", "proven", "drift", "error", ...
    result: str
    #: One line: counts, the first finding, or the error.
    summary: str
    seconds: float
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "env": self.env,
            "stack": self.stack,
            "exit_code": self.exit_code,
            "result": self.result,
            "summary": self.summary,
            "seconds": round(self.seconds, 1),
            "details": self.details,
        }


def select(patterns: Iterable[str], every: bool, names: list[str] | None = None) -> list[str]:
    """The environments named by ``--all`` or by ``--match`` patterns (shell-style: ``prod*``)."""
    known = environment_names() if names is None else names
    if not known:
        raise ConfigError(
            "--all" if every else "--match",
            "there is no environment file",
            str(environment.environments_dir()),
            "Create environments/<name>.tfvars (files named _*.tfvars are layers only).",
        )
    if every:
        return known
    chosen: list[str] = []
    for pattern in patterns:
        matched = fnmatch.filter(known, pattern)
        if not matched:
            raise ConfigError(
                "--match",
                "no environment matches",
                pattern,
                f"Known environments: {', '.join(known) or 'none'} "
                "(shell patterns: prod*, *-eu-*).",
            )
        chosen += [name for name in matched if name not in chosen]
    return sorted(chosen)


def headline(message: str) -> str:
    """The line of an error that says what went wrong (its first, and the next when the first
    only announces it: "... refused before changing anything:")."""
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].endswith(":"):
        return f"{lines[0]} {lines[1]}"
    return lines[0] if lines else message


def load_fleet(names: list[str]) -> list[Environment]:
    """Every environment validated before any is used; each warning said once, with the
    environments it is about, instead of once per environment."""
    sink, environment.warning_sink = environment.warning_sink, None
    try:
        envs = load_environments(names)
    finally:
        environment.warning_sink = sink
    about: dict[str, list[str]] = {}
    for env in envs:
        for warning in env.warnings:
            about.setdefault(warning, []).append(env.env)
    for warning, who in about.items():
        if sink is not None:
            everyone = len(who) == len(envs) and len(envs) > 1
            sink(f"{'every environment' if everyone else ', '.join(who)}: {warning}")
    return envs


def worst_exit_code(outcomes: Iterable[Outcome]) -> int:
    """An error anywhere is an error; else anything that needs a look (a refuted flow, changes,
    drift); else a plan proven only in part (verify: unprovable); else success."""
    codes = {o.exit_code for o in outcomes}
    for code in (exit_codes.ERROR, exit_codes.ATTENTION, exit_codes.UNPROVABLE):
        if code in codes:
            return code
    return exit_codes.SUCCESS


def run_fleet(
    names: list[str],
    work: Callable[[Environment, Deployment | None], Outcome],
    *,
    local: bool,
    terraform: bool = True,
    jobs: int,
    steps: Steps,
    use_cache: bool = True,
    report: Callable[[Outcome, int, int], None] | None = None,
) -> list[Outcome]:
    """Validate every environment, synthesize them in one process, then ``work`` on each (after
    its own ``terraform init``; none when ``terraform`` is false), ``jobs`` at a time. An
    environment's failure is its outcome; the others go on. Outcomes come back in name order;
    ``report`` sees each as it finishes."""
    envs = load_fleet(names)  # every ConfigError before anything runs
    workspace = Workspace.from_environment()
    with steps.step(f"Checking Terraform and {'the emulator' if local else 'the environment'}"):
        check_version(terraform_binary())
        emulator = None
        if terraform and local:
            emulator = open_emulator(workspace, envs, steps)
        elif terraform:
            check_real_aws_environment()
    with steps.step(f"Synthesizing {len(envs)} environment(s) in one process"):
        if synthesize(envs, workspace, use_cache=use_cache).cached:
            steps.note("inputs unchanged: taken from the synth cache")

    def one(env: Environment) -> Outcome:
        started = time.monotonic()
        try:
            deployment = prepare_deployment(env, workspace, emulator) if terraform else None
            outcome = work(env, deployment)
        except Exception as error:  # this environment's failure, not the fleet's
            known = (
                error if isinstance(error, (CommandError, ConfigError)) else command_error(error)
            )
            if known is None:
                raise  # a bug: keep the traceback
            message = str(known).strip() or repr(known)
            outcome = Outcome(
                env.env,
                env.stack_name,
                exit_codes.ERROR,
                "error",
                headline(message),
                0.0,
                {"error": message},
            )
        return replace(outcome, seconds=time.monotonic() - started)

    outcomes: list[Outcome] = []
    with steps.step(f"Running {len(envs)} environment(s), {jobs} at a time"):
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = [pool.submit(one, env) for env in envs]
            for future in as_completed(futures):
                outcomes.append(future.result())
                if report is not None:
                    report(outcomes[-1], len(outcomes), len(envs))
    return sorted(outcomes, key=lambda o: o.env)


def matrix(names: list[str], *, local: bool) -> dict[str, list[dict[str, Any]]]:
    """GitHub Actions' ``strategy.matrix`` (``fromJSON``): one job per environment."""
    envs = load_fleet(names)
    return {
        "include": [
            {
                "env": env.env,
                "region": env.region,
                "protected": env.network.prevent_destroy,
                "target": "emulator" if local else "aws",
            }
            for env in envs
        ]
    }
