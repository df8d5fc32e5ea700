"""ws2_32.dll: Winsock declarations, and their typed surface.

Winsock reports failures through ``WSAGetLastError``, not ``GetLastError``.
"""

from __future__ import annotations

from typing import Protocol

from ._types import CData

DECLARATIONS = """
/* SOCKET is UINT_PTR; declared signed so INVALID_SOCKET (~0) reads as -1,
   like every other handle value in this library. */
typedef intptr_t SOCKET;

/* WSADATA's field order differs between 32- and 64-bit Windows and nothing in
   it is read here, so WSAStartup receives an opaque buffer of sufficient size. */
int WSAStartup(WORD wVersionRequested, void *lpWSAData);
int WSACleanup(void);
int WSAGetLastError(void);

SOCKET socket(int af, int type, int protocol);
int closesocket(SOCKET s);
"""


class Ws2_32(Protocol):
    def WSAStartup(self, wVersionRequested: int, lpWSAData: CData, /) -> int: ...
    def WSACleanup(self) -> int: ...
    def WSAGetLastError(self) -> int: ...

    def socket(self, af: int, type: int, protocol: int, /) -> int: ...
    def closesocket(self, s: int, /) -> int: ...
