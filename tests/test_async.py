"""Awaiting handles and overlapped I/O (issue 8), on real handles under Wine.

Each test runs its coroutine on both of asyncio's Windows loops: the default
``ProactorEventLoop`` and ``SelectorEventLoop``. What a test checks about
lifetimes it checks in the OS: that the native handle is open while an
operation holds it and gone once the last completion is reported.
"""

from __future__ import annotations

import asyncio
import gc
import math
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

import safehandles as sh
from tests.children import run_python

pytestmark = pytest.mark.windows

T = TypeVar("T")

LOOPS: dict[str, Callable[[], asyncio.AbstractEventLoop]] = {}
if sys.platform == "win32":
    LOOPS = {"proactor": asyncio.ProactorEventLoop, "selector": asyncio.SelectorEventLoop}
else:  # collected (and skipped) elsewhere
    LOOPS = {"proactor": asyncio.new_event_loop, "selector": asyncio.new_event_loop}


@pytest.fixture(params=sorted(LOOPS))
def run(request: pytest.FixtureRequest) -> Callable[[Coroutine[Any, Any, T]], T]:
    factory = LOOPS[request.param]

    def runner(coroutine: Coroutine[Any, Any, T]) -> T:
        loop = factory()  # asyncio.Runner(loop_factory=...) is 3.11 and later
        try:
            return loop.run_until_complete(coroutine)
        finally:
            loop.close()

    return runner


def _idle() -> None:
    """Wait until the library's threads have ended (they end once idle)."""
    from safehandles._async._port import dispatcher
    from safehandles._async._waits import wait_threads

    deadline = time.monotonic() + 5
    while (wait_threads() or dispatcher.thread is not None) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert wait_threads() == 0
    assert dispatcher.thread is None


def _assert_no_growth(before: Counter[str]) -> None:
    """No object type has more handles than *before* (CPython 3.11's own locks may have gone).

    Given a few seconds: an ended thread's last handles (its Winsock event under Wine) go
    when the OS thread exits, a little after the library stopped counting it.
    """
    deadline = time.monotonic() + 5
    while True:
        grown = sh.handle_census()
        grown.subtract(before)
        if all(count <= 0 for count in grown.values()) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert all(count <= 0 for count in grown.values()), +grown


# Released is checked through the object's name, not its handle value: Wine reuses a freed
# value at once, and the library's threads (Winsock's event, a thread's locks) may take it.


def _named_event() -> tuple[sh.Event, str]:
    name = f"Local\\safehandles-async-{uuid.uuid4()}"
    return sh.Event.create(name=name), name


def _event_released(name: str) -> bool:
    """No handle to the named event is left: it no longer exists."""
    try:
        sh.Event.open(name).close()
    except FileNotFoundError:
        return True
    return False


def _pipe_released(name: str) -> bool:
    """No server instance of the pipe is left: the name no longer exists."""
    try:
        sh.File.open(name, access="rw").close()
    except FileNotFoundError:
        return True
    except OSError:  # busy: an instance is still there
        return False
    return False


def _pipe_pair(*, message: bool = False) -> tuple[sh.NamedPipeServer, sh.File]:
    server, client, _ = _named_pipe_pair(message=message)
    return server, client


def _named_pipe_pair(*, message: bool = False) -> tuple[sh.NamedPipeServer, sh.File, str]:
    name = rf"\\.\pipe\safehandles-async-{uuid.uuid4()}"
    server = sh.NamedPipeServer.create(name, message_mode=message, overlapped=True)
    client = sh.File.open(name, access="rw", overlapped=True)
    server.connect()  # the client is there already: ERROR_PIPE_CONNECTED
    return server, client, name


@pytest.fixture
def pipe() -> Iterator[tuple[sh.NamedPipeServer, sh.File]]:
    server, client = _pipe_pair()
    with server, client:
        yield server, client


# -- waits ------------------------------------------------------------------------------


def _discard(_: object) -> None:
    pass


def _signalled_later(kind: str, tmp_path: Path) -> tuple[sh.WaitableHandle, Callable[[], None], list[Any]]:
    """A handle of *kind*, unsignalled, and what signals it."""
    keep: list[Any] = []
    if kind == "event":
        event = sh.Event.create()
        return event, event.set, keep
    if kind == "semaphore":
        semaphore = sh.Semaphore.create(0, 1)
        return semaphore, lambda: _discard(semaphore.release()), keep
    if kind == "timer":
        timer = sh.WaitableTimer.create()
        return timer, lambda: timer.set(0.05), keep
    if kind == "process":
        spawned = sh.Process.spawn([sys.executable, "-c", "import time; time.sleep(0.3)"])
        spawned.thread.close()
        return spawned.process, lambda: None, keep
    if kind == "change notification":
        watch = sh.ChangeNotification.watch(tmp_path, sh.ChangeFilter.FILE_NAME)
        return watch, lambda: _discard((tmp_path / "new.txt").write_text("x")), keep
    if kind == "thread":
        go = threading.Event()
        worker = threading.Thread(target=go.wait, args=(10,))
        worker.start()
        keep.append(worker)
        assert worker.native_id is not None
        return sh.Thread.open(worker.native_id), go.set, keep
    raise AssertionError(kind)


WAITABLE = ["event", "semaphore", "timer", "process", "thread", "change notification"]


def test_wait_async_agrees_with_a_memory_notifications_state(
    run: Callable[[Coroutine[Any, Any, Any]], Any],
) -> None:
    for condition in (sh.MemoryCondition.LOW, sh.MemoryCondition.HIGH):
        with sh.MemoryResourceNotification.create(condition) as note:
            assert run(note.wait_async(timeout=0.1)) is note.is_signalled


@pytest.mark.parametrize("kind", WAITABLE)
def test_wait_async_returns_true_once_signalled_while_the_loop_runs(
    kind: str, tmp_path: Path, run: Callable[[Coroutine[Any, Any, Any]], Any]
) -> None:
    handle, signal, _ = _signalled_later(kind, tmp_path)
    with handle:

        async def main() -> tuple[bool, int]:
            ticks = 0

            async def tick() -> None:
                nonlocal ticks
                while True:
                    await asyncio.sleep(0.01)
                    ticks += 1

            ticker = asyncio.create_task(tick())
            asyncio.get_running_loop().call_later(0.1, signal)
            result = await handle.wait_async(timeout=10)
            ticker.cancel()
            return result, ticks

        result, ticks = run(main())
        assert result is True
        assert ticks >= 3  # the loop ran other work during the wait


def test_wait_async_times_out_with_false(run: Callable[[Coroutine[Any, Any, Any]], Any]) -> None:
    with sh.Event.create() as event:
        start = time.monotonic()
        assert run(event.wait_async(timeout=0.2)) is False
        assert 0.2 <= time.monotonic() - start < 1.0
        assert run(event.wait_async(timeout=0)) is False  # a poll
        event.set()
        assert run(event.wait_async(timeout=0)) is True


def test_mutex_and_bad_handles_are_refused_before_anything_is_held(
    run: Callable[[Coroutine[Any, Any, Any]], Any],
) -> None:
    with sh.Mutex.create() as mutex, sh.Event.create() as event:
        with pytest.raises(TypeError, match="Mutex cannot be awaited"):
            run(mutex.wait_async())
        with pytest.raises(TypeError, match="Mutex cannot be awaited"):
            run(sh.wait_any_async([event, mutex]))
        with pytest.raises(TypeError, match="waitable"):
            run(sh.wait_any_async([event, 5]))  # type: ignore[list-item]
        with pytest.raises(ValueError, match="1 to 63"):
            run(sh.wait_any_async([]))
        with pytest.raises(ValueError, match="1 to 63"):
            run(sh.wait_any_async([event] * 64))
        with pytest.raises(ValueError, match="timeout"):
            run(event.wait_async(timeout=-1))
        event.close()
        with pytest.raises(sh.ObjectDisposedError):
            run(event.wait_async(timeout=1))


def test_wait_any_async_consumes_exactly_one_signal(run: Callable[[Coroutine[Any, Any, Any]], Any]) -> None:
    with sh.Event.create() as first, sh.Event.create() as second, sh.Semaphore.create(0, 2) as semaphore:
        second.set()
        semaphore.release()
        assert run(sh.wait_any_async([first, second, semaphore], timeout=5)) == 1
        assert second.wait(0) is False  # the auto-reset event's signal was taken
        assert semaphore.wait(0) is True  # the semaphore's count was not
        assert run(sh.wait_any_async([first], timeout=0.05)) is None


def test_waits_on_the_same_handle_share_it_as_windows_does(
    run: Callable[[Coroutine[Any, Any, Any]], Any],
) -> None:
    with sh.Event.create(manual_reset=True) as gate, sh.Semaphore.create(0, 5) as semaphore:

        async def main() -> tuple[list[bool], list[bool]]:
            gated = [asyncio.create_task(gate.wait_async(5)) for _ in range(3)]
            counted = [asyncio.create_task(semaphore.wait_async(0.5)) for _ in range(3)]
            await asyncio.sleep(0.1)
            gate.set()  # a manual-reset event releases every waiter
            semaphore.release(2)  # two counts: two of the three waiters
            return list(await asyncio.gather(*gated)), list(await asyncio.gather(*counted))

        gated, counted = run(main())
        assert gated == [True, True, True]
        assert sorted(counted) == [False, True, True]


def test_cancelling_wait_async_lets_the_handle_go(run: Callable[[Coroutine[Any, Any, Any]], Any]) -> None:
    event, name = _named_event()

    async def main() -> None:
        task = asyncio.create_task(event.wait_async())
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(main())
    event.close()  # no wait holds it any more: closed at once
    assert _event_released(name)


def test_close_during_wait_async_raises_object_disposed_and_releases_after(
    run: Callable[[Coroutine[Any, Any, Any]], Any],
) -> None:
    event, name = _named_event()

    async def main() -> None:
        task = asyncio.create_task(event.wait_async())
        await asyncio.sleep(0.05)
        event.close()
        with pytest.raises(sh.ObjectDisposedError):
            await task

    run(main())
    assert event.is_closed
    assert _event_released(name)


def test_a_thousand_waits_cost_one_thread_per_63_and_leave_nothing(
    run: Callable[[Coroutine[Any, Any, Any]], Any],
) -> None:
    from safehandles._async._waits import WAIT_SLOTS, wait_threads

    _idle()
    before = sh.handle_census()
    events = [sh.Event.create(manual_reset=True) for _ in range(1000)]
    threads_seen = 0

    async def main() -> list[bool]:
        nonlocal threads_seen
        tasks = [asyncio.create_task(event.wait_async(30)) for event in events]
        await asyncio.sleep(0.5)
        threads_seen = wait_threads()
        for event in events:
            event.set()
        return list(await asyncio.gather(*tasks))

    assert run(main()) == [True] * 1000
    assert threads_seen == math.ceil(1000 / WAIT_SLOTS) == 16
    for event in events:
        event.close()
    _idle()
    _assert_no_growth(before)


def test_wait_any_async_on_loops_in_several_threads() -> None:
    events = [sh.Event.create() for _ in range(4)]
    results: list[int | None] = [None] * 4
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            results[index] = asyncio.run(sh.wait_any_async([events[index]], timeout=10))
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    for event in events:
        event.set()
    for thread in threads:
        thread.join(10)
    assert not errors
    assert results == [0, 0, 0, 0]
    for event in events:
        event.close()


# -- overlapped I/O -------------------------------------------------------------------------


def test_pipe_echo_with_connect_read_and_write_async(run: Callable[[Coroutine[Any, Any, Any]], Any]) -> None:
    name = rf"\\.\pipe\safehandles-async-{uuid.uuid4()}"

    async def main() -> list[bytes]:
        with sh.NamedPipeServer.create(name, overlapped=True) as server:
            connecting = asyncio.create_task(server.connect_async())
            await asyncio.sleep(0.05)
            assert not connecting.done()  # no client yet: the connect is pending
            with sh.File.open(name, access="rw", overlapped=True) as client:
                await connecting
                replies = []
                for message in (b"one", b"two", b"x" * 5000):
                    reading = asyncio.create_task(server.read_async(8192))
                    assert await client.write_async(message) == len(message)
                    received = b""
                    received += await reading
                    while len(received) < len(message):
                        received += await server.read_async(8192)

                    async def collect(expected: int) -> bytes:
                        reply = b""
                        while len(reply) < expected:
                            reply += await client.read_async(8192)
                        return reply

                    # A write larger than the pipe's buffer completes only as the other end reads.
                    written, reply = await asyncio.gather(
                        server.write_async(received.upper()), collect(len(message))
                    )
                    assert written == len(received)
                    replies.append(reply)
            # The client is gone: the server reads the end of data.
            assert await server.read_async() == b""
            return replies

    assert run(main()) == [b"ONE", b"TWO", b"X" * 5000]


def test_read_async_of_a_long_message_arrives_in_parts(
    run: Callable[[Coroutine[Any, Any, Any]], Any],
) -> None:
    server, client = _pipe_pair(message=True)
    with server, client:

        async def main() -> list[bytes]:
            await client.write_async(b"0123456789")
            return [await server.read_async(4), await server.read_async(4), await server.read_async(4)]

        assert run(main()) == [b"0123", b"4567", b"89"]


@pytest.mark.parametrize("message", [False, True], ids=["byte", "message"])
def test_an_operation_done_at_once_queues_no_packet_and_starts_no_thread(
    message: bool, run: Callable[[Coroutine[Any, Any, Any]], Any]
) -> None:
    """FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: a write with room and a read of data already there
    are done as they start; so is a message-mode read that returns ERROR_MORE_DATA at once."""
    from safehandles._async._port import dispatcher

    server, client = _pipe_pair(message=message)
    with server, client:
        _idle()

        async def main() -> list[Any]:
            seen: list[Any] = [await client.write_async(b"0123456789")]
            seen += [await server.read_async(4), await server.read_async(100)]
            seen.append(dispatcher.thread)
            return seen

        assert run(main()) == [10, b"0123", b"456789", None]
        port = dispatcher._port
        assert port is not None
        assert port.get(timeout=0) is None  # nothing was queued for them

        async def pending() -> bytes:  # a later read that must wait still gets its own packet
            reading = asyncio.ensure_future(server.read_async(100))
            await asyncio.sleep(0.05)
            assert not reading.done()
            await client.write_async(b"later")
            return await reading

        assert run(pending()) == b"later"


def test_file_offsets_and_the_wrappers_own_position(
    tmp_path: Path, run: Callable[[Coroutine[Any, Any, Any]], Any]
) -> None:
    path = tmp_path / "data.bin"
    with sh.File.open(
        path, access="rw", disposition=sh.CreationDisposition.CREATE_ALWAYS, overlapped=True
    ) as file:

        async def main() -> list[Any]:
            seen: list[Any] = [await file.write_async(b"hello "), file.position]
            seen += [await file.write_async(b"world"), file.position]
            seen += [
                await file.write_async(bytearray(b"HELLO"), offset=0),
                file.position,
            ]  # offset= leaves it
            file.position = 6
            seen += [await file.read_async(100), file.position]
            seen += [await file.read_async(100), file.position]  # end of file
            seen += [await file.read_async(3, offset=1)]
            return seen

        assert run(main()) == [6, 6, 5, 11, 5, 11, b"world", 11, b"", 11, b"ELL"]
    assert path.read_bytes() == b"HELLO world"


def test_async_io_refuses_synchronous_handles_and_bad_arguments(
    tmp_path: Path, pipe: tuple[sh.NamedPipeServer, sh.File], run: Callable[[Coroutine[Any, Any, Any]], Any]
) -> None:
    server, client = pipe
    with sh.File.open(
        tmp_path / "s.bin", access="rw", disposition=sh.CreationDisposition.CREATE_ALWAYS
    ) as plain:
        with pytest.raises(ValueError, match="overlapped=True"):
            run(plain.read_async())
        with pytest.raises(ValueError, match="overlapped=True"):
            run(plain.write_async(b"x"))
    with pytest.raises(ValueError, match="no position"):
        run(server.read_async(10, offset=0))
    with pytest.raises(ValueError, match="size"):
        run(server.read_async(-1))
    with pytest.raises(TypeError, match="str"):
        run(client.write_async("text"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="offset"):
        run(client.read_async(1, offset=-1))


def test_overlapped_handles_also_work_synchronously(pipe: tuple[sh.NamedPipeServer, sh.File]) -> None:
    server, client = pipe
    assert client.write(b"ping") == 4
    assert server.read(10) == b"ping"
    assert server.write(b"pong") == 4
    assert client.read(10) == b"pong"


def test_cancelling_a_pending_read_cancels_it_in_the_kernel(
    pipe: tuple[sh.NamedPipeServer, sh.File], run: Callable[[Coroutine[Any, Any, Any]], Any]
) -> None:
    server, client = pipe

    async def main() -> bytes:
        task = asyncio.create_task(server.read_async(100))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The cancelled read took nothing: the next one gets the data.
        await client.write_async(b"after")
        return await server.read_async(100)

    assert run(main()) == b"after"
    server.close()  # nothing in flight holds it: closed at once
    assert server.is_closed


def test_cancelling_a_pending_connect_leaves_the_instance_listening(
    run: Callable[[Coroutine[Any, Any, Any]], Any],
) -> None:
    name = rf"\\.\pipe\safehandles-async-{uuid.uuid4()}"
    with sh.NamedPipeServer.create(name, overlapped=True) as server:

        async def main() -> bytes:
            connecting = asyncio.create_task(server.connect_async())
            await asyncio.sleep(0.05)
            connecting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await connecting
            connecting = asyncio.create_task(server.connect_async())
            with sh.File.open(name, access="rw", overlapped=True) as client:
                await connecting
                await client.write_async(b"through")
                return await server.read_async()

        assert run(main()) == b"through"


def test_pipes_served_by_loops_in_several_threads() -> None:
    results: dict[int, bytes] = {}

    def worker(index: int) -> None:
        async def echo() -> bytes:
            server, client = _pipe_pair()
            with server, client:
                reading = asyncio.create_task(server.read_async())
                await client.write_async(b"thread %d" % index)
                return await reading

        results[index] = asyncio.run(echo())

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results == {i: b"thread %d" % i for i in range(4)}


def test_close_during_a_pending_read_and_connect_raises_object_disposed(
    run: Callable[[Coroutine[Any, Any, Any]], Any],
) -> None:
    server, client, name = _named_pipe_pair()
    listening = rf"\\.\pipe\safehandles-async-{uuid.uuid4()}"
    listener = sh.NamedPipeServer.create(listening, overlapped=True)

    async def main() -> None:
        reading = asyncio.create_task(server.read_async(100))
        connecting = asyncio.create_task(listener.connect_async())
        await asyncio.sleep(0.05)
        server.close()
        listener.close()
        for task in (reading, connecting):
            with pytest.raises(sh.ObjectDisposedError, match="closed while"):
                await task

    run(main())
    client.close()
    assert _pipe_released(name)
    assert _pipe_released(listening)
    with pytest.raises(sh.ObjectDisposedError):
        run(server.read_async())


def test_a_loop_closed_with_operations_pending_leaves_nothing_behind() -> None:
    _idle()
    server, client, pipe_name = _named_pipe_pair()
    event, event_name = _named_event()
    before = sh.handle_census()
    loop = asyncio.SelectorEventLoop() if sys.platform == "win32" else asyncio.new_event_loop()
    tasks = [loop.create_task(server.read_async(100)), loop.create_task(event.wait_async())]
    loop.run_until_complete(asyncio.sleep(0.1))
    loop.close()  # the tasks are never resumed again
    del tasks
    gc.collect()  # their coroutines are closed: that cancels the read and the wait
    server.close()
    event.close()
    _idle()
    assert _pipe_released(pipe_name)
    assert _event_released(event_name)
    _assert_no_growth(before)
    client.close()


def test_a_thousand_operations_leave_the_census_as_it_was(
    pipe: tuple[sh.NamedPipeServer, sh.File], run: Callable[[Coroutine[Any, Any, Any]], Any]
) -> None:
    server, client = pipe
    with sh.Event.create(manual_reset=True) as event:
        event.set()

        async def main(rounds: int) -> None:
            for _ in range(rounds):
                assert await client.write_async(b"x" * 16) == 16
                assert await server.read_async(16) == b"x" * 16
                assert await event.wait_async(5)

        run(main(10))  # the port and the first threads exist from here on
        _idle()
        before = sh.handle_census()
        run(main(500))  # 1,000 I/O operations and 500 waits
        _idle()
        _assert_no_growth(before)


def test_a_read_dropped_mid_flight_keeps_its_buffer_until_the_kernel_reports(
    pipe: tuple[sh.NamedPipeServer, sh.File],
) -> None:
    from safehandles._async._port import dispatcher

    server, client = pipe

    async def main() -> None:
        coroutine = server.read_async(4096)
        task = asyncio.ensure_future(coroutine)
        await asyncio.sleep(0.05)
        assert dispatcher.in_flight() == 1  # the table holds the operation, its buffer and OVERLAPPED
        task.cancel()
        del task, coroutine
        gc.collect()
        await asyncio.sleep(0.05)

    asyncio.run(main())
    _idle()
    assert dispatcher.in_flight() == 0
    client.write(b"still fine")
    assert server.read(100) == b"still fine"


def test_an_operation_started_while_a_close_waits_for_a_borrow_is_cancelled_not_left_pending(
    run: Callable[[Coroutine[Any, Any, Any]], Any],
) -> None:
    server, client, name = _named_pipe_pair()
    with client, server.borrow():
        server.close()  # deferred: the borrow holds a reference
        with pytest.raises(sh.ObjectDisposedError):
            run(server.read_async())  # would wait forever for data if it started uncancelled
        with pytest.raises(sh.ObjectDisposedError):
            server.read(10)
        assert not _pipe_released(name)
    assert _pipe_released(name)  # the borrow's end released it


_EXITS_RIGHT_AFTER_ITS_LAST_OPERATION = r"""
import asyncio, os
import safehandles as sh

async def main() -> None:
    name = rf"\\.\pipe\exit-{os.getpid()}"
    with sh.NamedPipeServer.create(name, overlapped=True) as server:
        connected = asyncio.create_task(server.connect_async())
        with sh.File.open(name, access="rw", overlapped=True) as client:
            await connected
            await client.write_async(b"ping")
            assert await server.read_async(1024) == b"ping"
    with sh.Event.create() as done:
        asyncio.get_running_loop().call_later(0.05, done.set)
        assert await done.wait_async(timeout=5)
    print("done")

asyncio.run(main())
"""


@pytest.mark.windows
def test_a_program_that_ends_at_once_leaves_the_librarys_own_handles_to_no_one() -> None:
    # The completion port and the wait thread's event are the library's: at exit they are closed
    # by the library, quietly, not swept with a ResourceWarning as a forgotten handle would be.
    result = run_python(_EXITS_RIGHT_AFTER_ITS_LAST_OPERATION, "-W", "error::ResourceWarning")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "done"
    assert "ResourceWarning" not in result.stderr, result.stderr
    assert "never closed" not in result.stderr, result.stderr
