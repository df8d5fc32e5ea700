"""Job objects against the real OS: CreateJobObjectW / OpenJobObjectW, closed by CloseHandle."""

from __future__ import annotations

import gc
import sys
import uuid

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
        assert not job.limits & sh.JobLimit.KILL_ON_JOB_CLOSE
        job.kill_on_close()
        assert job.limits & sh.JobLimit.KILL_ON_JOB_CLOSE


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
