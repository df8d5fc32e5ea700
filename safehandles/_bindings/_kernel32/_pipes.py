"""kernel32.dll, anonymous and named pipes, and mailslots: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

DECLARATIONS = """
"""


class Pipes(Protocol):
    pass
