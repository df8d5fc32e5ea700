"""Tracking live wrappers: what was opened and not closed between two points, and where.

Like ``tracemalloc`` for handles: ``start_tracking()`` makes every owned
handle registered from then on remember the stack that created it;
``snapshot()`` records which wrappers are open; ``newer.compare_to(older)``
lists, by kind, the wrappers opened between the two snapshots and still open,
each with its creation traceback. Tracking is off by default, and off it costs
one global read per handle created. A snapshot finds the open wrappers among the
objects the garbage collector tracks (``_core/_live.py`` says why): its cost grows
with the process's objects, about 4 ms for 43,000.
"""

from __future__ import annotations

import traceback
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._core import _live
from .._win32._arguments import integer

if TYPE_CHECKING:
    from .._core._safehandle import SafeHandle

__all__ = [
    "KindDiff",
    "OpenedHandle",
    "Snapshot",
    "is_tracking",
    "snapshot",
    "start_tracking",
    "stop_tracking",
]


def start_tracking(traceback_depth: int = 10) -> None:
    """Record where each handle created from now on was created, *traceback_depth* frames deep."""
    _live.set_traceback_depth(integer(traceback_depth, "traceback_depth", minimum=1, maximum=None))


def stop_tracking() -> None:
    """Stop recording creation sites (handles already recorded keep theirs)."""
    _live.set_traceback_depth(0)


def is_tracking() -> bool:
    """Whether creation sites are being recorded."""
    return _live.traceback_depth() > 0


@dataclass(frozen=True)
class OpenedHandle:
    """A wrapper that was open when a snapshot was taken."""

    kind: str
    value: int
    #: Where it was created, innermost frame last; None if it was created while tracking was off.
    traceback: tuple[traceback.FrameSummary, ...] | None

    def __str__(self) -> str:
        head = f"{self.kind} {self.value:#x}"
        if not self.traceback:
            return f"{head} (created while tracking was off)"
        return f"{head}, created at:\n" + "".join(traceback.format_list(list(self.traceback))).rstrip()


@dataclass(frozen=True)
class KindDiff:
    """The wrappers of one kind opened between two snapshots and still open."""

    kind: str
    opened: tuple[OpenedHandle, ...]

    @property
    def count(self) -> int:
        return len(self.opened)

    def __str__(self) -> str:
        lines = [f"{self.kind}: {self.count} opened and not closed"]
        lines.extend("  " + str(handle).replace("\n", "\n  ") for handle in self.opened)
        return "\n".join(lines)


class Snapshot:
    """The wrappers open at one moment (see :func:`snapshot`)."""

    def __init__(self) -> None:
        # Keyed by id, holding a weak reference taken now: an entry of an older snapshot is the
        # same handle only if its reference still points at this object, so a new handle at a
        # reused address reads as new, and the snapshot keeps nothing alive.
        self._entries: dict[int, tuple[weakref.ref[SafeHandle], OpenedHandle]] = {}
        for handle in _live.live_handles():
            stack = _live.creation_stack(handle)
            opened = OpenedHandle(type(handle).__name__, handle.dangerous_get_handle(), stack)
            self._entries[id(handle)] = (weakref.ref(handle), opened)

    @property
    def handles(self) -> list[OpenedHandle]:
        """The wrappers that were open, in the order the garbage collector listed them."""
        return [opened for _, opened in self._entries.values()]

    def compare_to(self, older: Snapshot) -> list[KindDiff]:
        """What was opened after *older* and is still open in this snapshot, by kind, most first."""
        by_kind: dict[str, list[OpenedHandle]] = {}
        for key, (record, opened) in self._entries.items():
            earlier = older._entries.get(key)
            if earlier is not None and earlier[0]() is record():
                continue
            by_kind.setdefault(opened.kind, []).append(opened)
        diffs = [KindDiff(kind, tuple(handles)) for kind, handles in by_kind.items()]
        return sorted(diffs, key=lambda diff: (-diff.count, diff.kind))


def snapshot() -> Snapshot:
    """Record the owned wrappers open right now."""
    return Snapshot()
