"""Every command, in the order `--help` lists them: each declares itself in its own module
(modules/cli/commands/command.py); the parser, README's table and the JSON schema's list of
commands come from here."""

from __future__ import annotations

from modules.cli.commands import (
    cost,
    deploy,
    deploy_role,
    destroy,
    diagram,
    doctor,
    drift,
    env,
    force_unlock,
    local,
    matrix,
    output,
    plan,
    synth,
    verify,
)
from modules.cli.commands.command import Command

COMMANDS: tuple[Command, ...] = (
    synth.COMMAND,
    plan.COMMAND,
    deploy.COMMAND,
    output.COMMAND,
    destroy.COMMAND,
    drift.COMMAND,
    verify.COMMAND,
    doctor.COMMAND,
    cost.COMMAND,
    diagram.COMMAND,
    matrix.COMMAND,
    env.COMMAND,
    deploy_role.COMMAND,
    force_unlock.COMMAND,
    local.COMMAND,
)
BY_NAME = {command.name: command for command in COMMANDS}
