"""Events, mutexes, semaphores and waitable timers against the real OS."""

from __future__ import annotations

import gc
import threading
import time
import uuid
import warnings
from typing import Any

import pytest

import safehandles as sh
from tests import probes

pytestmark = pytest.mark.windows


@pytest.fixture
def name() -> str:
    return f"Local\\safehandles-test-{uuid.uuid4()}"


# -- the example from the README ---------------------------------------------------


def test_readme_example(name: str) -> None:
    with sh.Event.create(manual_reset=True) as ready, sh.Mutex.create(name=name) as lock:
        assert lock.created_new
        ready.set()
        assert ready.wait(timeout=1.5)
        values = [ready.dangerous_get_handle(), lock.dangerous_get_handle()]
    assert not any(probes.is_open(v) for v in values)


# -- events ----------------------------------------------------------------------


def test_auto_reset_event_releases_one_wait() -> None:
    with sh.Event.create() as event:
        assert not event.wait(0)
        event.set()
        assert event.wait(0)
        assert not event.wait(0)  # auto-reset: the first wait consumed the signal


def test_manual_reset_event_stays_set_until_reset() -> None:
    with sh.Event.create(manual_reset=True, initial_state=True) as event:
        assert event.wait(0)
        assert event.wait(0)
        event.reset()
        assert not event.wait(0.01)


@pytest.mark.parametrize("poll", [0, 0.0])
def test_a_poll_without_synchronize_access_fails_and_a_closed_one_is_refused(name: str, poll: float) -> None:
    with (
        sh.Event.create(name=name, initial_state=True) as event,
        sh.Event.open(name, access=sh.EventAccess.MODIFY_STATE) as opened,
    ):
        with pytest.raises(PermissionError, match="WaitForSingleObject"):
            opened.wait(poll)
        assert event.wait(poll)  # the failed poll took nothing
        opened.set()
    with pytest.raises(sh.ObjectDisposedError):
        event.wait(poll)
    with pytest.raises(sh.ObjectDisposedError):
        event.set()


def test_an_unnamed_create_is_always_new_even_after_an_already_exists(name: str) -> None:
    with sh.Event.create(name=name) as first, sh.Event.create(name=name) as second:
        assert first.created_new
        assert not second.created_new  # ERROR_ALREADY_EXISTS is the last error now
        with sh.Event.create() as unnamed:
            assert unnamed.created_new
            assert probes.is_open(unnamed.dangerous_get_handle())


def test_named_create_reports_an_existing_object_and_keeps_the_handle(name: str) -> None:
    with sh.Event.create(name=name, manual_reset=True) as first, sh.Event.create(name=name) as second:
        assert first.created_new
        assert not second.created_new
        assert probes.is_open(second.dangerous_get_handle())
        second.set()  # the same object: the first handle sees it
        assert first.wait(0)


def test_open_finds_the_named_object_with_least_privilege(name: str) -> None:
    with sh.Event.create(name=name, manual_reset=True) as created, sh.Event.open(name) as opened:
        assert not opened.created_new
        opened.set()
        assert created.wait(0)
        opened.reset()


def test_open_with_wait_only_access_cannot_set(name: str) -> None:
    with (
        sh.Event.create(name=name) as _,
        sh.Event.open(name, access=sh.EventAccess.SYNCHRONIZE) as opened,
        pytest.raises(PermissionError, match="SetEvent"),
    ):
        opened.set()


def test_open_of_a_missing_name_raises_file_not_found(name: str) -> None:
    with pytest.raises(FileNotFoundError, match="OpenEventW") as caught:
        sh.Event.open(name)
    assert probes.winerror(caught.value) == 2
    assert caught.value.filename == name


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: sh.Event.create(name="bad\0name"), ValueError),
        (lambda: sh.Event.create(name=b"bytes"), TypeError),  # type: ignore[arg-type]
        (lambda: sh.Event.open("x", access=0x8), ValueError),
        (lambda: sh.Event.open("x", access=-1), ValueError),
        (lambda: sh.Event.open("x", access="all"), TypeError),  # type: ignore[arg-type]
        (lambda: sh.Mutex.open("bad\0name"), ValueError),
    ],
)
def test_bad_arguments_raise_before_any_handle_is_made(call: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        call()


@pytest.mark.parametrize("timeout", [-0.001, float("nan")])
def test_bad_timeouts_raise_value_error(timeout: float) -> None:
    with sh.Event.create() as event, pytest.raises(ValueError, match="timeout"):
        event.wait(timeout)


def test_a_positive_timeout_below_a_millisecond_still_waits() -> None:
    with sh.Event.create() as event:
        start = time.perf_counter()
        assert not event.wait(0.0001)
        assert time.perf_counter() - start >= 0.0005


def test_closed_event_raises_object_disposed_for_every_operation() -> None:
    event = sh.Event.create()
    event.close()
    for operation in (event.set, event.reset, event.wait, lambda: event.inheritable):
        with pytest.raises(sh.ObjectDisposedError):
            operation()


# -- mutexes -----------------------------------------------------------------------


def test_mutex_acquire_guard_releases_on_exit() -> None:
    with sh.Mutex.create() as mutex:
        with mutex.acquire(timeout=1):
            assert _wait_from_other_thread(mutex, 0) is False
        assert _wait_from_other_thread(mutex, 1) is True


def _wait_from_other_thread(mutex: sh.Mutex, timeout: float) -> bool:
    result: list[bool] = []

    def run() -> None:
        got = mutex.wait(timeout)
        if got:
            mutex.release()
        result.append(got)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0]


def test_mutex_acquire_raises_timeout_error_when_held_elsewhere() -> None:
    with sh.Mutex.create() as mutex:
        held, done = threading.Event(), threading.Event()

        def hold() -> None:
            with mutex.acquire():
                held.set()
                done.wait()

        thread = threading.Thread(target=hold)
        thread.start()
        held.wait()
        try:
            with pytest.raises(TimeoutError), mutex.acquire(timeout=0.05):
                pass
        finally:
            done.set()
            thread.join()


def test_a_dropped_mutex_guard_warns_and_leaves_the_mutex_held() -> None:
    with sh.Mutex.create() as mutex:
        with warnings.catch_warnings(record=True) as quiet:
            warnings.simplefilter("always")
            with mutex.acquire():
                pass
            guard = mutex.acquire()
            guard.release()
            del guard
            gc.collect()
        assert [w for w in quiet if issubclass(w.category, ResourceWarning)] == []  # released: silent
        guard = mutex.acquire()
        with pytest.warns(ResourceWarning, match=r"dropped without release\(\).*`with`.*release\(\)"):
            del guard
            gc.collect()
        # The finalizer did not release (it cannot for a mutex): this thread still owns it.
        assert _wait_from_other_thread(mutex, 0) is False
        mutex.release()
        assert _wait_from_other_thread(mutex, 1) is True


def test_release_by_a_thread_that_does_not_own_the_mutex_fails() -> None:
    with sh.Mutex.create() as mutex, pytest.raises(OSError, match="ReleaseMutex") as caught:
        mutex.release()
    assert probes.winerror(caught.value) == 288


def test_abandoned_mutex_raises_and_the_waiter_owns_it() -> None:
    with sh.Mutex.create() as mutex:
        thread = threading.Thread(target=mutex.wait)  # acquires, then ends without releasing
        thread.start()
        thread.join()
        with pytest.raises(sh.AbandonedMutexError) as caught:
            mutex.wait(1)
        assert caught.value.index == 0
        mutex.release()  # we own it now: releasing succeeds


def test_named_mutex_initial_owner_and_created_new(name: str) -> None:
    with sh.Mutex.create(name=name, initial_owner=True) as first:
        assert first.created_new
        with sh.Mutex.create(name=name, initial_owner=True) as second:
            assert not second.created_new
        first.release()


# -- semaphores --------------------------------------------------------------------


def test_semaphore_counts_and_release_returns_the_previous_count() -> None:
    with sh.Semaphore.create(1, 3) as semaphore:
        assert semaphore.wait(0)
        assert not semaphore.wait(0)
        assert semaphore.release(2) == 0
        assert semaphore.release() == 2


def test_semaphore_release_past_the_maximum_raises_too_many_posts() -> None:
    with sh.Semaphore.create(1, 1) as semaphore, pytest.raises(OSError, match="ReleaseSemaphore") as caught:
        semaphore.release()
    assert probes.winerror(caught.value) == 298


def test_semaphore_acquire_guard_gives_the_unit_back() -> None:
    with sh.Semaphore.create(1, 1) as semaphore:
        with semaphore.acquire(0):
            assert not semaphore.wait(0)
        assert semaphore.wait(0)
        with pytest.raises(TimeoutError):
            semaphore.acquire(0)


def test_a_dropped_semaphore_guard_warns_and_keeps_its_unit() -> None:
    with sh.Semaphore.create(1, 1) as semaphore:
        guard = semaphore.acquire(0)
        with pytest.warns(ResourceWarning, match="dropped without release"):
            del guard
            gc.collect()
        assert not semaphore.wait(0)  # the unit is still taken
        assert semaphore.release() == 0


@pytest.mark.parametrize(
    ("initial", "maximum", "error"),
    [
        (2, 1, ValueError),
        (-1, 1, ValueError),
        (0, 0, ValueError),
        (0, 1 << 31, ValueError),
        (0.5, 1, TypeError),
    ],
)
def test_semaphore_bad_counts(initial: Any, maximum: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        sh.Semaphore.create(initial, maximum)


def test_semaphore_named_open(name: str) -> None:
    with sh.Semaphore.create(0, 2, name=name) as created, sh.Semaphore.open(name) as opened:
        opened.release()
        assert created.wait(0)


# -- waitable timers ----------------------------------------------------------------


def test_timer_becomes_signalled_when_due() -> None:
    with sh.WaitableTimer.create(manual_reset=True) as timer:
        assert not timer.wait(0)
        timer.set(0.05)
        assert not timer.wait(0)
        assert timer.wait(2)


def test_periodic_timer_signals_repeatedly_and_cancel_stops_it() -> None:
    with sh.WaitableTimer.create() as timer:
        timer.set(0.01, period=0.02)
        assert timer.wait(2)
        assert timer.wait(2)
        timer.cancel()
        assert not timer.wait(0.1)


@pytest.mark.parametrize(("due", "period"), [(-1, 0), (0, -1), (float("inf"), 0), (1, float("nan"))])
def test_timer_bad_times_raise(due: float, period: float) -> None:
    with sh.WaitableTimer.create() as timer, pytest.raises(ValueError, match="seconds"):
        timer.set(due, period)


def test_timer_named_open(name: str) -> None:
    with (
        sh.WaitableTimer.create(name=name, manual_reset=True) as created,
        sh.WaitableTimer.open(name) as opened,
    ):
        opened.set(0)
        assert created.wait(1)


# -- creates with an explicit access mask (Create*ExW): least-privilege handles -------


def test_event_created_with_wait_only_access_waits_but_cannot_be_set(name: str) -> None:
    with sh.Event.create(
        name=name, manual_reset=True, initial_state=True, access=sh.EventAccess.SYNCHRONIZE
    ) as waiter:
        value = waiter.dangerous_get_handle()
        assert probes.type_name(value) == "Event"
        assert probes.granted_access(value) == sh.EventAccess.SYNCHRONIZE
        assert waiter.created_new
        assert waiter.wait(0)  # initial_state and manual_reset reached CreateEventExW's flags
        assert waiter.wait(0)
        with pytest.raises(PermissionError, match="ResetEvent") as caught:
            waiter.reset()
        assert probes.winerror(caught.value) == 5
        with sh.Event.create(name=name, access=sh.EventAccess.MODIFY_STATE) as signaller:
            assert not signaller.created_new  # the same name opened the same event, with its own rights
            assert probes.granted_access(signaller.dangerous_get_handle()) == sh.EventAccess.MODIFY_STATE
            signaller.reset()
            assert not waiter.wait(0)
    assert not probes.is_open(value)


def test_auto_reset_event_created_with_access_releases_one_wait() -> None:
    access = sh.EventAccess.SYNCHRONIZE | sh.EventAccess.MODIFY_STATE
    with sh.Event.create(initial_state=True, access=access) as event:
        assert event.wait(0)
        assert not event.wait(0)


def test_mutex_created_with_least_access_is_owned_and_waitable(name: str) -> None:
    with sh.Mutex.create(name=name, initial_owner=True, access=sh.MutexAccess.SYNCHRONIZE) as lock:
        value = lock.dangerous_get_handle()
        assert probes.type_name(value) == "Mutant"
        assert probes.granted_access(value) == sh.MutexAccess.SYNCHRONIZE
        assert lock.created_new
        assert not _wait_from_other_thread(lock, 0.05)  # initial_owner reached CreateMutexExW's flags
        lock.release()
        assert _wait_from_other_thread(lock, 5)
    assert not probes.is_open(value)


def test_semaphore_created_with_wait_only_access_cannot_release() -> None:
    with sh.Semaphore.create(1, 2, access=sh.SemaphoreAccess.SYNCHRONIZE) as semaphore:
        value = semaphore.dangerous_get_handle()
        assert probes.type_name(value) == "Semaphore"
        assert probes.granted_access(value) == sh.SemaphoreAccess.SYNCHRONIZE
        assert semaphore.wait(0)
        assert not semaphore.wait(0)  # the initial count was 1
        with pytest.raises(PermissionError, match="ReleaseSemaphore") as caught:
            semaphore.release()
        assert probes.winerror(caught.value) == 5
    assert not probes.is_open(value)


def test_timer_created_with_least_access_is_due_and_manual_reset() -> None:
    access = sh.TimerAccess.SYNCHRONIZE | sh.TimerAccess.MODIFY_STATE
    with sh.WaitableTimer.create(manual_reset=True, access=access) as timer:
        value = timer.dangerous_get_handle()
        assert probes.type_name(value) == "Timer"
        assert probes.granted_access(value) == access
        timer.set(0.01)
        assert timer.wait(5)
        assert timer.wait(0)  # manual reset reached CreateWaitableTimerExW's flags: still signalled
    with (
        sh.WaitableTimer.create(access=sh.TimerAccess.SYNCHRONIZE) as waiter,
        pytest.raises(PermissionError, match="SetWaitableTimer"),
    ):
        waiter.set(1)


@pytest.mark.parametrize(
    "create",
    [
        lambda access: sh.Event.create(access=access),
        lambda access: sh.Mutex.create(access=access),
        lambda access: sh.Semaphore.create(0, 1, access=access),
        lambda access: sh.WaitableTimer.create(access=access),
    ],
)
@pytest.mark.parametrize(
    ("access", "error"), [(0x40_0000, ValueError), (-1, ValueError), ("r", TypeError), (True, TypeError)]
)
def test_bad_access_on_create_raises_before_anything_is_made(
    create: Any, access: object, error: type[Exception]
) -> None:
    before = probes.open_handles()
    with pytest.raises(error, match="access"):
        create(access)
    assert probes.open_handles() <= before
