"""Finds a filesystem mirror of the AWS provider, so Terraform can install it offline.

Order: ``TF_PROVIDER_MIRROR`` (a directory holding ``registry.terraform.io/...``), then
``TF_PLUGIN_CACHE_DIR`` and Terraform's implied local mirror directories, then one level below
``/opt``. Nothing machine-specific is hard-coded; with no mirror Terraform uses the registry.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Iterator
from pathlib import Path

from modules.kernel.errors import CommandError

MIRROR_ENV = "TF_PROVIDER_MIRROR"
# The version the pinned bindings (cdktf-cdktf-provider-aws 20.1.0) write into required_providers.
AWS_PROVIDER_VERSION = "5.100.0"
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
