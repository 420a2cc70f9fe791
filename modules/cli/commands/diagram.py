"""`diagram`: draw the environment's network as SVG and PNG (Graphviz), from its configuration."""

from __future__ import annotations

import argparse
from pathlib import Path

from modules.cli import json_output
from modules.cli.commands.command import Command, environment_options
from modules.reports.diagram import render
from modules.runner.workspace import Workspace
from modules.stack.environment import environment_names, load_environments


def run(args: argparse.Namespace) -> int:
    envs = load_environments(environment_names() if args.all else [args.env])
    directory = args.output or Workspace.from_environment().outdir / "diagrams"
    written = json_output.report(args).setdefault("files", [])
    for env in envs:
        for path in render(env, directory):
            print(f"wrote {path}")
            written.append(str(path))
    return 0


def options(parser: argparse.ArgumentParser) -> None:
    environment_options(parser, local=False)
    parser.add_argument("--all", action="store_true", help="every environment")
    parser.add_argument(
        "--output", type=Path, metavar="DIR", help="where to write (default: cdktf.out/diagrams)"
    )


COMMAND = Command(
    name="diagram",
    summary=(
        "draw the network (subnets per AZ, endpoints, security groups, the AWS sample's flows) "
        "as SVG and PNG"
    ),
    example="python main.py diagram --env prod",
    exit_codes="0, 1 error (no Graphviz)",
    synopsis="`diagram [--env NAME \\| --all] [--output DIR] [--json]`",
    does=(
        "draws the network (subnets per AZ, endpoints, security groups, the AWS sample's four "
        "flows) as DOT, SVG and PNG with Graphviz"
    ),
    json="reported",
    options=options,
    run=run,
    conflicts=(("all", "env"),),
)
