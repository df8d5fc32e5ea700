"""How a completion reported on a library thread reaches the coroutine awaiting it.

The kernel reports completions to the library's own threads (the completion
port's dispatcher, the wait threads), never to a loop. Each operation
remembers the loop it was started on and, once its result is recorded, hands
the wake-up to that loop with ``call_soon_threadsafe``: the one public,
thread-safe door into a running asyncio loop, on the proactor and selector
loops alike, in any thread.

The operation holds the future it wakes only weakly. While a task awaits, the
task holds that future; if the task is dropped instead (its loop closed under
it), nothing of the library keeps it alive, so the garbage collector closes
its coroutine, and the ``GeneratorExit`` that raises at the ``await`` cancels
the operation. The completion that follows gives back the handle's reference
and frees the buffers on the library's thread, with no loop involved.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from typing import Final

__all__ = ["Completion"]

#: A dead reference: no coroutine is waiting yet.
_NO_WAITER: Final[weakref.ref[set[object]]] = weakref.ref(set())


class Completion:
    """One operation's completion, as its awaiting coroutine sees it.

    Subclasses record their result and then call :meth:`report` (from any
    thread, once); :meth:`cancel` asks the kernel to end the operation early.
    """

    __slots__ = ("__weakref__", "_loop", "_waiter", "disposed", "finished")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._waiter: weakref.ref[asyncio.Future[None]] | weakref.ref[set[object]] = _NO_WAITER
        self.finished = False
        #: The handle was closed while the operation was in flight: its await raises ObjectDisposedError.
        self.disposed = False

    def cancel(self, *, disposed: bool) -> None:
        raise NotImplementedError

    def report(self) -> None:
        """The result is recorded: wake the coroutine on its loop (any thread, once)."""
        self.finished = True
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is left to wake
            self._loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        waiter = self._waiter()
        if isinstance(waiter, asyncio.Future) and not waiter.done():
            waiter.set_result(None)

    async def settled(self) -> None:
        """Wait until the kernel has reported completion, whatever happens to the awaiting task.

        Cancelling the task cancels the operation and keeps waiting; the
        ``CancelledError`` is raised once the kernel has reported, so the
        buffers and the handle's reference are never given up early.
        """
        cancelled: asyncio.CancelledError | None = None
        try:
            while not self.finished:
                waiter = self._loop.create_future()
                self._waiter = weakref.ref(waiter)
                try:
                    await waiter
                except asyncio.CancelledError as exc:
                    cancelled = cancelled or exc
                    self.cancel(disposed=False)
        except GeneratorExit:
            # The coroutine is being closed without being resumed (dropped, or its loop closed):
            # it cannot wait any more, so cancel; the completion releases everything on its own.
            self.cancel(disposed=False)
            raise
        if cancelled is not None:
            raise cancelled
