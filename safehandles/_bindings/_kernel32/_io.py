"""kernel32.dll, I/O completion ports and I/O cancellation: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

from .._constants import NamedIntFlag, StandardAccess
from .._types import CData

DECLARATIONS = """
HANDLE CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
                              ULONG_PTR CompletionKey, DWORD NumberOfConcurrentThreads);
/* The OVERLAPPED pointers are addresses here (ADDRESS): the port hands back
   whatever value was posted, and never dereferences it. */
BOOL GetQueuedCompletionStatus(HANDLE CompletionPort, DWORD *lpNumberOfBytesTransferred,
                               ULONG_PTR *lpCompletionKey, ADDRESS *lpOverlapped,
                               DWORD dwMilliseconds);
BOOL PostQueuedCompletionStatus(HANDLE CompletionPort, DWORD dwNumberOfBytesTransferred,
                                ULONG_PTR dwCompletionKey, ADDRESS lpOverlapped);
/* Cancels the synchronous I/O call another thread is blocked in (the handle needs
   THREAD_TERMINATE); FALSE with ERROR_NOT_FOUND when that thread is in none. */
BOOL CancelSynchronousIo(HANDLE hThread);
/* minwinbase.h; 32 bytes. Internal is reserved: the status is in the
   OVERLAPPED's own Internal. */
typedef struct _OVERLAPPED_ENTRY {
    ULONG_PTR lpCompletionKey;
    ADDRESS lpOverlapped;
    ULONG_PTR Internal;
    DWORD dwNumberOfBytesTransferred;
} OVERLAPPED_ENTRY;
BOOL GetQueuedCompletionStatusEx(HANDLE CompletionPort, OVERLAPPED_ENTRY *lpCompletionPortEntries,
                                 ULONG ulCount, ULONG *ulNumEntriesRemoved, DWORD dwMilliseconds,
                                 BOOL fAlertable);
/* winbase.h; once set on a file object a mode cannot be removed. */
BOOL SetFileCompletionNotificationModes(HANDLE FileHandle, BYTE Flags); /* UCHAR */
"""


class IoCompletionAccess(NamedIntFlag):
    """I/O completion port access rights (winnt.h IO_COMPLETION_*).

    winnt.h names ``MODIFY_STATE`` and ``ALL_ACCESS``; ``QUERY_STATE``, the
    other bit ``ALL_ACCESS`` has, is IO_COMPLETION_QUERY_STATE of the NT
    native headers (there is no Win32 page on completion-port rights).
    """

    QUERY_STATE = 0x0001
    MODIFY_STATE = 0x0002
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    SYNCHRONIZE = StandardAccess.SYNCHRONIZE.value
    ALL_ACCESS = StandardAccess.ALL.value | 0x3


class CompletionNotificationMode(NamedIntFlag):
    """``SetFileCompletionNotificationModes`` flags (winbase.h FILE_SKIP_*)."""

    #: No packet for a request that completes at once (neither pending nor failed).
    SKIP_COMPLETION_PORT_ON_SUCCESS = 0x1
    #: The file object's own event is not set (an explicit OVERLAPPED event still is).
    SKIP_SET_EVENT_ON_HANDLE = 0x2


class CompletionPorts(Protocol):
    def CreateIoCompletionPort(
        self,
        FileHandle: int,
        ExistingCompletionPort: int,
        CompletionKey: int,
        NumberOfConcurrentThreads: int,
        /,
    ) -> int: ...
    def GetQueuedCompletionStatus(
        self,
        CompletionPort: int,
        lpNumberOfBytesTransferred: CData,
        lpCompletionKey: CData,
        lpOverlapped: CData,
        dwMilliseconds: int,
        /,
    ) -> int: ...
    def GetQueuedCompletionStatusEx(
        self,
        CompletionPort: int,
        lpCompletionPortEntries: CData,
        ulCount: int,
        ulNumEntriesRemoved: CData,
        dwMilliseconds: int,
        fAlertable: int,
        /,
    ) -> int: ...
    def PostQueuedCompletionStatus(
        self, CompletionPort: int, dwNumberOfBytesTransferred: int, dwCompletionKey: int, lpOverlapped: int, /
    ) -> int: ...
    def CancelSynchronousIo(self, hThread: int, /) -> int: ...
    def SetFileCompletionNotificationModes(self, FileHandle: int, Flags: int, /) -> int: ...
