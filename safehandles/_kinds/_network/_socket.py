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
``WSASocketW`` itself, with the information ``WSADuplicateSocketW`` made for it.

Conversion to and from Python's ``socket.socket`` always says who closes:
``from_python(sock, transfer=True)`` detaches the Python socket so that only
the wrapper closes it; ``transfer=False`` borrows it (the wrapper never closes
it). ``to_python()`` detaches the wrapper and hands the socket to a new
``socket.socket``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from typing_extensions import Buffer, Self

from ..._bindings._constants import LONG_MAX, WinError
from ..._bindings._errors import wsa_exception
from ..._bindings._native import ffi, kernel32, ws2_32
from ..._bindings._types import CData
from ..._bindings._ws2_32 import (
    FROM_PROTOCOL_INFO,
    INVALID_SOCKET,
    SO_PROTOCOL_INFOW,
    SOCKET_ERROR,
    SOL_SOCKET,
    SOMAXCONN,
    AddressFamily,
    ShutdownHow,
    SocketKind,
    SocketProtocol,
    WsaFlag,
)
from ..._core._errors import ObjectDisposedError
from ..._win32._adoption import adopt_returned
from ..._win32._arguments import bytes_like, integer, member
from ..._win32._catalogue import Entry
from ..._win32._handles import KernelHandle, RawHandle, destroy_keeping_last_error
from ._sockaddr import Address, decode, encode, storage
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

    catalogue = Entry(
        row="Socket",
        creators=(("WSASocketW", "INVALID_SOCKET"), ("accept", "INVALID_SOCKET")),
        destroyer="`closesocket`",
        ownership="owned; borrowed from `from_python(transfer=False)`",
    )

    __slots__ = ("_family", "_protocol", "_type", "_winsock")
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
        Python socket yourself, after the wrapper.
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
        # Handed over through a wrapper of its own, so that a failure closes it the right way.
        with type(self)._wrap(self.detach(), owns_handle=True) as handover:
            handover._describe(*like)
            sock = pysocket.socket(*like, fileno=handover.dangerous_get_handle())
            handover.detach()
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
        flags = WsaFlag.OVERLAPPED | (0 if inheritable else WsaFlag.NO_HANDLE_INHERIT)
        return self._new(
            "WSASocketW",
            lambda: ws2_32.WSASocketW(
                FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, info, 0, flags
            ),
            self._like(),
        )

    def _duplicate_into(self, process: Process, access: int | None, inheritable: bool) -> int:
        # Winsock gives another process a socket only with that process's help: it calls
        # WSASocketW with the WSAPROTOCOL_INFOW that WSADuplicateSocketW made for it.
        # DuplicateHandle would give a value that Winsock there need not recognise.
        raise ValueError(
            "a socket cannot be duplicated into another process as a handle value (Microsoft: "
            "DuplicateHandle does not support sockets); use WSADuplicateSocketW, as Python's "
            "socket.share(pid) and socket.fromshare() do"
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

    def accept(self, *, inheritable: bool = False) -> tuple[Self, Address]:
        """Wait for a connection; return a new owned socket for it and the peer's address.

        ``accept`` gives the new socket the inheritance of Windows' default
        (inheritable) until this method clears it: a process created with
        blanket inheritance in that instant could receive it. ``spawn`` never does.
        """
        if self.is_closed:
            raise ObjectDisposedError(f"{type(self).__name__} is closed")
        buffer, length = storage()
        peer = self._new(
            "accept",
            lambda: self._call(ws2_32.accept, buffer, length),
            self._like(),
        )
        try:
            peer.inheritable = bool(inheritable)  # accepted sockets inherit nothing of ours
            address = decode(buffer)
        except BaseException:
            peer.close()
            raise
        return peer, address

    def connect(self, address: Address) -> None:
        """Connect to a remote address (blocking)."""
        native, size = encode(self._family, address)
        self._check("connect", self._call(ws2_32.connect, native, size))

    def send(self, data: Buffer) -> int:
        """Send bytes; return how many were sent (maybe fewer than given: see :meth:`sendall`)."""
        view = bytes_like(data)
        return self._check("send", self._call(ws2_32.send, view, min(len(view), LONG_MAX), 0))

    def sendall(self, data: Buffer) -> None:
        """Send all of *data*, calling ``send`` as often as needed."""
        view = bytes_like(data)
        sent, total = 0, len(view)
        while sent < total:
            chunk = min(total - sent, LONG_MAX)
            sent += self._check("send", self._call(ws2_32.send, view + sent, chunk, 0))

    def recv(self, size: int) -> bytes:
        """Receive at most *size* bytes; ``b""`` once the peer shut its sending side down."""
        size = integer(size, "size", minimum=0, maximum=LONG_MAX)
        buffer = ffi.new("char[]", max(size, 1))
        got = self._check("recv", self._call(ws2_32.recv, buffer, size, 0))
        data: bytes = ffi.buffer(buffer, got)[:]
        return data

    def shutdown(self, how: ShutdownHow) -> None:
        """Stop receiving, sending (the peer's ``recv`` then returns ``b""``), or both."""
        checked = member(how, ShutdownHow, "how")
        self._check("shutdown", self._call(ws2_32.shutdown, checked))

    def getsockname(self) -> Address:
        """The local address this socket is bound to."""
        buffer, length = storage()
        self._check("getsockname", self._call(ws2_32.getsockname, buffer, length))
        return decode(buffer)

    def getpeername(self) -> Address:
        """The address of the peer this socket is connected to."""
        buffer, length = storage()
        self._check("getpeername", self._call(ws2_32.getpeername, buffer, length))
        return decode(buffer)


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
