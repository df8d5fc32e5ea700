"""kernel32.dll, processes and threads: declarations and their typed surface."""

from __future__ import annotations

from typing import Final, Protocol

from .._constants import NamedIntEnum, NamedIntFlag
from .._types import CData, WideString

DECLARATIONS = """
HANDLE GetCurrentProcess(void);
DWORD GetCurrentProcessId(void);
HANDLE OpenProcess(DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwProcessId);
DWORD GetProcessId(HANDLE Process);
BOOL GetExitCodeProcess(HANDLE hProcess, DWORD *lpExitCode);
BOOL TerminateProcess(HANDLE hProcess, UINT uExitCode);
BOOL GetProcessHandleCount(HANDLE hProcess, DWORD *pdwHandleCount);
HANDLE GetCurrentThread(void);
DWORD GetCurrentThreadId(void);
HANDLE OpenThread(DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwThreadId);
DWORD GetThreadId(HANDLE Thread);
BOOL GetExitCodeThread(HANDLE hThread, DWORD *lpExitCode);

/* processthreadsapi.h; a start address is an LPTHREAD_START_ROUTINE, its parameter an LPVOID */
HANDLE CreateThread(SECURITY_ATTRIBUTES *lpThreadAttributes, SIZE_T dwStackSize,
                    ADDRESS lpStartAddress, ADDRESS lpParameter, DWORD dwCreationFlags,
                    DWORD *lpThreadId);
HANDLE CreateRemoteThread(HANDLE hProcess, SECURITY_ATTRIBUTES *lpThreadAttributes,
                          SIZE_T dwStackSize, ADDRESS lpStartAddress, ADDRESS lpParameter,
                          DWORD dwCreationFlags, DWORD *lpThreadId);
BOOL TerminateThread(HANDLE hThread, DWORD dwExitCode);
DWORD SuspendThread(HANDLE hThread);
DWORD ResumeThread(HANDLE hThread);
BOOL QueryFullProcessImageNameW(HANDLE hProcess, DWORD dwFlags, WCHAR *lpExeName, DWORD *lpdwSize);

/* processthreadsapi.h */
typedef struct _STARTUPINFOW {
    DWORD cb;
    WCHAR *lpReserved;
    WCHAR *lpDesktop;
    WCHAR *lpTitle;
    DWORD dwX;
    DWORD dwY;
    DWORD dwXSize;
    DWORD dwYSize;
    DWORD dwXCountChars;
    DWORD dwYCountChars;
    DWORD dwFillAttribute;
    DWORD dwFlags;
    WORD wShowWindow;
    WORD cbReserved2;
    BYTE *lpReserved2;
    HANDLE hStdInput;
    HANDLE hStdOutput;
    HANDLE hStdError;
} STARTUPINFOW;

/* winbase.h; lpAttributeList is an opaque LPPROC_THREAD_ATTRIBUTE_LIST */
typedef struct _STARTUPINFOEXW {
    STARTUPINFOW StartupInfo;
    void *lpAttributeList;
} STARTUPINFOEXW;

typedef struct _PROCESS_INFORMATION {
    HANDLE hProcess;
    HANDLE hThread;
    DWORD dwProcessId;
    DWORD dwThreadId;
} PROCESS_INFORMATION;

BOOL CreateProcessW(const WCHAR *lpApplicationName, WCHAR *lpCommandLine,
                    SECURITY_ATTRIBUTES *lpProcessAttributes,
                    SECURITY_ATTRIBUTES *lpThreadAttributes, BOOL bInheritHandles,
                    DWORD dwCreationFlags, void *lpEnvironment,
                    const WCHAR *lpCurrentDirectory, STARTUPINFOW *lpStartupInfo,
                    PROCESS_INFORMATION *lpProcessInformation);
BOOL InitializeProcThreadAttributeList(void *lpAttributeList, DWORD dwAttributeCount,
                                       DWORD dwFlags, SIZE_T *lpSize);
BOOL UpdateProcThreadAttribute(void *lpAttributeList, DWORD dwFlags, ULONG_PTR Attribute,
                               void *lpValue, SIZE_T cbSize, void *lpPreviousValue,
                               SIZE_T *lpReturnSize);
void DeleteProcThreadAttributeList(void *lpAttributeList);
"""

#: processthreadsapi.h / winbase.h: ProcThreadAttributeValue(2, FALSE, TRUE, FALSE).
PROC_THREAD_ATTRIBUTE_HANDLE_LIST: Final = 0x0002_0002


class CreationFlag(NamedIntFlag):
    """Process creation flags of CreateProcessW (winbase.h)."""

    DEBUG_PROCESS = 0x0000_0001
    DEBUG_ONLY_THIS_PROCESS = 0x0000_0002
    CREATE_SUSPENDED = 0x0000_0004
    DETACHED_PROCESS = 0x0000_0008
    CREATE_NEW_CONSOLE = 0x0000_0010
    CREATE_NEW_PROCESS_GROUP = 0x0000_0200
    CREATE_UNICODE_ENVIRONMENT = 0x0000_0400
    EXTENDED_STARTUPINFO_PRESENT = 0x0008_0000
    CREATE_BREAKAWAY_FROM_JOB = 0x0100_0000
    CREATE_NO_WINDOW = 0x0800_0000


class ThreadCreationFlag(NamedIntFlag):
    """dwCreationFlags of CreateThread and CreateRemoteThread (processthreadsapi.h, winbase.h)."""

    CREATE_SUSPENDED = 0x0000_0004
    STACK_SIZE_PARAM_IS_A_RESERVATION = 0x0001_0000


class ProcessNameFormat(NamedIntEnum):
    """dwFlags of QueryFullProcessImageNameW (winbase.h): a Win32 path, or the native one."""

    WIN32 = 0
    NATIVE = 0x0000_0001


#: SuspendThread's and ResumeThread's failure value, (DWORD)-1.
SUSPEND_FAILED: Final = 0xFFFF_FFFF


class StartupFlag(NamedIntFlag):
    """STARTUPINFOW.dwFlags (processthreadsapi.h)."""

    USESHOWWINDOW = 0x0000_0001
    USESTDHANDLES = 0x0000_0100


class Processes(Protocol):
    def GetCurrentProcess(self) -> int: ...
    def GetCurrentProcessId(self) -> int: ...
    def OpenProcess(self, dwDesiredAccess: int, bInheritHandle: int, dwProcessId: int, /) -> int: ...
    def GetProcessId(self, Process: int, /) -> int: ...
    def GetExitCodeProcess(self, hProcess: int, lpExitCode: CData, /) -> int: ...
    def TerminateProcess(self, hProcess: int, uExitCode: int, /) -> int: ...
    def GetProcessHandleCount(self, hProcess: int, pdwHandleCount: CData, /) -> int: ...
    def GetCurrentThread(self) -> int: ...
    def GetCurrentThreadId(self) -> int: ...
    def OpenThread(self, dwDesiredAccess: int, bInheritHandle: int, dwThreadId: int, /) -> int: ...
    def GetThreadId(self, Thread: int, /) -> int: ...
    def GetExitCodeThread(self, hThread: int, lpExitCode: CData, /) -> int: ...
    def CreateThread(
        self,
        lpThreadAttributes: CData,
        dwStackSize: int,
        lpStartAddress: int,
        lpParameter: int,
        dwCreationFlags: int,
        lpThreadId: CData,
        /,
    ) -> int: ...
    def CreateRemoteThread(
        self,
        hProcess: int,
        lpThreadAttributes: CData,
        dwStackSize: int,
        lpStartAddress: int,
        lpParameter: int,
        dwCreationFlags: int,
        lpThreadId: CData,
        /,
    ) -> int: ...
    def TerminateThread(self, hThread: int, dwExitCode: int, /) -> int: ...
    def SuspendThread(self, hThread: int, /) -> int: ...
    def ResumeThread(self, hThread: int, /) -> int: ...
    def QueryFullProcessImageNameW(
        self, hProcess: int, dwFlags: int, lpExeName: CData, lpdwSize: CData, /
    ) -> int: ...
    def CreateProcessW(
        self,
        lpApplicationName: WideString,
        lpCommandLine: CData,
        lpProcessAttributes: CData,
        lpThreadAttributes: CData,
        bInheritHandles: int,
        dwCreationFlags: int,
        lpEnvironment: CData,
        lpCurrentDirectory: WideString,
        lpStartupInfo: CData,
        lpProcessInformation: CData,
        /,
    ) -> int: ...
    def InitializeProcThreadAttributeList(
        self, lpAttributeList: CData, dwAttributeCount: int, dwFlags: int, lpSize: CData, /
    ) -> int: ...
    def UpdateProcThreadAttribute(
        self,
        lpAttributeList: CData,
        dwFlags: int,
        Attribute: int,
        lpValue: CData,
        cbSize: int,
        lpPreviousValue: CData,
        lpReturnSize: CData,
        /,
    ) -> int: ...
    def DeleteProcThreadAttributeList(self, lpAttributeList: CData, /) -> None: ...
