"""The operations in flight on each handle: what ``close()`` cancels.

An overlapped read or a pending ``wait_async`` holds a lasting reference on
its handle (:class:`~safehandles._core._safehandle.LastingReference`), so a
``close()`` meanwhile cannot release the native handle: it would wait for the
operation, which may never end on its own (a read from a silent pipe). So
``close()`` asks each operation in flight on the handle to cancel, as .NET's
``FileStream.Dispose`` does; their awaits raise ``ObjectDisposedError``, and the
last completion the kernel reports releases the handle.

An operation registers here after taking its reference and then checks
whether a close was requested meanwhile; a close marks itself first and looks
here second. Whichever order the two threads run in, one of them cancels.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .._core._safehandle import SafeHandle

__all__ = ["InFlight", "cancel_all", "forget", "in_flight", "track"]


class InFlight(Protocol):
    def cancel(self, *, disposed: bool) -> None:
        """Ask the kernel to end the operation early; *disposed*: because its handle is being closed."""


#: id(handle) -> its operations in flight. The operation holds the handle, so the id is not reused meanwhile.
in_flight: dict[int, set[InFlight]] = {}
_lock = threading.Lock()


def track(handle: SafeHandle, operation: InFlight) -> None:
    """Make *operation* known to *handle*'s close; cancel it at once if a close came first."""
    with _lock:
        in_flight.setdefault(id(handle), set()).add(operation)
    if handle._close_requested():
        operation.cancel(disposed=True)


def forget(handle: SafeHandle, operation: InFlight) -> None:
    """*operation* has completed: its handle's close no longer needs to cancel it."""
    with _lock:
        operations = in_flight.get(id(handle))
        if operations is not None:
            operations.discard(operation)
            if not operations:
                del in_flight[id(handle)]


def cancel_all(handle: SafeHandle) -> None:
    """Cancel every operation in flight on *handle*, as closing it does."""
    with _lock:
        operations = list(in_flight.get(id(handle), ()))
    for operation in operations:
        operation.cancel(disposed=True)
