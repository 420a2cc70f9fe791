"""Content-addressed cache of synthesized stacks: unchanged inputs are never synthesized twice.

The key covers everything that can change a byte of the output: our sources and data files,
main.py and cdktf.json, the environment files, where the output and the state live (the backend
path is relative between them), the engine and the versions of its packages, and the
environment variables cdktf reads. A hit copies the stored files into place.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from modules.kernel.engine import selected_engine
from modules.stack.environment import PROJECT_ROOT, Environment

FORMAT = "1"
ENVIRONMENT_VARIABLES = ("CDKTF_CONTEXT_JSON", "SYNTH_HCL_OUTPUT")
KEEP = 20  # cached syntheses kept; the oldest go first


def source_files(project_root: Path = PROJECT_ROOT) -> list[Path]:
    """Every file whose content can change synthesis."""
    modules = project_root / "modules"
    files = [
        p
        for pattern in ("*.py", "*.json")
        for p in modules.rglob(pattern)
        if "__pycache__" not in p.parts
    ]
    return sorted([*files, project_root / "main.py", project_root / "cdktf.json"])


def cache_key(
    envs: Iterable[Environment], outdir: Path, state_root: Path, project_root: Path = PROJECT_ROOT
) -> str:
    digest = hashlib.sha256(f"format {FORMAT}\npython {sys.version_info[:2]}\n".encode())
    for path in source_files(project_root):
        digest.update(f"{path.relative_to(project_root)}\n".encode())
        digest.update(path.read_bytes())
    for env in envs:
        digest.update(f"environment {env.env}\n".encode())
        for layer in env.var_files:
            digest.update(f"layer {layer.name}\n".encode())
            digest.update(layer.read_bytes())
    digest.update(f"outdir {outdir.resolve()}\nstate {state_root.resolve()}\n".encode())
    engine = selected_engine()
    digest.update(f"engine {engine.name}\n".encode())
    for package in engine.distributions:
        digest.update(f"{package} {metadata.version(package)}\n".encode())
    for variable in ENVIRONMENT_VARIABLES:
        digest.update(f"{variable}={os.environ.get(variable, '')}\n".encode())
    return digest.hexdigest()


def _files(envs: list[Environment]) -> list[Path]:
    return [
        Path("manifest.json"),
        *(Path("stacks") / env.stack_name / "cdk.tf.json" for env in envs),
    ]


def restore(entry: Path, outdir: Path, envs: list[Environment]) -> bool:
    """Copy a cached synthesis into ``outdir``; False when there is none."""
    files = _files(envs)
    if not all((entry / f).is_file() for f in files):
        return False
    for f in files:
        (outdir / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(entry / f, outdir / f)
    os.utime(entry)  # recently used: kept longest
    return True


def store(entry: Path, outdir: Path, envs: list[Environment]) -> None:
    partial = entry.with_name(entry.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    for f in _files(envs):
        (partial / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(outdir / f, partial / f)
    shutil.rmtree(entry, ignore_errors=True)
    partial.rename(entry)  # a half-written entry is never taken for a hit
    entries = sorted(
        (p for p in entry.parent.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime
    )
    for old in entries[:-KEEP]:
        shutil.rmtree(old, ignore_errors=True)
