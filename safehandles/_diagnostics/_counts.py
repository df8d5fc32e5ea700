"""How many handles a process holds: ``GetProcessHandleCount``."""

from __future__ import annotations

from .._kinds._processes._process import Process

__all__ = ["process_handle_count"]


def process_handle_count(process: Process | int | None = None) -> int:
    """The number of open handles of a process: this one (None), a pid, or a ``Process``.

    The count covers every kind of handle (``GetProcessHandleCount``), which is
    what Task Manager's handle column shows.
    """
    if process is None:
        return Process.current().handle_count()
    if isinstance(process, Process):
        return process.handle_count()
    if isinstance(process, bool) or not isinstance(process, int):
        raise TypeError(f"process must be a Process, a pid or None, not {type(process).__name__}")
    with Process.open(process) as opened:
        return opened.handle_count()
