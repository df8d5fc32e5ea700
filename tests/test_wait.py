"""wait_any and wait_all over several handles."""

from __future__ import annotations

import threading

import pytest

import safehandles as sh
from tests import probes

pytestmark = pytest.mark.windows


def test_wait_any_returns_the_index_of_the_signalled_handle() -> None:
    with sh.Event.create() as a, sh.Event.create() as b, sh.Semaphore.create(0, 1) as c:
        assert sh.wait_any([a, b, c], timeout=0) is None
        c.release()
        assert sh.wait_any([a, b, c], timeout=1) == 2
        b.set()
        a.set()
        assert sh.wait_any((a, b, c), timeout=1) == 0  # the lowest index wins


def test_wait_all_needs_every_handle_signalled() -> None:
    with sh.Event.create(manual_reset=True) as a, sh.Event.create(manual_reset=True) as b:
        a.set()
        assert sh.wait_all([a, b], timeout=0.01) is False
        b.set()
        assert sh.wait_all([a, b], timeout=1) is True


def test_wait_any_reports_an_abandoned_mutex_with_its_index() -> None:
    with sh.Event.create() as event, sh.Mutex.create() as mutex:
        thread = threading.Thread(target=mutex.wait)
        thread.start()
        thread.join()
        with pytest.raises(sh.AbandonedMutexError) as caught:
            sh.wait_any([event, mutex], timeout=1)
        assert caught.value.index == 1
        mutex.release()


def test_wait_all_reports_an_abandoned_mutex_without_an_index() -> None:
    # With bWaitAll, WAIT_ABANDONED_0 + n only says that some mutex was abandoned.
    with sh.Event.create(manual_reset=True) as event, sh.Mutex.create() as mutex:
        event.set()
        thread = threading.Thread(target=mutex.wait)
        thread.start()
        thread.join()
        with pytest.raises(sh.AbandonedMutexError, match="you own all of them") as caught:
            sh.wait_all([event, mutex], timeout=1)
        assert caught.value.index is None
        mutex.release()  # the wait acquired it


def test_wait_on_more_than_64_handles_is_a_value_error() -> None:
    events = [sh.Event.create() for _ in range(65)]
    try:
        with pytest.raises(ValueError, match="1 to 64"):
            sh.wait_any(events)
        assert sh.wait_any(events[:64], timeout=0) is None
    finally:
        for event in events:
            event.close()


@pytest.mark.parametrize(("handles", "error"), [([], ValueError), ([object()], TypeError), ([3], TypeError)])
def test_wait_on_bad_handles(handles: list[object], error: type[Exception]) -> None:
    with pytest.raises(error):
        sh.wait_any(handles)  # type: ignore[arg-type]


def test_wait_on_a_closed_handle_raises_and_releases_the_others() -> None:
    with sh.Event.create() as open_event:
        closed = sh.Event.create()
        closed.close()
        with pytest.raises(sh.ObjectDisposedError):
            sh.wait_any([open_event, closed], timeout=0)
        open_event.close()
        assert open_event.is_closed  # the reference taken on it was given back


@pytest.mark.wine_differs("Wine accepts the same handle twice in a wait-all; Windows rejects it")
def test_wait_all_on_the_same_handle_twice_is_rejected_by_windows() -> None:
    with (
        sh.Event.create(manual_reset=True, initial_state=True) as event,
        pytest.raises(OSError, match="WaitForMultipleObjects") as caught,
    ):
        sh.wait_all([event, event], timeout=0)
    assert probes.winerror(caught.value) == 87  # ERROR_INVALID_PARAMETER
