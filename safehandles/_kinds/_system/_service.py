"""The service control manager: OpenSCManagerW / OpenServiceW, closed by CloseServiceHandle.

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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from typing_extensions import Self

from ..._bindings._advapi32._services import (
    SC_ENUM_PROCESS_INFO,
    SC_STATUS_PROCESS_INFO,
    ServiceAccess,
    ServiceManagerAccess,
    ServiceState,
    ServiceStateFilter,
    ServiceType,
)
from ..._bindings._constants import WinError
from ..._bindings._errors import check_bool, last_error, raise_winerror
from ..._bindings._native import advapi32, ffi
from ..._win32._arguments import access_mask, flag_bits, member, object_name
from ..._win32._catalogue import Entry
from ..._win32._handles import Win32Handle

__all__ = ["Service", "ServiceEntry", "ServiceManager", "ServiceStatus"]

_ENUM_BUFFER = 64 * 1024
_ENUM_BUFFER_MAX = 256 * 1024  # EnumServicesStatusExW accepts at most 256 KiB per call


@dataclass(frozen=True)
class ServiceStatus:
    """A service's state, the id of the process it runs in (0 when stopped), and its type."""

    state: ServiceState | int
    pid: int
    service_type: ServiceType

    @classmethod
    def _from(cls, status: Any) -> ServiceStatus:
        return cls(_state(status.dwCurrentState), int(status.dwProcessId), ServiceType(status.dwServiceType))


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

    catalogue = Entry(
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

    catalogue = Entry(
        row="(advapi32) services",
        creators=(("OpenServiceW", "NULL"),),
        destroyer="`CloseServiceHandle`",
        ownership="owned",
    )

    __slots__ = ()

    def status(self) -> ServiceStatus:
        """The service's current state, process id and type (``QueryServiceStatusEx``)."""
        status = ffi.new("SERVICE_STATUS_PROCESS *")
        needed = ffi.new("DWORD *")
        buffer = ffi.cast("BYTE *", status)
        size = ffi.sizeof("SERVICE_STATUS_PROCESS")
        ok = self._call(advapi32.QueryServiceStatusEx, SC_STATUS_PROCESS_INFO, buffer, size, needed)
        check_bool(ok, "QueryServiceStatusEx")
        return ServiceStatus._from(status)

    @property
    def state(self) -> ServiceState | int:
        """The service's current state."""
        return self.status().state
