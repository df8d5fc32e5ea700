"""safehandles: SafeHandle-style ownership of Windows kernel handles.

Each kind of Windows object has a typed class that pairs its creator
functions with the right destroyer, holds a reference around every native
call (so a handle is never closed, or recycled, under a call that uses it),
and closes itself at the end of a ``with`` block, when it is collected, or at
interpreter exit::

    import safehandles as sh

    with sh.Event.create(manual_reset=True) as ready, sh.Mutex.create(name=r"Local\\job-42") as lock:
        if not lock.created_new:
            print("another instance runs")
        ready.set()
        assert ready.wait(timeout=1.5)

Exceptions::

    ValueError
     └── ObjectDisposedError        a closed (or detached) handle was used
    OSError                         a native call failed: .winerror says why
     └── UnsupportedPlatformError   a Windows kind was used on another OS
    RuntimeError
     └── AbandonedMutexError        a wait acquired a mutex whose owner died

The package imports on every OS with the same types, so a mypy run gives the
same answer on Linux and Windows; creating a Windows object elsewhere raises
``UnsupportedPlatformError``.
"""

from __future__ import annotations

from ._bindings._constants import (
    EventAccess,
    HeapOption,
    MutexAccess,
    ProcessAccess,
    SemaphoreAccess,
    StandardAccess,
    ThreadAccess,
    TimerAccess,
)
from ._core._errors import AbandonedMutexError, ObjectDisposedError, UnsupportedPlatformError
from ._core._safehandle import (
    SafeHandle,
    SafeHandleMinusOneIsInvalid,
    SafeHandleZeroOrMinusOneIsInvalid,
)
from ._diagnostics._census import HandleInfo, handle_census, list_handles
from ._diagnostics._counts import process_handle_count
from ._diagnostics._tracking import (
    KindDiff,
    OpenedHandle,
    Snapshot,
    is_tracking,
    snapshot,
    start_tracking,
    stop_tracking,
)

# The catalogue's areas; their names are added to __all__ below.
from ._kinds import _public_advapi, _public_files, _public_sockets, _public_system
from ._kinds._base import KernelHandle, WaitableHandle, Win32Handle
from ._kinds._event import Event
from ._kinds._guard import Acquired
from ._kinds._heap import Heap
from ._kinds._mutex import Mutex
from ._kinds._process import Process
from ._kinds._public_advapi import *  # noqa: F403
from ._kinds._public_files import *  # noqa: F403
from ._kinds._public_sockets import *  # noqa: F403
from ._kinds._public_system import *  # noqa: F403
from ._kinds._semaphore import Semaphore
from ._kinds._thread import Thread
from ._kinds._timer import WaitableTimer
from ._kinds._wait import wait_all, wait_any

__version__ = "0.1.0"

__all__ = [
    "AbandonedMutexError",
    "Acquired",
    "Event",
    "EventAccess",
    "HandleInfo",
    "Heap",
    "HeapOption",
    "KernelHandle",
    "KindDiff",
    "Mutex",
    "MutexAccess",
    "ObjectDisposedError",
    "OpenedHandle",
    "Process",
    "ProcessAccess",
    "SafeHandle",
    "SafeHandleMinusOneIsInvalid",
    "SafeHandleZeroOrMinusOneIsInvalid",
    "Semaphore",
    "SemaphoreAccess",
    "Snapshot",
    "StandardAccess",
    "Thread",
    "ThreadAccess",
    "TimerAccess",
    "UnsupportedPlatformError",
    "WaitableHandle",
    "WaitableTimer",
    "Win32Handle",
    "__version__",
    "handle_census",
    "is_tracking",
    "list_handles",
    "process_handle_count",
    "snapshot",
    "start_tracking",
    "stop_tracking",
    "wait_all",
    "wait_any",
]
__all__ += _public_advapi.__all__
__all__ += _public_files.__all__
__all__ += _public_sockets.__all__
__all__ += _public_system.__all__
