"""advapi32.dll, starting a process as another user: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

from .._types import CData, WideString

DECLARATIONS = """
/* processthreadsapi.h (advapi32.dll). lpStartupInfo is a STARTUPINFOW * and
   lpProcessInformation a PROCESS_INFORMATION *, kernel32's structures
   (_kernel32/_processes.py): void * here keeps this area self-contained. */
BOOL CreateProcessAsUserW(HANDLE hToken, const WCHAR *lpApplicationName, WCHAR *lpCommandLine,
                          SECURITY_ATTRIBUTES *lpProcessAttributes,
                          SECURITY_ATTRIBUTES *lpThreadAttributes, BOOL bInheritHandles,
                          DWORD dwCreationFlags, void *lpEnvironment,
                          const WCHAR *lpCurrentDirectory, void *lpStartupInfo,
                          void *lpProcessInformation);
"""


class Processes(Protocol):
    def CreateProcessAsUserW(
        self,
        hToken: int,
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
