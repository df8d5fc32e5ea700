"""kernel32.dll, communications devices: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

from .._constants import NamedIntEnum
from .._types import CData

DECLARATIONS = """
/* winbase.h. The thirteen bit fields after BaudRate (fBinary ... fDummy2)
   share one DWORD; they are declared as that DWORD (fFlags) so that the
   layout does not depend on how a parser lays out bit fields. 28 bytes. */
typedef struct _DCB {
    DWORD DCBlength;
    DWORD BaudRate;
    DWORD fFlags;
    WORD wReserved;
    WORD XonLim;
    WORD XoffLim;
    BYTE ByteSize;
    BYTE Parity;
    BYTE StopBits;
    char XonChar;
    char XoffChar;
    char ErrorChar;
    char EofChar;
    char EvtChar;
    WORD wReserved1;
} DCB;

/* winbase.h: five DWORDs, in milliseconds. */
typedef struct _COMMTIMEOUTS {
    DWORD ReadIntervalTimeout;
    DWORD ReadTotalTimeoutMultiplier;
    DWORD ReadTotalTimeoutConstant;
    DWORD WriteTotalTimeoutMultiplier;
    DWORD WriteTotalTimeoutConstant;
} COMMTIMEOUTS;

BOOL GetCommState(HANDLE hFile, DCB *lpDCB);
BOOL SetCommState(HANDLE hFile, DCB *lpDCB);
BOOL GetCommTimeouts(HANDLE hFile, COMMTIMEOUTS *lpCommTimeouts);
BOOL SetCommTimeouts(HANDLE hFile, COMMTIMEOUTS *lpCommTimeouts);
"""


class Comm(Protocol):
    def GetCommState(self, hFile: int, lpDCB: CData, /) -> int: ...
    def SetCommState(self, hFile: int, lpDCB: CData, /) -> int: ...
    def GetCommTimeouts(self, hFile: int, lpCommTimeouts: CData, /) -> int: ...
    def SetCommTimeouts(self, hFile: int, lpCommTimeouts: CData, /) -> int: ...


class Parity(NamedIntEnum):
    """DCB.Parity (winbase.h NOPARITY ... SPACEPARITY)."""

    NONE = 0
    ODD = 1
    EVEN = 2
    MARK = 3
    SPACE = 4


class StopBits(NamedIntEnum):
    """DCB.StopBits (winbase.h ONESTOPBIT, ONE5STOPBITS, TWOSTOPBITS)."""

    ONE = 0
    ONE_AND_HALF = 1
    TWO = 2
