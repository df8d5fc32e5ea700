"""Waiting on several handles at once: WaitForMultipleObjects.

Every handle is referenced for the whole wait, so closing one of them from
another thread is deferred until the wait returns instead of letting the OS
wait on a recycled value. In the main thread Ctrl+C interrupts the wait
(``_win32/_interruptible``).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..._bindings._constants import MAXIMUM_WAIT_OBJECTS, WaitResult
from ..._core._errors import AbandonedMutexError
from ..._core._safehandle import hold_all
from ..._win32._arguments import milliseconds
from ..._win32._handles import WaitableHandle
from ..._win32._interruptible import wait_objects

__all__ = ["wait_all", "wait_any", "wait_any_async"]


def _wait_multiple(handles: Iterable[WaitableHandle], wait_all: bool, timeout: float | None) -> int:
    waited = list(handles)
    for handle in waited:
        if not isinstance(handle, WaitableHandle):
            raise TypeError(f"can only wait on waitable handles, not {type(handle).__name__}")
    if not 1 <= len(waited) <= MAXIMUM_WAIT_OBJECTS:
        raise ValueError(f"can wait on 1 to {MAXIMUM_WAIT_OBJECTS} handles at once, not {len(waited)}")
    ms = milliseconds(timeout)
    with hold_all(waited) as values:
        result = wait_objects(values, wait_all, ms)
    abandoned = result - WaitResult.ABANDONED_0
    if 0 <= abandoned < len(waited):
        if wait_all:
            # WAIT_ABANDONED_0 + n from a wait-all only says that some mutex among them
            # was abandoned: Windows documents no meaning for n, so it is not passed on.
            raise AbandonedMutexError(
                "a mutex among the handles was abandoned by its previous owner; you own all of them now",
                index=None,
            )
        raise AbandonedMutexError(
            f"mutex {abandoned} was abandoned by its previous owner; you own it now",
            index=abandoned,
        )
    return result


def wait_any(handles: Iterable[WaitableHandle], timeout: float | None = None) -> int | None:
    """Wait until one handle is signalled; return its index, or None on timeout.

    When several are signalled, the lowest index wins. Raises
    :class:`AbandonedMutexError` (with ``index``) if the one that ended the wait
    is an abandoned mutex, which the caller then owns.
    """
    result = _wait_multiple(handles, False, timeout)
    return None if result == WaitResult.TIMEOUT else result - WaitResult.OBJECT_0


def wait_all(handles: Iterable[WaitableHandle], timeout: float | None = None) -> bool:
    """Wait until every handle is signalled at once: True, or False on timeout.

    Raises :class:`AbandonedMutexError` if one of them is an abandoned mutex;
    the caller then owns all of them. Its ``index`` is None: Windows reports
    that at least one was abandoned, not which.
    """
    return _wait_multiple(handles, True, timeout) != WaitResult.TIMEOUT


async def wait_any_async(handles: Iterable[WaitableHandle], timeout: float | None = None) -> int | None:
    """Await until one of *handles* is signalled; return its index, or None on timeout.

    The asynchronous :func:`wait_any`: the same signal is consumed (the
    lowest-numbered signalled handle's), on any asyncio loop, in any thread.
    Each handle is held open until the wait ends; closing one of them ends it
    with ``ObjectDisposedError``, cancelling the task ends it with
    ``CancelledError``. Up to 63 handles. A :class:`Mutex` is refused with
    ``TypeError``: its ownership would go to the library's wait thread.
    """
    from ..._async._waits import wait_any_async as wait  # noqa: PLC0415 (asyncio loads with the first await)

    return await wait(handles, timeout)
