"""Resource types and names: a string, or a 16-bit integer id passed as ``MAKEINTRESOURCE(id)``."""

from __future__ import annotations

from typing import TypeAlias

from ..._bindings._constants import WORD_MAX
from ..._bindings._native import ffi
from ..._bindings._types import CData

__all__ = ["ResourceId", "language_id", "resource_id"]

#: A resource type or name: an integer id (1..65535) or a string.
ResourceId: TypeAlias = "int | str"


def resource_id(value: ResourceId, what: str) -> str | CData:
    """The ``const WCHAR *`` for a resource type or name, checked before any native call."""
    if isinstance(value, bool):
        raise TypeError(f"{what} must be an int id or a str, not bool")
    if isinstance(value, int):
        if not 1 <= value <= WORD_MAX:
            raise ValueError(f"{what} id must be between 1 and 65535, not {value}")
        return ffi.cast("const WCHAR *", value)  # MAKEINTRESOURCEW
    if isinstance(value, str):
        if not value or "\0" in value:
            raise ValueError(f"{what} must be a non-empty str without NUL characters: {value!r}")
        if value.startswith("#"):
            raise ValueError(f"{what} {value!r}: pass the int id instead of the '#' spelling")
        return value
    raise TypeError(f"{what} must be an int id or a str, not {type(value).__name__}")


def language_id(language: int) -> int:
    """A LANGID (a WORD); 0 is ``MAKELANGID(LANG_NEUTRAL, SUBLANG_NEUTRAL)``."""
    if isinstance(language, bool) or not isinstance(language, int):
        raise TypeError(f"language must be an int LANGID, not {type(language).__name__}")
    if not 0 <= language <= WORD_MAX:
        raise ValueError(f"language must be between 0 and 65535, not {language}")
    return language
