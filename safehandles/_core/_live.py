"""Finding the live owned handles, the sweep that closes them at exit, and where each was made.

A handle that the program forgot is closed by its finalizer when it is
collected. That is not enough at interpreter exit: objects held by module
globals, by cycles the last collection did not reach or by daemon threads may
never be collected. So an ``atexit`` hook closes every owned handle that is
still open.

Finding them costs nothing per handle: every ``SafeHandle`` is an object the
cyclic garbage collector tracks from the moment it is allocated (its class has
slots), so ``gc.get_objects()`` lists each one, wherever it is held. The scan
picks them out by exact type, from the set of ``SafeHandle`` classes that
``__init_subclass__`` fills. A per-handle registry would do the same in
O(handles) rather than O(objects), but it cost every live wrapper 142 bytes
(a weak reference, its int key, a dict slot): more than the wrapper's own
object. Only the exit sweep, ``snapshot()`` and the leak checks look, and
they look rarely, so the scan is the better trade: about 85 ns per object in
the process (4 ms for the 43,000 objects of a process that imported pytest
and mypy). Objects moved by ``gc.freeze()`` are not listed: the exit sweep
unfreezes them first, but a ``snapshot()`` does not see the wrappers a freeze
took, so a leak check around code that calls ``gc.freeze()`` misses what was
opened before the freeze.

While tracking is on (``safehandles.start_tracking``), a handle that gets a
value is also registered with the stack that created it, so that leak reports
and the finalizer's ``ResourceWarning`` name the creation site. A
registration is a weak reference keyed by ``id()``; a handle removes its own
before its memory can be reused, and a registration whose referent is not
the handle asked about is ignored. Dict operations are atomic in both the GIL
and the free-threaded builds, so no lock is needed. Off, a new handle costs
one global read.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import traceback
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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


#: The registrations made while tracking, by the id() of their handle.
_traced: dict[int, Traced] = {}
#: Every SafeHandle class: what the scan looks for (an exact-type set lookup is cheaper than
#: isinstance through ABCMeta, and never asks a proxy object for its __class__).
_kinds: set[type] = set()
#: How many frames a registration records; 0 while tracking is off.
_traceback_depth = 0
_PACKAGE = str(Path(__file__).resolve().parent.parent) + os.sep


def add_kind(cls: type) -> None:
    _kinds.add(cls)


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
    """Note where an owned handle that just got its value was made, if tracking is on."""
    depth = _traceback_depth
    if depth:
        _traced[id(handle)] = Traced(handle, frames=_creation_frames(depth))


def discard(handle: SafeHandle) -> None:
    if _traced:
        _traced.pop(id(handle), None)


def set_traceback_depth(depth: int) -> None:
    global _traceback_depth
    _traceback_depth = depth


def traceback_depth() -> int:
    return _traceback_depth


def creation_stack(handle: SafeHandle) -> Stack | None:
    """Where *handle* was created, if it got its value while tracking was on."""
    record = _traced.get(id(handle))
    return record.stack if record is not None and record() is handle else None


def live_handles() -> list[SafeHandle]:
    """The owned handles that are still open and valid, as the collector lists them."""
    kinds = _kinds
    found: list[SafeHandle] = []
    for candidate in gc.get_objects():
        if type(candidate) in kinds:
            try:
                if candidate._owns and not candidate.is_closed and not candidate.is_invalid:
                    found.append(candidate)
            except AttributeError:  # half-built: its __init__ failed before the state was set
                pass
    return found


@atexit.register
def _close_all_at_exit() -> None:
    # gc.freeze() (pre-fork servers call it) puts objects in a generation that gc.get_objects()
    # does not list; the process is ending, so give them back to the collector first.
    gc.unfreeze()
    # Roughly newest first (the collector lists objects in allocation order within each of its
    # generations): a handle created later may depend on an older one (a view on a mapping),
    # and dependents hold references anyway.
    for handle in reversed(live_handles()):
        handle._finalize(at_exit=True)
