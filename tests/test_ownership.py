"""Ownership cannot be forked (copy, deepcopy, pickle); the core's primitives for native calls.

The core's tests are platform-neutral (a ``Recorder`` stands in for a native
handle); the ``windows`` ones check the same against the OS under Wine.
"""

from __future__ import annotations

import copy
import gc
import pickle
import threading
from collections.abc import Callable

import pytest

import safehandles as sh
from safehandles import ObjectDisposedError, SafeHandle, SafeHandleMinusOneIsInvalid
from safehandles._core._safehandle import held_call_0, held_call_1, held_call_2, hold_all
from tests import probes
from tests.test_core import Recorder


class UserWritten(SafeHandleMinusOneIsInvalid):
    """A subclass as a user would write it: no slots, its own attribute."""

    def __init__(self, value: int) -> None:
        super().__init__(owns_handle=True)
        self.released: list[int] = []
        self.label = "mine"
        self.set_handle(value)

    def release_handle(self) -> bool:
        self.released.append(self.dangerous_get_handle())
        return True


FORKS: list[tuple[str, Callable[[SafeHandle], object]]] = [
    ("copy.copy", copy.copy),
    ("copy.deepcopy", copy.deepcopy),
    *((f"pickle protocol {p}", lambda h, p=p: pickle.dumps(h, protocol=p)) for p in range(6)),
]


@pytest.mark.parametrize(("how", "fork"), FORKS, ids=[how for how, _ in FORKS])
@pytest.mark.parametrize("kind", [Recorder, UserWritten])
def test_ownership_cannot_be_forked(
    kind: Callable[[int], SafeHandle], how: str, fork: Callable[[SafeHandle], object]
) -> None:
    handle = kind(42)
    with pytest.raises(TypeError, match=r"cannot be (copied|pickled).*(duplicate|spawn)"):
        fork(handle)
    gc.collect()  # a half-made copy, had one been made, would be finalized here
    assert not handle.is_closed
    assert handle.dangerous_get_handle() == 42
    releases = handle.releases if isinstance(handle, Recorder) else handle.released  # type: ignore[attr-defined]
    assert releases == []
    handle.close()
    assert releases == [42]


def test_a_closed_handle_cannot_be_pickled_either() -> None:
    handle = Recorder(7)
    handle.close()
    with pytest.raises(TypeError):
        pickle.dumps(handle)


def test_hold_all_yields_values_and_defers_a_concurrent_close() -> None:
    a, b = Recorder(1), Recorder(2)
    with hold_all([a, b]) as values:
        assert values == [1, 2]
        closer = threading.Thread(target=a.close)
        closer.start()
        closer.join()
        assert a.releases == []  # deferred while held
        assert not a.is_closed
    assert a.releases == [1]
    assert b.releases == []
    b.close()


def test_hold_all_refuses_a_closed_handle_and_gives_back_what_it_took() -> None:
    a, closed, c = Recorder(1), Recorder(2), Recorder(3)
    closed.close()
    with pytest.raises(ObjectDisposedError), hold_all([a, closed, c]):
        pytest.fail("the block must not run")
    # a's reference was given back: closing it releases at once
    a.close()
    assert a.releases == [1]
    assert c.releases == []
    c.close()


def test_held_call_2_holds_a_reference_and_refuses_a_closed_handle() -> None:
    handle = Recorder(5)
    seen: list[tuple[int, bool]] = []

    def native(value: int, first: int, second: int) -> int:
        handle.close()  # a close during the call is deferred until it returns
        seen.append((value, handle.is_closed))
        return value + first + second

    assert held_call_2(handle, native, 1, 2) == 8
    assert seen == [(5, False)]
    assert handle.releases == [5]
    with pytest.raises(ObjectDisposedError):
        held_call_2(handle, native, 1, 2)


@pytest.mark.parametrize("arity", [0, 1])
def test_held_call_0_and_1_hold_a_reference_and_refuse_a_closed_handle(arity: int) -> None:
    handle = Recorder(5)
    seen: list[tuple[int, bool]] = []

    def native(value: int, *extra: int) -> int:
        handle.close()  # a close during the call is deferred until it returns
        seen.append((value, handle.is_closed))
        return value + sum(extra)

    def call() -> int:
        return held_call_0(handle, native) if arity == 0 else held_call_1(handle, native, 3)

    assert call() == 5 + 3 * arity
    assert seen == [(5, False)]
    assert handle.releases == [5]
    with pytest.raises(ObjectDisposedError):
        call()
    assert seen == [(5, False)]  # refused before the call


def test_close_after_runs_its_decision_only_in_the_close_that_counts() -> None:
    handle = Recorder(9)
    decided: list[str] = []
    assert handle._close_after(lambda: decided.append("commit"))
    assert decided == ["commit"]
    assert handle.releases == [9]
    assert not handle._close_after(lambda: decided.append("again"))
    handle.close()
    assert decided == ["commit"]
    assert handle.releases == [9]


# -- the same against the OS ----------------------------------------------------------


@pytest.mark.windows
@pytest.mark.parametrize(("how", "fork"), FORKS, ids=[how for how, _ in FORKS])
def test_an_event_cannot_be_forked_and_its_handle_stays_open(
    how: str, fork: Callable[[SafeHandle], object]
) -> None:
    with sh.Event.create() as event:
        value = event.dangerous_get_handle()
        with pytest.raises(TypeError):
            fork(event)
        gc.collect()
        assert probes.is_open(value)
        event.set()  # still usable
        assert event.wait(0)
    assert not probes.is_open(value)


class _Watched(sh.Event):
    """An Event whose kind check records how many references are held while it runs."""

    __slots__ = ()
    held_during_check: list[int] = []  # noqa: RUF012 - a test's record, shared on purpose

    def _check_kind(self, value: int) -> None:
        # The plain tokens on the reference stack (the markers below them are not references).
        type(self).held_during_check.append(sum(token is None for token in self._refs))
        super()._check_kind(value)


@pytest.mark.windows
def test_from_raw_checks_the_kind_holding_a_reference() -> None:
    with sh.Event.create() as event, event.borrow() as value:
        _Watched.held_during_check.clear()
        wrapped = _Watched.from_raw(value, owns_handle=False)
        assert _Watched.held_during_check == [1]  # the check's own reference
        wrapped.close()
        assert probes.is_open(value)


@pytest.mark.windows
def test_a_failed_spawn_closes_the_inheritable_copies_it_made() -> None:
    with sh.Event.create() as event:
        before = probes.open_handles()
        with pytest.raises(FileNotFoundError):
            sh.spawn([r"C:\\no\\such\\program.exe"], inherit=[event])
        gc.collect()
        assert probes.open_handles() <= before
