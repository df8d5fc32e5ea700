"""The guard a successful ``acquire()`` returns: it releases on leaving the block."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

__all__ = ["Acquired"]


class Acquired:
    """Holds an acquired mutex or semaphore slot; ``with`` releases it at the block's end.

    ``release()`` gives it back early; leaving the block afterwards does nothing.
    """

    __slots__ = ("_release",)

    def __init__(self, release: Callable[[], object]) -> None:
        self._release: Callable[[], object] | None = release

    def release(self) -> None:
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
