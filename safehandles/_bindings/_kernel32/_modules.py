"""kernel32.dll, modules (DLLs) and resource updates: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

DECLARATIONS = """
"""


class Modules(Protocol):
    pass
