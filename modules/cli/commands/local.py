"""`local up|down|status`: the embedded AWS emulator (moto on 127.0.0.1)."""

from __future__ import annotations

import argparse
import time

from modules.cli import exit_codes
from modules.runner import emulator as emulators
from modules.runner.deployment import archive_emulator_states, managed_resource_count
from modules.runner.workspace import Workspace
from modules.stack.environment import display_path

NOT_RUNNING = exit_codes.NOT_RUNNING


def run(args: argparse.Namespace) -> int:
    workspace = Workspace.from_environment()
    return {"up": _up, "down": _down, "status": _status}[args.action](workspace)


def _up(workspace: Workspace) -> int:
    emulator, started = emulators.ensure(workspace.emulator_dir, workspace.emulator_account)
    print(f"AWS emulator {'started' if started else 'already running'} at {emulator.url}")
    print("Use it from other AWS tools with:")
    for name, value in emulator.aws_env().items():
        if name in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            print(f"  export {name}={value}")
    return 0


def _down(workspace: Workspace) -> int:
    emulator = emulators.stop(workspace.emulator_dir)
    print(
        f"Stopped the AWS emulator at {emulator.url}."
        if emulator
        else "The AWS emulator was not running."
    )
    for env, count, destination in archive_emulator_states(workspace):
        print(
            f"Archived the local state of {env} ({count} resources, gone with the emulator) "
            f"to {display_path(destination)}."
        )
    return 0


def _status(workspace: Workspace) -> int:
    emulator = emulators.running(workspace.emulator_dir, workspace.emulator_account)
    if emulator is None:
        print("The AWS emulator is not running (start it: python main.py local up).")
        return NOT_RUNNING
    print(emulator.url)
    print(
        f"  pid {emulator.pid}, up {time.time() - emulator.started_at:.0f}s, "
        f"account {emulator.account_id}"
    )
    states = sorted((workspace.state_root / "emulator").glob("*/terraform.tfstate"))
    for state in states:
        print(f"  {state.parent.name}: {managed_resource_count(state)} resources in local state")
    return 0
