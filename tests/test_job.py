"""Job objects against the real OS: CreateJobObjectW / OpenJobObjectW, closed by CloseHandle."""

from __future__ import annotations

import gc
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

import safehandles as sh
from tests import probes

pytestmark = pytest.mark.windows

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def test_job_exists_until_closed() -> None:
    job = sh.Job.create()
    value = job.dangerous_get_handle()
    assert probes.type_name(value) == "Job"
    assert job.created_new
    assert job.inheritable is False
    job.close()
    assert not probes.is_open(value)


def test_job_is_closed_when_the_with_block_raises() -> None:
    with pytest.raises(ZeroDivisionError), sh.Job.create() as job:
        value = job.dangerous_get_handle()
        _ = 1 / 0
    assert not probes.is_open(value)


def test_dropped_job_is_closed_by_its_finalizer() -> None:
    job = sh.Job.create()
    value = job.dangerous_get_handle()
    with pytest.warns(ResourceWarning):
        del job
        gc.collect()
    assert not probes.is_open(value)


def test_named_create_reports_an_existing_job_and_open_finds_it() -> None:
    name = f"Local\\safehandles-job-{uuid.uuid4()}"
    with sh.Job.create(name=name) as first, sh.Job.create(name=name) as second, sh.Job.open(name) as opened:
        assert first.created_new
        assert not second.created_new
        assert probes.type_name(opened.dangerous_get_handle()) == "Job"
        with first.duplicate() as copy:
            assert probes.type_name(copy.dangerous_get_handle()) == "Job"
            assert copy.accounting().total_processes == 0


def test_open_of_a_missing_job_raises() -> None:
    with pytest.raises(FileNotFoundError, match="OpenJobObjectW") as caught:
        sh.Job.open(f"Local\\safehandles-none-{uuid.uuid4()}")
    assert probes.winerror(caught.value) == 2


def test_create_with_a_name_of_another_type_raises() -> None:
    name = f"Local\\safehandles-event-{uuid.uuid4()}"
    with sh.Event.create(name=name), pytest.raises(OSError, match="CreateJobObjectW") as caught:
        sh.Job.create(name=name)
    assert probes.winerror(caught.value) == 6  # ERROR_INVALID_HANDLE: the name is an event's


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="NUL"):
        sh.Job.create(name="a\0b")
    with pytest.raises(ValueError, match="JobAccess"):
        sh.Job.open("x", access=0x40)
    with sh.Job.create() as job:
        with pytest.raises(TypeError):
            job.assign(job)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="exit_code"):
            job.terminate(-1)


def test_kill_on_close_ends_the_assigned_child() -> None:
    with sh.spawn(SLEEPER) as child:
        with sh.Job.create() as job:
            job.kill_on_close()
            job.assign(child.process)
            assert job.contains(child.process)
            assert not child.process.wait(0.5)
        assert child.process.wait(30)  # closing the job's last handle killed the child


def test_kill_on_close_without_the_limit_leaves_the_child_running() -> None:
    with sh.spawn(SLEEPER) as child:
        try:
            with sh.Job.create() as job:
                job.assign(child.process)
            assert not child.process.wait(1)
        finally:
            child.process.terminate()
            child.process.wait(30)


@pytest.mark.wine_differs("QueryInformationJobObject(JobObjectExtendedLimitInformation) returns zeros")
def test_limits_read_back_kill_on_close() -> None:
    with sh.Job.create() as job:
        assert not job.limit_flags & sh.JobLimit.KILL_ON_JOB_CLOSE
        job.kill_on_close()
        assert job.limit_flags & sh.JobLimit.KILL_ON_JOB_CLOSE
        assert job.limits == sh.JobLimits(kill_on_close=True)


def test_accounting_and_terminate() -> None:
    with sh.Job.create() as job, sh.spawn(SLEEPER) as first, sh.spawn(SLEEPER) as second:
        job.assign(first.process)
        job.assign(second.process)
        counts = job.accounting()
        assert counts.total_processes == 2
        assert counts.active_processes == 2
        assert counts.user_time >= 0
        assert counts.kernel_time >= 0
        job.terminate(exit_code=7)
        assert first.process.wait(30)
        assert second.process.wait(30)
        assert first.process.exit_code == 7
        assert second.process.exit_code == 7
        assert job.accounting().active_processes == 0


def test_assign_holds_the_process_and_refuses_a_closed_one() -> None:
    with sh.Job.create() as job:
        child = sh.spawn(SLEEPER)
        child.process.close()
        with pytest.raises(sh.ObjectDisposedError):
            job.assign(child.process)
        child.thread.close()
    access = sh.ProcessAccess.TERMINATE | sh.ProcessAccess.SYNCHRONIZE
    with sh.Process.open(child.pid, access=access) as leftover:  # do not leave the sleeper behind
        leftover.terminate()
        assert leftover.wait(30)


def test_assign_without_rights_raises() -> None:
    with sh.spawn(SLEEPER) as child:
        try:
            with (
                sh.Job.create() as job,
                sh.Process.open(child.pid) as limited,
                pytest.raises(PermissionError, match="AssignProcessToJobObject"),
            ):
                job.assign(limited)
        finally:
            child.process.terminate()
            child.process.wait(30)


def test_struct_sizes_match_the_sdk() -> None:
    from safehandles._bindings._native import ffi

    assert ffi.sizeof("JOBOBJECT_BASIC_LIMIT_INFORMATION") == 64
    assert ffi.sizeof("JOBOBJECT_EXTENDED_LIMIT_INFORMATION") == 144
    assert ffi.sizeof("JOBOBJECT_BASIC_ACCOUNTING_INFORMATION") == 48
    assert ffi.sizeof("STARTUPINFOW") == 104
    assert ffi.sizeof("STARTUPINFOEXW") == 112
    assert ffi.sizeof("PROCESS_INFORMATION") == 24


# -- limits ---------------------------------------------------------------------------

ALL_LIMITS = sh.JobLimits(
    active_processes=3,
    process_memory=256 << 20,
    job_memory=512 << 20,
    breakaway_ok=True,
    silent_breakaway_ok=False,
    kill_on_close=True,
    die_on_unhandled_exception=True,
)


def test_a_fresh_job_has_no_limits_and_limits_say_which_flags_they_set() -> None:
    with sh.Job.create() as job:
        assert job.limits == sh.JobLimits()
        assert job.limit_flags == sh.JobLimit(0)
    assert ALL_LIMITS.flags == (
        sh.JobLimit.ACTIVE_PROCESS
        | sh.JobLimit.PROCESS_MEMORY
        | sh.JobLimit.JOB_MEMORY
        | sh.JobLimit.BREAKAWAY_OK
        | sh.JobLimit.KILL_ON_JOB_CLOSE
        | sh.JobLimit.DIE_ON_UNHANDLED_EXCEPTION
    )


@pytest.mark.wine_differs("QueryInformationJobObject(JobObjectExtendedLimitInformation) returns zeros")
def test_set_limits_read_back() -> None:
    with sh.Job.create() as job:
        job.set_limits(ALL_LIMITS)
        assert job.limits == ALL_LIMITS
        assert job.limit_flags == ALL_LIMITS.flags
        job.set_limits(sh.JobLimits(active_processes=1))  # every field is set: the others are off again
        assert job.limits == sh.JobLimits(active_processes=1)


def test_set_limits_kill_on_close_ends_the_assigned_child() -> None:
    with sh.spawn(SLEEPER) as child:
        with sh.Job.create() as job:
            job.set_limits(sh.JobLimits(kill_on_close=True, job_memory=1 << 30))
            job.assign(child.process)
            assert not child.process.wait(0.5)
        assert child.process.wait(30)  # the limit reached the job: closing it killed the child


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"active_processes": -1}, ValueError),
        ({"active_processes": 1 << 32}, ValueError),
        ({"process_memory": -1}, ValueError),
        ({"job_memory": 1 << 64}, ValueError),
        ({"job_memory": 1.5}, TypeError),
        ({"active_processes": True}, TypeError),
    ],
)
def test_bad_limits_are_refused_when_made(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        sh.JobLimits(**kwargs)  # type: ignore[arg-type]


def test_set_limits_takes_job_limits_only() -> None:
    with sh.Job.create() as job, pytest.raises(TypeError, match="JobLimits"):
        job.set_limits(sh.JobLimit.KILL_ON_JOB_CLOSE)  # type: ignore[arg-type]


@pytest.mark.wine_differs(
    "SetInformationJobObject accepts JobObjectBasicUIRestrictions but the query fails (1)"
)
def test_ui_restrictions_read_back() -> None:
    with sh.Job.create() as job:
        assert job.ui_restrictions == sh.JobUiLimit.NONE
        wanted = sh.JobUiLimit.READCLIPBOARD | sh.JobUiLimit.WRITECLIPBOARD | sh.JobUiLimit.EXITWINDOWS
        job.set_ui_restrictions(wanted)
        assert job.ui_restrictions == wanted
        job.set_ui_restrictions(sh.JobUiLimit.NONE)
        assert job.ui_restrictions == sh.JobUiLimit.NONE


def test_ui_restrictions_refuse_unknown_bits() -> None:
    with sh.Job.create() as job:
        with pytest.raises(ValueError, match="JobUiLimit"):
            job.set_ui_restrictions(0x100)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="JobUiLimit"):
            job.set_ui_restrictions("clipboard")  # type: ignore[arg-type]


@pytest.mark.wine_differs("JobObjectCpuRateControlInformation fails with ERROR_INVALID_PARAMETER")
def test_cpu_rate_read_back() -> None:
    with sh.Job.create() as job:
        assert job.cpu_rate is None
        job.set_cpu_rate(12.5)
        assert job.cpu_rate == 12.5
        job.set_cpu_rate(None)
        assert job.cpu_rate is None


@pytest.mark.parametrize(
    ("percent", "error"),
    [
        (0, ValueError),
        (100.01, ValueError),
        (float("nan"), ValueError),
        (-5, ValueError),
        ("50", TypeError),
        (True, TypeError),
    ],
)
def test_bad_cpu_rates_are_refused_before_the_call(percent: object, error: type[Exception]) -> None:
    with sh.Job.create() as job, pytest.raises(error, match="percent"):
        job.set_cpu_rate(percent)  # type: ignore[arg-type]


# -- the job's processes ---------------------------------------------------------------


def test_process_ids_lists_the_processes_in_the_job() -> None:
    with sh.Job.create() as job:
        assert job.process_ids() == []
        with sh.spawn(SLEEPER) as first, sh.spawn(SLEEPER) as second:
            job.assign(first.process)
            job.assign(second.process)
            assert sorted(job.process_ids()) == sorted([first.pid, second.pid])
            job.terminate()
            assert first.process.wait(30)
            assert second.process.wait(30)
            assert job.process_ids() == []


GRANDPARENT = (
    "import subprocess, sys, time\n"
    "sys.stdin.readline()  # wait until the parent has put this process into its job\n"
    "grandchild = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
    "print(grandchild.pid, flush=True)\n"
    "time.sleep(60)\n"
)


@contextmanager
def _grandparent(job: sh.Job) -> Iterator[tuple[int, int]]:
    """A child in *job* that starts a grandchild once it is in; yields both pids and ends both."""
    popen = subprocess.Popen(
        [sys.executable, "-c", GRANDPARENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    grandchild = 0
    try:
        with sh.Process.from_popen(popen) as process:
            job.assign(process)
        assert popen.stdin is not None
        assert popen.stdout is not None
        popen.stdin.write("go\n")
        popen.stdin.flush()
        grandchild = int(popen.stdout.readline())
        yield popen.pid, grandchild
    finally:
        if grandchild:
            with sh.Process.open(
                grandchild, access=sh.ProcessAccess.TERMINATE | sh.ProcessAccess.SYNCHRONIZE
            ) as leftover:
                leftover.terminate()
                leftover.wait(30)
        popen.kill()
        popen.communicate()


def test_a_grandchild_joins_the_job() -> None:
    with sh.Job.create() as job, _grandparent(job) as (child, grandchild):
        assert sorted(job.process_ids()) == sorted([child, grandchild])


def test_silent_breakaway_lets_a_grandchild_start_outside_the_job() -> None:
    with sh.Job.create() as job:
        job.set_limits(sh.JobLimits(silent_breakaway_ok=True))
        with _grandparent(job) as (child, _grandchild):
            assert job.process_ids() == [child]


# -- notifications through a completion port -------------------------------------------


def _notifications(port: sh.IoCompletionPort, until: sh.JobMessage) -> list[sh.JobNotification]:
    seen = []
    while (packet := port.get(timeout=30)) is not None:
        seen.append(sh.JobNotification.from_status(packet))
        if seen[-1].message is until:
            return seen
    raise AssertionError(f"no {until} among {seen}")


def test_a_job_reports_its_processes_to_its_completion_port() -> None:
    with sh.Job.create() as job, sh.IoCompletionPort.create() as port:
        job.set_completion_port(port, key=42)
        with (
            sh.spawn([sys.executable, "-c", "import sys; sys.stdin.read(1)"]) as first,
            sh.spawn(SLEEPER) as second,
        ):
            job.assign(first.process)
            job.assign(second.process)
            second.process.terminate(3)
            first.process.terminate(0)
            seen = _notifications(port, sh.JobMessage.ACTIVE_PROCESS_ZERO)
        assert all(note.key == 42 for note in seen)
        started = {note.pid for note in seen if note.message is sh.JobMessage.NEW_PROCESS}
        ended = [note.pid or 0 for note in seen if note.message is sh.JobMessage.EXIT_PROCESS]
        assert started == {first.pid, second.pid}
        assert sorted(ended) == sorted([first.pid, second.pid])
        assert seen[-1] == sh.JobNotification(sh.JobMessage.ACTIVE_PROCESS_ZERO, 42, None)
        assert str(seen[-1].message) == "ACTIVE_PROCESS_ZERO"  # prints by name


def test_a_job_keeps_its_first_completion_port() -> None:
    with sh.Job.create() as job, sh.IoCompletionPort.create() as port, sh.IoCompletionPort.create() as other:
        job.set_completion_port(port)
        with pytest.raises(OSError, match="JobObjectAssociateCompletionPortInformation") as caught:
            job.set_completion_port(other)
        assert probes.winerror(caught.value) == 87


def test_set_completion_port_refuses_what_is_no_open_port() -> None:
    with sh.Job.create() as job:
        with sh.Event.create() as event, pytest.raises(TypeError, match="IoCompletionPort"):
            job.set_completion_port(event)  # type: ignore[arg-type]
        port = sh.IoCompletionPort.create()
        port.close()
        with pytest.raises(sh.ObjectDisposedError):
            job.set_completion_port(port)
        with sh.IoCompletionPort.create() as open_port, pytest.raises(ValueError, match="key"):
            job.set_completion_port(open_port, key=-1)


def test_from_status_refuses_a_packet_no_job_posted() -> None:
    with sh.IoCompletionPort.create() as port:
        port.post(bytes_transferred=999, key=1)
        packet = port.get(timeout=5)
        assert packet is not None
        with pytest.raises(ValueError, match="no JOB_OBJECT_MSG"):
            sh.JobNotification.from_status(packet)
    with pytest.raises(TypeError, match="CompletionStatus"):
        sh.JobNotification.from_status((7, 0, 0))  # type: ignore[arg-type]


@pytest.mark.wine_differs("Wine does not enforce the active process limit")
def test_the_active_process_limit_refuses_one_more_and_reports_it() -> None:
    with sh.Job.create() as job, sh.IoCompletionPort.create() as port:
        job.set_completion_port(port, key=1)
        job.set_limits(sh.JobLimits(active_processes=1, kill_on_close=True))
        with sh.spawn(SLEEPER) as first, sh.spawn(SLEEPER) as second:
            job.assign(first.process)
            with pytest.raises(OSError, match="AssignProcessToJobObject") as caught:
                job.assign(second.process)
            assert probes.winerror(caught.value) == 1816  # ERROR_NOT_ENOUGH_QUOTA
            assert second.process.wait(30)  # Windows ends the process it refused
            seen = _notifications(port, sh.JobMessage.ACTIVE_PROCESS_LIMIT)
            assert seen[-1].pid is None
            job.terminate()
            assert first.process.wait(30)


HOG = (
    "import sys\n"
    "sys.stdin.readline()  # wait until the parent has put this process into its job\n"
    "try:\n"
    "    hog = bytearray(256 << 20)\n"
    "except MemoryError:\n"
    "    sys.exit(3)\n"
    "sys.exit(0)\n"
)


@pytest.mark.wine_differs("Wine does not enforce the per-process memory limit")
def test_the_process_memory_limit_refuses_a_large_allocation_and_reports_it() -> None:
    with sh.Job.create() as job, sh.IoCompletionPort.create() as port:
        job.set_completion_port(port, key=2)
        job.set_limits(sh.JobLimits(process_memory=128 << 20, kill_on_close=True))
        popen = subprocess.Popen([sys.executable, "-c", HOG], stdin=subprocess.PIPE, text=True)
        with popen:
            with sh.Process.from_popen(popen) as process:
                job.assign(process)
            assert popen.stdin is not None
            popen.stdin.write("go\n")
            popen.stdin.close()
            assert popen.wait(60) == 3  # the allocation past the limit failed in the child
        seen = _notifications(port, sh.JobMessage.PROCESS_MEMORY_LIMIT)
        assert seen[-1].pid == popen.pid


# -- access-denied errors name the rights -----------------------------------------------


def test_assign_without_the_assign_right_names_both_rights() -> None:
    name = f"Local\\safehandles-job-{uuid.uuid4()}"
    with (
        sh.Job.create(name=name),
        sh.Job.open(name, access=sh.JobAccess.QUERY) as query_only,
        sh.spawn(SLEEPER) as child,
    ):
        try:
            with pytest.raises(PermissionError, match="AssignProcessToJobObject") as caught:
                query_only.assign(child.process)
            message = str(caught.value)
            assert "needs JobAccess.ASSIGN_PROCESS (JOB_OBJECT_ASSIGN_PROCESS) on the job" in message
            needed = "ProcessAccess.SET_QUOTA | ProcessAccess.TERMINATE (PROCESS_SET_QUOTA|PROCESS_TERMINATE)"
            assert f"and {needed} on the process" in message
        finally:
            child.process.terminate()
            child.process.wait(30)


def test_queries_and_settings_without_rights_name_the_right() -> None:
    name = f"Local\\safehandles-job-{uuid.uuid4()}"
    with sh.Job.create(name=name):
        with sh.Job.open(name, access=sh.JobAccess.ASSIGN_PROCESS) as assign_only:
            with pytest.raises(
                PermissionError, match=r"needs JobAccess\.QUERY \(JOB_OBJECT_QUERY\) on the job"
            ):
                assign_only.process_ids()
            with pytest.raises(
                PermissionError, match=r"needs JobAccess\.QUERY \(JOB_OBJECT_QUERY\) on the job"
            ):
                assign_only.accounting()
            with pytest.raises(
                PermissionError, match=r"needs JobAccess\.TERMINATE \(JOB_OBJECT_TERMINATE\) on the job"
            ):
                assign_only.terminate()
        with (
            sh.Job.open(name, access=sh.JobAccess.QUERY) as query_only,
            sh.IoCompletionPort.create() as port,
            pytest.raises(
                PermissionError,
                match=r"needs JobAccess\.SET_ATTRIBUTES \(JOB_OBJECT_SET_ATTRIBUTES\) on the job",
            ),
        ):
            query_only.set_completion_port(port)
