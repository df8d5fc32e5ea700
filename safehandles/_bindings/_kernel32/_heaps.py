"""kernel32.dll, heaps: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

from .._types import CData

DECLARATIONS = """
HANDLE HeapCreate(DWORD flOptions, SIZE_T dwInitialSize, SIZE_T dwMaximumSize);
BOOL HeapDestroy(HANDLE hHeap);
HANDLE GetProcessHeap(void);
ADDRESS HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes);
BOOL HeapFree(HANDLE hHeap, DWORD dwFlags, ADDRESS lpMem);
SIZE_T HeapSize(HANDLE hHeap, DWORD dwFlags, ADDRESS lpMem);
ADDRESS HeapReAlloc(HANDLE hHeap, DWORD dwFlags, ADDRESS lpMem, SIZE_T dwBytes);
BOOL HeapValidate(HANDLE hHeap, DWORD dwFlags, ADDRESS lpMem);
DWORD GetProcessHeaps(DWORD NumberOfHeaps, HANDLE *ProcessHeaps);
"""


class Heaps(Protocol):
    def HeapCreate(self, flOptions: int, dwInitialSize: int, dwMaximumSize: int, /) -> int: ...
    def HeapDestroy(self, hHeap: int, /) -> int: ...
    def GetProcessHeap(self) -> int: ...
    def HeapAlloc(self, hHeap: int, dwFlags: int, dwBytes: int, /) -> int: ...
    def HeapFree(self, hHeap: int, dwFlags: int, lpMem: int, /) -> int: ...
    def HeapSize(self, hHeap: int, dwFlags: int, lpMem: int, /) -> int: ...
    def HeapReAlloc(self, hHeap: int, dwFlags: int, lpMem: int, dwBytes: int, /) -> int: ...
    def HeapValidate(self, hHeap: int, dwFlags: int, lpMem: int, /) -> int: ...
    def GetProcessHeaps(self, NumberOfHeaps: int, ProcessHeaps: CData, /) -> int: ...
