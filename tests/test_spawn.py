"""Process.spawn: CreateProcessW with scoped handle inheritance, against the real OS."""

from __future__ import annotations

import gc
import sys
import uuid

import pytest

import safehandles as sh
from tests import probes

pytestmark = pytest.mark.windows

# The child uses only ctypes: argv[1] is the value of the handle it should have
# inherited (an event it sets), argv[2] the value of an inheritable event that was
# NOT listed, argv[3] that event's unique name. Exit code: bit 0 = the listed handle
# is open (and was set), bit 1 = the unlisted event is open in the child.
CHILD = r"""
import ctypes, sys
from ctypes import wintypes
kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
ntdll = ctypes.WinDLL("ntdll")
kernel32.GetHandleInformation.argtypes = [wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD)]
kernel32.SetEvent.argtypes = [wintypes.HANDLE]
ntdll.NtQueryObject.argtypes = [
    wintypes.HANDLE, ctypes.c_int, ctypes.c_void_p, wintypes.ULONG, ctypes.c_void_p
]

def is_open(value):
    flags = wintypes.DWORD()
    return bool(kernel32.GetHandleInformation(value, ctypes.byref(flags)))

def object_name(value):
    buffer = ctypes.create_string_buffer(4096)
    if ntdll.NtQueryObject(value, 1, buffer, len(buffer), None) != 0:  # ObjectNameInformation
        return ""
    length = int.from_bytes(buffer.raw[0:2], "little")
    address = int.from_bytes(buffer.raw[8:16], "little")
    return ctypes.wstring_at(address, length // 2) if address else ""

listed, unlisted, name = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
code = 0
if is_open(listed) and kernel32.SetEvent(listed):
    code |= 1
if is_open(unlisted) and name in object_name(unlisted):
    code |= 2
sys.exit(code)
"""


def child_args(*extra: object) -> list[object]:
    return [sys.executable, "-c", CHILD, *extra]


def test_child_receives_only_the_listed_handle() -> None:
    name = f"safehandles-spawn-{uuid.uuid4()}"
    with (
        sh.Event.create(manual_reset=True) as listed,
        sh.Event.create(manual_reset=True, name=f"Local\\{name}", inheritable=True) as unlisted,
    ):
        assert listed.inheritable is False  # the library makes a scoped copy
        args = child_args(listed, str(unlisted.dangerous_get_handle()), name)
        with sh.Process.spawn(args, inherit=[listed]) as child:  # type: ignore[arg-type]
            assert child.process.wait(60)
            assert child.process.exit_code == 1  # listed open (and set), unlisted not there
            assert child.process.pid == child.pid
            assert child.thread.tid == child.tid
            assert child.thread.exit_code == 1
            (inherited,) = child.inherited
        assert listed.wait(0)  # the child set it through its inherited copy
        assert listed.inheritable is False
        assert not probes.is_open(inherited)  # the parent's inheritable copy is closed again


def test_unlisted_inheritable_handle_is_visible_to_the_check() -> None:
    # The child's check for the unlisted handle can see it when it IS inherited:
    # listing it (by value through a second wrapper) makes bit 1 appear.
    name = f"safehandles-spawn-{uuid.uuid4()}"
    with (
        sh.Event.create(manual_reset=True) as listed,
        sh.Event.create(manual_reset=True, name=f"Local\\{name}") as other,
    ):
        args = child_args(listed, other, name)
        with sh.Process.spawn(args, inherit=[listed, other]) as child:  # type: ignore[arg-type]
            assert child.process.wait(60)
            assert child.process.exit_code == 3


def test_no_inherit_list_inherits_nothing() -> None:
    with sh.Process.spawn([sys.executable, "-c", "raise SystemExit(5)"]) as child:
        value = child.process.dangerous_get_handle()
        assert probes.type_name(value) == "Process"
        assert probes.type_name(child.thread.dangerous_get_handle()) == "Thread"
        assert child.process.wait(60)
        assert child.process.exit_code == 5
        assert child.inherited == ()
    assert not probes.is_open(value)


def test_spawned_handles_are_closed_by_finalizers() -> None:
    child = sh.spawn([sys.executable, "-c", "pass"])
    values = [child.process.dangerous_get_handle(), child.thread.dangerous_get_handle()]
    assert child.process.wait(60)
    with pytest.warns(ResourceWarning):
        del child
        gc.collect()
    assert not any(probes.is_open(value) for value in values)


def test_cwd_and_env_reach_the_child(tmp_path: object) -> None:
    code = (
        "import os, sys; "
        "sys.exit(0 if os.getcwd().lower() == sys.argv[1].lower() and os.environ['SH_X'] == 'y' else 9)"
    )
    env = {"SH_X": "y", "SYSTEMROOT": r"C:\windows", "PATH": r"C:\windows\system32"}
    with sh.spawn([sys.executable, "-c", code, str(tmp_path)], cwd=str(tmp_path), env=env) as child:
        assert child.process.wait(60)
        assert child.process.exit_code == 0


def test_failure_raises_the_create_process_error() -> None:
    before = probes.open_handles()
    with pytest.raises(FileNotFoundError, match="CreateProcessW") as caught:
        sh.spawn([r"C:\no\such\program.exe"])
    assert probes.winerror(caught.value) in (2, 3)  # file or path not found
    assert probes.open_handles() <= before


def test_arguments_are_quoted_with_list2cmdline() -> None:
    tricky = ["a b", 'c"d', "e\\", ""]
    code = "import sys; sys.exit(0 if sys.argv[1:] == " + repr(tricky) + " else 9)"
    with sh.spawn([sys.executable, "-c", code, *tricky]) as child:
        assert child.process.wait(60)
        assert child.process.exit_code == 0


@pytest.mark.parametrize(
    ("args", "kwargs", "error"),
    [
        ([], {}, ValueError),
        ("python.exe", {}, TypeError),
        ([sys.executable, 3], {}, TypeError),
        ([sys.executable, "a\0b"], {}, ValueError),
        ([sys.executable], {"inherit": [5]}, TypeError),
        ([sys.executable], {"inherit": ["module"]}, TypeError),
        ([sys.executable], {"env": {"A=B": "c"}}, ValueError),
        ([sys.executable], {"cwd": "x\0"}, ValueError),
        ([sys.executable], {"creation_flags": -1}, ValueError),
    ],
)
def test_bad_input_raises_before_anything_is_created(
    args: object, kwargs: dict[str, object], error: type[Exception]
) -> None:
    if kwargs.get("inherit") == ["module"]:
        kwargs = {"inherit": [sh.Module.find()]}  # a handle, but not a kernel handle
    before = probes.open_handles()
    with pytest.raises(error):
        sh.spawn(args, **kwargs)  # type: ignore[arg-type]
    assert probes.open_handles() <= before


def test_handle_in_args_must_be_in_inherit() -> None:
    with sh.Event.create() as event, pytest.raises(ValueError, match="not in inherit"):
        sh.spawn([sys.executable, event])


def test_closed_handle_raises_object_disposed_before_creating() -> None:
    open_event = sh.Event.create()
    closed = sh.Event.create()
    closed.close()
    before = probes.open_handles()
    with pytest.raises(sh.ObjectDisposedError):
        sh.spawn([sys.executable, "-c", "pass"], inherit=[open_event, closed])
    assert probes.open_handles() <= before  # no copy of open_event left behind
    value = open_event.dangerous_get_handle()
    open_event.close()  # its reference was given back: this close really closes it
    assert not probes.is_open(value)


def test_standard_handles_are_inherited_only_for_the_call() -> None:
    with sh.Pipe.create() as (read_end, write_end):
        before = probes.open_handles()
        code = "import sys; sys.stdout.write('through the pipe'); sys.stdout.flush()"
        with sh.spawn([sys.executable, "-c", code], stdout=write_end) as child:
            assert probes.open_handles() - before == {
                child.process.dangerous_get_handle(),
                child.thread.dangerous_get_handle(),
            }  # the inheritable copy for the child is already gone
            assert child.process.wait(60)
            assert child.process.exit_code == 0
        assert write_end.inheritable is False  # the original was never made inheritable
        write_end.close()  # the child's copy ended with it: now the pipe reports its end
        assert read_end.read() == b"through the pipe"
