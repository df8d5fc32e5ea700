"""The measurements, for whichever interpreter runs this file; prints one JSON object.

``python suite.py OUT.json``. Run by ``bench/run.py`` natively (the portable core) and under Wine with Windows
CPython (the Win32 kinds and the peers). Every figure is the best of several
repeats of a loop, in nanoseconds per operation, from this one run. Calls that
reach the Wine server cost about 40 µs each, which hides any wrapper, so the
wrapper's own cost is measured on calls that stay in user mode (``HeapAlloc``).
"""

from __future__ import annotations

import gc
import json
import sys
import timeit
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import safehandles as sh
from safehandles._bindings._native import IS_WINDOWS, ffi, kernel32

REPEATS = 7


def per_op(loop: Callable[[], None], ops: int) -> float:
    """Nanoseconds per operation: the best of REPEATS runs of *loop*, which does *ops* operations."""
    return min(timeit.repeat(loop, number=1, repeat=REPEATS)) / ops * 1e9


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
    figures = {
        "add_ref+release pair (ns)": per_op(ref_pairs, n),
        "create+close trivial SafeHandle (ns)": per_op(create_close, n // 10),
        "create+close with tracking on (ns)": tracked,
        "object() for scale (ns)": per_op(plain_object, n // 10),
        "bytes per live trivial SafeHandle": bytes_per_object(Trivial),
    }
    handle.close()
    return figures


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

    figures = {
        "HeapAlloc+HeapFree, raw cffi (ns)": per_op(raw_cffi, n),
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
    create_event, close_handle, set_event = kernel32.CreateEventW, kernel32.CloseHandle, kernel32.SetEvent

    def raw_create_close() -> None:
        for _ in range(n):
            value = create_event(ffi.NULL, 0, 0, ffi.NULL)
            if not value or not close_handle(value):
                raise OSError

    def ours_create_close() -> None:
        for _ in range(n):
            sh.Event.create().close()

    event = sh.Event.create()
    event_set = event.set
    value = event.dangerous_get_handle()

    def raw_set() -> None:
        for _ in range(n):
            if not set_event(value):
                raise OSError

    def ours_set() -> None:
        for _ in range(n):
            event_set()

    k32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    k32.CreateEventW.restype = ctypes.c_void_p
    k32.CloseHandle.argtypes = [ctypes.c_void_p]

    def ctypes_create_close() -> None:
        for _ in range(n):
            handle = k32.CreateEventW(None, 0, 0, None)
            if not handle or not k32.CloseHandle(handle):
                raise OSError

    figures = {
        "Event create+close, raw cffi (ns)": per_op(raw_create_close, n),
        "Event create+close, ctypes (ns)": per_op(ctypes_create_close, n),
        "Event create+close, safehandles (ns)": per_op(ours_create_close, n),
        "SetEvent, raw cffi (ns)": per_op(raw_set, n),
        "SetEvent, safehandles (ns)": per_op(ours_set, n),
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


def main() -> None:
    results: dict[str, Any] = {"python": sys.version.split()[0], "platform": sys.platform}
    results["raw cffi call, user mode (ns)"] = raw_call()
    results.update(core())
    if IS_WINDOWS:
        results.update(heap_wrapper_vs_raw())
        results.update(event_life_cycle())
    Path(sys.argv[1]).write_text(json.dumps(results))


if __name__ == "__main__":
    main()
