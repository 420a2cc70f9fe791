"""Every module ref the docs show resolves in a fresh clone of this repository: `terraform init`
fetches each module source at its ref, and what it fetches is what the docs describe."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from modules.runner.terraform import Terraform
from modules.stack.environment import PROJECT_ROOT
from tools import docs
from tools.module_pin import hcl_sources

pytestmark = pytest.mark.integration

#: A module source as the docs write it: any host (a placeholder), a module path, a ref.
SOURCE = re.compile(r"git::\S+?\.git//(modules/[a-z_]+/terraform)\?ref=([0-9A-Za-z._-]+)")


def _shown() -> set[tuple[str, str]]:
    """Every (module path, ref) the docs show."""
    return {match for page in docs.pages() for match in SOURCE.findall(page.read_text())}


def test_every_ref_the_docs_show_inits_from_a_fresh_clone(tmp_path: Path) -> None:
    shown = _shown()
    assert {path for path, _ in shown} >= {
        f"modules/{name}/terraform"
        for name in ("network", "vpc_endpoints", "security_groups", "subnet_sharing")
    }, "the docs show a pinned source for every module"
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(PROJECT_ROOT), str(clone)], check=True)
    for _, ref in shown:
        # What the pin fetches is what this checkout's modules are: no change since the ref.
        same = subprocess.run(
            ["git", "-C", str(clone), "diff", "--quiet", ref, "HEAD", "--", *hcl_sources(clone)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert same.returncode == 0, (
            f"?ref={ref}: {same.stderr.strip() or 'the modules changed since'}; "
            "commit, then run `python -m tools.docs` and commit the docs"
        )
    root = tmp_path / "root"
    root.mkdir()
    (root / "main.tf").write_text(
        "\n".join(
            f'module "m{i}" {{\n  source = "git::file://{clone}//{path}?ref={ref}"\n}}\n'
            for i, (path, ref) in enumerate(sorted(shown))
        )
    )
    tf = Terraform(root, data_dir=tmp_path / "data", extra_env={}, cli_config_dir=tmp_path)
    tf.run(["init", "-backend=false", "-input=false", "-no-color"], show="none")
    for i, (path, _) in enumerate(sorted(shown)):
        assert (tmp_path / "data" / "modules" / f"m{i}" / path / "main.tf").is_file()
