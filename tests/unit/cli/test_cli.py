"""The command line: bad input stops before anything is written; guards refuse with a fix."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from modules.cli import commands
from modules.cli.commands.registry import BY_NAME, COMMANDS
from modules.stack.environment import PROJECT_ROOT, load_environment
from tests import tfvars
from tests.unit.stack.test_environment import BAD_INPUTS, DEV
from tests.workflow import run_step


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


@pytest.mark.parametrize(
    ("values", "field", "fix"),
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
@pytest.mark.parametrize("command", [["synth"], ["deploy", "--local"], ["plan", "--local"]])
def test_bad_input_exits_1_with_one_line_and_writes_nothing(
    workspace: Path,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    values: dict[str, Any],
    field: str,
    fix: str,
) -> None:
    tfvars.write(workspace / "environments", "case", values)
    code, out, err = _run([*command, "--env", "case"], capsys)
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert f"case.tfvars: {field}: " in err and fix in err
    assert not (workspace / "cdktf.out").exists()
    assert not (workspace / "state").exists()  # no emulator started, no state touched


def test_every_mistake_of_a_file_is_reported_in_one_run(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Four mistakes in three parts (a variable, the network, the endpoints): four lines, each
    naming its field; a value users write as null is said as null."""
    tfvars.write(
        workspace / "environments",
        "case",
        {
            **DEV,
            "bogus": 1,
            "flow_log_retention_days": "a",
            "subnets": {"data": {"cidr": "10.0.0.0/33", "az": "us-west-2a"}},
            "flows": ["nope"],
        },
    )
    code, _, err = _run(["synth", "--env", "case"], capsys)
    lines = err.splitlines()
    assert code == 1 and len(lines) == 2 and all(line.startswith("error: ") for line in lines)
    assert "bogus: unknown variable" in lines[0] and "flow_log_retention_days:" in lines[1]
    fixed = {**DEV, "subnets": {"data": {"cidr": "10.0.0.0/33", "az": "us-west-2a"}}}
    tfvars.write(workspace / "environments", "case", {**fixed, "flows": ["nope"]})
    code, _, err = _run(["synth", "--env", "case"], capsys)
    lines = err.splitlines()
    assert code == 1 and len(lines) == 2
    assert "subnets.data.cidr:" in lines[0] and "flows: unknown flow 'nope'" in lines[1]
    tfvars.write(
        workspace / "environments", "case", {k: v for k, v in DEV.items() if k != "region"}
    )
    _, _, err = _run(["synth", "--env", "case"], capsys)
    assert "region: required variable is missing; got null." in err


def test_missing_environment_exits_1(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tfvars.write(workspace / "environments", "dev", DEV)
    code, _, err = _run(["deploy", "--local", "--env", "staging"], capsys)
    assert code == 1
    assert "--env: there is no file" in err and "Known environments: dev." in err


def test_real_entry_point_prints_no_traceback(workspace: Path) -> None:
    tfvars.write(workspace / "environments", "broken", {**DEV, "vpc_cidr": "10.0.0.0/33"})
    completed = subprocess.run(
        [sys.executable, "main.py", "synth", "--env", "broken"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert completed.stderr.startswith("error: ") and "vpc_cidr" in completed.stderr


def test_protected_environment_refuses_destroy(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tfvars.write(workspace / "environments", "prod", tfvars.shipped("prod"))
    code, _, err = _run(["destroy", "--env", "prod", "--auto-approve"], capsys)
    assert code == 1
    assert "prod is protected (prevent_destroy = true in" in err
    assert "set prevent_destroy = false" in err
    code, _, err = _run(["destroy", "--env", "prod", "--local"], capsys)
    assert code == 1 and "python main.py local down" in err


def test_destroy_with_no_state_does_nothing(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tfvars.write(workspace / "environments", "dev", DEV)
    code, out, _ = _run(["destroy", "--local"], capsys)
    assert code == 0 and "Nothing to destroy" in out
    assert not (workspace / "state" / "emulator-server").exists()  # no emulator started for nothing


def _state_with_resources(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "version": 4,
                "resources": [
                    {
                        "mode": "managed",
                        "type": "aws_vpc",
                        "name": "network_this",
                        "instances": [{"attributes": {"id": "vpc-1"}}],
                    }
                ],
            }
        )
    )


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


def test_truncated_state_is_reported_not_overwritten(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
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


@pytest.mark.parametrize("argv", [["plan"], ["deploy"], ["plan", "--all"], ["drift"]])
def test_no_credentials_is_said_before_synth_and_init(
    argv: list[str],
    workspace: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tfvars.write(workspace / "environments", "dev", DEV)
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(workspace / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(workspace / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    code, _, err = _run(argv, capsys)
    assert code == 1 and "No AWS credentials found" in err and "--local needs none" in err
    assert not (workspace / "cdktf.out").exists()  # nothing synthesized, nothing initialised


def test_local_status_when_the_emulator_is_down(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(["local", "status"], capsys)
    assert code == 3 and "not running" in out


@pytest.mark.parametrize("command", [["local", "up"], ["deploy", "--local"], ["plan", "--local"]])
@pytest.mark.parametrize("account", ["12345678901", "dev-account", "1234567890123"])
def test_an_emulator_account_that_is_not_twelve_digits_is_one_line(
    workspace: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    account: str,
) -> None:
    tfvars.write(workspace / "environments", "dev", tfvars.shipped("dev"))
    monkeypatch.setenv("AGENTCORE_EMULATOR_ACCOUNT", account)
    code, _, err = _run(command, capsys)
    (error,) = [line for line in err.splitlines() if not line.startswith("warning: ")]
    assert code == 1 and error.startswith("error: ")
    assert f"AGENTCORE_EMULATOR_ACCOUNT={account!r} is not an AWS account id" in error
    assert "twelve digits" in error and "unset it" in error
    assert not (workspace / "state").exists() and not (workspace / "cdktf.out").exists()


def test_help_lists_every_command_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        commands.run(["--help"])
    out = capsys.readouterr().out
    assert exited.value.code == 0
    for command in ("synth", "plan", "deploy", "destroy", "local"):
        assert command in out
    assert "python main.py deploy --local" in out


def test_real_aws_changes_need_a_terminal_or_auto_approve(monkeypatch: pytest.MonkeyPatch) -> None:
    from modules.cli.commands.confirm import confirm
    from modules.kernel.errors import CommandError

    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    with pytest.raises(CommandError, match="re-run with --auto-approve"):
        confirm("Apply?", "yes", action="change real AWS")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    confirm("Apply?", "yes", action="change real AWS")
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    with pytest.raises(CommandError, match="Did not change real AWS: the answer was not 'yes'"):
        confirm("Apply?", "yes", action="change real AWS")


def test_the_prompt_names_the_account_the_region_and_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from types import SimpleNamespace

    from modules.cli.commands.confirm import confirm_change

    sts = SimpleNamespace(get_caller_identity=lambda: {"Account": "123456789012"})
    env = load_environment("prod", PROJECT_ROOT / "environments")
    deployment = SimpleNamespace(env=env, aws_client=lambda service: sts, emulator=None)
    asked: list[str] = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "prod")
    confirm_change(deployment, "Destroy every resource of the network in", expected="prod")  # type: ignore[arg-type]
    assert asked == [
        "Destroy every resource of the network in AWS account 123456789012 in us-west-2 "
        "(environment prod, network-prod)? Type 'prod' to go on: "
    ]


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ("AuthFailure", "AWS rejected the credentials (AuthFailure on DescribeVpcs)"),
        ("ExpiredToken", "AWS rejected the credentials (ExpiredToken on DescribeVpcs)"),
        ("UnauthorizedOperation", "AWS refused DescribeVpcs (UnauthorizedOperation: no)"),
    ],
)
def test_aws_errors_become_one_clear_line(
    error: str, expected: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from botocore.exceptions import ClientError

    from modules.cli.commands import parser

    def failing_parser() -> Any:
        class Parser:
            def parse_args(self, argv: list[str]) -> Any:
                def handler(args: Any) -> int:
                    raise ClientError({"Error": {"Code": error, "Message": "no"}}, "DescribeVpcs")

                return type("Args", (), {"handler": staticmethod(handler), "command": "drift"})()

        return Parser()

    monkeypatch.setattr(parser, "build_parser", failing_parser)
    code, _, err = _run(["drift"], capsys)
    assert code == 1 and err.startswith(f"error: {expected}") and "Traceback" not in err


def test_the_command_line_starts_without_loading_cdktf() -> None:
    # --help, validation errors and every command before synthesis stay fast: no jsii runtime.
    probe = (
        "import sys, modules.cli.commands.parser; print(sorted(m for m in ('cdktf', 'jsii') if "
        "m in sys.modules))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "[]"


def test_every_command_has_one_row_of_exit_codes_in_the_readme_and_its_help() -> None:
    """Each command declares its exit codes once: the README and its `--help` print them."""
    from modules.cli.commands.parser import build_parser

    declared = {command.name: command.exit_codes for command in COMMANDS}
    readme = (PROJECT_ROOT / "README.md").read_text()
    rows = dict(re.findall(r"^\|[^`\n]*`([a-z-]+)[^\n]*\| ([^|\n]+) \|$", readme, re.MULTILINE))
    assert {name: rows.get(name) for name in declared} == declared
    subparsers = next(
        a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    )
    assert set(subparsers.choices) == set(declared)
    for name, sub in subparsers.choices.items():
        assert f"exit codes: {declared[name]}" in sub.format_help(), name


@pytest.mark.parametrize(
    "argv",
    [["plan", "--bogus"], ["nocommand"], ["verify", "--file"], ["cost", "--data-gb", "lots"]],
)
def test_a_usage_mistake_exits_1_in_one_line(argv: list[str]) -> None:
    completed = subprocess.run(
        [sys.executable, "main.py", *argv],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    assert completed.returncode == 1 and completed.stdout == ""
    assert completed.stderr.count("\n") == 1 and completed.stderr.startswith("error: "), (
        completed.stderr
    )


BAD_FILES = {
    "random bytes": b"\xff\xfe\x00\x9c garbage \x80",
    "UTF-16": 'name = "agentcore-dev"\n'.encode("utf-16"),
}


@pytest.mark.parametrize("content", BAD_FILES.values(), ids=list(BAD_FILES))
def test_an_environment_file_that_is_not_utf8_is_one_line(
    workspace: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    (workspace / "environments").mkdir()
    (workspace / "environments" / "bad.tfvars").write_bytes(content)
    code, _, err = _run(["synth", "--env", "bad"], capsys)
    assert code == 1 and err.count("\n") == 1
    assert "bad.tfvars: encoding: not UTF-8 text" in err and "Save it as UTF-8" in err


def test_a_terraform_binary_that_is_not_there_is_one_line(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tfvars.write(workspace / "environments", "dev", DEV)
    monkeypatch.setenv("TERRAFORM_BINARY", str(workspace / "nonexistent"))
    code, _, err = _run(["plan", "--local"], capsys)
    (error,) = [line for line in err.splitlines() if line.startswith("error: ")]
    assert code == 1 and "is not an executable file" in error
    assert not (workspace / "state").exists()  # refused before any emulator started


@pytest.mark.parametrize(
    "argv",
    [
        ["cost", "--what-if", "--workloads", "0"],
        ["cost", "--what-if", "--workloads", "-1"],
        ["cost", "--data-gb", "nan"],
        ["cost", "--flow-log-gb", "-3"],
    ],
)
def test_bad_numbers_are_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        commands.run(argv)
    err = capsys.readouterr().err
    assert exited.value.code == 1 and err.count("\n") == 1 and err.startswith("error: argument ")


@pytest.mark.parametrize(
    ("document", "field"),
    [
        (
            '{"regions": {"us-west-2": {"interface_endpont_hour": 0.01}}}',
            "regions.us-west-2.interface_endpont_hour",
        ),
        (
            '{"regions": {"us-west-2": {"interface_endpoint_hour": "cheap"}}}',
            "regions.us-west-2.interface_endpoint_hour",
        ),
        (
            '{"regions": {"us-west-2": {"privatelink_data_gb_tiers": [[1, -1]]}}}',
            "regions.us-west-2.privatelink_data_gb_tiers",
        ),
        ('{"hours_per_month": 0}', "hours_per_month"),
        ('{"currency": "EUR"}', "currency"),
        ("[]", "(document)"),
    ],
)
def test_a_prices_file_is_checked_like_an_environment_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], document: str, field: str
) -> None:
    prices = tmp_path / "prices.json"
    prices.write_text(document)
    assert commands.run(["cost", "--prices", str(prices)]) == 1
    err = capsys.readouterr().err
    assert f"error: --prices: {field}: " in err and err.count("error:") == 1


def test_a_closed_pipe_ends_quietly() -> None:
    completed = subprocess.run(
        f"{sys.executable} main.py cost --what-if --env prod | head -c 10",
        shell=True,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in completed.stderr and "BrokenPipe" not in completed.stderr


def test_the_ci_examples_plan_job_fails_on_a_broken_environment_file(workspace: Path) -> None:
    """Exit 1 is every error: the example's plan step, which passes 0 and 2, fails the job."""
    tfvars.write(workspace / "environments", "prod", {**DEV, "vpc_cidr": "10.0.0.0/33"})
    completed = run_step("Plan", workspace / "runner", {**os.environ, "ENVIRONMENT": "prod"})
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "prod.tfvars: vpc_cidr" in completed.stderr


def test_version_is_the_changelogs_newest(capsys: pytest.CaptureFixture[str]) -> None:
    from modules import __version__

    with pytest.raises(SystemExit) as exited:
        commands.run(["--version"])
    assert exited.value.code == 0 and capsys.readouterr().out.startswith(
        f"python main.py {__version__} "
    )
    newest = re.search(r"^## (\S+) — ", (PROJECT_ROOT / "CHANGELOG.md").read_text(), re.MULTILINE)
    assert newest is not None and newest.group(1) == __version__


@pytest.mark.parametrize(
    ("argv", "conflict"),
    [
        (["verify", "--live", "--file", "x.json"], "--file and --live"),
        (["verify", "--file", "x.json", "--env", "dev"], "--file and --env"),
        (["verify", "--plan", "--live"], "--plan and --live"),
        (["synth", "--all", "--env", "nope"], "--all and --env"),
        (["diagram", "--all", "--env", "prod"], "--all and --env"),
    ],
)
def test_contradicting_options_are_refused_not_ignored(
    argv: list[str], conflict: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        commands.run(argv)
    err = capsys.readouterr().err
    assert (
        exited.value.code == 1
        and err.count("\n") == 1
        and f"{conflict} cannot be used together" in err
    )


def _commands_with(option: str) -> list[str]:
    from modules.cli.commands.parser import build_parser

    subparsers = next(
        a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    )
    return sorted(
        name
        for name, sub in subparsers.choices.items()
        if any(option in action.option_strings for action in sub._actions)
    )


POSITIONAL = {"force-unlock": ["0123-lock"], "local": ["status"]}
CORPUS = {
    "unknown flag": lambda command: [command, *POSITIONAL.get(command, []), "--bogus"],
    "no such environment": lambda command: [command, *POSITIONAL.get(command, []), "--env", "nope"],
    "environment file not UTF-8": lambda command: [
        command,
        *POSITIONAL.get(command, []),
        "--env",
        "latin",
    ],
    "environment file with a bad value": lambda command: [
        command,
        *POSITIONAL.get(command, []),
        "--env",
        "broken",
    ],
}


@pytest.mark.parametrize(
    ("command", "case"),
    [
        (command, case)
        for command in sorted(BY_NAME)
        for case in CORPUS
        if case == "unknown flag" or command in _commands_with("--env")
    ],
)
def test_every_command_refuses_every_bad_input_in_one_line(
    workspace: Path, capsys: pytest.CaptureFixture[str], command: str, case: str
) -> None:
    """The corpus: each command x each mistake a user can make on its command line or in its
    environment file exits 1 with one `error:` line, no traceback, and touches no state."""
    tfvars.write(workspace / "environments", "broken", {**DEV, "vpc_cidr": "10.0.0.0/33"})
    (workspace / "environments" / "latin.tfvars").write_bytes(
        'name = "agentcore-d\xe9v"\n'.encode("latin-1")
    )
    try:
        code = commands.run(CORPUS[case](command))
    except SystemExit as exited:
        code = exited.code
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert code == 1 and len(errors) == 1, err
    assert "Traceback" not in err and not (workspace / "state").exists()
