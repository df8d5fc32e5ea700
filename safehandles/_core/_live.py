"""The set of live owned handles, and the sweep that closes them at exit.

A handle that the program forgot is closed by its finalizer when it is
collected. That is not enough at interpreter exit: objects held by module
globals, by cycles the last collection did not reach or by daemon threads may
never be collected. So every owned, valid handle is listed here from the
moment it holds a value until it is released, detached or invalidated, and an
``atexit`` hook closes whatever is still listed.

The list holds weak references keyed by ``id()``; a handle removes itself
before its memory can be reused, so ids never collide. Dict operations are
atomic in both the GIL and the free-threaded builds, so no lock is needed.
"""

from __future__ import annotations

import atexit
import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ._safehandle import SafeHandle

_live: dict[int, weakref.ref[SafeHandle]] = {}


def add(handle: SafeHandle) -> None:
    _live[id(handle)] = weakref.ref(handle)


def discard(handle: SafeHandle) -> None:
    _live.pop(id(handle), None)


def live_handles() -> Iterator[SafeHandle]:
    """Yield the owned handles that are still open, oldest first."""
    for ref in list(_live.values()):
        handle = ref()
        if handle is not None:
            yield handle


def count() -> int:
    return len(_live)


@atexit.register
def _close_all_at_exit() -> None:
    # Newest first: a handle created later may depend on an older one
    # (a view on a mapping), and dependents hold references anyway.
    for handle in reversed(list(live_handles())):
        handle._finalize(at_exit=True)
