"""Pipes: anonymous pipes (CreatePipe, a BOOL, two handles) and named-pipe servers
(CreateNamedPipeW, ``INVALID_HANDLE_VALUE`` on failure), all closed by CloseHandle.

``CreatePipe`` makes two handles at once, a read end and a write end, and
:meth:`Pipe.create` returns both wrapped, neither inheritable unless asked (to
hand one end to a child, make just that end inheritable). A read returns
``b""`` once every write end is closed.

A named-pipe server is one *instance* of the pipe ``\\\\.\\pipe\\name``: it
waits for one client with :meth:`NamedPipeServer.connect` and ends that
client's session with :meth:`NamedPipeServer.disconnect` (``DisconnectNamedPipe``),
after which it may connect the next one. A client that opened the pipe before
``connect`` is called is already connected (``ERROR_PIPE_CONNECTED``), and
``connect`` returns at once. Clients open the pipe with :meth:`File.open`.

Every pipe handle can :meth:`~PeekableStream.peek`: a :class:`PipeEnd`, a
:class:`NamedPipeServer`, and a :class:`File` that is a pipe client.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, ClassVar

from typing_extensions import Self

from ..._bindings._constants import INVALID_HANDLE_VALUE, LONG_MAX, WinError
from ..._bindings._errors import check_bool, last_error, raise_winerror
from ..._bindings._kernel32._files import FileFlag
from ..._bindings._kernel32._pipes import PIPE_UNLIMITED_INSTANCES, PipeDirection, PipeMode
from ..._bindings._native import advapi32, ffi, kernel32
from ..._win32._adoption import adopt_written
from ..._win32._arguments import integer, member, milliseconds, object_name
from ..._win32._catalogue import Entry
from ..._win32._handles import security_attributes
from ..._win32._interruptible import call_cancellable
from ..._win32._stream import PeekableStream
from ._python_file import msvcrt, to_python_file

if TYPE_CHECKING:
    from ..._async._io import Outcome

__all__ = ["NamedPipeServer", "Pipe", "PipeEnd"]


def _connect(value: int) -> tuple[int, int]:
    """``ConnectNamedPipe`` and its last error, read in the thread that made the call."""
    ok = kernel32.ConnectNamedPipe(value, ffi.NULL)
    return ok, 0 if ok else last_error()


def _connect_start(value: int, overlapped: Any) -> int:
    return kernel32.ConnectNamedPipe(value, overlapped)


class PipeEnd(PeekableStream):
    """One end of an anonymous pipe (or any pipe handle wrapped with ``from_raw``).

    :meth:`peek` tells how many bytes wait to be read, and raises
    ``BrokenPipeError`` once the other end is gone and nothing is left.

    With the standard library: :meth:`fileno` gives a C runtime descriptor, so
    ``subprocess.Popen(stdout=end)`` and ``os.read``/``os.write`` take a pipe
    end (typeshed types Popen's streams as ``int | IO``: under mypy pass
    ``end.fileno()``); :meth:`to_python_file` makes a Python file object over it.

    >>> reader, writer = Pipe.create()
    >>> with reader, writer, subprocess.Popen(["cmd", "/c", "echo hi"], stdout=writer.fileno()):
    ...     writer.close()  # the child holds its own copy; the read ends when the child exits
    ...     output = reader.read()
    """

    _object_type = "File"

    __slots__ = ("_descriptor",)

    @staticmethod
    def _close_descriptor(fd: int, /, _close: Callable[[int], None] = os.close) -> None:
        """``os.close``, bound as a default so that a release still finds it during interpreter teardown."""
        _close(fd)

    def __init__(self, *, owns_handle: bool = True) -> None:
        super().__init__(owns_handle=owns_handle)
        # The one descriptor fileno() made, while it is open.
        self._descriptor: list[int] = []

    def fileno(self) -> int:
        """A C runtime file descriptor for this pipe end, for ``subprocess`` and the ``os`` functions.

        The first call makes it (``msvcrt.open_osfhandle``) over a duplicate of
        the handle, not inheritable; later calls return the same one. This
        PipeEnd owns it and closes it with itself (``close()``, the
        finalizer, ``detach()``, a transferring :meth:`to_python_file`), so it
        is valid exactly while the PipeEnd is open: do not ``os.close`` it.
        The handle itself is unchanged, and only synchronous ends have one.
        """
        self._require_synchronous("fileno")
        # Made holding a reference, so a concurrent close() waits and then closes it too.
        return self._call(self._make_descriptor)

    def _make_descriptor(self, _value: int) -> int:
        if self._descriptor:
            return self._descriptor[0]
        crt = msvcrt()
        with self.duplicate() as copy:
            fd = int(copy._call(crt.open_osfhandle, 0))  # binary, read and write as the handle allows
            copy.detach()  # the descriptor owns the copy now
        self._descriptor.append(fd)
        if self._descriptor[0] != fd:  # another thread made one first: keep that one
            self._descriptor.remove(fd)
            self._close_descriptor(fd)
        return self._descriptor[0]

    def _drop_descriptor(self) -> None:
        try:
            fd = self._descriptor.pop()
        except IndexError:
            return
        self._close_descriptor(fd)  # closes the duplicate the descriptor owns

    def _release_native(self, by_close: bool = False) -> None:
        # The descriptor goes with the handle, whether this end owned the handle or borrowed it.
        try:
            self._drop_descriptor()
        finally:
            super()._release_native(by_close)

    def detach(self) -> int:
        """Give up ownership and return the raw handle; :meth:`fileno`'s descriptor is closed."""
        value = super().detach()
        self._drop_descriptor()
        return value

    def set_handle_as_invalid(self) -> None:
        super().set_handle_as_invalid()
        self._drop_descriptor()

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
        """A Python file object (as ``open()`` makes) over this pipe end, as :meth:`File.to_python_file` does.

        ``transfer=True`` (the default) hands the handle over: this PipeEnd
        reads as closed at once and the Python file closes the handle.
        ``transfer=False`` gives the Python file a duplicate; each closes its
        own. ``open()``'s arguments are checked before anything is handed over.
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


class Pipe:
    """An anonymous pipe: :attr:`read_end` and :attr:`write_end`, each a :class:`PipeEnd`.

    >>> with Pipe.create() as (reader, writer):
    ...     writer.write(b"ping")
    ...     assert reader.read(4) == b"ping"

    It unpacks as ``reader, writer = Pipe.create()``; closing the pair (or
    leaving its ``with`` block) closes both ends.
    """

    catalogue: ClassVar[Entry] = Entry(
        row="Pipe",
        creators=(("CreatePipe", "FALSE (two handles)"),),
        destroyer="`CloseHandle` on each end",
        ownership="owned",
    )

    __slots__ = ("read_end", "write_end")

    def __init__(self, read_end: PipeEnd, write_end: PipeEnd) -> None:
        #: The end data is read from.
        self.read_end: PipeEnd = read_end
        #: The end data is written to.
        self.write_end: PipeEnd = write_end

    @classmethod
    def create(cls, *, size: int = 0, inheritable: bool = False) -> Self:
        """Create a pipe with a buffer of about *size* bytes (0: the system default).

        Both ends are inheritable only with ``inheritable=True``; to give a
        child one end, set that end's ``inheritable`` instead.
        """
        size = integer(size, "size", minimum=0, maximum=LONG_MAX)
        reader, writer = PipeEnd(), PipeEnd()
        values = ffi.new("HANDLE[2]")
        adopt_written(
            "CreatePipe",
            lambda: kernel32.CreatePipe(values, values + 1, security_attributes(inheritable), size),
            lambda: (values[0], values[1]),
            (reader, writer),
        )
        return cls(reader, writer)

    def __iter__(self) -> Iterator[PipeEnd]:
        return iter((self.read_end, self.write_end))

    def close(self) -> None:
        """Close both ends (each one's ``close()``: idempotent)."""
        try:
            self.write_end.close()
        finally:
            self.read_end.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Pipe read_end={self.read_end!r} write_end={self.write_end!r}>"


class NamedPipeServer(PipeEnd):
    """One server instance of a named pipe.

    >>> with NamedPipeServer.create(r"\\\\.\\pipe\\app") as server:
    ...     server.connect()          # waits for a client
    ...     request = server.read()
    ...     server.write(b"done")
    ...     server.disconnect()
    """

    catalogue: ClassVar[Entry] = Entry(
        row="Pipe",
        creators=(("CreateNamedPipeW", "INVALID_HANDLE_VALUE"),),
        destroyer="`CloseHandle` (`DisconnectNamedPipe` ends a client's session)",
        ownership="owned",
        wine="tested (`FILE_FLAG_FIRST_PIPE_INSTANCE` is ignored)",
    )

    __slots__ = ()

    @classmethod
    def create(
        cls,
        name: str,
        *,
        direction: PipeDirection = PipeDirection.DUPLEX,
        message_mode: bool = False,
        max_instances: int = PIPE_UNLIMITED_INSTANCES,
        buffer_size: int = 4096,
        default_timeout: float | None = 0,
        first_instance: bool = False,
        reject_remote_clients: bool = True,
        overlapped: bool = False,
        inheritable: bool = False,
    ) -> Self:
        """Create an instance of the named pipe *name* (``\\\\.\\pipe\\...``).

        *message_mode* makes it a message pipe (each write one message, read
        as such); otherwise bytes. *max_instances* (1 to 255, 255 for no
        limit) must be the same for every instance; one instance too many
        raises ``OSError`` (``ERROR_PIPE_BUSY``). ``first_instance=True``
        fails with ``PermissionError`` when the pipe exists already.
        *default_timeout* is what ``WaitNamedPipe`` clients wait by default
        (0: 50 ms).
        """
        checked = object_name(name, optional=False)
        way = member(direction, PipeDirection, "direction")
        instances = integer(max_instances, "max_instances", minimum=1, maximum=PIPE_UNLIMITED_INSTANCES)
        size = integer(buffer_size, "buffer_size", minimum=0, maximum=LONG_MAX)
        timeout = milliseconds(default_timeout, "default_timeout")
        open_mode = int(way)
        if first_instance:
            open_mode |= FileFlag.FIRST_PIPE_INSTANCE
        if overlapped:
            open_mode |= FileFlag.OVERLAPPED
        pipe_mode = PipeMode.WAIT
        if message_mode:
            pipe_mode |= PipeMode.TYPE_MESSAGE | PipeMode.READMODE_MESSAGE
        if reject_remote_clients:
            pipe_mode |= PipeMode.REJECT_REMOTE_CLIENTS
        self = cls._adopt(
            "CreateNamedPipeW",
            lambda: kernel32.CreateNamedPipeW(
                checked,
                open_mode,
                pipe_mode,
                instances,
                size,
                size,
                timeout,
                security_attributes(inheritable),
            ),
            fails_with=INVALID_HANDLE_VALUE,
            filename=checked,
        )[0]
        self._overlapped = bool(overlapped)
        return self

    def connect(self) -> None:
        """Wait for a client to open the pipe (``ConnectNamedPipe``).

        Returns at once if a client connected before the call
        (``ERROR_PIPE_CONNECTED`` counts as connected). On a server created
        with ``overlapped=True`` it starts an overlapped connect and waits. In
        the main thread Ctrl+C interrupts the wait with ``KeyboardInterrupt``
        (the call is cancelled; see ``_win32/_interruptible``), and the
        instance can be connected again.
        """
        if self._overlapped:
            self._connected(self._overlapped_sync(_connect_start, None, None, "ConnectNamedPipe"))
            return
        ok, error = call_cancellable(self, _connect)
        if not ok and error != WinError.PIPE_CONNECTED:
            raise_winerror("ConnectNamedPipe", error)

    async def connect_async(self) -> None:
        """Await a client opening the pipe (an overlapped ``ConnectNamedPipe``).

        Needs a server created with ``overlapped=True``. Returns at once if a
        client connected before the call. Cancelling the task cancels the
        connect; closing the server meanwhile raises ``ObjectDisposedError``.
        """
        self._require_overlapped("connect_async")
        self._connected(await self._overlapped_async(_connect_start, None, None, "ConnectNamedPipe"))

    @staticmethod
    def _connected(outcome: Outcome) -> None:
        if outcome.error not in (WinError.SUCCESS, WinError.PIPE_CONNECTED):
            raise_winerror("ConnectNamedPipe", outcome.error)

    def disconnect(self) -> None:
        """End the client's session (``DisconnectNamedPipe``); unread data is discarded."""
        check_bool(self._call(kernel32.DisconnectNamedPipe), "DisconnectNamedPipe")

    def client_process_id(self) -> int:
        """The process id of the connected client (``GetNamedPipeClientProcessId``).

        Ask once a client is connected (after :meth:`connect`). The id names
        the process that opened the pipe, which may have exited since.
        """
        pid = ffi.new("ULONG *")
        check_bool(self._call(kernel32.GetNamedPipeClientProcessId, pid), "GetNamedPipeClientProcessId")
        return int(pid[0])

    @contextlib.contextmanager
    def impersonate_client(self) -> Iterator[None]:
        """Run the ``with`` block in this thread as the connected client (``ImpersonateNamedPipeClient``).

        The thread takes the client's security context: access checks in the
        block are made against the client's token (``AccessToken.open_thread()``
        opens it), as far as the client allowed when it opened the pipe. The
        block ends with ``RevertToSelf``, however it is left. Windows lets a
        server impersonate only once it has read from the pipe: before that
        this raises ``OSError`` (``ERROR_CANNOT_IMPERSONATE``). Impersonation
        belongs to the thread: do not ``await`` inside the block.
        """
        check_bool(self._call(advapi32.ImpersonateNamedPipeClient), "ImpersonateNamedPipeClient")
        try:
            yield
        finally:
            # Never leave the thread running as the client: a failed revert is an error of its own.
            check_bool(advapi32.RevertToSelf(), "RevertToSelf")
