"""Private heaps against the real OS: HeapCreate / HeapDestroy, and the borrowed process heap."""

from __future__ import annotations

import gc

import pytest

import safehandles as sh
from tests import probes

pytestmark = pytest.mark.windows


def test_heap_exists_until_closed_then_is_destroyed() -> None:
    heap = sh.Heap.create()
    value = heap.dangerous_get_handle()
    assert value in probes.process_heaps()
    block = heap.alloc(100)
    assert heap.size(block) == 100
    heap.free(block)
    heap.close()
    assert value not in probes.process_heaps()


def test_dropped_heap_is_destroyed_by_its_finalizer() -> None:
    heap = sh.Heap.create()
    value = heap.dangerous_get_handle()
    heap.alloc(16)
    with pytest.warns(ResourceWarning):
        del heap
        gc.collect()
    assert value not in probes.process_heaps()


def test_process_heap_is_borrowed_and_survives_close() -> None:
    heap = sh.Heap.process_heap()
    value = heap.dangerous_get_handle()
    assert not heap.owns_handle
    block = heap.alloc(8)
    heap.free(block)
    heap.close()
    assert value in probes.process_heaps()


def test_memory_is_usable() -> None:
    from safehandles._bindings._native import ffi

    with sh.Heap.create() as heap:
        block = heap.alloc(4)
        pointer = ffi.cast("uint8_t *", block)
        pointer[0:4] = b"\x01\x02\x03\x04"
        assert bytes(ffi.buffer(pointer, 4)) == b"\x01\x02\x03\x04"
        heap.free(block)


def test_free_refuses_addresses_it_did_not_hand_out() -> None:
    with sh.Heap.create() as heap, sh.Heap.create() as other:
        block = heap.alloc(8)
        with pytest.raises(ValueError, match="not a live block"):
            other.free(block)
        heap.free(block)
        with pytest.raises(ValueError, match="not a live block"):
            heap.free(block)  # a double free never reaches HeapFree
        with pytest.raises(ValueError, match="not a live block"):
            heap.size(block)
        with pytest.raises(TypeError, match="address must be an int"):
            heap.free("0x10")  # type: ignore[arg-type]


def test_free_of_null_frees_nothing_as_heapfree_does() -> None:
    with sh.Heap.create() as heap:
        block = heap.alloc(16)
        heap.free(0)  # HeapFree(heap, 0, NULL) succeeds and frees nothing
        assert heap.size(block) == 16
        heap.free(block)
        heap.free(0)  # NULL never becomes a live block, so it can be freed any number of times
        with pytest.raises(ValueError, match="not a live block"):
            heap.free(block)
        with pytest.raises(TypeError, match="bool"):
            heap.free(False)  # a bool is no address, not even NULL
    sh.Heap.process_heap().free(0)
    with pytest.raises(sh.ObjectDisposedError):
        heap.free(0)  # a closed heap still refuses, even a no-op


def test_bounded_heap_runs_out_with_memory_error() -> None:
    with sh.Heap.create(maximum_size=64 * 1024) as heap, pytest.raises(MemoryError, match="HeapAlloc"):
        heap.alloc(1024 * 1024)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"initial_size": -1}, ValueError),
        ({"maximum_size": -1}, ValueError),
        ({"initial_size": 4096, "maximum_size": 1024}, ValueError),
        ({"initial_size": 1.5}, TypeError),
    ],
)
def test_create_with_bad_sizes(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        sh.Heap.create(**kwargs)  # type: ignore[arg-type]


def test_alloc_with_a_negative_size_is_a_value_error() -> None:
    with sh.Heap.create() as heap, pytest.raises(ValueError, match="size"):
        heap.alloc(-1)


def test_closed_heap_raises_object_disposed() -> None:
    heap = sh.Heap.create()
    block = heap.alloc(8)
    heap.close()
    with pytest.raises(sh.ObjectDisposedError):
        heap.alloc(8)
    with pytest.raises(sh.ObjectDisposedError):
        heap.free(block)


def test_alloc_with_zero_fills_the_block_with_zero_bytes() -> None:
    from safehandles._bindings._native import ffi

    with sh.Heap.create() as heap:
        # Dirty a block, free it, and allocate the same size again: without HEAP_ZERO_MEMORY
        # the heap hands back what was there; with it every byte is 0.
        for _ in range(20):
            dirty = heap.alloc(256)
            ffi.memmove(ffi.cast("uint8_t *", dirty), b"\xab" * 256, 256)
            heap.free(dirty)
            block = heap.alloc(256, zero=True)
            assert bytes(ffi.buffer(ffi.cast("uint8_t *", block), 256)) == bytes(256)
            heap.free(block)


def test_realloc_keeps_the_contents_and_moves_the_bookkeeping() -> None:
    from safehandles._bindings._native import ffi

    with sh.Heap.create() as heap:
        block = heap.alloc(16)
        ffi.memmove(ffi.cast("uint8_t *", block), b"0123456789abcdef", 16)
        # A neighbour keeps the block from growing where it is, so a large resize moves it.
        neighbour = heap.alloc(16)
        grown = heap.realloc(block, 64 * 1024, zero=True)
        assert heap.size(grown) == 64 * 1024
        data = bytes(ffi.buffer(ffi.cast("uint8_t *", grown), 64 * 1024))
        assert data[:16] == b"0123456789abcdef"
        assert data[16:] == bytes(64 * 1024 - 16)  # zero=True: the bytes it gained are 0
        if grown != block:
            with pytest.raises(ValueError, match="not a live block"):
                heap.free(block)  # the old address is no block any more
        shrunk = heap.realloc(grown, 8)
        assert heap.size(shrunk) == 8
        assert bytes(ffi.buffer(ffi.cast("uint8_t *", shrunk), 8)) == b"01234567"
        heap.free(shrunk)
        heap.free(neighbour)
        with pytest.raises(ValueError, match="not a live block"):
            heap.free(shrunk)


def test_realloc_in_place_never_moves_the_block() -> None:
    with sh.Heap.create() as heap:
        block = heap.alloc(4096)
        smaller = heap.realloc(block, 16, in_place=True)
        assert smaller == block
        assert heap.size(block) == 16
        heap.alloc(16)  # a neighbour right after it: the block cannot grow where it is
        with pytest.raises(MemoryError, match="in place"):
            heap.realloc(block, 1024 * 1024, in_place=True)
        assert heap.size(block) == 16  # still allocated, unchanged


def test_realloc_past_a_bounded_heap_raises_memory_error_and_keeps_the_block() -> None:
    with sh.Heap.create(maximum_size=64 * 1024) as heap:
        block = heap.alloc(64)
        with pytest.raises(MemoryError, match="HeapReAlloc"):
            heap.realloc(block, 1024 * 1024)
        assert heap.size(block) == 64
        heap.free(block)


def test_realloc_and_validate_refuse_addresses_they_did_not_hand_out() -> None:
    with sh.Heap.create() as heap, sh.Heap.create() as other:
        block = other.alloc(8)
        with pytest.raises(ValueError, match="not a live block"):
            heap.realloc(block, 16)
        with pytest.raises(ValueError, match="not a live block"):
            heap.validate(block)
        with pytest.raises(TypeError, match="address must be an int"):
            heap.realloc("0x10", 16)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="size"):
            other.realloc(block, -1)
        assert other.size(block) == 8
        other.free(block)


def test_validate_checks_the_heap_and_its_blocks() -> None:
    with sh.Heap.create() as heap:
        block = heap.alloc(32)
        assert heap.validate()
        assert heap.validate(block)
        heap.free(block)
        with pytest.raises(ValueError, match="not a live block"):
            heap.validate(block)
    assert sh.Heap.process_heap().validate()
    with pytest.raises(sh.ObjectDisposedError):
        heap.validate()
