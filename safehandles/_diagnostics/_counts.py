"""How many handles a process holds: ``GetProcessHandleCount``."""

from __future__ import annotations

from .._bindings._constants import DWORD_MAX
from .._kinds._processes._process import Process
from .._win32._arguments import integer

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
    pid = integer(process, "process", minimum=0, maximum=DWORD_MAX, expected="a Process, a pid or None")
    with Process.open(pid) as opened:
        return opened.handle_count()
