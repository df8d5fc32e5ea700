"""ntdll.dll: the native-API calls used for diagnostics, and their typed surface.

These report an NTSTATUS; ``RtlNtStatusToDosError`` turns it into the Win32
error code ``OSError`` expects.
"""

from __future__ import annotations

from typing import Protocol

from ._types import CData

DECLARATIONS = """
typedef int32_t NTSTATUS;

typedef struct _UNICODE_STRING {
    USHORT Length;          /* in bytes, without a terminating NUL */
    USHORT MaximumLength;
    WCHAR *Buffer;
} UNICODE_STRING;

/* SystemExtendedHandleInformation (64): every handle of every process. */
typedef struct _SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX {
    void *Object;
    ULONG_PTR UniqueProcessId;
    ULONG_PTR HandleValue;
    ULONG GrantedAccess;
    USHORT CreatorBackTraceIndex;
    USHORT ObjectTypeIndex;
    ULONG HandleAttributes;
    ULONG Reserved;
} SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX;

typedef struct _SYSTEM_HANDLE_INFORMATION_EX {
    ULONG_PTR NumberOfHandles;
    ULONG_PTR Reserved;
    SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX Handles[];
} SYSTEM_HANDLE_INFORMATION_EX;

NTSTATUS NtQuerySystemInformation(int SystemInformationClass, void *SystemInformation,
                                  ULONG SystemInformationLength, ULONG *ReturnLength);
NTSTATUS NtQueryObject(HANDLE Handle, int ObjectInformationClass, void *ObjectInformation,
                       ULONG ObjectInformationLength, ULONG *ReturnLength);
ULONG RtlNtStatusToDosError(NTSTATUS Status);
"""


class Ntdll(Protocol):
    def NtQueryObject(
        self,
        Handle: int,
        ObjectInformationClass: int,
        ObjectInformation: CData,
        ObjectInformationLength: int,
        ReturnLength: CData,
        /,
    ) -> int: ...
    def NtQuerySystemInformation(
        self,
        SystemInformationClass: int,
        SystemInformation: CData,
        SystemInformationLength: int,
        ReturnLength: CData,
        /,
    ) -> int: ...
    def RtlNtStatusToDosError(self, Status: int, /) -> int: ...
