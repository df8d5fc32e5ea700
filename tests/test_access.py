"""Access masks against the real OS: what Windows defines, what it grants, what is refused.

Each kind opens (or duplicates) with its ``ALL_ACCESS`` and the handle table
shows that exact mask granted (``NtQueryObject(ObjectBasicInformation)``),
with an operation that needs a right to prove it. Generic rights and
``MAXIMUM_ALLOWED`` go through to Windows, which maps them; the expected
mappings are the ones Wine's conformance tests check on Windows
(dlls/advapi32/tests/security.c). A mask with bits no right has, a negative
or wider-than-32-bit one, or a non-int, is refused before any native call.
"""

# ruff: noqa: E501 - the tables of kinds read best one row a line

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

import safehandles as sh
from tests import probes

pytestmark = pytest.mark.windows

HKCU = sh.RegistryKey.HKEY_CURRENT_USER
EXISTING_SERVICE = "RpcSs"  # as in test_service.py: on every Windows and in Wine's registry
NO_RIGHT = 0x0040_0000  # bit 22: winnt.h gives bits 21-23 of an ACCESS_MASK no meaning

H = TypeVar("H", bound=sh.KernelHandle)


@pytest.fixture
def name() -> str:
    return f"Local\\safehandles-test-{uuid.uuid4()}"


@pytest.fixture
def key_path() -> Iterator[str]:
    path = f"Software\\safehandles-test-{uuid.uuid4()}"
    HKCU.create(path).close()
    try:
        yield path
    finally:
        HKCU.delete_tree(path)


def _elevated() -> bool:
    with sh.AccessToken.open_process() as token:
        return token.elevated


def assert_granted(handle: sh.KernelHandle, type_name: str, expected: int) -> None:
    """The OS holds *handle* open, as a *type_name* object, with exactly *expected* access."""
    value = handle.dangerous_get_handle()
    assert probes.is_open(value)
    assert probes.type_name(value) == type_name
    assert probes.granted_access(value) == expected, f"{probes.granted_access(value):#x} != {expected:#x}"
    assert handle.granted_access == expected


def assert_closed_after(handle: sh.KernelHandle) -> None:
    value = handle.dangerous_get_handle()
    handle.close()
    assert not probes.is_open(value)


# -- each kind opens with its ALL_ACCESS -----------------------------------------------


def test_event_opens_with_all_access(name: str) -> None:
    with sh.Event.create(name=name) as event:
        opened = sh.Event.open(name, access=sh.EventAccess.ALL_ACCESS)
        assert_granted(opened, "Event", 0x1F_0003)
        opened.set()  # EVENT_MODIFY_STATE
        assert event.wait(0)
        assert_closed_after(opened)


def test_mutex_opens_with_all_access(name: str) -> None:
    with sh.Mutex.create(name=name) as mutex:
        opened = sh.Mutex.open(name, access=sh.MutexAccess.ALL_ACCESS)
        assert_granted(opened, "Mutant", 0x1F_0001)
        with opened.acquire(timeout=1):  # SYNCHRONIZE; leaving releases it: MUTEX_MODIFY_STATE
            pass
        with mutex.acquire(timeout=1):
            pass
        assert_closed_after(opened)


def test_semaphore_opens_with_all_access(name: str) -> None:
    with sh.Semaphore.create(0, 2, name=name) as semaphore:
        opened = sh.Semaphore.open(name, access=sh.SemaphoreAccess.ALL_ACCESS)
        assert_granted(opened, "Semaphore", 0x1F_0003)
        assert opened.release() == 0  # SEMAPHORE_MODIFY_STATE; the previous count
        assert semaphore.wait(0)
        assert_closed_after(opened)


def test_waitable_timer_opens_with_all_access(name: str) -> None:
    with sh.WaitableTimer.create(manual_reset=True, name=name) as timer:
        opened = sh.WaitableTimer.open(name, access=sh.TimerAccess.ALL_ACCESS)
        assert_granted(opened, "Timer", 0x1F_0003)
        opened.set(0.0)  # TIMER_MODIFY_STATE
        assert timer.wait(5)
        assert_closed_after(opened)


def test_process_opens_with_all_access() -> None:
    opened = sh.Process.open(os.getpid(), access=sh.ProcessAccess.ALL_ACCESS)
    assert_granted(opened, "Process", 0x1F_FFFF)
    assert opened.pid == os.getpid()  # PROCESS_QUERY_LIMITED_INFORMATION
    assert opened.exit_code is None
    assert not opened.wait(0)  # SYNCHRONIZE
    assert_closed_after(opened)


def test_thread_opens_with_all_access() -> None:
    opened = sh.Thread.open(threading.get_native_id(), access=sh.ThreadAccess.ALL_ACCESS)
    assert_granted(opened, "Thread", 0x1F_FFFF)
    assert opened.tid == threading.get_native_id()
    assert opened.exit_code is None
    assert_closed_after(opened)


def test_file_opens_with_all_access(tmp_path: Path) -> None:
    path = tmp_path / "all"
    opened = sh.File.open(
        path, access=sh.FileAccess.ALL_ACCESS, disposition=sh.CreationDisposition.CREATE_NEW
    )
    assert_granted(opened, "File", 0x1F_01FF)
    assert opened.write(b"abc") == 3  # FILE_WRITE_DATA
    opened.seek(0)
    assert opened.read() == b"abc"  # FILE_READ_DATA
    assert_closed_after(opened)
    assert path.read_bytes() == b"abc"


def test_file_mapping_opens_with_all_access(name: str) -> None:
    with sh.FileMapping.create(4096, name=name) as mapping, mapping.map() as original:
        opened = sh.FileMapping.open(name, access=sh.FileMapAccess.ALL_ACCESS)
        assert_granted(opened, "Section", 0xF_001F)
        with opened.map() as view:  # SECTION_MAP_READ | SECTION_MAP_WRITE
            assert view.writable
            view.write(0, b"seen")
        assert original.read(0, 4) == b"seen"
        assert_closed_after(opened)


def test_job_opens_with_all_access(name: str) -> None:
    with sh.Job.create(name=name):
        opened = sh.Job.open(name, access=sh.JobAccess.ALL_ACCESS)
        assert_granted(opened, "Job", 0x1F_003F)
        assert opened.accounting().active_processes == 0  # JOB_OBJECT_QUERY
        assert_closed_after(opened)


def test_registry_key_opens_with_all_access(key_path: str) -> None:
    opened = HKCU.open(key_path, access=sh.KeyAccess.ALL_ACCESS)
    assert_granted(opened, "Key", 0xF_003F)
    opened.set_value("n", 7)  # KEY_SET_VALUE
    assert opened.get_value("n").data == 7  # KEY_QUERY_VALUE
    assert_closed_after(opened)


def test_access_token_opens_with_all_access() -> None:
    opened = sh.AccessToken.open_process(access=sh.TokenAccess.ALL_ACCESS)
    assert_granted(opened, "Token", 0xF_01FF)
    assert opened.privileges()  # TOKEN_QUERY
    with opened.duplicate_token() as copy:  # TOKEN_DUPLICATE
        assert probes.type_name(copy.dangerous_get_handle()) == "Token"
    assert_closed_after(opened)


def test_service_manager_and_service_open_with_all_access() -> None:
    # Both ALL_ACCESS masks were accepted before as well: they have no bit beyond their members.
    # GENERIC_READ maps to SC_MANAGER_ENUMERATE_SERVICE, which services() needs.
    with sh.ServiceManager.open(access=sh.GenericAccess.READ) as manager:
        assert manager.services()
    # Only administrators may have SC_MANAGER_ALL_ACCESS ("Service Security and Access Rights").
    if not _elevated():
        with pytest.raises(PermissionError):
            sh.ServiceManager.open(access=sh.ServiceManagerAccess.ALL_ACCESS)
        return
    with sh.ServiceManager.open(access=sh.ServiceManagerAccess.ALL_ACCESS) as manager:
        assert any(entry.name.lower() == EXISTING_SERVICE.lower() for entry in manager.services())
        with manager.open_service(EXISTING_SERVICE, access=sh.ServiceAccess.ALL_ACCESS) as service:
            assert isinstance(service.status().state, sh.ServiceState)  # SERVICE_QUERY_STATUS


def test_window_station_and_desktop_duplicate_with_all_access() -> None:
    # Neither has an open() here: their borrowed handles are duplicated into owned ones.
    station = sh.WindowStation.of_process()
    copy = station.duplicate(access=sh.WindowStationAccess.ALL_ACCESS)
    assert_granted(copy, "WindowStation", 0x037F)
    assert copy.name == station.name
    assert_closed_after(copy)
    desktop = sh.Desktop.of_thread()
    copy_desktop = desktop.duplicate(access=sh.DesktopAccess.ALL_ACCESS)
    assert_granted(copy_desktop, "Desktop", 0xF_01FF)
    assert copy_desktop.name == desktop.name
    assert_closed_after(copy_desktop)
    assert probes.is_open(station.dangerous_get_handle())  # the borrowed ones stay
    assert probes.is_open(desktop.dangerous_get_handle())


def _file(tmp_path: Path) -> sh.KernelHandle:
    return sh.File.open(tmp_path / "f", access="rw", disposition=sh.CreationDisposition.CREATE_NEW)


DUPLICABLE: list[tuple[str, Callable[[Path], sh.KernelHandle], str, int]] = [
    ("event", lambda _: sh.Event.create(), "Event", sh.EventAccess.ALL_ACCESS),
    ("mutex", lambda _: sh.Mutex.create(), "Mutant", sh.MutexAccess.ALL_ACCESS),
    ("semaphore", lambda _: sh.Semaphore.create(0, 1), "Semaphore", sh.SemaphoreAccess.ALL_ACCESS),
    ("timer", lambda _: sh.WaitableTimer.create(), "Timer", sh.TimerAccess.ALL_ACCESS),
    ("process", lambda _: sh.Process.current(), "Process", sh.ProcessAccess.ALL_ACCESS),
    ("thread", lambda _: sh.Thread.current(), "Thread", sh.ThreadAccess.ALL_ACCESS),
    ("file", _file, "File", sh.FileAccess.ALL_ACCESS),
    ("mapping", lambda _: sh.FileMapping.create(4096), "Section", sh.FileMapAccess.ALL_ACCESS),
    ("job", lambda _: sh.Job.create(), "Job", sh.JobAccess.ALL_ACCESS),
    ("port", lambda _: sh.IoCompletionPort.create(), "IoCompletion", sh.IoCompletionAccess.ALL_ACCESS),
    ("token", lambda _: sh.AccessToken.open_process(access=sh.TokenAccess.ALL_ACCESS), "Token",
     sh.TokenAccess.ALL_ACCESS),
]  # fmt: skip


@pytest.mark.parametrize(
    ("make", "type_name", "all_access"), [d[1:] for d in DUPLICABLE], ids=[d[0] for d in DUPLICABLE]
)
def test_duplicate_with_all_access_is_granted_it(
    tmp_path: Path, make: Callable[[Path], sh.KernelHandle], type_name: str, all_access: int
) -> None:
    with make(tmp_path) as original:
        copy = original.duplicate(access=all_access)
        assert type(copy) is type(original)
        assert_granted(copy, type_name, all_access)
        assert_closed_after(copy)


def test_registry_key_duplicates_with_all_access(key_path: str) -> None:
    with HKCU.open(key_path) as key:
        copy = key.duplicate(access=sh.KeyAccess.ALL_ACCESS)
        assert_granted(copy, "Key", 0xF_003F)
        copy.set_value("n", "x")
        assert key.get_value("n").data == "x"
        assert_closed_after(copy)


# -- generic rights and MAXIMUM_ALLOWED --------------------------------------------------

# What each generic right maps to for an event (security.c, test_event_security).
EVENT_GENERIC = [
    (sh.GenericAccess.READ, 0x2_0001),  # STANDARD_RIGHTS_READ | EVENT_QUERY_STATE
    (sh.GenericAccess.WRITE, 0x2_0002),  # STANDARD_RIGHTS_WRITE | EVENT_MODIFY_STATE
    (sh.GenericAccess.EXECUTE, 0x12_0000),  # STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE
    (sh.GenericAccess.ALL, 0x1F_0003),  # STANDARD_RIGHTS_ALL | EVENT_QUERY_STATE | EVENT_MODIFY_STATE
]


@pytest.mark.parametrize(("generic", "mapped"), EVENT_GENERIC, ids=lambda g: getattr(g, "name", None))
def test_generic_rights_are_mapped_by_open_and_by_duplicate(name: str, generic: int, mapped: int) -> None:
    with sh.Event.create(name=name) as event:
        with sh.Event.open(name, access=generic) as opened:
            assert_granted(opened, "Event", mapped)
        with event.duplicate(access=generic) as copy:
            assert_granted(copy, "Event", mapped)
        assert mapped == sh.EventAccess(mapped)  # every mapped bit is an EventAccess right


def test_generic_read_on_a_file_is_file_generic_read(tmp_path: Path) -> None:
    (tmp_path / "r").write_bytes(b"data")
    with sh.File.open(tmp_path / "r", access=sh.GenericAccess.READ) as file:
        assert_granted(file, "File", sh.FileAccess.FILE_GENERIC_READ)
        assert file.read() == b"data"


def test_maximum_allowed_gives_the_creator_every_right(name: str, key_path: str) -> None:
    maximum = sh.GenericAccess.MAXIMUM_ALLOWED
    with sh.Event.create(name=name), sh.Event.open(name, access=maximum) as event:
        assert_granted(event, "Event", sh.EventAccess.ALL_ACCESS)
    with sh.Process.open(os.getpid(), access=maximum) as process:
        assert_granted(process, "Process", sh.ProcessAccess.ALL_ACCESS)
    with HKCU.open(key_path, access=maximum) as key:
        assert_granted(key, "Key", sh.KeyAccess.ALL_ACCESS)
        key.set_value("n", 1)


def test_tokens_take_maximum_allowed_where_documented() -> None:
    # DuplicateTokenEx documents MAXIMUM_ALLOWED; OpenProcessToken checks it like any open.
    maximum = sh.GenericAccess.MAXIMUM_ALLOWED
    with sh.AccessToken.open_process(access=maximum) as token:
        assert token.granted_access & sh.TokenAccess.ALL_ACCESS == sh.TokenAccess.ALL_ACCESS
        with token.duplicate_token(access=maximum) as copy:
            assert copy.granted_access & sh.TokenAccess.QUERY
            assert copy.user_sid == token.user_sid


def test_generic_rights_on_a_mapping_give_writable_views(name: str) -> None:
    # GENERIC_WRITE maps to SECTION_MAP_WRITE: a view of the opened mapping may be written.
    rw = sh.GenericAccess.READ | sh.GenericAccess.WRITE
    with sh.FileMapping.create(4096, name=name) as mapping, mapping.map() as original:
        with sh.FileMapping.open(name, access=rw) as opened, opened.map() as view:
            assert view.writable
            view.write(0, b"open")
        with mapping.duplicate(access=sh.GenericAccess.ALL) as copy, copy.map() as view:
            assert view.writable
            view.write(4, b"dup")
        assert original.read(0, 7) == b"opendup"
        with sh.FileMapping.open(name, access=sh.GenericAccess.READ) as reader, reader.map() as view:
            assert not view.writable  # GENERIC_READ alone: SECTION_QUERY | SECTION_MAP_READ


# -- bad masks are refused before any native call ---------------------------------------


def _closed(handle: H) -> H:
    handle.close()
    return handle  # a native call through it would raise ObjectDisposedError, not this check's error


# Each: what takes the mask, and the enum the error names. The opens name objects that do
# not exist, so a native call would fail with OSError instead.
ACCESS_TAKERS: list[tuple[str, Callable[[Any, Path], object], str]] = [
    ("Event.open", lambda m, _: sh.Event.open("Local\\no-such-object", access=m), "EventAccess"),
    ("Mutex.open", lambda m, _: sh.Mutex.open("Local\\no-such-object", access=m), "MutexAccess"),
    ("Semaphore.open", lambda m, _: sh.Semaphore.open("Local\\no-such-object", access=m), "SemaphoreAccess"),
    ("WaitableTimer.open", lambda m, _: sh.WaitableTimer.open("Local\\no-such-object", access=m), "TimerAccess"),
    ("Job.open", lambda m, _: sh.Job.open("Local\\no-such-object", access=m), "JobAccess"),
    ("FileMapping.open", lambda m, _: sh.FileMapping.open("Local\\no-such-object", access=m), "FileMapAccess"),
    ("Process.open", lambda m, _: sh.Process.open(0xFFFF_FFF0, access=m), "ProcessAccess"),
    ("Thread.open", lambda m, _: sh.Thread.open(0xFFFF_FFF0, access=m), "ThreadAccess"),
    ("File.open", lambda m, p: sh.File.open(p / "missing", access=m), "FileAccess"),
    ("RegistryKey.open", lambda m, _: HKCU.open("Software\\safehandles-no-such-key", access=m), "KeyAccess"),
    ("RegistryKey.create", lambda m, _: HKCU.create("Software\\safehandles-never-made", access=m), "KeyAccess"),
    ("AccessToken.open_process", lambda m, _: sh.AccessToken.open_process(_closed(sh.Process.open(os.getpid())), access=m), "TokenAccess"),
    ("AccessToken.open_thread", lambda m, _: sh.AccessToken.open_thread(_closed(sh.Thread.open(threading.get_native_id())), access=m), "TokenAccess"),
    ("AccessToken.duplicate_token", lambda m, _: _closed(sh.AccessToken.open_process()).duplicate_token(access=m), "TokenAccess"),
    ("ServiceManager.open", lambda m, _: sh.ServiceManager.open(machine="\\\\no-such-machine", access=m), "ServiceManagerAccess"),
    ("ServiceManager.open_service", lambda m, _: sh.ServiceManager().open_service("x", access=m), "ServiceAccess"),
    ("Event.duplicate", lambda m, _: _closed(sh.Event.create()).duplicate(access=m), "EventAccess"),
    ("File.duplicate", lambda m, p: _closed(_file(p)).duplicate(access=m), "FileAccess"),
    ("FileMapping.duplicate", lambda m, _: _closed(sh.FileMapping.create(4096)).duplicate(access=m), "FileMapAccess"),
    ("IoCompletionPort.duplicate", lambda m, _: _closed(sh.IoCompletionPort.create()).duplicate(access=m), "IoCompletionAccess"),
    ("Desktop.duplicate", lambda m, _: sh.Desktop().duplicate(access=m), "DesktopAccess"),
    ("WindowStation.duplicate", lambda m, _: sh.WindowStation().duplicate(access=m), "WindowStationAccess"),
    ("ChangeNotification.duplicate", lambda m, _: sh.ChangeNotification().duplicate(access=m), "FileAccess"),
    ("MemoryResourceNotification.duplicate", lambda m, _: sh.MemoryResourceNotification().duplicate(access=m), "EventAccess"),
    ("PipeEnd.duplicate", lambda m, _: sh.PipeEnd().duplicate(access=m), "FileAccess"),
    ("NamedPipeServer.duplicate", lambda m, _: sh.NamedPipeServer().duplicate(access=m), "FileAccess"),
    ("Mailslot.duplicate", lambda m, _: sh.Mailslot().duplicate(access=m), "FileAccess"),
    ("CommDevice.duplicate", lambda m, _: sh.CommDevice().duplicate(access=m), "FileAccess"),
    ("ConsoleInput.duplicate", lambda m, _: sh.ConsoleInput().duplicate(access=m), "FileAccess"),
    ("ConsoleScreenBuffer.duplicate", lambda m, _: sh.ConsoleScreenBuffer().duplicate(access=m), "FileAccess"),
    ("Job.duplicate", lambda m, _: sh.Job().duplicate(access=m), "JobAccess"),
    ("RegistryKey.duplicate", lambda m, _: sh.RegistryKey().duplicate(access=m), "KeyAccess"),
]  # fmt: skip

# The kinds that had no rights enum of their own: their masks are checked now too.
NEWLY_CHECKED = {
    "IoCompletionPort.duplicate", "Desktop.duplicate", "WindowStation.duplicate",
    "ChangeNotification.duplicate", "MemoryResourceNotification.duplicate", "PipeEnd.duplicate",
    "NamedPipeServer.duplicate", "Mailslot.duplicate", "CommDevice.duplicate",
    "ConsoleInput.duplicate", "ConsoleScreenBuffer.duplicate",
}  # fmt: skip

BAD_MASKS: list[tuple[int, str]] = [
    (-1, ">= 0"),
    (1 << 32, "32-bit"),
    (NO_RIGHT | 0x1, "0x400000 that are neither"),
]
BAD_TYPES: list[tuple[object, str]] = [(True, "bool"), (b"all", "bytes"), (1.0, "float")]


def _refused(
    take: Callable[[object, Path], object], bad: object, tmp_path: Path, error: type[Exception]
) -> str:
    with pytest.raises(error) as caught:
        take(bad, tmp_path)
    assert type(caught.value) is error  # not ObjectDisposedError or OSError: no native call was tried
    message = str(caught.value)
    assert message.startswith("access "), message
    return message


@pytest.mark.parametrize(("bad", "says"), BAD_MASKS, ids=["negative", "over-32-bit", "no-right"])
@pytest.mark.parametrize(
    ("take", "rights"), [a[1:] for a in ACCESS_TAKERS], ids=[a[0] for a in ACCESS_TAKERS]
)
def test_bad_masks_are_refused_naming_access_and_the_rights(
    tmp_path: Path, take: Callable[[object, Path], object], rights: str, bad: int, says: str
) -> None:
    message = _refused(take, bad, tmp_path, ValueError)
    assert rights in message, message
    assert says in message, message


@pytest.mark.parametrize(("bad", "says"), BAD_TYPES, ids=["bool", "bytes", "float"])
@pytest.mark.parametrize(
    ("take", "rights"),
    [a[1:] for a in ACCESS_TAKERS if a[0] in NEWLY_CHECKED],
    ids=[a[0] for a in ACCESS_TAKERS if a[0] in NEWLY_CHECKED],
)
def test_non_int_masks_are_a_type_error_naming_the_rights(
    tmp_path: Path, take: Callable[[object, Path], object], rights: str, bad: object, says: str
) -> None:
    message = _refused(take, bad, tmp_path, TypeError)
    assert rights in message, message
    assert says in message, message


def test_standard_rights_are_accepted_for_every_kind(key_path: str) -> None:
    # READ_CONTROL and friends are valid for every object type, in an enum or not.
    # KeyAccess has no SYNCHRONIZE (winnt.h's KEY_* masks leave it out), yet it is a standard right.
    with HKCU.open(key_path, access=sh.KeyAccess.QUERY_VALUE | sh.StandardAccess.SYNCHRONIZE) as key:
        assert key.granted_access & sh.KeyAccess.QUERY_VALUE
        assert list(key.values()) == []  # RegEnumValueW: KEY_QUERY_VALUE
    with (
        sh.FileMapping.create(4096) as mapping,
        mapping.duplicate(access=sh.StandardAccess.READ_CONTROL) as copy,
    ):
        assert_granted(copy, "Section", sh.StandardAccess.READ_CONTROL)
