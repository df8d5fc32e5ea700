"""File mappings (CreateFileMappingW / OpenFileMappingW / CloseHandle) and views
(MapViewOfFile / UnmapViewOfFile) against the real OS."""

from __future__ import annotations

import gc
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

import safehandles as sh
from safehandles._bindings._native import ffi, kernel32
from tests import probes
from tests.children import python_code

pytestmark = pytest.mark.windows

MEM_MAPPED = 0x40000


def is_mapped(address: int) -> bool:
    """Whether *address* lies in a mapped view (``VirtualQuery``: an independent look)."""
    info: Any = ffi.new("MEMORY_BASIC_INFORMATION *")
    assert kernel32.VirtualQuery(address, info, ffi.sizeof(info[0])) == ffi.sizeof(info[0])
    return int(info.Type) == MEM_MAPPED and int(info.AllocationBase) == address


@pytest.fixture
def name() -> str:
    return f"Local\\safehandles-map-{uuid.uuid4()}"


def test_mapping_and_view_exist_until_closed() -> None:
    mapping = sh.FileMapping.create(4096)
    value = mapping.dangerous_get_handle()
    assert probes.is_open(value)
    assert probes.type_name(value) == "Section"
    assert mapping.created_new
    view = mapping.map()
    address = view.address
    assert is_mapped(address)
    assert len(view) == 4096
    view.close()
    assert not is_mapped(address)
    mapping.close()
    assert not probes.is_open(value)


def test_both_are_closed_when_the_with_block_raises() -> None:
    with pytest.raises(ZeroDivisionError), sh.FileMapping.create(4096) as mapping, mapping.map() as view:
        value, address = mapping.dangerous_get_handle(), view.address
        _ = 1 / 0
    assert not probes.is_open(value)
    assert not is_mapped(address)


def test_dropped_mapping_and_view_are_released_by_their_finalizers() -> None:
    mapping = sh.FileMapping.create(4096)
    view = mapping.map()
    value, address = mapping.dangerous_get_handle(), view.address
    with pytest.warns(ResourceWarning, match="never closed"):
        del mapping, view
        gc.collect()
    assert not probes.is_open(value)
    assert not is_mapped(address)


def test_a_view_outlives_its_mapping_handle() -> None:
    with sh.FileMapping.create(4096) as mapping:
        view = mapping.map()
    with view:
        view.write(0, b"still here")
        assert view.read(0, 10) == b"still here"


def test_named_mapping_is_shared_and_reports_created_new(name: str) -> None:
    with (
        sh.FileMapping.create(8192, name=name) as first,
        sh.FileMapping.create(8192, name=name) as second,
        sh.FileMapping.open(name) as opened,
        first.map() as one,
        opened.map() as other,
    ):
        assert first.created_new
        assert not second.created_new
        assert probes.is_open(second.dangerous_get_handle())
        one.write(100, b"shared")
        assert other.read(100, 6) == b"shared"
        assert len(other) >= 8192  # an opened mapping's size comes from VirtualQuery (whole pages)


def test_open_of_a_missing_name_raises_file_not_found(name: str) -> None:
    before = probes.open_handles()
    with pytest.raises(FileNotFoundError, match="OpenFileMappingW") as caught:
        sh.FileMapping.open(name)
    assert probes.winerror(caught.value) == 2
    assert probes.open_handles() <= before


def test_file_backed_mapping_reads_and_flushes_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(b"0123456789")
    with sh.File.open(path, access="rw") as file:
        mapping = sh.FileMapping.create(file=file)
    with mapping, mapping.map() as view:
        assert mapping.size == 10
        assert len(view) == 10
        assert view.read() == b"0123456789"
        view.write(2, b"ab")
        view.flush()
    assert path.read_bytes() == b"01ab456789"


def test_read_only_mapping_gives_a_read_only_view(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(b"abc")
    with (
        sh.File.open(path) as file,
        sh.FileMapping.create(file=file, protect=sh.PageProtection.READONLY) as mapping,
        mapping.map() as view,
    ):
        assert not view.writable
        with pytest.raises(ValueError, match="read-only"):
            view.write(0, b"x")
        with view.buffer() as memory:
            assert memory.readonly
            assert bytes(memory) == b"abc"


def test_mapping_a_read_only_file_for_writing_fails_with_access_denied(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(b"abc")
    with sh.File.open(path) as file, pytest.raises(PermissionError, match="CreateFileMappingW") as caught:
        sh.FileMapping.create(file=file)
    assert probes.winerror(caught.value) == 5


def test_mapping_an_empty_file_fails(tmp_path: Path) -> None:
    path = tmp_path / "empty.bin"
    path.write_bytes(b"")
    with (
        sh.File.open(path, access="rw") as file,
        pytest.raises(OSError, match="CreateFileMappingW") as caught,
    ):
        sh.FileMapping.create(file=file)
    assert probes.winerror(caught.value) == 1006  # ERROR_FILE_INVALID


def test_map_view_failure_raises() -> None:
    with sh.FileMapping.create(4096) as mapping, pytest.raises(OSError, match="MapViewOfFile") as caught:
        mapping.map(offset=1 << 20)  # beyond the mapping
    assert probes.winerror(caught.value) in (5, 87, 8)


def test_buffer_is_a_memoryview_that_defers_unmapping() -> None:
    with sh.FileMapping.create(4096) as mapping:
        view = mapping.map()
        address = view.address
        with view.buffer() as memory:
            memory[0:5] = b"hello"
            part = memory[0:5]
            view.close()  # deferred: the memoryview still shows the view
            assert view.is_closed is False
            assert is_mapped(address)
            assert bytes(memory[:5]) == b"hello"
        with pytest.raises(ValueError, match="released"):
            memory[0]  # released at the end of the block
        assert is_mapped(address)  # the slice still holds the view
        assert bytes(part) == b"hello"
        del part
        gc.collect()
        assert view.is_closed
        assert not is_mapped(address)


def test_a_view_is_duplicate_free_and_a_mapping_duplicates() -> None:
    with sh.FileMapping.create(4096) as mapping, mapping.duplicate() as copy:
        assert probes.type_name(copy.dangerous_get_handle()) == "Section"
        with copy.map() as view:
            assert len(view) == 4096  # the copy knows no size: VirtualQuery gives the pages
    assert not hasattr(sh.MappedView, "duplicate")


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: sh.FileMapping.create(), ValueError),
        (lambda: sh.FileMapping.create(-1), ValueError),
        (lambda: sh.FileMapping.create(0), ValueError),
        (lambda: sh.FileMapping.create(4096, name="a\0b"), ValueError),
        (lambda: sh.FileMapping.create(4096, protect=0x1234), ValueError),
        (lambda: sh.FileMapping.create(file=object()), TypeError),  # type: ignore[arg-type]
        (lambda: sh.FileMapping.open("x", access=0x100), ValueError),
    ],
)
def test_bad_arguments_raise_before_any_handle_is_made(call: Any, error: type[Exception]) -> None:
    before = probes.open_handles()
    with pytest.raises(error):
        call()
    assert probes.open_handles() <= before


def test_bad_view_arguments_and_closed_view() -> None:
    with sh.FileMapping.create(4096) as mapping:
        with pytest.raises(ValueError, match="offset"):
            mapping.map(offset=-1)
        with pytest.raises(ValueError, match="size"):
            mapping.map(size=0)
        view = mapping.map(size=100)
        assert len(view) == 100
        with pytest.raises(ValueError, match="size"):
            view.read(50, 51)
        with pytest.raises(ValueError, match="size"):
            view.write(99, b"ab")
        with pytest.raises(TypeError):
            view.write(0, "text")  # type: ignore[arg-type]
        view.close()
        for operation in (view.read, lambda: view.write(0, b"x"), view.flush, view.buffer().__enter__):
            with pytest.raises(sh.ObjectDisposedError):
                operation()


COPY_ON_WRITE_CHILD = """
import sys
import safehandles as sh
path = sys.argv[1]
with (
    sh.File.open(path) as file,
    sh.FileMapping.create(file=file, protect=sh.PageProtection.WRITECOPY) as mapping,
    mapping.map() as view,
):
    view.write(0, b"changed!")
    assert view.read(0, 8) == b"changed!"
print("wrote privately", flush=True)
"""


@pytest.mark.skipif(
    probes.UNDER_WINE,
    reason="Wine differs: a FILE_MAP_COPY view is not writable, the first write is a page fault, "
    "and Wine's crash debugger then keeps the child's pipes open",
)
def test_copy_on_write_mapping_maps_privately(tmp_path: Path) -> None:
    # In a child: where copy-on-write is missing, the write faults and ends the process.
    path = tmp_path / "data.bin"
    path.write_bytes(b"original")
    result = subprocess.run(
        [sys.executable, "-c", python_code(COPY_ON_WRITE_CHILD), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert "wrote privately" in result.stdout, result.stderr[-2000:]
    assert path.read_bytes() == b"original"  # copy-on-write: the file never sees the change


def test_duplicate_of_a_read_only_mapping_maps_read_only(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(b"abc")
    with (
        sh.File.open(path) as file,
        sh.FileMapping.create(file=file, protect=sh.PageProtection.READONLY) as mapping,
        mapping.duplicate() as copy,
        copy.map() as view,
    ):
        assert not view.writable
        assert view.read(0, 3) == b"abc"
    with (
        sh.FileMapping.create(4096) as writable,
        writable.duplicate(access=sh.FileMapAccess.READ) as reader,
        reader.map() as view,
    ):
        assert not view.writable


def test_reserved_sections_are_refused_before_any_call() -> None:
    before = probes.open_handles()
    with pytest.raises(ValueError, match="SEC_COMMIT"):
        sh.FileMapping.create(4096, protect=sh.PageProtection.READWRITE | sh.PageProtection.SEC_RESERVE)
    assert probes.open_handles() - before == set()
