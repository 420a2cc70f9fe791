"""Every shipped and fixture environment synthesized in one App: the session's synthesis, and
the same run under another engine or import path (no pytest import: the cdktn venv runs it)."""

from __future__ import annotations

from pathlib import Path

from modules.stack.environment import PROJECT_ROOT, environment_names, load_environment

TESTS = Path(__file__).parent
FIXTURE_ENVIRONMENTS = TESTS / "fixtures" / "environments"
SHIPPED = environment_names(PROJECT_ROOT / "environments")


def synthesize_all(outdir: Path) -> None:
    """Synthesize every shipped and fixture environment into ``outdir`` in one App."""
    from modules.runner.synth import synthesize
    from modules.runner.workspace import Workspace

    envs = [load_environment(name, PROJECT_ROOT / "environments") for name in SHIPPED]
    envs += [
        load_environment(p.stem, FIXTURE_ENVIRONMENTS)
        for p in sorted(FIXTURE_ENVIRONMENTS.glob("*.tfvars"))
    ]
    # Never from the synth cache: tests compare real syntheses.
    synthesize(envs, Workspace(outdir=outdir, state_root=PROJECT_ROOT / ".state"), use_cache=False)
