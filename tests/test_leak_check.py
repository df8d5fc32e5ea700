"""LeakCheck: what a block left open or forgot, against real handles."""

from __future__ import annotations

import gc

import pytest

import safehandles as sh
from safehandles._bindings._native import ffi, kernel32

pytestmark = pytest.mark.windows


def test_a_block_that_closes_everything_is_clean() -> None:
    with sh.LeakCheck() as leaks:
        event = sh.Event.create()
        event.close()
    assert leaks.clean
    assert str(leaks) == "nothing left open"


def test_a_wrapper_left_open_is_reported_with_where_it_was_created() -> None:
    with sh.LeakCheck() as leaks:
        kept = sh.Semaphore.create(0, 1)
    assert not leaks.clean
    assert "Semaphore: 1 opened and not closed" in str(leaks)
    assert "test_leak_check.py" in str(leaks)  # the creation traceback
    kept.close()


def test_an_os_handle_opened_by_no_wrapper_is_reported_by_type() -> None:
    with sh.LeakCheck() as leaks:
        raw = kernel32.CreateEventW(ffi.NULL, 0, 0, ffi.NULL)  # opened by no wrapper
    try:
        assert "OS handles opened and not closed" in str(leaks)
        assert f"Event: 1 ({raw:#x})" in str(leaks)
    finally:
        kernel32.CloseHandle(raw)
    with sh.LeakCheck(os_handles=False) as quiet:
        raw = kernel32.CreateEventW(ffi.NULL, 0, 0, ffi.NULL)
    kernel32.CloseHandle(raw)
    assert quiet.clean


def test_a_forgotten_wrapper_is_reported_though_its_finalizer_closed_it() -> None:
    with sh.LeakCheck() as leaks:
        sh.Event.create()  # dropped at once: the finalizer closes it with a ResourceWarning
        gc.collect()
    assert "dropped without closing" in str(leaks)
    assert "was never closed" in str(leaks)
    with sh.LeakCheck(record_forgotten=False) as quiet, pytest.warns(ResourceWarning):
        sh.Event.create()
        gc.collect()
    assert quiet.clean


def test_finish_before_start_is_refused() -> None:
    with pytest.raises(RuntimeError, match="before start"):
        sh.LeakCheck().finish()
    with pytest.raises(ValueError, match="traceback_depth"):
        sh.LeakCheck(0)


def test_the_librarys_own_async_machinery_is_not_a_leak() -> None:
    import asyncio
    import uuid

    async def first_use() -> bytes:
        name = rf"\\.\pipe\safehandles-leak-{uuid.uuid4()}"
        with (
            sh.NamedPipeServer.create(name, overlapped=True) as server,
            sh.Event.create() as event,
            sh.File.open(name, access="rw", overlapped=True) as client,
        ):
            await server.connect_async()
            await client.write_async(b"x")
            event.set()
            assert await event.wait_async(5)
            return await server.read_async()

    with sh.LeakCheck() as leaks:
        # The completion port opens here and stays; the threads end half a second after.
        assert asyncio.run(first_use()) == b"x"
    assert leaks.clean, str(leaks)
