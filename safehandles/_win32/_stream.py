"""What the byte-stream kinds share: ``ReadFile`` and ``WriteFile`` on a handle.

Files, pipe ends, named-pipe servers, mailslots and communications devices
are all read and written with the same two calls. These methods are the
synchronous ones: a handle opened for overlapped I/O (``FILE_FLAG_OVERLAPPED``)
must pass an ``OVERLAPPED`` to every read and write, so they refuse such a
handle with ``ValueError`` rather than let Windows misbehave; drive it through
an :class:`IoCompletionPort` instead.

End of data reads as ``b""``: ``ERROR_HANDLE_EOF`` on a file, and
``ERROR_BROKEN_PIPE`` once the other end of a pipe is closed.

:class:`PeekableStream` adds ``peek()`` for the kinds whose handle can be a
pipe: pipe ends, named-pipe servers, and files (a pipe client is opened by
name with ``CreateFileW``, so it is a ``File``). Mailslots, consoles and
communications devices are never pipes and do not have it.
"""

from __future__ import annotations

from typing_extensions import Buffer, Self

from .._bindings._constants import DWORD_MAX, LONG_MAX, WinError
from .._bindings._errors import last_error, raise_winerror
from .._bindings._kernel32._files import FileAccess
from .._bindings._native import ffi, kernel32
from ._arguments import bytes_like, integer
from ._handles import KernelHandle

__all__ = ["PeekableStream", "StreamHandle"]


class StreamHandle(KernelHandle):
    """A kernel handle read and written with ``ReadFile``/``WriteFile``."""

    __slots__ = ("_overlapped",)
    _rights = FileAccess  # files, pipes, mailslots, devices and consoles are all file objects

    def __init__(self, *, owns_handle: bool = True) -> None:
        super().__init__(owns_handle=owns_handle)
        self._overlapped = False

    @property
    def overlapped(self) -> bool:
        """Whether this handle was opened for overlapped (asynchronous) I/O by this library."""
        return self._overlapped

    def _require_synchronous(self, operation: str) -> None:
        if self._overlapped:
            raise ValueError(
                f"{operation}() needs a handle opened for synchronous I/O; {self!r} was opened "
                "for overlapped I/O (use an IoCompletionPort)"
            )

    def _duplicate_here(self, access: int | None, inheritable: bool) -> Self:
        copy = super()._duplicate_here(access, inheritable)
        copy._overlapped = self._overlapped  # the copy names the same file object, opened the same way
        return copy

    def read(self, size: int = 65536) -> bytes:
        """Read up to *size* bytes (``ReadFile``); ``b""`` at end of file or once a pipe is broken.

        From a message-mode pipe, a message longer than *size* arrives in
        parts: each call returns the next part.
        """
        size = integer(size, "size", minimum=0, maximum=LONG_MAX)
        self._require_synchronous("read")
        buffer = ffi.new("char[]", max(size, 1))
        done = ffi.new("DWORD *")
        if not self._call(kernel32.ReadFile, buffer, size, done, ffi.NULL):
            error = last_error()
            if error in (WinError.HANDLE_EOF, WinError.BROKEN_PIPE):
                return b""
            if error != WinError.MORE_DATA:
                raise_winerror("ReadFile", error)
        return bytes(ffi.buffer(buffer, done[0]))

    def write(self, data: Buffer) -> int:
        """Write *data* (any bytes-like object) with ``WriteFile``; return the bytes written."""
        source = bytes_like(data)
        size = len(source)
        if size > DWORD_MAX:
            raise ValueError(f"write() takes at most {DWORD_MAX} bytes at once, not {size}")
        self._require_synchronous("write")
        done = ffi.new("DWORD *")
        if not self._call(kernel32.WriteFile, source, size, done, ffi.NULL):
            raise_winerror("WriteFile")
        return int(done[0])


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
