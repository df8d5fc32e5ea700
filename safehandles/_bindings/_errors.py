"""The one path from a failed native call to an ``OSError``.

Every failure becomes ``OSError(errno, "Function: message", filename, winerror)``.
On Windows, CPython derives ``errno`` and the subclass from ``winerror``, so a
missing name raises ``FileNotFoundError`` and a denied one ``PermissionError``.
The message names the function that failed.

Where the error code comes from depends on the API family, and is read at
once, before any other native call can overwrite it:

* Win32 functions: ``GetLastError``, as saved by cffi right after the call;
* Winsock: ``WSAGetLastError``;
* registry functions: the status they return;
* native (``Nt*``) functions: the NTSTATUS they return, mapped to a Win32 code.

The ``check_*`` helpers test each creator's own failure value where the call
returns (NULL for ``CreateEventW``, ``INVALID_HANDLE_VALUE`` for
``CreateFileW``, FALSE for a BOOL), never later inside the owning wrapper.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import NoReturn

from ._native import IS_WINDOWS, ffi, kernel32, ntdll, ws2_32

__all__ = [
    "check_bool",
    "check_not_invalid",
    "check_not_null",
    "last_error",
    "raise_ntstatus",
    "raise_status",
    "raise_winerror",
    "raise_wsaerror",
    "winerror_exception",
    "wsa_exception",
]


def _no_last_error() -> int:
    return 0


#: The calling thread's last Win32 error, as cffi saved it after the latest call.
#:
#: cffi keeps that code per thread and sets it back as the thread's last error
#: just before each call it makes, so a call to ``GetLastError`` through cffi
#: reads exactly the saved code: what ``ffi.getwinerror()[0]`` returns, without
#: formatting the message that ``getwinerror`` also builds (three times the cost,
#: on every create that reads the code). Elsewhere there is no last error: 0.
last_error: Callable[[], int] = kernel32.GetLastError if IS_WINDOWS else _no_last_error


def winerror_exception(function: str, winerror: int | None = None, filename: str | None = None) -> OSError:
    """Build the ``OSError`` for a failed call to *function* (``winerror`` defaults to the last error)."""
    if winerror is None:
        winerror = last_error()
    if sys.platform == "win32":
        message = ffi.getwinerror(winerror)[1]
    else:
        message = f"Windows error {winerror}"
    return OSError(0, f"{function}: {message}", filename, winerror)


def raise_winerror(function: str, winerror: int | None = None, filename: str | None = None) -> NoReturn:
    """Raise the ``OSError`` for a failed call to *function*."""
    raise winerror_exception(function, winerror, filename)


def wsa_exception(function: str) -> OSError:
    """Build the ``OSError`` for a failed Winsock call, from ``WSAGetLastError``."""
    return winerror_exception(function, ws2_32.WSAGetLastError())


def raise_wsaerror(function: str) -> NoReturn:
    """Raise the ``OSError`` for a failed Winsock call, from ``WSAGetLastError``."""
    raise wsa_exception(function)


def raise_status(function: str, status: int, filename: str | None = None) -> NoReturn:
    """Raise the ``OSError`` for a registry call that returned *status*."""
    raise winerror_exception(function, status, filename)


def raise_ntstatus(function: str, status: int) -> NoReturn:
    """Raise the ``OSError`` for a native call that returned the NTSTATUS *status*."""
    raise winerror_exception(function, ntdll.RtlNtStatusToDosError(status))


def check_not_null(value: int, function: str, filename: str | None = None) -> int:
    """For creators that return NULL on failure (``CreateEventW``, ``OpenProcess``)."""
    if value == 0:
        raise_winerror(function, filename=filename)
    return value


def check_not_invalid(value: int, function: str, filename: str | None = None) -> int:
    """For creators that return ``INVALID_HANDLE_VALUE`` on failure (``CreateFileW``)."""
    if value == -1:
        raise_winerror(function, filename=filename)
    return value


def check_bool(result: int, function: str, filename: str | None = None) -> None:
    """For functions that return a BOOL: FALSE means failure."""
    if not result:
        raise_winerror(function, filename=filename)
