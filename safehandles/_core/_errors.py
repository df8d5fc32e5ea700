"""The exceptions of safehandles.

Every exception the library raises is a built-in one or a subclass of one, so
code that already handles ``ValueError`` or ``OSError`` keeps working::

    ValueError
     └── ObjectDisposedError        a closed (or detached) handle was used
    OSError                         a native call failed: .winerror says why
     └── UnsupportedPlatformError   a Windows kind was used on another OS
    RuntimeError
     └── AbandonedMutexError        a wait acquired a mutex whose owner died

Failed native calls raise plain ``OSError`` built with ``winerror``, so Windows
maps them onto ``FileNotFoundError``, ``PermissionError`` and the rest.
A wait that times out where the caller asked to block (``Mutex.acquire``)
raises the built-in ``TimeoutError``.
"""

from __future__ import annotations

__all__ = ["AbandonedMutexError", "ObjectDisposedError", "UnsupportedPlatformError"]


class ObjectDisposedError(ValueError):
    """A closed, detached or invalidated handle was used.

    Raised before any native call is made, so a stale handle value never
    reaches the OS (it may already name someone else's object).
    """


class UnsupportedPlatformError(OSError):
    """A Windows-only function was called on another operating system."""


class AbandonedMutexError(RuntimeError):
    """A wait acquired a mutex whose previous owner exited without releasing it.

    As in .NET, the caller now owns the mutex and must release it; the state
    the mutex protects may be inconsistent. ``index`` says which mutex, where
    Windows says it: 0 for a single wait, the mutex's position among the
    handles for ``wait_any``, and None for ``wait_all``, where Windows reports
    only that at least one of them was abandoned (the caller owns them all).
    """

    def __init__(self, message: str, *, index: int | None = 0) -> None:
        super().__init__(message)
        #: The abandoned mutex's position among the handles waited on, or None if Windows does not say.
        self.index = index
