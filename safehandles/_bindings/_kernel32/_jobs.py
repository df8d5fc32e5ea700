"""kernel32.dll, job objects: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

DECLARATIONS = """
"""


class Jobs(Protocol):
    pass
