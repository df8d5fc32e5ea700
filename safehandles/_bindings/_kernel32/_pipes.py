"""kernel32.dll, anonymous and named pipes, and mailslots: declarations and their typed surface."""

from __future__ import annotations

from typing import Final, Protocol

from .._constants import NamedIntEnum, NamedIntFlag
from .._types import CData, WideString

DECLARATIONS = """
BOOL CreatePipe(HANDLE *hReadPipe, HANDLE *hWritePipe, SECURITY_ATTRIBUTES *lpPipeAttributes,
                DWORD nSize);
HANDLE CreateNamedPipeW(const WCHAR *lpName, DWORD dwOpenMode, DWORD dwPipeMode,
                        DWORD nMaxInstances, DWORD nOutBufferSize, DWORD nInBufferSize,
                        DWORD nDefaultTimeOut, SECURITY_ATTRIBUTES *lpSecurityAttributes);
/* lpOverlapped is an OVERLAPPED * (declared in _files.py; each area's
   declarations must parse on their own). */
BOOL ConnectNamedPipe(HANDLE hNamedPipe, void *lpOverlapped);
BOOL DisconnectNamedPipe(HANDLE hNamedPipe);
BOOL PeekNamedPipe(HANDLE hNamedPipe, void *lpBuffer, DWORD nBufferSize, DWORD *lpBytesRead,
                   DWORD *lpTotalBytesAvail, DWORD *lpBytesLeftThisMessage);
HANDLE CreateMailslotW(const WCHAR *lpName, DWORD nMaxMessageSize, DWORD lReadTimeout,
                       SECURITY_ATTRIBUTES *lpSecurityAttributes);
BOOL GetMailslotInfo(HANDLE hMailslot, DWORD *lpMaxMessageSize, DWORD *lpNextSize,
                     DWORD *lpMessageCount, DWORD *lpReadTimeout);
BOOL SetMailslotInfo(HANDLE hMailslot, DWORD lReadTimeout);
BOOL WaitNamedPipeW(const WCHAR *lpNamedPipeName, DWORD nTimeOut);
BOOL SetNamedPipeHandleState(HANDLE hNamedPipe, DWORD *lpMode, DWORD *lpMaxCollectionCount,
                             DWORD *lpCollectDataTimeout);
BOOL GetNamedPipeClientProcessId(HANDLE Pipe, ULONG *ClientProcessId);
BOOL TransactNamedPipe(HANDLE hNamedPipe, const void *lpInBuffer, DWORD nInBufferSize,
                       void *lpOutBuffer, DWORD nOutBufferSize, DWORD *lpBytesRead,
                       void *lpOverlapped);
"""


class Pipes(Protocol):
    def CreatePipe(
        self, hReadPipe: CData, hWritePipe: CData, lpPipeAttributes: CData, nSize: int, /
    ) -> int: ...
    def CreateNamedPipeW(
        self,
        lpName: WideString,
        dwOpenMode: int,
        dwPipeMode: int,
        nMaxInstances: int,
        nOutBufferSize: int,
        nInBufferSize: int,
        nDefaultTimeOut: int,
        lpSecurityAttributes: CData,
        /,
    ) -> int: ...
    def ConnectNamedPipe(self, hNamedPipe: int, lpOverlapped: CData, /) -> int: ...
    def DisconnectNamedPipe(self, hNamedPipe: int, /) -> int: ...
    def PeekNamedPipe(
        self,
        hNamedPipe: int,
        lpBuffer: CData,
        nBufferSize: int,
        lpBytesRead: CData,
        lpTotalBytesAvail: CData,
        lpBytesLeftThisMessage: CData,
        /,
    ) -> int: ...
    def CreateMailslotW(
        self, lpName: WideString, nMaxMessageSize: int, lReadTimeout: int, lpSecurityAttributes: CData, /
    ) -> int: ...
    def GetMailslotInfo(
        self,
        hMailslot: int,
        lpMaxMessageSize: CData,
        lpNextSize: CData,
        lpMessageCount: CData,
        lpReadTimeout: CData,
        /,
    ) -> int: ...
    def SetMailslotInfo(self, hMailslot: int, lReadTimeout: int, /) -> int: ...
    def WaitNamedPipeW(self, lpNamedPipeName: WideString, nTimeOut: int, /) -> int: ...
    def SetNamedPipeHandleState(
        self, hNamedPipe: int, lpMode: CData, lpMaxCollectionCount: CData, lpCollectDataTimeout: CData, /
    ) -> int: ...
    def GetNamedPipeClientProcessId(self, Pipe: int, ClientProcessId: CData, /) -> int: ...
    def TransactNamedPipe(
        self,
        hNamedPipe: int,
        lpInBuffer: CData,
        nInBufferSize: int,
        lpOutBuffer: CData,
        nOutBufferSize: int,
        lpBytesRead: CData,
        lpOverlapped: CData,
        /,
    ) -> int: ...


#: winbase.h: no limit on the number of instances of a named pipe.
PIPE_UNLIMITED_INSTANCES: Final = 255
#: winbase.h: GetMailslotInfo's next size when no message waits; also "wait forever".
MAILSLOT_NO_MESSAGE: Final = 0xFFFF_FFFF
MAILSLOT_WAIT_FOREVER: Final = 0xFFFF_FFFF
#: winbase.h: WaitNamedPipeW's "wait until an instance is free"; 0 would mean the server's default.
NMPWAIT_WAIT_FOREVER: Final = 0xFFFF_FFFF


class PipeDirection(NamedIntEnum):
    """Which way data flows through a named pipe, seen from the server (winbase.h PIPE_ACCESS_*)."""

    INBOUND = 0x1
    OUTBOUND = 0x2
    DUPLEX = 0x3


class PipeMode(NamedIntFlag):
    """CreateNamedPipeW's dwPipeMode (winbase.h PIPE_*)."""

    TYPE_BYTE = 0x0
    READMODE_BYTE = 0x0
    WAIT = 0x0
    NOWAIT = 0x1
    READMODE_MESSAGE = 0x2
    TYPE_MESSAGE = 0x4
    REJECT_REMOTE_CLIENTS = 0x8
