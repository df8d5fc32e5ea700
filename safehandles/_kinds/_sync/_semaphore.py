"""Semaphore objects: CreateSemaphoreW / OpenSemaphoreW, closed by CloseHandle."""

from __future__ import annotations

from typing import ClassVar

from typing_extensions import Self

from ..._bindings._constants import LONG_MAX, SemaphoreAccess
from ..._bindings._errors import check_bool
from ..._bindings._native import ffi, kernel32
from ..._win32._arguments import integer
from ..._win32._catalogue import Entry
from ..._win32._guard import Acquired
from ..._win32._handles import security_attributes
from ..._win32._named import NamedWaitableHandle

__all__ = ["Semaphore"]


class Semaphore(NamedWaitableHandle):
    """A counting semaphore; each successful wait takes one unit, ``release`` gives units back."""

    catalogue: ClassVar[Entry] = Entry(
        row="Semaphore",
        creators=(("CreateSemaphoreW", "NULL"), ("CreateSemaphoreExW", "NULL"), ("OpenSemaphoreW", "NULL")),
        destroyer="`CloseHandle`",
        ownership="owned",
    )
    _object_type = "Semaphore"

    __slots__ = ()
    _rights = SemaphoreAccess

    @classmethod
    def create(
        cls,
        initial_count: int,
        maximum_count: int,
        *,
        name: str | None = None,
        inheritable: bool = False,
        access: int | None = None,
    ) -> Self:
        """Create a semaphore, or open the existing one of that name (then ``created_new`` is False).

        ``0 <= initial_count <= maximum_count`` and ``maximum_count >= 1``. For an
        existing semaphore the counts are ignored, as Windows ignores them. The
        handle has every right (``SEMAPHORE_ALL_ACCESS``) unless *access* names
        the :class:`SemaphoreAccess` rights it gets (``CreateSemaphoreExW``):
        ``wait`` needs ``SYNCHRONIZE``, ``release`` ``MODIFY_STATE``.
        """
        maximum = integer(maximum_count, "maximum_count", minimum=1, maximum=LONG_MAX)  # the counts are LONGs
        initial = integer(initial_count, "initial_count", minimum=0, maximum=maximum)
        if access is not None:
            mask = cls._access(access)
            return cls._create(
                "CreateSemaphoreExW",
                name,
                lambda checked: kernel32.CreateSemaphoreExW(  # dwFlags is reserved: 0
                    security_attributes(inheritable), initial, maximum, checked, 0, mask
                ),
            )
        return cls._create(
            "CreateSemaphoreW",
            name,
            lambda checked: kernel32.CreateSemaphoreW(
                security_attributes(inheritable), initial, maximum, checked
            ),
        )

    @classmethod
    def open(
        cls,
        name: str,
        *,
        access: int = SemaphoreAccess.SYNCHRONIZE | SemaphoreAccess.MODIFY_STATE,
        inheritable: bool = False,
    ) -> Self:
        """Open an existing named semaphore; by default with the rights ``wait`` and ``release`` need."""
        return cls._open(kernel32.OpenSemaphoreW, "OpenSemaphoreW", name, access, inheritable)

    def release(self, count: int = 1) -> int:
        """Give back *count* units; return the count before. Past the maximum: ``OSError`` 298."""
        count = integer(count, "count", minimum=1, maximum=LONG_MAX)
        previous = ffi.new("LONG *")
        check_bool(self._call(kernel32.ReleaseSemaphore, count, previous), "ReleaseSemaphore")
        return int(previous[0])

    def acquire(self, timeout: float | None = None) -> Acquired:
        """Take one unit and return a guard that gives it back at the end of a ``with`` block.

        Use the guard in ``with`` or call its ``release()``: one dropped while
        held warns with ``ResourceWarning`` and gives nothing back. Raises
        ``TimeoutError`` if no unit became free in time.
        """
        if not self.wait(timeout):
            raise TimeoutError(f"{self!r} was not acquired within {timeout} s")
        return Acquired(self.release)
