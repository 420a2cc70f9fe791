"""The docs say what the code does: generated tables are current, reference tables complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from modules.network.config import CLOUDWATCH_RETENTION_DAYS, MINIMUM_RETENTION_DAYS
from modules.stack.environment import PROJECT_ROOT, TFVARS_SCHEMA
from tools import docs
from tools.module_pin import REF, pinned_commit

HELP = PROJECT_ROOT / "help"


@pytest.mark.parametrize("page", docs.pages(), ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_generated_tables_are_current(page) -> None:
    text = page.read_text()
    assert docs.render(page) == text, f"{page} is stale: run `python -m tools.docs`"


def test_the_json_schema_lists_every_registered_command() -> None:
    from modules.cli.json_output import SCHEMA_PATH

    assert SCHEMA_PATH.read_text() == docs.schema_with_commands(), "stale: run python -m tools.docs"


def test_generation_would_notice_a_catalog_change(monkeypatch: pytest.MonkeyPatch) -> None:
    page = HELP / "endpoints.md"
    monkeypatch.setitem(docs.GENERATORS, "endpoints", lambda page: "| changed |")
    assert docs.render(page) != page.read_text()


def test_configuration_reference_lists_every_setting() -> None:
    text = (HELP / "configuration.md").read_text()
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", text, re.M))
    assert documented == set(TFVARS_SCHEMA)
    accepted = [d for d in CLOUDWATCH_RETENTION_DAYS if d >= MINIMUM_RETENTION_DAYS]
    refused = [d for d in CLOUDWATCH_RETENTION_DAYS if 0 < d < MINIMUM_RETENTION_DAYS]
    assert ", ".join(map(str, accepted)) in text and ", ".join(map(str, refused)) in text


def test_every_help_page_is_linked_from_the_readme() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text()
    for page in HELP.glob("*.md"):
        if page.name != "README.md":
            assert f"help/{page.name}" in readme, page.name


def test_readme_quick_start_is_two_commands() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick_start.strip().splitlines()]
    assert commands == ["make demo", "make test"]


def _pages() -> list[Path]:
    return [
        PROJECT_ROOT / "README.md",
        PROJECT_ROOT / "CHANGELOG.md",
        *sorted((PROJECT_ROOT / "help").glob("*.md")),
        *sorted(PROJECT_ROOT.glob("modules/**/terraform/README.md")),
    ]


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_every_relative_link_resolves(page: Path) -> None:
    """A file moved (the package layout, say) leaves no link behind it dangling."""
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text())
    broken = [
        t
        for t in targets
        if not t.startswith(("http://", "https://", "mailto:")) and not (page.parent / t).exists()
    ]
    assert broken == [], broken


def test_every_module_ref_in_the_docs_is_the_release_commit() -> None:
    """One ref everywhere: the commit that last changed the modules (tests/integration/
    test_module_refs.py clones and inits with it). While the modules have uncommitted changes
    that commit does not exist yet, and the docs keep the previous one."""
    from modules import __version__

    pins = {
        (str(page.relative_to(PROJECT_ROOT)), ref)
        for page in {*_pages(), *docs.pages()}
        for ref in REF.findall(page.read_text())
    }
    commit = pinned_commit()
    refs = {ref for _, ref in pins}
    assert len(pins) >= 8 and len(refs) == 1 and (commit is None or refs == {commit}), pins
    readme = (PROJECT_ROOT / "modules/network/terraform/README.md").read_text()
    assert f"Release {__version__} (" in readme
