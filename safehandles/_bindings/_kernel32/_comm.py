"""kernel32.dll, communications devices: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

DECLARATIONS = """
"""


class Comm(Protocol):
    pass
