"""Checks of user input, made before any native call so bad input costs nothing.

Each raises ``TypeError`` for a value of the wrong type and ``ValueError`` for
a value of the right type that Windows would reject or misread.
"""

from __future__ import annotations

import enum
import math
from typing import Final

from .._bindings._constants import INFINITE

__all__ = ["access_mask", "milliseconds", "object_name", "positive_int"]

# Rights any object accepts besides its own: MAXIMUM_ALLOWED, ACCESS_SYSTEM_SECURITY
# and the four GENERIC_* bits (winnt.h).
_GENERIC_BITS: Final = 0x0200_0000 | 0x0100_0000 | 0xF000_0000


def milliseconds(timeout: float | None) -> int:
    """A timeout in seconds (None: forever) as the DWORD milliseconds the wait functions take.

    Rounded up, so a positive timeout never turns into a zero-length poll.
    """
    if timeout is None:
        return INFINITE
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError(f"timeout must be a number of seconds or None, not {type(timeout).__name__}")
    if math.isnan(timeout) or timeout < 0:
        raise ValueError(f"timeout must be >= 0 seconds (or None to wait forever), not {timeout}")
    ms = math.ceil(timeout * 1000)
    if ms >= INFINITE:
        raise ValueError(f"timeout of {timeout} s is too long; use None to wait forever")
    return ms


def object_name(name: str | None) -> str | None:
    """A kernel object name: a str without NUL (which would silently cut it short), or None."""
    if name is None:
        return None
    if not isinstance(name, str):
        raise TypeError(f"name must be a str or None, not {type(name).__name__}")
    if "\0" in name:
        raise ValueError(f"name must not contain NUL characters: {name!r}")
    return name


def access_mask(access: int, rights: type[enum.IntFlag]) -> int:
    """An access mask made of *rights* (the kind's enum) and the generic rights."""
    if isinstance(access, bool) or not isinstance(access, int):
        raise TypeError(f"access must be a {rights.__name__} (an int), not {type(access).__name__}")
    allowed = _GENERIC_BITS
    for right in rights:
        allowed |= right.value
    if access < 0 or access & ~allowed:
        raise ValueError(f"access {access:#x} has bits that are not {rights.__name__} rights")
    return access


def positive_int(value: int, what: str, *, minimum: int = 1, maximum: int = 0x7FFF_FFFF) -> int:
    """An int in [minimum, maximum] (by default a positive LONG)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if not minimum <= value <= maximum:
        raise ValueError(f"{what} must be between {minimum} and {maximum}, not {value}")
    return value
