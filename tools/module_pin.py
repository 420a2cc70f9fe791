"""The commit the docs pin the HCL modules to (`?ref=<sha>` in a module source).

No release tags travel with this repository (a clone has none), so the docs pin a commit: the
last one that changed what a Terraform root gets from `//modules/<name>/terraform`, namely the
modules' `.tf` files and the data files they read (`file()`/`templatefile()` relative to
`path.module`). A later commit that changes neither leaves the pin as it is; one that changes
them needs the docs regenerated in a commit after it (`python -m tools.docs`), and a
test clones the repository and runs `terraform init` with every ref the docs show.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from modules.stack.environment import PROJECT_ROOT

#: A module source's ref as the docs write it: a full commit id (or a release tag of old).
REF = re.compile(r"\?ref=([0-9a-f]{40}|v\d+\.\d+\.\d+)\b")
#: A path a module reads relative to its own directory.
_READ = re.compile(r'\$\{path\.module\}/([^"]+\.json)"')


def hcl_sources(root: Path = PROJECT_ROOT) -> list[str]:
    """What a Terraform root gets from the modules: their .tf files (not their tests) and the
    data they read, as paths relative to ``root``, sorted."""
    found: set[Path] = set()
    for tf in root.glob("modules/*/terraform/*.tf"):
        found.add(tf)
        for relative in _READ.findall(tf.read_text()):
            found.add((tf.parent / relative).resolve())
    return sorted(str(path.resolve().relative_to(root.resolve())) for path in found)


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        )
    except OSError:  # no git on this machine
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def pinned_commit(root: Path = PROJECT_ROOT) -> str | None:
    """The last commit that changed the modules' sources; None outside a git checkout, or while
    they have changes not yet committed (their commit does not exist yet)."""
    sources = hcl_sources(root)
    if _git(root, "status", "--porcelain", "--", *sources) != "":
        return None
    return _git(root, "log", "-1", "--format=%H", "--", *sources) or None


def pin(text: str, commit: str | None) -> str:
    """``text`` with every module ref pinned to ``commit`` (unchanged when it is unknown)."""
    return text if commit is None else REF.sub(f"?ref={commit}", text)


def main() -> int:
    commit = pinned_commit()
    if commit is None:
        print("No commit to pin: not a git checkout, or the modules have uncommitted changes.")
        return 1
    print(f"?ref={commit}")
    print("the last commit that changed:", *hcl_sources(), sep="\n  ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
