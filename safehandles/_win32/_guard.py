"""The guard a successful ``acquire()`` returns: it releases on leaving the block."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from types import TracebackType
from typing import Final

__all__ = ["Acquired"]

# Bound once, so that a guard collected while the interpreter tears down can still warn.
_warn: Final = warnings.warn


class Acquired:
    """Holds an acquired mutex or semaphore slot; ``with`` releases it at the block's end.

    ``release()`` gives it back early; leaving the block afterwards does nothing.
    A guard dropped while still holding warns with ``ResourceWarning`` and does
    not release: a finalizer runs at an unpredictable moment on whatever thread
    collects the guard, and a mutex can be released only by the thread that
    acquired it.
    """

    __slots__ = ("_release",)

    def __init__(self, release: Callable[[], object]) -> None:
        self._release: Callable[[], object] | None = release

    def release(self) -> None:
        """Give the mutex or the semaphore slot back now (once; later calls do nothing)."""
        release, self._release = self._release, None
        if release is not None:
            release()

    def __enter__(self) -> Acquired:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

    def __del__(self) -> None:
        release = getattr(self, "_release", None)  # None: released, or __init__ never ran
        if release is None:
            return
        self._release = None
        holder = getattr(release, "__self__", release)
        _warn(
            f"{holder!r} was acquired and its guard dropped without release(): it is still held. "
            "The guard cannot release it from its finalizer, which may run on another thread, "
            "and a mutex belongs to the thread that acquired it. Use the guard in a `with` "
            "block, or call its release().",
            ResourceWarning,
            stacklevel=2,
            source=self,
        )
