"""Memory resource notifications: CreateMemoryResourceNotification, closed by CloseHandle.

The handle is to one of two system-wide events the memory manager keeps:
"physical memory is low" and "physical memory is high". It is signalled while
the condition holds, so a wait returns at once if it already does, and
:attr:`~MemoryResourceNotification.is_signalled` reads the state without waiting.
"""

from __future__ import annotations

from typing import ClassVar

from typing_extensions import Self

from ..._bindings._constants import EventAccess
from ..._bindings._errors import check_bool
from ..._bindings._kernel32._memory_notifications import MemoryCondition
from ..._bindings._native import ffi, kernel32
from ..._win32._arguments import member
from ..._win32._catalogue import Entry
from ..._win32._handles import WaitableHandle

__all__ = ["MemoryResourceNotification"]


class MemoryResourceNotification(WaitableHandle):
    """A handle signalled while physical memory is low (or high).

    >>> with MemoryResourceNotification.create(MemoryCondition.LOW) as low:
    ...     if low.is_signalled:
    ...         trim_caches()
    """

    catalogue: ClassVar[Entry] = Entry(
        row="Memory resource notification",
        creators=(("CreateMemoryResourceNotification", "NULL"),),
        destroyer="`CloseHandle`",
        ownership="owned",
    )
    _object_type = "Event"
    _rights = EventAccess

    __slots__ = ()

    @classmethod
    def create(cls, condition: MemoryCondition = MemoryCondition.LOW) -> Self:
        """A notification for *condition* (``MemoryCondition.LOW`` or ``HIGH``)."""
        kind = member(condition, MemoryCondition, "condition")
        call = lambda: kernel32.CreateMemoryResourceNotification(kind)  # noqa: E731
        return cls._adopt("CreateMemoryResourceNotification", call)[0]

    @property
    def is_signalled(self) -> bool:
        """Whether the condition holds now (``QueryMemoryResourceNotification``)."""
        state = ffi.new("BOOL *")
        ok = self._call(kernel32.QueryMemoryResourceNotification, state)
        check_bool(ok, "QueryMemoryResourceNotification")
        return bool(state[0])
