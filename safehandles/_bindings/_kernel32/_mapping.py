"""kernel32.dll, file mappings and views: declarations and their typed surface."""

from __future__ import annotations

from typing import Final, Protocol

from .._constants import NamedIntFlag, StandardAccess
from .._types import CData, WideString

DECLARATIONS = """
/* winnt.h, x64 layout: PartitionId (WORD) follows AllocationProtect; 48 bytes. */
typedef struct _MEMORY_BASIC_INFORMATION {
    ADDRESS BaseAddress;
    ADDRESS AllocationBase;
    DWORD AllocationProtect;
    WORD PartitionId;
    SIZE_T RegionSize;
    DWORD State;
    DWORD Protect;
    DWORD Type;
} MEMORY_BASIC_INFORMATION;

HANDLE CreateFileMappingW(HANDLE hFile, SECURITY_ATTRIBUTES *lpFileMappingAttributes,
                          DWORD flProtect, DWORD dwMaximumSizeHigh, DWORD dwMaximumSizeLow,
                          const WCHAR *lpName);
HANDLE OpenFileMappingW(DWORD dwDesiredAccess, BOOL bInheritHandle, const WCHAR *lpName);
ADDRESS MapViewOfFile(HANDLE hFileMappingObject, DWORD dwDesiredAccess,
                      DWORD dwFileOffsetHigh, DWORD dwFileOffsetLow,
                      SIZE_T dwNumberOfBytesToMap);
BOOL UnmapViewOfFile(ADDRESS lpBaseAddress);
BOOL FlushViewOfFile(ADDRESS lpBaseAddress, SIZE_T dwNumberOfBytesToFlush);
SIZE_T VirtualQuery(ADDRESS lpAddress, MEMORY_BASIC_INFORMATION *lpBuffer, SIZE_T dwLength);
"""


class Mapping(Protocol):
    def CreateFileMappingW(
        self,
        hFile: int,
        lpFileMappingAttributes: CData,
        flProtect: int,
        dwMaximumSizeHigh: int,
        dwMaximumSizeLow: int,
        lpName: WideString,
        /,
    ) -> int: ...
    def OpenFileMappingW(self, dwDesiredAccess: int, bInheritHandle: int, lpName: WideString, /) -> int: ...
    def MapViewOfFile(
        self,
        hFileMappingObject: int,
        dwDesiredAccess: int,
        dwFileOffsetHigh: int,
        dwFileOffsetLow: int,
        dwNumberOfBytesToMap: int,
        /,
    ) -> int: ...
    def UnmapViewOfFile(self, lpBaseAddress: int, /) -> int: ...
    def FlushViewOfFile(self, lpBaseAddress: int, dwNumberOfBytesToFlush: int, /) -> int: ...
    def VirtualQuery(self, lpAddress: int, lpBuffer: CData, dwLength: int, /) -> int: ...


#: What VirtualQuery reports about a region (winnt.h): committed pages, of a mapped
#: view of a section (not an image, not private memory).
MEM_COMMIT: Final = 0x1000
MEM_MAPPED: Final = 0x4_0000


class PageProtection(NamedIntFlag):
    """Page protections a file mapping is created with (winnt.h PAGE_*, SEC_*)."""

    READONLY = 0x02
    READWRITE = 0x04
    WRITECOPY = 0x08
    EXECUTE_READ = 0x20
    EXECUTE_READWRITE = 0x40
    EXECUTE_WRITECOPY = 0x80
    SEC_COMMIT = 0x0800_0000
    SEC_RESERVE = 0x0400_0000


class FileMapAccess(NamedIntFlag):
    """File mapping access rights, and MapViewOfFile's access.

    From "File Mapping Security and Access Rights" (memoryapi.h FILE_MAP_*,
    winnt.h SECTION_*). ``QUERY``, ``MAP_EXECUTE`` and ``EXTEND_SIZE`` are the
    SECTION_* rights without a FILE_MAP_* name; ``COPY`` is a view's access
    (copy-on-write), not a right, and shares ``QUERY``'s bit.
    """

    QUERY = 0x0001
    COPY = 0x0001
    WRITE = 0x0002
    READ = 0x0004
    MAP_EXECUTE = 0x0008
    EXTEND_SIZE = 0x0010
    EXECUTE = 0x0020
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    ALL_ACCESS = StandardAccess.REQUIRED.value | 0x1F
