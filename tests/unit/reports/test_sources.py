"""The project's sources are its own: every citation names an entry of help/sources.md
(help/sources.md#aws-sample and its siblings), and every document a file names is one this
repository ships."""

from __future__ import annotations

import re
import subprocess

import pytest

from modules.stack.environment import PROJECT_ROOT

SOURCES = PROJECT_ROOT / "help" / "sources.md"
#: A markdown document named in a file (a web address or a glob is not a document of ours).
DOCUMENT = re.compile(r"(?<![\w/.*-])((?:\.\.?/)*[\w./-]*[\w-]\.md)\b")
URL = re.compile(r"\w+://\S+")
#: A citation by section number: sources are cited by their anchor in help/sources.md instead.
SECTION = re.compile(r"§|\\u00a7")
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


def _missing(name: str, document: str) -> bool:
    """Whether ``document``, named in the file ``name``, is nowhere in the repository: not
    beside that file, not from the root, and (named by itself) no tracked file of that name."""
    root = PROJECT_ROOT.resolve()
    for found in ((PROJECT_ROOT / name).parent / document, PROJECT_ROOT / document):
        if found.resolve().is_relative_to(root) and found.is_file():
            return False  # a document outside the repository is one users do not have
    return "/" in document or not any(PROJECT_ROOT.rglob(f"[!.]*/{document}"))


def test_no_file_cites_a_document_the_repository_lacks() -> None:
    citing = [
        f"{name}:{number}: {document or 'a section number'}"
        for name in _tracked()
        for number, line in enumerate((PROJECT_ROOT / name).read_text().splitlines(), 1)
        for document in [
            # help/sources.md names public documents of other repositories, each with its own.
            *(
                d
                for d in DOCUMENT.findall(URL.sub("", line))
                if name != "help/sources.md" and _missing(name, d)
            ),
            *([None] if SECTION.search(line) else []),
        ]
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
