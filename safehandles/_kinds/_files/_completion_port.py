"""I/O completion ports: CreateIoCompletionPort (NULL on failure), closed by CloseHandle.

A port is a queue of completed I/O. A handle opened for overlapped I/O is
*associated* with a port under a key of the caller's choosing; every overlapped
operation on it that completes then queues a packet (bytes transferred, the
key, the ``OVERLAPPED`` address) that :meth:`IoCompletionPort.get` dequeues.
:meth:`IoCompletionPort.post` queues a packet of one's own, the usual way to
wake the threads serving a port.

An association lasts as long as the associated handle: the port does not keep
the handle open, and the handle cannot be moved to another port.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from typing_extensions import Self

from ..._bindings._constants import DWORD_MAX, INVALID_HANDLE_VALUE, NULL, QWORD_MAX, WinError
from ..._bindings._errors import check_bool, last_error, raise_winerror
from ..._bindings._kernel32._io import IoCompletionAccess
from ..._bindings._native import ffi, kernel32
from ..._win32._arguments import integer, milliseconds
from ..._win32._catalogue import Entry
from ..._win32._handles import KernelHandle
from ..._win32._interruptible import call_in_slices

__all__ = ["CompletionStatus", "IoCompletionPort"]


class CompletionStatus(NamedTuple):
    """One packet dequeued from a completion port."""

    #: The bytes the operation transferred (or what was posted).
    bytes_transferred: int
    #: The key the handle was associated with (or what was posted).
    key: int
    #: The address of the operation's ``OVERLAPPED`` (or what was posted; 0 for none).
    overlapped: int
    #: 0, or the Win32 error the dequeued operation failed with.
    error: int = 0


class IoCompletionPort(KernelHandle):
    """A completion port.

    >>> with IoCompletionPort.create() as port:
    ...     port.post(key=7)
    ...     assert port.get(timeout=1).key == 7
    """

    catalogue: ClassVar[Entry] = Entry(
        row="I/O completion port",
        creators=(("CreateIoCompletionPort", "NULL"),),
        destroyer="`CloseHandle`",
        ownership="owned",
    )
    _object_type = "IoCompletion"
    _rights = IoCompletionAccess

    __slots__ = ()

    @classmethod
    def create(cls, *, threads: int = 0) -> Self:
        """Create a port that lets up to *threads* threads run at once (0: one per processor)."""
        count = integer(threads, "threads", minimum=0, maximum=DWORD_MAX)
        return cls._adopt(
            "CreateIoCompletionPort",
            lambda: kernel32.CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, count),
        )[0]

    def associate(self, handle: KernelHandle, key: int = 0) -> None:
        """Associate *handle* (opened for overlapped I/O) with the port under *key*.

        The handle is held open for the call; afterwards the association
        lasts until the handle is closed.
        """
        if not isinstance(handle, KernelHandle):
            raise TypeError(
                f"handle must be a KernelHandle (a File, NamedPipeServer, ...), not {type(handle).__name__}"
            )
        checked = integer(key, "key", minimum=0, maximum=QWORD_MAX)
        with handle.borrow() as value:
            result = self._call(lambda port: kernel32.CreateIoCompletionPort(value, port, checked, 0))
        if result == NULL:
            raise_winerror("CreateIoCompletionPort")

    def post(self, bytes_transferred: int = 0, key: int = 0, overlapped: int = 0) -> None:
        """Queue a packet of your own (``PostQueuedCompletionStatus``)."""
        count = integer(bytes_transferred, "bytes_transferred", minimum=0, maximum=DWORD_MAX)
        checked = integer(key, "key", minimum=0, maximum=QWORD_MAX)
        address = integer(overlapped, "overlapped", minimum=0, maximum=QWORD_MAX)
        result = self._call(kernel32.PostQueuedCompletionStatus, count, checked, address)
        check_bool(result, "PostQueuedCompletionStatus")

    def get(self, timeout: float | None = None) -> CompletionStatus | None:
        """Dequeue the next packet (``GetQueuedCompletionStatus``); None on timeout.

        A packet for an operation that failed is returned with its ``error``
        set, not raised: it still carries the key and ``OVERLAPPED`` to clean up.
        In the main thread Ctrl+C interrupts the wait with ``KeyboardInterrupt``
        (within 50 ms); no packet is taken off the queue then.
        """
        ms = milliseconds(timeout)
        count = ffi.new("DWORD *")
        key = ffi.new("ULONG_PTR *")
        overlapped = ffi.new("ADDRESS *")

        def dequeue(port: int, slice_ms: int) -> tuple[int, int]:
            ok = kernel32.GetQueuedCompletionStatus(port, count, key, overlapped, slice_ms)
            return ok, 0 if ok else last_error()  # read at once: a signal handler may run next

        def timed_out(result: tuple[int, int]) -> bool:
            ok, error = result
            return not ok and overlapped[0] == 0 and error == WinError.WAIT_TIMEOUT

        ok, error = self._call(
            lambda port: call_in_slices(lambda slice_ms: dequeue(port, slice_ms), ms, timed_out)
        )
        if not ok and overlapped[0] == 0:
            if error == WinError.WAIT_TIMEOUT:
                return None
            raise_winerror("GetQueuedCompletionStatus", error)
        return CompletionStatus(int(count[0]), int(key[0]), int(overlapped[0]), error)
