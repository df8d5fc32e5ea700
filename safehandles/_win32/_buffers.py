"""The one loop for Win32 functions that fill a caller's buffer and say when it is too small.

``GetTokenInformation``, ``GetUserObjectInformationW``, ``LookupPrivilegeNameW``,
``GetModuleFileNameW``, ``RegQueryValueExW``, ``ReadEventLogW`` and their kin
take a buffer and its size; when it is too small they fail with
``ERROR_INSUFFICIENT_BUFFER`` (or ``ERROR_MORE_DATA``, ``ERROR_BAD_LENGTH``) and
usually report the size they need. What differs per function is how it reports
failure and the size; what is the same, and lives here, is the policy: retry
with what was asked for, at least twice the last size (a function may report
a size that is still too small, or none, or the data may grow between calls),
and give up with ``ERROR_INSUFFICIENT_BUFFER`` past a limit rather than loop
or allocate without bound.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, TypeVar

from .._bindings._constants import WinError
from .._bindings._errors import raise_winerror

__all__ = ["Grow", "grow_until_it_fits"]

_R = TypeVar("_R")

#: The largest buffer any such call is given: far above any real answer (a token's
#: groups, an event record, a registry value are all far smaller).
_LIMIT: Final = 1 << 26


class Grow:
    """What an attempt returns when its buffer was too small: the size the function asked for, if any."""

    __slots__ = ("needed",)

    def __init__(self, needed: int | None = None) -> None:
        self.needed = needed


def grow_until_it_fits(function: str, attempt: Callable[[int], _R | Grow], size: int) -> _R:
    """Call ``attempt(size)`` with growing sizes until it returns a result rather than :class:`Grow`.

    *attempt* allocates a buffer of *size* (in the function's own unit),
    calls the function, and returns the result, or ``Grow(needed)`` if the
    buffer was too small; any other failure it raises itself.
    """
    while True:
        outcome = attempt(size)
        if not isinstance(outcome, Grow):
            return outcome
        if size >= _LIMIT:
            raise_winerror(function, WinError.INSUFFICIENT_BUFFER)
        size = min(_LIMIT, max(size * 2, outcome.needed or 0))
