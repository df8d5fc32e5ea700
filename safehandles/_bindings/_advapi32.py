"""advapi32.dll: registry and security declarations, and their typed surface."""

from __future__ import annotations

from typing import Protocol

from ._types import CData, WideString

DECLARATIONS = """
/* HKEY is a handle; the predefined roots are small negative values once
   sign-extended (HKEY_CURRENT_USER is (HKEY)(LONG)0x80000001). */
typedef intptr_t HKEY;

LONG RegOpenKeyExW(HKEY hKey, const WCHAR *lpSubKey, DWORD ulOptions, DWORD samDesired,
                   HKEY *phkResult);
LONG RegCloseKey(HKEY hKey);

BOOL OpenProcessToken(HANDLE ProcessHandle, DWORD DesiredAccess, HANDLE *TokenHandle);
"""


class Advapi32(Protocol):
    def RegOpenKeyExW(
        self, hKey: int, lpSubKey: WideString, ulOptions: int, samDesired: int, phkResult: CData, /
    ) -> int: ...
    def RegCloseKey(self, hKey: int, /) -> int: ...

    def OpenProcessToken(self, ProcessHandle: int, DesiredAccess: int, TokenHandle: CData, /) -> int: ...
