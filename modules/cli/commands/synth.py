"""`synth`: write cdktf.out/stacks/network-<env>/cdk.tf.json for one or every environment."""

from __future__ import annotations

import argparse
import time

from modules.cli import json_output
from modules.cli.commands.command import Command, environment_options
from modules.runner.synth import synthesize
from modules.runner.workspace import Workspace
from modules.stack.environment import environment_names, load_environments


def run(args: argparse.Namespace) -> int:
    names = environment_names() if args.all else [args.env]
    envs = load_environments(names)  # every file validated before anything is written
    started = time.monotonic()
    synthesis = synthesize(envs, Workspace.from_environment(), use_cache=args.use_cache)
    for env, path in synthesis.files.items():
        print(f"{'unchanged' if synthesis.cached else 'synthesized'} {env}: {path}")
    seconds = round(time.monotonic() - started, 1)
    print(f"done in {seconds:.1f}s")
    json_output.report(args).update(
        stacks={env: str(path) for env, path in synthesis.files.items()},
        cached=synthesis.cached,
        seconds=seconds,
    )
    return 0


def options(parser: argparse.ArgumentParser) -> None:
    environment_options(parser, local=False)
    parser.add_argument(
        "--all",
        action="store_true",
        help="every environment (the default "
        "when main.py runs without a command, as `cdktf synth` does)",
    )


COMMAND = Command(
    name="synth",
    summary="write Terraform JSON to cdktf.out/stacks/network-<env>/",
    example="python main.py synth --env prod",
    exit_codes="0, 1 error",
    synopsis="*(none)* / `synth [--env NAME \\| --all] [--json]`",
    does=(
        "writes `cdktf.out/stacks/network-<env>/cdk.tf.json` (no command: every environment, "
        "as `cdktf synth` expects)"
    ),
    json="reported",
    options=options,
    run=run,
    conflicts=(("all", "env"),),
)
