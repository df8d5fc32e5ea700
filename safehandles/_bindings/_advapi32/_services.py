"""advapi32.dll, the service control manager: declarations and their typed surface."""

from __future__ import annotations

import enum
from typing import Final, Protocol

from .._constants import StandardAccess
from .._types import CData, WideString

DECLARATIONS = """
/* SC_HANDLE: an opaque handle of the service control manager (an RPC context
   handle, not an entry in the process handle table). */
typedef intptr_t SC_HANDLE;

/* winsvc.h */
typedef struct _SERVICE_STATUS_PROCESS {
    DWORD dwServiceType;
    DWORD dwCurrentState;
    DWORD dwControlsAccepted;
    DWORD dwWin32ExitCode;
    DWORD dwServiceSpecificExitCode;
    DWORD dwCheckPoint;
    DWORD dwWaitHint;
    DWORD dwProcessId;
    DWORD dwServiceFlags;
} SERVICE_STATUS_PROCESS;
typedef struct _ENUM_SERVICE_STATUS_PROCESSW {
    WCHAR *lpServiceName;
    WCHAR *lpDisplayName;
    SERVICE_STATUS_PROCESS ServiceStatusProcess;
} ENUM_SERVICE_STATUS_PROCESSW;

SC_HANDLE OpenSCManagerW(const WCHAR *lpMachineName, const WCHAR *lpDatabaseName,
                         DWORD dwDesiredAccess);
SC_HANDLE OpenServiceW(SC_HANDLE hSCManager, const WCHAR *lpServiceName, DWORD dwDesiredAccess);
BOOL CloseServiceHandle(SC_HANDLE hSCObject);
BOOL QueryServiceStatusEx(SC_HANDLE hService, int InfoLevel, BYTE *lpBuffer, DWORD cbBufSize,
                          DWORD *pcbBytesNeeded);
BOOL EnumServicesStatusExW(SC_HANDLE hSCManager, int InfoLevel, DWORD dwServiceType,
                           DWORD dwServiceState, BYTE *lpServices, DWORD cbBufSize,
                           DWORD *pcbBytesNeeded, DWORD *lpServicesReturned,
                           DWORD *lpResumeHandle, const WCHAR *pszGroupName);
"""


class Services(Protocol):
    def OpenSCManagerW(
        self, lpMachineName: WideString, lpDatabaseName: WideString, dwDesiredAccess: int, /
    ) -> int: ...
    def OpenServiceW(self, hSCManager: int, lpServiceName: WideString, dwDesiredAccess: int, /) -> int: ...
    def CloseServiceHandle(self, hSCObject: int, /) -> int: ...
    def QueryServiceStatusEx(
        self, hService: int, InfoLevel: int, lpBuffer: CData, cbBufSize: int, pcbBytesNeeded: CData, /
    ) -> int: ...
    def EnumServicesStatusExW(
        self,
        hSCManager: int,
        InfoLevel: int,
        dwServiceType: int,
        dwServiceState: int,
        lpServices: CData,
        cbBufSize: int,
        pcbBytesNeeded: CData,
        lpServicesReturned: CData,
        lpResumeHandle: CData,
        pszGroupName: WideString,
        /,
    ) -> int: ...


#: winsvc.h: SC_STATUS_PROCESS_INFO and SC_ENUM_PROCESS_INFO, the one info level of each call.
SC_STATUS_PROCESS_INFO: Final = 0
SC_ENUM_PROCESS_INFO: Final = 0


class ServiceManagerAccess(enum.IntFlag):
    """Service control manager access rights ("Service Security and Access Rights"; winsvc.h SC_MANAGER_*)."""

    CONNECT = 0x0001
    CREATE_SERVICE = 0x0002
    ENUMERATE_SERVICE = 0x0004
    LOCK = 0x0008
    QUERY_LOCK_STATUS = 0x0010
    MODIFY_BOOT_CONFIG = 0x0020
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    ALL_ACCESS = StandardAccess.REQUIRED.value | 0x003F


class ServiceAccess(enum.IntFlag):
    """Service access rights ("Service Security and Access Rights"; winsvc.h SERVICE_*)."""

    QUERY_CONFIG = 0x0001
    CHANGE_CONFIG = 0x0002
    QUERY_STATUS = 0x0004
    ENUMERATE_DEPENDENTS = 0x0008
    START = 0x0010
    STOP = 0x0020
    PAUSE_CONTINUE = 0x0040
    INTERROGATE = 0x0080
    USER_DEFINED_CONTROL = 0x0100
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    ALL_ACCESS = StandardAccess.REQUIRED.value | 0x01FF


class ServiceState(enum.IntEnum):
    """A service's current state (winsvc.h, SERVICE_STOPPED ...)."""

    STOPPED = 1
    START_PENDING = 2
    STOP_PENDING = 3
    RUNNING = 4
    CONTINUE_PENDING = 5
    PAUSE_PENDING = 6
    PAUSED = 7


class ServiceType(enum.IntFlag):
    """Service types (winnt.h, SERVICE_KERNEL_DRIVER ...)."""

    KERNEL_DRIVER = 0x001
    FILE_SYSTEM_DRIVER = 0x002
    ADAPTER = 0x004
    RECOGNIZER_DRIVER = 0x008
    WIN32_OWN_PROCESS = 0x010
    WIN32_SHARE_PROCESS = 0x020
    USER_SERVICE = 0x040
    USERSERVICE_INSTANCE = 0x080
    INTERACTIVE_PROCESS = 0x100
    PKG_SERVICE = 0x200
    DRIVER = 0x00B
    WIN32 = 0x030
    ALL = 0x3FF


class ServiceStateFilter(enum.IntEnum):
    """Which services EnumServicesStatusExW lists (winsvc.h, SERVICE_ACTIVE ...)."""

    ACTIVE = 1
    INACTIVE = 2
    ALL = 3
