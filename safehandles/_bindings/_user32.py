"""user32.dll, window stations and desktops: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

from ._constants import NamedIntEnum, NamedIntFlag, StandardAccess
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


class UserObjectInformation(NamedIntEnum):
    """GetUserObjectInformationW's nIndex (winuser.h)."""

    FLAGS = 1
    NAME = 2
    TYPE = 3
    USER_SID = 4


class DesktopAccess(NamedIntFlag):
    """Desktop access rights ("Desktop Security and Access Rights"; winuser.h DESKTOP_*).

    winuser.h has no DESKTOP_ALL_ACCESS: ``ALL_ACCESS`` here is what the page
    says GENERIC_ALL maps to, every desktop right and STANDARD_RIGHTS_REQUIRED.
    The page says ``SYNCHRONIZE`` is not supported for desktops.
    """

    READOBJECTS = 0x0001
    CREATEWINDOW = 0x0002
    CREATEMENU = 0x0004
    HOOKCONTROL = 0x0008
    JOURNALRECORD = 0x0010
    JOURNALPLAYBACK = 0x0020
    ENUMERATE = 0x0040
    WRITEOBJECTS = 0x0080
    SWITCHDESKTOP = 0x0100
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    ALL_ACCESS = StandardAccess.REQUIRED.value | 0x01FF


class WindowStationAccess(NamedIntFlag):
    """Window station access rights ("Window Station Security and Access Rights"; winuser.h WINSTA_*).

    ``ALL_ACCESS`` is winuser.h's WINSTA_ALL_ACCESS: the window-station rights
    only, without the standard ones.
    """

    ENUMDESKTOPS = 0x0001
    READATTRIBUTES = 0x0002
    ACCESSCLIPBOARD = 0x0004
    CREATEDESKTOP = 0x0008
    WRITEATTRIBUTES = 0x0010
    ACCESSGLOBALATOMS = 0x0020
    EXITWINDOWS = 0x0040
    ENUMERATE = 0x0100
    READSCREEN = 0x0200
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    ALL_ACCESS = 0x037F


class User32(Protocol):
    def GetProcessWindowStation(self) -> int: ...
    def GetThreadDesktop(self, dwThreadId: int, /) -> int: ...
    def CloseDesktop(self, hDesktop: int, /) -> int: ...
    def CloseWindowStation(self, hWinSta: int, /) -> int: ...
    def GetUserObjectInformationW(
        self, hObj: int, nIndex: int, pvInfo: CData, nLength: int, lpnLengthNeeded: CData, /
    ) -> int: ...
