"""The service control manager against the real OS: OpenSCManagerW / OpenServiceW, closed by
CloseServiceHandle.

SC_HANDLEs are not in the handle table; the evidence that one is open (or gone) is
the service control manager's own answer to a call with the raw value: a closed
handle gets ERROR_INVALID_HANDLE.
"""

from __future__ import annotations

import gc
import itertools
import math
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
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


# -- creating, controlling and deleting a service of our own ------------------------------
#
# Wine's services.exe runs real services: the service here is the Windows Python running
# examples/service_program/tiny_service.py, which reports RUNNING, obeys stop, pause and
# continue, and writes a line to a file when it receives the user-defined control 200.

TINY_SERVICE = Path(__file__).resolve().parent.parent / "examples" / "service_program" / "tiny_service.py"
_names = itertools.count()
MANAGE = sh.ServiceManagerAccess.CONNECT | sh.ServiceManagerAccess.CREATE_SERVICE


def _unique_name() -> str:
    return f"safehandles-test-{os.getpid()}-{next(_names)}"


def _command_line(name: str, report: Path) -> str:
    return f'"{sys.executable}" "{TINY_SERVICE}" {name} "{report}"'


@pytest.fixture
def tiny(tmp_path: Path) -> Iterator[tuple[sh.Service, str, Path]]:
    """A new demand-start service (all access), stopped and deleted afterwards."""
    name = _unique_name()
    report = tmp_path / "controls.txt"
    with sh.ServiceManager.open(access=MANAGE) as manager:
        service = manager.create_service(name, _command_line(name, report), display_name=f"Test {name}")
    with service:
        try:
            yield service, name, report
        finally:
            if service.status().state is not sh.ServiceState.STOPPED:
                service.stop()
                service.wait_for(sh.ServiceState.STOPPED, timeout=20)
            service.delete()


def _service_exists(name: str) -> bool:
    with sh.ServiceManager.open() as manager:
        try:
            manager.open_service(name).close()
        except OSError as exc:
            if probes.winerror(exc) != 1060:  # anything but ERROR_SERVICE_DOES_NOT_EXIST is a failure
                raise
            return False
    return True


def test_created_service_is_installed_and_its_handle_open_until_closed(
    tiny: tuple[sh.Service, str, Path],
) -> None:
    service, name, _ = tiny
    assert _service_is_open(service.dangerous_get_handle())
    assert _service_exists(name)
    with sh.ServiceManager.open() as manager:
        listed = {entry.name: entry for entry in manager.services()}
    assert listed[name].display_name == f"Test {name}"
    assert listed[name].state is sh.ServiceState.STOPPED


def test_created_service_handle_is_closed_by_its_finalizer() -> None:
    name = _unique_name()
    with sh.ServiceManager.open(access=MANAGE) as manager:
        service = manager.create_service(name, "unused.exe")
    service.delete()
    value = service.dangerous_get_handle()
    with pytest.warns(ResourceWarning):
        del service
        gc.collect()
    assert not _service_is_open(value)
    assert not _service_exists(name)  # marked for deletion, and the last handle is gone


def test_config_reports_what_create_service_was_given(tiny: tuple[sh.Service, str, Path]) -> None:
    service, name, report = tiny
    config = service.config()
    assert config.binary_path == _command_line(name, report)
    assert config.display_name == f"Test {name}"
    assert config.service_type is sh.ServiceType.WIN32_OWN_PROCESS
    assert config.start_type is sh.ServiceStartType.DEMAND
    assert config.error_control is sh.ServiceErrorControl.NORMAL
    assert config.account == "LocalSystem"
    assert config.dependencies == ()


def test_create_service_with_every_option_round_trips_through_config() -> None:
    name = _unique_name()
    with sh.ServiceManager.open(access=MANAGE) as manager:
        service = manager.create_service(
            name,
            r'"C:\no such\program.exe" --flag',
            start_type=sh.ServiceStartType.DISABLED,
            error_control=sh.ServiceErrorControl.IGNORE,
            access=sh.ServiceAccess.QUERY_CONFIG | sh.ServiceAccess.DELETE,
        )
    with service:
        try:
            config = service.config()
            assert config.binary_path == r'"C:\no such\program.exe" --flag'
            assert config.start_type is sh.ServiceStartType.DISABLED
            assert config.error_control is sh.ServiceErrorControl.IGNORE
            with pytest.raises(PermissionError, match=r"ServiceAccess\.QUERY_STATUS"):
                service.status()
        finally:
            service.delete()


@pytest.mark.wine_differs("QueryServiceConfigW reports no dependencies, though CreateServiceW stored them")
def test_dependencies_round_trip_through_config() -> None:
    name = _unique_name()
    with sh.ServiceManager.open(access=MANAGE) as manager:
        service = manager.create_service(name, "unused.exe", dependencies=["RpcSs", "+NetworkProvider"])
    with service:
        try:
            assert service.config().dependencies == ("RpcSs", "+NetworkProvider")
        finally:
            service.delete()


def test_dependencies_are_stored_as_a_list_of_names() -> None:
    import winreg  # Windows only, and only this test reads the registry

    name = _unique_name()
    with sh.ServiceManager.open(access=MANAGE) as manager:
        service = manager.create_service(name, "unused.exe", dependencies=["RpcSs", "+NetworkProvider"])
    with service:
        try:
            key_name = rf"System\CurrentControlSet\Services\{name}"
            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, key_name) as key:  # type: ignore[attr-defined,unused-ignore]
                assert winreg.QueryValueEx(key, "DependOnService")[0] == ["RpcSs"]  # type: ignore[attr-defined,unused-ignore]
                assert winreg.QueryValueEx(key, "DependOnGroup")[0] == ["NetworkProvider"]  # type: ignore[attr-defined,unused-ignore]
        finally:
            service.delete()


def test_start_pause_resume_and_stop_a_real_service(tiny: tuple[sh.Service, str, Path]) -> None:
    service, _, _ = tiny
    assert service.status().exit_code == 1077  # ERROR_SERVICE_NEVER_STARTED
    service.start("an", "argument")
    running = service.wait_for(sh.ServiceState.RUNNING, timeout=20)
    assert running.pid > 0
    with sh.Process.open(running.pid, access=sh.ProcessAccess.SYNCHRONIZE) as process:  # a real process
        assert running.controls_accepted == (
            sh.ServiceControlsAccepted.STOP | sh.ServiceControlsAccepted.PAUSE_CONTINUE
        )
        assert service.pause().state in (sh.ServiceState.PAUSE_PENDING, sh.ServiceState.PAUSED)
        assert service.wait_for(sh.ServiceState.PAUSED, timeout=10).pid == running.pid
        assert service.resume().state in (sh.ServiceState.CONTINUE_PENDING, sh.ServiceState.RUNNING)
        service.wait_for(sh.ServiceState.RUNNING, timeout=10)
        assert service.control(sh.ServiceControl.INTERROGATE).state is sh.ServiceState.RUNNING
        assert service.stop().state in (sh.ServiceState.STOP_PENDING, sh.ServiceState.STOPPED)
        stopped = service.wait_for(sh.ServiceState.STOPPED, timeout=20)
        assert (stopped.pid, stopped.exit_code) == (0, 0)
        assert process.wait(timeout=20)  # the service's process has ended


def test_a_user_defined_control_reaches_the_service(tiny: tuple[sh.Service, str, Path]) -> None:
    service, _, report = tiny
    service.start()
    service.wait_for(sh.ServiceState.RUNNING, timeout=20)
    assert service.control(200).state is sh.ServiceState.RUNNING
    deadline = time.monotonic() + 10
    while not (report.exists() and report.read_text(encoding="utf-8")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert report.read_text(encoding="utf-8") == "control 200\n"


def test_start_twice_and_stop_twice_are_errors_named_by_code(tiny: tuple[sh.Service, str, Path]) -> None:
    service, _, _ = tiny
    with pytest.raises(OSError, match=r"ControlService\(STOP\)") as caught:
        service.stop()
    assert probes.winerror(caught.value) == 1062  # ERROR_SERVICE_NOT_ACTIVE
    service.start()
    service.wait_for(sh.ServiceState.RUNNING, timeout=20)
    with pytest.raises(OSError, match="StartServiceW") as caught:
        service.start()
    assert probes.winerror(caught.value) == 1056  # ERROR_SERVICE_ALREADY_RUNNING


def test_wait_for_times_out_naming_both_states(tiny: tuple[sh.Service, str, Path]) -> None:
    service, _, _ = tiny
    started = time.monotonic()
    with pytest.raises(TimeoutError, match="STOPPED, not RUNNING"):
        service.wait_for(sh.ServiceState.RUNNING, timeout=0.3)
    assert 0.25 <= time.monotonic() - started < 5
    assert service.wait_for(sh.ServiceState.STOPPED, timeout=0).state is sh.ServiceState.STOPPED


def test_wait_for_raises_the_error_a_failed_service_stopped_with(tiny: tuple[sh.Service, str, Path]) -> None:
    service, _, _ = tiny
    service.start("fail")  # the service runs for half a second, then stops with its own exit code 42
    with pytest.raises(OSError, match="stopped while waiting for PAUSED") as caught:
        service.wait_for(sh.ServiceState.PAUSED, timeout=20)
    assert probes.winerror(caught.value) == 1066  # ERROR_SERVICE_SPECIFIC_ERROR
    stopped = service.wait_for(sh.ServiceState.STOPPED, timeout=20)
    assert (stopped.exit_code, stopped.service_exit_code) == (1066, 42)


def test_a_program_that_is_not_a_service_stops_with_an_error() -> None:
    # The program exits at once without connecting to the service control manager.
    name = _unique_name()
    with sh.ServiceManager.open(access=MANAGE) as manager:
        service = manager.create_service(name, f'"{sys.executable}" -c "pass"')
    with service:
        try:
            with pytest.raises(OSError, match="StartServiceW") as caught:
                service.start()
            assert probes.winerror(caught.value) in {1053, 1067}  # request timeout / process terminated
        finally:
            service.delete()


def test_delete_marks_the_service_and_removes_it_when_closed() -> None:
    name = _unique_name()
    with sh.ServiceManager.open(access=MANAGE) as manager:
        service = manager.create_service(name, "unused.exe")
        with pytest.raises(OSError, match="CreateServiceW") as caught:
            manager.create_service(name, "unused.exe").close()
        assert probes.winerror(caught.value) == 1073  # ERROR_SERVICE_EXISTS
    with service:
        service.delete()
        with pytest.raises(OSError, match="DeleteService") as caught:
            service.delete()
        assert probes.winerror(caught.value) == 1072  # ERROR_SERVICE_MARKED_FOR_DELETE
    assert not _service_exists(name)


def test_each_operation_names_the_right_it_lacks(tiny: tuple[sh.Service, str, Path]) -> None:
    _, name, _ = tiny
    with sh.ServiceManager.open() as manager:
        with pytest.raises(PermissionError, match=r"ServiceManagerAccess\.CREATE_SERVICE"):
            manager.create_service(_unique_name(), "unused.exe")
        with manager.open_service(name, access=sh.ServiceAccess.QUERY_STATUS) as service:
            calls: list[tuple[Callable[[], object], str]] = [
                (service.start, "START"),
                (service.stop, "STOP"),
                (service.pause, "PAUSE_CONTINUE"),
                (lambda: service.control(200), "USER_DEFINED_CONTROL"),
                (service.config, "QUERY_CONFIG"),
                (service.delete, "DELETE"),
            ]
            for call, right in calls:
                with pytest.raises(PermissionError, match=rf"ServiceAccess\.{right}\b"):
                    call()
    assert _service_exists(name)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda m: m.create_service("", "x.exe"), ValueError),
        (lambda m: m.create_service("a\0b", "x.exe"), ValueError),
        (lambda m: m.create_service("x", ""), ValueError),
        (lambda m: m.create_service("x", None), TypeError),
        (lambda m: m.create_service("x", "x.exe", start_type=9), ValueError),
        (lambda m: m.create_service("x", "x.exe", error_control=7), ValueError),
        (lambda m: m.create_service("x", "x.exe", service_type=0), ValueError),
        (lambda m: m.create_service("x", "x.exe", dependencies="RpcSs"), TypeError),
        (lambda m: m.create_service("x", "x.exe", dependencies=[""]), ValueError),
        (lambda m: m.create_service("x", "x.exe", account="a\0"), ValueError),
        (lambda m: m.create_service("x", "x.exe", password=1), TypeError),
        (lambda m: m.create_service("x", "x.exe", access=0x4000_0000_0), ValueError),
    ],
)
def test_bad_create_arguments_raise_before_any_native_call(call: Any, error: type[Exception]) -> None:
    with sh.ServiceManager.open() as manager, pytest.raises(error):  # no CREATE_SERVICE: no call was made
        call(manager)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda s: s.control(5000), ValueError),
        (lambda s: s.control(0), ValueError),
        (lambda s: s.control(True), TypeError),
        (lambda s: s.control("stop"), TypeError),
        (lambda s: s.start(1), TypeError),
        (lambda s: s.start("a\0"), ValueError),
        (lambda s: s.wait_for(9), ValueError),
        (lambda s: s.wait_for(sh.ServiceState.RUNNING, timeout=-1), ValueError),
        (lambda s: s.wait_for(sh.ServiceState.RUNNING, timeout=math.nan), ValueError),
    ],
)
def test_bad_control_arguments_raise_before_any_native_call(call: Any, error: type[Exception]) -> None:
    with (
        sh.ServiceManager.open() as manager,
        manager.open_service(EXISTING_SERVICE, access=0) as service,  # no right: a call would be denied
        pytest.raises(error),
    ):
        call(service)


def test_closed_service_raises_object_disposed() -> None:
    with sh.ServiceManager.open() as manager:
        service = manager.open_service(EXISTING_SERVICE)
    service.close()
    calls: tuple[Callable[[], object], ...] = (service.start, service.stop, service.config, service.delete)
    for call in calls:
        with pytest.raises(sh.ObjectDisposedError):
            call()
    with pytest.raises(sh.ObjectDisposedError):
        service.wait_for(sh.ServiceState.RUNNING, timeout=0)


def test_states_and_start_types_print_by_name() -> None:
    assert str(sh.ServiceState.RUNNING) == "RUNNING"
    assert f"{sh.ServiceStartType.DEMAND}" == "DEMAND"
    assert f"{sh.ServiceErrorControl.NORMAL}" == "NORMAL"
    assert int(sh.ServiceState.RUNNING) == 4
