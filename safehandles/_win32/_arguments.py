"""Checks of user input, made before any native call so bad input costs nothing.

This is the one place where arguments are checked: every public method passes
what it was given through these functions before a native call sees it, so
cffi's own messages ("an integer is required") never reach the caller. Each
raises ``TypeError`` for a value of the wrong type and ``ValueError`` for a
value of the right type that Windows would reject or misread, and the
message names the parameter (*what*).
"""

from __future__ import annotations

import enum
import functools
import math
import os
from collections.abc import Iterable
from typing import Final, Literal, TypeVar, cast, overload

from typing_extensions import Buffer

from .._bindings._constants import DWORD_MAX, INFINITE, GenericAccess, StandardAccess
from .._bindings._native import ffi
from .._bindings._types import CData

__all__ = [
    "OBJECT_NAME_MAX",
    "access_mask",
    "bytes_like",
    "file_path",
    "flag_bits",
    "integer",
    "member",
    "milliseconds",
    "object_name",
    "seconds",
    "sequence",
    "str_sequence",
    "text",
]

_E = TypeVar("_E", bound=enum.Enum)

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

#: The longest name, in UTF-16 code units, that reaches the kernel whole. Names
#: travel in a UNICODE_STRING, whose length is a USHORT count of bytes, and
#: ``RtlInitUnicodeString`` keeps room for the terminating NUL: 0xFFFC bytes.
#: A longer name is not refused by Windows but silently cut to this length, so
#: two names that differ only after it would open the same object. (The API
#: pages say "limited to MAX_PATH characters"; Windows does not enforce that.)
OBJECT_NAME_MAX: Final = 0xFFFC // 2


def _type_name(value: object) -> str:
    return type(value).__name__


# -- numbers ----------------------------------------------------------------------


def _int(value: object, what: str, expected: str) -> int:
    """An int, never a bool (``True`` is an int to Python, but no caller means 1 by it)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be {expected}, not {_type_name(value)}")
    return value


def integer(value: object, what: str, *, minimum: int, maximum: int | None, expected: str = "an int") -> int:
    """An int (never a bool) in [minimum, maximum]; ``maximum=None`` for no upper bound.

    *expected* is how the type error describes what was wanted ("a FileShare").
    """
    value = _int(value, what, expected)
    if maximum is None:
        if value < minimum:
            raise ValueError(f"{what} must be at least {minimum}, not {value}")
    elif not minimum <= value <= maximum:
        raise ValueError(f"{what} must be between {minimum} and {maximum}, not {value}")
    return value


def member(value: object, enum_type: type[_E], what: str) -> _E:
    """The member of the int-valued *enum_type* that *value* is (an int that names one)."""
    value = _int(value, what, f"a {enum_type.__name__}")
    try:
        return enum_type(value)
    except ValueError:
        raise ValueError(f"{what} must be a {enum_type.__name__}, not {value!r}") from None


def flag_bits(value: object, allowed: int, what: str, *, flags: str, nonzero: bool = False) -> int:
    """An int made only of the bits in *allowed* (named *flags* in messages); not 0 if *nonzero*."""
    checked = integer(value, what, minimum=0, maximum=None, expected=f"{flags} flags (an int)")
    if checked & ~allowed or (nonzero and not checked):
        needed = "a non-empty set of" if nonzero else "made of"
        raise ValueError(f"{what} {checked:#x} must be {needed} {flags} flags")
    return checked


def access_mask(access: int, rights: type[enum.IntFlag] | None) -> int:
    """An ``access=`` argument, checked against every bit the kind's rights allow.

    Those are the bits of *rights* (the kind's enum, composite members such
    as ``ALL_ACCESS`` included: it has bits no single member has), the
    standard rights, the generic rights, ``MAXIMUM_ALLOWED`` and
    ``ACCESS_SYSTEM_SECURITY``. A kind without an enum (*rights* None)
    allows any of the 16 object-specific bits.
    """
    what = "access rights" if rights is None else f"{rights.__name__} rights"
    access = _int(access, "access", f"an int made of {what}")
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


def _number(value: object, what: str, expected: str) -> float:
    """An int or float (never a bool), not yet checked for range."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what} must be {expected}, not {_type_name(value)}")
    return value


def seconds(value: object, what: str) -> float:
    """A finite, non-negative number of seconds (a due time or a period)."""
    number = _number(value, what, "a number of seconds")
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{what} must be a finite number of seconds >= 0, not {number}")
    return float(number)


def milliseconds(timeout: float | None, what: str = "timeout") -> int:
    """A timeout in seconds as the DWORD milliseconds the wait functions take.

    ``None`` and ``math.inf`` both wait forever (``INFINITE``): infinity is
    the one number that means "no limit", as ``trio`` and ``anyio`` read it.
    NaN, negative numbers and finite timeouts too long for a DWORD (49.7
    days and more) raise ``ValueError``. Rounded up, so a positive timeout
    never turns into a zero-length poll.
    """
    if timeout is None:
        return INFINITE
    number = _number(timeout, what, "a number of seconds or None")
    if math.isnan(number) or number < 0:
        raise ValueError(f"{what} must be >= 0 seconds (or None to wait forever), not {number}")
    if number == math.inf:
        return INFINITE
    ms = math.ceil(number * 1000)
    if ms >= INFINITE:
        raise ValueError(f"{what} of {number} s is too long; use None to wait forever")
    return ms


# -- strings and paths --------------------------------------------------------------


def text(value: object, what: str, *, empty: bool = True) -> str:
    """A str without NUL characters (a NUL would silently end it early); empty only if *empty*."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {_type_name(value)}")
    if "\0" in value:
        raise ValueError(f"{what} must not contain NUL characters: {value!r}")
    if not empty and not value:
        raise ValueError(f"{what} must not be empty")
    return value


@overload
def object_name(name: object, what: str = ..., *, optional: Literal[True] = ...) -> str | None: ...
@overload
def object_name(name: object, what: str = ..., *, optional: Literal[False]) -> str: ...


def object_name(name: object, what: str = "name", *, optional: bool = True) -> str | None:
    """A name Windows passes on as a UNICODE_STRING (an object, key or service name); None if *optional*.

    Longer than :data:`OBJECT_NAME_MAX` UTF-16 code units (a character
    outside the BMP takes two) it would be cut short without an error, so it
    is refused.
    """
    if name is None and optional:
        return None
    if not isinstance(name, str):
        expected = "a str or None" if optional else "a str"
        raise TypeError(f"{what} must be {expected}, not {_type_name(name)}")
    checked = text(name, what)
    if len(checked) > OBJECT_NAME_MAX // 2:  # only then can it be too long
        units = len(checked.encode("utf-16-le", "surrogatepass")) // 2
        if units > OBJECT_NAME_MAX:
            raise ValueError(
                f"{what} is {units} UTF-16 code units long; Windows keeps at most "
                f"{OBJECT_NAME_MAX} and would silently cut the rest"
            )
    return checked


def file_path(value: object, what: str = "path", *, empty: bool = False) -> str:
    """A str or ``os.PathLike[str]`` without NUL, as the ``*W`` functions take a file name.

    Bytes paths are refused: the wide functions take text, and decoding
    bytes would have to guess an encoding.
    """
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{what} must be a str or os.PathLike[str], not {_type_name(value)}")
    name = os.fspath(value)
    if not isinstance(name, str):
        raise TypeError(f"{what} must be a str path, not {_type_name(name)}")
    return text(name, what, empty=empty)


# -- buffers and sequences ------------------------------------------------------------


def bytes_like(data: object, what: str = "data") -> CData:
    """A ``char[]`` over the memory of a bytes-like object (bytes, bytearray, memoryview, array...).

    The result keeps *data* alive; its ``len`` is the size in bytes. A str is
    refused with a hint to encode it, a non-contiguous buffer with ``ValueError``.
    """
    if isinstance(data, str):
        raise TypeError(f"{what} must be bytes-like, not str; encode it first")
    try:
        buffer: CData = ffi.from_buffer(cast(Buffer, data))  # any other object: TypeError
        return buffer
    except TypeError:
        raise TypeError(f"{what} must be a bytes-like object, not {_type_name(data)}") from None
    except BufferError as exc:
        raise ValueError(f"{what} must be a contiguous buffer ({exc})") from None


def sequence(values: object, what: str) -> list[object]:
    """The items of an iterable given as a collection (a list, a tuple...): never a str or bytes.

    A str is refused rather than taken apart into its characters.
    """
    if isinstance(values, (str, bytes, bytearray)):
        hint = f"[{values!r}]" if len(values) <= 60 else "a list"
        raise TypeError(
            f"{what} must be a list (or other iterable), not a single {_type_name(values)}; "
            f"pass {hint} for one item"
        )
    if not isinstance(values, Iterable):
        raise TypeError(f"{what} must be a list (or other iterable), not {_type_name(values)}")
    return list(values)


def str_sequence(values: object, what: str) -> list[str]:
    """A collection of str without NUL (see :func:`sequence`; a lone str is a ``TypeError``)."""
    return [text(item, f"each item of {what}") for item in sequence(values, what)]
