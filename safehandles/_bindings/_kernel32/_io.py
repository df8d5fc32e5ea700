"""kernel32.dll, I/O completion ports: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

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
"""


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
    def PostQueuedCompletionStatus(
        self, CompletionPort: int, dwNumberOfBytesTransferred: int, dwCompletionKey: int, lpOverlapped: int, /
    ) -> int: ...
