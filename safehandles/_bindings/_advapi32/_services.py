"""advapi32.dll, the service control manager: declarations and their typed surface."""

from __future__ import annotations

from typing import Final, Protocol

from .._constants import NamedIntEnum, NamedIntFlag, StandardAccess
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
typedef struct _SERVICE_STATUS {
    DWORD dwServiceType;
    DWORD dwCurrentState;
    DWORD dwControlsAccepted;
    DWORD dwWin32ExitCode;
    DWORD dwServiceSpecificExitCode;
    DWORD dwCheckPoint;
    DWORD dwWaitHint;
} SERVICE_STATUS;
typedef struct _QUERY_SERVICE_CONFIGW {
    DWORD dwServiceType;
    DWORD dwStartType;
    DWORD dwErrorControl;
    WCHAR *lpBinaryPathName;
    WCHAR *lpLoadOrderGroup;
    DWORD dwTagId;
    WCHAR *lpDependencies;
    WCHAR *lpServiceStartName;
    WCHAR *lpDisplayName;
} QUERY_SERVICE_CONFIGW;
typedef struct _ENUM_SERVICE_STATUS_PROCESSW {
    WCHAR *lpServiceName;
    WCHAR *lpDisplayName;
    SERVICE_STATUS_PROCESS ServiceStatusProcess;
} ENUM_SERVICE_STATUS_PROCESSW;

SC_HANDLE OpenSCManagerW(const WCHAR *lpMachineName, const WCHAR *lpDatabaseName,
                         DWORD dwDesiredAccess);
SC_HANDLE OpenServiceW(SC_HANDLE hSCManager, const WCHAR *lpServiceName, DWORD dwDesiredAccess);
BOOL CloseServiceHandle(SC_HANDLE hSCObject);
SC_HANDLE CreateServiceW(SC_HANDLE hSCManager, const WCHAR *lpServiceName,
                         const WCHAR *lpDisplayName, DWORD dwDesiredAccess, DWORD dwServiceType,
                         DWORD dwStartType, DWORD dwErrorControl, const WCHAR *lpBinaryPathName,
                         const WCHAR *lpLoadOrderGroup, DWORD *lpdwTagId,
                         const WCHAR *lpDependencies, const WCHAR *lpServiceStartName,
                         const WCHAR *lpPassword);
BOOL DeleteService(SC_HANDLE hService);
BOOL StartServiceW(SC_HANDLE hService, DWORD dwNumServiceArgs, const WCHAR **lpServiceArgVectors);
BOOL ControlService(SC_HANDLE hService, DWORD dwControl, SERVICE_STATUS *lpServiceStatus);
BOOL QueryServiceConfigW(SC_HANDLE hService, QUERY_SERVICE_CONFIGW *lpServiceConfig,
                         DWORD cbBufSize, DWORD *pcbBytesNeeded);
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
    def CreateServiceW(
        self,
        hSCManager: int,
        lpServiceName: WideString,
        lpDisplayName: WideString,
        dwDesiredAccess: int,
        dwServiceType: int,
        dwStartType: int,
        dwErrorControl: int,
        lpBinaryPathName: WideString,
        lpLoadOrderGroup: WideString,
        lpdwTagId: CData,
        lpDependencies: WideString,
        lpServiceStartName: WideString,
        lpPassword: WideString,
        /,
    ) -> int: ...
    def DeleteService(self, hService: int, /) -> int: ...
    def StartServiceW(self, hService: int, dwNumServiceArgs: int, lpServiceArgVectors: CData, /) -> int: ...
    def ControlService(self, hService: int, dwControl: int, lpServiceStatus: CData, /) -> int: ...
    def QueryServiceConfigW(
        self, hService: int, lpServiceConfig: CData, cbBufSize: int, pcbBytesNeeded: CData, /
    ) -> int: ...
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


class ServiceManagerAccess(NamedIntFlag):
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


class ServiceAccess(NamedIntFlag):
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


class ServiceState(NamedIntEnum):
    """A service's current state (winsvc.h, SERVICE_STOPPED ...); prints as its name (``RUNNING``)."""

    STOPPED = 1
    START_PENDING = 2
    STOP_PENDING = 3
    RUNNING = 4
    CONTINUE_PENDING = 5
    PAUSE_PENDING = 6
    PAUSED = 7


class ServiceType(NamedIntFlag):
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


class ServiceStateFilter(NamedIntEnum):
    """Which services EnumServicesStatusExW lists (winsvc.h, SERVICE_ACTIVE ...)."""

    ACTIVE = 1
    INACTIVE = 2
    ALL = 3


class ServiceStartType(NamedIntEnum):
    """When a service starts (winnt.h, SERVICE_BOOT_START ...); prints as its name (``DEMAND``)."""

    BOOT = 0
    SYSTEM = 1
    AUTO = 2
    DEMAND = 3
    DISABLED = 4


class ServiceErrorControl(NamedIntEnum):
    """What happens when a service fails to start at boot (winnt.h, SERVICE_ERROR_*); prints as its name."""

    IGNORE = 0
    NORMAL = 1
    SEVERE = 2
    CRITICAL = 3


class ServiceControl(NamedIntEnum):
    """The control codes ControlService sends (winsvc.h, SERVICE_CONTROL_*).

    Codes 128 to 255 are the service's own ("user-defined"); they need
    ``ServiceAccess.USER_DEFINED_CONTROL``.
    """

    STOP = 1
    PAUSE = 2
    CONTINUE = 3
    INTERROGATE = 4
    PARAMCHANGE = 6
    NETBINDADD = 7
    NETBINDREMOVE = 8
    NETBINDENABLE = 9
    NETBINDDISABLE = 10


#: winsvc.h: the range of user-defined control codes.
USER_CONTROL_MIN: Final = 128
USER_CONTROL_MAX: Final = 255


class ServiceControlsAccepted(NamedIntFlag):
    """Which controls a running service accepts (winsvc.h, SERVICE_ACCEPT_*)."""

    STOP = 0x0001
    PAUSE_CONTINUE = 0x0002
    SHUTDOWN = 0x0004
    PARAMCHANGE = 0x0008
    NETBINDCHANGE = 0x0010
    HARDWAREPROFILECHANGE = 0x0020
    POWEREVENT = 0x0040
    SESSIONCHANGE = 0x0080
    PRESHUTDOWN = 0x0100
    TIMECHANGE = 0x0200
    TRIGGEREVENT = 0x0400
    USER_LOGOFF = 0x0800
    LOWRESOURCES = 0x2000
    SYSTEMLOWRESOURCES = 0x4000
