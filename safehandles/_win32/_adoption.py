"""Adopting what a creator made: the two ways a Win32 creator hands a handle back.

*Returned*: ``CreateEventW``, ``CreateFileW``, ``OpenProcess`` return the handle,
and failure is one value of the returned type: NULL for most,
``INVALID_HANDLE_VALUE`` for ``CreateFileW`` and ``FindFirstFileW``.

*Written*: ``OpenProcessToken``, ``CreatePipe``, ``DuplicateHandle``,
``RegOpenKeyExW`` and ``CreateProcessW`` write their handles to out-parameters
and report failure in their result: FALSE (the error is then the thread's last
error) or a status (the error itself, as the registry returns).

Either way the wrappers exist before the call and take the value the moment
the call returns, so no exception in between can lose it; and failure is
decided by the creator's own result, checked here, never later by the
wrapper's idea of "invalid" (Rust's ``HandleOrNull`` and ``HandleOrInvalid``
keep the same distinction).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from .._bindings._constants import NULL
from .._bindings._errors import last_error, raise_winerror
from .._core._safehandle import SafeHandle

__all__ = ["adopt_returned", "adopt_written"]

_H = TypeVar("_H", bound=SafeHandle)


def adopt_returned(
    handle: _H,
    creator: str,
    call: Callable[[], int],
    *,
    fails_with: int = NULL,
    filename: str | None = None,
    read_error: Callable[[], int] = last_error,
) -> tuple[_H, int]:
    """Run a creator that returns the handle; store it in *handle*; return both and the last error it left.

    The last error matters to callers on success too: a named create that
    opened an existing object says so with ``ERROR_ALREADY_EXISTS``.
    *read_error* is where the API family keeps it (``WSAGetLastError`` for Winsock).
    """
    value = call()
    error = read_error()
    handle.set_handle(value)
    if value == fails_with:
        raise_winerror(creator, error, filename)
    return handle, error


def adopt_written(
    creator: str,
    call: Callable[[], int],
    written: Callable[[], Sequence[int]],
    handles: Sequence[SafeHandle],
    *,
    returns_status: bool = False,
    filename: str | None = None,
) -> int:
    """Run a creator that writes its handles to out-parameters; store them in *handles*.

    *written* reads the values the call wrote, in the order of *handles*, and
    is read only if the call succeeded (a failed call may leave anything
    there). *returns_status*: the result is an error code (0 for success)
    rather than a BOOL. Returns the last error the call left.
    """
    result = call()
    error = result if returns_status else last_error()
    if (result != 0) if returns_status else (not result):
        raise_winerror(creator, error, filename)
    for handle, value in zip(handles, written(), strict=True):
        handle.set_handle(value)
    return error
