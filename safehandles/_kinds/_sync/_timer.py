"""Waitable timers: CreateWaitableTimerW / OpenWaitableTimerW, closed by CloseHandle."""

from __future__ import annotations

import math
from typing import ClassVar

from typing_extensions import Self

from ..._bindings._constants import LONG_MAX, TimerAccess
from ..._bindings._errors import check_bool
from ..._bindings._kernel32._sync import TimerCreateFlag
from ..._bindings._native import ffi, kernel32
from ..._win32._arguments import seconds
from ..._win32._catalogue import Entry
from ..._win32._handles import security_attributes
from ..._win32._named import NamedWaitableHandle

__all__ = ["WaitableTimer"]

_TICKS_PER_SECOND = 10_000_000  # SetWaitableTimer counts in 100-nanosecond intervals


class WaitableTimer(NamedWaitableHandle):
    """A timer that becomes signalled when it is due, once or periodically."""

    catalogue: ClassVar[Entry] = Entry(
        row="Timer",
        creators=(
            ("CreateWaitableTimerW", "NULL"),
            ("CreateWaitableTimerExW", "NULL"),
            ("OpenWaitableTimerW", "NULL"),
        ),
        destroyer="`CloseHandle`",
        ownership="owned",
    )
    _object_type = "Timer"

    __slots__ = ()
    _rights = TimerAccess

    @classmethod
    def create(
        cls,
        *,
        manual_reset: bool = False,
        name: str | None = None,
        inheritable: bool = False,
        access: int | None = None,
    ) -> Self:
        """Create a timer, or open the existing one of that name (then ``created_new`` is False).

        The handle has every right (``TIMER_ALL_ACCESS``) unless *access* names
        the :class:`TimerAccess` rights it gets (``CreateWaitableTimerExW``):
        ``wait`` needs ``SYNCHRONIZE``, ``set`` and ``cancel`` ``MODIFY_STATE``.
        """
        if access is not None:
            mask = cls._access(access)
            flags = TimerCreateFlag.MANUAL_RESET if manual_reset else 0
            return cls._create(
                "CreateWaitableTimerExW",
                name,
                lambda checked: kernel32.CreateWaitableTimerExW(
                    security_attributes(inheritable), checked, flags, mask
                ),
            )
        return cls._create(
            "CreateWaitableTimerW",
            name,
            lambda checked: kernel32.CreateWaitableTimerW(
                security_attributes(inheritable), bool(manual_reset), checked
            ),
        )

    @classmethod
    def open(
        cls,
        name: str,
        *,
        access: int = TimerAccess.SYNCHRONIZE | TimerAccess.MODIFY_STATE,
        inheritable: bool = False,
    ) -> Self:
        """Open an existing named timer; by default with the rights ``wait``, ``set`` and ``cancel`` need."""
        return cls._open(kernel32.OpenWaitableTimerW, "OpenWaitableTimerW", name, access, inheritable)

    def set(self, due: float, period: float = 0.0) -> None:
        """Make the timer due *due* seconds from now, then every *period* seconds (0: once).

        Periods are whole milliseconds; a positive period is rounded up to at least 1 ms.
        """
        due_ticks = -round(seconds(due, "due") * _TICKS_PER_SECOND)  # negative: relative time
        if due_ticks < -(1 << 63):
            raise ValueError(f"due of {due} s is too far away")
        period_ms = math.ceil(seconds(period, "period") * 1000)
        if period_ms > LONG_MAX:
            raise ValueError(f"period of {period} s is too long")
        due_time = ffi.new("LARGE_INTEGER *", due_ticks)
        result = self._call(kernel32.SetWaitableTimer, due_time, period_ms, ffi.NULL, ffi.NULL, False)
        check_bool(result, "SetWaitableTimer")

    def cancel(self) -> None:
        """Stop the timer; it keeps its current signalled state."""
        check_bool(self._call(kernel32.CancelWaitableTimer), "CancelWaitableTimer")
