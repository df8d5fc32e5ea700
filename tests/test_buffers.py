"""The one buffer-growing loop: sizes asked for, at least doubling, and a limit instead of looping forever."""

from __future__ import annotations

import pytest

from safehandles._win32._buffers import Grow, grow_until_it_fits
from tests import probes


def test_grows_to_the_size_asked_for_and_returns_the_result() -> None:
    sizes: list[int] = []

    def attempt(size: int) -> str | Grow:
        sizes.append(size)
        return "filled" if size >= 1000 else Grow(1000)

    assert grow_until_it_fits("F", attempt, 16) == "filled"
    assert sizes == [16, 1000]


def test_at_least_doubles_when_the_size_asked_for_is_no_bigger_or_missing() -> None:
    sizes: list[int] = []

    def attempt(size: int) -> int | Grow:
        sizes.append(size)
        if size >= 100:
            return size
        return Grow(size) if len(sizes) % 2 else Grow()

    assert grow_until_it_fits("F", attempt, 10) == 160
    assert sizes == [10, 20, 40, 80, 160]


def test_gives_up_with_insufficient_buffer_past_the_limit() -> None:
    calls: list[int] = []

    def attempt(size: int) -> Grow | None:
        calls.append(size)
        return Grow(size * 1000)

    with pytest.raises(OSError, match="F") as caught:
        grow_until_it_fits("F", attempt, 1)
    assert "122" in str(caught.value) or probes.winerror(caught.value) == 122
    assert len(calls) < 40


def test_errors_of_the_attempt_propagate_at_once() -> None:
    def attempt(size: int) -> None:
        raise PermissionError("denied")

    with pytest.raises(PermissionError):
        grow_until_it_fits("F", attempt, 8)
