"""What each kind is, in the terms of Microsoft's "Kernel Objects" table.

Every kind class carries a ``catalogue`` entry: the table row it covers, its
creators with the failure value each one returns, its destroyer, whether it
owns or borrows, and how far it is tested under Wine. ``docs/kinds.md`` is
generated from these entries by ``tools/kinds_table.py`` (run by
``python3 tools/dev.py generate``), and a test fails when the file is stale,
so the documentation cannot drift from the code.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Entry", "entries"]


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


def entries() -> list[tuple[str, Entry]]:
    """Every public kind with its entry, by table row: ``[("Event", Entry(...)), ...]``."""
    import safehandles  # noqa: PLC0415 - the kinds import this module, so it imports them late

    found = []
    for name in safehandles.__all__:
        kind = getattr(safehandles, name)
        entry = vars(kind).get("catalogue") if isinstance(kind, type) else None
        if isinstance(entry, Entry):
            found.append((name, entry))
    return sorted(found, key=lambda item: (item[1].row.lower(), item[0]))
