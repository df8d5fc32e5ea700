"""Overlapped reads, writes and pipe connects, awaited or waited for.

An overlapped operation is a native call that lasts. ``ReadFile`` with an
``OVERLAPPED`` returns at once, and from then until the kernel reports
completion it may write into the buffer and acts on the handle's value. So
each operation here is an object that owns, for exactly that span, three
things: a lasting reference on the handle (a ``close()`` meanwhile cancels the
operation instead of freeing the value under it), the buffer, and the
``OVERLAPPED``. The dispatcher's table holds the object from just before the
call to the dequeued packet, so neither a cancelled task, a dropped
coroutine, a closed loop nor the garbage collector can free them early.

How a start is read (as Windows documents it): ``ERROR_IO_PENDING`` always
queues a packet, the result to wait for. TRUE and ``ERROR_MORE_DATA`` (a
message longer than the buffer) mean the operation is already done: on a
handle the port skips for such requests (see ``_port``, the usual case) no
packet follows and the result is read from the ``OVERLAPPED`` at once, with
no hand-off to the loop; on one whose mode Windows refused, a packet
follows as for a pending one. Any other error means the operation never
started and no packet will come: ``ERROR_HANDLE_EOF`` and
``ERROR_BROKEN_PIPE`` are a read's end of data, ``ERROR_PIPE_CONNECTED`` is
a connect that was done before it began.

An operation done at once returns without yielding to the loop, as
``StreamReader.read`` does with data already buffered: a coroutine that
reads a cached file in a loop should ``await asyncio.sleep(0)`` now and then
if other tasks must run meanwhile.

The synchronous ``read()``, ``write()`` and ``connect()`` of an overlapped
handle issue the same operation with an event of their own whose low bit is
set (so the port gets no packet for it) and wait for that event, in slices
that let Ctrl+C through in the main thread. Interrupted, they cancel the
operation and wait for the kernel to give the buffer back before raising.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from .._bindings._constants import DWORD_MAX, WinError
from .._bindings._errors import last_error
from .._bindings._native import ffi, kernel32, ntdll
from .._core._errors import ObjectDisposedError
from .._core._safehandle import LastingReference, SafeHandle
from .._win32._in_flight import forget, track
from ._port import dispatcher
from ._report import Completion

if TYPE_CHECKING:
    from .._bindings._types import CData
    from .._win32._handles import KernelHandle

__all__ = ["Outcome", "perform", "perform_sync"]

#: How a start says a packet will follow (on a handle that does not skip the port on success).
_QUEUED: Final = frozenset({WinError.SUCCESS, WinError.IO_PENDING, WinError.MORE_DATA})
#: How a start says the operation is already done.
_DONE_AT_ONCE: Final = frozenset({WinError.SUCCESS, WinError.MORE_DATA})
_INFINITE: Final = 0xFFFF_FFFF

#: ``start(value, overlapped) -> BOOL``: the native call that begins the operation.
Start = Callable[[int, Any], int]


class Outcome:
    """What the kernel reported: a Win32 error code (0 for success) and the bytes moved."""

    __slots__ = ("error", "transferred")

    def __init__(self, error: int, transferred: int) -> None:
        self.error = error
        self.transferred = transferred


def _new_overlapped(offset: int) -> Any:
    overlapped: Any = ffi.new("OVERLAPPED *")
    overlapped.Offset = offset & DWORD_MAX
    overlapped.OffsetHigh = offset >> 32
    return overlapped


def _status_to_error(status: int) -> int:
    if status == 0:
        return 0
    status &= 0xFFFF_FFFF
    return int(ntdll.RtlNtStatusToDosError(status - (1 << 32) if status >= 1 << 31 else status))


def _cancel(handle: SafeHandle, overlapped: CData) -> None:
    # A fresh reference for the cancel itself: once the operation's own reference is given back,
    # the value may be closed, and then there is nothing left to cancel.
    with contextlib.suppress(ObjectDisposedError):
        handle._call(kernel32.CancelIoEx, overlapped)


class _Operation(Completion):
    """One asynchronous operation in flight, from its start to its dequeued packet."""

    __slots__ = ("_buffer", "outcome", "overlapped", "reference")

    def __init__(
        self, loop: asyncio.AbstractEventLoop, reference: LastingReference, buffer: object, offset: int
    ) -> None:
        super().__init__(loop)
        self.reference = reference
        self._buffer = buffer  # the kernel writes into it (or reads from it) until completion
        self.overlapped: Any = _new_overlapped(offset)
        self.outcome = Outcome(WinError.IO_PENDING, 0)

    @property
    def address(self) -> int:
        return int(ffi.cast("ADDRESS", self.overlapped))

    def complete(self, transferred: int) -> None:
        """On the dispatcher thread: the packet is here; the kernel is done with everything."""
        self.outcome = Outcome(_status_to_error(self.overlapped.Internal), transferred)
        self._settle()
        self.report()

    def _settle(self) -> None:
        forget(self.reference.handle, self)
        self.reference.release()

    def cancel(self, *, disposed: bool) -> None:
        if disposed:
            self.disposed = True
        if not self.finished:
            _cancel(self.reference.handle, self.overlapped)


async def perform(handle: KernelHandle, start: Start, buffer: object, offset: int, function: str) -> Outcome:
    """Start an overlapped operation on *handle* and await its completion.

    Raises ``ObjectDisposedError`` if the handle is closed before or while the
    operation is in flight; other failures come back in the :class:`Outcome`.
    """
    loop = asyncio.get_running_loop()
    reference = LastingReference(handle)
    operation = _Operation(loop, reference, buffer, offset)
    try:
        skips = dispatcher.bind(handle, reference)
        dispatcher.expect(operation)
    except BaseException:
        reference.release()
        raise
    track(handle, operation)
    try:
        started = reference.call(start, operation.overlapped)
    except BaseException:
        dispatcher.unexpect(operation)
        operation._settle()
        raise
    error = 0 if started else last_error()
    if skips and error in _DONE_AT_ONCE:  # done already, and no packet will come
        dispatcher.unexpect(operation)
        operation.outcome = Outcome(error, int(operation.overlapped.InternalHigh))
        operation.finished = True
        operation._settle()
    elif error in _QUEUED:
        dispatcher.serve()
        if operation.disposed:  # a close came between track() and the start: its cancel found nothing yet
            operation.cancel(disposed=True)
        await operation.settled()
    else:  # it never started: no packet will come
        dispatcher.unexpect(operation)
        operation.outcome = Outcome(error, 0)
        operation.finished = True
        operation._settle()
    if operation.disposed:
        raise ObjectDisposedError(f"{handle!r} was closed while {function} was in flight")
    return operation.outcome


class _Waited:
    """A synchronous overlapped operation, as close() sees it: something to cancel."""

    __slots__ = ("disposed", "handle", "overlapped")

    def __init__(self, handle: SafeHandle, overlapped: CData) -> None:
        self.handle = handle
        self.overlapped = overlapped
        self.disposed = False

    def cancel(self, *, disposed: bool) -> None:
        self.disposed = self.disposed or disposed
        _cancel(self.handle, self.overlapped)


def perform_sync(handle: KernelHandle, start: Start, buffer: object, offset: int, function: str) -> Outcome:
    """Start an overlapped operation on *handle* and wait for it in this thread.

    In the main thread the wait lets Ctrl+C through; interrupted, the
    operation is cancelled and its completion waited for before
    ``KeyboardInterrupt`` propagates. Raises ``ObjectDisposedError`` if the
    handle is closed (from another thread) while it waits.
    """
    from .._kinds._sync._event import Event  # noqa: PLC0415 (the kinds import this module)
    from .._win32._interruptible import wait_objects  # noqa: PLC0415

    overlapped: Any = _new_overlapped(offset)
    waited = _Waited(handle, overlapped)
    done = ffi.new("DWORD *")
    del buffer  # the caller keeps it alive across this call

    def run(value: int, event: int) -> Outcome:
        overlapped.hEvent = event | 1  # the low bit: no packet to a port the handle may be bound to
        if start(value, overlapped):
            return Outcome(WinError.SUCCESS, int(overlapped.InternalHigh))  # done at once: no wait
        error = last_error()
        if error == WinError.MORE_DATA:
            return Outcome(error, int(overlapped.InternalHigh))
        if error not in _QUEUED:
            return Outcome(error, 0)
        if waited.disposed:  # a close came between track() and the start: its cancel found nothing yet
            kernel32.CancelIoEx(value, overlapped)
        try:
            wait_objects([event], False, _INFINITE)  # in the main thread, in slices that let Ctrl+C in
        except BaseException:
            kernel32.CancelIoEx(value, overlapped)
            kernel32.GetOverlappedResult(value, overlapped, done, 1)  # the buffer is ours again only now
            raise
        if kernel32.GetOverlappedResult(value, overlapped, done, 0):
            return Outcome(WinError.SUCCESS, int(done[0]))
        return Outcome(last_error(), int(done[0]))

    with Event.create(manual_reset=True) as event:
        track(handle, waited)
        try:
            outcome = handle._call(lambda value: event._call(lambda event_value: run(value, event_value)))
        finally:
            forget(handle, waited)
    if waited.disposed and outcome.error == WinError.OPERATION_ABORTED:
        raise ObjectDisposedError(f"{handle!r} was closed while {function} was waiting")
    return outcome
