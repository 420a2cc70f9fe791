"""Output for people: at most 100 columns, wrapped and never cut, colour only where wanted."""

from __future__ import annotations

import io
import re

import pytest

from modules.cli import commands
from modules.cli.commands.registry import BY_NAME
from modules.console.say import WIDTH, mark, paint, wrap
from tests.conftest import SHIPPED

ESCAPE = re.compile(r"\033\[[0-9;]*m")


def _widest(text: str) -> int:
    return max((len(ESCAPE.sub("", line)) for line in text.splitlines()), default=0)


def test_wrap_keeps_every_word_and_the_indents() -> None:
    text = (
        " ".join(f"word{i}" for i in range(60))
        + ' aws_vpc_endpoint.vpc_endpoints_interface["bedrock_agentcore"]'
    )
    wrapped = wrap(text, "  ", "      ")
    assert wrapped.split() == text.split()  # nothing cut, nothing added
    lines = wrapped.splitlines()
    assert lines[0].startswith("  word0") and all(line.startswith("      ") for line in lines[1:])
    assert _widest(wrapped) <= WIDTH


@pytest.mark.parametrize(
    "argv",
    [
        *(["verify", "--env", env] for env in SHIPPED),
        *(["cost", "--what-if", "--env", env] for env in SHIPPED),
        ["--help"],
        *([name, "--help"] for name in BY_NAME),
        ["cost", "--data-gb", "2000000", "--flow-log-gb", "50"],
    ],
)
def test_reports_fit_in_100_columns(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    try:
        commands.run(argv)
    except SystemExit:  # --help
        pass
    out = capsys.readouterr().out
    assert out and _widest(out) <= WIDTH, [line for line in out.splitlines() if len(line) > WIDTH]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert ESCAPE.search(paint("PROVEN", "ok", _Terminal())) and ESCAPE.search(
        mark(False, _Terminal())
    )
    assert paint("PROVEN", "ok", io.StringIO()) == "PROVEN"  # a pipe or a file: plain
    monkeypatch.setenv("NO_COLOR", "1")
    assert paint("PROVEN", "ok", _Terminal()) == "PROVEN" and mark(True, _Terminal()) == "ok  "
