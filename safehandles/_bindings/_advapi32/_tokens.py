"""advapi32.dll, access tokens and security identifiers: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

from .._types import CData

DECLARATIONS = """
BOOL OpenProcessToken(HANDLE ProcessHandle, DWORD DesiredAccess, HANDLE *TokenHandle);
"""


class Tokens(Protocol):
    def OpenProcessToken(self, ProcessHandle: int, DesiredAccess: int, TokenHandle: CData, /) -> int: ...
