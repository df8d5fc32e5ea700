"""Resource updates against the real OS: BeginUpdateResourceW, ended by EndUpdateResourceW."""

from __future__ import annotations

import gc
import shutil
import sys
from pathlib import Path

import pytest

import safehandles as sh
from tests import probes

pytestmark = pytest.mark.windows

RT_RCDATA = 10
ERROR_RESOURCE_TYPE_NOT_FOUND = 1813
ERROR_RESOURCE_NAME_NOT_FOUND = 1814


@pytest.fixture
def pe_file(tmp_path: Path) -> Path:
    """A copy of Python's own DLL: a real PE file this test may rewrite."""
    source = sh.Module.from_raw(sys.dllhandle, owns_handle=False).path  # type: ignore[attr-defined,unused-ignore]
    target = tmp_path / "copy.dll"
    shutil.copyfile(source, target)
    return target


def read_resource(path: Path, type_: int | str, name: int | str) -> bytes:
    with sh.Module.load(str(path), flags=sh.LoadFlag.LOAD_LIBRARY_AS_DATAFILE) as module:
        return module.resource(type_, name)


def test_commit_writes_the_resources(pe_file: Path) -> None:
    with sh.ResourceUpdate.begin(pe_file) as update:
        update.update(RT_RCDATA, "SAFEHANDLES", b"hello resources")
        update.update("MYTYPE", 77, b"\x00\x01\x02")
        update.commit()
        assert update.is_closed
        with pytest.raises(sh.ObjectDisposedError):
            update.update(RT_RCDATA, 1, b"x")
        with pytest.raises(sh.ObjectDisposedError):
            update.commit()
    assert read_resource(pe_file, RT_RCDATA, "SAFEHANDLES") == b"hello resources"
    assert read_resource(pe_file, "MYTYPE", 77) == b"\x00\x01\x02"


def test_close_without_commit_discards(pe_file: Path) -> None:
    original = pe_file.read_bytes()
    update = sh.ResourceUpdate.begin(pe_file)
    update.update(RT_RCDATA, "SAFEHANDLES", b"never written")
    update.close()
    assert pe_file.read_bytes() == original
    with pytest.raises(OSError, match="FindResourceExW") as caught:
        read_resource(pe_file, RT_RCDATA, "SAFEHANDLES")
    assert probes.winerror(caught.value) in (ERROR_RESOURCE_TYPE_NOT_FOUND, ERROR_RESOURCE_NAME_NOT_FOUND)


def test_exception_in_the_with_block_discards(pe_file: Path) -> None:
    original = pe_file.read_bytes()
    with pytest.raises(ZeroDivisionError), sh.ResourceUpdate.begin(pe_file) as update:
        update.update(RT_RCDATA, 5, b"never written")
        _ = 1 / 0
    assert pe_file.read_bytes() == original


def test_dropped_update_is_discarded_by_its_finalizer(pe_file: Path) -> None:
    original = pe_file.read_bytes()
    update = sh.ResourceUpdate.begin(pe_file)
    update.update(RT_RCDATA, 5, b"never written")
    with pytest.warns(ResourceWarning):
        del update
        gc.collect()
    assert pe_file.read_bytes() == original
    with sh.ResourceUpdate.begin(pe_file) as again:  # the file is free for a new update
        again.update(RT_RCDATA, 5, b"now written")
        again.commit()
    assert read_resource(pe_file, RT_RCDATA, 5) == b"now written"


@pytest.mark.wine_differs("UpdateResourceW with no data does not delete: the resource is still written")
def test_delete_removes_a_resource(pe_file: Path) -> None:
    with sh.ResourceUpdate.begin(pe_file) as update:
        update.update(RT_RCDATA, 1, b"one")
        update.update(RT_RCDATA, 2, b"two")
        update.commit()
    with sh.ResourceUpdate.begin(pe_file) as update:
        update.delete(RT_RCDATA, 1)
        update.commit()
    assert read_resource(pe_file, RT_RCDATA, 2) == b"two"
    with pytest.raises(OSError, match="FindResourceExW") as caught:
        read_resource(pe_file, RT_RCDATA, 1)
    assert probes.winerror(caught.value) == ERROR_RESOURCE_NAME_NOT_FOUND


def test_begin_on_a_missing_file_raises(tmp_path: Path) -> None:
    missing = tmp_path / "missing.dll"
    with pytest.raises(OSError, match="BeginUpdateResourceW") as caught:
        sh.ResourceUpdate.begin(missing)
    assert caught.value.filename == str(missing)
    assert not missing.exists()


@pytest.mark.wine_differs("BeginUpdateResourceW on a missing file returns NULL but leaves last error 0")
def test_begin_on_a_missing_file_reports_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="BeginUpdateResourceW") as caught:
        sh.ResourceUpdate.begin(tmp_path / "missing.dll")
    assert probes.winerror(caught.value) == 2  # ERROR_FILE_NOT_FOUND


def test_begin_on_a_file_that_is_not_pe_raises(tmp_path: Path) -> None:
    text = tmp_path / "text.dll"
    text.write_bytes(b"not a PE file at all" * 10)
    with pytest.raises(OSError, match="BeginUpdateResourceW"):
        sh.ResourceUpdate.begin(text)
    assert text.read_bytes() == b"not a PE file at all" * 10


@pytest.mark.parametrize(
    ("args", "kwargs", "error"),
    [
        ((RT_RCDATA, 1, "text"), {}, TypeError),
        ((RT_RCDATA, 1, b""), {}, ValueError),
        ((RT_RCDATA, 0, b"x"), {}, ValueError),
        ((RT_RCDATA, 0x1_0000, b"x"), {}, ValueError),
        ((RT_RCDATA, "a\0", b"x"), {}, ValueError),
        ((RT_RCDATA, 1.0, b"x"), {}, TypeError),
        ((RT_RCDATA, 1, b"x"), {"language": -1}, ValueError),
    ],
)
def test_bad_update_input(
    pe_file: Path, args: tuple[object, ...], kwargs: dict[str, object], error: type[Exception]
) -> None:
    original = pe_file.read_bytes()
    with sh.ResourceUpdate.begin(pe_file) as update, pytest.raises(error):
        update.update(*args, **kwargs)  # type: ignore[arg-type]
    assert pe_file.read_bytes() == original


def test_begin_with_bad_paths() -> None:
    with pytest.raises(ValueError, match="path must not be empty"):
        sh.ResourceUpdate.begin("")
    with pytest.raises(TypeError):
        sh.ResourceUpdate.begin(None)  # type: ignore[arg-type]
