"""kernel32.dll: the declarations cffi binds, and the typed surface mypy checks.

Each function appears twice, as C for cffi and as a Protocol method for mypy;
``tests/test_bindings.py`` checks that the two lists agree.
"""

from __future__ import annotations

from typing import Protocol

from ._types import CData, WideString

DECLARATIONS = """
DWORD GetLastError(void);
void SetLastError(DWORD dwErrCode);

BOOL CloseHandle(HANDLE hObject);
BOOL GetHandleInformation(HANDLE hObject, DWORD *lpdwFlags);
BOOL SetHandleInformation(HANDLE hObject, DWORD dwMask, DWORD dwFlags);
BOOL DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle,
                     HANDLE hTargetProcessHandle, HANDLE *lpTargetHandle,
                     DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwOptions);

DWORD WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds);
DWORD WaitForMultipleObjects(DWORD nCount, const HANDLE *lpHandles,
                             BOOL bWaitAll, DWORD dwMilliseconds);

HANDLE CreateEventW(SECURITY_ATTRIBUTES *lpEventAttributes, BOOL bManualReset,
                    BOOL bInitialState, const WCHAR *lpName);
HANDLE OpenEventW(DWORD dwDesiredAccess, BOOL bInheritHandle, const WCHAR *lpName);
BOOL SetEvent(HANDLE hEvent);
BOOL ResetEvent(HANDLE hEvent);

HANDLE CreateMutexW(SECURITY_ATTRIBUTES *lpMutexAttributes, BOOL bInitialOwner,
                    const WCHAR *lpName);
HANDLE OpenMutexW(DWORD dwDesiredAccess, BOOL bInheritHandle, const WCHAR *lpName);
BOOL ReleaseMutex(HANDLE hMutex);

HANDLE CreateSemaphoreW(SECURITY_ATTRIBUTES *lpSemaphoreAttributes, LONG lInitialCount,
                        LONG lMaximumCount, const WCHAR *lpName);
HANDLE OpenSemaphoreW(DWORD dwDesiredAccess, BOOL bInheritHandle, const WCHAR *lpName);
BOOL ReleaseSemaphore(HANDLE hSemaphore, LONG lReleaseCount, LONG *lpPreviousCount);

HANDLE CreateWaitableTimerW(SECURITY_ATTRIBUTES *lpTimerAttributes, BOOL bManualReset,
                            const WCHAR *lpTimerName);
HANDLE OpenWaitableTimerW(DWORD dwDesiredAccess, BOOL bInheritHandle,
                          const WCHAR *lpTimerName);
BOOL SetWaitableTimer(HANDLE hTimer, const LARGE_INTEGER *lpDueTime, LONG lPeriod,
                      void *pfnCompletionRoutine, void *lpArgToCompletionRoutine,
                      BOOL fResume);
BOOL CancelWaitableTimer(HANDLE hTimer);

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

HANDLE HeapCreate(DWORD flOptions, SIZE_T dwInitialSize, SIZE_T dwMaximumSize);
BOOL HeapDestroy(HANDLE hHeap);
HANDLE GetProcessHeap(void);
ADDRESS HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes);
BOOL HeapFree(HANDLE hHeap, DWORD dwFlags, ADDRESS lpMem);
SIZE_T HeapSize(HANDLE hHeap, DWORD dwFlags, ADDRESS lpMem);
DWORD GetProcessHeaps(DWORD NumberOfHeaps, HANDLE *ProcessHeaps);
"""


class Kernel32(Protocol):
    def GetLastError(self) -> int: ...
    def SetLastError(self, dwErrCode: int, /) -> None: ...

    def CloseHandle(self, hObject: int, /) -> int: ...
    def GetHandleInformation(self, hObject: int, lpdwFlags: CData, /) -> int: ...
    def SetHandleInformation(self, hObject: int, dwMask: int, dwFlags: int, /) -> int: ...
    def DuplicateHandle(
        self,
        hSourceProcessHandle: int,
        hSourceHandle: int,
        hTargetProcessHandle: int,
        lpTargetHandle: CData,
        dwDesiredAccess: int,
        bInheritHandle: int,
        dwOptions: int,
        /,
    ) -> int: ...

    def WaitForSingleObject(self, hHandle: int, dwMilliseconds: int, /) -> int: ...
    def WaitForMultipleObjects(
        self, nCount: int, lpHandles: CData, bWaitAll: int, dwMilliseconds: int, /
    ) -> int: ...

    def CreateEventW(
        self, lpEventAttributes: CData, bManualReset: int, bInitialState: int, lpName: WideString, /
    ) -> int: ...
    def OpenEventW(self, dwDesiredAccess: int, bInheritHandle: int, lpName: WideString, /) -> int: ...
    def SetEvent(self, hEvent: int, /) -> int: ...
    def ResetEvent(self, hEvent: int, /) -> int: ...

    def CreateMutexW(self, lpMutexAttributes: CData, bInitialOwner: int, lpName: WideString, /) -> int: ...
    def OpenMutexW(self, dwDesiredAccess: int, bInheritHandle: int, lpName: WideString, /) -> int: ...
    def ReleaseMutex(self, hMutex: int, /) -> int: ...

    def CreateSemaphoreW(
        self,
        lpSemaphoreAttributes: CData,
        lInitialCount: int,
        lMaximumCount: int,
        lpName: WideString,
        /,
    ) -> int: ...
    def OpenSemaphoreW(self, dwDesiredAccess: int, bInheritHandle: int, lpName: WideString, /) -> int: ...
    def ReleaseSemaphore(self, hSemaphore: int, lReleaseCount: int, lpPreviousCount: CData, /) -> int: ...

    def CreateWaitableTimerW(
        self, lpTimerAttributes: CData, bManualReset: int, lpTimerName: WideString, /
    ) -> int: ...
    def OpenWaitableTimerW(
        self, dwDesiredAccess: int, bInheritHandle: int, lpTimerName: WideString, /
    ) -> int: ...
    def SetWaitableTimer(
        self,
        hTimer: int,
        lpDueTime: CData,
        lPeriod: int,
        pfnCompletionRoutine: CData,
        lpArgToCompletionRoutine: CData,
        fResume: int,
        /,
    ) -> int: ...
    def CancelWaitableTimer(self, hTimer: int, /) -> int: ...

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

    def HeapCreate(self, flOptions: int, dwInitialSize: int, dwMaximumSize: int, /) -> int: ...
    def HeapDestroy(self, hHeap: int, /) -> int: ...
    def GetProcessHeap(self) -> int: ...
    def HeapAlloc(self, hHeap: int, dwFlags: int, dwBytes: int, /) -> int: ...
    def HeapFree(self, hHeap: int, dwFlags: int, lpMem: int, /) -> int: ...
    def HeapSize(self, hHeap: int, dwFlags: int, lpMem: int, /) -> int: ...
    def GetProcessHeaps(self, NumberOfHeaps: int, ProcessHeaps: CData, /) -> int: ...
