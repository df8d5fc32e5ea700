"""The service control manager: OpenSCManagerW / OpenServiceW / CreateServiceW, closed by CloseServiceHandle.

An ``SC_HANDLE`` is not an entry in the process handle table: it names a
session with the service control manager (an RPC context handle), so it has
no inheritance, no close protection and no ``DuplicateHandle``. Both creators
return NULL on failure.

A service handle does not depend on the manager handle it was opened through:
Microsoft documents that closing the manager handle leaves the service
handles opened through it valid, and ``CloseServiceHandle`` of a service
needs no manager. So a :class:`Service` does not keep its
:class:`ServiceManager` alive; the manager is held only for the
``OpenServiceW`` call itself.

Controlling a service is asynchronous: ``StartServiceW`` and
``ControlService`` return once the service has been told, while it may still
be ``START_PENDING`` or ``STOP_PENDING``. :meth:`Service.wait_for` polls the
status until the state asked for is reached, as Microsoft's "Starting a
Service" sample does (at a tenth of the service's wait hint, here between
50 ms and 1 s, so a quick service is not kept waiting a whole second).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, Final, NoReturn

from typing_extensions import Self

from ..._bindings._advapi32._services import (
    SC_ENUM_PROCESS_INFO,
    SC_STATUS_PROCESS_INFO,
    USER_CONTROL_MAX,
    USER_CONTROL_MIN,
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
from ..._bindings._constants import INFINITE, WinError
from ..._bindings._errors import last_error, raise_winerror, winerror_exception
from ..._bindings._native import advapi32, ffi
from ..._bindings._types import CData
from ..._win32._arguments import (
    access_mask,
    flag_bits,
    member,
    milliseconds,
    object_name,
    str_sequence,
    text,
)
from ..._win32._buffers import Grow, grow_until_it_fits
from ..._win32._catalogue import Entry
from ..._win32._handles import Win32Handle

__all__ = ["Service", "ServiceConfig", "ServiceEntry", "ServiceManager", "ServiceStatus"]

_ENUM_BUFFER = 64 * 1024
_ENUM_BUFFER_MAX = 256 * 1024  # EnumServicesStatusExW accepts at most 256 KiB per call
#: QueryServiceConfigW documents 8 KiB as the most a configuration takes.
_CONFIG_BUFFER = 1024
#: How often wait_for() polls: a tenth of the wait hint, within these bounds (seconds).
_POLL_MIN = 0.05
_POLL_MAX = 1.0


@dataclass(frozen=True)
class ServiceStatus:
    """A service's state, the id of the process it runs in (0 when stopped), and its type.

    The rest is what the service last reported: the controls it accepts, its
    exit codes (``exit_code`` is a Win32 error, 0 when it ran cleanly;
    ``ERROR_SERVICE_SPECIFIC_ERROR`` (1066) means ``service_exit_code``
    holds the service's own code), and the progress of a pending operation
    (``checkpoint`` and ``wait_hint``, in seconds).
    """

    state: ServiceState | int
    pid: int
    service_type: ServiceType
    controls_accepted: ServiceControlsAccepted
    exit_code: int
    service_exit_code: int
    checkpoint: int
    wait_hint: float

    @classmethod
    def _from(cls, status: Any, pid: int | None = None) -> ServiceStatus:
        """From a SERVICE_STATUS_PROCESS, or a SERVICE_STATUS with the *pid* given."""
        return cls(
            _state(status.dwCurrentState),
            int(status.dwProcessId) if pid is None else pid,
            ServiceType(status.dwServiceType),
            ServiceControlsAccepted(status.dwControlsAccepted),
            int(status.dwWin32ExitCode),
            int(status.dwServiceSpecificExitCode),
            int(status.dwCheckPoint),
            status.dwWaitHint / 1000,
        )


@dataclass(frozen=True)
class ServiceConfig:
    """A service's configuration, as ``QueryServiceConfigW`` reports it.

    *account* is the account the service runs as ("LocalSystem",
    "NT AUTHORITY\\LocalService", ".\\user"); *dependencies* lists the
    services and groups (a group's name starts with "+") that must run first.
    """

    service_type: ServiceType
    start_type: ServiceStartType | int
    error_control: ServiceErrorControl | int
    binary_path: str
    load_order_group: str
    tag_id: int
    dependencies: tuple[str, ...]
    account: str
    display_name: str


def _wide(pointer: CData) -> str:
    return "" if pointer == ffi.NULL else str(ffi.string(pointer))


def _multi_string(pointer: CData) -> tuple[str, ...]:
    """The strings of a REG_MULTI_SZ-style list: NUL-separated, ended by an empty string."""
    found: list[str] = []
    if pointer == ffi.NULL:
        return ()
    offset = 0
    while True:
        item = str(ffi.string(pointer + offset))
        if not item:
            return tuple(found)
        found.append(item)
        offset += len(item) + 1


def _enum_or_int(value: int, enum_type: Any) -> Any:
    try:
        return enum_type(value)
    except ValueError:
        return value


#: The right each ControlService code needs ("ControlService": PAUSE_CONTINUE for the others).
_CONTROL_RIGHTS: Final = {
    ServiceControl.STOP: ServiceAccess.STOP,
    ServiceControl.INTERROGATE: ServiceAccess.INTERROGATE,
}


def _access_denied_hint(exc: OSError, needs: str) -> OSError:
    """*exc*, with the right the call needed named, when it is an access-denied error."""
    if getattr(exc, "winerror", None) == WinError.ACCESS_DENIED:
        exc.strerror = f"{exc.strerror} ({needs})"
    return exc


def _fail(function: str, needs: str, filename: str | None = None) -> NoReturn:
    """Raise the last error of *function*, naming the right it needed if it was access denied."""
    raise _access_denied_hint(winerror_exception(function, filename=filename), needs)


@dataclass(frozen=True)
class ServiceEntry:
    """One service as :meth:`ServiceManager.services` lists it."""

    name: str
    display_name: str
    status: ServiceStatus

    @property
    def state(self) -> ServiceState | int:
        """The service's state when it was listed."""
        return self.status.state


def _state(value: int) -> ServiceState | int:
    try:
        return ServiceState(value)
    except ValueError:
        return value


class _ScHandle(Win32Handle):
    """A handle closed by ``CloseServiceHandle``."""

    __slots__ = ()
    _destroyer_name: ClassVar[str] = "CloseServiceHandle"

    @staticmethod
    def _destroy(value: int, /, _close: Callable[[int], int] = advapi32.CloseServiceHandle) -> int:
        return _close(value)


class ServiceManager(_ScHandle):
    """A connection to the service control manager (``OpenSCManagerW``).

    >>> with ServiceManager.open() as manager:
    ...     running = [s.name for s in manager.services() if s.state == ServiceState.RUNNING]
    """

    catalogue: ClassVar[Entry] = Entry(
        row="(advapi32) services",
        creators=(("OpenSCManagerW", "NULL"),),
        destroyer="`CloseServiceHandle`",
        ownership="owned",
        wine="tested; Wine ignores the machine name",
    )

    __slots__ = ()

    @classmethod
    def open(
        cls,
        *,
        machine: str | None = None,
        database: str | None = None,
        access: int = ServiceManagerAccess.CONNECT | ServiceManagerAccess.ENUMERATE_SERVICE,
    ) -> Self:
        """Connect to the service control manager of *machine* (default: this one).

        The default access serves :meth:`services` and :meth:`open_service`.
        """
        machine = object_name(machine, "machine")
        database = object_name(database, "database")
        mask = access_mask(access, ServiceManagerAccess)
        native_machine = ffi.NULL if machine is None else machine
        native_database = ffi.NULL if database is None else database
        call = lambda: advapi32.OpenSCManagerW(native_machine, native_database, mask)  # noqa: E731
        return cls._adopt("OpenSCManagerW", call, filename=machine)[0]

    def open_service(self, name: str, *, access: int = ServiceAccess.QUERY_STATUS) -> Service:
        """Open a service by name; by default with the right :meth:`Service.status` needs.

        A service that does not exist raises ``OSError`` with ``winerror`` 1060
        (``ERROR_SERVICE_DOES_NOT_EXIST``).
        """
        checked = object_name(name, optional=False)
        if not checked:
            raise ValueError("open_service() needs a service name")
        mask = access_mask(access, ServiceAccess)
        call = lambda: self._call(advapi32.OpenServiceW, checked, mask)  # noqa: E731
        return Service._adopt("OpenServiceW", call, filename=checked)[0]

    def create_service(
        self,
        name: str,
        binary_path: str,
        *,
        display_name: str | None = None,
        service_type: int = ServiceType.WIN32_OWN_PROCESS,
        start_type: ServiceStartType = ServiceStartType.DEMAND,
        error_control: ServiceErrorControl = ServiceErrorControl.NORMAL,
        dependencies: Iterable[str] = (),
        account: str | None = None,
        password: str | None = None,
        access: int = ServiceAccess.ALL_ACCESS,
    ) -> Service:
        """Install a service and return a handle to it (``CreateServiceW``).

        *binary_path* is the command line the service control manager runs,
        quoted as a command line is (``'"C:\\Program Files\\x\\svc.exe" --flag'``);
        the program must be a service (it calls ``StartServiceCtrlDispatcherW``),
        or starting it fails with 1053 (``ERROR_SERVICE_REQUEST_TIMEOUT``).
        *account* None runs it as LocalSystem. The handle has *access*
        (default all rights: the creator usually starts, stops and deletes it).
        Needs ``ServiceManagerAccess.CREATE_SERVICE`` on the manager, which
        an administrator has; a name in use raises 1073 (``ERROR_SERVICE_EXISTS``).
        The service stays installed after the handle is closed, until :meth:`Service.delete`.
        """
        checked = object_name(name, "name", optional=False)
        if not checked:
            raise ValueError("create_service() needs a service name")
        command = text(binary_path, "binary_path", empty=False)
        shown = object_name(display_name, "display_name")
        kinds = flag_bits(
            service_type, int(ServiceType.ALL), "service_type", flags="ServiceType", nonzero=True
        )
        start = member(start_type, ServiceStartType, "start_type")
        errors = member(error_control, ServiceErrorControl, "error_control")
        needed = str_sequence(dependencies, "dependencies")
        if any(not item for item in needed):
            raise ValueError("dependencies must not contain an empty name (it would end the list early)")
        run_as = object_name(account, "account")
        secret = None if password is None else text(password, "password")
        mask = access_mask(access, ServiceAccess)
        # A list of NUL-terminated names ended by an empty one; cffi adds the final NUL.
        listed = "".join(f"{item}\0" for item in needed)
        native_dependencies = ffi.new("WCHAR[]", listed) if needed else ffi.NULL

        def call() -> int:
            return self._call(
                advapi32.CreateServiceW,
                checked,
                ffi.NULL if shown is None else shown,
                mask,
                kinds,
                start,
                errors,
                command,
                ffi.NULL,
                ffi.NULL,
                native_dependencies,
                ffi.NULL if run_as is None else run_as,
                ffi.NULL if secret is None else secret,
            )

        try:
            return Service._adopt("CreateServiceW", call, filename=checked)[0]
        except OSError as exc:
            raise _access_denied_hint(
                exc, "needs ServiceManagerAccess.CREATE_SERVICE on the manager, and an administrator"
            ) from None

    def services(
        self,
        *,
        service_type: int = ServiceType.WIN32,
        state: ServiceStateFilter = ServiceStateFilter.ALL,
    ) -> list[ServiceEntry]:
        """Every service of *service_type* in *state* (``EnumServicesStatusExW``).

        Needs ``ServiceManagerAccess.ENUMERATE_SERVICE``.
        """
        kinds = flag_bits(
            service_type, int(ServiceType.ALL), "service_type", flags="ServiceType", nonzero=True
        )
        state = member(state, ServiceStateFilter, "state")
        needed = ffi.new("DWORD *")
        returned = ffi.new("DWORD *")
        resume = ffi.new("DWORD *")
        size = _ENUM_BUFFER
        found: list[ServiceEntry] = []
        while True:
            buffer = ffi.new("BYTE[]", size)
            ok = self._call(
                advapi32.EnumServicesStatusExW,
                SC_ENUM_PROCESS_INFO,
                kinds,
                state,
                buffer,
                size,
                needed,
                returned,
                resume,
                ffi.NULL,
            )
            error = last_error()
            if not ok and error != WinError.MORE_DATA:
                raise_winerror("EnumServicesStatusExW", error)
            entries: Any = ffi.cast("ENUM_SERVICE_STATUS_PROCESSW *", buffer)
            found.extend(
                ServiceEntry(
                    str(ffi.string(entries[i].lpServiceName)),
                    str(ffi.string(entries[i].lpDisplayName)),
                    ServiceStatus._from(entries[i].ServiceStatusProcess),
                )
                for i in range(returned[0])
            )
            if ok:
                return found
            if returned[0] == 0 and int(needed[0]) <= size:  # no progress and nothing bigger asked
                raise_winerror("EnumServicesStatusExW", error)
            # The next entry needs this much; resume from it (256 KiB is the documented maximum).
            size = min(max(size, int(needed[0])), _ENUM_BUFFER_MAX)


class Service(_ScHandle):
    """A service, opened through a :class:`ServiceManager` (``OpenServiceW``).

    It does not keep the manager alive: a service handle stays valid after the
    manager handle it came from is closed, and is closed on its own.
    """

    catalogue: ClassVar[Entry] = Entry(
        row="(advapi32) services",
        creators=(("OpenServiceW", "NULL"), ("CreateServiceW", "NULL")),
        destroyer="`CloseServiceHandle`",
        ownership="owned",
        wine="tested, with a Windows Python program as the service",
    )

    __slots__ = ()

    def status(self) -> ServiceStatus:
        """The service's current state, process id, type and last report (``QueryServiceStatusEx``).

        Needs ``ServiceAccess.QUERY_STATUS``.
        """
        status = ffi.new("SERVICE_STATUS_PROCESS *")
        needed = ffi.new("DWORD *")
        buffer = ffi.cast("BYTE *", status)
        size = ffi.sizeof("SERVICE_STATUS_PROCESS")
        ok = self._call(advapi32.QueryServiceStatusEx, SC_STATUS_PROCESS_INFO, buffer, size, needed)
        if not ok:
            _fail("QueryServiceStatusEx", "needs ServiceAccess.QUERY_STATUS")
        return ServiceStatus._from(status)

    def start(self, *arguments: str) -> None:
        """Start the service (``StartServiceW``), passing *arguments* to its ``ServiceMain``.

        Returns once the service's process runs its main function; the
        service may still be ``START_PENDING``: :meth:`wait_for`
        ``(ServiceState.RUNNING)`` waits until it reports running. A running
        service raises 1056 (``ERROR_SERVICE_ALREADY_RUNNING``), a disabled one
        1058, a program that is not a service 1053. Needs ``ServiceAccess.START``.
        """
        values = [text(value, "each argument") for value in arguments]
        keep = [ffi.new("WCHAR[]", value) for value in values]  # alive for the call
        vector = ffi.new("WCHAR *[]", keep) if keep else ffi.NULL
        if not self._call(advapi32.StartServiceW, len(keep), vector):
            _fail("StartServiceW", "needs ServiceAccess.START")

    def stop(self) -> ServiceStatus:
        """Ask the service to stop (``SERVICE_CONTROL_STOP``); return the status it reported.

        The state is usually ``STOP_PENDING`` at first: :meth:`wait_for`
        ``(ServiceState.STOPPED)`` waits for the end. A stopped service raises
        1062 (``ERROR_SERVICE_NOT_ACTIVE``). Needs ``ServiceAccess.STOP``.
        """
        return self.control(ServiceControl.STOP)

    def pause(self) -> ServiceStatus:
        """Ask the service to pause (``SERVICE_CONTROL_PAUSE``); needs ``ServiceAccess.PAUSE_CONTINUE``.

        A service that does not accept it (``ServiceControlsAccepted.PAUSE_CONTINUE``
        not in its status) raises 1052 (``ERROR_INVALID_SERVICE_CONTROL``).
        """
        return self.control(ServiceControl.PAUSE)

    def resume(self) -> ServiceStatus:
        """Ask a paused service to continue (``SERVICE_CONTROL_CONTINUE``); see :meth:`pause`."""
        return self.control(ServiceControl.CONTINUE)

    def control(self, code: int) -> ServiceStatus:
        """Send the control *code* (``ControlService``) and return the status the service reported.

        *code* is a :class:`ServiceControl` or a user-defined code from 128
        to 255, which the service interprets itself. The right needed depends
        on the code: ``STOP``, ``INTERROGATE``, ``USER_DEFINED_CONTROL`` for
        128-255, and ``PAUSE_CONTINUE`` for the rest (``ServiceAccess``).
        ``SERVICE_STATUS`` carries no process id: the status's ``pid`` is read
        with :meth:`status` after the call, and is 0 if the handle lacks
        ``QUERY_STATUS``. A code the service does not accept raises 1052
        (``ERROR_INVALID_SERVICE_CONTROL``), a stopped service 1062.
        """
        user_defined = isinstance(code, int) and not isinstance(code, bool)
        if user_defined and USER_CONTROL_MIN <= code <= USER_CONTROL_MAX:
            control, shown, needs = int(code), str(code), ServiceAccess.USER_DEFINED_CONTROL
        else:
            try:
                named = member(code, ServiceControl, "code")
            except ValueError:
                raise ValueError(
                    f"code must be a ServiceControl or a user-defined code from {USER_CONTROL_MIN} "
                    f"to {USER_CONTROL_MAX}, not {code!r}"
                ) from None
            needs = _CONTROL_RIGHTS.get(named, ServiceAccess.PAUSE_CONTINUE)
            control, shown = int(named), named.name
        status = ffi.new("SERVICE_STATUS *")
        # The code by name in the message: "ControlService(PAUSE)", "ControlService(200)".
        if not self._call(advapi32.ControlService, control, status):
            _fail(f"ControlService({shown})", f"needs ServiceAccess.{needs.name}")
        # SERVICE_STATUS has no process id: ask for it, when the handle may.
        return self._status_after(status)

    def _status_after(self, status: Any) -> ServiceStatus:
        """The status ControlService returned, with the process id (SERVICE_STATUS lacks it) if readable."""
        try:
            pid = self.status().pid
        except PermissionError:
            pid = 0
        return ServiceStatus._from(status, pid=pid)

    def wait_for(self, state: ServiceState, timeout: float | None = 30.0) -> ServiceStatus:
        """Poll the status until the service is in *state*; return that status.

        Polls at a tenth of the wait hint the service reports, between 50 ms
        and 1 s. A service still elsewhere after *timeout* seconds (``None``:
        forever) raises ``TimeoutError`` naming both states; a service that
        stops with an error while *state* is not ``STOPPED`` raises its
        ``OSError`` at once. Needs ``ServiceAccess.QUERY_STATUS``.
        """
        wanted = member(state, ServiceState, "state")
        limit = milliseconds(timeout)
        deadline = None if limit == INFINITE else time.monotonic() + limit / 1000
        while True:
            current = self.status()
            if current.state == wanted:
                return current
            failed = current.exit_code not in (0, WinError.SERVICE_NEVER_STARTED)
            if current.state == ServiceState.STOPPED and failed:
                exc = winerror_exception(
                    f"the service stopped while waiting for {wanted.name}", current.exit_code
                )
                raise exc
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                raise TimeoutError(  # states print by name: "the service is STOPPED, not RUNNING"
                    f"the service is {current.state}, not {wanted}, after {timeout} s "
                    f"(checkpoint {current.checkpoint}, wait hint {current.wait_hint} s)"
                )
            pause = min(max(current.wait_hint / 10, _POLL_MIN), _POLL_MAX)
            if deadline is not None:
                pause = min(pause, max(deadline - now, 0.0))
            time.sleep(pause)

    def config(self) -> ServiceConfig:
        """The service's configuration (``QueryServiceConfigW``); needs ``ServiceAccess.QUERY_CONFIG``."""
        needed = ffi.new("DWORD *")

        def attempt(size: int) -> ServiceConfig | Grow:
            buffer = ffi.new("BYTE[]", size)
            config: Any = ffi.cast("QUERY_SERVICE_CONFIGW *", buffer)
            if self._call(advapi32.QueryServiceConfigW, config, size, needed):
                return ServiceConfig(
                    ServiceType(config.dwServiceType),
                    _enum_or_int(config.dwStartType, ServiceStartType),
                    _enum_or_int(config.dwErrorControl, ServiceErrorControl),
                    _wide(config.lpBinaryPathName),
                    _wide(config.lpLoadOrderGroup),
                    int(config.dwTagId),
                    _multi_string(config.lpDependencies),
                    _wide(config.lpServiceStartName),
                    _wide(config.lpDisplayName),
                )
            error = last_error()
            if error == WinError.INSUFFICIENT_BUFFER:
                return Grow(int(needed[0]))
            raise _access_denied_hint(
                winerror_exception("QueryServiceConfigW", error), "needs ServiceAccess.QUERY_CONFIG"
            )

        return grow_until_it_fits("QueryServiceConfigW", attempt, _CONFIG_BUFFER)

    def delete(self) -> None:
        """Mark the service for deletion (``DeleteService``); needs ``ServiceAccess.DELETE``.

        The service is removed once it has stopped and every handle to it is
        closed (this one too); until then it can still be stopped and
        queried, a second delete raises 1072
        (``ERROR_SERVICE_MARKED_FOR_DELETE``), and creating one of the same
        name fails.
        """
        if not self._call(advapi32.DeleteService):
            _fail("DeleteService", "needs ServiceAccess.DELETE")

    @property
    def state(self) -> ServiceState | int:
        """The service's current state."""
        return self.status().state
