"""kernel32.dll, handle-table operations and the thread's last error: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

from .._types import CData

DECLARATIONS = """
DWORD GetLastError(void);
void SetLastError(DWORD dwErrCode);
BOOL CloseHandle(HANDLE hObject);
BOOL GetHandleInformation(HANDLE hObject, DWORD *lpdwFlags);
BOOL SetHandleInformation(HANDLE hObject, DWORD dwMask, DWORD dwFlags);
BOOL DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle,
                     HANDLE hTargetProcessHandle, HANDLE *lpTargetHandle,
                     DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwOptions);
"""


class Handles(Protocol):
    def GetLastError(self) -> int: ...
    def SetLastError(self, dwErrCode: int, /) -> None: ...
    def CloseHandle(self, hObject: int, /) -> int: ...
    def GetHandleInformation(self, hObject: int, lpdwFlags: CData, /) -> int: ...
    def SetHandleInformation(self, hObject: int, dwMask: int, dwFlags: int, /) -> int: ...
    def DuplicateHandle(
        self,
        hSourceProcessHandle: int,
        hSourceHandle: int,
        hTargetProcessHandle: int,
        lpTargetHandle: CData,
        dwDesiredAccess: int,
        bInheritHandle: int,
        dwOptions: int,
        /,
    ) -> int: ...
