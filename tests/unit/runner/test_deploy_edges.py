"""deploy at its edges: the file it is handed (--plan), a lock another run takes after its apply."""

from __future__ import annotations

import json
from concurrent.futures import Future
from pathlib import Path
from typing import Any, cast

import pytest

from modules.kernel.errors import CommandError
from modules.runner import saved_plan


def test_the_json_copy_of_a_plan_is_named_as_such_with_the_file_to_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.tfplan").write_bytes(b"PK")
    record: dict[str, Any] = {
        saved_plan.RECORD_KEY: {"stack": "network-dev"},
        "format_version": "1.2",
    }
    (tmp_path / "plan.tfplan.json").write_text(json.dumps(record, indent=1))
    with pytest.raises(CommandError) as refused:
        saved_plan.check(cast(Any, None), Path("plan.tfplan.json"))
    message = str(refused.value)
    assert "is the JSON copy of a plan" in message and message.endswith("--plan plan.tfplan")
    assert "plan.tfplan.json.json" not in message


def test_a_lock_taken_after_the_apply_skips_the_replan_and_says_why(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two deploys at once: the first one's apply succeeded, the second holds the lock when the
    first re-plans. The first says so and still reads the network back; it does not fail."""
    from types import SimpleNamespace

    from modules.cli.commands import deploy
    from modules.console.progress import Steps
    from modules.runner.terraform import StateLocked

    class Locked:
        def run(self, args: list[str], **_: object) -> None:
            raise StateLocked("locked", holder="lock 1f: OperationTypeApply by ci@runner since now")

    read_back: list[str] = []
    monkeypatch.setattr(deploy, "check_network", lambda *a, **k: read_back.append("read") or [])
    monkeypatch.setattr(deploy, "configured_view", lambda *a: None)
    env = SimpleNamespace(facts=None)
    stub = cast(
        Any,
        SimpleNamespace(
            terraform=Locked(),
            env=env,
            aws_client=None,
            deploy_command=None,
            where="emulator",
            stack_file=None,
        ),
    )
    report: dict[str, Any] = {}
    replan: Future[Any] = Future()
    replan.set_result(deploy._replan(stub))
    assert deploy._verify(stub, {}, Steps(total=2), report, replan) == 0
    assert report["verification"] == {"replan": "skipped", "checks": []}
    out = capsys.readouterr().out
    assert "skipped: the apply succeeded" in out and "OperationTypeApply by ci@runner" in out
    assert "no changes: the configuration" not in out and read_back == ["read"]
