"""kernel32.dll, memory resource notifications: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

DECLARATIONS = """
"""


class MemoryNotifications(Protocol):
    pass
