"""kernel32.dll, job objects: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

from .._constants import NamedIntEnum, NamedIntFlag, StandardAccess
from .._types import CData, WideString

DECLARATIONS = """
/* winnt.h */
typedef struct _JOBOBJECT_BASIC_LIMIT_INFORMATION {
    LARGE_INTEGER PerProcessUserTimeLimit;
    LARGE_INTEGER PerJobUserTimeLimit;
    DWORD LimitFlags;
    SIZE_T MinimumWorkingSetSize;
    SIZE_T MaximumWorkingSetSize;
    DWORD ActiveProcessLimit;
    ULONG_PTR Affinity;
    DWORD PriorityClass;
    DWORD SchedulingClass;
} JOBOBJECT_BASIC_LIMIT_INFORMATION;

typedef struct _IO_COUNTERS {
    ULONGLONG ReadOperationCount;
    ULONGLONG WriteOperationCount;
    ULONGLONG OtherOperationCount;
    ULONGLONG ReadTransferCount;
    ULONGLONG WriteTransferCount;
    ULONGLONG OtherTransferCount;
} IO_COUNTERS;

typedef struct _JOBOBJECT_EXTENDED_LIMIT_INFORMATION {
    JOBOBJECT_BASIC_LIMIT_INFORMATION BasicLimitInformation;
    IO_COUNTERS IoInfo;
    SIZE_T ProcessMemoryLimit;
    SIZE_T JobMemoryLimit;
    SIZE_T PeakProcessMemoryUsed;
    SIZE_T PeakJobMemoryUsed;
} JOBOBJECT_EXTENDED_LIMIT_INFORMATION;

typedef struct _JOBOBJECT_BASIC_ACCOUNTING_INFORMATION {
    LARGE_INTEGER TotalUserTime;
    LARGE_INTEGER TotalKernelTime;
    LARGE_INTEGER ThisPeriodTotalUserTime;
    LARGE_INTEGER ThisPeriodTotalKernelTime;
    DWORD TotalPageFaultCount;
    DWORD TotalProcesses;
    DWORD ActiveProcesses;
    DWORD TotalTerminatedProcesses;
} JOBOBJECT_BASIC_ACCOUNTING_INFORMATION;

/* winnt.h. ProcessIdList is ULONG_PTR[1] there: the list is as long as the buffer allows. */
typedef struct _JOBOBJECT_BASIC_PROCESS_ID_LIST {
    DWORD NumberOfAssignedProcesses;
    DWORD NumberOfProcessIdsInList;
    ULONG_PTR ProcessIdList[1];
} JOBOBJECT_BASIC_PROCESS_ID_LIST;

typedef struct _JOBOBJECT_BASIC_UI_RESTRICTIONS {
    DWORD UIRestrictionsClass;
} JOBOBJECT_BASIC_UI_RESTRICTIONS;

typedef struct _JOBOBJECT_ASSOCIATE_COMPLETION_PORT {
    ULONG_PTR CompletionKey;
    HANDLE CompletionPort;
} JOBOBJECT_ASSOCIATE_COMPLETION_PORT;

/* winnt.h. The union of CpuRate, Weight and MinRate/MaxRate is spelled as its one DWORD. */
typedef struct _JOBOBJECT_CPU_RATE_CONTROL_INFORMATION {
    DWORD ControlFlags;
    DWORD CpuRate;
} JOBOBJECT_CPU_RATE_CONTROL_INFORMATION;

/* jobapi.h, jobapi2.h, winbase.h */
HANDLE CreateJobObjectW(SECURITY_ATTRIBUTES *lpJobAttributes, const WCHAR *lpName);
HANDLE OpenJobObjectW(DWORD dwDesiredAccess, BOOL bInheritHandle, const WCHAR *lpName);
BOOL AssignProcessToJobObject(HANDLE hJob, HANDLE hProcess);
BOOL TerminateJobObject(HANDLE hJob, UINT uExitCode);
BOOL IsProcessInJob(HANDLE ProcessHandle, HANDLE JobHandle, BOOL *Result);
BOOL SetInformationJobObject(HANDLE hJob, int JobObjectInformationClass,
                             void *lpJobObjectInformation, DWORD cbJobObjectInformationLength);
BOOL QueryInformationJobObject(HANDLE hJob, int JobObjectInformationClass,
                               void *lpJobObjectInformation, DWORD cbJobObjectInformationLength,
                               DWORD *lpReturnLength);
"""


class JobAccess(NamedIntFlag):
    """Job object access rights ("Job Object Security and Access Rights"; winnt.h JOB_OBJECT_*)."""

    ASSIGN_PROCESS = 0x0001
    SET_ATTRIBUTES = 0x0002
    QUERY = 0x0004
    TERMINATE = 0x0008
    SET_SECURITY_ATTRIBUTES = 0x0010
    IMPERSONATE = 0x0020
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    SYNCHRONIZE = StandardAccess.SYNCHRONIZE.value
    ALL_ACCESS = StandardAccess.ALL.value | 0x3F


class JobInformationClass(NamedIntEnum):
    """JOBOBJECTINFOCLASS values the library uses (winnt.h)."""

    BASIC_ACCOUNTING = 1
    BASIC_LIMIT = 2
    BASIC_PROCESS_ID_LIST = 3
    BASIC_UI_RESTRICTIONS = 4
    ASSOCIATE_COMPLETION_PORT = 7
    EXTENDED_LIMIT = 9
    CPU_RATE_CONTROL = 15


class JobUiLimit(NamedIntFlag):
    """JOBOBJECT_BASIC_UI_RESTRICTIONS.UIRestrictionsClass (winnt.h JOB_OBJECT_UILIMIT_*).

    What the processes of a job may not do with the user interface: use
    USER handles of processes outside the job, read or write the clipboard,
    change system parameters or display settings, use global atoms, switch
    or create desktops, or call ``ExitWindows``.
    """

    NONE = 0
    HANDLES = 0x0000_0001
    READCLIPBOARD = 0x0000_0002
    WRITECLIPBOARD = 0x0000_0004
    SYSTEMPARAMETERS = 0x0000_0008
    DISPLAYSETTINGS = 0x0000_0010
    GLOBALATOMS = 0x0000_0020
    DESKTOP = 0x0000_0040
    EXITWINDOWS = 0x0000_0080


class JobCpuRateControl(NamedIntFlag):
    """JOBOBJECT_CPU_RATE_CONTROL_INFORMATION.ControlFlags (winnt.h JOB_OBJECT_CPU_RATE_CONTROL_*)."""

    ENABLE = 0x1
    WEIGHT_BASED = 0x2
    HARD_CAP = 0x4
    NOTIFY = 0x8
    MIN_MAX_RATE = 0x10


class JobMessage(NamedIntEnum):
    """What a job posts to its completion port (winnt.h JOB_OBJECT_MSG_*).

    The message is the packet's byte count; for the messages about one
    process the packet's ``OVERLAPPED`` address is that process's id.
    Prints as its name (``EXIT_PROCESS``).
    """

    END_OF_JOB_TIME = 1
    END_OF_PROCESS_TIME = 2
    ACTIVE_PROCESS_LIMIT = 3
    ACTIVE_PROCESS_ZERO = 4
    NEW_PROCESS = 6
    EXIT_PROCESS = 7
    ABNORMAL_EXIT_PROCESS = 8
    PROCESS_MEMORY_LIMIT = 9
    JOB_MEMORY_LIMIT = 10
    NOTIFICATION_LIMIT = 11
    JOB_CYCLE_TIME_LIMIT = 12
    SILO_TERMINATED = 13

    def __str__(self) -> str:
        return self.name


class JobLimit(NamedIntFlag):
    """JOBOBJECT_BASIC_LIMIT_INFORMATION.LimitFlags (winnt.h)."""

    WORKINGSET = 0x0000_0001
    PROCESS_TIME = 0x0000_0002
    JOB_TIME = 0x0000_0004
    ACTIVE_PROCESS = 0x0000_0008
    AFFINITY = 0x0000_0010
    PRIORITY_CLASS = 0x0000_0020
    PRESERVE_JOB_TIME = 0x0000_0040
    SCHEDULING_CLASS = 0x0000_0080
    PROCESS_MEMORY = 0x0000_0100
    JOB_MEMORY = 0x0000_0200
    DIE_ON_UNHANDLED_EXCEPTION = 0x0000_0400
    BREAKAWAY_OK = 0x0000_0800
    SILENT_BREAKAWAY_OK = 0x0000_1000
    KILL_ON_JOB_CLOSE = 0x0000_2000


class Jobs(Protocol):
    def CreateJobObjectW(self, lpJobAttributes: CData, lpName: WideString, /) -> int: ...
    def OpenJobObjectW(self, dwDesiredAccess: int, bInheritHandle: int, lpName: WideString, /) -> int: ...
    def AssignProcessToJobObject(self, hJob: int, hProcess: int, /) -> int: ...
    def TerminateJobObject(self, hJob: int, uExitCode: int, /) -> int: ...
    def IsProcessInJob(self, ProcessHandle: int, JobHandle: int, Result: CData, /) -> int: ...
    def SetInformationJobObject(
        self,
        hJob: int,
        JobObjectInformationClass: int,
        lpJobObjectInformation: CData,
        cbJobObjectInformationLength: int,
        /,
    ) -> int: ...
    def QueryInformationJobObject(
        self,
        hJob: int,
        JobObjectInformationClass: int,
        lpJobObjectInformation: CData,
        cbJobObjectInformationLength: int,
        lpReturnLength: CData,
        /,
    ) -> int: ...
