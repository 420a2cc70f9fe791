"""Finds a filesystem mirror of the AWS provider, so Terraform can install it offline.

Order: ``TF_PROVIDER_MIRROR`` (a directory holding ``registry.terraform.io/...``), then
``TF_PLUGIN_CACHE_DIR`` and Terraform's implied local mirror directories, then one level below
``/opt``. Nothing machine-specific is hard-coded; with no mirror Terraform uses the registry.
"""

from __future__ import annotations

import os
import platform
import re
from collections.abc import Iterator
from pathlib import Path

from modules.kernel import engine as engines
from modules.kernel.errors import CommandError

MIRROR_ENV = "TF_PROVIDER_MIRROR"
# The version the selected engine's pinned bindings write into required_providers (5.100.0 for
# cdktf-cdktf-provider-aws 20.1.0, 6.69.1 for cdktn-provider-aws 25.8.1).
AWS_PROVIDER_VERSION = engines.selected_engine().aws_provider
AWS_PROVIDER = "registry.terraform.io/hashicorp/aws"


def terraform_platform() -> str:
    """``linux_amd64``, ``darwin_arm64``...: the provider build this machine runs."""
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(
        machine, machine
    )
    return f"{platform.system().lower()}_{arch}"


def has_provider(mirror: Path, version: str = AWS_PROVIDER_VERSION) -> bool:
    """True when ``mirror`` holds the AWS provider in unpacked or packed mirror layout."""
    provider = mirror / AWS_PROVIDER
    target = terraform_platform()
    return (provider / version / target).is_dir() or (
        provider / f"terraform-provider-aws_{version}_{target}.zip"
    ).is_file()


def _candidates() -> Iterator[Path]:
    home = Path.home()
    for variable in ("TF_PLUGIN_CACHE_DIR",):
        if os.environ.get(variable):
            yield Path(os.environ[variable])
    yield home / ".terraform.d" / "plugins"
    yield (
        Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "terraform" / "plugins"
    )
    for data_dir in (os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":"):
        if data_dir:
            yield Path(data_dir) / "terraform" / "plugins"
    opt = Path("/opt")
    if opt.is_dir():
        yield from sorted(p for p in opt.iterdir() if p.is_dir())


def find_provider_mirror() -> Path | None:
    """The mirror to install the AWS provider from, or None to use the registry."""
    configured = os.environ.get(MIRROR_ENV)
    if configured:
        mirror = Path(configured)
        if not has_provider(mirror):
            raise CommandError(
                f"{MIRROR_ENV}={configured} does not hold {AWS_PROVIDER} {AWS_PROVIDER_VERSION} "
                f"for {terraform_platform()}. Point it at the directory that contains "
                f"registry.terraform.io/, or unset it to use the registry."
            )
        return mirror
    return next((c for c in _candidates() if has_provider(c)), None)


def cli_config(mirror: Path) -> str:
    """A Terraform CLI configuration that installs the AWS provider from ``mirror`` only."""
    return (
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f'    path    = "{mirror}"\n'
        f'    include = ["{AWS_PROVIDER}"]\n'
        "  }\n"
        "  direct {\n"
        f'    exclude = ["{AWS_PROVIDER}"]\n'
        "  }\n"
        "}\n"
    )


def locked_version(workdir: Path) -> str | None:
    """The AWS provider version ``workdir``'s dependency lock file holds, if it has one."""
    lock = workdir / ".terraform.lock.hcl"
    if not lock.is_file():
        return None
    found = re.search(
        rf'provider "{re.escape(AWS_PROVIDER)}" {{\s*version\s*=\s*"([^"]+)"', lock.read_text()
    )
    return found.group(1) if found else None


def install_failure(output: str) -> str | None:
    """Why ``terraform init`` could not install the AWS provider, and what to do (None when
    ``output`` is about something else)."""
    failed = re.search(
        r"Failed to (?:query available provider packages|install provider)[^\n]*", output
    )
    if failed is None:
        return None
    engine = engines.selected_engine()
    other = (
        f", or unset {engines.VARIABLE} ({engines.DEFAULT} binds hashicorp/aws "
        f"{engines.ENGINES[engines.DEFAULT].aws_provider})"
        if engine.name != engines.DEFAULT
        else ""
    )
    where = (
        "from the registry (no provider mirror on this machine holds it)"
        if find_provider_mirror() is None
        else "from the provider mirror"
    )
    return (
        f"terraform init could not install hashicorp/aws {engine.aws_provider} (what the "
        f"{engine.name} bindings require) {where}: {failed.group(0).strip()}. Give Terraform "
        f"network access to registry.terraform.io, or set {MIRROR_ENV} to a mirror that holds "
        f"it{other}."
    )
