"""Directory changes with details: ReadDirectoryChangesW on a directory opened with CreateFileW
(``INVALID_HANDLE_VALUE`` on failure), closed by CloseHandle.

A :class:`ChangeNotification` says *that* something changed; a
:class:`DirectoryWatcher` says what: which name, what happened to it, and for
a rename the old name and the new one.

Nothing is lost between calls
-----------------------------
The kernel starts keeping a directory's changes for a handle at its first
``ReadDirectoryChangesW``: from then on, changes that happen while no read is
pending are kept in a buffer of the kernel's (as large as the first read's)
and returned by the next read. So the watcher issues its first read as it
opens, and keeps exactly one read *armed* at all times: :meth:`changes`
collects the completed read and arms the next one before it returns. A
change made after :meth:`DirectoryWatcher.open` returned is reported by some
later call, whenever the program gets round to it; a timeout, a Ctrl+C or a
cancelled task ends only the *wait*, never the read, so they lose nothing
either. When more changes pile up than the buffer holds, the kernel throws
them all away and says so (zero bytes, or ``ERROR_NOTIFY_ENUM_DIR``); that is
reported as a :attr:`ChangeAction.OVERFLOW` change, after which the program
should look at the directory itself.

Why not the overlapped operations of ``_async/_io``
---------------------------------------------------
A stream's ``read_async`` is one operation per call: it starts with the call
and ends with it, and a cancelled task cancels it. A watcher's read must
outlive the call (above), so it is the watcher's own state, not an operation
of the completion port's: the directory is opened for overlapped I/O with no
event (``hEvent`` NULL), so the kernel signals the directory handle itself
when the read completes, and :meth:`changes` is a wait on the handle
(:meth:`~WaitableHandle.wait`, in Ctrl+C-interruptible slices) and
:meth:`changes_async` an awaited one (:meth:`~WaitableHandle.wait_async`, the
library's wait threads). Both then collect the result with
``GetOverlappedResult`` and re-arm.

What an armed read keeps alive
------------------------------
Until the kernel reports completion it writes into the read's buffer and acts
on the handle's value. So an armed read holds a reference on the handle (taken
as a count, not as a Python reference, so that a watcher the program forgot
can still be collected), and its buffer and ``OVERLAPPED`` sit in a
module-level set until collected. Closing the watcher (``close()``, its
finalizer, the exit sweep) cancels the armed read and waits for the kernel to
report it before the handle is released.
"""

from __future__ import annotations

import enum
import os
import threading
import time
from dataclasses import dataclass
from typing import Any, ClassVar, Final

from typing_extensions import Self

from ..._bindings._constants import INFINITE, INVALID_HANDLE_VALUE, NULL, WinError
from ..._bindings._errors import last_error, raise_winerror
from ..._bindings._kernel32._files import (
    ChangeFilter,
    CreationDisposition,
    FileAccess,
    FileAction,
    FileFlag,
    FileShare,
)
from ..._bindings._native import ffi, kernel32
from ..._core._errors import ObjectDisposedError
from ..._win32._arguments import file_path, flag_bits, integer, milliseconds
from ..._win32._catalogue import Entry
from ..._win32._handles import WaitableHandle

__all__ = ["ChangeAction", "DirectoryChange", "DirectoryWatcher"]

#: The size of a record's fixed part (three DWORDs) before its name.
_HEADER: Final = 12
#: Each armed read, with its buffer and OVERLAPPED, from its start until it is collected:
#: the kernel may write into them until then, whatever happens to the watcher object.
_armed_reads: set[_Read] = set()
_armed_lock = threading.Lock()


class ChangeAction(enum.Enum):
    """What happened to a name in a watched directory (a :class:`DirectoryChange`'s ``action``)."""

    #: A file or directory was created (or moved in).
    ADDED = "added"
    #: A file or directory was deleted (or moved out).
    REMOVED = "removed"
    #: Its contents or attributes changed, as the watcher's filter selects.
    MODIFIED = "modified"
    #: It was renamed: ``old_path`` is the name it had, ``path`` the name it has.
    RENAMED = "renamed"
    #: More changes came than the buffer holds and the kernel discarded them: look at the directory.
    OVERFLOW = "overflow"


@dataclass(frozen=True)
class DirectoryChange:
    """One change in a watched directory.

    *path* is relative to the watched directory (``sub\\file.txt`` inside a
    watched subtree); for :attr:`ChangeAction.OVERFLOW` it is ``""``.
    *old_path* is the previous name of a :attr:`ChangeAction.RENAMED` one,
    None for every other action.
    """

    action: ChangeAction
    path: str
    old_path: str | None = None

    def __str__(self) -> str:
        if self.action is ChangeAction.RENAMED:
            return f"renamed {self.old_path} -> {self.path}"
        if self.action is ChangeAction.OVERFLOW:
            return "overflow: changes were lost"
        return f"{self.action.value} {self.path}"


_SIMPLE: Final = {
    FileAction.ADDED: ChangeAction.ADDED,
    FileAction.REMOVED: ChangeAction.REMOVED,
    FileAction.MODIFIED: ChangeAction.MODIFIED,
}


class _Read:
    """One armed ``ReadDirectoryChangesW``: its buffer and ``OVERLAPPED``, held until collected."""

    __slots__ = ("buffer", "overlapped", "size")

    def __init__(self, size: int) -> None:
        # DWORD-aligned, as ReadDirectoryChangesW requires of its buffer.
        self.buffer: Any = ffi.new("DWORD[]", (size + 3) // 4)
        self.size = size
        # hEvent stays NULL: the kernel signals the directory handle itself when the read completes.
        self.overlapped: Any = ffi.new("OVERLAPPED *")


class DirectoryWatcher(WaitableHandle):
    """Reports the changes in a directory (and, optionally, its subtree): which name, what happened.

    >>> with DirectoryWatcher.open(folder) as watcher:
    ...     for change in watcher.changes(timeout=10):
    ...         if change.action is ChangeAction.RENAMED:
    ...             print("renamed", change.old_path, "->", change.path)
    ...         else:
    ...             print(change.action.value, change.path)

    A change made after :meth:`open` returns is reported by a later
    :meth:`changes` (or :meth:`changes_async`) call, however long the program
    takes to make it: the watcher always has a read armed, and the kernel
    keeps what happens between calls (see the module's notes). The handle is
    signalled while a batch of changes is ready: :meth:`wait` says so without
    collecting it. One caller at a time collects: a second concurrent call
    raises ``RuntimeError``. A :meth:`duplicate` names the same directory
    object and shares the kernel's buffer with this watcher, so each change
    goes to whichever of them reads first. :meth:`from_raw` takes a directory
    handle opened with ``FILE_FLAG_OVERLAPPED`` (its first read is armed by
    its first :meth:`changes`); on a synchronous handle the read would block.
    """

    catalogue: ClassVar[Entry] = Entry(
        row="File",
        creators=(("CreateFileW", "INVALID_HANDLE_VALUE"),),
        destroyer="`CloseHandle` (the armed `ReadDirectoryChangesW` is cancelled first)",
        ownership="owned",
        wine="tested (a subtree watch reports nothing from subdirectories; "
        "an overflow completes with `ERROR_NOTIFY_ENUM_DIR`, not zero bytes)",
    )
    _object_type = "File"
    _rights = FileAccess

    __slots__ = ("_armed", "_filter", "_old_name", "_size", "_subtree", "_turn")

    def __init__(self, *, owns_handle: bool = True) -> None:
        super().__init__(owns_handle=owns_handle)
        self._filter = int(ChangeFilter.FILE_NAME | ChangeFilter.DIR_NAME | ChangeFilter.LAST_WRITE)
        self._subtree = False
        self._size = 65536
        #: The armed read, while there is one; whoever pops it collects it (a caller, or close()).
        self._armed: list[_Read] = []
        #: A rename's old name that ended a batch: its new name starts the next one.
        self._old_name: list[str] = []
        #: One token: the caller collecting holds it.
        self._turn: list[None] = [None]

    @classmethod
    def open(
        cls,
        directory: str | os.PathLike[str],
        changes: int = ChangeFilter.FILE_NAME | ChangeFilter.DIR_NAME | ChangeFilter.LAST_WRITE,
        *,
        subtree: bool = False,
        buffer_size: int = 65536,
    ) -> Self:
        """Open *directory* and start watching it for the *changes* (:class:`ChangeFilter` flags).

        ``subtree=True`` watches every directory below it too. *buffer_size*
        (bytes, 64 to 1 MiB) is how many changes a read holds, and the size of
        the kernel's buffer between reads; 64 KiB is also the most a
        directory on a network share accepts. The directory is opened for
        listing (``FILE_LIST_DIRECTORY``) with every share mode, so others may
        still rename or delete in it. A missing directory raises
        ``FileNotFoundError``; a path that is a file raises ``OSError`` from
        ``ReadDirectoryChangesW`` and leaves nothing open.
        """
        checked = file_path(directory, "directory")
        allowed = sum(flag.value for flag in ChangeFilter)
        wanted = flag_bits(changes, allowed, "changes", flags="ChangeFilter", nonzero=True)
        size = integer(buffer_size, "buffer_size", minimum=64, maximum=1 << 20)
        self, _ = cls._adopt(
            "CreateFileW",
            lambda: kernel32.CreateFileW(
                checked,
                FileAccess.LIST_DIRECTORY | FileAccess.SYNCHRONIZE,
                FileShare.READ | FileShare.WRITE | FileShare.DELETE,
                ffi.NULL,
                CreationDisposition.OPEN_EXISTING,
                FileFlag.BACKUP_SEMANTICS | FileFlag.OVERLAPPED,  # a directory needs BACKUP_SEMANTICS
                NULL,
            ),
            fails_with=INVALID_HANDLE_VALUE,
            filename=checked,
        )
        self._filter, self._subtree, self._size = wanted, bool(subtree), size
        try:
            self._arm()
        except BaseException:
            self.close()
            raise
        return self

    # -- the armed read -------------------------------------------------------------

    def _arm(self) -> None:
        """Start the next read, holding a reference on the handle until it is collected."""
        read = _Read(self._size)
        # A bare reference, not a LastingReference: that would hold the watcher object itself, and
        # _armed_reads would then keep a dropped watcher alive for ever instead of letting its
        # finalizer cancel the read and close it.
        self.dangerous_add_ref()  # ObjectDisposedError if closed; given back when the read is collected
        with _armed_lock:
            _armed_reads.add(read)
        try:
            started = self._call(
                kernel32.ReadDirectoryChangesW,
                read.buffer,
                read.size,
                self._subtree,
                self._filter,
                ffi.NULL,  # undefined for an overlapped read: the count comes from GetOverlappedResult
                read.overlapped,
                ffi.NULL,
            )
            error = 0 if started else last_error()
        except BaseException:
            self._forget(read)
            raise
        if error not in (WinError.SUCCESS, WinError.IO_PENDING):
            self._forget(read)  # it never started: nothing will complete
            raise_winerror("ReadDirectoryChangesW", error)
        self._armed.append(read)
        if self._close_requested():
            # A close ran between our reference and the append, and so found nothing to cancel.
            self._cancel_armed()

    def _forget(self, read: _Read) -> None:
        with _armed_lock:
            _armed_reads.discard(read)
        self.dangerous_release()

    def _finish(self, read: _Read, wait: bool) -> tuple[int, int]:
        """``GetOverlappedResult`` of a popped read: its error (0 for success) and the bytes it holds."""
        done = ffi.new("DWORD *")
        ok = self._call(kernel32.GetOverlappedResult, read.overlapped, done, wait)
        return (0 if ok else last_error()), int(done[0])

    def _cancel_armed(self) -> None:
        """Cancel the armed read, if any is left, and wait for the kernel to give its buffer back."""
        try:
            read = self._armed.pop()
        except IndexError:
            return
        try:
            self._call(kernel32.CancelIoEx, read.overlapped)
            self._finish(read, True)
        finally:
            self._forget(read)

    def _closing(self) -> None:
        super()._closing()
        self._cancel_armed()

    def detach(self) -> int:
        """Give up ownership and return the raw handle; the armed read is cancelled first."""
        if not self._close_requested():
            self._cancel_armed()
        return super().detach()

    # -- collecting ---------------------------------------------------------------

    def changes(self, timeout: float | None = None) -> list[DirectoryChange]:
        """Wait for the next changes and return them, in the order they happened; ``[]`` on timeout.

        *timeout* is in seconds; None waits forever. Changes that happened
        since the last call are returned at once. In the main thread Ctrl+C
        interrupts the wait with ``KeyboardInterrupt`` and loses nothing: the
        read stays armed. Closing the watcher meanwhile (from another thread)
        raises ``ObjectDisposedError``.
        """
        deadline = self._deadline(timeout)
        with self._collecting():
            while True:
                if not self.wait(self._remaining(deadline)):
                    return []
                found = self._collect()
                if found:
                    return found

    async def changes_async(self, timeout: float | None = None) -> list[DirectoryChange]:
        """Await the next changes and return them; ``[]`` on timeout.

        The await runs on the library's wait threads, so the loop goes on.
        Cancelling the task (``asyncio.wait_for`` timing out included) ends
        only the wait: the read stays armed and the changes it gets come with
        the next call. Closing the watcher meanwhile raises ``ObjectDisposedError``.
        """
        deadline = self._deadline(timeout)
        with self._collecting():
            while True:
                remaining = self._remaining(deadline)
                if remaining is not None and remaining <= 0:
                    ready = self.wait(0)
                else:
                    ready = await self.wait_async(remaining)
                if not ready:
                    return []
                found = self._collect()
                if found:
                    return found

    @staticmethod
    def _deadline(timeout: float | None) -> float | None:
        ms = milliseconds(timeout)
        return None if ms == INFINITE else time.perf_counter() + ms / 1000

    @staticmethod
    def _remaining(deadline: float | None) -> float | None:
        return None if deadline is None else max(0.0, deadline - time.perf_counter())

    def _collecting(self) -> _Turn:
        return _Turn(self)

    def _collect(self) -> list[DirectoryChange]:
        """The handle is signalled: take the completed read's changes and arm the next read."""
        try:
            read = self._armed.pop()
        except IndexError:
            if self._close_requested():
                raise ObjectDisposedError(f"{self!r} was closed while its changes were awaited") from None
            self._arm()  # an earlier read failed: try again (its error was raised then)
            return []
        try:
            error, size = self._finish(read, False)
        except BaseException:
            self._armed.append(read)  # still armed: a later call (or close) collects it
            raise
        if error == WinError.IO_INCOMPLETE:  # signalled by something else, yet still pending
            self._armed.append(read)
            return []
        # The records are copied out before the buffer is given up.
        data = bytes(ffi.buffer(read.buffer, size)) if error == WinError.SUCCESS else b""
        self._forget(read)
        if error == WinError.OPERATION_ABORTED and self._close_requested():
            raise ObjectDisposedError(f"{self!r} was closed while its changes were awaited")
        if error not in (WinError.SUCCESS, WinError.NOTIFY_ENUM_DIR, WinError.OPERATION_ABORTED):
            raise_winerror("ReadDirectoryChangesW", error)
        self._arm()
        if error == WinError.OPERATION_ABORTED:  # someone else's CancelIo: nothing to report
            return []
        if error == WinError.NOTIFY_ENUM_DIR or size == 0:
            return [*self._orphan(), DirectoryChange(ChangeAction.OVERFLOW, "")]
        return self._parse(data)

    def _orphan(self) -> list[DirectoryChange]:
        """An old name whose new name never came (lost in an overflow): the name is gone."""
        try:
            return [DirectoryChange(ChangeAction.REMOVED, self._old_name.pop())]
        except IndexError:
            return []

    def _parse(self, data: bytes) -> list[DirectoryChange]:
        """``FILE_NOTIFY_INFORMATION`` records in order, renames paired old to new."""
        found: list[DirectoryChange] = []
        offset = 0
        while offset + _HEADER <= len(data):
            following = int.from_bytes(data[offset : offset + 4], "little")
            action = int.from_bytes(data[offset + 4 : offset + 8], "little")
            length = int.from_bytes(data[offset + 8 : offset + 12], "little")
            name = data[offset + _HEADER : offset + _HEADER + length].decode("utf-16-le", "surrogatepass")
            if action == FileAction.RENAMED_OLD_NAME:
                found += self._orphan()
                self._old_name.append(name)
            elif action == FileAction.RENAMED_NEW_NAME:
                if self._old_name:
                    found.append(DirectoryChange(ChangeAction.RENAMED, name, self._old_name.pop()))
                else:  # its old name was lost in an overflow: the name is new here
                    found.append(DirectoryChange(ChangeAction.ADDED, name))
            else:
                found += self._orphan()
                simple = _SIMPLE.get(action)  # type: ignore[call-overload]
                if simple is not None:
                    found.append(DirectoryChange(simple, name))
            if following == 0:
                break
            offset += following
        return found


class _Turn:
    """The one caller collecting a watcher's changes, for the span of its call."""

    __slots__ = ("_watcher",)

    def __init__(self, watcher: DirectoryWatcher) -> None:
        self._watcher = watcher

    def __enter__(self) -> None:
        try:
            self._watcher._turn.pop()
        except IndexError:
            raise RuntimeError(
                f"{self._watcher!r} is already collecting changes in another thread or task"
            ) from None

    def __exit__(self, *exc_info: object) -> None:
        self._watcher._turn.append(None)
