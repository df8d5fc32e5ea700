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

from collections.abc import Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any

from typing_extensions import Self

from ..._bindings._constants import INVALID_HANDLE_VALUE, LONG_MAX, WinError
from ..._bindings._errors import check_bool, last_error, raise_winerror
from ..._bindings._kernel32._files import FileFlag
from ..._bindings._kernel32._pipes import PIPE_UNLIMITED_INSTANCES, PipeDirection, PipeMode
from ..._bindings._native import ffi, kernel32
from ..._win32._adoption import adopt_written
from ..._win32._arguments import integer, member, milliseconds, object_name
from ..._win32._catalogue import Entry
from ..._win32._handles import security_attributes
from ..._win32._stream import PeekableStream

if TYPE_CHECKING:
    from ..._async._io import Outcome

__all__ = ["NamedPipeServer", "Pipe", "PipeEnd"]


def _connect_start(value: int, overlapped: Any) -> int:
    return kernel32.ConnectNamedPipe(value, overlapped)


class PipeEnd(PeekableStream):
    """One end of an anonymous pipe (or any pipe handle wrapped with ``from_raw``).

    :meth:`peek` tells how many bytes wait to be read, and raises
    ``BrokenPipeError`` once the other end is gone and nothing is left.
    """

    _object_type = "File"

    __slots__ = ()


class Pipe:
    """An anonymous pipe: :attr:`read_end` and :attr:`write_end`, each a :class:`PipeEnd`.

    >>> with Pipe.create() as (reader, writer):
    ...     writer.write(b"ping")
    ...     assert reader.read(4) == b"ping"

    It unpacks as ``reader, writer = Pipe.create()``; closing the pair (or
    leaving its ``with`` block) closes both ends.
    """

    catalogue = Entry(
        row="Pipe",
        creators=(("CreatePipe", "FALSE (two handles)"),),
        destroyer="`CloseHandle` on each end",
        ownership="owned",
    )

    __slots__ = ("read_end", "write_end")

    def __init__(self, read_end: PipeEnd, write_end: PipeEnd) -> None:
        #: The end data is read from.
        self.read_end = read_end
        #: The end data is written to.
        self.write_end = write_end

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

    catalogue = Entry(
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
        with ``overlapped=True`` it starts an overlapped connect and waits.
        """
        if self._overlapped:
            self._connected(self._overlapped_sync(_connect_start, None, None, "ConnectNamedPipe"))
            return
        if self._call(kernel32.ConnectNamedPipe, ffi.NULL):
            return
        error = last_error()
        if error != WinError.PIPE_CONNECTED:
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
