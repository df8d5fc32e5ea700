"""Checks of user input, made before any native call so bad input costs nothing.

Each raises ``TypeError`` for a value of the wrong type and ``ValueError`` for
a value of the right type that Windows would reject or misread.
"""

from __future__ import annotations

import enum
import functools
import math
from typing import Final

from .._bindings._constants import DWORD_MAX, INFINITE, GenericAccess, StandardAccess

__all__ = ["access_mask", "milliseconds", "object_name", "positive_int"]

# What an access request may carry besides the kind's own rights: the standard rights, the
# generic rights, MAXIMUM_ALLOWED and ACCESS_SYSTEM_SECURITY. The APIs that take an access=
# argument here accept them: the Open*/Create* functions and CreateFileW ("Requesting Access
# Rights to an Object"), RegOpenKeyExW/RegCreateKeyExW, OpenSCManagerW/OpenServiceW ("Service
# Security and Access Rights" maps the generic rights), OpenProcessToken/OpenThreadToken, and
# DuplicateTokenEx (documented to take MAXIMUM_ALLOWED). DuplicateHandle maps generic rights as
# an open does (Wine's conformance tests, which pass on Windows, duplicate with each GENERIC_*
# right: dlls/advapi32/tests/security.c); its page says nothing against MAXIMUM_ALLOWED or
# ACCESS_SYSTEM_SECURITY, so Windows decides on those.
_REQUEST_BITS: Final = StandardAccess.ALL.value | sum(right.value for right in GenericAccess)  # single bits
#: winnt.h SPECIFIC_RIGHTS_ALL: the 16 bits each object type defines for itself.
_SPECIFIC_RIGHTS_ALL: Final = 0x0000_FFFF


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


def access_mask(access: int, rights: type[enum.IntFlag] | None) -> int:
    """An ``access=`` argument, checked against every bit the kind's rights allow.

    Those are the bits of *rights* (the kind's enum, composite members such
    as ``ALL_ACCESS`` included: it has bits no single member has), the
    standard rights, the generic rights, ``MAXIMUM_ALLOWED`` and
    ``ACCESS_SYSTEM_SECURITY``. A kind without an enum (*rights* None)
    allows any of the 16 object-specific bits.
    """
    what = "access rights" if rights is None else f"{rights.__name__} rights"
    if isinstance(access, bool) or not isinstance(access, int):
        raise TypeError(f"access must be an int made of {what}, not {type(access).__name__}")
    if access < 0:
        raise ValueError(f"access must be a mask of {what} (an int >= 0), not {access}")
    if access > DWORD_MAX:
        raise ValueError(f"access {access:#x} does not fit in a 32-bit mask of {what}")
    unknown = access & ~_valid_bits(rights)
    if unknown:
        raise ValueError(
            f"access {access:#x} has bits {unknown:#x} that are neither {what} nor standard or generic rights"
        )
    return int(access)


@functools.cache
def _valid_bits(rights: type[enum.IntFlag] | None) -> int:
    if rights is None:
        return _SPECIFIC_RIGHTS_ALL | _REQUEST_BITS
    specific = 0
    for right in rights.__members__.values():  # aliases and composites too, unlike iteration
        specific |= right.value
    return specific | _REQUEST_BITS


def positive_int(value: int, what: str, *, minimum: int = 1, maximum: int = 0x7FFF_FFFF) -> int:
    """An int in [minimum, maximum] (by default a positive LONG)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if not minimum <= value <= maximum:
        raise ValueError(f"{what} must be between {minimum} and {maximum}, not {value}")
    return value
