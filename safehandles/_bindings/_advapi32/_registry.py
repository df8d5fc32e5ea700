"""advapi32.dll, the registry: declarations and their typed surface.

Registry functions return their status (a Win32 error code) instead of
setting the last error.
"""

from __future__ import annotations

from typing import Protocol

from .._types import CData, WideString

DECLARATIONS = """
/* HKEY is a handle; the predefined roots are small negative values once
   sign-extended (HKEY_CURRENT_USER is (HKEY)(LONG)0x80000001). */
typedef intptr_t HKEY;

LONG RegOpenKeyExW(HKEY hKey, const WCHAR *lpSubKey, DWORD ulOptions, DWORD samDesired,
                   HKEY *phkResult);
LONG RegCloseKey(HKEY hKey);
"""


class Registry(Protocol):
    def RegOpenKeyExW(
        self, hKey: int, lpSubKey: WideString, ulOptions: int, samDesired: int, phkResult: CData, /
    ) -> int: ...
    def RegCloseKey(self, hKey: int, /) -> int: ...
