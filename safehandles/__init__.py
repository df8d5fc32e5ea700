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

Diagnostics tell what a process holds and what leaks: ``process_handle_count``,
``handle_census`` and ``list_handles`` read the kernel's handle table;
``start_tracking``/``snapshot`` list the wrappers opened and not closed, with
where each was made; the ``safehandles.pytest_plugin`` fails tests that leak;
``python -m safehandles census|watch`` does the same from the command line.

The package imports on every OS with the same types, so a mypy run gives the
same answer on Linux and Windows; creating a Windows object elsewhere raises
``UnsupportedPlatformError``.
"""

from __future__ import annotations

import types as _types
import typing as _typing

from ._bindings._advapi32._eventlog import EventType
from ._bindings._advapi32._registry import (
    KeyAccess,
    ValueType,
)
from ._bindings._advapi32._services import (
    ServiceAccess,
    ServiceControl,
    ServiceControlsAccepted,
    ServiceErrorControl,
    ServiceManagerAccess,
    ServiceStartType,
    ServiceState,
    ServiceStateFilter,
    ServiceType,
)
from ._bindings._advapi32._tokens import (
    ElevationType,
    GroupAttribute,
    ImpersonationLevel,
    IntegrityLevel,
    PrivilegeAttribute,
    RestrictedTokenFlag,
    SidNameUse,
    TokenAccess,
    TokenType,
    WellKnownSid,
)
from ._bindings._constants import (
    EventAccess,
    GenericAccess,
    HeapOption,
    MutexAccess,
    ProcessAccess,
    SemaphoreAccess,
    StandardAccess,
    ThreadAccess,
    TimerAccess,
)
from ._bindings._kernel32._comm import (
    Parity,
    StopBits,
)
from ._bindings._kernel32._console import ConsoleMode
from ._bindings._kernel32._files import (
    ChangeFilter,
    CreationDisposition,
    FileAccess,
    FileAttribute,
    FileFlag,
    FileShare,
    FileType,
)
from ._bindings._kernel32._io import IoCompletionAccess
from ._bindings._kernel32._jobs import (
    JobAccess,
    JobLimit,
    JobMessage,
    JobUiLimit,
)
from ._bindings._kernel32._mapping import (
    FileMapAccess,
    PageProtection,
)
from ._bindings._kernel32._memory_notifications import MemoryCondition
from ._bindings._kernel32._modules import LoadFlag
from ._bindings._kernel32._pipes import PipeDirection
from ._bindings._kernel32._processes import CreationFlag
from ._bindings._user32 import (
    DesktopAccess,
    WindowStationAccess,
)
from ._bindings._ws2_32 import (
    AddressFamily,
    Ipv6Option,
    ShutdownHow,
    SocketKind,
    SocketOption,
    SocketOptionLevel,
    SocketProtocol,
    TcpOption,
)
from ._core._errors import (
    AbandonedMutexError,
    ObjectDisposedError,
    UnsupportedPlatformError,
)
from ._core._safehandle import (
    SafeHandle,
    SafeHandleMinusOneIsInvalid,
    SafeHandleZeroOrMinusOneIsInvalid,
)
from ._diagnostics._census import (
    HandleInfo,
    handle_census,
    list_handles,
)
from ._diagnostics._counts import process_handle_count
from ._diagnostics._leak_check import LeakCheck
from ._diagnostics._tracking import (
    KindDiff,
    OpenedHandle,
    Snapshot,
    is_tracking,
    snapshot,
    start_tracking,
    stop_tracking,
)
from ._kinds._files._change import ChangeNotification
from ._kinds._files._comm import (
    CommDevice,
    CommSettings,
    CommTimeouts,
)
from ._kinds._files._completion_port import (
    CompletionStatus,
    IoCompletionPort,
)
from ._kinds._files._console import (
    ConsoleInput,
    ConsoleScreenBuffer,
)
from ._kinds._files._directory_watcher import (
    ChangeAction,
    DirectoryChange,
    DirectoryWatcher,
)
from ._kinds._files._file import File
from ._kinds._files._find import (
    FindEntry,
    FindFile,
)
from ._kinds._files._mailslot import (
    Mailslot,
    MailslotInfo,
)
from ._kinds._files._mapping import (
    FileMapping,
    MappedView,
)
from ._kinds._files._pipe import (
    NamedPipeServer,
    Pipe,
    PipeEnd,
)
from ._kinds._files._resource_update import ResourceUpdate
from ._kinds._network._sockaddr import SocketAddress
from ._kinds._network._socket import Socket
from ._kinds._processes._heap import Heap
from ._kinds._processes._job import (
    Job,
    JobAccounting,
    JobLimits,
    JobNotification,
)
from ._kinds._processes._memory_notification import MemoryResourceNotification
from ._kinds._processes._module import Module
from ._kinds._processes._process import Process
from ._kinds._processes._spawn import (
    Redirect,
    Spawned,
    spawn,
)
from ._kinds._processes._thread import Thread
from ._kinds._security._desktop import (
    Desktop,
    WindowStation,
)
from ._kinds._security._token import (
    AccessToken,
    Account,
    Privilege,
    TokenGroup,
    account_of,
)
from ._kinds._sync._event import Event
from ._kinds._sync._mutex import Mutex
from ._kinds._sync._semaphore import Semaphore
from ._kinds._sync._timer import WaitableTimer
from ._kinds._sync._wait import (
    wait_all,
    wait_any,
    wait_any_async,
)
from ._kinds._system._eventlog import (
    EventLog,
    EventRecord,
    EventSource,
)
from ._kinds._system._registry import RegistryKey
from ._kinds._system._registry_values import RegistryValue
from ._kinds._system._service import (
    Service,
    ServiceConfig,
    ServiceEntry,
    ServiceManager,
    ServiceStatus,
)
from ._version import __version__
from ._win32._guard import Acquired
from ._win32._handles import (
    KernelHandle,
    WaitableHandle,
    Win32Handle,
)

__all__ = [
    "AbandonedMutexError",
    "AccessToken",
    "Account",
    "Acquired",
    "AddressFamily",
    "ChangeAction",
    "ChangeFilter",
    "ChangeNotification",
    "CommDevice",
    "CommSettings",
    "CommTimeouts",
    "CompletionStatus",
    "ConsoleInput",
    "ConsoleMode",
    "ConsoleScreenBuffer",
    "CreationDisposition",
    "CreationFlag",
    "Desktop",
    "DesktopAccess",
    "DirectoryChange",
    "DirectoryWatcher",
    "ElevationType",
    "Event",
    "EventAccess",
    "EventLog",
    "EventRecord",
    "EventSource",
    "EventType",
    "File",
    "FileAccess",
    "FileAttribute",
    "FileFlag",
    "FileMapAccess",
    "FileMapping",
    "FileShare",
    "FileType",
    "FindEntry",
    "FindFile",
    "GenericAccess",
    "GroupAttribute",
    "HandleInfo",
    "Heap",
    "HeapOption",
    "ImpersonationLevel",
    "IntegrityLevel",
    "IoCompletionAccess",
    "IoCompletionPort",
    "Ipv6Option",
    "Job",
    "JobAccess",
    "JobAccounting",
    "JobLimit",
    "JobLimits",
    "JobMessage",
    "JobNotification",
    "JobUiLimit",
    "KernelHandle",
    "KeyAccess",
    "KindDiff",
    "LeakCheck",
    "LoadFlag",
    "Mailslot",
    "MailslotInfo",
    "MappedView",
    "MemoryCondition",
    "MemoryResourceNotification",
    "Module",
    "Mutex",
    "MutexAccess",
    "NamedPipeServer",
    "ObjectDisposedError",
    "OpenedHandle",
    "PageProtection",
    "Parity",
    "Pipe",
    "PipeDirection",
    "PipeEnd",
    "Privilege",
    "PrivilegeAttribute",
    "Process",
    "ProcessAccess",
    "Redirect",
    "RegistryKey",
    "RegistryValue",
    "ResourceUpdate",
    "RestrictedTokenFlag",
    "SafeHandle",
    "SafeHandleMinusOneIsInvalid",
    "SafeHandleZeroOrMinusOneIsInvalid",
    "Semaphore",
    "SemaphoreAccess",
    "Service",
    "ServiceAccess",
    "ServiceConfig",
    "ServiceControl",
    "ServiceControlsAccepted",
    "ServiceEntry",
    "ServiceErrorControl",
    "ServiceManager",
    "ServiceManagerAccess",
    "ServiceStartType",
    "ServiceState",
    "ServiceStateFilter",
    "ServiceStatus",
    "ServiceType",
    "ShutdownHow",
    "SidNameUse",
    "Snapshot",
    "Socket",
    "SocketAddress",
    "SocketKind",
    "SocketOption",
    "SocketOptionLevel",
    "SocketProtocol",
    "Spawned",
    "StandardAccess",
    "StopBits",
    "TcpOption",
    "Thread",
    "ThreadAccess",
    "TimerAccess",
    "TokenAccess",
    "TokenGroup",
    "TokenType",
    "UnsupportedPlatformError",
    "ValueType",
    "WaitableHandle",
    "WaitableTimer",
    "WellKnownSid",
    "Win32Handle",
    "WindowStation",
    "WindowStationAccess",
    "__version__",
    "account_of",
    "handle_census",
    "is_tracking",
    "list_handles",
    "process_handle_count",
    "snapshot",
    "spawn",
    "start_tracking",
    "stop_tracking",
    "wait_all",
    "wait_any",
    "wait_any_async",
]


def _own_annotations_resolved(cls: type) -> dict[str, object] | None:
    """``cls``'s own annotations, evaluated where they were written; None if it has none,
    or if one cannot be evaluated (then they stay as written: get_type_hints fails either way)."""
    written = vars(cls).get("__annotations__")
    if not written:
        return None
    try:
        hints = _typing.get_type_hints(cls, include_extras=True)
    except (NameError, TypeError):
        return None
    return {name: hints[name] for name in written}


def _own_functions(cls: type) -> list[_types.FunctionType]:
    """The functions written in ``cls``'s body: methods, class and static methods, property accessors."""
    found: list[object] = []
    for attribute in vars(cls).values():
        if isinstance(attribute, (classmethod, staticmethod)):
            found.append(attribute.__func__)
        elif isinstance(attribute, property):
            found += (attribute.fget, attribute.fset, attribute.fdel)
        else:
            found.append(attribute)
    prefix = f"{cls.__qualname__}."
    return [
        function
        for function in found
        if isinstance(function, _types.FunctionType)
        and function.__module__ == cls.__module__
        and function.__qualname__.startswith(prefix)
    ]


# Every public class and function says it comes from ``safehandles``, not from the
# private module that defines it, so repr(), help(), pickles and generated docs show
# ``safehandles.Event``; pickles still load, as each is an attribute of this package.
# A public class's own methods follow it: pydoc (3.11.9, 3.13) marks a method whose
# module differs from its class's as "from safehandles._kinds._sync._event.Event".
# typing.get_type_hints(cls) evaluates a class's string annotations in the module that
# __module__ names, which lacks the private names (and modules such as datetime) they
# use; so each class's own annotations are resolved first, where they were written, and
# all of them before any rename, since a class's hints read its bases' modules too.
# Functions and methods resolve theirs through __globals__, which does not change.
_public = [obj for obj in map(globals().__getitem__, __all__) if isinstance(obj, (type, _types.FunctionType))]
_resolved = {cls: _own_annotations_resolved(cls) for cls in _public if isinstance(cls, type)}
for _obj in _public:
    if isinstance(_obj, type):
        for _method in _own_functions(_obj):
            _method.__module__ = __name__
        if (_own := _resolved[_obj]) is not None:
            _obj.__annotations__ = _own
    _obj.__module__ = __name__
del _public, _resolved, _obj, _method, _own
