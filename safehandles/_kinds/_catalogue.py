"""What each kind is, in the terms of Microsoft's "Kernel Objects" table.

Every kind class carries a ``catalogue`` entry: the table row it covers, its
creators with the failure value each one returns, its destroyer, whether it
owns or borrows, and how far it is tested under Wine. ``docs/kinds.md`` is
generated from these entries (``python3 tools/dev.py generate``), and
a test fails when the file is stale, so the documentation cannot drift from
the code.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Entry", "render", "write"]

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "kinds.md"


@dataclass(frozen=True)
class Entry:
    """One kind's line in the catalogue."""

    #: The row of Microsoft's table ("Event", "File mapping", ...), or "(advapi32) registry" and the like.
    row: str
    #: Each creator with the failure value it returns: ("CreateEventW", "NULL").
    creators: tuple[tuple[str, str], ...]
    #: The function that releases the handle, or what happens instead.
    destroyer: str
    #: "owned", "borrowed", or both with the creators that borrow.
    ownership: str = "owned"
    #: "tested", or what Wine cannot do here and so is not tested, and why.
    wine: str = "tested"


def _entries() -> list[tuple[str, Entry]]:
    import safehandles  # noqa: PLC0415 - the kinds import this module, so it imports them late

    found = []
    for name in safehandles.__all__:
        kind = getattr(safehandles, name)
        entry = vars(kind).get("catalogue") if isinstance(kind, type) else None
        if isinstance(entry, Entry):
            found.append((name, entry))
    return sorted(found, key=lambda item: (item[1].row.lower(), item[0]))


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
    for name, entry in _entries():
        creators = "<br>".join(f"`{creator}` ({failure})" for creator, failure in entry.creators)
        lines.append(
            f"| {entry.row} | `{name}` | {creators} | {entry.destroyer} | {entry.ownership} | {entry.wine} |"
        )
    return "\n".join(lines) + "\n"


def write() -> None:
    """Regenerate docs/kinds.md."""
    DOCUMENT.write_text(render())
    print(f"wrote {DOCUMENT}", file=sys.stderr)
