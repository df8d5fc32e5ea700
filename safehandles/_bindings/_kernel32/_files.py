"""kernel32.dll, files, find handles and change notifications: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

DECLARATIONS = """
"""


class Files(Protocol):
    pass
