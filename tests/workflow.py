"""The shipped GitHub Actions example, step by step: its shell, as a runner would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from modules.stack.environment import PROJECT_ROOT

WORKFLOW = PROJECT_ROOT / "examples" / "github-actions" / "agentcore-network.yml"


def step_script(name_prefix: str) -> str:
    """The `run:` of the step whose name starts with ``name_prefix`` (one line, or a `|` block)."""
    lines = WORKFLOW.read_text().splitlines()
    start = next(
        i for i, line in enumerate(lines) if line.strip().startswith(f"- name: {name_prefix}")
    )
    run = next(i for i in range(start, len(lines)) if lines[i].strip().startswith("run:"))
    inline = lines[run].strip().removeprefix("run:").strip()
    if inline != "|":
        return inline
    indent = len(lines[run + 1]) - len(lines[run + 1].lstrip())
    body = []
    for line in lines[run + 1 :]:
        if line.strip() and len(line) - len(line.lstrip()) < indent:
            break
        body.append(line[indent:])
    return "\n".join(body)


def run_step(
    name_prefix: str, workdir: Path, env: dict[str, str], *, local: bool = False, timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    """Run a step with bash -e -o pipefail (as GitHub does) in ``workdir``, where `python` is this
    interpreter and `main.py` this project's. GitHub's `${{ matrix.env }}` is the environment's
    ENVIRONMENT. ``local``: every `--env "$ENVIRONMENT"` gets `--local`."""
    script = step_script(name_prefix).replace("${{ matrix.env }}", "$ENVIRONMENT")
    if local:
        script = script.replace('--env "$ENVIRONMENT"', '--env "$ENVIRONMENT" --local')
    bin_dir = workdir / ".bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    (bin_dir / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (bin_dir / "python").chmod(0o755)
    if not (workdir / "main.py").exists():
        (workdir / "main.py").symlink_to(PROJECT_ROOT / "main.py")
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=workdir,
        capture_output=True,
        text=True,
        env={**env, "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', os.environ['PATH'])}"},
        check=False,
        timeout=timeout,
    )
