#!/usr/bin/env python3
"""Writes docs/kinds.md, the table of every kind, from the classes' ``catalogue`` entries.

Run by ``python3 tools/dev.py generate``; ``tests/test_catalogue.py`` fails when the
committed file differs from what this renders. It lives here, not in the package,
because an installed package has no docs/ folder to write into.
"""

from __future__ import annotations

import sys
from pathlib import Path

from safehandles._win32._catalogue import entries

DOCUMENT = Path(__file__).resolve().parents[1] / "docs" / "kinds.md"


def render() -> str:
    """The Markdown table of every kind, as docs/kinds.md holds it."""
    lines = [
        "# Kinds",
        "",
        "Every kind of object the library wraps, generated from the classes'",
        "`catalogue` entries by `python3 tools/dev.py generate`;",
        "a test fails when this file is stale. Rows follow Microsoft's",
        '"Kernel Objects" table, plus the advapi32 and ws2_32 handles.',
        "",
        "| Object | Class | Creators (failure value) | Destroyer | Ownership | Under Wine |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, entry in entries():
        creators = "<br>".join(f"`{creator}` ({failure})" for creator, failure in entry.creators)
        lines.append(
            f"| {entry.row} | `{name}` | {creators} | {entry.destroyer} | {entry.ownership} | {entry.wine} |"
        )
    return "\n".join(lines) + "\n"


def write() -> None:
    """Regenerate docs/kinds.md."""
    DOCUMENT.write_text(render())
    print(f"wrote {DOCUMENT}", file=sys.stderr)


if __name__ == "__main__":
    write()
