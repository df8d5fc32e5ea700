"""Public names of this area's kinds; safehandles/__init__.py re-exports them."""

from __future__ import annotations

__all__: list[str] = []
