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

Importing the package loads none of it: each public name loads with its module
the first time it is used (``sh.Event``, ``from safehandles import Event``),
so a script pays for the kinds it uses and nothing else, and every name still
reports ``safehandles`` as its module (see ``safehandles._surface``).
"""

from __future__ import annotations

from ._surface import Publisher as _Publisher

# Checkers see every public name's real definition here; at run time each is imported on first use.
TYPE_CHECKING = False
if TYPE_CHECKING:
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

# Where each public name is defined: its module, relative to this package, with the names it defines.
# The same as the imports above (tests/test_import.py checks that the two agree).
_HOMES: dict[str, tuple[str, ...]] = {
    "_bindings._advapi32._eventlog": ("EventType",),
    "_bindings._advapi32._registry": ("KeyAccess", "ValueType"),
    "_bindings._advapi32._services": (
        "ServiceAccess",
        "ServiceControl",
        "ServiceControlsAccepted",
        "ServiceErrorControl",
        "ServiceManagerAccess",
        "ServiceStartType",
        "ServiceState",
        "ServiceStateFilter",
        "ServiceType",
    ),
    "_bindings._advapi32._tokens": (
        "ElevationType",
        "GroupAttribute",
        "ImpersonationLevel",
        "IntegrityLevel",
        "PrivilegeAttribute",
        "RestrictedTokenFlag",
        "SidNameUse",
        "TokenAccess",
        "TokenType",
        "WellKnownSid",
    ),
    "_bindings._constants": (
        "EventAccess",
        "GenericAccess",
        "HeapOption",
        "MutexAccess",
        "ProcessAccess",
        "SemaphoreAccess",
        "StandardAccess",
        "ThreadAccess",
        "TimerAccess",
    ),
    "_bindings._kernel32._comm": ("Parity", "StopBits"),
    "_bindings._kernel32._console": ("ConsoleMode",),
    "_bindings._kernel32._files": (
        "ChangeFilter",
        "CreationDisposition",
        "FileAccess",
        "FileAttribute",
        "FileFlag",
        "FileShare",
        "FileType",
    ),
    "_bindings._kernel32._io": ("IoCompletionAccess",),
    "_bindings._kernel32._jobs": ("JobAccess", "JobLimit", "JobMessage", "JobUiLimit"),
    "_bindings._kernel32._mapping": ("FileMapAccess", "PageProtection"),
    "_bindings._kernel32._memory_notifications": ("MemoryCondition",),
    "_bindings._kernel32._modules": ("LoadFlag",),
    "_bindings._kernel32._pipes": ("PipeDirection",),
    "_bindings._kernel32._processes": ("CreationFlag",),
    "_bindings._user32": ("DesktopAccess", "WindowStationAccess"),
    "_bindings._ws2_32": (
        "AddressFamily",
        "Ipv6Option",
        "ShutdownHow",
        "SocketKind",
        "SocketOption",
        "SocketOptionLevel",
        "SocketProtocol",
        "TcpOption",
    ),
    "_core._errors": ("AbandonedMutexError", "ObjectDisposedError", "UnsupportedPlatformError"),
    "_core._safehandle": ("SafeHandle", "SafeHandleMinusOneIsInvalid", "SafeHandleZeroOrMinusOneIsInvalid"),
    "_diagnostics._census": ("HandleInfo", "handle_census", "list_handles"),
    "_diagnostics._counts": ("process_handle_count",),
    "_diagnostics._leak_check": ("LeakCheck",),
    "_diagnostics._tracking": (
        "KindDiff",
        "OpenedHandle",
        "Snapshot",
        "is_tracking",
        "snapshot",
        "start_tracking",
        "stop_tracking",
    ),
    "_kinds._files._change": ("ChangeNotification",),
    "_kinds._files._comm": ("CommDevice", "CommSettings", "CommTimeouts"),
    "_kinds._files._completion_port": ("CompletionStatus", "IoCompletionPort"),
    "_kinds._files._console": ("ConsoleInput", "ConsoleScreenBuffer"),
    "_kinds._files._directory_watcher": ("ChangeAction", "DirectoryChange", "DirectoryWatcher"),
    "_kinds._files._file": ("File",),
    "_kinds._files._find": ("FindEntry", "FindFile"),
    "_kinds._files._mailslot": ("Mailslot", "MailslotInfo"),
    "_kinds._files._mapping": ("FileMapping", "MappedView"),
    "_kinds._files._pipe": ("NamedPipeServer", "Pipe", "PipeEnd"),
    "_kinds._files._resource_update": ("ResourceUpdate",),
    "_kinds._network._sockaddr": ("SocketAddress",),
    "_kinds._network._socket": ("Socket",),
    "_kinds._processes._heap": ("Heap",),
    "_kinds._processes._job": ("Job", "JobAccounting", "JobLimits", "JobNotification"),
    "_kinds._processes._memory_notification": ("MemoryResourceNotification",),
    "_kinds._processes._module": ("Module",),
    "_kinds._processes._process": ("Process",),
    "_kinds._processes._spawn": ("Redirect", "Spawned", "spawn"),
    "_kinds._processes._thread": ("Thread",),
    "_kinds._security._desktop": ("Desktop", "WindowStation"),
    "_kinds._security._token": ("AccessToken", "Account", "Privilege", "TokenGroup", "account_of"),
    "_kinds._sync._event": ("Event",),
    "_kinds._sync._mutex": ("Mutex",),
    "_kinds._sync._semaphore": ("Semaphore",),
    "_kinds._sync._timer": ("WaitableTimer",),
    "_kinds._sync._wait": ("wait_all", "wait_any", "wait_any_async"),
    "_kinds._system._eventlog": ("EventLog", "EventRecord", "EventSource"),
    "_kinds._system._registry": ("RegistryKey",),
    "_kinds._system._registry_values": ("RegistryValue",),
    "_kinds._system._service": (
        "Service",
        "ServiceConfig",
        "ServiceEntry",
        "ServiceManager",
        "ServiceStatus",
    ),
    "_version": ("__version__",),
    "_win32._guard": ("Acquired",),
    "_win32._handles": ("KernelHandle", "WaitableHandle", "Win32Handle"),
}

_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}
_publisher = _Publisher(__name__, _HOMES, globals())
_publisher.install()

if not TYPE_CHECKING:  # hidden from checkers, which would otherwise accept any attribute of the package

    def __getattr__(name: str) -> object:
        """A public name's first lookup: import its module, which publishes its names here (PEP 562)."""
        home = _HOME_OF.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        module = __import__(f"{__name__}.{home}", fromlist=["_"])
        if name not in globals():  # loaded past this package's finder, by one put before it
            _publisher.publish(module)
        return globals()[name]

    def __dir__() -> list[str]:
        """Every public name, loaded or not, with the package's other attributes."""
        return sorted({*globals(), *__all__})


del TYPE_CHECKING
