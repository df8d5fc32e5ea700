"""Mutex objects: CreateMutexW / OpenMutexW, closed by CloseHandle.

A mutex is owned by a thread: only the thread that acquired it can release it
(``ERROR_NOT_OWNER`` otherwise), and it may acquire it again recursively. If
the owning thread ends without releasing it, the next wait gets
``WAIT_ABANDONED``: that waiter now owns the mutex, and, as in .NET, is told so
with :class:`AbandonedMutexError` because the data it guards may be half-updated.
"""

from __future__ import annotations

from typing import ClassVar

from typing_extensions import Self

from ..._bindings._constants import MutexAccess, WaitResult
from ..._bindings._errors import check_bool
from ..._bindings._kernel32._sync import MutexCreateFlag
from ..._bindings._native import kernel32
from ..._core._errors import AbandonedMutexError
from ..._win32._catalogue import Entry
from ..._win32._guard import Acquired
from ..._win32._handles import security_attributes
from ..._win32._named import NamedWaitableHandle

__all__ = ["Mutex"]


class Mutex(NamedWaitableHandle):
    """A mutex that works across processes when named.

    >>> with Mutex.create(name=r"Local\\job-42") as lock, lock.acquire(timeout=5):
    ...     pass  # only one process at a time runs this
    """

    catalogue: ClassVar[Entry] = Entry(
        row="Mutex",
        creators=(("CreateMutexW", "NULL"), ("CreateMutexExW", "NULL"), ("OpenMutexW", "NULL")),
        destroyer="`CloseHandle`",
        ownership="owned",
    )
    _object_type = "Mutant"

    __slots__ = ()
    _rights = MutexAccess

    @classmethod
    def create(
        cls,
        *,
        initial_owner: bool = False,
        name: str | None = None,
        inheritable: bool = False,
        access: int | None = None,
    ) -> Self:
        """Create a mutex, or open the existing one of that name (then ``created_new`` is False).

        With ``initial_owner=True`` the calling thread owns it only if it was
        created new; opening an existing one never takes ownership. The handle
        has every right (``MUTEX_ALL_ACCESS``) unless *access* names the
        :class:`MutexAccess` rights it gets (``CreateMutexExW``), such as
        ``SYNCHRONIZE``, which ``wait`` and ``acquire`` need.
        """
        if access is not None:
            mask = cls._access(access)
            flags = MutexCreateFlag.INITIAL_OWNER if initial_owner else 0
            return cls._create(
                "CreateMutexExW",
                name,
                lambda checked: kernel32.CreateMutexExW(
                    security_attributes(inheritable), checked, flags, mask
                ),
            )
        return cls._create(
            "CreateMutexW",
            name,
            lambda checked: kernel32.CreateMutexW(
                security_attributes(inheritable), bool(initial_owner), checked
            ),
        )

    @classmethod
    def open(
        cls,
        name: str,
        *,
        access: int = MutexAccess.SYNCHRONIZE | MutexAccess.MODIFY_STATE,
        inheritable: bool = False,
    ) -> Self:
        """Open an existing named mutex; by default with the rights ``wait`` and ``release`` need."""
        return cls._open(kernel32.OpenMutexW, "OpenMutexW", name, access, inheritable)

    _async_wait_refusal = (
        "a Mutex cannot be awaited: a wait makes the waiting thread its owner, and only that thread "
        "can release it, so an asynchronous wait (on another thread) would leave it owned there. "
        "Acquire it in a thread of your own (loop.run_in_executor) or use an Event or a Semaphore"
    )

    async def wait_async(self, timeout: float | None = None) -> bool:
        """Refused with ``TypeError``: a mutex's ownership belongs to the thread that waited."""
        raise TypeError(self._async_wait_refusal)

    def wait(self, timeout: float | None = None) -> bool:
        """Acquire the mutex: True once owned, False on timeout.

        Raises :class:`AbandonedMutexError` if the previous owner died holding
        it; the calling thread then owns it and must :meth:`release` it.
        """
        result = self._wait(timeout)
        if result == WaitResult.ABANDONED_0:
            raise AbandonedMutexError(f"{self!r} was abandoned by its previous owner; you own it now")
        return result != WaitResult.TIMEOUT

    def release(self) -> None:
        """Release ownership (``ERROR_NOT_OWNER`` if this thread does not own it)."""
        check_bool(self._call(kernel32.ReleaseMutex), "ReleaseMutex")

    def acquire(self, timeout: float | None = None) -> Acquired:
        """Wait for the mutex and return a guard that releases it at the end of a ``with`` block.

        Use the guard in ``with`` or call its ``release()``: one dropped while
        held warns with ``ResourceWarning`` and releases nothing (only the
        owning thread can). Raises ``TimeoutError`` if it was not acquired in
        time, and :class:`AbandonedMutexError` as :meth:`wait` does.
        """
        if not self.wait(timeout):
            raise TimeoutError(f"{self!r} was not acquired within {timeout} s")
        return Acquired(self.release)
