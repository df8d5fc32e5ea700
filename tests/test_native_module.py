"""``safehandles.native``: the documented hot loop, raw calls under one held reference.

The raw functions are the library's own binding; what makes the loop safe is
``borrow()``. These tests check that against the real heap API: a ``close()``
during the loop, from the loop's thread or another, defers ``HeapDestroy`` to
the block's end, and a closed wrapper never hands its stale value out.
"""

from __future__ import annotations

import sys
import threading

import pytest

import safehandles as sh
from safehandles import native
from tests import probes


def test_the_module_names_only_public_things_and_types_every_dll() -> None:
    assert set(native.__all__) == {
        "IS_WINDOWS", "Advapi32", "Kernel32", "Ntdll", "User32", "Ws2_32",
        "advapi32", "ffi", "kernel32", "last_error", "ntdll", "user32", "ws2_32",
    }  # fmt: skip
    assert native.IS_WINDOWS is (sys.platform == "win32")


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-ins exist only off Windows")
def test_off_windows_a_raw_call_says_it_needs_windows() -> None:
    with pytest.raises(sh.UnsupportedPlatformError, match=r"kernel32\.dll!HeapAlloc needs Windows"):
        native.kernel32.HeapAlloc(0, 0, 16)
    assert native.last_error() == 0


@pytest.mark.windows
def test_the_hot_loop_runs_raw_calls_on_the_borrowed_value() -> None:
    with sh.Heap.create() as heap, heap.borrow() as value:
        assert value == heap.dangerous_get_handle()
        alloc, free = native.kernel32.HeapAlloc, native.kernel32.HeapFree
        blocks = [alloc(value, 0, 64) for _ in range(100)]
        assert all(blocks)
        assert len(set(blocks)) == 100
        assert all(native.kernel32.HeapSize(value, 0, block) == 64 for block in blocks)
        assert all(free(value, 0, block) for block in blocks)


@pytest.mark.windows
def test_a_close_from_another_thread_waits_for_the_loop_to_end() -> None:
    heap = sh.Heap.create()
    value = heap.dangerous_get_handle()
    with heap.borrow() as held:
        closer = threading.Thread(target=heap.close)
        closer.start()
        closer.join(timeout=10)
        assert not closer.is_alive()  # close() itself does not block: it drops the owner's reference
        assert not heap.is_closed  # ...and the loop's reference keeps the heap alive
        assert value in probes.process_heaps()
        block = native.kernel32.HeapAlloc(held, 0, 32)
        assert block
        assert native.kernel32.HeapFree(held, 0, block)
    assert heap.is_closed
    assert value not in probes.process_heaps()  # destroyed as the block ended


@pytest.mark.windows
def test_a_closed_wrapper_never_hands_out_its_stale_value() -> None:
    heap = sh.Heap.create()
    heap.close()
    with pytest.raises(sh.ObjectDisposedError), heap.borrow():
        pytest.fail("the block must not run")


@pytest.mark.windows
def test_last_error_reads_what_the_failed_raw_call_left() -> None:
    assert not native.kernel32.SetEvent(0)  # no handle: fails without touching anything
    assert native.last_error() == 6  # ERROR_INVALID_HANDLE
