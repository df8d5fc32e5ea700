"""user32.dll, window stations and desktops: declarations and their typed surface."""

from __future__ import annotations

import enum
from typing import Protocol

from ._types import CData

DECLARATIONS = """
/* winuser.h */
HANDLE GetProcessWindowStation(void);
HANDLE GetThreadDesktop(DWORD dwThreadId);
BOOL CloseDesktop(HANDLE hDesktop);
BOOL CloseWindowStation(HANDLE hWinSta);
BOOL GetUserObjectInformationW(HANDLE hObj, int nIndex, void *pvInfo, DWORD nLength,
                               DWORD *lpnLengthNeeded);
"""


class UserObjectInformation(enum.IntEnum):
    """GetUserObjectInformationW's nIndex (winuser.h)."""

    FLAGS = 1
    NAME = 2
    TYPE = 3
    USER_SID = 4


class User32(Protocol):
    def GetProcessWindowStation(self) -> int: ...
    def GetThreadDesktop(self, dwThreadId: int, /) -> int: ...
    def CloseDesktop(self, hDesktop: int, /) -> int: ...
    def CloseWindowStation(self, hWinSta: int, /) -> int: ...
    def GetUserObjectInformationW(
        self, hObj: int, nIndex: int, pvInfo: CData, nLength: int, lpnLengthNeeded: CData, /
    ) -> int: ...
