"""Files: CreateFileW (``INVALID_HANDLE_VALUE`` on failure), closed by CloseHandle.

``CreateFileW`` opens far more than disk files: pipe clients
(``\\\\.\\pipe\\name``), mailslot clients (``\\\\.\\mailslot\\name``), devices.
All of them are the kernel's "File" objects and read and write the same way;
a pipe client can :meth:`~File.peek` like any other pipe handle.

Python's own files live in the C runtime's descriptor table, one level above
the handle. ``msvcrt.open_osfhandle`` makes a descriptor that *owns* a handle
(closing the descriptor closes the handle) and ``msvcrt.get_osfhandle``
lends the handle behind a descriptor. Exactly one owner must close a handle,
so both directions here say who does:

* :meth:`File.to_python_file` with ``transfer=True`` hands this wrapper's
  handle over to the new Python file (the wrapper reads as closed); with
  ``transfer=False`` the Python file gets its own duplicate, and both close
  their own. The descriptor is made by ``open()``'s *opener*, so from the
  moment it exists ``open()`` alone owns it: a failure closes it once, there.
  What ``open()`` refuses only after making its descriptor (an unknown
  encoding, a bad newline, unbuffered text) is checked before, so it raises
  ``open()``'s own error and leaves the File as it was.
* :meth:`File.from_python_file` with ``owns_handle=True`` duplicates the
  descriptor's handle (the wrapper closes its copy, the Python file its own);
  with ``owns_handle=False`` it borrows the handle, which stays valid only
  while the Python file is open.
"""

from __future__ import annotations

import math
import os
import time
from typing import IO, TYPE_CHECKING, Any, ClassVar, Final

from typing_extensions import Self

from ..._bindings._constants import (
    DWORD_MAX,
    INFINITE,
    INVALID_HANDLE_VALUE,
    LONG_MAX,
    LONGLONG_MAX,
    NULL,
    QWORD_MAX,
    WinError,
)
from ..._bindings._errors import check_bool, last_error, raise_winerror, winerror_exception
from ..._bindings._kernel32._files import (
    CreationDisposition,
    FileAccess,
    FileFlag,
    FileInfoClass,
    FileShare,
    FileType,
    LockFlag,
    MoveMethod,
)
from ..._bindings._kernel32._pipes import NMPWAIT_WAIT_FOREVER, PipeMode
from ..._bindings._native import ffi, kernel32
from ..._win32._arguments import bytes_like, file_path, flag_bits, integer, member, milliseconds, object_name
from ..._win32._catalogue import Entry
from ..._win32._handles import security_attributes
from ..._win32._interruptible import call_in_slices
from ..._win32._stream import PeekableStream, StreamHandle
from ._python_file import msvcrt, to_python_file

if TYPE_CHECKING:
    from typing_extensions import Buffer

    from ..._async._io import Outcome

__all__ = ["File", "create_file"]

_ACCESS_WORDS: Final = {
    "r": FileAccess.GENERIC_READ,
    "w": FileAccess.GENERIC_WRITE,
    "rw": FileAccess.GENERIC_READ | FileAccess.GENERIC_WRITE,
}


def _access(access: int | str) -> int:
    if isinstance(access, str):
        try:
            return int(_ACCESS_WORDS[access])
        except KeyError:
            raise ValueError(f"access must be 'r', 'w', 'rw' or FileAccess rights, not {access!r}") from None
    return File._access(access)


def create_file(
    cls: type[StreamHandle],
    creator: str,
    path: str,
    access: int,
    share: int,
    disposition: int,
    flags: int,
    inheritable: bool,
) -> Any:
    """Run CreateFileW for *cls* and check its failure value, INVALID_HANDLE_VALUE."""
    self, _ = cls._adopt(
        creator,
        lambda: kernel32.CreateFileW(
            path, access, share, security_attributes(inheritable), disposition, flags, NULL
        ),
        fails_with=INVALID_HANDLE_VALUE,
        filename=path,
    )
    self._overlapped = bool(flags & FileFlag.OVERLAPPED)
    return self


def _wait_named_pipe(name: str, ms: int) -> tuple[int, int]:
    """``WaitNamedPipeW`` and its last error, read at once (a signal handler may run between slices)."""
    ok = kernel32.WaitNamedPipeW(name, NMPWAIT_WAIT_FOREVER if ms == INFINITE else ms)
    return ok, 0 if ok else last_error()


def _pipe_busy(error: OSError) -> bool:
    return getattr(error, "winerror", None) == WinError.PIPE_BUSY


class File(PeekableStream):
    """A file (or pipe client, mailslot client, device) opened with ``CreateFileW``.

    >>> with File.open(path, access="rw", disposition=CreationDisposition.CREATE_ALWAYS) as f:
    ...     f.write(b"hello")
    ...     f.seek(0)
    ...     assert f.read() == b"hello"
    """

    catalogue: ClassVar[Entry] = Entry(
        row="File",
        creators=(("CreateFileW", "INVALID_HANDLE_VALUE"),),
        destroyer=(
            "`CloseHandle`; `DeleteFileW` (`File.delete(path)`) removes the file itself, at once or once "
            "its last handle closes (as `delete_on_close` and `delete_when_closed()` do)"
        ),
        ownership="owned; borrowed by `from_python_file(owns_handle=False)`",
        wine="tested (unlocking an unlocked range gives `ERROR_LOCK_VIOLATION`, not `ERROR_NOT_LOCKED`)",
    )
    _object_type = "File"
    _rights = FileAccess
    _positioned = True

    __slots__ = ()

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        access: int | str = FileAccess.GENERIC_READ,
        disposition: int = CreationDisposition.OPEN_EXISTING,
        share: int = FileShare.READ | FileShare.WRITE,
        delete_on_close: bool = False,
        inheritable: bool = False,
        overlapped: bool = False,
        flags: int = 0,
    ) -> Self:
        """Open or create a file with ``CreateFileW``.

        *access* is ``"r"``, ``"w"``, ``"rw"`` or :class:`FileAccess` rights
        (read-only by default); *disposition* says what happens when the file
        exists or not (open an existing one by default); *share* is what other
        opens may do meanwhile. ``delete_on_close=True`` deletes the file when
        its last handle closes. ``overlapped=True`` opens it for asynchronous
        I/O through an :class:`IoCompletionPort` (then :meth:`read`,
        :meth:`write` and :meth:`lock` refuse it). *flags* adds further
        :class:`FileFlag` or :class:`FileAttribute` bits.

        A missing file raises ``FileNotFoundError``; an existing one with
        ``CREATE_NEW`` raises ``FileExistsError``.
        """
        checked = file_path(path)
        mask = _access(access)
        how = int(member(disposition, CreationDisposition, "disposition"))
        shared = flag_bits(share, 0x7, "share", flags="FileShare")
        extra = integer(flags, "flags", minimum=0, maximum=DWORD_MAX)
        if delete_on_close:
            extra |= FileFlag.DELETE_ON_CLOSE
        if overlapped:
            extra |= FileFlag.OVERLAPPED
        result: Self = create_file(cls, "CreateFileW", checked, mask, shared, how, extra, inheritable)
        return result

    # -- named-pipe clients -------------------------------------------------------

    @classmethod
    def open_pipe(
        cls,
        name: str,
        *,
        timeout: float | None = None,
        access: int | str = "rw",
        message_mode: bool = False,
        overlapped: bool = False,
        inheritable: bool = False,
    ) -> Self:
        """Open a client end of the named pipe *name* (``\\\\.\\pipe\\...``), waiting for a free instance.

        While every instance of the pipe is busy with another client, it waits
        (``WaitNamedPipeW``) up to *timeout* seconds (None: as long as it
        takes) for one to be free, and raises ``TimeoutError`` (``winerror``
        121, ``ERROR_SEM_TIMEOUT``) when none was. A pipe with no instance at
        all raises ``FileNotFoundError`` at once. In the main thread Ctrl+C
        interrupts the wait with ``KeyboardInterrupt``.

        ``message_mode=True`` reads the pipe in message mode (see
        :meth:`set_read_mode`; the server must have created a message pipe).
        *access* is ``"r"``, ``"w"``, ``"rw"`` (the default) or :class:`FileAccess`
        rights, to match the pipe's direction.
        """
        checked = object_name(name, optional=False)
        mask = _access(access)
        if message_mode:
            mask |= FileAccess.WRITE_ATTRIBUTES  # what SetNamedPipeHandleState needs
        ms = milliseconds(timeout)
        flags = int(FileFlag.OVERLAPPED) if overlapped else 0
        deadline = None if ms == INFINITE else time.perf_counter() + ms / 1000
        while True:
            try:
                self: Self = create_file(
                    cls,
                    "CreateFileW",
                    checked,
                    mask,
                    0,
                    CreationDisposition.OPEN_EXISTING,
                    flags,
                    inheritable,
                )
                break
            except OSError as exc:
                if not _pipe_busy(exc):
                    raise
            left = INFINITE if deadline is None else math.ceil((deadline - time.perf_counter()) * 1000)
            if left <= 0:
                raise TimeoutError(
                    0, f"WaitNamedPipeW: no instance of the pipe was free within {timeout} s", checked, 121
                )
            # A free instance may be taken by another client before our CreateFileW: then wait again.
            ok, error = call_in_slices(
                lambda slice_ms: _wait_named_pipe(checked, slice_ms),
                left,
                lambda result: result[1] == WinError.SEM_TIMEOUT,
            )
            if not ok and error != WinError.SEM_TIMEOUT:
                raise_winerror("WaitNamedPipeW", error, checked)
        if message_mode:
            try:
                self.set_read_mode(message=True)
            except BaseException:
                self.close()
                raise
        return self

    def set_read_mode(self, *, message: bool) -> None:
        """Read this pipe handle in message mode (a read returns one message, or its next part) or as bytes.

        ``SetNamedPipeHandleState``; a client needs ``FileAccess.WRITE_ATTRIBUTES``
        (``"w"``, ``"rw"`` and ``open_pipe(message_mode=True)`` have it).
        Message mode on a byte pipe raises ``OSError`` (``ERROR_INVALID_PARAMETER``).
        """
        mode = ffi.new("DWORD *", PipeMode.READMODE_MESSAGE if message else PipeMode.READMODE_BYTE)
        check_bool(
            self._call(kernel32.SetNamedPipeHandleState, mode, ffi.NULL, ffi.NULL), "SetNamedPipeHandleState"
        )

    def transact(self, data: Buffer, size: int = 65536) -> bytes:
        """Write one message and read the reply in one call (``TransactNamedPipe``).

        For a pipe in message read mode (``open_pipe(message_mode=True)``;
        a byte-mode one raises ``OSError``, ``ERROR_BAD_PIPE``) with nothing
        unread. A reply longer than *size* bytes returns its first *size*
        bytes; :meth:`read` returns the rest. On an overlapped handle it
        starts an overlapped transaction and waits for it.
        """
        source = bytes_like(data)
        length = len(source)
        if length > DWORD_MAX:
            raise ValueError(f"a message takes at most {DWORD_MAX} bytes, not {length}")
        size = integer(size, "size", minimum=1, maximum=LONG_MAX)
        reply = ffi.new("char[]", size)
        if self._overlapped:
            outcome = self._overlapped_sync(
                lambda value, overlapped: kernel32.TransactNamedPipe(
                    value, source, length, reply, size, ffi.NULL, overlapped
                ),
                (source, reply),
                None,
                "TransactNamedPipe",
            )
            return self._transacted(outcome, reply)
        done = ffi.new("DWORD *")
        if not self._call(kernel32.TransactNamedPipe, source, length, reply, size, done, ffi.NULL):
            error = last_error()
            if error != WinError.MORE_DATA:
                raise_winerror("TransactNamedPipe", error)
        return bytes(ffi.buffer(reply, done[0]))

    @staticmethod
    def _transacted(outcome: Outcome, reply: Any) -> bytes:
        if outcome.error not in (WinError.SUCCESS, WinError.MORE_DATA):
            raise_winerror("TransactNamedPipe", outcome.error)
        return bytes(ffi.buffer(reply, outcome.transferred))

    # -- deleting the file --------------------------------------------------------

    @staticmethod
    def delete(path: str | os.PathLike[str]) -> None:
        """Delete the file at *path* (``DeleteFileW``), the File row's other destroyer.

        The kernel table's destroyers of a file are ``CloseHandle`` (for the
        handle) and ``DeleteFile`` (for the file itself). A file nobody has
        open is gone at once. One that is open with ``FileShare.DELETE`` is
        marked for deletion and removed once its last handle closes. One
        open without that share
        raises ``PermissionError`` (32, ``ERROR_SHARING_VIOLATION``); a
        missing file ``FileNotFoundError``; a read-only file or a directory
        ``PermissionError`` (5).
        """
        checked = file_path(path)
        check_bool(kernel32.DeleteFileW(checked), "DeleteFileW", filename=checked)

    def delete_when_closed(self, delete: bool = True) -> None:
        """Mark the file to be deleted when its last handle closes, or (``False``) unmark it.

        ``SetFileInformationByHandle(FileDispositionInfo)``: the handle needs
        ``FileAccess.DELETE`` (open with ``access=FileAccess.DELETE | ...``
        and a *share* that includes ``FileShare.DELETE`` for other handles
        to stay open). Unlike ``DeleteFileW`` this deletes the very file this
        handle has open, even if its name now belongs to another file.
        """
        info = ffi.new("BYTE *", bool(delete))  # FILE_DISPOSITION_INFO is one BOOLEAN
        ok = self._call(kernel32.SetFileInformationByHandle, FileInfoClass.FILE_DISPOSITION_INFO, info, 1)
        if not ok:
            exc = winerror_exception("SetFileInformationByHandle(FileDispositionInfo)")
            if getattr(exc, "winerror", None) == WinError.ACCESS_DENIED:
                exc.strerror = f"{exc.strerror} (needs FileAccess.DELETE (DELETE) on the file)"
            raise exc

    # -- position and size --------------------------------------------------------

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        """Move the file pointer (``SetFilePointerEx``) and return the new position.

        *whence* is ``os.SEEK_SET``, ``os.SEEK_CUR`` or ``os.SEEK_END``. On an
        overlapped handle it moves :attr:`position` (and the kernel's pointer
        with it, which :meth:`truncate` uses).
        """
        offset = integer(offset, "offset", minimum=-LONGLONG_MAX, maximum=LONGLONG_MAX)
        method = member(whence, MoveMethod, "whence (os.SEEK_SET, SEEK_CUR or SEEK_END)")
        if self._overlapped and method != MoveMethod.BEGIN:
            base = self._position if method == MoveMethod.CURRENT else self.size()
            offset, method = base + offset, MoveMethod.BEGIN
        position = ffi.new("LARGE_INTEGER *")
        check_bool(self._call(kernel32.SetFilePointerEx, offset, position, method), "SetFilePointerEx")
        if self._overlapped:
            self._position = int(position[0])
        return int(position[0])

    def tell(self) -> int:
        """The current position of the file pointer (:attr:`position` on an overlapped handle)."""
        if self._overlapped:
            return self._position
        return self.seek(0, os.SEEK_CUR)

    def size(self) -> int:
        """The file's size in bytes (``GetFileSizeEx``)."""
        size = ffi.new("LARGE_INTEGER *")
        check_bool(self._call(kernel32.GetFileSizeEx, size), "GetFileSizeEx")
        return int(size[0])

    def truncate(self, size: int | None = None) -> int:
        """Make the file *size* bytes long (default: the current position); return the size.

        The file pointer is left at the new end, as ``SetEndOfFile`` needs it there.
        """
        if size is not None:
            size = integer(size, "size", minimum=0, maximum=LONGLONG_MAX)
            self.seek(size)
        check_bool(self._call(kernel32.SetEndOfFile), "SetEndOfFile")
        return self.tell()

    def flush(self) -> None:
        """Write the file's buffered data to the device (``FlushFileBuffers``)."""
        check_bool(self._call(kernel32.FlushFileBuffers), "FlushFileBuffers")

    @property
    def file_type(self) -> FileType:
        """What the handle refers to: a disk file, a character device, a pipe (``GetFileType``)."""
        kind = self._call(kernel32.GetFileType)
        if kind == FileType.UNKNOWN and last_error() != 0:
            raise_winerror("GetFileType")
        return FileType(kind)

    # -- byte-range locks ----------------------------------------------------------

    def lock(self, offset: int, length: int, *, exclusive: bool = True, wait: bool = True) -> bool:
        """Lock *length* bytes from *offset* (``LockFileEx``).

        A zero *length* is legal, as ``LockFileEx`` allows it: it takes a
        zero-byte lock at *offset*, which :meth:`unlock` with the same
        zero length releases. Exclusive by default (shared with ``exclusive=False``). With
        ``wait=False`` it returns False at once if another handle holds a
        conflicting lock; otherwise it waits and returns True. Release it
        with :meth:`unlock` (closing the handle releases it too).
        """
        overlapped, low, high = self._range(offset, length)
        self._require_synchronous("lock")
        flags = (LockFlag.EXCLUSIVE_LOCK if exclusive else 0) | (0 if wait else LockFlag.FAIL_IMMEDIATELY)
        if self._call(kernel32.LockFileEx, flags, 0, low, high, overlapped):
            return True
        error = last_error()
        if not wait and error == WinError.LOCK_VIOLATION:
            return False
        raise_winerror("LockFileEx", error)

    def unlock(self, offset: int, length: int) -> None:
        """Release a lock taken with :meth:`lock` over exactly the same range (``UnlockFileEx``).

        A zero-byte lock is released with a zero *length*.
        """
        overlapped, low, high = self._range(offset, length)
        check_bool(self._call(kernel32.UnlockFileEx, 0, low, high, overlapped), "UnlockFileEx")

    @staticmethod
    def _range(offset: int, length: int) -> tuple[Any, int, int]:
        offset = integer(offset, "offset", minimum=0, maximum=QWORD_MAX)
        # Zero bytes is a legal range for LockFileEx and UnlockFileEx.
        length = integer(length, "length", minimum=0, maximum=QWORD_MAX)
        overlapped: Any = ffi.new("OVERLAPPED *")
        overlapped.Offset = offset & DWORD_MAX
        overlapped.OffsetHigh = offset >> 32
        return overlapped, length & DWORD_MAX, length >> 32

    # -- Python files --------------------------------------------------------------

    def to_python_file(
        self,
        mode: str = "rb",
        *,
        transfer: bool = True,
        buffering: int = -1,
        encoding: str | None = None,
        errors: str | None = None,
        newline: str | None = None,
    ) -> IO[Any]:
        """A Python file object (as ``open()`` makes) over this file's handle.

        ``transfer=True`` (the default) hands the handle over: this wrapper
        reads as closed at once and the Python file closes the handle.
        ``transfer=False`` gives the Python file a duplicate of the handle;
        each then closes its own. *mode* and the other arguments are
        ``open()``'s; the position is shared with the handle (and with a
        duplicate).

        Arguments ``open()`` refuses raise ``open()``'s own exception and
        leave this File open and usable. (An error ``open()`` can find only
        from the descriptor, such as a directory, closes the handle with it
        when it was transferred.)
        """
        return to_python_file(
            self,
            mode,
            transfer=transfer,
            buffering=buffering,
            encoding=encoding,
            errors=errors,
            newline=newline,
        )

    @classmethod
    def from_python_file(cls, file: IO[Any] | int, *, owns_handle: bool) -> Self:
        """Wrap the handle behind a Python file object (or a descriptor).

        ``owns_handle=True`` duplicates the handle: the wrapper owns and
        closes its copy, and the Python file still closes its own.
        ``owns_handle=False`` borrows the very handle: close the wrapper
        before the Python file, which alone closes it. Buffered data in the
        Python file is flushed first, so writes through the handle come after it.
        """
        if isinstance(file, int):
            fd = integer(file, "file", minimum=0, maximum=LONG_MAX, expected="a file object or a descriptor")
        else:
            fileno = getattr(file, "fileno", None)
            if fileno is None:
                raise TypeError(f"file must be a file object or a descriptor, not {type(file).__name__}")
            file.flush()
            fd = fileno()
        value = int(msvcrt().get_osfhandle(fd))
        borrowed = cls.from_raw(value, owns_handle=False)
        if not owns_handle:
            return borrowed
        try:
            return borrowed.duplicate()
        finally:
            borrowed.close()
