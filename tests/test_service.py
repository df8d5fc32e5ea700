"""The service control manager against the real OS: OpenSCManagerW / OpenServiceW, closed by
CloseServiceHandle.

SC_HANDLEs are not in the handle table; the evidence that one is open (or gone) is
the service control manager's own answer to a call with the raw value: a closed
handle gets ERROR_INVALID_HANDLE.
"""

from __future__ import annotations

import gc
from typing import Any

import pytest

import safehandles as sh
from safehandles._bindings._errors import last_error
from safehandles._bindings._native import advapi32, ffi
from tests import probes

pytestmark = pytest.mark.windows

EXISTING_SERVICE = "RpcSs"  # exists on every Windows and in Wine's registry (Wine starts it on demand)


def _a_running_service() -> sh.ServiceEntry:
    with sh.ServiceManager.open() as manager:
        running = manager.services(state=sh.ServiceStateFilter.ACTIVE)
    running = [entry for entry in running if entry.state is sh.ServiceState.RUNNING]
    assert running, "no service is running"
    return running[0]


def _manager_is_open(value: int) -> bool:
    """Ask the SCM whether *value* is a live manager handle (EnumServicesStatusExW with no buffer)."""
    needed, returned, resume = ffi.new("DWORD *"), ffi.new("DWORD *"), ffi.new("DWORD *")
    ok = advapi32.EnumServicesStatusExW(value, 0, 0x30, 3, ffi.NULL, 0, needed, returned, resume, ffi.NULL)
    error = last_error()
    assert not ok
    assert error in (6, 234), error  # ERROR_INVALID_HANDLE, or ERROR_MORE_DATA for a live handle
    return error == 234


def _service_is_open(value: int) -> bool:
    status = ffi.new("SERVICE_STATUS_PROCESS *")
    needed = ffi.new("DWORD *")
    size = ffi.sizeof("SERVICE_STATUS_PROCESS")
    if advapi32.QueryServiceStatusEx(value, 0, ffi.cast("BYTE *", status), size, needed):
        return True
    assert last_error() == 6
    return False


def test_manager_is_open_until_closed() -> None:
    manager = sh.ServiceManager.open()
    value = manager.dangerous_get_handle()
    assert _manager_is_open(value)
    manager.close()
    assert not _manager_is_open(value)


def test_dropped_manager_and_service_are_closed_by_their_finalizers() -> None:
    manager = sh.ServiceManager.open()
    service = manager.open_service(EXISTING_SERVICE)
    values = manager.dangerous_get_handle(), service.dangerous_get_handle()
    with pytest.warns(ResourceWarning):
        del manager, service
        gc.collect()
    assert not _manager_is_open(values[0])
    assert not _service_is_open(values[1])


def test_service_is_closed_after_an_exception_in_its_with_block() -> None:
    with sh.ServiceManager.open() as manager:
        with pytest.raises(RuntimeError), manager.open_service(EXISTING_SERVICE) as service:
            value = service.dangerous_get_handle()
            assert _service_is_open(value)
            raise RuntimeError
        assert not _service_is_open(value)


def test_services_are_listed_with_names_and_states() -> None:
    with sh.ServiceManager.open() as manager:
        listed = {entry.name.lower(): entry for entry in manager.services()}
    assert listed[EXISTING_SERVICE.lower()].display_name
    assert all(isinstance(entry.state, sh.ServiceState) for entry in listed.values())
    running = [entry for entry in listed.values() if entry.state is sh.ServiceState.RUNNING]
    assert running
    assert all(entry.status.pid > 0 for entry in running)
    stopped = [entry for entry in listed.values() if entry.state is sh.ServiceState.STOPPED]
    assert all(entry.status.pid == 0 for entry in stopped)


def test_listing_resumes_when_the_buffer_is_small(monkeypatch: pytest.MonkeyPatch) -> None:
    from safehandles._kinds._system import _service

    with sh.ServiceManager.open() as manager:
        whole = {entry.name for entry in manager.services()}
        monkeypatch.setattr(_service, "_ENUM_BUFFER", 512)  # a few entries per call
        assert {entry.name for entry in manager.services()} == whole  # names: states may change
    assert len(whole) > 5


def test_running_filter_lists_only_running_services() -> None:
    with sh.ServiceManager.open() as manager:
        active = manager.services(state=sh.ServiceStateFilter.ACTIVE)
    assert active
    assert all(entry.state is not sh.ServiceState.STOPPED for entry in active)


def test_open_service_queries_its_status() -> None:
    listed = _a_running_service()
    with sh.ServiceManager.open() as manager, manager.open_service(listed.name) as service:
        status = service.status()
        assert status.state is sh.ServiceState.RUNNING
        assert service.state is sh.ServiceState.RUNNING
        assert status.pid == listed.status.pid
        assert status.service_type == listed.status.service_type


def test_service_handle_outlives_its_manager_handle() -> None:
    listed = _a_running_service()
    manager = sh.ServiceManager.open()
    with manager.open_service(listed.name) as service:
        manager.close()
        assert not _manager_is_open(manager.dangerous_get_handle())
        assert service.status().pid == listed.status.pid


def test_open_of_a_missing_service_fails_with_1060() -> None:
    with sh.ServiceManager.open() as manager, pytest.raises(OSError, match="OpenServiceW") as caught:
        manager.open_service("safehandles-no-such-service")
    assert probes.winerror(caught.value) == 1060  # ERROR_SERVICE_DOES_NOT_EXIST
    assert caught.value.filename == "safehandles-no-such-service"


def test_open_of_a_missing_database_fails() -> None:
    with pytest.raises(OSError, match="OpenSCManagerW") as caught:
        sh.ServiceManager.open(database="NoSuchDatabase")
    assert probes.winerror(caught.value) in {123, 1065}  # ERROR_INVALID_NAME / ERROR_DATABASE_DOES_NOT_EXIST


def test_status_needs_query_status_access() -> None:
    with sh.ServiceManager.open() as manager:
        service = manager.open_service(EXISTING_SERVICE, access=sh.ServiceAccess.QUERY_CONFIG)
        with service, pytest.raises(PermissionError, match="QueryServiceStatusEx"):
            service.status()


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda m: m.open_service(""), ValueError),
        (lambda m: m.open_service("bad\0name"), ValueError),
        (lambda m: m.open_service(1), TypeError),
        (lambda m: m.open_service("x", access=0x8000), ValueError),
        (lambda m: m.services(service_type=0x1000), ValueError),
        (lambda m: m.services(state=9), ValueError),
        (lambda m: sh.ServiceManager.open(access=0x4000), ValueError),
        (lambda m: sh.ServiceManager.open(machine="bad\0"), ValueError),
    ],
)
def test_bad_arguments_raise_before_any_native_call(call: Any, error: type[Exception]) -> None:
    with sh.ServiceManager.open() as manager, pytest.raises(error):
        call(manager)


def test_closed_manager_raises_object_disposed() -> None:
    manager = sh.ServiceManager.open()
    manager.close()
    with pytest.raises(sh.ObjectDisposedError):
        manager.open_service(EXISTING_SERVICE)
    with pytest.raises(sh.ObjectDisposedError):
        manager.services()
