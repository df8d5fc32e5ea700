"""Anonymous pipes (CreatePipe), named-pipe servers (CreateNamedPipeW) and mailslots
(CreateMailslotW), all closed by CloseHandle, against the real OS."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import safehandles as sh
from tests import probes
from tests.children import python_code

pytestmark = pytest.mark.windows


def _read_end(_: str) -> sh.PipeEnd:
    reader, writer = sh.Pipe.create()
    writer.close()
    return reader


KINDS: dict[str, Callable[[str], sh.KernelHandle]] = {
    "pipe end": _read_end,
    "named pipe server": lambda name: sh.NamedPipeServer.create(rf"\\.\pipe\{name}"),
    "mailslot": lambda name: sh.Mailslot.create(rf"\\.\mailslot\{name}"),
}


@pytest.fixture
def name() -> str:
    return f"safehandles-test-{uuid.uuid4()}"


def _make(kind: str, name: str) -> sh.KernelHandle:
    return KINDS[kind](name)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_handle_exists_until_close(kind: str, name: str) -> None:
    handle = _make(kind, name)
    value = handle.dangerous_get_handle()
    assert probes.is_open(value)
    assert probes.type_name(value) == "File"
    handle.close()
    assert not probes.is_open(value)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_handle_is_closed_by_its_finalizer(kind: str, name: str) -> None:
    handle = _make(kind, name)
    value = handle.dangerous_get_handle()
    with pytest.warns(ResourceWarning, match="never closed"):
        del handle
        gc.collect()
    assert not probes.is_open(value)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_handle_is_closed_when_the_with_block_raises(kind: str, name: str) -> None:
    with pytest.raises(ZeroDivisionError), _make(kind, name) as handle:
        value = handle.dangerous_get_handle()
        _ = 1 / 0
    assert not probes.is_open(value)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_not_inheritable_unless_asked_and_duplicable(kind: str, name: str) -> None:
    with _make(kind, name) as handle:
        assert handle.inheritable is False
        with handle.duplicate() as copy:
            assert probes.is_open(copy.dangerous_get_handle())
            assert type(copy) is type(handle)


# -- anonymous pipes ---------------------------------------------------------------------


def test_pipe_carries_bytes_and_reads_eof_once_the_writer_closes() -> None:
    pipe = sh.Pipe.create()
    reader, writer = pipe
    values = [reader.dangerous_get_handle(), writer.dangerous_get_handle()]
    assert all(probes.is_open(v) for v in values)
    assert reader.inheritable is False
    assert writer.inheritable is False
    assert writer.write(b"ping") == 4
    assert reader.peek() == 4
    assert reader.read(2) == b"pi"
    assert reader.read(10) == b"ng"
    writer.close()
    assert reader.read() == b""
    pipe.close()
    assert not any(probes.is_open(v) for v in values)


def test_peek_tells_nothing_yet_from_a_closed_writer() -> None:
    with sh.Pipe.create() as (reader, writer):
        assert reader.peek() == 0  # nothing yet: the writer is still open
        writer.write(b"last")
        writer.close()
        assert reader.peek() == 4  # what was sent before the close can still be read
        assert reader.read() == b"last"
        with pytest.raises(BrokenPipeError, match="PeekNamedPipe") as caught:
            reader.peek()
        assert probes.winerror(caught.value) == 109  # ERROR_BROKEN_PIPE


def test_pipe_pair_closes_both_ends_in_a_with_block() -> None:
    with pytest.raises(ZeroDivisionError), sh.Pipe.create(size=1024) as (reader, writer):
        values = [reader.dangerous_get_handle(), writer.dangerous_get_handle()]
        _ = 1 / 0
    assert not any(probes.is_open(v) for v in values)


def test_inheritable_pipe_gives_a_child_the_write_end() -> None:
    with sh.Pipe.create(inheritable=True) as pipe:
        assert pipe.read_end.inheritable
        assert pipe.write_end.inheritable
        pipe.read_end.inheritable = False
        value = pipe.write_end.dangerous_get_handle()
        code = (
            "import safehandles as sh\n"
            f"end = sh.PipeEnd.from_raw({value}, owns_handle=True)\n"
            "end.write(b'from child')\n"
            "end.close()\n"
        )
        # close_fds=False: the child inherits every inheritable handle, as CreateProcess does.
        child = subprocess.run(
            [sys.executable, "-c", python_code(code)],
            close_fds=False,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert child.returncode == 0, child.stderr
        pipe.write_end.close()
        assert pipe.read_end.read() == b"from child"


def test_pipe_rejects_a_bad_size() -> None:
    before = probes.open_handles()
    with pytest.raises(ValueError, match="size"):
        sh.Pipe.create(size=-1)
    assert probes.open_handles() <= before


# -- named pipes ---------------------------------------------------------------------------


def test_client_that_connects_first_counts_as_connected(name: str) -> None:
    path = rf"\\.\pipe\{name}"
    with sh.NamedPipeServer.create(path) as server:
        with sh.File.open(path, access="rw") as client:
            server.connect()  # ERROR_PIPE_CONNECTED: already connected
            client.write(b"request")
            assert server.read() == b"request"
            server.write(b"reply")
            assert client.read() == b"reply"
            server.disconnect()
            with pytest.raises(OSError, match="WriteFile"):
                client.write(b"too late")
        # after a disconnect, the instance serves the next client once connect() listens again
        thread = threading.Thread(target=server.connect)
        thread.start()
        with _open_when_listening(path) as second:
            thread.join(10)
            assert not thread.is_alive()
            second.write(b"again")
            assert server.read() == b"again"


def test_both_ends_of_a_named_pipe_peek_and_see_the_other_go(name: str) -> None:
    path = rf"\\.\pipe\{name}"
    with sh.NamedPipeServer.create(path) as server, sh.File.open(path, access="rw") as client:
        server.connect()
        assert client.file_type == sh.FileType.PIPE
        assert client.peek() == 0
        server.write(b"reply")
        assert client.peek() == 5  # a pipe client opened by name peeks as itself
        client.write(b"req")
        assert server.peek() == 3
        assert client.read() == b"reply"
        server.close()
        with pytest.raises(BrokenPipeError, match="PeekNamedPipe") as caught:
            client.peek()
        assert probes.winerror(caught.value) == 109


def test_server_peek_raises_broken_pipe_once_the_client_is_gone(name: str) -> None:
    path = rf"\\.\pipe\{name}"
    with sh.NamedPipeServer.create(path) as server:
        with sh.File.open(path, access="rw"):
            server.connect()
            assert server.peek() == 0
        with pytest.raises(BrokenPipeError) as caught:
            server.peek()
        assert probes.winerror(caught.value) == 109


def test_peek_on_a_file_that_is_not_a_pipe_raises_the_os_error(tmp_path: Path) -> None:
    create = sh.CreationDisposition.CREATE_ALWAYS
    with sh.File.open(tmp_path / "a.bin", access="rw", disposition=create) as file:
        file.write(b"data")
        with pytest.raises(OSError, match="PeekNamedPipe") as caught:
            file.peek()
        assert not isinstance(caught.value, BrokenPipeError)
        assert probes.winerror(caught.value)
        assert not file.is_closed


def test_connect_waits_for_a_client(name: str) -> None:
    path = rf"\\.\pipe\{name}"
    with sh.NamedPipeServer.create(path, message_mode=True) as server:
        got: list[bytes] = []

        def serve() -> None:
            server.connect()
            got.append(server.read())

        thread = threading.Thread(target=serve)
        thread.start()
        client = _open_when_listening(path)
        with client:
            # The client stays connected until the server has read: a client that connects
            # before ConnectNamedPipe gives ERROR_PIPE_CONNECTED (connected), but one that has
            # also closed by then gives ERROR_NO_DATA, which is not what this test is about.
            client.write(b"one message")
            thread.join(10)
        assert not thread.is_alive()
        assert got == [b"one message"]


def _open_when_listening(path: str) -> sh.File:
    for _ in range(200):
        try:
            return sh.File.open(path, access="rw")
        except OSError as error:  # not listening yet: no instance, or one not yet connecting
            if probes.winerror(error) not in (2, 231):
                raise
            threading.Event().wait(0.01)
    raise AssertionError("the server never listened")


def test_message_mode_reads_long_messages_in_parts(name: str) -> None:
    path = rf"\\.\pipe\{name}"
    with (
        sh.NamedPipeServer.create(path, message_mode=True) as server,
        sh.File.open(path, access="w") as client,
    ):
        server.connect()
        client.write(b"0123456789")
        assert server.read(4) == b"0123"  # ERROR_MORE_DATA: the rest follows
        assert server.read(100) == b"456789"


@pytest.mark.wine_differs("FILE_FLAG_FIRST_PIPE_INSTANCE is ignored: the second create succeeds")
def test_first_instance_fails_when_the_pipe_exists(name: str) -> None:
    path = rf"\\.\pipe\{name}"
    with sh.NamedPipeServer.create(path, first_instance=True):
        before = probes.open_handles()
        with pytest.raises(PermissionError, match="CreateNamedPipeW") as caught:
            sh.NamedPipeServer.create(path, first_instance=True).close()
        assert probes.winerror(caught.value) == 5
        assert probes.open_handles() <= before


def test_one_instance_too_many_is_pipe_busy(name: str) -> None:
    path = rf"\\.\pipe\{name}"
    with (
        sh.NamedPipeServer.create(path, max_instances=1),
        pytest.raises(OSError, match="CreateNamedPipeW") as caught,
    ):
        sh.NamedPipeServer.create(path, max_instances=1)
    assert probes.winerror(caught.value) == 231  # ERROR_PIPE_BUSY


def test_opening_a_missing_pipe_raises_file_not_found(name: str) -> None:
    with pytest.raises(FileNotFoundError):
        sh.File.open(rf"\\.\pipe\{name}", access="rw")


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"max_instances": 0}, ValueError),
        ({"max_instances": 256}, ValueError),
        ({"buffer_size": -1}, ValueError),
        ({"direction": 7}, ValueError),
        ({"default_timeout": -1}, ValueError),
    ],
)
def test_named_pipe_bad_arguments(name: str, kwargs: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        sh.NamedPipeServer.create(rf"\\.\pipe\{name}", **kwargs)


def test_named_pipe_name_checks() -> None:
    with pytest.raises(ValueError, match="NUL"):
        sh.NamedPipeServer.create("\\\\.\\pipe\\a\0b")
    with pytest.raises(TypeError):
        sh.NamedPipeServer.create(None)  # type: ignore[arg-type]


def test_closed_server_raises_object_disposed(name: str) -> None:
    server = sh.NamedPipeServer.create(rf"\\.\pipe\{name}")
    server.close()
    for operation in (server.connect, server.disconnect, server.read, server.peek):
        with pytest.raises(sh.ObjectDisposedError):
            operation()


# -- mailslots -----------------------------------------------------------------------------


def test_mailslot_reads_whole_messages_from_clients(name: str) -> None:
    path = rf"\\.\mailslot\{name}"
    with sh.Mailslot.create(path, read_timeout=0) as slot:
        assert slot.read_message() is None  # nothing waiting: the read timeout is 0
        info = slot.info()
        assert (info.next_size, info.message_count, info.read_timeout) == (None, 0, 0)
        with sh.File.open(path, access="w", share=sh.FileShare.READ) as client:
            client.write(b"first")
            client.write(b"second message")
        info = slot.info()
        assert info.next_size == 5
        assert info.message_count >= 1
        assert slot.read_message() == b"first"
        assert slot.read_message() == b"second message"
        assert slot.read_message() is None


@pytest.mark.wine_differs("GetMailslotInfo reports at most one waiting message")
def test_mailslot_info_counts_every_waiting_message(name: str) -> None:
    path = rf"\\.\mailslot\{name}"
    with sh.Mailslot.create(path, read_timeout=0) as slot:
        with sh.File.open(path, access="w", share=sh.FileShare.READ) as client:
            client.write(b"first")
            client.write(b"second")
        assert slot.info().message_count == 2


def test_mailslot_read_timeout_is_settable(name: str) -> None:
    with sh.Mailslot.create(rf"\\.\mailslot\{name}", max_message_size=100) as slot:
        assert slot.read_timeout is None
        assert slot.info().max_message_size == 100
        slot.read_timeout = 0.05
        assert slot.read_timeout == 0.05
        assert slot.read_message() is None


def test_a_second_mailslot_of_the_same_name_fails(name: str) -> None:
    path = rf"\\.\mailslot\{name}"
    with sh.Mailslot.create(path):
        before = probes.open_handles()
        with pytest.raises(FileExistsError, match="CreateMailslotW") as caught:
            sh.Mailslot.create(path)
        assert probes.winerror(caught.value) == 183
        assert probes.open_handles() <= before


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: sh.Mailslot.create("\\\\.\\mailslot\\a\0b"), ValueError),
        (lambda: sh.Mailslot.create(None), TypeError),  # type: ignore[arg-type]
        (lambda: sh.Mailslot.create("\\\\.\\mailslot\\x", max_message_size=-1), ValueError),
        (lambda: sh.Mailslot.create("\\\\.\\mailslot\\x", read_timeout=-1), ValueError),
    ],
)
def test_mailslot_bad_arguments(call: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        call()
