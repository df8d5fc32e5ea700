"""Socket addresses: Python's ``(host, port)`` tuples to and from SOCKADDR_IN / SOCKADDR_IN6.

The tuples are those of Python's ``socket`` module: ``(host, port)`` for IPv4,
``(host, port, flowinfo, scope_id)`` for IPv6 (the last two optional when
given). Hosts are numeric addresses (``"127.0.0.1"``, ``"::1"``); ``""``
means "any address". Names are not resolved: a name is a ``ValueError``.
Everything is checked here, before any native call.

Port and flow information go in network byte order; ``sin6_scope_id`` is an
interface index in host order (as Python's ``socket`` module writes it).
"""

from __future__ import annotations

import ipaddress
import sys
from typing import Any, Final, TypeAlias

from ..._bindings._constants import DWORD_MAX, WORD_MAX
from ..._bindings._native import ffi
from ..._bindings._types import CData
from ..._bindings._ws2_32 import AddressFamily
from ..._win32._arguments import integer

__all__ = ["Address", "SocketAddress", "decode", "encode", "storage"]

#: What the socket methods take (a :class:`SocketAddress` is one too).
Address: TypeAlias = tuple[str, int] | tuple[str, int, int, int]


class SocketAddress(tuple[Any, ...]):
    """An address the OS reported: ``(host, port)`` for IPv4, ``(host, port, flowinfo, scope_id)`` for IPv6.

    It is the very tuple Python's ``socket`` module returns, so it compares
    equal to one and goes wherever one goes, and it is typed as typeshed types
    those (``tuple[Any, ...]``): ``socket.create_connection(sock.getsockname())``
    and ``py_socket.connect(...)`` type-check under mypy. Its fields are typed:
    :attr:`host`, :attr:`port`, and for IPv6 :attr:`flowinfo` and :attr:`scope_id`.
    """

    __slots__ = ()

    @property
    def host(self) -> str:
        """The numeric host address ("127.0.0.1", "::1")."""
        host: str = self[0]
        return host

    @property
    def port(self) -> int:
        """The port number."""
        port: int = self[1]
        return port

    @property
    def flowinfo(self) -> int:
        """IPv6's flow information (0 for IPv4)."""
        return int(self[2]) if len(self) > 2 else 0

    @property
    def scope_id(self) -> int:
        """IPv6's scope (interface index; 0 for IPv4)."""
        return int(self[3]) if len(self) > 3 else 0


_FLOWINFO_MAX: Final = 0xF_FFFF  # 20 bits


def _net16(value: int) -> int:
    """``htons``/``ntohs``: swap a 16-bit value between host and network byte order."""
    return int.from_bytes(value.to_bytes(2, "big"), sys.byteorder)


def _net32(value: int) -> int:
    """``htonl``/``ntohl``."""
    return int.from_bytes(value.to_bytes(4, "big"), sys.byteorder)


def _number(value: object, what: str, maximum: int) -> int:
    return integer(value, what, minimum=0, maximum=maximum)


def _host(host: object, version: int) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    if not isinstance(host, str):
        raise TypeError(f"the host must be a str, not {type(host).__name__}")
    try:
        if version == 4:
            return ipaddress.IPv4Address(host or "0.0.0.0")
        return ipaddress.IPv6Address(host or "::")
    except ValueError:
        raise ValueError(f"{host!r} is not a numeric IPv{version} address (names are not resolved)") from None


def _parts(address: object, family: AddressFamily) -> tuple[object, ...]:
    sizes = (2,) if family is AddressFamily.INET else (2, 3, 4)
    if not isinstance(address, tuple):
        raise TypeError(f"an {family.name} address must be a tuple, not {type(address).__name__}")
    if len(address) not in sizes:
        raise TypeError(f"an {family.name} address is a tuple of {' or '.join(map(str, sizes))} items")
    return address


def encode(family: int, address: object) -> tuple[CData, int]:
    """The native address structure for *address* in *family*, and its size."""
    if family == AddressFamily.INET:
        host, port = _parts(address, AddressFamily.INET)
        packed = _host(host, 4).packed
        port = _number(port, "port", WORD_MAX)
        native = ffi.new(
            "SOCKADDR_IN *",
            {"sin_family": AddressFamily.INET, "sin_port": _net16(port), "sin_addr": list(packed)},
        )
        return native, ffi.sizeof("SOCKADDR_IN")
    if family == AddressFamily.INET6:
        host, port, *rest = _parts(address, AddressFamily.INET6)
        ip = ipaddress.IPv6Address(_host(host, 6))
        port = _number(port, "port", WORD_MAX)
        flowinfo = _number(rest[0], "flowinfo", _FLOWINFO_MAX) if rest else 0
        scope = _number(rest[1], "scope_id", DWORD_MAX) if len(rest) > 1 else _scope_of(ip)
        native = ffi.new(
            "SOCKADDR_IN6 *",
            {
                "sin6_family": AddressFamily.INET6,
                "sin6_port": _net16(port),
                "sin6_flowinfo": _net32(flowinfo),
                "sin6_addr": list(ip.packed),
                "sin6_scope_id": scope,
            },
        )
        return native, ffi.sizeof("SOCKADDR_IN6")
    raise ValueError(f"addresses of address family {family} are not supported (only INET and INET6)")


def _scope_of(ip: ipaddress.IPv6Address) -> int:
    """A numeric ``%scope`` suffix of the host ("fe80::1%3"), else 0."""
    scope = ip.scope_id
    if not scope:
        return 0
    if not scope.isdecimal():
        raise ValueError(f"the scope of {ip} must be an interface index (names are not resolved)")
    return _number(int(scope), "scope_id", DWORD_MAX)


def storage() -> tuple[CData, CData]:
    """An empty SOCKADDR_STORAGE and its in/out length, for accept/getsockname/getpeername."""
    buffer = ffi.new("SOCKADDR_STORAGE *")
    length = ffi.new("int *", ffi.sizeof("SOCKADDR_STORAGE"))
    return buffer, length


def decode(buffer: CData) -> SocketAddress:
    """The Python tuple for a native address the OS filled in."""
    native: Any = buffer  # cdata fields are untyped
    family = native.ss_family
    if family == AddressFamily.INET:
        v4: Any = ffi.cast("SOCKADDR_IN *", buffer)
        host4 = ipaddress.IPv4Address(bytes(v4.sin_addr))
        return SocketAddress((str(host4), _net16(v4.sin_port)))
    if family == AddressFamily.INET6:
        v6: Any = ffi.cast("SOCKADDR_IN6 *", buffer)
        host6 = ipaddress.IPv6Address(bytes(v6.sin6_addr))
        return SocketAddress(
            (str(host6), _net16(v6.sin6_port), _net32(v6.sin6_flowinfo), int(v6.sin6_scope_id))
        )
    raise ValueError(f"the OS returned an address of family {family}, which this library does not decode")
