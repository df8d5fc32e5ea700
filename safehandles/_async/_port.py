"""The library's completion port and the one thread that serves it.

Every overlapped handle the library drives asynchronously is associated,
on its first asynchronous operation, with one completion port of the
library's own, under key 0. One dispatcher thread dequeues the port's
packets in batches (``GetQueuedCompletionStatusEx``), finds the operation by
its ``OVERLAPPED`` address, records the result, gives back the handle's
lasting reference and wakes the awaiting loop. So a completion is fully
handled, the native handle released if it was closed meanwhile, even if no
loop runs any more.

Each associated handle is also set to skip the port when a request
completes at once (``FILE_SKIP_COMPLETION_PORT_ON_SUCCESS``): a write with
room in the pipe, or a read of data already there, then costs one call and
no packet, no thread and no hand-off to a loop. The I/O manager queues no
packet for a request that was neither pending nor failed; a message-mode
read that returns ``ERROR_MORE_DATA`` at once is such a request too (its
status is a warning, ``STATUS_BUFFER_OVERFLOW``, not an error), so
:func:`perform` treats TRUE and a synchronous ``ERROR_MORE_DATA`` alike as
done. Where Windows refuses the mode (a socket behind a layered provider
that does not hand out IFS handles), the handle keeps the packets and
everything goes through the port.

The port lives as long as the process: an association cannot be undone or
moved to another port, so a handle associated with a port that closed could
never complete again. It is one handle, like Winsock's event. The thread,
though, ends once it has had nothing in flight for ``IDLE_SECONDS`` and starts
again with the next operation, so a program that is done with asynchronous
I/O is left with no thread of the library's.
"""

from __future__ import annotations

import atexit
import threading
import weakref
from typing import TYPE_CHECKING, Final, Protocol

from .._bindings._constants import NULL, WinError
from .._bindings._errors import last_error, raise_winerror
from .._bindings._kernel32._io import CompletionNotificationMode
from .._bindings._native import ffi, kernel32
from .._core._safehandle import LastingReference, _report_unraisable
from .._kinds._files._completion_port import IoCompletionPort

if TYPE_CHECKING:
    from .._win32._handles import KernelHandle

__all__ = ["IDLE_SECONDS", "Expected", "dispatcher"]

#: How long the dispatcher thread waits with nothing in flight before it ends.
IDLE_SECONDS: Final = 0.5
_BATCH: Final = 64
_STOP_KEY: Final = 1  # key 0 is every associated handle's; 1 is the dispatcher's own wake-up


class Expected(Protocol):
    """An operation whose packet the dispatcher waits for."""

    @property
    def address(self) -> int: ...
    def complete(self, transferred: int) -> None: ...
    def cancel(self, *, disposed: bool) -> None: ...


class _Dispatcher:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._port: IoCompletionPort | None = None
        self._thread: threading.Thread | None = None
        #: OVERLAPPED address -> operation: keeps each operation, its buffer and its OVERLAPPED alive.
        self._expected: dict[int, Expected] = {}
        #: Handles already associated with the port (an association cannot be made twice).
        self._bound: weakref.WeakSet[KernelHandle] = weakref.WeakSet()
        #: Those of them whose requests that complete at once queue no packet.
        self._skipping: weakref.WeakSet[KernelHandle] = weakref.WeakSet()

    @property
    def thread(self) -> threading.Thread | None:
        return self._thread

    def in_flight(self) -> int:
        return len(self._expected)

    def _open_port(self) -> IoCompletionPort:
        with self._lock:
            if self._port is None:
                self._port = IoCompletionPort.create(threads=1)
                atexit.register(self._stop)
            return self._port

    def bind(self, handle: KernelHandle, reference: LastingReference) -> bool:
        """Associate *handle* with the port, once (its copies share the association).

        Returns whether a request on it that completes at once queues no
        packet (``FILE_SKIP_COMPLETION_PORT_ON_SUCCESS`` is set).
        """
        if handle in self._bound:
            return handle in self._skipping
        port = self._open_port()
        result = port._call(lambda value: reference.call(kernel32.CreateIoCompletionPort, value, 0, 0))
        if result == NULL:
            error = last_error()
            if error == WinError.INVALID_PARAMETER:
                raise ValueError(
                    f"{handle!r} cannot be driven asynchronously: it is already associated with another "
                    "completion port (an IoCompletionPort of yours, or the library's through a copy "
                    "made outside duplicate())"
                )
            raise_winerror("CreateIoCompletionPort", error)
        self._bound.add(handle)
        skip = CompletionNotificationMode.SKIP_COMPLETION_PORT_ON_SUCCESS
        if reference.call(kernel32.SetFileCompletionNotificationModes, skip):
            self._skipping.add(handle)
            return True
        return False

    def share_binding(self, original: KernelHandle, copy: KernelHandle) -> None:
        """*copy* names the same file object as *original*, so it shares its association."""
        if original in self._bound:
            self._bound.add(copy)
        if original in self._skipping:  # the mode, too, is the file object's
            self._skipping.add(copy)

    def expect(self, operation: Expected) -> None:
        """Wait for *operation*'s packet; register it before the operation starts.

        Then :meth:`unexpect` it if it failed or was done at once, or
        :meth:`serve` it if a packet will come.
        """
        self._open_port()
        with self._lock:
            self._expected[operation.address] = operation

    def serve(self) -> None:
        """A packet will come: make sure the thread runs (the packet waits in the port until then)."""
        port = self._open_port()
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._serve, args=(port,), name="safehandles-completions", daemon=True
                )
                self._thread.start()

    def unexpect(self, operation: Expected) -> None:
        """*operation* failed as it started, or was done at once: no packet will come for it."""
        with self._lock:
            self._expected.pop(operation.address, None)

    def _serve(self, port: IoCompletionPort) -> None:
        entries = ffi.new("OVERLAPPED_ENTRY[]", _BATCH)
        removed = ffi.new("ULONG *")
        idle_ms = int(IDLE_SECONDS * 1000)
        while True:
            ok = port._call(kernel32.GetQueuedCompletionStatusEx, entries, _BATCH, removed, idle_ms, 0)
            if not ok:
                error = last_error()
                with self._lock:
                    if not self._expected:
                        self._thread = None
                        return
                if error != WinError.WAIT_TIMEOUT:
                    _report_unraisable(OSError(f"GetQueuedCompletionStatusEx failed: {error}"), "dispatcher")
                continue
            for index in range(removed[0]):
                entry = entries[index]
                if entry.lpCompletionKey == _STOP_KEY:
                    with self._lock:
                        self._thread = None
                    return
                with self._lock:
                    operation = self._expected.pop(entry.lpOverlapped, None)
                if operation is None:  # not an operation of the library's (posted by someone else)
                    continue
                try:
                    operation.complete(entry.dwNumberOfBytesTransferred)
                except BaseException as exc:  # the thread must go on serving the others
                    _report_unraisable(exc, f"while completing {operation!r}")

    def _stop(self) -> None:
        """At interpreter exit: cancel what is in flight, let the thread report it, and end the thread."""
        with self._lock:
            operations = list(self._expected.values())
            thread, port = self._thread, self._port
        for operation in operations:
            operation.cancel(disposed=False)
        if thread is not None and port is not None:
            deadline = 1.0
            while self._expected and deadline > 0:
                thread.join(0.01)
                deadline -= 0.01
            port.post(key=_STOP_KEY)
            thread.join(1.0)
        # The port is the library's own, not a handle the program forgot: close it here, before
        # the exit sweep would (with a ResourceWarning). A thread still inside its wait holds a
        # reference, so the handle is released only once that call returns.
        with self._lock:
            self._port = None
        if port is not None:
            port.close()


dispatcher: Final = _Dispatcher()
