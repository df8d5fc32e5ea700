"""advapi32.dll, the event log: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

DECLARATIONS = """
"""


class EventLog(Protocol):
    pass
