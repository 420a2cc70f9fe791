"""The synth cache: any input change misses, unchanged inputs hit with identical bytes."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from modules.runner import synth, synth_cache
from modules.runner.workspace import Workspace
from modules.stack.environment import PROJECT_ROOT, Environment, load_environment
from tests import tfvars


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of everything that feeds synthesis, to change without touching the repository."""
    root = tmp_path / "project"
    shutil.copytree(
        PROJECT_ROOT / "modules",
        root / "modules",
        ignore=shutil.ignore_patterns("__pycache__", "terraform", "*.md"),
    )
    for name in ("main.py", "cdktf.json"):
        shutil.copy(PROJECT_ROOT / name, root / name)
    tfvars.write(root / "environments", "dev", tfvars.shipped("dev"))
    return root


def _key(project: Path, outdir: Path | None = None, state: Path | None = None) -> str:
    env = load_environment("dev", project / "environments")
    return synth_cache.cache_key(
        [env], outdir or project / "out", state or project / "state", project_root=project
    )


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


CHANGES: dict[str, Callable[[Path], None]] = {
    "construct source": lambda p: _append(
        p / "modules" / "network" / "construct.py", "\n# changed\n"
    ),
    "endpoint catalog": lambda p: _append(p / "modules" / "facts" / "catalog.json", " "),
    "security group rules": lambda p: _append(p / "modules" / "facts" / "rules.json", " "),
    "environment file": lambda p: _append(p / "environments" / "dev.tfvars", "# reviewed\n"),
    "cdktf.json": lambda p: _append(p / "cdktf.json", " "),
    "main.py": lambda p: _append(p / "main.py", "\n"),
    "a new source file": lambda p: (p / "modules" / "extra.py").write_text("X = 1\n"),
}


def test_unchanged_inputs_give_the_same_key(project: Path) -> None:
    assert _key(project) == _key(project)


@pytest.mark.parametrize("change", CHANGES)
def test_changing_any_input_changes_the_key(change: str, project: Path) -> None:
    before = _key(project)
    CHANGES[change](project)
    assert _key(project) != before


def test_output_and_state_locations_change_the_key(project: Path, tmp_path: Path) -> None:
    # The backend path in cdk.tf.json is relative from the output to the state.
    assert _key(project, outdir=tmp_path / "elsewhere") != _key(project)
    assert _key(project, state=tmp_path / "elsewhere") != _key(project)


def test_package_versions_change_the_key(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _key(project)
    real = synth_cache.metadata.version
    monkeypatch.setattr(
        synth_cache.metadata,
        "version",
        lambda name: "20.2.0" if name == "cdktf-cdktf-provider-aws" else real(name),
    )
    assert _key(project) != before


def test_cdktf_environment_variables_change_the_key(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _key(project)
    monkeypatch.setenv("CDKTF_CONTEXT_JSON", '{"excludeStackIdFromLogicalIds": "false"}')
    assert _key(project) != before


def test_a_hit_skips_synthesis_and_gives_identical_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def fake_synthesize(envs: list[Environment], workspace: Workspace) -> None:
        calls.append(1)
        for env in envs:
            workspace.stack_file(env).parent.mkdir(parents=True, exist_ok=True)
            workspace.stack_file(env).write_text(f'{{"call": {len(calls)}}}')
        (workspace.outdir / "manifest.json").write_text("{}")

    monkeypatch.setattr(synth, "_synthesize", fake_synthesize)
    workspace = Workspace(outdir=tmp_path / "out", state_root=tmp_path / "state")
    env = load_environment("dev")
    first = synth.synthesize([env], workspace)
    written = first.files["dev"].read_bytes()
    first.files["dev"].write_text("clobbered")
    second = synth.synthesize([env], workspace)
    assert (first.cached, second.cached, len(calls)) == (False, True, 1)
    assert second.files["dev"].read_bytes() == written
    bypassed = synth.synthesize([env], workspace, use_cache=False)
    assert (bypassed.cached, len(calls)) == (False, 2)


def test_the_cache_keeps_a_bounded_number_of_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outdir = tmp_path / "out"
    env = load_environment("dev")
    (outdir / "stacks" / env.stack_name).mkdir(parents=True)
    (outdir / "stacks" / env.stack_name / "cdk.tf.json").write_text("{}")
    (outdir / "manifest.json").write_text("{}")
    for i in range(synth_cache.KEEP + 5):
        synth_cache.store(tmp_path / "cache" / f"{i:03}", outdir, [env])
    assert len(list((tmp_path / "cache").iterdir())) == synth_cache.KEEP


def test_the_engine_changes_the_key(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A cdktf synthesis must never be served to a cdktn run: the provider constraint differs.
    before = _key(project)
    real = synth_cache.metadata.version
    monkeypatch.setattr(
        synth_cache.metadata, "version", lambda name: "1.0" if "cdktn" in name else real(name)
    )
    monkeypatch.setenv("AGENTCORE_ENGINE", "cdktn")
    assert _key(project) != before
