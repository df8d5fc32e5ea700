"""kernel32.dll, waits and synchronization objects: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

from .._constants import NamedIntFlag
from .._types import CData, WideString

DECLARATIONS = """
DWORD WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds);
DWORD WaitForMultipleObjects(DWORD nCount, const HANDLE *lpHandles,
                             BOOL bWaitAll, DWORD dwMilliseconds);
HANDLE CreateEventW(SECURITY_ATTRIBUTES *lpEventAttributes, BOOL bManualReset,
                    BOOL bInitialState, const WCHAR *lpName);
HANDLE CreateEventExW(SECURITY_ATTRIBUTES *lpEventAttributes, const WCHAR *lpName,
                      DWORD dwFlags, DWORD dwDesiredAccess);
HANDLE OpenEventW(DWORD dwDesiredAccess, BOOL bInheritHandle, const WCHAR *lpName);
BOOL SetEvent(HANDLE hEvent);
BOOL ResetEvent(HANDLE hEvent);
HANDLE CreateMutexW(SECURITY_ATTRIBUTES *lpMutexAttributes, BOOL bInitialOwner,
                    const WCHAR *lpName);
HANDLE CreateMutexExW(SECURITY_ATTRIBUTES *lpMutexAttributes, const WCHAR *lpName,
                      DWORD dwFlags, DWORD dwDesiredAccess);
HANDLE OpenMutexW(DWORD dwDesiredAccess, BOOL bInheritHandle, const WCHAR *lpName);
BOOL ReleaseMutex(HANDLE hMutex);
HANDLE CreateSemaphoreW(SECURITY_ATTRIBUTES *lpSemaphoreAttributes, LONG lInitialCount,
                        LONG lMaximumCount, const WCHAR *lpName);
HANDLE CreateSemaphoreExW(SECURITY_ATTRIBUTES *lpSemaphoreAttributes, LONG lInitialCount,
                          LONG lMaximumCount, const WCHAR *lpName, DWORD dwFlags,
                          DWORD dwDesiredAccess);
HANDLE OpenSemaphoreW(DWORD dwDesiredAccess, BOOL bInheritHandle, const WCHAR *lpName);
BOOL ReleaseSemaphore(HANDLE hSemaphore, LONG lReleaseCount, LONG *lpPreviousCount);
HANDLE CreateWaitableTimerW(SECURITY_ATTRIBUTES *lpTimerAttributes, BOOL bManualReset,
                            const WCHAR *lpTimerName);
HANDLE CreateWaitableTimerExW(SECURITY_ATTRIBUTES *lpTimerAttributes,
                              const WCHAR *lpTimerName, DWORD dwFlags, DWORD dwDesiredAccess);
HANDLE OpenWaitableTimerW(DWORD dwDesiredAccess, BOOL bInheritHandle,
                          const WCHAR *lpTimerName);
BOOL SetWaitableTimer(HANDLE hTimer, const LARGE_INTEGER *lpDueTime, LONG lPeriod,
                      void *pfnCompletionRoutine, void *lpArgToCompletionRoutine,
                      BOOL fResume);
BOOL CancelWaitableTimer(HANDLE hTimer);
"""


class EventCreateFlag(NamedIntFlag):
    """CreateEventExW's dwFlags (synchapi.h CREATE_EVENT_*)."""

    MANUAL_RESET = 0x1
    INITIAL_SET = 0x2


class MutexCreateFlag(NamedIntFlag):
    """CreateMutexExW's dwFlags (synchapi.h CREATE_MUTEX_*)."""

    INITIAL_OWNER = 0x1


class TimerCreateFlag(NamedIntFlag):
    """CreateWaitableTimerExW's dwFlags (synchapi.h CREATE_WAITABLE_TIMER_*)."""

    MANUAL_RESET = 0x1
    HIGH_RESOLUTION = 0x2


class Sync(Protocol):
    def WaitForSingleObject(self, hHandle: int, dwMilliseconds: int, /) -> int: ...
    def WaitForMultipleObjects(
        self, nCount: int, lpHandles: CData, bWaitAll: int, dwMilliseconds: int, /
    ) -> int: ...
    def CreateEventW(
        self, lpEventAttributes: CData, bManualReset: int, bInitialState: int, lpName: WideString, /
    ) -> int: ...
    def CreateEventExW(
        self, lpEventAttributes: CData, lpName: WideString, dwFlags: int, dwDesiredAccess: int, /
    ) -> int: ...
    def OpenEventW(self, dwDesiredAccess: int, bInheritHandle: int, lpName: WideString, /) -> int: ...
    def SetEvent(self, hEvent: int, /) -> int: ...
    def ResetEvent(self, hEvent: int, /) -> int: ...
    def CreateMutexW(self, lpMutexAttributes: CData, bInitialOwner: int, lpName: WideString, /) -> int: ...
    def CreateMutexExW(
        self, lpMutexAttributes: CData, lpName: WideString, dwFlags: int, dwDesiredAccess: int, /
    ) -> int: ...
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
    def CreateSemaphoreExW(
        self,
        lpSemaphoreAttributes: CData,
        lInitialCount: int,
        lMaximumCount: int,
        lpName: WideString,
        dwFlags: int,
        dwDesiredAccess: int,
        /,
    ) -> int: ...
    def OpenSemaphoreW(self, dwDesiredAccess: int, bInheritHandle: int, lpName: WideString, /) -> int: ...
    def ReleaseSemaphore(self, hSemaphore: int, lReleaseCount: int, lpPreviousCount: CData, /) -> int: ...
    def CreateWaitableTimerW(
        self, lpTimerAttributes: CData, bManualReset: int, lpTimerName: WideString, /
    ) -> int: ...
    def CreateWaitableTimerExW(
        self, lpTimerAttributes: CData, lpTimerName: WideString, dwFlags: int, dwDesiredAccess: int, /
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
