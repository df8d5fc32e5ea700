"""Process.spawn: CreateProcessW with scoped handle inheritance, against the real OS."""

from __future__ import annotations

import gc
import os
import sys
import time
import uuid

import pytest

import safehandles as sh
from tests import probes
from tests.children import python_code

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


# -- suspended, into a job, as another token ---------------------------------------------------

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def test_suspended_child_runs_only_once_resumed() -> None:
    with sh.spawn([sys.executable, "-c", "raise SystemExit(4)"], suspended=True) as child:
        assert not child.process.wait(0.5)  # its main thread has not run
        assert child.thread.suspend() == 1  # the count CREATE_SUSPENDED left
        assert child.thread.resume() == 2
        assert child.thread.resume() == 1  # this one starts it
        assert child.process.wait(60)
        assert child.process.exit_code == 4


def test_creation_flag_create_suspended_also_leaves_it_suspended() -> None:
    with sh.spawn(SLEEPER, creation_flags=sh.CreationFlag.CREATE_SUSPENDED) as child:
        try:
            assert child.thread.resume() == 1
        finally:
            child.process.terminate()


# The child starts a grandchild at once and prints its pid; the parent checks that both are
# in the job. Spawned suspended into the job, even its first instruction runs inside it.
TREE = r"""
import subprocess, sys
grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
print(grandchild.pid, flush=True)
grandchild.wait()
"""


def test_spawn_into_a_job_puts_the_child_and_its_children_in_it() -> None:
    with sh.Job.create() as job, sh.Pipe.create() as (reader, writer):
        job.kill_on_close()
        with sh.spawn([sys.executable, "-c", TREE], job=job, stdout=writer) as child:
            writer.close()
            assert job.contains(child.process)
            grandchild_pid = int(reader.read(100).split()[0])
            # IsProcessInJob under Wine wants QUERY_INFORMATION (Windows: LIMITED suffices).
            access = sh.ProcessAccess.SYNCHRONIZE | sh.ProcessAccess.QUERY_INFORMATION
            with sh.Process.open(grandchild_pid, access=access) as grandchild:
                assert job.contains(grandchild)
                assert job.accounting().active_processes == 2
                job.close()  # kill_on_close ends them both
                assert child.process.wait(30)
                assert grandchild.wait(30)


def test_spawn_into_a_job_and_suspended_stays_suspended() -> None:
    with sh.Job.create() as job, sh.Process.spawn(SLEEPER, job=job, suspended=True) as child:
        try:
            assert job.contains(child.process)
            assert child.thread.resume() == 1  # still suspended until now
        finally:
            child.process.terminate()


def test_a_job_that_refuses_the_child_ends_it_before_it_runs(tmp_path: object) -> None:
    marker = f"{tmp_path}\\ran"
    code = f"open({marker!r}, 'w').close()"  # what the child would do first, had it run
    name = f"Local\\safehandles-spawn-{uuid.uuid4()}"
    with sh.Job.create(name=name) as owner:
        with sh.Job.open(name, access=sh.JobAccess.QUERY) as job:  # no ASSIGN_PROCESS
            before = probes.open_handles()
            with pytest.raises(PermissionError, match="AssignProcessToJobObject"):
                sh.spawn([sys.executable, "-c", code], job=job, stdout=sh.Redirect.PIPE)
            assert probes.open_handles() <= before  # process, thread and pipe ends all closed
        assert owner.accounting().total_processes == 0
    time.sleep(3)  # a child that ran would have made the file by now (Python starts in < 1 s)
    assert not os.path.exists(marker)


def test_a_closed_job_or_token_raises_object_disposed_before_creating() -> None:
    job = sh.Job.create()
    job.close()
    token = sh.AccessToken.open_process()
    token.close()
    before = probes.open_handles()
    with pytest.raises(sh.ObjectDisposedError):
        sh.spawn(SLEEPER, job=job, stdout=sh.Redirect.PIPE)
    with pytest.raises(sh.ObjectDisposedError):
        sh.spawn(SLEEPER, token=token)
    assert probes.open_handles() <= before  # no process was started, no pipe left open


def test_spawn_with_a_restricted_token_runs_the_child_with_it() -> None:
    code = python_code(
        "import safehandles as sh\n"
        "with sh.AccessToken.open_process() as token:\n"
        "    names = {p.name for p in token.privileges()}\n"
        "raise SystemExit(3 if 'SeShutdownPrivilege' in names else 0)"
    )
    access = sh.TokenAccess.QUERY | sh.TokenAccess.DUPLICATE | sh.TokenAccess.ASSIGN_PRIMARY
    with (
        sh.AccessToken.open_process(access=access) as own,
        own.restricted(flags=0, delete_privileges=["SeShutdownPrivilege"]) as restricted,
    ):
        assert "SeShutdownPrivilege" in {p.name for p in own.privileges()}  # else the test shows nothing
        with sh.spawn([sys.executable, "-c", code], token=restricted) as child:
            assert child.process.wait(60)
            assert child.process.exit_code == 0


def test_spawn_with_a_token_lacking_rights_names_them() -> None:
    before = probes.open_handles()
    with (
        sh.AccessToken.open_process() as query_only,
        pytest.raises(PermissionError, match=r"CreateProcessAsUserW.*ASSIGN_PRIMARY"),
    ):
        sh.spawn(SLEEPER, token=query_only)
    assert probes.open_handles() <= before


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"job": "job"}, TypeError),
        ({"token": 5}, TypeError),
        ({"stdin": sh.Redirect.STDOUT}, ValueError),
        ({"stderr": sh.Redirect.STDOUT}, ValueError),  # stdout not given
        ({"stdout": "PIPE"}, TypeError),
        ({"stdout": -1}, TypeError),
    ],
)
def test_bad_job_token_or_stream_raises_before_anything_is_created(
    kwargs: dict[str, object], error: type[Exception]
) -> None:
    before = probes.open_handles()
    with pytest.raises(error):
        sh.spawn(SLEEPER, **kwargs)  # type: ignore[arg-type]
    assert probes.open_handles() <= before


# -- standard streams: pipes, NUL, files, and communicate ------------------------------------------

ECHO = r"""
import sys
data = sys.stdin.buffer.read()
sys.stdout.buffer.write(data.upper())
sys.stderr.buffer.write(b"%d bytes" % len(data))
"""


def pipe_end_closed(value: int) -> bool:
    """Whether a pipe end's value is closed: communicate's threads end with their locks, which on
    3.11 are semaphores, so the freed value may already name one of those instead."""
    return not probes.is_open(value) or probes.type_name(value) != "File"


def test_communicate_feeds_input_and_collects_both_outputs() -> None:
    pipe = sh.Redirect.PIPE
    with sh.spawn([sys.executable, "-c", ECHO], stdin=pipe, stdout=pipe, stderr=pipe) as child:
        ends = [end.dangerous_get_handle() for end in (child.stdin, child.stdout, child.stderr) if end]
        assert len(ends) == 3
        out, err = child.communicate(b"hello")
        assert (out, err) == (b"HELLO", b"5 bytes")
        assert child.process.exit_code == 0
    assert all(pipe_end_closed(value) for value in ends)


def test_communicate_does_not_deadlock_on_more_than_a_pipe_holds() -> None:
    # 4 MB each way, far more than a pipe's buffer: a sequential write-then-read would hang.
    data = bytes(range(256)) * (4 * 4096)
    pipe = sh.Redirect.PIPE
    with sh.spawn([sys.executable, "-c", ECHO], stdin=pipe, stdout=pipe, stderr=pipe) as child:
        out, err = child.communicate(data, timeout=120)
    assert out == data.upper()
    assert err == b"%d bytes" % len(data)


def test_communicate_times_out_then_carries_on() -> None:
    code = "import sys, time; print('early', flush=True); time.sleep(60)"
    with sh.spawn([sys.executable, "-c", code], stdout=sh.Redirect.PIPE) as child:
        with pytest.raises(TimeoutError, match="communicate"):
            child.communicate(timeout=1)
        child.process.terminate(3)
        out, err = child.communicate(timeout=30)
        assert out.strip() == b"early"  # what was read before the timeout is kept
        assert err == b""  # not a pipe
        assert child.process.exit_code == 3


def test_a_child_that_ignores_its_input_is_not_an_error() -> None:
    with sh.spawn([sys.executable, "-c", "pass"], stdin=sh.Redirect.PIPE, stdout=sh.Redirect.PIPE) as child:
        assert child.communicate(b"x" * (1 << 20), timeout=60) == (b"", b"")


def test_communicate_input_needs_a_stdin_pipe() -> None:
    with sh.spawn([sys.executable, "-c", "pass"], stdout=sh.Redirect.PIPE) as child:
        with pytest.raises(ValueError, match=r"stdin=Redirect\.PIPE"):
            child.communicate(b"data")
        with pytest.raises(TypeError):
            child.communicate("text")  # type: ignore[arg-type]
        assert child.communicate(timeout=60) == (b"", b"")


def test_stderr_to_stdout_and_stdin_from_devnull() -> None:
    code = "import sys; print(repr(sys.stdin.read())); print('to stderr', file=sys.stderr)"
    with sh.spawn(
        [sys.executable, "-c", code],
        stdin=sh.Redirect.DEVNULL,
        stdout=sh.Redirect.PIPE,
        stderr=sh.Redirect.STDOUT,
    ) as child:
        assert child.stderr is None
        assert child.stdin is None
        out, err = child.communicate(timeout=60)
    assert out.split() == [b"''", b"to", b"stderr"]
    assert err == b""


def test_stdout_to_a_file(tmp_path: object) -> None:
    path = f"{tmp_path}\\out.txt"
    with (
        sh.File.open(path, access="w", disposition=sh.CreationDisposition.CREATE_ALWAYS) as file,
        sh.spawn([sys.executable, "-c", "print('into the file')"], stdout=file) as child,
    ):
        assert child.process.wait(60)
    with open(path, "rb") as written:
        assert written.read().strip() == b"into the file"


def test_closing_spawned_closes_the_pipe_ends_it_made() -> None:
    with sh.spawn(SLEEPER, stdin=sh.Redirect.PIPE, stdout=sh.Redirect.PIPE) as child:
        assert child.stdin is not None
        assert child.stdout is not None
        values = [child.stdin.dangerous_get_handle(), child.stdout.dangerous_get_handle()]
        child.process.terminate()
    assert all(pipe_end_closed(value) for value in values)


@pytest.mark.wine_differs("IsProcessInJob wants PROCESS_QUERY_INFORMATION; Windows takes the limited right")
def test_is_process_in_job_takes_the_limited_query_right() -> None:
    with sh.Job.create() as job, sh.spawn(SLEEPER, job=job) as child:
        try:
            access = sh.ProcessAccess.SYNCHRONIZE | sh.ProcessAccess.QUERY_LIMITED_INFORMATION
            with sh.Process.open(child.pid, access=access) as limited:
                assert job.contains(limited)
        finally:
            child.process.terminate()


@pytest.mark.wine_differs("CreateRestrictedToken ignores DISABLE_MAX_PRIVILEGE and keeps every privilege")
def test_a_child_spawned_with_the_default_restricted_token_keeps_only_change_notify() -> None:
    code = python_code(
        "import safehandles as sh\n"
        "with sh.AccessToken.open_process() as token:\n"
        "    names = {p.name for p in token.privileges()}\n"
        "raise SystemExit(0 if names == {'SeChangeNotifyPrivilege'} else 3)"
    )
    access = sh.TokenAccess.QUERY | sh.TokenAccess.DUPLICATE | sh.TokenAccess.ASSIGN_PRIMARY
    with (
        sh.AccessToken.open_process(access=access) as own,
        own.restricted() as restricted,
        sh.spawn([sys.executable, "-c", code], token=restricted) as child,
    ):
        assert child.process.wait(60)
        assert child.process.exit_code == 0
