"""Tracking live wrappers: snapshots, their differences, and creation sites (portable)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

import safehandles as sh
from tests.test_core import Recorder


@pytest.fixture
def tracking() -> Iterator[None]:
    was = sh.is_tracking()
    sh.start_tracking(5)
    yield
    if not was:
        sh.stop_tracking()


@pytest.fixture
def not_tracking() -> Iterator[None]:
    """Tracking off for the test (the leak plugin may have it on), restored after."""
    was = sh.is_tracking()
    sh.stop_tracking()
    yield
    if was:
        sh.start_tracking()


def _open_two() -> tuple[Recorder, Recorder]:
    return Recorder(0x10), Recorder(0x20)


@pytest.mark.usefixtures("tracking")
def test_compare_to_lists_what_was_opened_and_not_closed_with_its_creation_site() -> None:
    existing = Recorder(0x30)
    older = sh.snapshot()
    first, second = _open_two()
    closed_again = Recorder(0x40)
    closed_again.close()
    diffs = sh.snapshot().compare_to(older)
    assert [(diff.kind, diff.count) for diff in diffs] == [("Recorder", 2)]
    opened = diffs[0].opened
    assert {handle.value for handle in opened} == {0x10, 0x20}
    for handle in opened:
        assert handle.traceback is not None
        assert any(frame.name == "_open_two" and frame.filename == __file__ for frame in handle.traceback)
    assert "Recorder: 2 opened and not closed" in str(diffs[0])
    assert "_open_two" in str(diffs[0])
    for recorder in (existing, first, second):
        recorder.close()
    assert sh.snapshot().compare_to(older) == []


@pytest.mark.usefixtures("not_tracking")
def test_handles_created_while_tracking_is_off_have_no_traceback() -> None:
    older = sh.snapshot()
    with Recorder(0x50):
        (diff,) = sh.snapshot().compare_to(older)
        assert diff.opened[0].traceback is None
        assert "tracking was off" in str(diff.opened[0])


@pytest.mark.usefixtures("tracking")
def test_resource_warning_names_the_creation_site() -> None:
    gc.collect()  # nothing else left to finalize inside the block below
    first, second = _open_two()
    second.close()
    with pytest.warns(ResourceWarning, match=r"(?s)was never closed.*created at.*_open_two"):
        del first
        gc.collect()


@pytest.mark.usefixtures("not_tracking")
def test_start_tracking_checks_its_argument() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        sh.start_tracking(0)
    with pytest.raises(TypeError):
        sh.start_tracking("10")  # type: ignore[arg-type]
    assert not sh.is_tracking()


@pytest.mark.usefixtures("not_tracking")
def test_tracking_switches_on_and_off() -> None:
    sh.start_tracking()
    assert sh.is_tracking()
    sh.stop_tracking()
    assert not sh.is_tracking()


@pytest.mark.usefixtures("tracking")
def test_a_tracked_create_reads_no_source_and_the_stack_names_the_lines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Once linecache holds files (any formatted traceback fills it), StackSummary.extract
    # would check each frame's file on disk at every create; recording must not touch it.
    import linecache
    import traceback

    traceback.format_stack()  # fill linecache with this stack's files
    calls: list[str] = []
    for name in ("checkcache", "getline", "getlines", "lazycache", "updatecache"):
        original = getattr(linecache, name)

        def spy(*args: object, _original: Any = original, _name: str = name, **kwargs: object) -> Any:
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(linecache, name, spy)
    older = sh.snapshot()
    first, second = _open_two()
    try:
        assert calls == []
        (diff,) = sh.snapshot().compare_to(older)
        stack = diff.opened[0].traceback
        assert stack is not None
        (site,) = [frame for frame in stack if frame.name == "_open_two"]
        assert site.filename == __file__
        assert calls == []
        assert site.line == "return Recorder(0x10), Recorder(0x20)"  # looked up when asked for
    finally:
        first.close()
        second.close()
