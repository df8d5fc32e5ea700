"""The catalogue: every row of Microsoft's kernel-objects table has a kind, and docs/kinds.md is current."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import safehandles as sh
from safehandles._win32._catalogue import entries


def _kinds_table() -> ModuleType:
    """tools/kinds_table.py, the writer of docs/kinds.md (a script, not part of the package)."""
    path = Path(__file__).resolve().parents[1] / "tools" / "kinds_table.py"
    spec = importlib.util.spec_from_file_location("kinds_table", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The rows of the "Kernel Objects" table (../shared/seeds/001_*.txt), plus the
# advapi32 and ws2_32 handles the library also covers.
TABLE_ROWS = {
    "Access token",
    "Change notification",
    "Communications device",
    "Console input",
    "Console screen buffer",
    "Desktop",
    "Event",
    "Event log",
    "File",
    "File mapping",
    "Find file",
    "Heap",
    "I/O completion port",
    "Job",
    "Mailslot",
    "Memory resource notification",
    "Module",
    "Mutex",
    "Pipe",
    "Process",
    "Semaphore",
    "Socket",
    "Thread",
    "Timer",
    "Update resource",
    "Window station",
    "(advapi32) registry",
    "(advapi32) services",
}


def test_every_row_of_the_table_has_a_kind() -> None:
    covered = {entry.row for _, entry in entries()}
    assert covered == TABLE_ROWS


def test_every_kind_names_its_creators_failure_values_and_destroyer() -> None:
    for name, entry in entries():
        assert entry.creators, name
        assert all(creator and failure for creator, failure in entry.creators), name
        assert entry.destroyer, name
        assert isinstance(getattr(sh, name), type)


def test_docs_kinds_table_is_current() -> None:
    table = _kinds_table()
    assert table.DOCUMENT.read_text() == table.render(), (
        "docs/kinds.md is stale: run python3 tools/dev.py generate"
    )
