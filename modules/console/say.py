"""Text for people: lines of at most WIDTH columns, wrapped at spaces (nothing is cut), and
colour only on a terminal that wants it (https://no-color.org: NO_COLOR set means none).

Errors stay one line whatever their length (CI greps them); reports, progress and tables wrap.
"""

from __future__ import annotations

import os
import sys
import textwrap
from typing import TextIO

WIDTH = 100

_COLOURS = {"ok": "32", "fail": "31", "warn": "33", "bold": "1"}


def wrap(text: str, indent: str = "", hang: str | None = None) -> str:
    """``text`` wrapped to WIDTH: the first line after ``indent``, the others after ``hang``
    (``indent`` and four spaces by default). Newlines in ``text`` start new paragraphs."""
    hang = indent + "    " if hang is None else hang
    lines = []
    for number, paragraph in enumerate(text.split("\n")):
        first = indent if number == 0 else hang
        # A word longer than a line (a compact JSON document, say) is split, not cut.
        lines.append(
            textwrap.fill(
                paragraph,
                WIDTH,
                initial_indent=first,
                subsequent_indent=hang,
                break_long_words=True,
                break_on_hyphens=False,
            )
            or first.rstrip()
        )
    return "\n".join(lines)


def say(
    text: str, indent: str = "", hang: str | None = None, *, stream: TextIO | None = None
) -> None:
    print(wrap(text, indent, hang), file=stream or sys.stdout, flush=stream is not None)


def colour_wanted(stream: TextIO | None = None) -> bool:
    stream = stream or sys.stdout
    return (
        hasattr(stream, "isatty")
        and stream.isatty()
        and not os.environ.get("NO_COLOR")
        and os.environ.get("TERM") != "dumb"
    )


def paint(text: str, style: str, stream: TextIO | None = None) -> str:
    """``text`` in the colour of ``style`` (ok, fail, warn, bold) when the stream wants colour."""
    return f"\033[{_COLOURS[style]}m{text}\033[0m" if colour_wanted(stream) else text


def mark(ok: bool | None, stream: TextIO | None = None) -> str:
    """The four-column verdict of a check: ``ok  ``, ``FAIL`` or ``??  `` (undecided)."""
    if ok is None:
        return paint("??  ", "warn", stream)
    return paint("ok  ", "ok", stream) if ok else paint("FAIL", "fail", stream)
