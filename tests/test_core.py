"""The portable core: SafeHandle's state machine, exactly as .NET's, on every OS.

A ``Recorder`` handle stands in for a native one: its release_handle records
each call, so the tests can count releases and see when they happen.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import textwrap
import threading
import warnings
from typing import Any

import pytest

from safehandles import (
    ObjectDisposedError,
    SafeHandle,
    SafeHandleMinusOneIsInvalid,
    SafeHandleZeroOrMinusOneIsInvalid,
)
from safehandles._core import _live
from tests.children import run_python


class Recorder(SafeHandleZeroOrMinusOneIsInvalid):
    """A handle whose release is recorded instead of performed."""

    __slots__ = ("releases", "result")

    def __init__(self, value: int = 42, *, owns_handle: bool = True, result: bool = True) -> None:
        super().__init__(owns_handle)
        self.releases: list[int] = []
        self.result = result
        self.set_handle(value)

    def release_handle(self) -> bool:
        self.releases.append(self.dangerous_get_handle())
        return self.result


class Exploding(Recorder):
    __slots__ = ()

    def release_handle(self) -> bool:
        super().release_handle()
        raise RuntimeError("release blew up")


# -- construction and conventions -------------------------------------------------


def test_safehandle_is_abstract() -> None:
    with pytest.raises(TypeError):
        SafeHandle(0, True)  # type: ignore[abstract]


@pytest.mark.parametrize(("value", "invalid"), [(0, True), (-1, True), (4, False), (-2, False)])
def test_zero_or_minus_one_convention(value: int, invalid: bool) -> None:
    handle = Recorder(value)
    assert handle.is_invalid is invalid
    handle.close()
    assert handle.releases == ([] if invalid else [value])


class MinusOne(SafeHandleMinusOneIsInvalid):
    __slots__ = ("released",)

    def __init__(self, value: int) -> None:
        super().__init__(True)
        self.released = 0
        self.set_handle(value)

    def release_handle(self) -> bool:
        self.released += 1
        return True


def test_minus_one_convention_treats_zero_as_valid() -> None:
    zero, minus_one = MinusOne(0), MinusOne(-1)
    assert not zero.is_invalid
    assert minus_one.is_invalid
    zero.close()
    minus_one.close()
    assert (zero.released, minus_one.released) == (1, 0)


def test_new_handle_holds_the_invalid_value_until_set() -> None:
    handle = MinusOne(-1)
    assert handle.dangerous_get_handle() == -1
    assert not handle.is_closed


def test_unsigned_spelling_is_normalized_to_signed() -> None:
    with Recorder(0xFFFF_FFFF_FFFF_FFFF) as minus_one, Recorder(0xFFFF_FFFF_FFFF_FFFE) as minus_two:
        assert minus_one.dangerous_get_handle() == -1
        assert minus_two.dangerous_get_handle() == -2


@pytest.mark.parametrize("bad", ["12", 1.5, None, True])
def test_set_handle_rejects_non_ints(bad: Any) -> None:
    with pytest.raises(TypeError):
        Recorder(bad)


@pytest.mark.parametrize("bad", [1 << 64, -(1 << 63) - 1])
def test_set_handle_rejects_values_wider_than_a_pointer(bad: int) -> None:
    with pytest.raises(ValueError, match="does not fit"):
        Recorder(bad)


# -- closing ----------------------------------------------------------------------


def test_close_releases_once_and_is_idempotent() -> None:
    handle = Recorder(7)
    handle.close()
    handle.close()
    assert handle.releases == [7]
    assert handle.is_closed
    assert not handle.is_invalid  # closing does not change validity, as in .NET


def test_context_manager_closes_on_exit_and_on_exception() -> None:
    with Recorder(7) as handle:
        assert not handle.is_closed
    assert handle.releases == [7]
    with pytest.raises(KeyError), Recorder(8) as failing:
        raise KeyError
    assert failing.releases == [8]


def test_unowned_handle_is_never_released() -> None:
    handle = Recorder(7, owns_handle=False)
    handle.close()
    assert handle.is_closed
    assert handle.releases == []


def test_validity_is_checked_at_release_time() -> None:
    handle = Recorder(7)
    handle.set_handle(0)
    handle.close()
    assert handle.releases == []


def test_close_with_outstanding_reference_defers_release() -> None:
    handle = Recorder(7)
    handle.dangerous_add_ref()
    handle.close()
    assert not handle.is_closed
    assert handle.releases == []
    handle.dangerous_add_ref()  # .NET checks only the closed bit: still allowed
    handle.dangerous_release()
    assert handle.releases == []
    handle.dangerous_release()
    assert handle.is_closed
    assert handle.releases == [7]


def test_add_ref_on_closed_handle_raises() -> None:
    handle = Recorder()
    handle.close()
    with pytest.raises(ObjectDisposedError):
        handle.dangerous_add_ref()
    assert isinstance(ObjectDisposedError(), ValueError)


def test_release_without_add_ref_drops_the_owner_reference() -> None:
    handle = Recorder(7)
    handle.dangerous_release()
    assert handle.releases == [7]
    with pytest.raises(ObjectDisposedError):
        handle.close()
    with pytest.raises(ObjectDisposedError):
        handle.dangerous_release()
    assert handle.releases == [7]


def test_an_unbalanced_release_while_a_reference_is_held_counts_as_in_dotnet() -> None:
    # The count is 2 (owner + holder); two releases take it to zero, whichever comes first.
    handle = Recorder(8)
    handle.dangerous_add_ref()
    handle.dangerous_release()  # unbalanced: the holder's own release is still to come
    assert handle.releases == []
    assert not handle.is_closed
    handle.dangerous_release()
    assert handle.releases == [8]
    assert handle.is_closed
    assert repr(handle).endswith("closed>")
    with pytest.raises(ObjectDisposedError):
        handle.dangerous_add_ref()
    with pytest.raises(ObjectDisposedError):  # not disposed yet, and no reference left to drop
        handle.close()
    handle.close()  # disposed now: later closes return at once
    assert handle.releases == [8]


def test_failed_release_raises_oserror_and_never_retries() -> None:
    handle = Recorder(7, result=False)
    with pytest.raises(OSError, match="release_handle"):
        handle.close()
    assert handle.is_closed
    handle.close()
    assert handle.releases == [7]


def test_failed_release_is_raised_by_the_last_dangerous_release() -> None:
    handle = Recorder(7, result=False)
    handle.dangerous_add_ref()
    handle.close()
    with pytest.raises(OSError, match="release_handle"):
        handle.dangerous_release()
    assert handle.releases == [7]


def test_exception_from_release_handle_propagates_and_handle_stays_closed() -> None:
    handle = Exploding(7)
    with pytest.raises(RuntimeError, match="blew up"):
        handle.close()
    assert handle.is_closed
    handle.close()
    assert handle.releases == [7]


# -- set_handle_as_invalid and detach ---------------------------------------------


def test_set_handle_as_invalid_suppresses_release() -> None:
    handle = Recorder(7)
    handle.set_handle_as_invalid()
    assert handle.is_closed
    with pytest.raises(ObjectDisposedError):
        handle.dangerous_add_ref()
    handle.close()  # still works, releases nothing
    assert handle.releases == []


def test_set_handle_as_invalid_with_references_outstanding() -> None:
    handle = Recorder(7)
    handle.dangerous_add_ref()
    handle.set_handle_as_invalid()
    handle.dangerous_release()  # outstanding releases still work
    handle.close()
    assert handle.releases == []


def test_set_handle_as_invalid_after_release_changes_nothing() -> None:
    handle = Recorder(7)
    handle.close()
    handle.set_handle_as_invalid()
    assert handle.releases == [7]
    assert handle.is_closed


def test_detach_returns_the_value_and_gives_up_ownership() -> None:
    handle = Recorder(7)
    assert handle.detach() == 7
    assert handle.is_closed
    handle.close()
    assert handle.releases == []
    with pytest.raises(ObjectDisposedError):
        handle.detach()


def test_detach_with_a_borrow_in_progress_keeps_the_value_valid() -> None:
    handle = Recorder(7)
    with handle.borrow() as value:
        assert handle.detach() == value == 7
    assert handle.releases == []


def test_detach_after_close_raises() -> None:
    handle = Recorder(7)
    handle.close()
    with pytest.raises(ObjectDisposedError):
        handle.detach()


# -- borrow, repr -------------------------------------------------------------------


def test_borrow_holds_a_reference_for_the_block() -> None:
    handle = Recorder(7)
    with handle.borrow() as value:
        assert value == 7
        handle.close()
        assert handle.releases == []
        assert not handle.is_closed
    assert handle.releases == [7]
    with pytest.raises(ObjectDisposedError), handle.borrow():
        pass


def test_repr_shows_kind_value_ownership_and_state() -> None:
    handle = Recorder(0x1A4)
    assert repr(handle) == "<Recorder handle=0x1a4 owned open>"
    handle.dangerous_add_ref()
    handle.close()
    assert repr(handle) == "<Recorder handle=0x1a4 owned closing>"
    handle.dangerous_release()
    assert repr(handle) == "<Recorder handle=0x1a4 owned closed>"
    assert repr(Recorder(0, owns_handle=False)) == "<Recorder handle=invalid borrowed open>"


# -- finalization ------------------------------------------------------------------


def test_finalizer_releases_a_dropped_handle_with_a_resource_warning() -> None:
    releases: list[int] = []
    handle = Recorder(7)
    handle.releases = releases
    with pytest.warns(ResourceWarning, match="never closed"):
        del handle
        gc.collect()
    assert releases == [7]


def test_finalizer_releases_handles_in_a_cycle() -> None:
    releases: list[int] = []
    a, b = Recorder(1), Recorder(2)
    a.releases = b.releases = releases
    cycle: list[Any] = [a, b]
    cycle.append(cycle)
    with pytest.warns(ResourceWarning):
        del a, b, cycle
        gc.collect()
    assert sorted(releases) == [1, 2]


def test_finalizer_is_silent_for_closed_unowned_and_invalid_handles() -> None:
    closed = Recorder(1)
    closed.close()
    handles = [closed, Recorder(2, owns_handle=False), Recorder(0)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        del handles, closed
        gc.collect()


def test_failure_in_finalizer_goes_to_unraisablehook() -> None:
    seen: list[BaseException | None] = []
    old_hook = sys.unraisablehook
    sys.unraisablehook = lambda args: seen.append(args.exc_value)
    try:
        handle = Exploding(7)
        with pytest.warns(ResourceWarning):
            del handle
            gc.collect()
    finally:
        sys.unraisablehook = old_hook
    assert len(seen) == 1
    assert isinstance(seen[0], RuntimeError)


def test_half_built_handle_finalizes_safely() -> None:
    class Broken(Recorder):
        __slots__ = ()

        def __init__(self) -> None:
            raise RuntimeError("constructor failed before SafeHandle.__init__")

    seen: list[object] = []
    old_hook = sys.unraisablehook
    sys.unraisablehook = seen.append
    try:
        with pytest.raises(RuntimeError):
            Broken()
        gc.collect()
    finally:
        sys.unraisablehook = old_hook
    assert seen == []


def test_the_live_handles_are_the_owned_valid_open_ones_wherever_they_are_held() -> None:
    owned, unowned, invalid = Recorder(1), Recorder(2, owns_handle=False), Recorder(0)
    in_a_cycle = Recorder(3)
    cycle: list[object] = [in_a_cycle]
    cycle.append(cycle)
    live = _live.live_handles()
    assert owned in live
    assert in_a_cycle in live
    assert unowned not in live
    assert invalid not in live
    owned.close()
    assert owned not in _live.live_handles()
    detached = Recorder(4)
    detached.detach()
    assert detached not in _live.live_handles()
    for handle in (unowned, invalid, in_a_cycle):
        handle.close()
    assert not {id(h) for h in (owned, unowned, invalid, in_a_cycle)} & {id(h) for h in _live.live_handles()}


def test_a_half_built_wrapper_is_not_live_and_does_not_break_the_scan() -> None:
    class HalfBuilt(Recorder):
        __slots__ = ()

        def __init__(self) -> None:
            raise RuntimeError("fails before SafeHandle.__init__")

    with pytest.raises(RuntimeError):
        HalfBuilt()
    kept = HalfBuilt.__new__(HalfBuilt)  # alive, with no state at all
    assert kept not in _live.live_handles()


def test_untracked_handles_cost_no_registration() -> None:
    assert not _live.traceback_depth()
    before = dict(_live._traced)
    handle = Recorder(5)
    assert _live._traced == before
    assert _live.creation_stack(handle) is None
    handle.close()


AT_EXIT_CHILD = textwrap.dedent(
    """
    import atexit, sys
    released = []
    # Registered before safehandles is imported, so it runs after the library's exit sweep.
    atexit.register(lambda: print("released at exit:", sorted(released), flush=True))
    from safehandles import SafeHandleZeroOrMinusOneIsInvalid

    class H(SafeHandleZeroOrMinusOneIsInvalid):
        def __init__(self, value):
            super().__init__(True)
            self.set_handle(value)
        def release_handle(self):
            released.append(self.dangerous_get_handle())
            return True

    GLOBAL = H(11)                      # held by a module global until the end
    cycle = [H(12)]; cycle.append(cycle)  # a cycle nobody collects before exit
    import gc; gc.disable()
    del cycle
    closed = H(13); closed.close()      # closed normally: released once, not again
    """
)


def test_handles_alive_at_interpreter_exit_are_released_once() -> None:
    result = run_python(AT_EXIT_CHILD, "-W", "always::ResourceWarning")
    assert result.returncode == 0, result.stderr
    assert "released at exit: [11, 12, 13]" in result.stdout
    assert result.stderr.count("closed at interpreter exit") == 2, result.stderr


# -- concurrency ---------------------------------------------------------------------


class Guarded(SafeHandleZeroOrMinusOneIsInvalid):
    """Counts how many references are in use while release_handle runs."""

    __slots__ = ("in_use", "lock", "releases", "violations")

    def __init__(self) -> None:
        super().__init__(True)
        self.lock = threading.Lock()
        self.in_use = 0
        self.releases = 0
        self.violations = 0
        self.set_handle(99)

    def release_handle(self) -> bool:
        with self.lock:
            self.releases += 1
            if self.in_use:
                self.violations += 1
        return True


@pytest.mark.parametrize("round_", range(5))
def test_eight_threads_hammering_refs_while_another_closes(round_: int) -> None:
    handle = Guarded()
    start = threading.Barrier(9)
    refused: list[int] = []

    def hammer() -> None:
        start.wait()
        for _ in range(2000):
            try:
                handle.dangerous_add_ref()
            except ObjectDisposedError:
                refused.append(1)
                return
            with handle.lock:
                handle.in_use += 1
            with handle.lock:
                handle.in_use -= 1
            handle.dangerous_release()

    def closer() -> None:
        start.wait()
        handle.close()

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    threads.append(threading.Thread(target=closer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert handle.releases == 1
    assert handle.violations == 0
    assert handle.is_closed
    with pytest.raises(ObjectDisposedError):
        handle.dangerous_add_ref()


def _race_closes_against_detach(handle: Guarded) -> list[int]:
    start = threading.Barrier(4)
    detached: list[int] = []

    def close() -> None:
        start.wait()
        handle.close()

    def detach() -> None:
        start.wait()
        with contextlib.suppress(ObjectDisposedError):
            detached.append(handle.detach())

    threads = [threading.Thread(target=f) for f in (close, close, close, detach)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return detached


def test_concurrent_closes_and_detach_release_at_most_once() -> None:
    for _ in range(200):
        handle = Guarded()
        detached = _race_closes_against_detach(handle)
        assert handle.releases + len(detached) == 1
        assert handle.is_closed
