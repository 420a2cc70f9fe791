"""Warnings about an environment: in full where they matter, once elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from modules.cli import commands


def _warnings(argv: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert commands.run(argv) == 0
    return capsys.readouterr().err.splitlines()


def test_the_dev_files_warnings_are_said_once_then_counted_but_always_by_synth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AGENTCORE_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("CDKTF_OUTDIR", str(tmp_path / "cdktf.out"))
    first = _warnings(["cost", "--env", "dev"], capsys)
    said = [line for line in first if line.startswith("warning: environments/dev.tfvars: ")]
    assert len(said) == 3 and len(first) == 3
    assert _warnings(["cost", "--env", "dev"], capsys) == [
        "note: 3 warning(s) about the environment, shown before, not repeated (python main.py "
        "synth shows them again)."
    ]
    again = _warnings(["synth", "--env", "dev"], capsys)
    assert [line for line in again if line.startswith("warning: ")] == said
