"""ws2_32.dll: Winsock declarations, constants, and their typed surface.

Winsock reports failures through ``WSAGetLastError``, not ``GetLastError``.
Layouts follow Microsoft's pages for ``SOCKADDR_IN`` (ws2def.h), ``SOCKADDR_IN6``
(ws2ipdef.h), ``SOCKADDR_STORAGE`` (ws2def.h) and ``WSAPROTOCOL_INFOW`` (winsock2.h);
tests/test_socket.py checks their sizes and offsets.
"""

from __future__ import annotations

from typing import Final, Protocol

from ._constants import NamedIntEnum, NamedIntFlag
from ._types import CData

DECLARATIONS = """
/* SOCKET is UINT_PTR; declared signed so INVALID_SOCKET (~0) reads as -1,
   like every other handle value in this library. */
typedef intptr_t SOCKET;
typedef uint32_t GROUP;

/* ws2def.h. ADDRESS_FAMILY is USHORT. Port and address are in network byte order. */
typedef struct {
    USHORT sin_family;
    USHORT sin_port;
    BYTE sin_addr[4];          /* IN_ADDR */
    char sin_zero[8];
} SOCKADDR_IN;

/* ws2ipdef.h. sin6_scope_id is the ULONG arm of the scope union, in host order. */
typedef struct {
    USHORT sin6_family;
    USHORT sin6_port;
    ULONG sin6_flowinfo;
    BYTE sin6_addr[16];        /* IN6_ADDR */
    ULONG sin6_scope_id;
} SOCKADDR_IN6;

/* ws2def.h: large and aligned enough for every address family. */
typedef struct {
    USHORT ss_family;
    char ss_pad1[6];
    int64_t ss_align;
    char ss_pad2[112];
} SOCKADDR_STORAGE;

/* winsock2.h. GUID (16 bytes, 4-aligned) is spelled as four DWORDs. */
typedef struct {
    int ChainLen;
    DWORD ChainEntries[7];     /* MAX_PROTOCOL_CHAIN */
} WSAPROTOCOLCHAIN;

typedef struct {
    DWORD dwServiceFlags1;
    DWORD dwServiceFlags2;
    DWORD dwServiceFlags3;
    DWORD dwServiceFlags4;
    DWORD dwProviderFlags;
    DWORD ProviderId[4];
    DWORD dwCatalogEntryId;
    WSAPROTOCOLCHAIN ProtocolChain;
    int iVersion;
    int iAddressFamily;
    int iMaxSockAddr;
    int iMinSockAddr;
    int iSocketType;
    int iProtocol;
    int iProtocolMaxOffset;
    int iNetworkByteOrder;
    int iSecurityScheme;
    DWORD dwMessageSize;
    DWORD dwProviderReserved;
    WCHAR szProtocol[256];     /* WSAPROTOCOL_LEN + 1 */
} WSAPROTOCOL_INFOW;

/* winsock2.h: select's sets hold up to FD_SETSIZE (64) sockets; timeval is two longs. */
typedef struct {
    UINT fd_count;
    SOCKET fd_array[64];
} fd_set;

typedef struct {
    LONG tv_sec;
    LONG tv_usec;
} TIMEVAL;

/* WSADATA's field order differs between 32- and 64-bit Windows and nothing in
   it is read here, so WSAStartup receives an opaque buffer of sufficient size. */
int WSAStartup(WORD wVersionRequested, void *lpWSAData);
int WSACleanup(void);
int WSAGetLastError(void);
void WSASetLastError(int iError);

SOCKET socket(int af, int type, int protocol);
SOCKET WSASocketW(int af, int type, int protocol, WSAPROTOCOL_INFOW *lpProtocolInfo,
                  GROUP g, DWORD dwFlags);
int WSADuplicateSocketW(SOCKET s, DWORD dwProcessId, WSAPROTOCOL_INFOW *lpProtocolInfo);
int closesocket(SOCKET s);

int bind(SOCKET s, const void *name, int namelen);
int listen(SOCKET s, int backlog);
SOCKET accept(SOCKET s, void *addr, int *addrlen);
int connect(SOCKET s, const void *name, int namelen);
int send(SOCKET s, const char *buf, int len, int flags);
int recv(SOCKET s, char *buf, int len, int flags);
int shutdown(SOCKET s, int how);
int getsockname(SOCKET s, void *name, int *namelen);
int getpeername(SOCKET s, void *name, int *namelen);
int getsockopt(SOCKET s, int level, int optname, char *optval, int *optlen);
int setsockopt(SOCKET s, int level, int optname, const char *optval, int optlen);
int sendto(SOCKET s, const char *buf, int len, int flags, const void *to, int tolen);
int recvfrom(SOCKET s, char *buf, int len, int flags, void *from, int *fromlen);
int ioctlsocket(SOCKET s, LONG cmd, ULONG *argp);
int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const TIMEVAL *timeout);
"""

#: winsock2.h: the failure values of the creators and of the other calls.
INVALID_SOCKET: Final = -1
SOCKET_ERROR: Final = -1
#: winsock2.h: WSASocketW's af/type/protocol when lpProtocolInfo says it all.
FROM_PROTOCOL_INFO: Final = -1
#: winsock2.h: let the provider pick the largest reasonable backlog.
SOMAXCONN: Final = 0x7FFF_FFFF
#: winsock2.h: getsockopt's socket level, and the options read here.
SOL_SOCKET: Final = 0xFFFF
SO_TYPE: Final = 0x1008
SO_PROTOCOL_INFOW: Final = 0x2005
#: winsock2.h: ioctlsocket's "non-blocking mode" command, _IOW('f', 126, u_long) = 0x8004667E,
#: spelled as the signed long the function takes.
FIONBIO: Final = 0x8004_667E - (1 << 32)
#: winsock2.h: how many sockets one fd_set holds.
FD_SETSIZE: Final = 64


class AddressFamily(NamedIntEnum):
    """Address families (ws2def.h)."""

    UNSPEC = 0
    INET = 2
    INET6 = 23


class SocketKind(NamedIntEnum):
    """Socket types (winsock2.h)."""

    STREAM = 1
    DGRAM = 2
    RAW = 3
    RDM = 4
    SEQPACKET = 5


class SocketProtocol(NamedIntEnum):
    """Protocols (ws2def.h); DEFAULT lets Winsock pick the family's protocol for the type."""

    DEFAULT = 0
    ICMP = 1
    TCP = 6
    UDP = 17
    ICMPV6 = 58


class ShutdownHow(NamedIntEnum):
    """What ``shutdown`` stops (winsock2.h, SD_*)."""

    RECEIVE = 0
    SEND = 1
    BOTH = 2


class SocketOptionLevel(NamedIntEnum):
    """``setsockopt``/``getsockopt``'s *level*: the socket itself or a protocol (winsock2.h, ws2def.h)."""

    SOCKET = 0xFFFF  # SOL_SOCKET
    IP = 0  # IPPROTO_IP
    TCP = 6  # IPPROTO_TCP
    UDP = 17  # IPPROTO_UDP
    IPV6 = 41  # IPPROTO_IPV6


class SocketOption(NamedIntEnum):
    """Options at ``SocketOptionLevel.SOCKET`` (winsock2.h ``SO_*``; ws2def.h for the ``int``-valued ones)."""

    DEBUG = 0x0001
    ACCEPTCONN = 0x0002
    REUSEADDR = 0x0004
    KEEPALIVE = 0x0008
    DONTROUTE = 0x0010
    BROADCAST = 0x0020
    USELOOPBACK = 0x0040
    LINGER = 0x0080  # a LINGER structure (two u_shorts: onoff, linger seconds)
    OOBINLINE = 0x0100
    EXCLUSIVEADDRUSE = ~REUSEADDR  # (int)(~SO_REUSEADDR)
    SNDBUF = 0x1001
    RCVBUF = 0x1002
    SNDLOWAT = 0x1003
    RCVLOWAT = 0x1004
    SNDTIMEO = 0x1005  # a DWORD of milliseconds
    RCVTIMEO = 0x1006  # a DWORD of milliseconds
    ERROR = 0x1007  # read-only: the pending error, cleared by reading it
    TYPE = 0x1008  # read-only


class TcpOption(NamedIntEnum):
    """Options at ``SocketOptionLevel.TCP`` (ws2ipdef.h / mstcpip.h ``TCP_*``)."""

    NODELAY = 0x0001
    KEEPALIVE = 3  # seconds of idleness before the first keep-alive probe
    KEEPCNT = 16
    KEEPINTVL = 17


class Ipv6Option(NamedIntEnum):
    """Options at ``SocketOptionLevel.IPV6`` (ws2ipdef.h ``IPV6_*``)."""

    UNICAST_HOPS = 4
    V6ONLY = 27


class WsaFlag(NamedIntFlag):
    """WSASocketW's dwFlags (winsock2.h)."""

    OVERLAPPED = 0x01
    NO_HANDLE_INHERIT = 0x80


class Ws2_32(Protocol):
    def WSAStartup(self, wVersionRequested: int, lpWSAData: CData, /) -> int: ...
    def WSACleanup(self) -> int: ...
    def WSAGetLastError(self) -> int: ...
    def WSASetLastError(self, iError: int, /) -> None: ...

    def socket(self, af: int, type: int, protocol: int, /) -> int: ...
    def WSASocketW(
        self, af: int, type: int, protocol: int, lpProtocolInfo: CData, g: int, dwFlags: int, /
    ) -> int: ...
    def WSADuplicateSocketW(self, s: int, dwProcessId: int, lpProtocolInfo: CData, /) -> int: ...
    def closesocket(self, s: int, /) -> int: ...

    def bind(self, s: int, name: CData, namelen: int, /) -> int: ...
    def listen(self, s: int, backlog: int, /) -> int: ...
    def accept(self, s: int, addr: CData, addrlen: CData, /) -> int: ...
    def connect(self, s: int, name: CData, namelen: int, /) -> int: ...
    def send(self, s: int, buf: CData | bytes, len: int, flags: int, /) -> int: ...
    def recv(self, s: int, buf: CData, len: int, flags: int, /) -> int: ...
    def shutdown(self, s: int, how: int, /) -> int: ...
    def getsockname(self, s: int, name: CData, namelen: CData, /) -> int: ...
    def getpeername(self, s: int, name: CData, namelen: CData, /) -> int: ...
    def getsockopt(self, s: int, level: int, optname: int, optval: CData, optlen: CData, /) -> int: ...
    def setsockopt(self, s: int, level: int, optname: int, optval: CData, optlen: int, /) -> int: ...
    def sendto(self, s: int, buf: CData, len: int, flags: int, to: CData, tolen: int, /) -> int: ...
    def recvfrom(self, s: int, buf: CData, len: int, flags: int, from_: CData, fromlen: CData, /) -> int: ...
    def ioctlsocket(self, s: int, cmd: int, argp: CData, /) -> int: ...
    def select(
        self, nfds: int, readfds: CData, writefds: CData, exceptfds: CData, timeout: CData, /
    ) -> int: ...
