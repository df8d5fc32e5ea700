"""Winsock sockets: WSASocketW / accept, closed by closesocket.

A socket is a handle in the process handle table (so it can be inherited and
protected from closing like any handle) but it must be closed with
``closesocket``, never ``CloseHandle``: the Winsock provider keeps state per
socket that only ``closesocket`` releases. Its "no socket" value is
``INVALID_SOCKET`` alone; 0 could in principle be a socket.

Sockets are inheritable by default on Windows (``socket()`` has no way to say
otherwise), so this class creates them with ``WSASocketW`` and
``WSA_FLAG_NO_HANDLE_INHERIT``, and clears the flag on accepted sockets, unless
``inheritable=True`` is asked for.

Winsock is started and cleaned up automatically (see ``_winsock``): every
owned socket holds one reference on it until after its ``closesocket``.

``DuplicateHandle`` must not be used on sockets (Microsoft: the provider would
not know of the copy); :meth:`Socket.duplicate` uses ``WSADuplicateSocketW``
and ``WSASocketW`` instead. For the same reason ``duplicate(target_process=...)``
is refused with ``ValueError``: another process gets a socket only by calling
``WSASocketW`` itself, with the information ``WSADuplicateSocketW`` made for it,
so there is no handle value to return. :meth:`Socket.share` makes that
information (the bytes Python's ``socket.share`` makes) and
:meth:`Socket.from_share` opens it in the target.

Timeouts work as Python's: ``settimeout(None)`` blocks, ``settimeout(0)`` is
non-blocking mode (``ioctlsocket(FIONBIO)``, ``BlockingIOError``), and a
positive timeout waits with ``select`` before each call, then raises
``TimeoutError``. :meth:`Socket.fileno` lets ``select`` and ``selectors`` take a
socket, and the addresses it returns are :class:`SocketAddress` tuples, which
the standard library's socket functions take under mypy too.

Conversion to and from Python's ``socket.socket`` always says who closes:
``from_python(sock, transfer=True)`` detaches the Python socket so that only
the wrapper closes it; ``transfer=False`` borrows it (the wrapper never closes
it). ``to_python()`` detaches the wrapper and hands the socket to a new
``socket.socket``.
"""

from __future__ import annotations

import errno
import math
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, overload

from typing_extensions import Buffer, Self

from ..._bindings._constants import DWORD_MAX, LONG_MAX, WinError
from ..._bindings._errors import winerror_exception, wsa_exception
from ..._bindings._native import ffi, kernel32, ws2_32
from ..._bindings._types import CData
from ..._bindings._ws2_32 import (
    FIONBIO,
    FROM_PROTOCOL_INFO,
    INVALID_SOCKET,
    SO_PROTOCOL_INFOW,
    SOCKET_ERROR,
    SOL_SOCKET,
    SOMAXCONN,
    AddressFamily,
    ShutdownHow,
    SocketKind,
    SocketOption,
    SocketOptionLevel,
    SocketProtocol,
    WsaFlag,
)
from ..._core._errors import ObjectDisposedError
from ..._win32._adoption import adopt_returned
from ..._win32._arguments import bytes_like, integer, member, milliseconds
from ..._win32._catalogue import Entry
from ..._win32._handles import KernelHandle, RawHandle, destroy_keeping_last_error
from ._sockaddr import Address, SocketAddress, decode, encode, storage
from ._winsock import Winsock, winsock

if TYPE_CHECKING:
    import socket as _pysocket

    from .._processes._process import Process

__all__ = ["Socket"]


def _enum_or_int(enum: type[AddressFamily] | type[SocketKind], value: int) -> int:
    try:
        return enum(value)
    except ValueError:
        return value


def _check_int(value: object, what: str) -> int:
    return integer(value, what, minimum=-LONG_MAX - 1, maximum=LONG_MAX)


class Socket(KernelHandle):
    """A Winsock socket: blocking stream or datagram I/O over IPv4 or IPv6.

    >>> with Socket.create() as server:
    ...     server.bind(("127.0.0.1", 0))
    ...     server.listen()
    ...     with Socket.create() as client:
    ...         client.connect(server.getsockname())
    ...         peer, _ = server.accept()
    ...         with peer:
    ...             client.sendall(b"ping")
    ...             assert peer.recv(4) == b"ping"
    """

    catalogue: ClassVar[Entry] = Entry(
        row="Socket",
        creators=(("WSASocketW", "INVALID_SOCKET"), ("accept", "INVALID_SOCKET")),
        destroyer="`closesocket`",
        ownership="owned; borrowed from `from_python(transfer=False)`",
    )

    __slots__ = ("_family", "_protocol", "_timeout", "_type", "_winsock")
    _destroyer_name: ClassVar[str] = "closesocket"

    @staticmethod
    def _destroy(value: int, /, _closesocket: Callable[[int], int] = ws2_32.closesocket) -> int:
        return _closesocket(value) != SOCKET_ERROR

    def __init__(self, *, owns_handle: bool = True) -> None:
        super().__init__(owns_handle=owns_handle)
        self._value = INVALID_SOCKET
        self._family: int = AddressFamily.UNSPEC
        self._type: int = 0
        self._protocol: int = SocketProtocol.DEFAULT
        # The mode this wrapper set (Windows cannot be asked): None blocking, 0.0 non-blocking,
        # else seconds each operation may wait.
        self._timeout: float | None = None
        # Holds one token while this wrapper holds a reference on Winsock.
        self._winsock: list[None] = []

    @property
    def is_invalid(self) -> bool:
        return self._value == INVALID_SOCKET

    # -- Winsock's reference, taken with the value and given back after closesocket ----

    # Bound on the class, so that a release still finds them while the interpreter shuts down.
    _library: ClassVar[Winsock] = winsock
    _release_with: ClassVar[tuple[Callable[..., int], Callable[[], int], Callable[[int], None]]] = (
        destroy_keeping_last_error,
        ws2_32.WSAGetLastError,
        ws2_32.WSASetLastError,
    )

    def set_handle(self, value: int) -> None:
        super().set_handle(value)  # first: a value that is no SOCKET is refused before Winsock is touched
        if self._owns and not self.is_invalid:
            self._library.acquire()
            self._winsock.append(None)

    def _give_back_winsock(self) -> None:
        try:
            self._winsock.pop()
        except IndexError:
            return
        self._library.release()

    def release_handle(self) -> bool:
        # closesocket, then Winsock's reference; the thread's last error is left as
        # it was (a release can end someone else's call) or as closesocket set it.
        keeping_last_error, get_error, set_error = self._release_with
        closed = bool(
            keeping_last_error(self._destroy, self._value, get_last_error=get_error, set_last_error=set_error)
        )
        error = get_error()
        self._give_back_winsock()  # WSACleanup may set an error of its own
        set_error(error)
        return closed

    def _release_failure(self) -> OSError:
        return wsa_exception(self._destroyer_name)

    def set_handle_as_invalid(self) -> None:
        live = not self.is_closed
        super().set_handle_as_invalid()
        if live:
            self._give_back_winsock()

    def detach(self) -> int:
        """Give up ownership and return the raw socket value; the wrapper reads as closed.

        The caller now closes the socket with ``closesocket``. The wrapper's
        reference on Winsock goes with it: it is given back only if Python's
        ``socket`` module is loaded (which keeps Winsock started until exit), so
        that the last ``WSACleanup`` never resets a socket the caller still owns.
        """
        value = super().detach()
        if "_socket" in sys.modules:
            self._give_back_winsock()
        return value

    # -- creators ----------------------------------------------------------------------

    @classmethod
    def _new(cls, function: str, call: Callable[[], int], like: tuple[int, int, int]) -> Self:
        """Run a creator with Winsock started; adopt its socket or raise from WSAGetLastError."""
        self = cls()
        self._describe(*like)
        with winsock.started():
            adopt_returned(self, function, call, fails_with=INVALID_SOCKET, read_error=ws2_32.WSAGetLastError)
        return self

    @classmethod
    def create(
        cls,
        family: int = AddressFamily.INET,
        type: int = SocketKind.STREAM,
        protocol: int = SocketProtocol.DEFAULT,
        *,
        inheritable: bool = False,
    ) -> Self:
        """Create a socket (``WSASocketW``), by default a TCP socket over IPv4, not inheritable."""
        af = _check_int(family, "family")
        kind = _check_int(type, "type")
        proto = _check_int(protocol, "protocol")
        flags = WsaFlag.OVERLAPPED | (0 if inheritable else WsaFlag.NO_HANDLE_INHERIT)
        return cls._new(
            "WSASocketW",
            lambda: ws2_32.WSASocketW(af, kind, proto, ffi.NULL, 0, flags),
            (af, kind, proto),
        )

    @classmethod
    def from_python(cls, sock: _pysocket.socket, *, transfer: bool) -> Self:
        """Wrap a Python ``socket.socket``, saying who closes it.

        ``transfer=True``: the Python socket is detached (it reads as closed and
        never closes the socket) and put in blocking mode; the wrapper owns it.
        ``transfer=False``: the wrapper borrows it and never closes it; close the
        Python socket yourself, after the wrapper. The borrowed wrapper takes
        over the Python socket's timeout.
        """
        import socket as pysocket  # noqa: PLC0415 - only who converts pays for importing it

        if not isinstance(sock, pysocket.socket):
            raise TypeError(f"expected a socket.socket, not {type(sock).__name__}")
        if not isinstance(transfer, bool):
            raise TypeError("transfer must be True (the wrapper closes it) or False (it borrows)")
        if sock.fileno() == -1:
            raise ValueError("the Python socket is closed")
        like = int(sock.family), int(sock.type), int(sock.proto)
        if transfer:
            sock.setblocking(True)
            self = cls._wrap(sock.detach(), owns_handle=True)
        else:
            self = cls._wrap(sock.fileno(), owns_handle=False)
            self._timeout = sock.gettimeout()  # a Python socket with a timeout is non-blocking underneath
        self._describe(*like)
        return self

    @classmethod
    def from_raw(cls, value: RawHandle, *, owns_handle: bool) -> Self:
        """Wrap a raw socket value (SOCKET) obtained elsewhere, saying whether this wrapper owns it.

        The value is checked first: ``INVALID_SOCKET`` and other negative
        values raise ``ValueError``, one that is not a socket raises
        ``TypeError`` (``getsockopt`` fails with ``WSAENOTSOCK``), and either
        is left alone; any other failure of that check raises ``OSError``.
        """
        with winsock.started():  # until the wrapper holds its own Winsock reference
            return super().from_raw(value, owns_handle=owns_handle)

    def _check_kind(self, value: int) -> None:
        super()._check_kind(value)
        info: Any = ffi.new("WSAPROTOCOL_INFOW *")
        _protocol_info(value, info)
        self._describe(info.iAddressFamily, info.iSocketType, info.iProtocol)

    def to_python(self) -> _pysocket.socket:
        """Hand the socket to a new Python ``socket.socket``, which then owns and closes it.

        This wrapper is detached: it reads as closed and never closes the socket.
        A borrowed wrapper cannot give away what it does not own (``ValueError``).
        """
        import socket as pysocket  # noqa: PLC0415

        if not self._owns:
            raise ValueError("a borrowed Socket cannot transfer the socket it does not own")
        # Family, type and protocol are passed, as Python's own accept does, so that
        # Python needs no query of its own (which fails under Wine for unbound sockets).
        like = self._family, self._type, self._protocol
        timeout = self._timeout
        # Handed over through a wrapper of its own, so that a failure closes it the right way.
        with type(self)._wrap(self.detach(), owns_handle=True) as handover:
            handover._describe(*like)
            sock = pysocket.socket(*like, fileno=handover.dangerous_get_handle())
            handover.detach()
        sock.settimeout(timeout)  # Python takes a socket it is given to be blocking
        return sock

    def _duplicate_here(self, access: int | None, inheritable: bool) -> Self:
        # A copy of this socket (WSADuplicateSocketW + WSASocketW), not DuplicateHandle:
        # Microsoft documents DuplicateHandle as unsupported for sockets. Both refer to
        # the same connection; closing one leaves the other open. A socket has no access
        # rights to narrow, so access must stay None.
        if access is not None:
            raise ValueError("a socket copy has the same rights as the original: access must be None")
        if self.is_closed:
            raise ObjectDisposedError(f"{type(self).__name__} is closed")
        info = ffi.new("WSAPROTOCOL_INFOW *")
        pid = kernel32.GetCurrentProcessId()
        if self._call(ws2_32.WSADuplicateSocketW, pid, info) == SOCKET_ERROR:
            raise wsa_exception("WSADuplicateSocketW")
        copy = self._from_protocol_info(info, inheritable)
        if self._timeout is not None:
            try:
                copy.settimeout(self._timeout)  # the copy's mode is its own
            except BaseException:
                copy.close()
                raise
        return copy

    @classmethod
    def _from_protocol_info(cls, info: CData, inheritable: bool) -> Self:
        """The socket ``WSADuplicateSocketW`` described in *info*, made with ``WSASocketW``."""
        flags = WsaFlag.OVERLAPPED | (0 if inheritable else WsaFlag.NO_HANDLE_INHERIT)
        described: Any = info
        return cls._new(
            "WSASocketW",
            lambda: ws2_32.WSASocketW(
                FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, info, 0, flags
            ),
            (described.iAddressFamily, described.iSocketType, described.iProtocol),
        )

    def share(self, process: Process | int) -> bytes:
        """What another process needs to open its own copy of this socket (``WSADuplicateSocketW``).

        *process* is the target: a :class:`Process` or its pid. The result is
        the ``WSAPROTOCOL_INFOW`` Winsock made for that process alone; hand it
        over by any channel and the target calls :meth:`from_share` (or Python's
        ``socket.fromshare``, whose input ``socket.share(pid)`` makes: the bytes
        are the same). Both copies name the same connection; each process
        closes its own. Until the target opens it, Winsock holds the copy for it.
        """
        from .._processes._process import Process  # noqa: PLC0415 - processes import the network kinds' framework

        if isinstance(process, Process):
            pid = process.pid
        else:
            pid = integer(process, "process", minimum=0, maximum=DWORD_MAX, expected="a Process or a pid")
        info = ffi.new("WSAPROTOCOL_INFOW *")
        if self._call(ws2_32.WSADuplicateSocketW, pid, info) == SOCKET_ERROR:
            raise wsa_exception("WSADuplicateSocketW")
        data: bytes = ffi.buffer(info)[:]
        return data

    @classmethod
    def from_share(cls, data: Buffer, *, inheritable: bool = False) -> Self:
        """Open the socket another process shared with this one (:meth:`share` or ``socket.share``).

        The new socket is owned, in blocking mode and not inheritable unless
        asked. Data that is not a ``WSAPROTOCOL_INFOW`` raises ``ValueError``;
        a share made for another process, or already used, fails in
        ``WSASocketW`` with ``OSError``.
        """
        view = bytes_like(data)
        size = ffi.sizeof("WSAPROTOCOL_INFOW")
        if len(view) != size:
            raise ValueError(f"a socket share is a WSAPROTOCOL_INFOW of {size} bytes, not {len(view)}")
        info = ffi.new("WSAPROTOCOL_INFOW *")
        ffi.memmove(info, view, size)
        return cls._from_protocol_info(info, bool(inheritable))

    def _duplicate_into(self, process: Process, access: int | None, inheritable: bool) -> int:
        # Winsock gives another process a socket only with that process's help: it calls
        # WSASocketW with the WSAPROTOCOL_INFOW that WSADuplicateSocketW made for it.
        # DuplicateHandle would give a value that Winsock there need not recognise.
        raise ValueError(
            "a socket cannot be duplicated into another process as a handle value (Microsoft: "
            "DuplicateHandle does not support sockets); use Socket.share(process), and "
            "Socket.from_share() in that process (WSADuplicateSocketW / WSASocketW)"
        )

    # -- what it is --------------------------------------------------------------------

    def _describe(self, family: int, kind: int, protocol: int) -> None:
        self._family = _enum_or_int(AddressFamily, family)
        self._type = _enum_or_int(SocketKind, kind)
        self._protocol = protocol

    def _like(self) -> tuple[int, int, int]:
        return self._family, self._type, self._protocol

    @property
    def family(self) -> int:
        """The address family (an :class:`AddressFamily` where known)."""
        return self._family

    @property
    def type(self) -> int:
        """The socket type (a :class:`SocketKind` where known)."""
        return self._type

    @property
    def protocol(self) -> int:
        """The protocol number it was created with (0: the type's default)."""
        return self._protocol

    # -- blocking, non-blocking, timeouts ------------------------------------------------

    def settimeout(self, timeout: float | None) -> None:
        """Set how long each blocking operation may take, as Python's ``socket.settimeout`` does.

        ``None`` (or ``math.inf``): blocking mode, every call waits as long as
        it takes. ``0``: non-blocking mode, a call that would wait raises
        ``BlockingIOError`` (``WSAEWOULDBLOCK``). A positive number of seconds:
        the socket is put in non-blocking mode and each call waits with
        ``select`` at most that long, then raises ``TimeoutError``
        (``sendall`` counts the whole send). A timeout is per operation, not
        an ``SO_RCVTIMEO`` (after which Microsoft calls the socket's state
        indeterminate). Windows cannot report a socket's mode, so the
        wrapper remembers it: a socket from :meth:`from_raw` is taken to be
        blocking until this is called.
        """
        if timeout is not None:
            milliseconds(timeout)  # the one check of a timeout: TypeError, ValueError for NaN, < 0, too long
            timeout = None if timeout == math.inf else float(timeout)
        self._set_nonblocking(timeout is not None)
        self._timeout = timeout

    def gettimeout(self) -> float | None:
        """The timeout in seconds (``None``: blocking mode, ``0.0``: non-blocking mode)."""
        return self._timeout

    def setblocking(self, flag: bool) -> None:
        """``setblocking(True)`` is ``settimeout(None)``, ``setblocking(False)`` is ``settimeout(0)``."""
        if not isinstance(flag, bool):
            raise TypeError(f"flag must be a bool, not {type(flag).__name__}")
        self.settimeout(None if flag else 0.0)

    def getblocking(self) -> bool:
        """False in non-blocking mode (timeout 0), True otherwise (as Python's ``getblocking``)."""
        return self._timeout != 0.0

    def _set_nonblocking(self, on: bool) -> None:
        mode = ffi.new("ULONG *", 1 if on else 0)
        self._check("ioctlsocket", self._call(ws2_32.ioctlsocket, FIONBIO, mode))

    def _deadline(self) -> float | None:
        """When a call started now must be done by, or None when it may not wait (blocking, non-blocking)."""
        return time.monotonic() + self._timeout if self._timeout else None

    def _wait_until(self, function: str, deadline: float, *, write: bool) -> bool:
        """Wait with ``select`` until the socket is ready; False if it reported an error instead.

        Raises ``TimeoutError`` once *deadline* passes.
        """
        remaining = deadline - time.monotonic()
        ready, failed = (False, False) if remaining <= 0 else self._call(_select_one, write, remaining)
        if not ready and not failed:
            raise TimeoutError(errno.ETIMEDOUT, f"{function} timed out after {self._timeout} s")
        return not failed

    def _io(self, function: str, call: Callable[[int], int], *, write: bool, deadline: float | None) -> int:
        """Run a Winsock call on the socket, waiting for readiness up to *deadline* (None: never)."""
        while True:
            if deadline is not None:
                self._wait_until(function, deadline, write=write)
            result = self._call(call)
            if result != SOCKET_ERROR:
                return result
            error = ws2_32.WSAGetLastError()
            if deadline is None or error != WinError.WSAEWOULDBLOCK:
                raise winerror_exception(function, error)
            # Another thread took what select reported (or it was spurious): wait again.

    # -- select and selectors ----------------------------------------------------------

    def fileno(self) -> int:
        """The socket's value, so that ``select.select`` and ``selectors`` accept this wrapper.

        Valid while the socket is open: a closed wrapper raises
        :class:`ObjectDisposedError` (a ``ValueError``, which ``selectors``
        expects from a closed file object when it unregisters one). The
        wrapper still owns the socket: do not close the value.
        """
        if self.is_closed:
            raise ObjectDisposedError(f"{type(self).__name__} is closed")
        return self._value

    # -- options ---------------------------------------------------------------------------

    def setsockopt(self, level: int, option: int, value: int | Buffer) -> None:
        """Set an option (``setsockopt``): an int (sent as a C ``int``; a bool is 0 or 1) or raw bytes.

        *level* is a :class:`SocketOptionLevel`, *option* a :class:`SocketOption`,
        :class:`TcpOption` or :class:`Ipv6Option` (or the number of one those lack).
        """
        checked_level = _check_int(level, "level")
        checked_option = _check_int(option, "option")
        if isinstance(value, int):  # bool included: Winsock's flag options are BOOLs
            native: CData = ffi.new("int *", _check_int(int(value), "value"))
            size = ffi.sizeof("int")
        else:
            native = bytes_like(value, "value")
            size = min(len(native), LONG_MAX)
        optval = ffi.cast("char *", native)
        self._check("setsockopt", self._call(ws2_32.setsockopt, checked_level, checked_option, optval, size))

    @overload
    def getsockopt(self, level: int, option: int, /) -> int: ...
    @overload
    def getsockopt(self, level: int, option: int, buflen: int, /) -> bytes: ...

    def getsockopt(self, level: int, option: int, buflen: int | None = None, /) -> int | bytes:
        """Read an option (``getsockopt``): as an int, or as at most *buflen* raw bytes."""
        checked_level = _check_int(level, "level")
        checked_option = _check_int(option, "option")
        if buflen is None:
            number = ffi.new("int *")  # zeroed: an option shorter than an int (a BOOLEAN) reads right
            length = ffi.new("int *", ffi.sizeof("int"))
            optval = ffi.cast("char *", number)
            self._check(
                "getsockopt", self._call(ws2_32.getsockopt, checked_level, checked_option, optval, length)
            )
            return int(number[0])
        size = integer(buflen, "buflen", minimum=1, maximum=LONG_MAX)
        buffer = ffi.new("char[]", size)
        length = ffi.new("int *", size)
        self._check(
            "getsockopt", self._call(ws2_32.getsockopt, checked_level, checked_option, buffer, length)
        )
        data: bytes = ffi.buffer(buffer, length[0])[:]
        return data

    # -- operations --------------------------------------------------------------------

    def _check(self, function: str, result: int) -> int:
        if result == SOCKET_ERROR:
            raise wsa_exception(function)
        return result

    def bind(self, address: Address) -> None:
        """Bind to a local address: ``("127.0.0.1", 0)`` picks a free port."""
        native, size = encode(self._family, address)
        self._check("bind", self._call(ws2_32.bind, native, size))

    def listen(self, backlog: int = SOMAXCONN) -> None:
        """Accept connections; *backlog* queued at most (by default as many as the provider allows)."""
        backlog = integer(backlog, "backlog", minimum=0, maximum=LONG_MAX)
        self._check("listen", self._call(ws2_32.listen, backlog))

    def accept(self, *, inheritable: bool = False) -> tuple[Self, SocketAddress]:
        """Wait for a connection (up to the timeout); return a new owned socket for it and the peer's address.

        The new socket is in blocking mode whatever this one's mode is (Winsock
        would give it this one's, Python's ``accept`` does the same).
        ``accept`` gives it the inheritance of Windows' default (inheritable)
        until this method clears it: a process created with blanket
        inheritance in that instant could receive it. ``spawn`` never does.
        """
        if self.is_closed:
            raise ObjectDisposedError(f"{type(self).__name__} is closed")
        deadline = self._deadline()
        while True:
            if deadline is not None:
                self._wait_until("accept", deadline, write=False)
            buffer, length = storage()
            try:
                peer = self._new(
                    "accept",
                    lambda: self._call(ws2_32.accept, buffer, length),  # noqa: B023 - called at once
                    self._like(),
                )
            except OSError as exc:
                if deadline is None or getattr(exc, "winerror", None) != WinError.WSAEWOULDBLOCK:
                    raise
                continue  # another thread accepted the connection select reported
            break
        try:
            peer.inheritable = bool(inheritable)  # accepted sockets inherit nothing of ours
            if self._timeout is not None:
                peer._set_nonblocking(False)
            address = decode(buffer)
        except BaseException:
            peer.close()
            raise
        return peer, address

    def connect(self, address: Address) -> None:
        """Connect to a remote address, waiting at most the timeout.

        In non-blocking mode (timeout 0) it raises ``BlockingIOError`` and the
        connection goes on: wait for the socket to be writable with ``select``.
        """
        native, size = encode(self._family, address)
        deadline = self._deadline()
        if self._call(ws2_32.connect, native, size) != SOCKET_ERROR:
            return
        error = ws2_32.WSAGetLastError()
        if deadline is None or error != WinError.WSAEWOULDBLOCK:
            raise winerror_exception("connect", error)
        if not self._wait_until("connect", deadline, write=True):  # select reports a failed connect apart
            raise winerror_exception("connect", self.getsockopt(SocketOptionLevel.SOCKET, SocketOption.ERROR))

    def send(self, data: Buffer) -> int:
        """Send bytes; return how many were sent (maybe fewer than given: see :meth:`sendall`)."""
        view = bytes_like(data)
        count = min(len(view), LONG_MAX)
        return self._io(
            "send", lambda value: ws2_32.send(value, view, count, 0), write=True, deadline=self._deadline()
        )

    def sendall(self, data: Buffer) -> None:
        """Send all of *data*, calling ``send`` as often as needed (the timeout covers the whole)."""
        view = bytes_like(data)
        sent, total = 0, len(view)
        deadline = self._deadline()
        while sent < total:
            chunk = min(total - sent, LONG_MAX)

            def send_chunk(value: int, at: CData = view + sent, count: int = chunk) -> int:
                return ws2_32.send(value, at, count, 0)

            sent += self._io("send", send_chunk, write=True, deadline=deadline)

    def recv(self, size: int) -> bytes:
        """Receive at most *size* bytes; ``b""`` once the peer shut its sending side down."""
        size = integer(size, "size", minimum=0, maximum=LONG_MAX)
        buffer = ffi.new("char[]", max(size, 1))
        got = self._io(
            "recv", lambda value: ws2_32.recv(value, buffer, size, 0), write=False, deadline=self._deadline()
        )
        data: bytes = ffi.buffer(buffer, got)[:]
        return data

    def sendto(self, data: Buffer, address: Address) -> int:
        """Send a datagram to *address*; return how many bytes were sent."""
        view = bytes_like(data)
        native, length = encode(self._family, address)
        count = min(len(view), LONG_MAX)
        return self._io(
            "sendto",
            lambda value: ws2_32.sendto(value, view, count, 0, native, length),
            write=True,
            deadline=self._deadline(),
        )

    def recvfrom(self, size: int) -> tuple[bytes, SocketAddress]:
        """Receive a datagram of at most *size* bytes and the address it came from.

        A longer datagram raises ``OSError`` (``WSAEMSGSIZE``): Winsock
        discards what did not fit.
        """
        size = integer(size, "size", minimum=0, maximum=LONG_MAX)
        buffer = ffi.new("char[]", max(size, 1))
        source, length = storage()
        got = self._io(
            "recvfrom",
            lambda value: ws2_32.recvfrom(value, buffer, size, 0, source, length),
            write=False,
            deadline=self._deadline(),
        )
        data: bytes = ffi.buffer(buffer, got)[:]
        return data, decode(source)

    def shutdown(self, how: ShutdownHow) -> None:
        """Stop receiving, sending (the peer's ``recv`` then returns ``b""``), or both."""
        checked = member(how, ShutdownHow, "how")
        self._check("shutdown", self._call(ws2_32.shutdown, checked))

    def getsockname(self) -> SocketAddress:
        """The local address this socket is bound to."""
        buffer, length = storage()
        self._check("getsockname", self._call(ws2_32.getsockname, buffer, length))
        return decode(buffer)

    def getpeername(self) -> SocketAddress:
        """The address of the peer this socket is connected to."""
        buffer, length = storage()
        self._check("getpeername", self._call(ws2_32.getpeername, buffer, length))
        return decode(buffer)


def _select_one(value: int, write: bool, seconds: float) -> tuple[bool, bool]:
    """``select`` on one socket for *seconds*: whether it is readable (writable), whether it failed."""
    ready = ffi.new("fd_set *", {"fd_count": 1, "fd_array": [value]})
    failed = ffi.new("fd_set *", {"fd_count": 1, "fd_array": [value]})
    micro = math.ceil(seconds * 1_000_000)  # rounded up: a positive wait never becomes a poll
    timeval = ffi.new("TIMEVAL *", {"tv_sec": micro // 1_000_000, "tv_usec": micro % 1_000_000})
    # nfds is ignored by Winsock; select removes the sockets that are not ready from the sets.
    readable, writable = (ffi.NULL, ready) if write else (ready, ffi.NULL)
    if ws2_32.select(0, readable, writable, failed, timeval) == SOCKET_ERROR:
        raise wsa_exception("select")
    ready_set: Any = ready
    failed_set: Any = failed
    return ready_set.fd_count > 0, failed_set.fd_count > 0


def _protocol_info(value: int, info: CData) -> None:
    """Fill *info* from ``getsockopt(SO_PROTOCOL_INFOW)``; a non-socket is a ``TypeError``."""
    length = ffi.new("int *", ffi.sizeof("WSAPROTOCOL_INFOW"))
    optval = ffi.cast("char *", info)
    if ws2_32.getsockopt(value, SOL_SOCKET, SO_PROTOCOL_INFOW, optval, length) != SOCKET_ERROR:
        return
    error = wsa_exception("getsockopt")
    if getattr(error, "winerror", None) == WinError.WSAENOTSOCK:
        raise TypeError(f"handle {value:#x} is not a socket") from error
    raise error
