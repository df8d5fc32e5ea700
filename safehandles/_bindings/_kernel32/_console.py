"""kernel32.dll, console input and screen buffers: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

DECLARATIONS = """
"""


class Console(Protocol):
    pass
