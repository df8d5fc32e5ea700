"""Find handles (FindFirstFileW / FindClose) and change notifications
(FindFirstChangeNotificationW / FindCloseChangeNotification) against the real OS."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

import safehandles as sh
from tests import probes

pytestmark = pytest.mark.windows


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "one.txt").write_bytes(b"1")
    (tmp_path / "two.txt").write_bytes(b"22")
    (tmp_path / "sub").mkdir()
    return tmp_path


# -- find handles ----------------------------------------------------------------------


def test_search_lists_entries_as_typed_records(folder: Path) -> None:
    with sh.FindFile.open(folder / "*") as search:
        entries = {entry.name: entry for entry in search}
    assert {"one.txt", "two.txt", "sub"} <= set(entries)
    assert entries["two.txt"].size == 2
    assert not entries["two.txt"].is_dir
    assert entries["sub"].is_dir
    assert entries["sub"].attributes & sh.FileAttribute.DIRECTORY
    assert [e.name for e in sh.FindFile.scan(folder / "*.txt")] in (
        ["one.txt", "two.txt"],
        ["two.txt", "one.txt"],
    )


def test_search_holds_the_directory_open_until_find_close(folder: Path) -> None:
    # A find handle is not in the handle table; the directory handle it holds is.
    before = probes.open_handles()
    search = sh.FindFile.open(folder / "*")
    held = probes.open_handles() - before
    assert held
    assert {probes.type_name(v) for v in held} == {"File"}
    search.close()
    assert not (probes.open_handles() & held)


def test_search_is_closed_when_the_with_block_raises(folder: Path) -> None:
    before = probes.open_handles()
    with pytest.raises(ZeroDivisionError), sh.FindFile.open(folder / "*"):
        held = probes.open_handles() - before
        _ = 1 / 0
    assert held
    assert not (probes.open_handles() & held)


def test_dropped_search_is_closed_by_its_finalizer(folder: Path) -> None:
    before = probes.open_handles()
    search = sh.FindFile.open(folder / "*")
    held = probes.open_handles() - before
    assert held
    with pytest.warns(ResourceWarning, match="never closed"):
        del search
        gc.collect()
    assert not (probes.open_handles() & held)


@pytest.mark.parametrize("pattern", ["nothing-*.xyz", os.path.join("missing", "*")])
def test_no_match_and_missing_directory_raise_file_not_found(folder: Path, pattern: str) -> None:
    before = probes.open_handles()
    with pytest.raises(FileNotFoundError, match="FindFirstFileW") as caught:
        sh.FindFile.open(folder / pattern)
    assert probes.winerror(caught.value) in (2, 3)  # ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND
    assert probes.open_handles() <= before


def test_closed_search_raises_object_disposed(folder: Path) -> None:
    search = sh.FindFile.open(folder / "*")
    search.close()
    with pytest.raises(sh.ObjectDisposedError):
        next(search)


@pytest.mark.parametrize(("pattern", "error"), [("a\0b", ValueError), (b"*", TypeError), (3, TypeError)])
def test_bad_patterns(pattern: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        sh.FindFile.open(pattern)  # type: ignore[arg-type]


# -- change notifications ----------------------------------------------------------------


def test_change_notification_signals_once_per_change_and_rearms(folder: Path) -> None:
    with sh.ChangeNotification.watch(folder, sh.ChangeFilter.FILE_NAME) as changes:
        value = changes.dangerous_get_handle()
        assert probes.is_open(value)
        assert probes.type_name(value) == "File"
        assert not changes.wait(0)
        (folder / "new.txt").write_bytes(b"")
        assert changes.wait(5)
        changes.rearm()
        (folder / "new.txt").unlink()
        assert changes.wait(5)
    assert not probes.is_open(value)


def test_change_notification_is_closed_by_its_finalizer(folder: Path) -> None:
    changes = sh.ChangeNotification.watch(folder)
    value = changes.dangerous_get_handle()
    with pytest.warns(ResourceWarning, match="never closed"):
        del changes
        gc.collect()
    assert not probes.is_open(value)


def test_change_notification_closed_when_with_block_raises(folder: Path) -> None:
    with pytest.raises(ZeroDivisionError), sh.ChangeNotification.watch(folder) as changes:
        value = changes.dangerous_get_handle()
        _ = 1 / 0
    assert not probes.is_open(value)


def test_watching_a_missing_directory_raises_file_not_found(folder: Path) -> None:
    before = probes.open_handles()
    with pytest.raises(FileNotFoundError, match="FindFirstChangeNotificationW") as caught:
        sh.ChangeNotification.watch(folder / "missing")
    assert probes.winerror(caught.value) in (2, 3)
    assert probes.open_handles() <= before


def test_change_notification_duplicate_and_inheritable(folder: Path) -> None:
    with sh.ChangeNotification.watch(folder, subtree=True) as changes:
        assert changes.inheritable is False
        with changes.duplicate() as copy:
            assert probes.is_open(copy.dangerous_get_handle())
        assert probes.is_open(changes.dangerous_get_handle())


@pytest.mark.parametrize(("changes", "error"), [(0, ValueError), (0x200, ValueError), ("all", TypeError)])
def test_bad_filters(folder: Path, changes: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        sh.ChangeNotification.watch(folder, changes)  # type: ignore[arg-type]


def test_a_finished_search_that_was_closed_says_so(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("1")
    search = sh.FindFile.open(tmp_path / "*.txt")
    assert [entry.name for entry in search] == ["one.txt"]
    search.close()
    with pytest.raises(sh.ObjectDisposedError):
        next(search)


def test_a_search_adopted_with_from_raw_iterates(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("1")
    (tmp_path / "two.txt").write_text("2")
    with sh.FindFile.open(tmp_path / "*.txt") as first:
        first_entry = next(first)
        adopted = sh.FindFile.from_raw(first.detach(), owns_handle=True)
    with adopted:
        rest = [entry.name for entry in adopted]
    assert sorted([first_entry.name, *rest]) == ["one.txt", "two.txt"]
