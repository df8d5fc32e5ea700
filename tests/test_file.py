"""Files against the real OS: CreateFileW / CloseHandle, I/O, locks, and Python-file interop."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import safehandles as sh
from tests import probes

pytestmark = pytest.mark.windows

RW = sh.FileAccess.GENERIC_READ | sh.FileAccess.GENERIC_WRITE


def create(path: Path, **kwargs: Any) -> sh.File:
    return sh.File.open(path, access="rw", disposition=sh.CreationDisposition.CREATE_ALWAYS, **kwargs)


def test_file_handle_exists_until_close(tmp_path: Path) -> None:
    file = create(tmp_path / "a.bin")
    value = file.dangerous_get_handle()
    assert probes.is_open(value)
    assert probes.type_name(value) == "File"
    assert file.object_type == "File"
    file.close()
    assert not probes.is_open(value)


def test_file_is_closed_when_the_with_block_raises(tmp_path: Path) -> None:
    with pytest.raises(ZeroDivisionError), create(tmp_path / "a.bin") as file:
        value = file.dangerous_get_handle()
        _ = 1 / 0
    assert not probes.is_open(value)


def test_dropped_file_is_closed_by_its_finalizer(tmp_path: Path) -> None:
    file = create(tmp_path / "a.bin")
    value = file.dangerous_get_handle()
    with pytest.warns(ResourceWarning, match="never closed"):
        del file
        gc.collect()
    assert not probes.is_open(value)


def test_opening_a_missing_file_raises_file_not_found_and_leaves_nothing_open(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    before = probes.open_handles()
    with pytest.raises(FileNotFoundError, match="CreateFileW") as caught:
        sh.File.open(missing)
    assert probes.winerror(caught.value) == 2
    assert caught.value.filename == str(missing)
    assert probes.open_handles() <= before


def test_create_new_on_an_existing_file_raises_file_exists(tmp_path: Path) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(b"x")
    with pytest.raises(FileExistsError) as caught:
        sh.File.open(path, access="w", disposition=sh.CreationDisposition.CREATE_NEW)
    assert probes.winerror(caught.value) == 80


def test_read_write_seek_size_truncate_flush(tmp_path: Path) -> None:
    with create(tmp_path / "a.bin") as file:
        assert file.write(b"hello world") == 11
        assert file.tell() == 11
        assert file.size() == 11
        assert file.seek(0) == 0
        assert file.read(5) == b"hello"
        assert file.seek(-5, os.SEEK_END) == 6
        assert file.read() == b"world"
        assert file.read() == b""  # end of file
        assert file.seek(-2, os.SEEK_CUR) == 9
        assert file.truncate(4) == 4
        file.flush()
        assert file.size() == 4
        assert file.file_type == sh.FileType.DISK
        file.write(memoryview(bytearray(b"!!")))
    assert (tmp_path / "a.bin").read_bytes() == b"hell!!"


def test_read_only_default_cannot_write(tmp_path: Path) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(b"data")
    with sh.File.open(str(path)) as file:
        assert file.read() == b"data"
        with pytest.raises(PermissionError, match="WriteFile") as caught:
            file.write(b"x")
    assert probes.winerror(caught.value) == 5


def test_share_none_refuses_a_second_open(tmp_path: Path) -> None:
    path = tmp_path / "a.bin"
    with create(path, share=sh.FileShare.NONE), pytest.raises(PermissionError) as caught:
        sh.File.open(path)
    assert probes.winerror(caught.value) == 32  # ERROR_SHARING_VIOLATION


def test_delete_on_close_removes_the_file_with_its_last_handle(tmp_path: Path) -> None:
    path = tmp_path / "temp.bin"
    with create(path, delete_on_close=True) as file:
        file.write(b"scratch")
        assert path.exists()
    assert not path.exists()


def test_locks_conflict_between_handles(tmp_path: Path) -> None:
    path = tmp_path / "a.bin"
    with create(path) as first, sh.File.open(path, access="rw") as second:
        first.write(b"0123456789")
        assert first.lock(0, 4)
        assert second.lock(0, 4, wait=False) is False
        assert second.lock(4, 4, wait=False) is True  # a different range is free
        second.unlock(4, 4)
        first.unlock(0, 4)
        assert second.lock(0, 4, exclusive=False, wait=False) is True
        assert first.lock(0, 4, exclusive=False, wait=False) is True  # shared locks coexist
        second.unlock(0, 4)
        first.unlock(0, 4)


def test_a_zero_length_lock_is_taken_and_released(tmp_path: Path) -> None:
    # LockFileEx accepts a zero-byte range; the lock is real: a range around it conflicts.
    with create(tmp_path / "a.bin") as file:
        file.write(b"x" * 200)
        assert file.lock(100, 0, wait=False) is True
        assert file.lock(98, 4, wait=False) is False
        file.unlock(100, 0)
        assert file.lock(98, 4, wait=False) is True
        file.unlock(98, 4)
        with pytest.raises(OSError, match="UnlockFileEx"):
            file.unlock(100, 0)  # released already


@pytest.mark.wine_differs("UnlockFileEx of an unlocked range fails with ERROR_LOCK_VIOLATION (33)")
def test_unlocking_a_range_that_is_not_locked_fails_with_not_locked(tmp_path: Path) -> None:
    with create(tmp_path / "a.bin") as file, pytest.raises(OSError, match="UnlockFileEx") as caught:
        file.unlock(0, 4)
    assert probes.winerror(caught.value) == 158  # ERROR_NOT_LOCKED


def test_inheritable_and_duplicate(tmp_path: Path) -> None:
    with create(tmp_path / "a.bin") as file:
        assert file.inheritable is False
        with create(tmp_path / "b.bin", inheritable=True) as inherited:
            assert inherited.inheritable is True
        file.write(b"abc")
        with file.duplicate() as copy:
            assert probes.is_open(copy.dangerous_get_handle())
            assert copy.dangerous_get_handle() != file.dangerous_get_handle()
            assert copy.tell() == 3  # the same file object: one position
            copy.seek(0)
            assert file.read() == b"abc"
        assert probes.is_open(file.dangerous_get_handle())


def test_from_raw_refuses_another_kind_and_wraps_a_file(tmp_path: Path) -> None:
    with sh.Event.create() as event, pytest.raises(TypeError, match="Event"):
        sh.File.from_raw(event.dangerous_get_handle(), owns_handle=False)
    with create(tmp_path / "a.bin") as file:
        borrowed = sh.File.from_raw(file.dangerous_get_handle(), owns_handle=False)
        borrowed.write(b"x")
        borrowed.close()
        assert probes.is_open(file.dangerous_get_handle())


def test_to_python_file_transfers_the_handle(tmp_path: Path) -> None:
    file = create(tmp_path / "a.bin")
    value = file.dangerous_get_handle()
    with file.to_python_file("r+b") as python_file:
        assert file.is_closed  # the wrapper let go at once
        assert probes.is_open(value)
        python_file.write(b"from python")
        python_file.flush()
    assert not probes.is_open(value)  # the Python file closed it
    file.close()  # nothing left to do: no double close
    assert (tmp_path / "a.bin").read_bytes() == b"from python"


def test_to_python_file_without_transfer_gives_a_duplicate(tmp_path: Path) -> None:
    with create(tmp_path / "a.txt") as file:
        with file.to_python_file("w", transfer=False, encoding="utf-8", newline="") as python_file:
            assert not file.is_closed
            python_file.write("text\n")
        assert probes.is_open(file.dangerous_get_handle())
        assert file.size() == 5


def test_from_python_file_duplicates_or_borrows(tmp_path: Path) -> None:
    path = tmp_path / "a.bin"
    with open(path, "w+b") as python_file:
        python_file.write(b"buffered")  # flushed by from_python_file before the handle is used
        value = _osf_handle(python_file.fileno())
        owned = sh.File.from_python_file(python_file, owns_handle=True)
        assert owned.dangerous_get_handle() != value
        assert owned.size() == 8
        owned.close()
        assert not probes.is_open(owned.dangerous_get_handle())
        assert probes.is_open(value)
        borrowed = sh.File.from_python_file(python_file.fileno(), owns_handle=False)
        assert borrowed.dangerous_get_handle() == value
        assert borrowed.size() == 8
        borrowed.close()
        assert probes.is_open(value)  # still the Python file's
    assert not probes.is_open(value)


def _osf_handle(fd: int) -> int:
    import msvcrt

    return int(msvcrt.get_osfhandle(fd))  # type: ignore[attr-defined,unused-ignore]


def test_overlapped_file_reads_and_writes_synchronously_at_its_own_position(tmp_path: Path) -> None:
    with create(tmp_path / "a.bin", overlapped=True) as file:
        assert file.overlapped
        assert file.write(b"hello world") == 11
        assert file.position == file.tell() == 11
        assert file.seek(6) == 6
        assert file.read(100) == b"world"
        assert file.read(100) == b""  # end of file: ERROR_HANDLE_EOF from the overlapped read
        assert file.seek(-5, os.SEEK_END) == 6
        assert file.read(2) == b"wo"
        assert file.truncate(5) == 5
        assert file.size() == 5
        with file.duplicate() as copy:
            assert copy.overlapped


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda p: sh.File.open(str(p) + "\0x"), ValueError),
        (lambda p: sh.File.open(os.fsencode(p)), TypeError),  # type: ignore[arg-type]
        (lambda p: sh.File.open(""), ValueError),
        (lambda p: sh.File.open(p, access="rwx"), ValueError),
        (lambda p: sh.File.open(p, access=0x8000), ValueError),
        (lambda p: sh.File.open(p, access=-1), ValueError),
        (lambda p: sh.File.open(p, disposition=9), ValueError),
        (lambda p: sh.File.open(p, disposition="new"), TypeError),  # type: ignore[arg-type]
        (lambda p: sh.File.open(p, share=0x10), ValueError),
        (lambda p: sh.File.open(p, flags=-1), ValueError),
    ],
)
def test_bad_arguments_raise_before_any_handle_is_made(
    tmp_path: Path, call: Callable[[Path], object], error: type[Exception]
) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(b"")
    before = probes.open_handles()
    with pytest.raises(error):
        call(path)
    assert probes.open_handles() <= before


def test_bad_operation_arguments(tmp_path: Path) -> None:
    with create(tmp_path / "a.bin") as file:
        cases: list[tuple[Callable[[], object], type[Exception]]] = [
            (lambda: file.read(-1), ValueError),
            (lambda: file.write("text"), TypeError),  # type: ignore[arg-type]
            (lambda: file.seek(0, 7), ValueError),
            (lambda: file.seek(1.5), TypeError),  # type: ignore[arg-type]
            (lambda: file.lock(-1, 1), ValueError),
            (lambda: file.lock(0, 1 << 64), ValueError),
            (lambda: file.truncate(-1), ValueError),
            (lambda: file.to_python_file("rw"), ValueError),
        ]
        for call, error in cases:
            with pytest.raises(error):
                call()
        assert not file.is_closed
        with pytest.raises(OSError, match="SetFilePointerEx") as caught:
            file.seek(-1)
        assert probes.winerror(caught.value) == 131  # ERROR_NEGATIVE_SEEK


def test_closed_file_raises_object_disposed(tmp_path: Path) -> None:
    file = create(tmp_path / "a.bin")
    file.close()
    for operation in (
        file.read,
        lambda: file.write(b"x"),
        file.size,
        file.tell,
        file.flush,
        lambda: file.lock(0, 1),
        file.duplicate,
        file.to_python_file,
    ):
        with pytest.raises(sh.ObjectDisposedError):
            operation()


def test_a_borrowed_file_cannot_transfer_ownership_to_a_python_file(tmp_path: Path) -> None:
    with create(tmp_path / "a.bin") as owner:
        borrowed = sh.File.from_raw(owner.dangerous_get_handle(), owns_handle=False)
        with pytest.raises(ValueError, match="borrowed"):
            borrowed.to_python_file("rb")
        assert probes.is_open(owner.dangerous_get_handle())
        with borrowed.to_python_file("rb", transfer=False) as python_file:  # a duplicate is fine
            assert python_file.read() == b""


# -- DeleteFileW, the File row's second destroyer, and deletion through the handle ------


def test_delete_removes_a_closed_file_and_a_missing_one_raises(tmp_path: Path) -> None:
    path = tmp_path / "gone.bin"
    with create(path) as file:
        file.write(b"data")
    sh.File.delete(path)
    assert not path.exists()
    with pytest.raises(FileNotFoundError, match="DeleteFileW") as caught:
        sh.File.delete(str(path))
    assert probes.winerror(caught.value) == 2
    assert caught.value.filename == str(path)


def test_delete_of_a_file_open_without_share_delete_fails_and_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "busy.bin"
    with create(path) as file:
        with pytest.raises(PermissionError, match="DeleteFileW") as caught:
            sh.File.delete(path)
        assert probes.winerror(caught.value) == 32  # ERROR_SHARING_VIOLATION
        file.write(b"still here")
    assert path.read_bytes() == b"still here"


def test_delete_of_a_file_open_with_share_delete_removes_it_with_its_last_handle(tmp_path: Path) -> None:
    path = tmp_path / "shared.bin"
    share = sh.FileShare.READ | sh.FileShare.WRITE | sh.FileShare.DELETE
    with create(path, share=share) as file:
        sh.File.delete(path)
        file.write(b"the handle still works")
        file.seek(0)
        assert file.read() == b"the handle still works"
    assert not path.exists()


def test_delete_when_closed_deletes_the_open_file_and_can_be_undone(tmp_path: Path) -> None:
    access = sh.FileAccess.GENERIC_READ | sh.FileAccess.GENERIC_WRITE | sh.FileAccess.DELETE
    doomed, kept = tmp_path / "doomed.bin", tmp_path / "kept.bin"
    always = sh.CreationDisposition.CREATE_ALWAYS
    with sh.File.open(doomed, access=access, disposition=always) as file:
        file.write(b"scratch")
        file.delete_when_closed()
    assert not doomed.exists()
    with sh.File.open(kept, access=access, disposition=always) as file:
        file.delete_when_closed()
        file.delete_when_closed(False)
    assert kept.exists()


def test_delete_when_closed_without_the_delete_right_names_it(tmp_path: Path) -> None:
    path = tmp_path / "kept.bin"
    with create(path) as file, pytest.raises(PermissionError, match=r"needs FileAccess\.DELETE") as caught:
        file.delete_when_closed()
    assert probes.winerror(caught.value) == 5
    assert path.exists()
    closed = create(path)
    closed.close()
    with pytest.raises(sh.ObjectDisposedError):
        closed.delete_when_closed()


@pytest.mark.parametrize(
    ("path", "error"), [(b"bytes.bin", TypeError), ("a\0b", ValueError), ("", ValueError), (3, TypeError)]
)
def test_delete_refuses_bad_paths_before_the_call(path: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        sh.File.delete(path)  # type: ignore[arg-type]
