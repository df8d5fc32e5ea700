"""duplicate(target_process=...): DuplicateHandle into another process, against the real OS.

The copy's value in the target is returned as a plain int. To check it here, the
target is often this very process through a second process handle: the value then
names an entry of our own handle table, which the probes can look at.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import safehandles as sh
from safehandles._bindings._native import kernel32
from safehandles._win32 import _handles as handles_module
from tests import probes

pytestmark = pytest.mark.windows

DUP_HANDLE = sh.ProcessAccess.DUP_HANDLE


def _file(tmp_path: Path) -> sh.File:
    return sh.File.open(tmp_path / "f.bin", access="rw", disposition=sh.CreationDisposition.CREATE_ALWAYS)


def _read_end(_: Path) -> sh.PipeEnd:
    reader, writer = sh.Pipe.create()
    writer.close()
    return reader


# kind -> (factory of an owned handle, the object type the kernel reports)
KINDS: dict[str, tuple[Callable[[Path], sh.KernelHandle], str]] = {
    "Event": (lambda _: sh.Event.create(), "Event"),
    "Mutex": (lambda _: sh.Mutex.create(), "Mutant"),
    "Semaphore": (lambda _: sh.Semaphore.create(0, 1), "Semaphore"),
    "Process": (lambda _: sh.Process.open(os.getpid()), "Process"),
    "Thread": (lambda _: sh.Thread.open(threading.get_native_id()), "Thread"),
    "File": (_file, "File"),  # a StreamHandle
    "PipeEnd": (_read_end, "File"),
    "FileMapping": (lambda _: sh.FileMapping.create(4096), "Section"),
    "RegistryKey": (lambda _: sh.RegistryKey.HKEY_CURRENT_USER.open("Software"), "Key"),
}


@pytest.fixture
def here() -> Iterator[sh.Process]:
    """This process through a real handle with the right to receive duplicates."""
    with sh.Process.open(os.getpid(), access=DUP_HANDLE) as process:
        yield process


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_duplicates_into_a_process_as_its_value_there(
    kind: str, here: sh.Process, tmp_path: Path
) -> None:
    factory, type_name = KINDS[kind]
    with factory(tmp_path) as original:
        value = original.duplicate(target_process=here)
        assert type(value) is int
        assert value != original.dangerous_get_handle()
        assert probes.is_open(value)
        assert probes.type_name(value) == type_name
    assert probes.is_open(value)  # not ours to close: it outlives the original and its wrapper
    type(original).from_raw(value, owns_handle=True).close()
    assert not probes.is_open(value)


def test_the_value_in_the_target_names_the_same_object(here: sh.Process) -> None:
    with sh.Event.create(manual_reset=True) as event:
        value = event.duplicate(target_process=here)
        with sh.Event.from_raw(value, owns_handle=True) as copy:
            copy.set()
            assert event.wait(0)  # set through the copy: the same event
        value = event.duplicate(target_process=here, access=sh.EventAccess.SYNCHRONIZE, inheritable=True)
        with sh.Event.from_raw(value, owns_handle=True) as waiter:
            assert waiter.inheritable
            assert waiter.wait(0)
            with pytest.raises(PermissionError, match="SetEvent"):
                waiter.set()  # the copy got only the access asked for


# The child reads the value its copy of the event has there from stdin and sets it.
CHILD = r"""
import ctypes, sys
kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
kernel32.SetEvent.argtypes = [ctypes.c_void_p]
value = int(sys.stdin.readline())
sys.exit(0 if kernel32.SetEvent(value) else 100 + ctypes.get_last_error())
"""


def test_duplicate_into_a_child_gives_it_the_same_event() -> None:
    with (
        sh.Event.create(manual_reset=True) as event,
        sh.Pipe.create() as (reader, writer),
        sh.spawn([sys.executable, "-c", CHILD], stdin=reader) as child,
    ):
        reader.close()
        value = event.duplicate(target_process=child.process)
        assert not event.wait(0)
        writer.write(f"{value}\n".encode())
        writer.close()
        assert child.process.wait(60)
        assert child.process.exit_code == 0
        assert event.wait(0)  # the child set it through its own value


def test_a_target_without_dup_handle_is_refused_and_nothing_is_left_open() -> None:
    with sh.Event.create() as event, sh.Process.open(os.getpid()) as no_dup:
        before = probes.open_handles()
        with pytest.raises(PermissionError, match="DuplicateHandle") as caught:
            event.duplicate(target_process=no_dup)
        assert probes.winerror(caught.value) == 5  # ERROR_ACCESS_DENIED
        assert probes.open_handles() == before


@pytest.mark.parametrize(
    "target",
    [os.getpid(), -1, "me", sh.Event.create, sh.Thread.current],
    ids=["pid", "pseudo-handle-value", "str", "event", "thread"],
)
def test_target_process_must_be_a_process(target: object) -> None:
    other = target() if callable(target) else target
    with sh.Event.create() as event, pytest.raises(TypeError, match="target_process must be a Process"):
        event.duplicate(target_process=other)  # type: ignore[arg-type]
    if isinstance(other, sh.KernelHandle):
        other.close()


def test_a_closed_handle_or_target_raises_object_disposed(here: sh.Process) -> None:
    event = sh.Event.create()
    closed = sh.Process.open(os.getpid(), access=DUP_HANDLE)
    closed.close()
    before = probes.open_handles()
    with pytest.raises(sh.ObjectDisposedError):
        event.duplicate(target_process=closed)
    event.close()
    with pytest.raises(sh.ObjectDisposedError):
        event.duplicate(target_process=here)
    assert probes.open_handles() <= before


class _ClosingBothDuringTheCall:
    """kernel32 as the framework sees it, except that DuplicateHandle first closes both wrappers."""

    def __init__(self, real: Any, wrappers: list[sh.KernelHandle]) -> None:
        self._real = real
        self._wrappers = wrappers
        self.open_during_the_call: list[bool] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def DuplicateHandle(self, *args: Any) -> int:
        for wrapper in self._wrappers:
            value = wrapper.dangerous_get_handle()
            wrapper.close()  # from inside the call: deferred while the call holds a reference
            self.open_during_the_call.append(probes.is_open(value))
        return int(self._real.DuplicateHandle(*args))


def test_the_handle_and_the_target_are_held_for_the_whole_call(monkeypatch: pytest.MonkeyPatch) -> None:
    event = sh.Event.create()
    target = sh.Process.open(os.getpid(), access=DUP_HANDLE)
    values = [event.dangerous_get_handle(), target.dangerous_get_handle()]
    closing = _ClosingBothDuringTheCall(kernel32, [event, target])
    monkeypatch.setattr(handles_module, "kernel32", closing)
    copy = event.duplicate(target_process=target)
    monkeypatch.undo()
    assert closing.open_during_the_call == [True, True]  # neither was released under the call
    assert not any(probes.is_open(v) for v in values)  # each was released once the call returned
    assert probes.type_name(copy) == "Event"  # and the copy was made from the real event
    sh.Event.from_raw(copy, owns_handle=True).close()


def test_a_predefined_root_and_a_socket_refuse_another_process(here: sh.Process) -> None:
    before = probes.open_handles()
    with pytest.raises(ValueError, match="predefined root"):
        sh.RegistryKey.HKEY_CURRENT_USER.duplicate(target_process=here)
    with sh.Socket.create() as sock, pytest.raises(ValueError, match="WSADuplicateSocketW"):
        sock.duplicate(target_process=here)  # Winsock: the target must make its socket itself
    assert probes.open_handles() <= before
