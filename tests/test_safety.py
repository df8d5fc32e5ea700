"""The properties the library exists for, against real handles: no recycled value
reaches the OS, a close waits for the calls using the handle, and concurrent use
releases exactly once."""

from __future__ import annotations

import threading
import time

import pytest

import safehandles as sh
from tests import probes

pytestmark = pytest.mark.windows


def test_a_closed_wrapper_never_touches_the_object_that_reuses_its_value() -> None:
    stale = sh.Event.create(manual_reset=True)
    value = stale.dangerous_get_handle()
    stale.close()
    # Windows hands the freed slot to the next handle (Wine does so at once).
    reusers = [sh.Event.create(manual_reset=True) for _ in range(8)]
    try:
        reuser = next(e for e in reusers if e.dangerous_get_handle() == value)
        with pytest.raises(sh.ObjectDisposedError):
            stale.set()
        with pytest.raises(sh.ObjectDisposedError):
            stale.wait(0)
        with pytest.raises(sh.ObjectDisposedError):
            sh.wait_any([stale], timeout=0)
        assert not reuser.wait(0)  # the new object was not signalled through the stale wrapper
        stale.close()  # closing again closes nothing: the reuser stays open
        assert probes.is_open(value)
    finally:
        for event in reusers:
            event.close()


def test_close_during_a_blocking_wait_is_deferred_until_the_wait_returns() -> None:
    event = sh.Event.create()
    value = event.dangerous_get_handle()
    waiting = threading.Event()
    results: list[bool] = []

    def waiter() -> None:
        waiting.set()
        results.append(event.wait())  # blocks: holds a reference the whole time

    thread = threading.Thread(target=waiter)
    thread.start()
    waiting.wait()
    time.sleep(0.1)  # let the wait reach the kernel
    event.close()
    assert not event.is_closed  # the wait still holds it
    assert probes.is_open(value)
    event.set()  # .NET semantics: a closing handle still serves calls in flight
    thread.join(10)
    assert results == [True]
    assert event.is_closed
    assert not probes.is_open(value)


def test_close_during_wait_any_is_deferred_for_every_handle() -> None:
    a, b = sh.Event.create(), sh.Event.create()
    values = [a.dangerous_get_handle(), b.dangerous_get_handle()]
    started = threading.Event()
    results: list[int | None] = []

    def waiter() -> None:
        started.set()
        results.append(sh.wait_any([a, b]))

    thread = threading.Thread(target=waiter)
    thread.start()
    started.wait()
    time.sleep(0.1)
    a.close()
    b.close()
    assert all(probes.is_open(v) for v in values)
    b.set()
    thread.join(10)
    assert results == [1]
    assert not any(probes.is_open(v) for v in values)


class CountingEvent(sh.Event):
    """An event that counts its real CloseHandle calls."""

    __slots__ = ("closes",)

    def __init__(self, *, owns_handle: bool = True) -> None:
        super().__init__(owns_handle=owns_handle)
        self.closes = 0

    def release_handle(self) -> bool:
        self.closes += 1
        return super().release_handle()


@pytest.mark.parametrize("round_", range(3))
def test_eight_threads_using_a_real_handle_while_another_closes_it(round_: int) -> None:
    event = CountingEvent.create(manual_reset=True)
    value = event.dangerous_get_handle()
    start = threading.Barrier(9)
    unexpected: list[BaseException] = []

    def user() -> None:
        start.wait()
        for _ in range(300):
            try:
                event.set()
                event.reset()
            except sh.ObjectDisposedError:
                return
            except BaseException as exc:  # an OSError here would mean a stale value reached the OS
                unexpected.append(exc)
                return

    def closer() -> None:
        start.wait()
        time.sleep(0.001)
        event.close()

    threads = [threading.Thread(target=user) for _ in range(8)]
    threads.append(threading.Thread(target=closer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert unexpected == []
    assert event.closes == 1
    assert event.is_closed
    assert not probes.is_open(value)
