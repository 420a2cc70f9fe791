"""`matrix`: the CI matrix of a fleet, one job per environment, as one line of JSON for GitHub
Actions' ``strategy.matrix: ${{ fromJSON(...) }}`` (examples/github-actions). Exit 0, 1 error.

    python main.py matrix --all            {"include": [{"env": "dev", "region": ...}, ...]}
    python main.py matrix --match 'prod*'

It validates every chosen environment first: a broken file fails the job that builds the matrix,
not twenty jobs later.
"""

from __future__ import annotations

import argparse
import json

from modules.cli import json_output
from modules.runner.fleet import matrix, select


def run(args: argparse.Namespace) -> int:
    names = select(args.match or (), args.all or not args.match)
    jobs = matrix(names, local=args.local)
    json_output.report(args).update(jobs)  # under --json: {"include": [...]} in the envelope
    print(json.dumps(jobs, separators=(",", ":")))
    return 0
