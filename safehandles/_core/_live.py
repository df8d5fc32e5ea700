"""The set of live owned handles, the sweep that closes them at exit, and where each was made.

A handle that the program forgot is closed by its finalizer when it is
collected. That is not enough at interpreter exit: objects held by module
globals, by cycles the last collection did not reach or by daemon threads may
never be collected. So every owned, valid handle is listed here from the
moment it holds a value until it is released, detached or invalidated, and an
``atexit`` hook closes whatever is still listed.

The list holds one weak reference per registration, keyed by ``id()``; a
handle removes itself before its memory can be reused, so ids never collide.
Dict operations are atomic in both the GIL and the free-threaded builds, so
no lock is needed.

While tracking is on (``safehandles.start_tracking``), a registration also
remembers the stack that created the handle: snapshots compare registrations
by identity, and the finalizer's ``ResourceWarning`` names the creation site.
Off, it costs one global read per registration.
"""

from __future__ import annotations

import atexit
import os
import sys
import traceback
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ._safehandle import SafeHandle

Stack = tuple[traceback.FrameSummary, ...]


class Traced(weakref.ref["SafeHandle"]):
    """A registration made while tracking: the weak reference, and the stack that made the handle."""

    __slots__ = ("stack",)

    # weakref.ref.__new__ takes the referent and ignores keywords; the stack is ours.
    def __init__(self, handle: SafeHandle, /, *, stack: Stack) -> None:
        self.stack = stack


_live: dict[int, weakref.ref[SafeHandle]] = {}
#: How many frames a registration records; 0 while tracking is off.
_traceback_depth = 0
_PACKAGE = str(Path(__file__).resolve().parent.parent) + os.sep


def _creation_stack(depth: int) -> Stack:
    """The caller's innermost *depth* frames, innermost last, without this package's own.

    Source lines are not read now (that touches the disk for every frame):
    a ``FrameSummary`` looks its line up when it is first printed.
    """
    frames = []
    for frame, lineno in traceback.walk_stack(sys._getframe(1)):
        if frame.f_code.co_filename.startswith(_PACKAGE):
            continue
        frames.append((frame, lineno))
        if len(frames) == depth:
            break
    frames.reverse()
    return tuple(traceback.StackSummary.extract(iter(frames), lookup_lines=False))


def add(handle: SafeHandle) -> None:
    depth = _traceback_depth
    if depth:
        _live[id(handle)] = Traced(handle, stack=_creation_stack(depth))
    else:
        _live[id(handle)] = weakref.ref(handle)


def discard(handle: SafeHandle) -> None:
    _live.pop(id(handle), None)


def set_traceback_depth(depth: int) -> None:
    global _traceback_depth
    _traceback_depth = depth


def traceback_depth() -> int:
    return _traceback_depth


def registrations() -> list[weakref.ref[SafeHandle]]:
    """The current registrations, oldest first (each one distinct even if an id is reused)."""
    return list(_live.values())


def creation_stack(handle: SafeHandle) -> Stack | None:
    """Where *handle* was created, if it was registered while tracking."""
    record = _live.get(id(handle))
    return record.stack if isinstance(record, Traced) and record() is handle else None


def live_handles() -> Iterator[SafeHandle]:
    """Yield the owned handles that are still open, oldest first."""
    for ref in registrations():
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
