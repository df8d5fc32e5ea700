"""The measurements, for whichever interpreter runs this file; prints one JSON object.

``python suite.py OUT.json``. Run by ``bench/run.py`` natively (the portable core) and under Wine with Windows
CPython (the Win32 kinds and the peers); ``python suite.py OUT.json --async``: the
asyncio figures alone, each a median of rounds (Wine only). Every other figure is the best of several
repeats of a loop, in nanoseconds per operation, from this one run. Calls that
reach the Wine server cost about 40 µs each, which hides any wrapper, so the
wrapper's own cost is measured on calls that stay in user mode (``HeapAlloc``).
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import statistics
import sys
import threading
import time
import timeit
import tracemalloc
from collections import Counter
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import safehandles as sh
from safehandles.native import IS_WINDOWS, ffi, kernel32

REPEATS = 7


def per_op(loop: Callable[[], None], ops: int) -> float:
    """Nanoseconds per operation: the best of REPEATS runs of *loop*, which does *ops* operations."""
    return min(timeit.repeat(loop, number=1, repeat=REPEATS)) / ops * 1e9


def interleaved(loops: dict[str, Callable[[], None]], ops: int, rounds: int = 200) -> dict[str, float]:
    """Nanoseconds per operation of each loop (which does *ops* operations): the median over
    *rounds* rounds that run every loop once, each round starting with the next loop.

    For calls that reach the Wine server, whose latency drifts by several times over
    seconds: timed in long runs one after the other, a raw loop and ours met different
    servers (raw ``SetEvent`` 31 µs and ours 23 in one run, 4.9 and 20 in the next), and
    the loop run second in a round was slower whichever it was (5 µs first, 12-20 µs
    second). Short loops, every position in turn and medians make the ratios repeat
    within 1-2 %; a difference of a microsecond on a ~100 µs pair still does not (adding
    0.5 µs of plain Python to the raw create+close read as +1.6 µs in one run, +6.5 in another).
    """
    samples: dict[str, list[float]] = {name: [] for name in loops}
    names = list(loops)
    for round_ in range(rounds):
        start = round_ % len(names)
        for name in names[start:] + names[:start]:
            samples[name].append(timeit.timeit(loops[name], number=1))
    return {name: statistics.median(times) / ops * 1e9 for name, times in samples.items()}


def bytes_per_object(make: Callable[[], Any], count: int = 5000) -> float:
    """Memory that *count* live objects cost, per object, as tracemalloc sees it."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    objects = [make() for _ in range(count)]
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    for item in objects:
        close = getattr(item, "close", None) or getattr(item, "Close", None)
        if close is not None:
            close()
    return (after - before - sys.getsizeof(objects)) / count


class Trivial(sh.SafeHandleZeroOrMinusOneIsInvalid):
    """A SafeHandle whose release does nothing: the core's cost alone."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(True)
        self.set_handle(4)

    def release_handle(self) -> bool:
        return True


def raw_call() -> float:
    """One raw cffi call that stays in user mode: the unit the core's costs are compared with."""
    n = 200_000
    if sys.platform == "win32":
        get_pid = kernel32.GetCurrentProcessId

        def loop() -> None:
            for _ in range(n):
                get_pid()

    else:
        import cffi

        libc_ffi = cffi.FFI()
        libc_ffi.cdef("long labs(long);")  # getpid would be a system call on Linux
        libc: Any = libc_ffi.dlopen(None)
        labs = libc.labs

        def loop() -> None:
            for _ in range(n):
                labs(5)

    return per_op(loop, n)


def core() -> dict[str, float]:
    """The portable core: reference counting and the wrapper's life cycle."""
    n = 200_000
    handle = Trivial()
    add_ref, release = handle.dangerous_add_ref, handle.dangerous_release

    def ref_pairs() -> None:
        for _ in range(n):
            add_ref()
            release()

    def create_close() -> None:
        for _ in range(n // 10):
            Trivial().close()

    def plain_object() -> None:
        for _ in range(n // 10):
            object()

    sh.start_tracking(10)
    tracked = per_op(create_close, n // 10)
    sh.stop_tracking()
    tracked_full = tracked_with_linecache_full()
    figures = {
        "add_ref+release pair (ns)": per_op(ref_pairs, n),
        "create+close trivial SafeHandle (ns)": per_op(create_close, n // 10),
        "create+close with tracking on (ns)": tracked,
        "create+close with tracking on, linecache full (ns)": tracked_full,
        "finalizer of a forgotten tracked handle (ns)": forgotten_tracked(),
        "object() for scale (ns)": per_op(plain_object, n // 10),
        "bytes per live trivial SafeHandle": bytes_per_object(Trivial),
        **snapshot_cost(),
    }
    handle.close()
    return figures


def snapshot_cost() -> dict[str, float]:
    """What finding the live wrappers costs now that nothing is registered per wrapper: a
    ``snapshot()`` (the exit sweep's scan plus a record per wrapper) with 50,000 of them open."""
    wrappers = [Trivial() for _ in range(50_000)]
    try:
        best = min(timeit.repeat(sh.snapshot, number=1, repeat=5))
        objects = len(gc.get_objects())
    finally:
        for wrapper in wrappers:
            wrapper.close()
    return {
        "snapshot() with 50,000 live wrappers (ms)": best * 1e3,
        "objects the collector tracks then": float(objects),
    }


def tracked_with_linecache_full() -> float:
    """A tracked create+close once ``linecache`` holds every file on the stack (and many more).

    Any formatted traceback fills the cache, and ``StackSummary.extract`` then
    checks each cached file on disk (``os.stat``) for every frame it records.
    """
    import linecache
    import traceback

    for module in list(sys.modules.values()):  # what a long-running program's cache looks like
        filename = getattr(module, "__file__", None)
        if filename and filename.endswith(".py"):
            linecache.getlines(filename)
    traceback.format_stack()
    n = 5000

    def create_close() -> None:
        for _ in range(n):
            Trivial().close()

    sh.start_tracking(10)
    try:
        return per_op(create_close, n)
    finally:
        sh.stop_tracking()


def forgotten_tracked() -> float:
    """What the finalizer of a tracked handle the program dropped costs: its warning, stack included."""
    import warnings

    n = 500
    sh.start_tracking(10)
    handles = [[Trivial() for _ in range(n)] for _ in range(REPEATS)]
    sh.stop_tracking()
    best = float("inf")
    with warnings.catch_warnings():
        warnings.simplefilter("always", ResourceWarning)
        warnings.showwarning = lambda *args, **kwargs: None  # formatted, then not printed
        for batch in handles:
            start = timeit.default_timer()
            batch.clear()  # each one finalized here: refcounting, no collection needed
            best = min(best, timeit.default_timer() - start)
    return best / n * 1e9


def heap_wrapper_vs_raw() -> dict[str, float]:
    """Heap.alloc+free against HeapAlloc+HeapFree through cffi and ctypes (user mode)."""
    import ctypes

    n = 200_000
    heap = sh.Heap.create()
    value = heap.dangerous_get_handle()
    heap_alloc, heap_free = kernel32.HeapAlloc, kernel32.HeapFree

    def raw_cffi() -> None:  # what a careful raw caller writes: bound functions, results checked
        for _ in range(n):
            block = heap_alloc(value, 0, 16)
            if not block:
                raise MemoryError
            if not heap_free(value, 0, block):
                raise OSError

    def raw_cffi_attribute() -> None:  # the everyday spelling: look the function up each call
        for _ in range(n):
            block = kernel32.HeapAlloc(value, 0, 16)
            if not block:
                raise MemoryError
            if not kernel32.HeapFree(value, 0, block):
                raise OSError

    k32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    c_alloc, c_free = k32.HeapAlloc, k32.HeapFree
    c_alloc.restype, c_alloc.argtypes = ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_size_t]
    c_free.restype, c_free.argtypes = ctypes.c_int, [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_void_p]

    def raw_ctypes() -> None:
        for _ in range(n):
            block = c_alloc(value, 0, 16)
            if not block:
                raise MemoryError
            if not c_free(value, 0, block):
                raise OSError

    def wrapped() -> None:
        alloc, free = heap.alloc, heap.free
        for _ in range(n):
            free(alloc(16))

    def borrowed() -> None:  # the documented hot loop: one held reference, raw calls inside
        with heap.borrow() as held:
            for _ in range(n):
                block = heap_alloc(held, 0, 16)
                if not block:
                    raise MemoryError
                if not heap_free(held, 0, block):
                    raise OSError

    class _Methods:  # the least a wrapper's two methods can cost: Python calls that do nothing
        __slots__ = ()

        def alloc(self, size: int) -> int:
            return size

        def free(self, address: int) -> None:
            pass

    def two_empty_methods() -> None:
        methods = _Methods()
        alloc, free = methods.alloc, methods.free
        for _ in range(n):
            free(alloc(16))

    figures = {
        "two empty Python method calls, for scale (ns)": per_op(two_empty_methods, n),
        "HeapAlloc+HeapFree, raw cffi (ns)": per_op(raw_cffi, n),
        "HeapAlloc+HeapFree under one Heap.borrow() (ns)": per_op(borrowed, n),
        "HeapAlloc+HeapFree, raw cffi via lib attribute (ns)": per_op(raw_cffi_attribute, n),
        "HeapAlloc+HeapFree, ctypes (ns)": per_op(raw_ctypes, n),
        "Heap.alloc+free, safehandles (ns)": per_op(wrapped, n),
    }
    heap.close()
    return figures


def event_life_cycle() -> dict[str, float]:
    """Create+close and set of an event: calls that reach the (Wine) server."""
    import ctypes

    n = 2000
    chunk = 40  # operations per timed loop: short, so that drift hits raw and ours alike
    create_event, close_handle, set_event = kernel32.CreateEventW, kernel32.CloseHandle, kernel32.SetEvent

    def raw_create_close() -> None:
        for _ in range(chunk):
            value = create_event(ffi.NULL, 0, 0, ffi.NULL)
            if not value or not close_handle(value):
                raise OSError

    def ours_create_close() -> None:
        for _ in range(chunk):
            sh.Event.create().close()

    event = sh.Event.create()
    event_set = event.set
    value = event.dangerous_get_handle()

    def raw_set() -> None:
        for _ in range(chunk):
            if not set_event(value):
                raise OSError

    def ours_set() -> None:
        for _ in range(chunk):
            event_set()

    wait_single = kernel32.WaitForSingleObject
    event_wait = event.wait

    def raw_wait() -> None:
        for _ in range(chunk):
            if wait_single(value, 0) == 0xFFFF_FFFF:
                raise OSError

    def ours_wait() -> None:
        for _ in range(chunk):
            event_wait(0)

    k32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    k32.CreateEventW.restype = ctypes.c_void_p
    k32.CloseHandle.argtypes = [ctypes.c_void_p]

    def ctypes_create_close() -> None:
        for _ in range(chunk):
            handle = k32.CreateEventW(None, 0, 0, None)
            if not handle or not k32.CloseHandle(handle):
                raise OSError

    figures = {
        **interleaved(
            {
                "Event create+close, raw cffi (ns)": raw_create_close,
                "Event create+close, ctypes (ns)": ctypes_create_close,
                "Event create+close, safehandles (ns)": ours_create_close,
            },
            chunk,
        ),
        **interleaved({"SetEvent, raw cffi (ns)": raw_set, "SetEvent, safehandles (ns)": ours_set}, chunk),
        **interleaved(
            {"Event wait(0), raw cffi (ns)": raw_wait, "Event wait(0), safehandles (ns)": ours_wait}, chunk
        ),
        "bytes per live Event wrapper": bytes_per_object(sh.Event.create, 2000),
    }
    figures.update(_pywin32_event(n))
    event.close()
    return figures


def _pywin32_event(n: int) -> dict[str, float]:
    """The same with pywin32's PyHANDLE, when its wheel is installed."""
    import site

    for folder in sys.path:
        if folder.endswith("site-packages"):
            site.addsitedir(folder)  # runs pywin32.pth, which sets up its DLL directory
    try:
        import win32event
    except ImportError:
        return {}

    def create_close() -> None:
        for _ in range(n):
            win32event.CreateEvent(None, 0, 0, None).Close()

    handle = win32event.CreateEvent(None, 0, 0, None)

    def set_loop() -> None:
        for _ in range(n):
            win32event.SetEvent(handle)

    figures = {
        "Event create+close, pywin32 (ns)": per_op(create_close, n),
        "SetEvent, pywin32 (ns)": per_op(set_loop, n),
        # pywin32 allocates its handle objects where tracemalloc cannot see them.
        "bytes per pywin32 PyHANDLE (sys.getsizeof only)": float(sys.getsizeof(handle)),
    }
    handle.Close()
    return figures


def census() -> dict[str, float]:
    """``handle_census()`` of this process while it holds 50,000 more handles (events)."""
    events = [sh.Event.create() for _ in range(50_000)]
    try:
        best = min(timeit.repeat(sh.handle_census, number=1, repeat=5))
        count = sum(sh.handle_census().values())
    finally:
        for event in events:
            event.close()
    return {"handle_census(), this process (ms)": best * 1e3, "handles in that census": float(count)}


def pytest_plugin() -> dict[str, float]:
    """What a pytest run costs per test with the plugin loaded but never asked, and with it off.

    Per test: the difference between a run of 4,000 tests and one of 1,000, over 3,000, so
    that the fixed costs (start-up, importing safehandles itself) drop out.
    """
    import os
    import subprocess
    import tempfile

    environment = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    with tempfile.TemporaryDirectory() as scratch:
        for count in (1000, 4000):
            cases = f"@pytest.mark.parametrize('i', range({count}))"
            source = f"import pytest\n\n{cases}\ndef test_it(i):\n    pass\n"
            Path(scratch, f"test_{count}.py").write_text(source)

        def run(count: int, extra: list[str]) -> float:
            command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra]
            command.append(f"test_{count}.py")
            start = timeit.default_timer()
            subprocess.run(command, cwd=scratch, check=True, capture_output=True, env=environment)
            return timeit.default_timer() - start

        # "imported": the package loaded as a plugin module without hooks: what importing it costs
        # every later test (a bigger heap for the collector to walk), which the import-time work
        # addresses; the plugin's own cost is the difference between "on" and that.
        modes = {"on": ["-p", "safehandles.pytest_plugin"], "imported": ["-p", "safehandles"], "off": []}
        runs: dict[str, list[float]] = {mode: [] for mode in modes}
        for _ in range(3):  # interleaved rounds: the machine's drift hits all alike
            for mode, extra in modes.items():
                runs[mode].append((run(4000, extra) - run(1000, extra)) / 3000 * 1e9)
    return {
        "pytest per test, plugin loaded and unasked (ns)": min(runs["on"]),
        "pytest per test, safehandles imported, no plugin (ns)": min(runs["imported"]),
        "pytest per test, plugin not loaded (ns)": min(runs["off"]),
    }


# -- asyncio (issue 8): Windows only, since the machinery is overlapped I/O and wait threads ------------

ECHO_MESSAGES = 10_000
ECHO_SIZE = 1024
ECHO_ROUNDS = 3
WAKE_SAMPLES = 200
CONCURRENT_WAITS = 1000


def _progress(step: str) -> None:
    """Where the run is (a Wine run takes minutes): on stderr, which bench/run.py passes through."""
    print(f"  {step}", file=sys.stderr, flush=True)


def _pipe_name(variant: str) -> str:
    return rf"\\.\pipe\safehandles-bench-{variant}-{os.getpid()}-{time.monotonic_ns()}"


def _on_a_fresh_loop(main: Callable[[], Coroutine[Any, Any, float]]) -> float:
    """Run *main* on a new default loop (the ``ProactorEventLoop`` on Windows) and close it.

    A ticker wakes the loop every 0.1 s: under Wine 8 the proactor loop was seen,
    once in some 10,000s of executor round trips, to miss a ``call_soon_threadsafe``
    wake-up and sleep for ever (an executor thread done, the loop in
    ``GetQueuedCompletionStatus``); the ticker bounds such a miss to 0.1 s, and
    costs every variant the same ten wake-ups a second.
    """

    async def ticking() -> float:
        async def tick() -> None:
            while True:
                await asyncio.sleep(0.1)

        ticker = asyncio.ensure_future(tick())
        try:
            return await main()
        finally:
            ticker.cancel()

    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(ticking())
    finally:
        loop.close()


async def _echo_safehandles() -> float:
    """Messages per second: ``read_async``/``write_async`` on overlapped pipes, both ends in this loop."""
    name = _pipe_name("ours")
    message = b"m" * ECHO_SIZE
    with sh.NamedPipeServer.create(name, overlapped=True) as server:
        connecting = asyncio.ensure_future(server.connect_async())
        with sh.File.open(name, access="rw", overlapped=True) as client:
            await connecting

            async def echo() -> None:
                while data := await server.read_async(65536):
                    await server.write_async(data)

            serving = asyncio.ensure_future(echo())
            start = time.perf_counter()
            for _ in range(ECHO_MESSAGES):
                await client.write_async(message)
                received = 0
                while received < ECHO_SIZE:
                    received += len(await client.read_async(ECHO_SIZE - received))
            elapsed = time.perf_counter() - start
        await serving  # the client is gone: the server reads the end of data
    return ECHO_MESSAGES / elapsed


async def _echo_asyncio() -> float:
    """Messages per second: asyncio's own proactor pipe streams.

    ``start_serving_pipe`` and ``create_pipe_connection`` (``ProactorEventLoop``'s
    alone) with asyncio's stream reader and writer on each end.
    """
    loop: Any = asyncio.get_running_loop()  # the pipe methods are ProactorEventLoop's alone
    name = _pipe_name("asyncio")
    message = b"m" * ECHO_SIZE
    served: asyncio.Future[None] = loop.create_future()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
        writer.close()
        served.set_result(None)

    servers = await loop.start_serving_pipe(
        lambda: asyncio.StreamReaderProtocol(asyncio.StreamReader(), serve), name
    )
    reader = asyncio.StreamReader()
    protocol = asyncio.StreamReaderProtocol(reader)
    transport, _ = await loop.create_pipe_connection(lambda: protocol, name)
    writer = asyncio.StreamWriter(transport, protocol, reader, loop)
    start = time.perf_counter()
    for _ in range(ECHO_MESSAGES):
        writer.write(message)
        await writer.drain()
        await reader.readexactly(ECHO_SIZE)
    elapsed = time.perf_counter() - start
    writer.close()
    await served
    for server in servers:
        server.close()
    return ECHO_MESSAGES / elapsed


async def _echo_executor() -> float:
    """Messages per second: ``run_in_executor`` around synchronous ``read``/``write`` on ordinary pipes."""
    loop = asyncio.get_running_loop()
    name = _pipe_name("executor")
    message = b"m" * ECHO_SIZE
    with sh.NamedPipeServer.create(name) as server:
        with sh.File.open(name, access="rw") as client:
            await loop.run_in_executor(None, server.connect)  # the client is there: at once

            async def echo() -> None:
                while data := await loop.run_in_executor(None, server.read, 65536):
                    await loop.run_in_executor(None, server.write, data)

            serving = asyncio.ensure_future(echo())
            start = time.perf_counter()
            for _ in range(ECHO_MESSAGES):
                await loop.run_in_executor(None, client.write, message)
                received = 0
                while received < ECHO_SIZE:
                    received += len(await loop.run_in_executor(None, client.read, ECHO_SIZE - received))
            elapsed = time.perf_counter() - start
        await serving
    return ECHO_MESSAGES / elapsed


def pipe_echo() -> dict[str, float]:
    """The three echoes in interleaved rounds (each round runs each once, in turn); the median of each."""
    variants = {
        "pipe echo, asyncio proactor streams (msg/s)": _echo_asyncio,
        "pipe echo, safehandles read_async/write_async (msg/s)": _echo_safehandles,
        "pipe echo, run_in_executor around read/write (msg/s)": _echo_executor,
    }
    rates: dict[str, list[float]] = {name: [] for name in variants}
    for round_number in range(1, ECHO_ROUNDS + 1):
        _progress(f"pipe echo: round {round_number} of {ECHO_ROUNDS}")
        for name, variant in variants.items():
            rates[name].append(_on_a_fresh_loop(variant))
    return {name: statistics.median(values) for name, values in rates.items()}


async def _wake_up(kind: str) -> float:
    """Median microseconds from the set, in another thread, to the awaiting coroutine resuming."""
    loop = asyncio.get_running_loop()
    event = sh.Event.create()
    flag = asyncio.Event()
    armed = threading.Event()
    stamps: list[float] = []

    def fire() -> None:
        if kind == "floor":
            loop.call_soon_threadsafe(flag.set)
        else:
            event.set()

    def setter() -> None:
        for _ in range(WAKE_SAMPLES + 1):
            armed.wait()
            armed.clear()
            time.sleep(0.005)  # the waiter is waiting by now
            stamps.append(time.perf_counter())
            fire()

    thread = threading.Thread(target=setter)
    thread.start()
    latencies = []
    try:
        for index in range(WAKE_SAMPLES + 1):  # the first wakes a fresh thread: left out
            waiting: asyncio.Future[Any]
            if kind == "wait_async":
                waiting = asyncio.ensure_future(event.wait_async())
            elif kind == "executor":
                waiting = loop.run_in_executor(None, event.wait)
            else:
                waiting = asyncio.ensure_future(flag.wait())
            armed.set()
            await waiting
            latencies.append(time.perf_counter() - stamps[index])
            flag.clear()
    finally:
        thread.join()
        event.close()
    return statistics.median(latencies[1:]) * 1e6


def wake_up_latency() -> dict[str, float]:
    _progress("wake-up latency")
    return {
        "wake-up, wait_async (us)": _on_a_fresh_loop(lambda: _wake_up("wait_async")),
        "wake-up, run_in_executor(None, ev.wait) (us)": _on_a_fresh_loop(lambda: _wake_up("executor")),
        "wake-up, call_soon_threadsafe(asyncio.Event.set) (us)": _on_a_fresh_loop(lambda: _wake_up("floor")),
    }


def _library_idle() -> None:
    """Wait until the library's wait and completion threads have ended (0.5 s after their last use)."""
    from safehandles._async._port import dispatcher
    from safehandles._async._waits import wait_threads

    deadline = time.monotonic() + 10
    while (wait_threads() or dispatcher.thread is not None) and time.monotonic() < deadline:
        time.sleep(0.05)


def _census_delta(before: Counter[str]) -> str:
    delta = sh.handle_census()
    delta.subtract(before)
    changed = {kind: count for kind, count in sorted(delta.items()) if count}
    return ", ".join(f"{kind} {count:+d}" for kind, count in changed.items()) or "none"


def concurrent_waits() -> dict[str, float | str]:
    """1,000 ``wait_async`` on distinct events at once: the threads and handles they cost, and what is left.

    The cost is counted from inside the running loop (so the loop's own port
    and self-pipe are not in it); what is left, once the loop is closed and
    the library's threads have ended, against before the loop existed.
    """
    from safehandles._async._waits import wait_threads

    _progress(f"{CONCURRENT_WAITS:,} concurrent wait_async")
    events = [sh.Event.create(manual_reset=True) for _ in range(CONCURRENT_WAITS)]
    _library_idle()
    gc.collect()
    threads_outside = threading.active_count()
    census_outside = sh.handle_census()
    figures: dict[str, float | str] = {}

    async def main() -> float:
        threads_before = threading.active_count()
        census_before = sh.handle_census()
        tasks = [asyncio.ensure_future(event.wait_async(60)) for event in events]
        await asyncio.sleep(1.0)  # every wait placed on a wait thread
        figures["1,000 wait_async: OS threads added (threading.active_count)"] = float(
            threading.active_count() - threads_before
        )
        figures["1,000 wait_async: wait_threads()"] = float(wait_threads())
        figures["1,000 wait_async: handles added while waiting"] = _census_delta(census_before)
        for event in events:
            event.set()
        if not all(await asyncio.gather(*tasks)):
            raise AssertionError("a wait_async did not see its event set")
        return 0.0

    _on_a_fresh_loop(main)
    _library_idle()
    gc.collect()
    threads_left = threading.active_count() - threads_outside
    figures["1,000 wait_async: threads left once they end"] = float(threads_left)
    figures["1,000 wait_async: handles left once they end"] = _census_delta(census_outside)
    for event in events:
        event.close()
    return figures


IMPORT_ROUNDS = 11
_IMPORT_CHILD = """
import sys, time
sys.path.insert(0, {root!r})
import site
for folder in list(sys.path):
    if folder.endswith("site-packages"):
        site.addsitedir(folder)  # what site does at start-up; pywin32.pth sets up its DLL directory
start = time.perf_counter()
{statement}
print(time.perf_counter() - start)
"""


def import_time() -> dict[str, float]:
    """``import safehandles`` against pywin32's three-module import: a fresh process each, with bytecode.

    A first run of each statement writes its bytecode and is not counted; then
    interleaved rounds (each statement once per round, in turn), the median of each.
    """
    import subprocess

    statements = {
        "import safehandles, fresh process (ms)": "import safehandles",
        "import safehandles + first kind (sh.Event), fresh process (ms)": (
            "import safehandles; safehandles.Event"
        ),
        "import win32event, win32file, win32api, fresh process (ms)": (
            "import win32event, win32file, win32api"
        ),
    }
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    root = str(Path(__file__).resolve().parent.parent)

    def run(statement: str) -> subprocess.CompletedProcess[str]:
        code = _IMPORT_CHILD.format(root=root, statement=statement)
        command = [sys.executable, "-c", code]
        return subprocess.run(command, capture_output=True, text=True, env=environment, check=False)

    usable = {name: statement for name, statement in statements.items() if run(statement).returncode == 0}
    times: dict[str, list[float]] = {name: [] for name in usable}
    for _ in range(IMPORT_ROUNDS):
        for name, statement in usable.items():
            times[name].append(float(run(statement).stdout.split()[-1]) * 1e3)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    results: dict[str, Any] = {"python": sys.version.split()[0], "platform": sys.platform}
    if sys.argv[2:] == ["--async"]:  # a process of its own: a fresh interpreter for the loops
        if IS_WINDOWS:
            results.update(pipe_echo())
            results.update(wake_up_latency())
            results.update(concurrent_waits())
        Path(sys.argv[1]).write_text(json.dumps(results))
        return
    results.update(import_time())
    results["raw cffi call, user mode (ns)"] = raw_call()
    results.update(core())
    if IS_WINDOWS:
        results.update(heap_wrapper_vs_raw())
        results.update(event_life_cycle())
        results.update(census())
    else:
        results.update(pytest_plugin())
    Path(sys.argv[1]).write_text(json.dumps(results))


if __name__ == "__main__":
    main()
