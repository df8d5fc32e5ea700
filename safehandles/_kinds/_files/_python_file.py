"""Python file objects over stream handles: what ``File`` and ``PipeEnd`` share.

Python's own files live in the C runtime's descriptor table, one level above
the handle. ``msvcrt.open_osfhandle`` makes a descriptor that *owns* a handle
(closing the descriptor closes the handle), so exactly one of the wrapper and
the descriptor may close a given handle: :func:`to_python_file` either hands
the wrapper's handle over or gives the descriptor a duplicate of its own.
"""

from __future__ import annotations

import importlib
import io
import os
from contextlib import suppress
from typing import IO, Any

from ..._core._errors import UnsupportedPlatformError
from ..._win32._stream import StreamHandle

__all__ = ["check_text_arguments", "msvcrt", "to_python_file"]


def msvcrt() -> Any:
    """The msvcrt module (Windows only), typed loosely so the package type-checks on every OS."""
    try:
        return importlib.import_module("msvcrt")
    except ImportError:
        raise UnsupportedPlatformError("Python file interop needs Windows (msvcrt)") from None


def check_text_arguments(
    buffering: int, encoding: str | None, errors: str | None, newline: str | None
) -> None:
    """Raise what ``open()`` raises for these text-mode arguments only after making its descriptor.

    The same ``TextIOWrapper`` that ``open()`` builds validates them here over
    an empty in-memory buffer, so the exception is ``open()``'s own.
    """
    if buffering == 0:
        raise ValueError("can't have unbuffered text I/O")  # open()'s words
    io.TextIOWrapper(io.BytesIO(), encoding or "utf-8", errors, newline)


def to_python_file(
    handle: StreamHandle,
    mode: str,
    *,
    transfer: bool,
    buffering: int,
    encoding: str | None,
    errors: str | None,
    newline: str | None,
) -> IO[Any]:
    """A Python file object over *handle*'s handle (see ``File.to_python_file`` for the contract)."""
    crt = msvcrt()
    handle._require_synchronous("to_python_file")
    if transfer and not handle.owns_handle:
        raise ValueError(
            f"{handle!r} is borrowed: it has no ownership to transfer; use transfer=False for a duplicate"
        )

    def opener(_name: str, open_flags: int) -> int:
        # open() has checked the mode and the argument types; nothing is handed over yet.
        if "b" not in mode:
            check_text_arguments(buffering, encoding, errors, newline)
        # The handle goes over through a wrapper no one else knows of (a duplicate, or
        # what this one detached): no close can race the hand-over, and if the
        # descriptor is not made, that wrapper closes the handle the right way.
        handover = (
            handle.duplicate() if not transfer else type(handle)._wrap(handle.detach(), owns_handle=True)
        )
        with handover:
            fd = int(handover._call(crt.open_osfhandle, open_flags & os.O_APPEND))
            handover.detach()  # the descriptor owns it now
        return fd

    # From the moment the opener returns, the descriptor is open()'s: if open()
    # fails after that, it closes the descriptor itself, once.
    python_file = open(  # noqa: SIM115 - the caller owns and closes it
        f"<{type(handle).__name__}>",
        mode,
        buffering=buffering,
        encoding=encoding,
        errors=errors,
        newline=newline,
        opener=opener,
    )
    raw: Any = getattr(python_file, "buffer", python_file)
    raw = getattr(raw, "raw", raw)
    with suppress(AttributeError):  # a cosmetic rename must not lose the file
        raw.name = raw.fileno()  # named by its descriptor, as open(fd) names a file
    return python_file
