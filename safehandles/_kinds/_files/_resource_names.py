"""Resource types and names: a string, or a 16-bit integer id passed as ``MAKEINTRESOURCE(id)``."""

from __future__ import annotations

from typing import TypeAlias

from ..._bindings._constants import WORD_MAX
from ..._bindings._native import ffi
from ..._bindings._types import CData
from ..._win32._arguments import integer, text

__all__ = ["ResourceId", "language_id", "resource_id"]

#: A resource type or name: an integer id (1..65535) or a string.
ResourceId: TypeAlias = "int | str"


def resource_id(value: ResourceId, what: str) -> str | CData:
    """The ``const WCHAR *`` for a resource type or name, checked before any native call."""
    if isinstance(value, bool):
        raise TypeError(f"{what} must be an int id or a str, not bool")
    if isinstance(value, int):
        return ffi.cast(
            "const WCHAR *", integer(value, f"{what} id", minimum=1, maximum=WORD_MAX)
        )  # MAKEINTRESOURCEW
    if isinstance(value, str):
        text(value, what, empty=False)
        if value.startswith("#"):
            raise ValueError(f"{what} {value!r}: pass the int id instead of the '#' spelling")
        return value
    raise TypeError(f"{what} must be an int id or a str, not {type(value).__name__}")


def language_id(language: int) -> int:
    """A LANGID (a WORD); 0 is ``MAKELANGID(LANG_NEUTRAL, SUBLANG_NEUTRAL)``."""
    return integer(language, "language", minimum=0, maximum=WORD_MAX, expected="an int LANGID")
