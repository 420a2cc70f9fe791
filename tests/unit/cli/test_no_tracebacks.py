"""What users hand us by mistake ends in one line that says what to do, never a traceback: a
directory or a binary file where a file is expected, a tfvars file with a byte-order mark, a
Python without the packages, and a shell that evaluated `env --local`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from modules.cli import commands
from modules.stack.environment import PROJECT_ROOT, load_environment
from tests import tfvars
from tests.cli_json import envelope


def _main(
    *args: str, python: list[str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*python, "main.py", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("kind", ["directory", "binary file"])
def test_verify_file_on_what_is_not_a_json_file(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path
    if kind == "binary file":
        target = tmp_path / "plan.bin"
        target.write_bytes(b"\xff\xfe\x00PK\x03\x04")
    assert commands.run(["verify", "--file", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {target}: ")
    assert commands.run(["verify", "--file", str(target), "--json"]) == 1
    document = envelope(capsys.readouterr().out)
    assert document["result"] == "error" and str(target) in document["payload"]["error"]


def test_a_tfvars_file_with_a_byte_order_mark_reads_as_terraform_reads_it(tmp_path: Path) -> None:
    tfvars.write(tmp_path, "dev", tfvars.shipped("dev"))
    path = tmp_path / "dev.tfvars"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_environment("dev", tmp_path).region == "us-west-2"


def test_a_python_without_the_packages_runs_main_in_the_virtual_environment() -> None:
    # -S: no site-packages, as a bare interpreter outside the venv (or `npx cdktf synth`) has.
    bare = [sys._base_executable, "-S"]  # type: ignore[attr-defined]
    ran = _main("--version", python=bare)
    assert ran.returncode == 0 and ran.stdout.startswith("python main.py "), ran.stderr
    missing = _main("--version", python=bare, env={"AGENTCORE_VENV": "/nonexistent"})
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert missing.stderr.startswith("error: cdktf is not installed for ")
    assert "Run `make setup`" in missing.stderr


def test_an_empty_aws_profile_is_unset_as_terraform_and_the_aws_cli_take_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import boto3

    monkeypatch.setenv("AWS_PROFILE", "")
    commands.run(["local", "status"])
    assert "AWS_PROFILE" not in os.environ
    boto3.session.Session().client("sts", region_name="us-west-2")  # no ProfileNotFound
