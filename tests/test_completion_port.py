"""I/O completion ports (CreateIoCompletionPort / CloseHandle) against the real OS."""

from __future__ import annotations

import gc
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import safehandles as sh
from safehandles._bindings._errors import last_error
from safehandles._bindings._native import ffi, kernel32
from tests import probes

pytestmark = pytest.mark.windows

ERROR_IO_PENDING = 997


def test_port_exists_until_close() -> None:
    port = sh.IoCompletionPort.create()
    value = port.dangerous_get_handle()
    assert probes.is_open(value)
    assert probes.type_name(value) == "IoCompletion"
    assert port.inheritable is False
    port.close()
    assert not probes.is_open(value)


def test_port_is_closed_when_the_with_block_raises() -> None:
    with pytest.raises(ZeroDivisionError), sh.IoCompletionPort.create(threads=2) as port:
        value = port.dangerous_get_handle()
        _ = 1 / 0
    assert not probes.is_open(value)


def test_dropped_port_is_closed_by_its_finalizer() -> None:
    port = sh.IoCompletionPort.create()
    value = port.dangerous_get_handle()
    with pytest.warns(ResourceWarning, match="never closed"):
        del port
        gc.collect()
    assert not probes.is_open(value)


def test_posted_packets_come_back_in_order_and_timeout_gives_none() -> None:
    with sh.IoCompletionPort.create() as port:
        assert port.get(0) is None
        assert port.get(0.01) is None
        port.post(5, key=7, overlapped=0x1000)
        port.post(key=(1 << 64) - 1)
        assert port.get(1) == sh.CompletionStatus(5, 7, 0x1000, 0)
        assert port.get(1) == sh.CompletionStatus(0, (1 << 64) - 1, 0, 0)
        assert port.get(0) is None


def test_a_post_wakes_a_waiting_thread() -> None:
    with sh.IoCompletionPort.create() as port:
        got: list[sh.CompletionStatus | None] = []
        thread = threading.Thread(target=lambda: got.append(port.get(10)))
        thread.start()
        time.sleep(0.2)  # let the thread block in GetQueuedCompletionStatus
        assert thread.is_alive()
        assert not got
        port.post(key=3)
        thread.join(10)
        assert not thread.is_alive()
        assert got[0] is not None
        assert got[0].key == 3


def test_overlapped_read_completes_through_the_port(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(b"completion port data")
    with sh.File.open(path, overlapped=True) as file, sh.IoCompletionPort.create() as port:
        port.associate(file, key=42)
        overlapped: Any = ffi.new("OVERLAPPED *")
        buffer = ffi.new("char[]", 64)
        with file.borrow() as value:
            ok = kernel32.ReadFile(value, buffer, 64, ffi.NULL, overlapped)
            assert ok or last_error() == ERROR_IO_PENDING
        status = port.get(5)
        assert status is not None
        assert status.key == 42
        assert status.bytes_transferred == 20
        assert status.overlapped == int(ffi.cast("uintptr_t", overlapped))
        assert status.error == 0
        assert ffi.buffer(buffer, 20)[:] == b"completion port data"


def test_a_handle_joins_only_one_port(tmp_path: Path) -> None:
    with (
        sh.File.open(
            tmp_path / "a", access="rw", disposition=sh.CreationDisposition.CREATE_NEW, overlapped=True
        ) as file,
        sh.IoCompletionPort.create() as first,
        sh.IoCompletionPort.create() as second,
    ):
        first.associate(file, 1)
        before = probes.open_handles()
        with pytest.raises(OSError, match="CreateIoCompletionPort") as caught:
            second.associate(file, 2)
        assert probes.winerror(caught.value) == 87
        assert probes.open_handles() <= before


def test_a_synchronous_handle_cannot_join_a_port(tmp_path: Path) -> None:
    with (
        sh.File.open(tmp_path / "a", access="rw", disposition=sh.CreationDisposition.CREATE_NEW) as file,
        sh.IoCompletionPort.create() as port,
        pytest.raises(OSError, match="CreateIoCompletionPort") as caught,
    ):
        port.associate(file)
    assert probes.winerror(caught.value) == 87


def test_associate_refuses_a_closed_or_foreign_handle(tmp_path: Path) -> None:
    with sh.IoCompletionPort.create() as port:
        file = sh.File.open(tmp_path / "a", access="w", disposition=sh.CreationDisposition.CREATE_NEW)
        file.close()
        with pytest.raises(sh.ObjectDisposedError):
            port.associate(file)
        with pytest.raises(TypeError):
            port.associate(3)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="key"), sh.File.open(tmp_path / "a", access="w") as again:
            port.associate(again, key=-1)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: sh.IoCompletionPort.create(threads=-1), ValueError),
        (lambda: sh.IoCompletionPort.create(threads=1.5), TypeError),  # type: ignore[arg-type]
    ],
)
def test_bad_create_arguments(call: Any, error: type[Exception]) -> None:
    before = probes.open_handles()
    with pytest.raises(error):
        call()
    assert probes.open_handles() <= before


def test_bad_post_and_get_arguments_and_closed_port() -> None:
    port = sh.IoCompletionPort.create()
    with pytest.raises(ValueError, match="bytes_transferred"):
        port.post(bytes_transferred=-1)
    with pytest.raises(ValueError, match="key"):
        port.post(key=1 << 64)
    with pytest.raises(ValueError, match="timeout"):
        port.get(-1)
    with port.duplicate() as copy:
        copy.post(key=9)
        status = port.get(1)
        assert status is not None
        assert status.key == 9
    port.close()
    with pytest.raises(sh.ObjectDisposedError):
        port.post()
    with pytest.raises(sh.ObjectDisposedError):
        port.get(0)
