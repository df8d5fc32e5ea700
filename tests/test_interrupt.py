"""Ctrl+C in the main thread interrupts every blocking wait; timeouts keep their meaning.

A real Ctrl+C is ``signal.raise_signal(SIGINT)`` from another thread: CPython's C-level
handler runs there, and the Python handler runs in the main thread at its next bytecode.
These tests run in pytest's main thread. Every wait gets a way out (a timeout, or the
signalling thread making the wait succeed 5 s on), so a wait that Ctrl+C cannot interrupt
fails its test instead of hanging the run.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import FrameType
from typing import Any, Final

import pytest

import safehandles as sh
from safehandles._bindings._native import kernel32
from safehandles._kinds._files import _completion_port as completion_port_module
from safehandles._kinds._files import _pipe as pipe_module
from safehandles._win32 import _interruptible
from tests import probes

pytestmark = pytest.mark.windows

#: When SIGINT is raised, into a wait of 5 s.
SIGNAL_AFTER: Final = 0.3
#: How soon after SIGINT KeyboardInterrupt must arrive: the 100 ms promised, plus slack
#: for the scheduling of a loaded machine (a slice is 50 ms; Wine adds a few ms).
LATENCY: Final = 0.1 + 0.05
#: How long the signalling thread lets a wait without timeout run before it ends the wait
#: itself (so the old, uninterruptible code fails the test instead of hanging it).
WAY_OUT: Final = 5.0

_pipe_names = itertools.count()


@pytest.fixture(autouse=True)
def default_sigint_handler() -> Iterator[None]:
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@dataclass
class Signaller:
    """A thread that raises SIGINT *delay* s on, and ends the wait with *way_out* after WAY_OUT s."""

    delay: float = SIGNAL_AFTER
    way_out: Callable[[], object] | None = None
    raised_at: float = 0.0
    finished: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        time.sleep(self.delay)
        self.raised_at = time.perf_counter()
        signal.raise_signal(signal.SIGINT)
        if not self.finished.wait(WAY_OUT) and self.way_out is not None:
            self.way_out()


@contextlib.contextmanager
def sigint(delay: float = SIGNAL_AFTER, way_out: Callable[[], object] | None = None) -> Iterator[Signaller]:
    """SIGINT *delay* s into the block. The block ends only once the signal was raised, so the
    KeyboardInterrupt is raised inside it even when the wait in it returned early."""
    signaller = Signaller(delay, way_out)
    thread = threading.Thread(target=signaller.run)
    thread.start()
    try:
        yield signaller
    finally:
        signaller.finished.set()
        thread.join()


def interrupt(
    wait: Callable[[], object], way_out: Callable[[], object] | None = None, delay: float = SIGNAL_AFTER
) -> float:
    """Run *wait* with SIGINT raised into it: assert KeyboardInterrupt; return its latency."""
    with pytest.raises(KeyboardInterrupt), sigint(delay, way_out) as signaller:
        wait()
    return time.perf_counter() - signaller.raised_at


# -- one entry per blocking wait: how to block in it, and how to make it succeed ---------


@dataclass
class Blocker:
    """A wait that blocks until *release* makes it succeed; *wait(timeout)* is True on success."""

    wait: Callable[[float | None], bool]
    release: Callable[[], object]
    handles: list[sh.KernelHandle]
    cleanup: list[Callable[[], object]] = field(default_factory=list)

    def close(self) -> None:
        for step in self.cleanup:
            step()
        for handle in self.handles:
            handle.close()


def _event() -> Blocker:
    event = sh.Event.create()
    return Blocker(event.wait, event.set, [event])


def _semaphore() -> Blocker:
    semaphore = sh.Semaphore.create(0, 1)

    def acquire(timeout: float | None) -> bool:
        with semaphore.acquire(timeout):
            return True

    return Blocker(acquire, semaphore.release, [semaphore])


def _owned_elsewhere(mutex: sh.Mutex) -> tuple[Callable[[], None], Callable[[], None]]:
    """A thread that owns *mutex* until the first function is called; the second joins it."""
    owned, stop = threading.Event(), threading.Event()

    def own() -> None:
        with mutex.acquire(timeout=5):
            owned.set()
            stop.wait(30)

    thread = threading.Thread(target=own)
    thread.start()
    assert owned.wait(5)
    return stop.set, thread.join


def _mutex() -> Blocker:
    mutex = sh.Mutex.create()
    release, join = _owned_elsewhere(mutex)

    def acquire(timeout: float | None) -> bool:
        with mutex.acquire(timeout):
            return True

    return Blocker(acquire, release, [mutex], [release, join])


def _wait_any() -> Blocker:
    a, b = sh.Event.create(), sh.Event.create()
    return Blocker(lambda timeout: sh.wait_any([a, b], timeout) is not None, b.set, [a, b])


def _wait_all() -> Blocker:
    a, b = sh.Event.create(manual_reset=True), sh.Event.create(manual_reset=True)
    a.set()
    return Blocker(lambda timeout: sh.wait_all([a, b], timeout), b.set, [a, b])


def _completion_port() -> Blocker:
    port = sh.IoCompletionPort.create()
    return Blocker(lambda timeout: port.get(timeout) is not None, lambda: port.post(key=1), [port])


def _thread() -> Blocker:
    stop = sh.Event.create(manual_reset=True)
    worker = threading.Thread(target=stop.wait, args=(30,))
    worker.start()
    thread = sh.Thread.open(worker.native_id)  # type: ignore[arg-type]  # set once started
    return Blocker(thread.wait, stop.set, [thread, stop], [stop.set, worker.join])


def _process() -> Blocker:
    child = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    process = sh.Process.open(child.pid, access=sh.ProcessAccess.SYNCHRONIZE | sh.ProcessAccess.TERMINATE)
    return Blocker(process.wait, process.terminate, [process], [child.kill, child.wait])


WAITS: Final[dict[str, Callable[[], Blocker]]] = {
    "Event.wait": _event,
    "Semaphore.acquire": _semaphore,
    "Mutex.acquire": _mutex,
    "wait_any": _wait_any,
    "wait_all": _wait_all,
    "IoCompletionPort.get": _completion_port,
    "Thread.wait": _thread,
    "Process.wait": _process,
}


@pytest.fixture(params=sorted(WAITS))
def blocker(request: pytest.FixtureRequest) -> Iterator[Blocker]:
    made = WAITS[request.param]()
    try:
        yield made
    finally:
        made.close()


@pytest.mark.parametrize("timeout", [5, None], ids=["timeout=5", "no-timeout"])
def test_ctrl_c_interrupts_the_wait_and_leaves_the_handle_usable(
    blocker: Blocker, timeout: float | None
) -> None:
    values = [handle.dangerous_get_handle() for handle in blocker.handles]
    latency = interrupt(lambda: blocker.wait(timeout), way_out=blocker.release)
    assert latency < LATENCY
    assert all(probes.is_open(value) for value in values)
    assert not any(handle.is_closed for handle in blocker.handles)
    # Nothing was taken by the interrupted wait: it succeeds as soon as released.
    blocker.release()
    assert blocker.wait(1) is True


class _SignalBeforeConnect:
    """kernel32 as the pipe module sees it: SIGINT is raised in the thread about to call
    ``ConnectNamedPipe``, *pause* s before it calls (the real call is made)."""

    def __init__(self, real: Any, pause: float) -> None:
        self._real = real
        self._pause = pause
        self.raised_at = 0.0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def ConnectNamedPipe(self, *args: Any) -> Any:
        self.raised_at = time.perf_counter()
        signal.raise_signal(signal.SIGINT)
        time.sleep(self._pause)
        return self._real.ConnectNamedPipe(*args)


@pytest.mark.handle_leaks
@pytest.mark.parametrize("pause", [0, 0.01, 0.2])
def test_ctrl_c_before_the_helper_is_inside_connect_still_ends_it(
    monkeypatch: pytest.MonkeyPatch, pause: float
) -> None:
    # The interrupt reaches the main thread before the helper thread is inside the call, so
    # the first cancels find nothing to cancel (ERROR_NOT_FOUND): they are retried until the
    # call is there to end. Without that retry this connect would wait for a client.
    path = rf"\\.\pipe\safehandles-interrupt-{os.getpid()}-{next(_pipe_names)}"
    patched = _SignalBeforeConnect(kernel32, pause)
    monkeypatch.setattr(pipe_module, "kernel32", patched)
    clients: list[sh.File] = []
    finished = threading.Event()

    def way_out() -> None:  # only if the cancel was lost: a client ends the wait
        if not finished.wait(WAY_OUT):
            with contextlib.suppress(OSError):
                clients.append(sh.File.open(path, access="rw"))

    with sh.NamedPipeServer.create(path) as server:
        rescuer = threading.Thread(target=way_out)
        rescuer.start()
        with pytest.raises(KeyboardInterrupt):
            server.connect()
        latency = time.perf_counter() - patched.raised_at
        finished.set()
        monkeypatch.undo()
        assert not clients
        assert latency < pause + LATENCY
        with sh.File.open(path, access="rw"):  # the instance is still there to connect
            server.connect()
    rescuer.join()
    for client in clients:
        client.close()


@pytest.mark.handle_leaks
def test_a_mutex_interrupted_while_waiting_is_not_owned() -> None:
    with sh.Mutex.create() as mutex:
        release, join = _owned_elsewhere(mutex)
        try:
            assert interrupt(lambda: mutex.acquire(timeout=5), way_out=release) < LATENCY
            with pytest.raises(OSError, match="ReleaseMutex") as caught:
                mutex.release()  # this thread does not own it
            assert probes.winerror(caught.value) == 288  # ERROR_NOT_OWNER
        finally:
            release()
            join()
        with mutex.acquire(timeout=1):  # the owner's release made it free, not ours
            pass


@pytest.mark.handle_leaks  # the helper thread's own handle and its event are closed too
def test_ctrl_c_interrupts_connect_and_the_pipe_serves_a_client_after() -> None:
    path = rf"\\.\pipe\safehandles-interrupt-{os.getpid()}-{next(_pipe_names)}"
    with sh.NamedPipeServer.create(path) as server:
        value = server.dangerous_get_handle()
        clients: list[sh.File] = []
        latency = interrupt(server.connect, way_out=lambda: clients.append(sh.File.open(path, access="rw")))
        for client in clients:  # only if the interrupt did not work
            client.close()
        assert latency < LATENCY
        assert probes.is_open(value)
        # The cancelled ConnectNamedPipe left the instance listening: a client gets through.
        with sh.File.open(path, access="rw") as client:
            server.connect()
            client.write(b"ping")
            assert server.read(4) == b"ping"


def test_ctrl_c_interrupts_an_overlapped_connect_and_read_and_cancels_them_in_the_kernel() -> None:
    from safehandles._win32._in_flight import in_flight

    path = rf"\\.\pipe\safehandles-interrupt-{os.getpid()}-{next(_pipe_names)}"
    with sh.NamedPipeServer.create(path, overlapped=True) as server:
        clients: list[sh.File] = []
        latency = interrupt(server.connect, way_out=lambda: clients.append(sh.File.open(path, access="rw")))
        assert latency < LATENCY
        assert not clients
        assert id(server) not in in_flight  # the cancelled connect is over
        with sh.File.open(path, access="rw") as client:
            server.connect()
            latency = interrupt(lambda: server.read(10), way_out=lambda: client.write(b"way out"))
            assert latency < LATENCY
            # The interrupted read was cancelled before KeyboardInterrupt: it took nothing.
            client.write(b"ping")
            assert server.read(10) == b"ping"


# -- timeouts keep their meaning ------------------------------------------------------


def test_a_handler_that_does_not_raise_lets_the_wait_run_to_its_timeout() -> None:
    calls: list[float] = []

    def note(signum: int, frame: FrameType | None) -> None:
        calls.append(time.perf_counter())

    signal.signal(signal.SIGINT, note)
    with sh.Event.create() as event:
        start = time.perf_counter()
        with sigint(0.2) as signaller:
            result = event.wait(0.6)
        elapsed = time.perf_counter() - start
    assert result is False
    assert elapsed >= 0.6
    assert elapsed < 0.6 + 0.1
    # The handler ran while the wait went on, not once it was over.
    assert len(calls) == 1
    assert calls[0] - signaller.raised_at < LATENCY


def test_a_sliced_wait_takes_exactly_what_one_wait_takes() -> None:
    # Released 0.25 s into the main thread's wait, i.e. between or during its slices.
    with sh.Semaphore.create(0, 5) as semaphore, sh.Event.create() as event:

        def release() -> None:
            semaphore.release(2)
            event.set()

        timer = threading.Timer(0.25, release)
        timer.start()
        try:
            start = time.perf_counter()
            with semaphore.acquire(timeout=5):
                assert time.perf_counter() - start < 0.25 + LATENCY
                assert event.wait(5) is True
        finally:
            timer.join()
        assert event.wait(0) is False  # the auto-reset event's one signal was taken once
        assert semaphore.release() == 2  # one of the two units taken, and given back by the guard


@pytest.mark.parametrize("timeout", [0.2, 0.123, 0.05, 0.001])
@pytest.mark.parametrize("kind", ["Event.wait", "wait_any", "IoCompletionPort.get"])
def test_a_timeout_is_exact_in_the_main_thread(kind: str, timeout: float) -> None:
    made = WAITS[kind]()
    try:
        elapsed = []
        for _ in range(3):
            start = time.perf_counter()
            assert made.wait(timeout) is False
            elapsed.append(time.perf_counter() - start)
        assert all(timeout <= each for each in elapsed)  # never shorter than asked
        # Never a slice longer either; the best of three, as a loaded machine may delay one run.
        assert min(elapsed) < timeout + 0.05, elapsed
    finally:
        made.close()


# -- off the main thread a wait is one native call ---------------------------------------


class _CountingKernel32:
    """kernel32 as _interruptible sees it, counting each wait function's calls (the real ones run)."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.calls: list[tuple[str, int]] = []

    def __getattr__(self, name: str) -> Any:
        function = getattr(self._real, name)

        def counted(*args: Any) -> Any:
            self.calls.append((name, threading.get_ident()))
            return function(*args)

        return counted


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> _CountingKernel32:
    counting = _CountingKernel32(kernel32)
    for module in (_interruptible, completion_port_module, pipe_module):
        monkeypatch.setattr(module, "kernel32", counting)
    return counting


def test_the_main_thread_waits_in_slices(counted: _CountingKernel32) -> None:
    with sh.Event.create() as event, sh.Event.create() as other:
        assert event.wait(0.5) is False
        assert sh.wait_any([event, other], 0.5) is None
    singles = [name for name, _ in counted.calls if name == "WaitForSingleObject"]
    multiples = [name for name, _ in counted.calls if name == "WaitForMultipleObjects"]
    assert len(singles) >= 0.5 * 1000 / _interruptible.SLICE_MS
    assert len(multiples) >= 0.5 * 1000 / _interruptible.SLICE_MS


def test_off_the_main_thread_a_wait_is_one_call_that_sigint_leaves_alone(
    counted: _CountingKernel32,
) -> None:
    calls: list[float] = []
    signal.signal(signal.SIGINT, lambda signum, frame: calls.append(time.perf_counter()))
    results: list[object] = []
    with sh.Event.create() as event, sh.Event.create() as other, sh.IoCompletionPort.create() as port:

        def waits() -> None:
            results.append(event.wait(0.6))
            results.append(sh.wait_all([event, other], 0.3))
            results.append(port.get(0.3))
            event.set()  # and a wait that succeeds returns at once
            start = time.perf_counter()
            results.append(event.wait(5))
            results.append(time.perf_counter() - start)

        worker = threading.Thread(target=waits)
        with sigint(0.2):
            worker.start()
            worker.join()
    assert results[:4] == [False, False, None, True]
    assert results[4] < 0.1  # type: ignore[operator]
    mine = [name for name, ident in counted.calls if ident == worker.ident]
    assert mine == [
        "WaitForSingleObject",
        "WaitForMultipleObjects",
        "GetQueuedCompletionStatus",
        "WaitForSingleObject",
    ]
    assert len(calls) == 1  # the handler ran in the main thread, the worker never saw it


def test_connect_in_the_main_thread_runs_on_a_helper_and_elsewhere_in_place(
    counted: _CountingKernel32,
) -> None:
    path = rf"\\.\pipe\safehandles-interrupt-{os.getpid()}-{next(_pipe_names)}"
    with sh.NamedPipeServer.create(path) as server:
        worker = threading.Thread(target=server.connect)
        worker.start()
        time.sleep(0.2)
        with sh.File.open(path, access="rw"):
            worker.join(5)
        assert not worker.is_alive()
        server.disconnect()
        with (
            sigint(0.2, way_out=lambda: sh.File.open(path, access="rw").close()),
            contextlib.suppress(KeyboardInterrupt),
        ):
            server.connect()
    connects = [ident for name, ident in counted.calls if name == "ConnectNamedPipe"]
    assert len(connects) == 2
    assert connects[0] == worker.ident  # off the main thread: the one plain call, right there
    assert connects[1] not in (worker.ident, threading.get_ident())  # main thread: on a helper
    assert ("CancelSynchronousIo", threading.get_ident()) in counted.calls
