"""kernel32.dll, I/O completion ports: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

DECLARATIONS = """
"""


class CompletionPorts(Protocol):
    pass
