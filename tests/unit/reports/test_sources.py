"""The project's sources are its own: every citation names an entry of help/sources.md, and none
names a document the repository does not ship."""

from __future__ import annotations

import re
import subprocess

import pytest

from modules.stack.environment import PROJECT_ROOT

SOURCES = PROJECT_ROOT / "help" / "sources.md"
#: Documents of the team's notebook, which users of the repository never see.
NOT_SHIPPED = re.compile(
    r"seed\.md|\bthe seed\b|(facts|spec)\s+(§|\\u00a7)|shared/reference|agentcore-aws-facts"
    r"|network-spec\.md",
    re.I,
)
CITATION = re.compile(r"sources\.md#([a-z0-9-]+)")


def _tracked() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [
        name
        for name in listed
        if name.endswith((".py", ".json", ".tf", ".md", ".tfvars", ".hcl", ".yml"))
        and (PROJECT_ROOT / name).is_file()
        and name != "tests/unit/reports/test_sources.py"
    ]


def test_no_file_cites_a_document_the_repository_lacks() -> None:
    citing = [
        f"{name}:{number}"
        for name in _tracked()
        for number, line in enumerate((PROJECT_ROOT / name).read_text().splitlines(), 1)
        if NOT_SHIPPED.search(line)
    ]
    assert citing == []


def test_every_cited_source_is_an_entry_of_sources_md() -> None:
    entries = set(re.findall(r"^### ([a-z0-9-]+)$", SOURCES.read_text(), re.M))
    cited = {
        (name, anchor)
        for name in _tracked()
        for anchor in CITATION.findall((PROJECT_ROOT / name).read_text())
    }
    assert cited, "nothing cites help/sources.md"
    assert sorted((n, a) for n, a in cited if a not in entries) == []


@pytest.mark.parametrize("heading", re.findall(r"^### (.+)$", SOURCES.read_text(), re.M))
def test_every_entry_says_where_when_and_what(heading: str) -> None:
    text = SOURCES.read_text().split(f"### {heading}\n", 1)[1].split("\n### ", 1)[0]
    assert re.search(r"https?://|`[\w-]+/[\w.-]+`", text), heading  # where
    assert re.search(r"read\s+(20\d\d|mid)", text), heading  # when
    assert "\n- " in text, heading  # what it says
