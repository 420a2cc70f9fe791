"""`local up|down|status`: the embedded AWS emulator (moto on 127.0.0.1)."""

from __future__ import annotations

import argparse
import time
from typing import Any

from modules.cli import json_output
from modules.cli.commands.command import Command
from modules.console import exit_codes
from modules.runner import emulator as emulators
from modules.runner.deployment import archive_emulator_states, managed_resource_count
from modules.runner.emulator import Emulator
from modules.runner.workspace import Workspace
from modules.stack.environment import display_path

NOT_RUNNING = exit_codes.NOT_RUNNING


def run(args: argparse.Namespace) -> int:
    workspace = Workspace.from_environment()
    report = json_output.report(args)
    report["action"] = args.action
    return {"up": _up, "down": _down, "status": _status}[args.action](workspace, report)


def _up(workspace: Workspace, report: dict[str, Any]) -> int:
    emulator, started = emulators.ensure(workspace.emulator_dir, workspace.emulator_account)
    report.update(_described(emulator), started=started)
    print(f"AWS emulator {'started' if started else 'already running'} at {emulator.url}")
    print("Use it from other AWS tools with:")
    for name, value in emulator.aws_env().items():
        if name in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            print(f"  export {name}={value}")
    return 0


def _down(workspace: Workspace, report: dict[str, Any]) -> int:
    emulator = emulators.stop(workspace.emulator_dir)
    report.update(stopped=emulator is not None, archived=[])
    print(
        f"Stopped the AWS emulator at {emulator.url}."
        if emulator
        else "The AWS emulator was not running."
    )
    for env, count, destination in archive_emulator_states(workspace):
        report["archived"].append({"env": env, "resources": count, "to": str(destination)})
        print(
            f"Archived the local state of {env} ({count} resources, gone with the emulator) "
            f"to {display_path(destination)}."
        )
    return 0


def _status(workspace: Workspace, report: dict[str, Any]) -> int:
    emulator = emulators.running(workspace.emulator_dir, workspace.emulator_account)
    report.update(running=emulator is not None)
    if emulator is None:
        print("The AWS emulator is not running (start it: python main.py local up).")
        return NOT_RUNNING
    print(emulator.url)
    print(
        f"  pid {emulator.pid}, up {time.time() - emulator.started_at:.0f}s, "
        f"account {emulator.account_id}"
    )
    states = sorted((workspace.state_root / "emulator").glob("*/terraform.tfstate"))
    report.update(_described(emulator), states={})
    for state in states:
        count = managed_resource_count(state)
        report["states"][state.parent.name] = count
        print(f"  {state.parent.name}: {count} resources in local state")
    return 0


def _described(emulator: Emulator) -> dict[str, Any]:
    return {
        "running": True,
        "url": emulator.url,
        "pid": emulator.pid,
        "account": emulator.account_id,
    }


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action",
        choices=("up", "down", "status"),
        help="up: start it; down: stop it and archive its states; status: print its URL",
    )


COMMAND = Command(
    name="local",
    summary="start, stop or locate the embedded AWS emulator (moto on 127.0.0.1)",
    example="python main.py local status",
    exit_codes="0, 1 error; status: 3 not running",
    synopsis="`local up \\| down \\| status [--json]`",
    does="starts the emulator / stops it and archives its state / prints its URL",
    json="reported",
    options=options,
    run=run,
    conflicts=(),
)
