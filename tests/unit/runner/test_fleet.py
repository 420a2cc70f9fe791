"""The fleet without Terraform: selection, the worst exit code, the CI matrix (and the example
workflow's step that builds it), the verify of many configurations, usage mistakes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from modules.cli import commands
from modules.console import exit_codes
from modules.kernel.errors import ConfigError
from modules.runner.fleet import Outcome, select, worst_exit_code
from tests import tfvars
from tests.cli_json import envelope
from tests.workflow import run_step

NAMES = ["dev", "prod", "prod-eu-west-2", "staging"]


def test_select_by_all_and_by_pattern() -> None:
    assert select((), True, NAMES) == NAMES
    assert select(["prod*"], False, NAMES) == ["prod", "prod-eu-west-2"]
    assert select(["*-eu-*", "dev", "prod*"], False, NAMES) == ["dev", "prod", "prod-eu-west-2"]
    with pytest.raises(ConfigError, match="--match: no environment matches; got 'qa'"):
        select(["qa"], False, NAMES)
    with pytest.raises(ConfigError, match="--all: there is no environment file"):
        select((), True, [])  # not an empty fleet that runs nothing


def _outcome(code: int) -> Outcome:
    return Outcome("e", "network-e", code, "x", "x", 0.0)


@pytest.mark.parametrize(
    ("codes", "worst"),
    [((0, 0), 0), ((0, 2, 0), 2), ((2, 1, 0), 1), ((), 0), ((0, 3), 3), ((3, 2), 2), ((3, 1), 1)],
)
def test_the_exit_code_is_the_worst_of_the_fleet(codes: tuple[int, ...], worst: int) -> None:
    assert worst_exit_code(_outcome(c) for c in codes) == worst


def test_the_matrix_lists_every_environment_validated(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENTCORE_STATE_DIR", str(tmp_path / "state"))  # no warning seen yet
    assert commands.run(["matrix"]) == 0
    out, err = capsys.readouterr()
    include = json.loads(out)["include"]
    # each warning once, naming the environments it is about
    assert err.count("warning: every environment: endpoints: whether AWS takes") == 1
    assert err.count("warning: dev: subnets: the agent_runtime role is in one AZ") == 1
    assert [job["env"] for job in include] == ["dev", "prod", "prod-eu-west-2"]
    assert include[2] == {
        "env": "prod-eu-west-2",
        "region": "eu-west-2",
        "protected": True,
        "target": "aws",
    }
    tfvars.write(tmp_path, "good", tfvars.shipped("dev"))
    tfvars.write(tmp_path, "broken", {**tfvars.shipped("dev"), "vpc_cidr": "10.0.0.0/8"})
    monkeypatch.setenv("AGENTCORE_ENVIRONMENTS_DIR", str(tmp_path))
    assert commands.run(["matrix", "--all"]) == exit_codes.ERROR  # fails before any job starts
    assert "broken.tfvars: vpc_cidr:" in capsys.readouterr().err


def test_the_example_workflow_builds_its_matrix_with_the_matrix_command(tmp_path: Path) -> None:
    output = tmp_path / "github_output"
    result = run_step("Matrix", tmp_path, {**os.environ, "GITHUB_OUTPUT": str(output)})
    assert result.returncode == 0, result.stdout + result.stderr
    key, _, value = output.read_text().strip().partition("=")
    assert key == "environments"
    assert [job["env"] for job in json.loads(value)["include"]] == [
        "dev",
        "prod",
        "prod-eu-west-2",
    ]


def test_verify_of_every_configuration_is_one_document(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # its own output and state: the other worker synthesizes into the project's meanwhile
    monkeypatch.setenv("CDKTF_OUTDIR", str(tmp_path / "out"))
    monkeypatch.setenv("AGENTCORE_STATE_DIR", str(tmp_path / "state"))
    assert commands.run(["verify", "--all", "--json"]) == 0
    document = envelope(capsys.readouterr().out)
    assert (document["command"], document["result"], document["target"]) == ("verify", "ok", None)
    environments = document["payload"]["environments"]
    assert [e["env"] for e in environments] == ["dev", "prod", "prod-eu-west-2"]
    assert all(e["result"] == "proven" and e["exit_code"] == 0 for e in environments)
    assert environments[0]["summary"].startswith("proven: ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["plan", "--all", "--env", "prod"], "plan: --all and --env cannot be used together"),
        (["drift", "--match", "p*", "--all"], "drift: --all and --match cannot be used together"),
        (["plan", "--all", "--out", "x.tfplan"], "plan: --out and --all cannot be used together"),
        (["verify", "--all", "--live"], "verify: --live and --all cannot be used together"),
        (["plan", "--jobs", "3"], "plan: --jobs needs --all or --match"),
        (["plan", "--all", "--jobs", "0"], "not a number of environments at once (1 to 32)"),
    ],
)
def test_fleet_usage_mistakes_are_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        commands.run(argv)
    assert raised.value.code == exit_codes.ERROR
    assert message in capsys.readouterr().err
