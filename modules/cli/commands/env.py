"""`env`: shell exports that point Terraform and the cdktf CLI at the same state as python main.py.

    eval "$(python main.py env --local)"
    npx cdktf deploy network-dev --auto-approve --skip-provider-lock

The configuration is the same; these variables only choose the backend path (the emulator's own
state with --local), the data directory, the provider mirror and, with --local, the emulator.
"""

from __future__ import annotations

import argparse
import shlex
import sys

from modules.cli import json_output
from modules.cli.commands.command import Command, environment_options
from modules.console.progress import Steps
from modules.runner.deployment import backend_overrides, open_deployment


def run(args: argparse.Namespace) -> int:
    steps = Steps(total=3)
    deployment = open_deployment(
        args.env, local=args.local, steps=steps, quiet=True, use_cache=args.use_cache
    )
    deployment.record_emulator()
    exports = {
        "CHECKPOINT_DISABLE": "1",
        "CDKTF_DISABLE_PLUGIN_CACHE_ENV": "1",
        "TF_DATA_DIR": str(deployment.target_dir / ".terraform"),
        # The cdktf CLI runs `terraform init` itself: same backend overrides as ours.
        "TF_CLI_ARGS_init": " ".join(["-reconfigure", *backend_overrides(deployment)]),
        # cdktf.json runs `python3 main.py`: this interpreter, with its packages.
        "PATH": f"{sys.prefix}/bin:$PATH",
    }
    if "TF_CLI_CONFIG_FILE" in deployment.terraform.env:
        exports["TF_CLI_CONFIG_FILE"] = deployment.terraform.env["TF_CLI_CONFIG_FILE"]
    if deployment.emulator is not None:
        exports.update(deployment.emulator.aws_env())
    json_output.report(args).update(
        exports={name: value for name, value in exports.items() if value != ""},
        unset=[name for name, value in exports.items() if value == ""],
    )
    for name, value in exports.items():
        if value == "":  # unset, not empty: boto3 reads AWS_PROFILE='' as a profile named ''
            print(f"unset {name}")
            continue
        quoted = f'"{value}"' if name == "PATH" else shlex.quote(value)
        print(f"export {name}={quoted}")
    print(f"# {deployment.env.stack_name} -> {deployment.where}", file=sys.stderr)
    return 0


def options(parser: argparse.ArgumentParser) -> None:
    environment_options(parser)


COMMAND = Command(
    name="env",
    summary=(
        "print shell exports so that terraform and the cdktf CLI use the same state (and, with "
        "--local, the emulator)"
    ),
    example=(
        'eval "$(python main.py env --local)"\n  npx cdktf deploy network-dev --auto-approve '
        "--skip-provider-lock"
    ),
    exit_codes="0, 1 error",
    synopsis="`env [--json]`",
    does=(
        "prints exports so that `terraform` and `npx cdktf` use the same state (and, with "
        "`--local`, the emulator)"
    ),
    json="reported",
    options=options,
    run=run,
    conflicts=(),
)
