"""Directory watchers (CreateFileW on a directory, ReadDirectoryChangesW, CloseHandle) against the real OS."""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import threading
import time
from pathlib import Path

import pytest

import safehandles as sh
from tests import probes

pytestmark = pytest.mark.windows

A = sh.ChangeAction


def _all_changes(
    watcher: sh.DirectoryWatcher, until: sh.DirectoryChange, timeout: float = 10
) -> list[sh.DirectoryChange]:
    """Collect batches until *until* has been seen (a change can come in more than one batch)."""
    seen: list[sh.DirectoryChange] = []
    deadline = time.perf_counter() + timeout
    while until not in seen:
        remaining = deadline - time.perf_counter()
        assert remaining > 0, f"never saw {until}; saw {seen}"
        seen += watcher.changes(timeout=remaining)
    return seen


def test_handle_is_a_directory_file_until_close(tmp_path: Path) -> None:
    watcher = sh.DirectoryWatcher.open(tmp_path)
    value = watcher.dangerous_get_handle()
    assert probes.is_open(value)
    assert probes.type_name(value) == "File"
    watcher.close()
    assert not probes.is_open(value)


def test_reports_which_file_and_what_happened_with_renames_paired(tmp_path: Path) -> None:
    with sh.DirectoryWatcher.open(tmp_path) as watcher:
        (tmp_path / "a.txt").write_bytes(b"1")
        os.rename(tmp_path / "a.txt", tmp_path / "b.txt")
        (tmp_path / "b.txt").unlink()
        seen = _all_changes(watcher, sh.DirectoryChange(A.REMOVED, "b.txt"))
    assert seen[0] == sh.DirectoryChange(A.ADDED, "a.txt")
    assert sh.DirectoryChange(A.RENAMED, "b.txt", old_path="a.txt") in seen
    assert str(sh.DirectoryChange(A.RENAMED, "b.txt", old_path="a.txt")) == "renamed a.txt -> b.txt"
    order = [change.action for change in seen if change.action is not A.MODIFIED]
    assert order == [A.ADDED, A.RENAMED, A.REMOVED]
    # A rename's old name never shows up as a change of its own.
    assert all(change.old_path is None for change in seen if change.action is not A.RENAMED)


def test_changes_between_calls_and_before_the_first_are_not_lost(tmp_path: Path) -> None:
    with sh.DirectoryWatcher.open(tmp_path) as watcher:
        (tmp_path / "early.txt").write_bytes(b"")  # before any changes() call
        first = _all_changes(watcher, sh.DirectoryChange(A.ADDED, "early.txt"))
        assert first[0] == sh.DirectoryChange(A.ADDED, "early.txt")
        names = [f"f{i}.txt" for i in range(20)]
        for name in names:  # nobody is waiting: the kernel keeps them
            (tmp_path / name).write_bytes(b"")
        time.sleep(0.2)
        seen = _all_changes(watcher, sh.DirectoryChange(A.ADDED, names[-1]))
    assert [c.path for c in seen if c.action is A.ADDED] == names


def test_timeout_returns_nothing_and_loses_nothing(tmp_path: Path) -> None:
    with sh.DirectoryWatcher.open(tmp_path) as watcher:
        started = time.perf_counter()
        assert watcher.changes(timeout=0.2) == []
        assert time.perf_counter() - started >= 0.19
        assert watcher.changes(timeout=0) == []
        assert not watcher.wait(0)
        (tmp_path / "late.txt").write_bytes(b"")
        assert watcher.wait(5)  # ready, and still there for changes()
        assert sh.DirectoryChange(A.ADDED, "late.txt") in watcher.changes(timeout=5)


def test_a_change_from_another_thread_wakes_a_waiting_call(tmp_path: Path) -> None:
    with sh.DirectoryWatcher.open(tmp_path) as watcher:
        timer = threading.Timer(0.2, (tmp_path / "t.txt").write_bytes, args=(b"",))
        timer.start()
        try:
            assert sh.DirectoryChange(A.ADDED, "t.txt") in watcher.changes(timeout=10)
        finally:
            timer.join()


@pytest.mark.wine_differs("ReadDirectoryChangesW with bWatchSubtree reports nothing from a subdirectory")
def test_subtree_reports_paths_below_the_directory(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    with sh.DirectoryWatcher.open(tmp_path, subtree=True) as watcher:
        (tmp_path / "sub" / "deep.txt").write_bytes(b"")
        seen = _all_changes(watcher, sh.DirectoryChange(A.ADDED, os.path.join("sub", "deep.txt")))
    assert seen


def test_filter_selects_what_is_reported(tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_bytes(b"")
    with sh.DirectoryWatcher.open(tmp_path, sh.ChangeFilter.DIR_NAME) as watcher:
        (tmp_path / "g.txt").write_bytes(b"")  # a file name: not watched
        (tmp_path / "d").mkdir()
        seen = _all_changes(watcher, sh.DirectoryChange(A.ADDED, "d"))
    assert all(change.path == "d" for change in seen)


def test_overflow_is_reported_as_such(tmp_path: Path) -> None:
    with sh.DirectoryWatcher.open(tmp_path, buffer_size=64) as watcher:
        for i in range(40):
            (tmp_path / f"a-long-file-name-{i:03}.txt").write_bytes(b"")
        time.sleep(0.2)
        seen = _all_changes(watcher, sh.DirectoryChange(A.OVERFLOW, ""))
        assert str(seen[-1]) == "overflow: changes were lost"
        # Watching goes on after an overflow.
        (tmp_path / "next").mkdir()
        assert sh.DirectoryChange(A.ADDED, "next") in _all_changes(
            watcher, sh.DirectoryChange(A.ADDED, "next")
        )


def test_changes_async(tmp_path: Path) -> None:
    async def main() -> list[sh.DirectoryChange]:
        with sh.DirectoryWatcher.open(tmp_path) as watcher:
            assert await watcher.changes_async(timeout=0.1) == []
            loop = asyncio.get_running_loop()
            loop.call_later(0.1, (tmp_path / "x.txt").write_bytes, b"")
            return await watcher.changes_async(timeout=10)

    assert sh.DirectoryChange(A.ADDED, "x.txt") in asyncio.run(main())


def test_a_cancelled_await_loses_nothing(tmp_path: Path) -> None:
    async def main() -> list[sh.DirectoryChange]:
        with sh.DirectoryWatcher.open(tmp_path) as watcher:
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(watcher.changes_async(), 0.2)
            (tmp_path / "kept.txt").write_bytes(b"")
            return await watcher.changes_async(timeout=10)

    assert sh.DirectoryChange(A.ADDED, "kept.txt") in asyncio.run(main())


def test_close_from_another_thread_ends_a_waiting_call(tmp_path: Path) -> None:
    watcher = sh.DirectoryWatcher.open(tmp_path)
    value = watcher.dangerous_get_handle()
    timer = threading.Timer(0.2, watcher.close)
    timer.start()
    try:
        with pytest.raises(sh.ObjectDisposedError):
            watcher.changes(timeout=10)
    finally:
        timer.join()
    assert not probes.is_open(value)
    with pytest.raises(sh.ObjectDisposedError):
        watcher.changes(timeout=0)


def test_a_second_concurrent_caller_is_refused(tmp_path: Path) -> None:
    with sh.DirectoryWatcher.open(tmp_path) as watcher:
        thread = threading.Thread(target=watcher.changes, args=(2.0,))
        thread.start()
        deadline = time.perf_counter() + 5
        while watcher._turn and time.perf_counter() < deadline:  # until the thread is collecting
            time.sleep(0.01)
        try:
            with pytest.raises(RuntimeError, match="already collecting"):
                watcher.changes(timeout=0)
        finally:
            thread.join()
        assert watcher.changes(timeout=0) == []  # the turn is free again


def test_dropped_watcher_is_cancelled_and_closed_by_its_finalizer(tmp_path: Path) -> None:
    watcher = sh.DirectoryWatcher.open(tmp_path)
    value = watcher.dangerous_get_handle()
    with pytest.warns(ResourceWarning, match="never closed"):
        del watcher
        gc.collect()
    assert not probes.is_open(value)
    (tmp_path / "after.txt").write_bytes(b"")  # the kernel no longer writes into a freed buffer


def test_closed_when_the_with_block_raises(tmp_path: Path) -> None:
    with pytest.raises(ZeroDivisionError), sh.DirectoryWatcher.open(tmp_path) as watcher:
        value = watcher.dangerous_get_handle()
        _ = 1 / 0
    assert not probes.is_open(value)


def test_missing_directory_raises_file_not_found(tmp_path: Path) -> None:
    before = probes.open_handles()
    with pytest.raises(FileNotFoundError, match="CreateFileW") as caught:
        sh.DirectoryWatcher.open(tmp_path / "missing")
    assert probes.winerror(caught.value) in (2, 3)
    assert probes.open_handles() <= before


def test_a_file_is_refused_and_nothing_is_left_open(tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_bytes(b"")
    before = probes.open_handles()
    with pytest.raises(OSError, match="ReadDirectoryChangesW"):
        sh.DirectoryWatcher.open(tmp_path / "plain.txt")
    gc.collect()
    assert probes.open_handles() <= before


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"changes": 0}, ValueError),
        ({"changes": 0x200}, ValueError),
        ({"changes": "all"}, TypeError),
        ({"buffer_size": 16}, ValueError),
        ({"buffer_size": 1 << 30}, ValueError),
        ({"buffer_size": 1.5}, TypeError),
    ],
)
def test_bad_arguments_open_nothing(
    tmp_path: Path, kwargs: dict[str, object], error: type[Exception]
) -> None:
    before = probes.open_handles()
    with pytest.raises(error):
        sh.DirectoryWatcher.open(tmp_path, **kwargs)  # type: ignore[arg-type]
    assert probes.open_handles() <= before


def test_bad_timeouts(tmp_path: Path) -> None:
    with sh.DirectoryWatcher.open(tmp_path) as watcher:
        for timeout in (-1, float("nan")):
            with pytest.raises(ValueError, match="timeout"):
                watcher.changes(timeout)


def _sigint_after(delay: float) -> threading.Thread:
    """A real Ctrl+C: SIGINT raised from another thread *delay* s on (see tests/test_interrupt.py)."""

    def fire() -> None:
        time.sleep(delay)
        signal.raise_signal(signal.SIGINT)

    thread = threading.Thread(target=fire)
    thread.start()
    return thread


def test_ctrl_c_interrupts_a_waiting_call_and_loses_nothing(tmp_path: Path) -> None:
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with sh.DirectoryWatcher.open(tmp_path) as watcher:
            thread = _sigint_after(0.3)
            started = time.perf_counter()
            try:
                with pytest.raises(KeyboardInterrupt):
                    watcher.changes(timeout=5)
            finally:
                thread.join()
            assert time.perf_counter() - started < 2
            (tmp_path / "after.txt").write_bytes(b"")
            assert sh.DirectoryChange(A.ADDED, "after.txt") in watcher.changes(timeout=5)
    finally:
        signal.signal(signal.SIGINT, previous)


def _records(*records: tuple[int, str]) -> bytes:
    """FILE_NOTIFY_INFORMATION records as the kernel lays them out (DWORD-aligned, chained by offset)."""
    out = b""
    for index, (action, name) in enumerate(records):
        encoded = name.encode("utf-16-le")
        size = (12 + len(encoded) + 3) & ~3
        following = 0 if index == len(records) - 1 else size
        record = following.to_bytes(4, "little") + action.to_bytes(4, "little")
        out += (record + len(encoded).to_bytes(4, "little") + encoded).ljust(size, b"\0")
    return out


def test_a_rename_split_across_two_reads_is_still_paired(tmp_path: Path) -> None:
    # The kernel may complete a read between a rename's two records; the watcher pairs them anyway.
    with sh.DirectoryWatcher.open(tmp_path) as watcher:
        assert watcher._parse(_records((1, "a"), (4, "old"))) == [sh.DirectoryChange(A.ADDED, "a")]
        assert watcher._parse(_records((5, "new"), (2, "a"))) == [
            sh.DirectoryChange(A.RENAMED, "new", old_path="old"),
            sh.DirectoryChange(A.REMOVED, "a"),
        ]
        # Halves whose other half was lost read as what they say of the name.
        assert watcher._parse(_records((4, "gone"), (3, "m"))) == [
            sh.DirectoryChange(A.REMOVED, "gone"),
            sh.DirectoryChange(A.MODIFIED, "m"),
        ]
        assert watcher._parse(_records((5, "arrived"))) == [sh.DirectoryChange(A.ADDED, "arrived")]


def test_close_while_awaiting_raises_object_disposed(tmp_path: Path) -> None:
    asyncio.run(asyncio.sleep(0))  # a loop's one-off handles (Winsock's) are made before counting
    files_before = sh.handle_census()["File"]
    watcher = sh.DirectoryWatcher.open(tmp_path)
    assert sh.handle_census()["File"] == files_before + 1

    async def main() -> None:
        asyncio.get_running_loop().call_later(0.2, watcher.close)
        with pytest.raises(sh.ObjectDisposedError):
            await watcher.changes_async(timeout=10)

    asyncio.run(main())
    # Counted by type, not by value: Wine reuses a freed value at once, and the loop's and the
    # wait thread's handles may take it. The loop's own sockets (Files too) are closed with it.
    assert sh.handle_census()["File"] == files_before
