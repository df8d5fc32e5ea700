"""Memory resource notifications against the real OS: CreateMemoryResourceNotification / CloseHandle."""

from __future__ import annotations

import gc

import pytest

import safehandles as sh
from safehandles._bindings._native import kernel32
from tests import probes

pytestmark = pytest.mark.windows


@pytest.mark.parametrize("condition", [sh.MemoryCondition.LOW, sh.MemoryCondition.HIGH])
def test_notification_exists_until_closed(condition: sh.MemoryCondition) -> None:
    note = sh.MemoryResourceNotification.create(condition)
    value = note.dangerous_get_handle()
    assert probes.type_name(value) == "Event"  # the memory manager's condition event
    assert note.inheritable is False
    note.close()
    assert not probes.is_open(value)


def test_state_agrees_with_a_wait() -> None:
    with (
        sh.MemoryResourceNotification.create(sh.MemoryCondition.LOW) as low,
        sh.MemoryResourceNotification.create(sh.MemoryCondition.HIGH) as high,
    ):
        for note in (low, high):
            assert note.is_signalled == note.wait(0)
        assert not (low.is_signalled and high.is_signalled)  # memory is not low and high at once


def test_the_wait_functions_accept_notifications() -> None:
    with (
        sh.MemoryResourceNotification.create(sh.MemoryCondition.LOW) as low,
        sh.Event.create(manual_reset=True, initial_state=True) as event,
    ):
        assert sh.wait_all([low, event], timeout=0) is low.is_signalled
        assert sh.wait_any([low, event], timeout=0) == (0 if low.is_signalled else 1)


def test_closed_when_the_with_block_raises_and_by_the_finalizer() -> None:
    with pytest.raises(ZeroDivisionError), sh.MemoryResourceNotification.create() as note:
        value = note.dangerous_get_handle()
        _ = 1 / 0
    assert not probes.is_open(value)
    dropped = sh.MemoryResourceNotification.create()
    value = dropped.dangerous_get_handle()
    with pytest.warns(ResourceWarning):
        del dropped
        gc.collect()
    assert not probes.is_open(value)


def test_duplicate_and_from_raw() -> None:
    with sh.MemoryResourceNotification.create() as note, note.duplicate() as copy:
        assert probes.type_name(copy.dangerous_get_handle()) == "Event"
        assert copy.is_signalled == note.is_signalled
        borrowed = sh.MemoryResourceNotification.from_raw(note.dangerous_get_handle(), owns_handle=False)
        assert borrowed.is_signalled == note.is_signalled


def test_creator_failure_raises() -> None:
    # Bad conditions are refused before the call; the creator's own failure value is
    # reached with a type Windows rejects, through the same adopt path create() uses.
    with pytest.raises(OSError, match="CreateMemoryResourceNotification") as caught:
        sh.MemoryResourceNotification._adopt(
            "CreateMemoryResourceNotification", lambda: kernel32.CreateMemoryResourceNotification(7)
        )
    assert probes.winerror(caught.value) == 87  # ERROR_INVALID_PARAMETER


def test_bad_condition() -> None:
    with pytest.raises(ValueError, match="condition must be a MemoryCondition"):
        sh.MemoryResourceNotification.create(2)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        sh.MemoryResourceNotification.create("low")  # type: ignore[arg-type]
