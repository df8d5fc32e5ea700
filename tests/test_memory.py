"""What a live wrapper costs in memory, as tracemalloc counts it (issue 10's goals).

A trivial wrapper is its object (72 bytes) and its one state list (64); nothing is
registered per wrapper unless tracking is on (the exit sweep finds wrappers through
the garbage collector: _core/_live.py). Issue 10 asks for at most 200 bytes per
trivial wrapper and 240 per Event; today's figures are 136-144 and 176-183.
"""

from __future__ import annotations

import gc
import sys
import tracemalloc
from collections.abc import Callable

import pytest

import safehandles as sh
from safehandles._core import _live

# Issue 10's goals. Today's figures leave 56 bytes: room for allocator rounding and one more
# small allocation, not for a per-wrapper registration (a weakref alone is 80).
TRIVIAL_BOUND = 200
EVENT_BOUND = 240


class _Trivial(sh.SafeHandleZeroOrMinusOneIsInvalid):
    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(True)
        self.set_handle(4)

    def release_handle(self) -> bool:
        return True


def _bytes_per_live(make: Callable[[], sh.SafeHandle], count: int) -> float:
    # Grow the registry's table first (dicts do not shrink), so that how full it happened to be
    # does not decide whether a resize lands inside the measurement.
    for handle in [make() for _ in range(count)]:
        handle.close()
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        live = [make() for _ in range(count)]
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    for handle in live:
        handle.close()
    return (after - before - sys.getsizeof(live)) / count


def test_a_live_trivial_wrapper_costs_at_most_200_bytes() -> None:
    size = _bytes_per_live(_Trivial, 4000)
    assert 100 < size <= TRIVIAL_BOUND, size  # below 100: the measurement missed the state list


def test_closed_wrappers_leave_nothing_behind() -> None:
    def round_trip() -> None:
        handles = [_Trivial() for _ in range(2000)]
        for handle in handles:
            handle.close()

    round_trip()
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        round_trip()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert (after - before) / 2000 < 4  # a kept registration would be 112 bytes or more each


def test_closed_tracked_wrappers_give_their_registration_back() -> None:
    # By count, not bytes: the registry's table is resized as it refills, and tracemalloc
    # counts the new table but not the freeing of an old one allocated before it started.
    before = len(_live._traced)
    sh.start_tracking(5)
    try:
        handles = [_Trivial() for _ in range(2000)]
        assert len(_live._traced) == before + 2000
        for handle in handles:
            handle.close()
    finally:
        sh.stop_tracking()
    assert len(_live._traced) == before


def test_a_tracked_wrapper_is_registered_and_an_untracked_one_is_not() -> None:
    plain = _Trivial()
    sh.start_tracking(3)
    try:
        tracked = _Trivial()
    finally:
        sh.stop_tracking()
    try:
        assert _live.creation_stack(plain) is None
        stack = _live.creation_stack(tracked)
        assert stack, "no creation stack for a handle made while tracking"
        assert "test_a_tracked_wrapper_is_registered_and_an_untracked_one_is_not" in [f.name for f in stack]
    finally:
        plain.close()
        tracked.close()
    assert _live.creation_stack(tracked) is None


@pytest.mark.windows
def test_a_live_event_costs_at_most_240_bytes() -> None:
    size = _bytes_per_live(sh.Event.create, 2000)
    assert 150 < size <= EVENT_BOUND, size
