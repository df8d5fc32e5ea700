"""kernel32.dll, modules (DLLs) and resource updates: declarations and their typed surface.

An ``HMODULE`` is the module's base address; it is declared as ``HANDLE``
(``intptr_t``) like the other handles, and user-mode addresses are positive.
Resource types and names are ``const WCHAR *`` that may also carry a 16-bit
integer id (``MAKEINTRESOURCE``): pass ``ffi.cast("const WCHAR *", id)`` then.
"""

from __future__ import annotations

from typing import Protocol

from .._constants import NamedIntFlag
from .._types import CData, WideString

DECLARATIONS = """
/* libloaderapi.h */
HANDLE LoadLibraryW(const WCHAR *lpLibFileName);
HANDLE LoadLibraryExW(const WCHAR *lpLibFileName, HANDLE hFile, DWORD dwFlags);
HANDLE GetModuleHandleW(const WCHAR *lpModuleName);
BOOL GetModuleHandleExW(DWORD dwFlags, const WCHAR *lpModuleName, HANDLE *phModule);
BOOL FreeLibrary(HANDLE hLibModule);
DWORD GetModuleFileNameW(HANDLE hModule, WCHAR *lpFilename, DWORD nSize);
ADDRESS GetProcAddress(HANDLE hModule, const char *lpProcName);
HANDLE FindResourceExW(HANDLE hModule, const WCHAR *lpType, const WCHAR *lpName, WORD wLanguage);
HANDLE LoadResource(HANDLE hModule, HANDLE hResInfo);
DWORD SizeofResource(HANDLE hModule, HANDLE hResInfo);
ADDRESS LockResource(HANDLE hResData);

/* winbase.h */
HANDLE BeginUpdateResourceW(const WCHAR *pFileName, BOOL bDeleteExistingResources);
BOOL UpdateResourceW(HANDLE hUpdate, const WCHAR *lpType, const WCHAR *lpName, WORD wLanguage,
                     void *lpData, DWORD cb);
BOOL EndUpdateResourceW(HANDLE hUpdate, BOOL fDiscard);
"""


class LoadFlag(NamedIntFlag):
    """LoadLibraryExW flags (libloaderapi.h)."""

    DONT_RESOLVE_DLL_REFERENCES = 0x0000_0001
    LOAD_LIBRARY_AS_DATAFILE = 0x0000_0002
    LOAD_WITH_ALTERED_SEARCH_PATH = 0x0000_0008
    LOAD_IGNORE_CODE_AUTHZ_LEVEL = 0x0000_0010
    LOAD_LIBRARY_AS_IMAGE_RESOURCE = 0x0000_0020
    LOAD_LIBRARY_AS_DATAFILE_EXCLUSIVE = 0x0000_0040
    LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR = 0x0000_0100
    LOAD_LIBRARY_SEARCH_APPLICATION_DIR = 0x0000_0200
    LOAD_LIBRARY_SEARCH_USER_DIRS = 0x0000_0400
    LOAD_LIBRARY_SEARCH_SYSTEM32 = 0x0000_0800
    LOAD_LIBRARY_SEARCH_DEFAULT_DIRS = 0x0000_1000


class ModuleHandleFlag(NamedIntFlag):
    """GetModuleHandleExW flags (libloaderapi.h)."""

    PIN = 0x0000_0001
    UNCHANGED_REFCOUNT = 0x0000_0002
    FROM_ADDRESS = 0x0000_0004


class Modules(Protocol):
    def LoadLibraryW(self, lpLibFileName: WideString, /) -> int: ...
    def LoadLibraryExW(self, lpLibFileName: WideString, hFile: int, dwFlags: int, /) -> int: ...
    def GetModuleHandleW(self, lpModuleName: WideString, /) -> int: ...
    def GetModuleHandleExW(self, dwFlags: int, lpModuleName: WideString, phModule: CData, /) -> int: ...
    def FreeLibrary(self, hLibModule: int, /) -> int: ...
    def GetModuleFileNameW(self, hModule: int, lpFilename: CData, nSize: int, /) -> int: ...
    def GetProcAddress(self, hModule: int, lpProcName: bytes | CData, /) -> int: ...
    def FindResourceExW(
        self, hModule: int, lpType: WideString, lpName: WideString, wLanguage: int, /
    ) -> int: ...
    def LoadResource(self, hModule: int, hResInfo: int, /) -> int: ...
    def SizeofResource(self, hModule: int, hResInfo: int, /) -> int: ...
    def LockResource(self, hResData: int, /) -> int: ...
    def BeginUpdateResourceW(self, pFileName: WideString, bDeleteExistingResources: int, /) -> int: ...
    def UpdateResourceW(
        self,
        hUpdate: int,
        lpType: WideString,
        lpName: WideString,
        wLanguage: int,
        lpData: CData,
        cb: int,
        /,
    ) -> int: ...
    def EndUpdateResourceW(self, hUpdate: int, fDiscard: int, /) -> int: ...
