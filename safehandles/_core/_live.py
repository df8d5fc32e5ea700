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
    from types import CodeType, FrameType

    from ._safehandle import SafeHandle

Stack = tuple[traceback.FrameSummary, ...]
#: A stack as a registration keeps it: (code, line number) pairs, innermost first.
_RawStack = tuple[tuple["CodeType", int], ...]


class Traced(weakref.ref["SafeHandle"]):
    """A registration made while tracking: the weak reference, and the stack that made the handle."""

    __slots__ = ("_frames",)

    # weakref.ref.__new__ takes the referent and ignores keywords; the frames are ours.
    def __init__(self, handle: SafeHandle, /, *, frames: _RawStack) -> None:
        self._frames = frames

    @property
    def stack(self) -> Stack:
        """The creation stack, innermost frame last (built now: a registration keeps only code and line)."""
        return tuple(
            traceback.FrameSummary(code.co_filename, lineno, code.co_name, lookup_line=False)
            for code, lineno in reversed(self._frames)
        )


_live: dict[int, weakref.ref[SafeHandle]] = {}
#: How many frames a registration records; 0 while tracking is off.
_traceback_depth = 0
_PACKAGE = str(Path(__file__).resolve().parent.parent) + os.sep


def _creation_frames(depth: int) -> _RawStack:
    """The caller's innermost *depth* frames, innermost first, without this package's own.

    Only each frame's code object and line number are kept, which touches
    neither the disk nor ``linecache``: ``StackSummary.extract`` would call
    ``linecache.checkcache`` (an ``os.stat``) for every frame's file on
    every create, once anything has filled the cache. A ``FrameSummary`` is
    made when the stack is asked for, and looks its source line up when it is printed.
    """
    frames = []
    frame: FrameType | None = sys._getframe(2)  # our caller's caller: add() is called by set_handle()
    while frame is not None:
        code = frame.f_code
        if not code.co_filename.startswith(_PACKAGE):
            frames.append((code, frame.f_lineno))
            if len(frames) == depth:
                break
        frame = frame.f_back
    return tuple(frames)


def add(handle: SafeHandle) -> None:
    depth = _traceback_depth
    if depth:
        _live[id(handle)] = Traced(handle, frames=_creation_frames(depth))
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
