"""The --json contract: every command that takes --json prints the one envelope on stdout, valid
against modules/cli/cli_output.schema.json, in success and in error, and nothing else there."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import jsonschema
import pytest

from modules.cli import commands, json_output
from modules.cli.commands.parser import build_parser
from modules.cli.commands.registry import BY_NAME
from modules.console import exit_codes
from tests.cli_json import envelope


def _json_commands() -> set[str]:
    subparsers = next(
        a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    )
    return {
        name
        for name, sub in subparsers.choices.items()
        if any("--json" in action.option_strings for action in sub._actions)
    }


def test_the_schema_and_the_parser_agree_on_which_commands_speak_json() -> None:
    schema = json.loads(json_output.SCHEMA_PATH.read_text())
    assert set(schema["properties"]["command"]["enum"]) == set(BY_NAME) == _json_commands()


#: What each command needs on its command line besides options.
POSITIONAL = {"local": ["status"], "force-unlock": ["1a2b3c"]}
#: The commands that take --env.
WITH_ENV = [c for c in BY_NAME if c not in ("matrix", "local")]


@pytest.mark.parametrize("command", WITH_ENV)
def test_a_bad_environment_is_an_error_envelope(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [command, *POSITIONAL.get(command, []), "--env", "nope", "--json"]
    assert commands.run(argv) == exit_codes.ERROR
    captured = capsys.readouterr()
    document = envelope(captured.out)
    assert (document["command"], document["result"], document["stack"]) == (
        command,
        "error",
        "network-nope",
    )
    assert "--env: there is no file" in document["payload"]["error"]
    assert captured.err.startswith("error: --env")


@pytest.mark.parametrize("command", list(BY_NAME))
def test_a_usage_mistake_is_an_error_envelope_too(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        commands.run([command, *POSITIONAL.get(command, []), "--json", "--no-such-flag"])
    document = envelope(capsys.readouterr().out)
    assert (
        exited.value.code == 1
        and document["result"] == "error"
        and "--no-such-flag" in document["payload"]["error"]
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["cost", "--json"],
        ["cost", "--what-if", "--json", "--env", "prod"],
        ["verify", "--json"],
        ["verify", "--json", "--env", "prod"],
    ],
)
def test_success_is_the_envelope_with_the_commands_payload(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = commands.run(argv)
    document = envelope(capsys.readouterr().out)
    assert code == document["exit_code"] == 0 and document["result"] in ("ok", "proven")
    assert (
        document["stack"] == ("network-prod" if "prod" in argv else "network-dev")
        and document["target"] is None
    )


def test_verify_of_a_file_names_no_stack(
    dev: dict[str, object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cdk.tf.json"
    path.write_text(json.dumps(dev))
    assert commands.run(["verify", "--file", str(path), "--json"]) == 0
    document = envelope(capsys.readouterr().out)
    assert document["stack"] is None and document["payload"]["inputs"][0]["source"].endswith(
        "cdk.tf.json"
    )


def test_the_schema_refuses_what_is_not_the_envelope() -> None:
    good = json_output.envelope("cost", "ok", 0, {"region": "x"}, stack="network-dev")
    with pytest.raises(jsonschema.ValidationError):
        envelope(json.dumps(good))  # a cost payload without its fields
    with pytest.raises(jsonschema.ValidationError):
        envelope(
            json.dumps({**json_output.envelope("drift", "drift", 0, {}), "payload": {"error": "x"}})
        )
    with pytest.raises(jsonschema.ValidationError):
        envelope(json.dumps(json_output.envelope("drift", "error", 2, {"error": "boom"})))


def test_the_commands_that_report_what_they_did_print_only_the_envelope(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """synth, diagram, matrix and local status under --json: their text goes to stderr, the
    envelope (with what they did) is all of stdout."""
    monkeypatch.setenv("CDKTF_OUTDIR", str(tmp_path / "cdktf.out"))
    monkeypatch.setenv("AGENTCORE_STATE_DIR", str(tmp_path / "state"))

    def run(*argv: str) -> tuple[int, dict[str, object], str]:
        code = commands.run(list(argv))
        captured = capsys.readouterr()
        document = envelope(captured.out)
        assert document["exit_code"] == code
        return code, document, captured.err

    code, synth, err = run("synth", "--json")
    assert code == 0 and synth["stack"] == "network-dev" and "synthesized dev:" in err
    stacks = synth["payload"]["stacks"]  # type: ignore[index]
    assert Path(stacks["dev"]).is_file() and synth["payload"]["cached"] is False  # type: ignore[index]
    code, drawn, _ = run("diagram", "--json", "--output", str(tmp_path / "d"))
    assert code == 0 and [Path(f).suffix for f in drawn["payload"]["files"]] == [  # type: ignore[index]
        ".dot",
        ".svg",
        ".png",
    ]
    code, jobs, _ = run("matrix", "--json")
    include = jobs["payload"]["include"]  # type: ignore[index]
    assert (
        code == 0
        and jobs["stack"] is None
        and [j["env"] for j in include]
        == [
            "dev",
            "prod",
            "prod-eu-west-2",
        ]
    )
    code, status, err = run("local", "status", "--json")
    assert (code, status["result"], status["target"]) == (3, "stopped", "emulator")
    assert status["payload"] == {"action": "status", "running": False} and "not running" in err
