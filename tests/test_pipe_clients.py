"""Named-pipe clients (File.open_pipe: CreateFileW and WaitNamedPipeW, SetNamedPipeHandleState,
TransactNamedPipe) and what a server learns of its client (GetNamedPipeClientProcessId,
ImpersonateNamedPipeClient/RevertToSelf), against the real OS."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest

import safehandles as sh
from tests import probes
from tests.children import python_code

pytestmark = pytest.mark.windows


@pytest.fixture
def path() -> str:
    return rf"\\.\pipe\safehandles-test-{uuid.uuid4()}"


def _serve_one(server: sh.NamedPipeServer, reply: bytes) -> threading.Thread:
    """A server thread that connects, reads one request and answers it with *reply*."""

    def serve() -> None:
        server.connect()
        server.read()
        server.write(reply)

    thread = threading.Thread(target=serve)
    thread.start()
    return thread


def test_open_pipe_waits_for_a_free_instance(path: str) -> None:
    with sh.NamedPipeServer.create(path, max_instances=1) as server:
        first = sh.File.open_pipe(path)
        server.connect()

        def free_the_instance() -> None:
            time.sleep(0.3)
            first.close()
            server.disconnect()
            server.connect()  # listens again: the waiting client gets this instance

        thread = threading.Thread(target=free_the_instance)
        thread.start()
        try:
            with pytest.raises(OSError, match="CreateFileW") as busy:
                sh.File.open(path, access="rw")  # what a client without waiting gets
            assert probes.winerror(busy.value) == 231  # ERROR_PIPE_BUSY
            started = time.perf_counter()
            with sh.File.open_pipe(path, timeout=10) as second:
                waited = time.perf_counter() - started
                thread.join(10)
                second.write(b"hello")
                assert server.read() == b"hello"
        finally:
            thread.join(10)
        assert waited >= 0.2


@pytest.mark.parametrize("timeout", [0, 0.3])
def test_open_pipe_times_out_on_a_busy_pipe(path: str, timeout: float) -> None:
    with sh.NamedPipeServer.create(path, max_instances=1) as server, sh.File.open_pipe(path):
        server.connect()
        before = probes.open_handles()
        started = time.perf_counter()
        with pytest.raises(TimeoutError, match="WaitNamedPipeW") as caught:
            sh.File.open_pipe(path, timeout=timeout)
        assert time.perf_counter() - started >= timeout * 0.9
        assert probes.winerror(caught.value) == 121  # ERROR_SEM_TIMEOUT
        assert probes.open_handles() <= before


def test_open_pipe_of_a_missing_pipe_raises_file_not_found_at_once(path: str) -> None:
    started = time.perf_counter()
    with pytest.raises(FileNotFoundError):
        sh.File.open_pipe(path, timeout=5)
    assert time.perf_counter() - started < 2


def test_message_mode_client_reads_one_message_at_a_time(path: str) -> None:
    with (
        sh.NamedPipeServer.create(path, message_mode=True) as server,
        sh.File.open_pipe(path, message_mode=True) as client,
    ):
        server.connect()
        server.write(b"first")
        server.write(b"second")
        assert client.read(100) == b"first"
        assert client.read(3) == b"sec"  # the rest of the message follows
        assert client.read(100) == b"ond"
        client.set_read_mode(message=False)
        server.write(b"ab")
        server.write(b"cd")
        time.sleep(0.05)
        assert client.read(100) == b"abcd"  # byte mode runs messages together


def test_message_mode_on_a_byte_pipe_fails_and_leaves_nothing_open(path: str) -> None:
    with sh.NamedPipeServer.create(path) as server:
        before = probes.open_handles()
        with pytest.raises(OSError, match="SetNamedPipeHandleState"):
            sh.File.open_pipe(path, message_mode=True)
        assert probes.open_handles() <= before
        del server


def test_server_reads_the_client_process_id(path: str) -> None:
    with sh.NamedPipeServer.create(path) as server, sh.File.open_pipe(path):
        server.connect()
        assert server.client_process_id() == os.getpid()


def test_server_reads_a_child_client_process_id(path: str) -> None:
    code = python_code(
        f"import safehandles as sh\nwith sh.File.open_pipe({path!r}, timeout=30) as c:\n"
        "    c.write(b'hi')\n    c.read()\n"
    )
    with sh.NamedPipeServer.create(path) as server:
        child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.DEVNULL)
        try:
            server.connect()
            assert server.read() == b"hi"
            assert server.client_process_id() == child.pid
            server.write(b"bye")
        finally:
            assert child.wait(60) == 0


def test_impersonating_the_client_for_a_with_block(path: str) -> None:
    with sh.AccessToken.open_process() as own:
        me = own.user_sid
    with sh.NamedPipeServer.create(path) as server, sh.File.open_pipe(path) as client:
        server.connect()
        client.write(b"x")
        assert server.read() == b"x"  # Windows impersonates only after a read
        with server.impersonate_client(), sh.AccessToken.open_thread() as token:
            assert token.user_sid == me  # the client is this process's user
        with pytest.raises(OSError, match="OpenThreadToken") as caught:
            sh.AccessToken.open_thread()
        assert probes.winerror(caught.value) == 1008  # ERROR_NO_TOKEN: reverted
        with pytest.raises(ZeroDivisionError), server.impersonate_client():
            _ = 1 / 0
        with pytest.raises(OSError, match="OpenThreadToken"):
            sh.AccessToken.open_thread()  # reverted after an exception too


@pytest.mark.wine_differs("ImpersonateNamedPipeClient succeeds before the server has read from the pipe")
def test_impersonating_before_a_read_raises_cannot_impersonate(path: str) -> None:
    with sh.NamedPipeServer.create(path) as server, sh.File.open_pipe(path):
        server.connect()
        with (
            pytest.raises(OSError, match="ImpersonateNamedPipeClient") as caught,
            server.impersonate_client(),
        ):
            pass
        assert probes.winerror(caught.value) == 1368  # ERROR_CANNOT_IMPERSONATE


@pytest.mark.parametrize("overlapped", [False, True])
def test_transact_writes_and_reads_in_one_call(path: str, overlapped: bool) -> None:
    with sh.NamedPipeServer.create(path, message_mode=True) as server:
        thread = _serve_one(server, b"pong" * 10)
        try:
            with sh.File.open_pipe(path, timeout=10, message_mode=True, overlapped=overlapped) as client:
                assert client.transact(b"ping", size=16) == b"pong" * 4  # the first 16 bytes
                assert client.read(100) == b"pong" * 6  # and the rest
        finally:
            thread.join(10)


def test_transact_on_a_byte_mode_pipe_raises_bad_pipe(path: str) -> None:
    with sh.NamedPipeServer.create(path) as server, sh.File.open_pipe(path) as client:
        server.connect()
        with pytest.raises(OSError, match="TransactNamedPipe") as caught:
            client.transact(b"ping")
        assert probes.winerror(caught.value) == 230  # ERROR_BAD_PIPE


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"timeout": -1}, ValueError),
        ({"timeout": "1"}, TypeError),
        ({"access": "x"}, ValueError),
    ],
)
def test_open_pipe_bad_arguments(path: str, kwargs: dict[str, object], error: type[Exception]) -> None:
    with sh.NamedPipeServer.create(path), pytest.raises(error):
        sh.File.open_pipe(path, **kwargs)  # type: ignore[arg-type]


def test_open_pipe_name_must_be_a_str() -> None:
    with pytest.raises(TypeError):
        sh.File.open_pipe(b"\\\\.\\pipe\\x")  # type: ignore[arg-type]


def test_transact_bad_arguments(path: str) -> None:
    with sh.NamedPipeServer.create(path, message_mode=True), sh.File.open_pipe(path, message_mode=True) as c:
        with pytest.raises(ValueError, match="size"):
            c.transact(b"x", size=0)
        with pytest.raises(TypeError):
            c.transact("text")  # type: ignore[arg-type]


def test_ctrl_c_interrupts_the_wait_for_a_free_instance(path: str) -> None:
    def fire() -> None:
        time.sleep(0.3)
        signal.raise_signal(signal.SIGINT)

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with sh.NamedPipeServer.create(path, max_instances=1) as server, sh.File.open_pipe(path):
            server.connect()
            before = probes.open_handles()
            thread = threading.Thread(target=fire)
            thread.start()
            started = time.perf_counter()
            try:
                with pytest.raises(KeyboardInterrupt):
                    sh.File.open_pipe(path, timeout=5)
            finally:
                thread.join()
            assert time.perf_counter() - started < 2
            # No pipe handle was left open (the signalling thread's own locks are semaphores on 3.11).
            assert not {v for v in probes.open_handles() - before if probes.type_name(v) == "File"}
    finally:
        signal.signal(signal.SIGINT, previous)
