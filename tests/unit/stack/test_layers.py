"""Environments as layers: a base file plus overlays, merged as Terraform merges -var-files."""

from __future__ import annotations

from pathlib import Path

import pytest

from modules.kernel.errors import ConfigError
from modules.runner.synth_cache import cache_key
from modules.stack.environment import environment_names, layer_names, load_environment
from tests import tfvars

DEV = tfvars.shipped("dev")


def _write(directory: Path, name: str, text: str) -> Path:
    path = directory / f"{name}.tfvars"
    path.write_text(text)
    return path


def test_the_shipped_overlay_is_prod_in_london(tmp_path: Path) -> None:
    prod, london = load_environment("prod"), load_environment("prod-eu-west-2")
    assert [p.name for p in london.var_files] == ["prod.tfvars", "prod-eu-west-2.tfvars"]
    assert london.region == "eu-west-2" and {s.az for s in london.network.subnets.values()} == {
        "eu-west-2a",
        "eu-west-2b",
        "eu-west-2c",
    }
    # not set in the overlay: prod's
    assert london.network.prevent_destroy and london.network.flow_log_retention_days == 1096
    assert london.vpc_endpoints.selected == prod.vpc_endpoints.selected
    assert london.origin("prevent_destroy").name == "prod.tfvars"
    assert london.origin("region").name == "prod-eu-west-2.tfvars"
    assert london.tags == {  # a map is replaced whole, as Terraform does
        "Project": "agentcore-private-network",
        "Environment": "prod",
        "Region": "eu-west-2",
    }


def test_a_chain_of_layers_and_a_layer_only_file(tmp_path: Path) -> None:
    tfvars.write(tmp_path, "_common", {**DEV, "flow_log_retention_days": 731})
    _write(tmp_path, "team", 'extends = "_common"\nname = "agentcore-team"\n')
    _write(tmp_path, "team-eu", 'extends = "team"\nflow_log_retention_days = 1827\n')
    env = load_environment("team-eu", tmp_path)
    assert [p.stem for p in env.var_files] == ["_common", "team", "team-eu"]
    assert (env.network.name, env.network.flow_log_retention_days) == ("agentcore-team", 1827)
    assert environment_names(tmp_path) == ["team", "team-eu"]  # _common is a layer only
    assert layer_names(tmp_path) == ["_common", "team", "team-eu"]


def test_a_bad_value_names_the_layer_that_set_it(tmp_path: Path) -> None:
    tfvars.write(tmp_path, "base", {**DEV, "flow_log_retention_days": 3})
    _write(tmp_path, "overlay", 'extends = "base"\nregion = "us-west-2"\n')
    with pytest.raises(ConfigError) as raised:
        load_environment("overlay", tmp_path)
    assert str(raised.value).startswith(
        f"{tmp_path / 'base.tfvars'} (a layer of overlay): flow_log_retention_days:"
    )
    _write(tmp_path, "overlay", 'extends = "base"\nflow_log_retention_days = 0\nname = "X"\n')
    with pytest.raises(ConfigError) as raised:
        load_environment("overlay", tmp_path)
    assert str(raised.value).startswith(f"{tmp_path / 'overlay.tfvars'}: name:")


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"a": 'extends = "b"\n'}, "a.tfvars: extends: there is no file"),
        (
            {"a": 'extends = "b"\n', "b": 'extends = "a"\n'},
            "extends: the layers extend each other in a circle (a -> b -> a)",
        ),
        ({"a": 'extends = "../dev"\n'}, "a.tfvars: extends: not the name of an environment file"),
        ({"a": 'extends = "b"\n', "b": "region = \n"}, "b.tfvars: syntax: not valid HCL"),
    ],
)
def test_a_broken_chain_is_refused_naming_the_file(
    files: dict[str, str], message: str, tmp_path: Path
) -> None:
    for name, text in files.items():
        _write(tmp_path, name, text)
    with pytest.raises(ConfigError) as raised:
        load_environment("a", tmp_path)
    assert message in str(raised.value)


def test_a_change_in_a_base_layer_is_a_new_synthesis(tmp_path: Path) -> None:
    tfvars.write(tmp_path, "base", DEV)
    _write(tmp_path, "overlay", 'extends = "base"\n')

    def key() -> str:
        return cache_key([load_environment("overlay", tmp_path)], tmp_path / "out", tmp_path)

    before = key()
    tfvars.write(tmp_path, "base", {**DEV, "flow_log_retention_days": 731})
    assert key() != before
