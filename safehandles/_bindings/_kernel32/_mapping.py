"""kernel32.dll, file mappings and views: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

DECLARATIONS = """
"""


class Mapping(Protocol):
    pass
