"""`diagram`: draw the environment's network as SVG and PNG (Graphviz), from its configuration."""

from __future__ import annotations

import argparse

from modules.cli import json_output
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
