"""The command line: bad input stops before anything is written; guards refuse with a fix."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from modules import commands
from modules.environment import PROJECT_ROOT
from tests import tfvars
from tests.unit.test_environment import BAD_INPUTS, DEV


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Environments, synth output and state in a temporary directory."""
    monkeypatch.setenv("AGENTCORE_ENVIRONMENTS_DIR", str(tmp_path / "environments"))
    monkeypatch.setenv("CDKTF_OUTDIR", str(tmp_path / "cdktf.out"))
    monkeypatch.setenv("AGENTCORE_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    return tmp_path


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = commands.run(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(("values", "field", "fix"), [case[1:] for case in BAD_INPUTS],
                         ids=[case[0] for case in BAD_INPUTS])
@pytest.mark.parametrize("command", [["synth"], ["deploy", "--local"], ["plan", "--local"]])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    workspace: Path, capsys: pytest.CaptureFixture[str], command: list[str],
    values: dict[str, Any], field: str, fix: str,
) -> None:
    tfvars.write(workspace / "environments", "case", values)
    code, out, err = _run([*command, "--env", "case"], capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert f"case.tfvars: {field}: " in err and fix in err
    assert not (workspace / "cdktf.out").exists()
    assert not (workspace / "state").exists()  # no emulator started, no state touched


def test_missing_environment_exits_2(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tfvars.write(workspace / "environments", "dev", DEV)
    code, _, err = _run(["deploy", "--local", "--env", "staging"], capsys)
    assert code == 2
    assert "--env: there is no file" in err and "Known environments: dev." in err


def test_real_entry_point_prints_no_traceback(workspace: Path) -> None:
    tfvars.write(workspace / "environments", "broken", {**DEV, "vpc_cidr": "10.0.0.0/33"})
    completed = subprocess.run(
        [sys.executable, "main.py", "synth", "--env", "broken"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, env=os.environ.copy(), check=False,
    )
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert completed.stderr.startswith("error: ") and "vpc_cidr" in completed.stderr


def test_protected_environment_refuses_destroy(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tfvars.write(workspace / "environments", "prod", tfvars.shipped("prod"))
    code, _, err = _run(["destroy", "--env", "prod", "--auto-approve"], capsys)
    assert code == 1
    assert "prod is protected (prevent_destroy = true in" in err
    assert "set prevent_destroy = false" in err
    code, _, err = _run(["destroy", "--env", "prod", "--local"], capsys)
    assert code == 1 and "python main.py local down" in err


def test_destroy_with_no_state_does_nothing(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tfvars.write(workspace / "environments", "dev", DEV)
    code, out, _ = _run(["destroy", "--local"], capsys)
    assert code == 0 and "Nothing to destroy" in out
    assert not (workspace / "state" / "emulator-server").exists()  # no emulator started for nothing


def _state_with_resources(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "version": 4,
        "resources": [{"mode": "managed", "type": "aws_vpc", "name": "network_this",
                       "instances": [{"attributes": {"id": "vpc-1"}}]}],
    }))


def test_local_state_without_its_emulator_is_reported_with_the_fix(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tfvars.write(workspace / "environments", "dev", DEV)
    _state_with_resources(workspace / "state" / "emulator" / "dev" / "terraform.tfstate")
    code, _, err = _run(["plan", "--local"], capsys)
    assert code == 1
    assert "lists 1 resources that were created in an emulator that is no longer running" in err
    assert "Run `python main.py local down` to archive that state" in err
    assert not (workspace / "state" / "emulator-server").exists()

    code, out, _ = _run(["local", "down"], capsys)
    assert code == 0 and "Archived the local state of dev (1 resources" in out
    assert not (workspace / "state" / "emulator" / "dev" / "terraform.tfstate").exists()
    assert list((workspace / "state" / "archive" / "emulator").glob("*/dev/terraform.tfstate"))


def test_truncated_state_is_reported_not_overwritten(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tfvars.write(workspace / "environments", "dev", DEV)
    state = workspace / "state" / "emulator" / "dev" / "terraform.tfstate"
    state.parent.mkdir(parents=True)
    state.write_text('{"version": 4, "resour')
    code, _, err = _run(["deploy", "--local"], capsys)
    assert code == 1 and "is not valid JSON" in err and "terraform.tfstate.backup" in err
    assert state.read_text() == '{"version": 4, "resour'


def test_local_endpoint_without_local_flag_is_refused(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tfvars.write(workspace / "environments", "dev", DEV)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    code, _, err = _run(["plan"], capsys)
    assert code == 1 and "Add --local, or unset AWS_ENDPOINT_URL" in err


def test_local_status_when_the_emulator_is_down(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["local", "status"], capsys)
    assert code == 3 and "not running" in out


def test_help_lists_every_command_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        commands.run(["--help"])
    out = capsys.readouterr().out
    assert exited.value.code == 0
    for command in ("synth", "plan", "deploy", "destroy", "local"):
        assert command in out
    assert "python main.py deploy --local" in out


def test_real_aws_changes_need_a_terminal_or_auto_approve(monkeypatch: pytest.MonkeyPatch) -> None:
    from modules.commands.confirm import confirm
    from modules.errors import CommandError

    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    with pytest.raises(CommandError, match="re-run with --auto-approve"):
        confirm("Apply?", "yes", action="change real AWS")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    confirm("Apply?", "yes", action="change real AWS")
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    with pytest.raises(CommandError, match="Did not change real AWS: the answer was not 'yes'"):
        confirm("Apply?", "yes", action="change real AWS")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ("AuthFailure", "AWS rejected the credentials (AuthFailure on DescribeVpcs)"),
        ("ExpiredToken", "AWS rejected the credentials (ExpiredToken on DescribeVpcs)"),
        ("UnauthorizedOperation", "AWS refused DescribeVpcs (UnauthorizedOperation: no)"),
    ],
)
def test_aws_errors_become_one_clear_line(error: str, expected: str, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from botocore.exceptions import ClientError

    from modules.commands import parser

    def failing_parser() -> Any:
        class Parser:
            def parse_args(self, argv: list[str]) -> Any:
                def handler(args: Any) -> int:
                    raise ClientError({"Error": {"Code": error, "Message": "no"}}, "DescribeVpcs")
                return type("Args", (), {"handler": staticmethod(handler)})()
        return Parser()

    monkeypatch.setattr(parser, "build_parser", failing_parser)
    code, _, err = _run(["drift"], capsys)
    assert code == 1 and err.startswith(f"error: {expected}") and "Traceback" not in err


def test_the_command_line_starts_without_loading_cdktf() -> None:
    # --help, validation errors and every command before synthesis stay fast: no jsii runtime.
    probe = "import sys, modules.commands.parser; print(sorted(m for m in ('cdktf', 'jsii') if m in sys.modules))"
    completed = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "[]"
