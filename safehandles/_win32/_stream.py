"""What the byte-stream kinds share: ``ReadFile`` and ``WriteFile`` on a handle.

Files, pipe ends, named-pipe servers, mailslots and communications devices
are all read and written with the same two calls, synchronously
(:meth:`~StreamHandle.read`, :meth:`~StreamHandle.write`) or awaited
(:meth:`~StreamHandle.read_async`, :meth:`~StreamHandle.write_async`).

A handle opened for overlapped I/O (``overlapped=True``) can do both: each
operation passes an ``OVERLAPPED``, awaited through the library's completion
port, or waited for by the synchronous methods (``safehandles._async._io``
says how the buffer, the ``OVERLAPPED`` and the handle are kept alive for the
kernel). A handle opened for synchronous I/O can only be read and written
synchronously: its ``read_async`` raises ``ValueError`` (use
``loop.run_in_executor`` around ``read()``).

An overlapped handle has no file pointer the kernel keeps for it; the
wrapper keeps its own :attr:`~StreamHandle.position`, where an operation
without ``offset=`` starts and which each completed one advances by the
bytes it moved, as .NET's ``FileStream`` does. Only positioned kinds
(files) take ``offset=``.

End of data reads as ``b""``: ``ERROR_HANDLE_EOF`` on a file, and
``ERROR_BROKEN_PIPE`` once the other end of a pipe is closed.

:class:`PeekableStream` adds ``peek()`` for the kinds whose handle can be a
pipe: pipe ends, named-pipe servers, and files (a pipe client is opened by
name with ``CreateFileW``, so it is a ``File``). Mailslots, consoles and
communications devices are never pipes and do not have it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from typing_extensions import Buffer, Self

from .._bindings._constants import DWORD_MAX, LONG_MAX, LONGLONG_MAX, WinError
from .._bindings._errors import last_error, raise_winerror
from .._bindings._kernel32._files import FileAccess
from .._bindings._native import ffi, kernel32
from ._arguments import bytes_like, integer
from ._handles import KernelHandle

if TYPE_CHECKING:
    from .._async._io import Outcome, Start

#: How a read's outcome says "no more data": end of file, or the other end of the pipe is gone.
_END_OF_DATA = frozenset({WinError.HANDLE_EOF, WinError.BROKEN_PIPE, WinError.PIPE_NOT_CONNECTED})

__all__ = ["PeekableStream", "StreamHandle"]


class StreamHandle(KernelHandle):
    """A kernel handle read and written with ``ReadFile``/``WriteFile``."""

    __slots__ = ("_overlapped", "_position")
    _rights = FileAccess  # files, pipes, mailslots, devices and consoles are all file objects
    #: Whether the kind has a position (files): only then do reads and writes take ``offset=``.
    _positioned: ClassVar[bool] = False

    def __init__(self, *, owns_handle: bool = True) -> None:
        super().__init__(owns_handle=owns_handle)
        self._overlapped = False
        self._position = 0

    @property
    def overlapped(self) -> bool:
        """Whether this handle was opened for overlapped (asynchronous) I/O by this library."""
        return self._overlapped

    def _require_synchronous(self, operation: str) -> None:
        if self._overlapped:
            raise ValueError(
                f"{operation}() needs a handle opened for synchronous I/O; {self!r} was opened "
                "for overlapped I/O"
            )

    def _require_overlapped(self, operation: str) -> None:
        if not self._overlapped:
            raise ValueError(
                f"{operation}() needs a handle opened with overlapped=True; {self!r} was opened for "
                "synchronous I/O (await loop.run_in_executor(None, ...) around the synchronous call instead)"
            )

    def _duplicate_here(self, access: int | None, inheritable: bool) -> Self:
        copy = super()._duplicate_here(access, inheritable)
        copy._overlapped = self._overlapped  # the copy names the same file object, opened the same way
        if self._overlapped:
            from .._async._port import dispatcher  # noqa: PLC0415 (loaded with the first async operation)

            dispatcher.share_binding(self, copy)
        return copy

    # -- where an overlapped operation starts ----------------------------------------

    def _start_offset(self, offset: int | None) -> int:
        if offset is None:
            return self._position if self._positioned else 0
        if not self._positioned:
            raise ValueError(f"{type(self).__name__} has no position: offset= is only for files")
        return integer(offset, "offset", minimum=0, maximum=LONGLONG_MAX)

    def _moved(self, offset: int | None, outcome: Outcome) -> None:
        if offset is None and self._positioned:
            self._position += outcome.transferred

    def _overlapped_sync(self, start: Start, buffer: object, offset: int | None, function: str) -> Outcome:
        from .._async._io import perform_sync  # noqa: PLC0415

        outcome = perform_sync(self, start, buffer, self._start_offset(offset), function)
        self._moved(offset, outcome)
        return outcome

    async def _overlapped_async(
        self, start: Start, buffer: object, offset: int | None, function: str
    ) -> Outcome:
        from .._async._io import perform  # noqa: PLC0415

        outcome = await perform(self, start, buffer, self._start_offset(offset), function)
        self._moved(offset, outcome)
        return outcome

    # -- reading ------------------------------------------------------------------------

    @staticmethod
    def _read_start(buffer: Any, size: int) -> Start:
        return lambda value, overlapped: kernel32.ReadFile(value, buffer, size, ffi.NULL, overlapped)

    @staticmethod
    def _read_result(outcome: Outcome, buffer: Any) -> bytes:
        if outcome.error in _END_OF_DATA:
            return b""
        if outcome.error not in (WinError.SUCCESS, WinError.MORE_DATA):
            raise_winerror("ReadFile", outcome.error)
        return bytes(ffi.buffer(buffer, outcome.transferred))

    def read(self, size: int = 65536) -> bytes:
        """Read up to *size* bytes (``ReadFile``); ``b""`` at end of file or once a pipe is broken.

        From a message-mode pipe, a message longer than *size* arrives in
        parts: each call returns the next part. On an overlapped handle it
        starts an overlapped read at :attr:`position` and waits for it.
        """
        size = integer(size, "size", minimum=0, maximum=LONG_MAX)
        buffer = ffi.new("char[]", max(size, 1))
        if self._overlapped:
            outcome = self._overlapped_sync(self._read_start(buffer, size), buffer, None, "ReadFile")
            return self._read_result(outcome, buffer)
        done = ffi.new("DWORD *")
        if not self._call(kernel32.ReadFile, buffer, size, done, ffi.NULL):
            error = last_error()
            if error in (WinError.HANDLE_EOF, WinError.BROKEN_PIPE):
                return b""
            if error != WinError.MORE_DATA:
                raise_winerror("ReadFile", error)
        return bytes(ffi.buffer(buffer, done[0]))

    async def read_async(self, size: int = 65536, *, offset: int | None = None) -> bytes:
        """Await a read of up to *size* bytes; ``b""`` at end of file or once the other end is gone.

        Needs a handle opened with ``overlapped=True``. *offset* (files only)
        says where to read; omitted, the read starts at :attr:`position`,
        which it advances. The handle stays open, and the buffer alive, until
        the kernel reports completion: cancelling the task cancels the read
        (``CancelIoEx``) and raises ``CancelledError`` once the kernel has
        reported; closing the handle meanwhile raises ``ObjectDisposedError``.
        """
        size = integer(size, "size", minimum=0, maximum=LONG_MAX)
        self._require_overlapped("read_async")
        buffer = ffi.new("char[]", max(size, 1))
        outcome = await self._overlapped_async(self._read_start(buffer, size), buffer, offset, "ReadFile")
        return self._read_result(outcome, buffer)

    # -- writing ------------------------------------------------------------------------

    @staticmethod
    def _write_source(data: Buffer) -> tuple[Any, int]:
        source = bytes_like(data)
        size = len(source)
        if size > DWORD_MAX:
            raise ValueError(f"a write takes at most {DWORD_MAX} bytes at once, not {size}")
        return source, size

    def write(self, data: Buffer) -> int:
        """Write *data* (any bytes-like object) with ``WriteFile``; return the bytes written.

        On an overlapped handle it starts an overlapped write at
        :attr:`position` and waits for it.
        """
        source, size = self._write_source(data)
        if self._overlapped:
            # The wait ends only once the kernel has reported (even when interrupted): no copy needed.
            outcome = self._overlapped_sync(self._write_start(source, size), source, None, "WriteFile")
            return self._write_result(outcome)
        done = ffi.new("DWORD *")
        if not self._call(kernel32.WriteFile, source, size, done, ffi.NULL):
            raise_winerror("WriteFile")
        return int(done[0])

    async def write_async(self, data: Buffer, *, offset: int | None = None) -> int:
        """Await a write of *data* (any bytes-like object); return the bytes written.

        Needs a handle opened with ``overlapped=True``. *offset* (files only)
        says where to write; omitted, the write starts at :attr:`position`,
        which it advances. *data* is copied first, so the caller may reuse
        its buffer at once; the copy lives until the kernel reports
        completion. Cancellation and closing behave as for :meth:`read_async`.
        """
        source, size = self._write_source(data)
        self._require_overlapped("write_async")
        copy = ffi.from_buffer(ffi.buffer(source)[:])  # the kernel reads it until completion: a private copy
        outcome = await self._overlapped_async(self._write_start(copy, size), copy, offset, "WriteFile")
        return self._write_result(outcome)

    @staticmethod
    def _write_start(source: Any, size: int) -> Start:
        return lambda value, overlapped: kernel32.WriteFile(value, source, size, ffi.NULL, overlapped)

    @staticmethod
    def _write_result(outcome: Outcome) -> int:
        if outcome.error != WinError.SUCCESS:
            raise_winerror("WriteFile", outcome.error)
        return outcome.transferred

    # -- the position of an overlapped handle ---------------------------------------

    @property
    def position(self) -> int:
        """Where the next read or write without ``offset=`` starts (overlapped files).

        Advanced by each completed read and write by the bytes it moved;
        set it to move. Operations started together without ``offset=``
        all start at the same position: pass ``offset=`` for concurrent I/O.
        """
        return self._position

    @position.setter
    def position(self, value: int) -> None:
        self._position = integer(value, "position", minimum=0, maximum=LONGLONG_MAX)


class PeekableStream(StreamHandle):
    """A stream handle that can be a pipe, and so can be peeked at (``PeekNamedPipe``)."""

    __slots__ = ()

    def peek(self) -> int:
        """How many bytes are waiting to be read from this pipe, without reading them.

        0 means nothing has arrived yet. Once the other end is closed and
        everything it sent has been read, ``PeekNamedPipe`` fails with
        ``ERROR_BROKEN_PIPE`` and this raises ``BrokenPipeError`` (``winerror``
        109), so a polling loop can tell "nothing yet" from "gone". On a handle
        that is not a pipe (a disk file), Windows' own error is raised as
        ``OSError`` with ``winerror``.
        """
        available = ffi.new("DWORD *")
        if not self._call(kernel32.PeekNamedPipe, ffi.NULL, 0, ffi.NULL, available, ffi.NULL):
            raise_winerror("PeekNamedPipe")
        return int(available[0])
