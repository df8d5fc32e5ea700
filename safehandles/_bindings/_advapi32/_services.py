"""advapi32.dll, the service control manager: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

DECLARATIONS = """
"""


class Services(Protocol):
    pass
