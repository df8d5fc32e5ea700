"""ntdll.dll: the native-API calls used for diagnostics, and their typed surface.

These report an NTSTATUS; ``RtlNtStatusToDosError`` turns it into the Win32
error code ``OSError`` expects. The handle-table and object-type layouts are
not in Microsoft's SDK documentation; they are the ones every tool that lists
handles relies on (Process Explorer, Process Hacker's phnt headers).
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

/* ObjectBasicInformation (0) for one handle (winternl.h): the access the handle was granted. */
typedef struct _PUBLIC_OBJECT_BASIC_INFORMATION {
    ULONG Attributes;
    ULONG GrantedAccess;
    ULONG HandleCount;
    ULONG PointerCount;
    ULONG Reserved[10];
} PUBLIC_OBJECT_BASIC_INFORMATION;

/* ObjectTypeInformation (2) for one handle, and ObjectTypesInformation (3):
   a ULONG count, then one entry per type, each followed by its name and
   aligned to a pointer. TypeIndex exists since Windows 8.1. */
typedef struct _GENERIC_MAPPING {
    ULONG GenericRead;
    ULONG GenericWrite;
    ULONG GenericExecute;
    ULONG GenericAll;
} GENERIC_MAPPING;

typedef struct _OBJECT_TYPE_INFORMATION {
    UNICODE_STRING TypeName;
    ULONG TotalNumberOfObjects;
    ULONG TotalNumberOfHandles;
    ULONG TotalPagedPoolUsage;
    ULONG TotalNonPagedPoolUsage;
    ULONG TotalNamePoolUsage;
    ULONG TotalHandleTableUsage;
    ULONG HighWaterNumberOfObjects;
    ULONG HighWaterNumberOfHandles;
    ULONG HighWaterPagedPoolUsage;
    ULONG HighWaterNonPagedPoolUsage;
    ULONG HighWaterNamePoolUsage;
    ULONG HighWaterHandleTableUsage;
    ULONG InvalidAttributes;
    GENERIC_MAPPING GenericMapping;
    ULONG ValidAccessMask;
    BYTE SecurityRequired;
    BYTE MaintainHandleCount;
    BYTE TypeIndex;
    BYTE ReservedByte;
    ULONG PoolType;
    ULONG DefaultPagedPoolCharge;
    ULONG DefaultNonPagedPoolCharge;
} OBJECT_TYPE_INFORMATION;

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
