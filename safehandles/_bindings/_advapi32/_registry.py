"""advapi32.dll, the registry: declarations and their typed surface.

Registry functions return their status (a Win32 error code) instead of
setting the last error.
"""

from __future__ import annotations

from typing import Protocol

from .._constants import NamedIntEnum, NamedIntFlag, StandardAccess
from .._types import CData, WideString

DECLARATIONS = """
/* HKEY is a handle; the predefined roots are small negative values once
   sign-extended (HKEY_CURRENT_USER is (HKEY)(LONG)0x80000001). */
typedef intptr_t HKEY;

LONG RegOpenKeyExW(HKEY hKey, const WCHAR *lpSubKey, DWORD ulOptions, DWORD samDesired,
                   HKEY *phkResult);
LONG RegCreateKeyExW(HKEY hKey, const WCHAR *lpSubKey, DWORD Reserved, WCHAR *lpClass,
                     DWORD dwOptions, DWORD samDesired,
                     SECURITY_ATTRIBUTES *lpSecurityAttributes, HKEY *phkResult,
                     DWORD *lpdwDisposition);
LONG RegCloseKey(HKEY hKey);
LONG RegQueryValueExW(HKEY hKey, const WCHAR *lpValueName, DWORD *lpReserved, DWORD *lpType,
                      BYTE *lpData, DWORD *lpcbData);
LONG RegSetValueExW(HKEY hKey, const WCHAR *lpValueName, DWORD Reserved, DWORD dwType,
                    const BYTE *lpData, DWORD cbData);
LONG RegDeleteValueW(HKEY hKey, const WCHAR *lpValueName);
LONG RegDeleteKeyW(HKEY hKey, const WCHAR *lpSubKey);
LONG RegDeleteTreeW(HKEY hKey, const WCHAR *lpSubKey);
LONG RegEnumKeyExW(HKEY hKey, DWORD dwIndex, WCHAR *lpName, DWORD *lpcchName,
                   DWORD *lpReserved, WCHAR *lpClass, DWORD *lpcchClass,
                   void *lpftLastWriteTime);
LONG RegEnumValueW(HKEY hKey, DWORD dwIndex, WCHAR *lpValueName, DWORD *lpcchValueName,
                   DWORD *lpReserved, DWORD *lpType, BYTE *lpData, DWORD *lpcbData);
"""


class Registry(Protocol):
    def RegOpenKeyExW(
        self, hKey: int, lpSubKey: WideString, ulOptions: int, samDesired: int, phkResult: CData, /
    ) -> int: ...
    def RegCreateKeyExW(
        self,
        hKey: int,
        lpSubKey: WideString,
        Reserved: int,
        lpClass: CData,
        dwOptions: int,
        samDesired: int,
        lpSecurityAttributes: CData,
        phkResult: CData,
        lpdwDisposition: CData,
        /,
    ) -> int: ...
    def RegCloseKey(self, hKey: int, /) -> int: ...
    def RegQueryValueExW(
        self,
        hKey: int,
        lpValueName: WideString,
        lpReserved: CData,
        lpType: CData,
        lpData: CData,
        lpcbData: CData,
        /,
    ) -> int: ...
    def RegSetValueExW(
        self, hKey: int, lpValueName: WideString, Reserved: int, dwType: int, lpData: CData, cbData: int, /
    ) -> int: ...
    def RegDeleteValueW(self, hKey: int, lpValueName: WideString, /) -> int: ...
    def RegDeleteKeyW(self, hKey: int, lpSubKey: WideString, /) -> int: ...
    def RegDeleteTreeW(self, hKey: int, lpSubKey: WideString, /) -> int: ...
    def RegEnumKeyExW(
        self,
        hKey: int,
        dwIndex: int,
        lpName: CData,
        lpcchName: CData,
        lpReserved: CData,
        lpClass: CData,
        lpcchClass: CData,
        lpftLastWriteTime: CData,
        /,
    ) -> int: ...
    def RegEnumValueW(
        self,
        hKey: int,
        dwIndex: int,
        lpValueName: CData,
        lpcchValueName: CData,
        lpReserved: CData,
        lpType: CData,
        lpData: CData,
        lpcbData: CData,
        /,
    ) -> int: ...


class PredefinedKey(NamedIntEnum):
    """The predefined root keys (winreg.h), as the sign-extended values a 64-bit HKEY holds."""

    CLASSES_ROOT = -0x8000_0000
    CURRENT_USER = -0x7FFF_FFFF
    LOCAL_MACHINE = -0x7FFF_FFFE
    USERS = -0x7FFF_FFFD
    PERFORMANCE_DATA = -0x7FFF_FFFC
    CURRENT_CONFIG = -0x7FFF_FFFB


class KeyAccess(NamedIntFlag):
    """Registry key access rights ("Registry Key Security and Access Rights"; winnt.h KEY_*).

    ``WOW64_64KEY`` and ``WOW64_32KEY`` choose a registry view rather than
    grant a right; ``WOW64_RES`` is the two together. ``READ``, ``WRITE``,
    ``EXECUTE`` and ``ALL_ACCESS`` leave out ``SYNCHRONIZE``, as winnt.h does.
    """

    QUERY_VALUE = 0x0001
    SET_VALUE = 0x0002
    CREATE_SUB_KEY = 0x0004
    ENUMERATE_SUB_KEYS = 0x0008
    NOTIFY = 0x0010
    CREATE_LINK = 0x0020
    WOW64_64KEY = 0x0100
    WOW64_32KEY = 0x0200
    WOW64_RES = 0x0300
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    READ = StandardAccess.READ_CONTROL.value | 0x0019
    WRITE = StandardAccess.READ_CONTROL.value | 0x0006
    EXECUTE = StandardAccess.READ_CONTROL.value | 0x0019
    ALL_ACCESS = StandardAccess.REQUIRED.value | 0x003F


class ValueType(NamedIntEnum):
    """Registry value types (winnt.h, REG_*)."""

    NONE = 0
    SZ = 1
    EXPAND_SZ = 2
    BINARY = 3
    DWORD = 4
    DWORD_BIG_ENDIAN = 5
    LINK = 6
    MULTI_SZ = 7
    RESOURCE_LIST = 8
    FULL_RESOURCE_DESCRIPTOR = 9
    RESOURCE_REQUIREMENTS_LIST = 10
    QWORD = 11


class KeyOption(NamedIntFlag):
    """Options of RegCreateKeyExW (winnt.h, REG_OPTION_*)."""

    NON_VOLATILE = 0x0
    VOLATILE = 0x1


class Disposition(NamedIntEnum):
    """What RegCreateKeyExW did (winnt.h)."""

    CREATED_NEW_KEY = 1
    OPENED_EXISTING_KEY = 2
