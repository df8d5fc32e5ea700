"""user32.dll, window stations and desktops: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

DECLARATIONS = """
HANDLE GetProcessWindowStation(void);
"""


class User32(Protocol):
    def GetProcessWindowStation(self) -> int: ...
