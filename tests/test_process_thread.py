"""Processes and threads against the real OS."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

import safehandles as sh
from tests import probes

pytestmark = pytest.mark.windows

SLEEPER = [sys.executable, "-c", "import time; time.sleep(30)"]


def test_current_process_is_a_borrowed_pseudo_handle() -> None:
    process = sh.Process.current()
    assert process.dangerous_get_handle() == -1
    assert not process.is_invalid  # -1 is valid for a process: it is the current process
    assert not process.owns_handle
    assert process.pid == os.getpid()
    assert process.exit_code is None
    assert not process.wait(0)
    process.close()
    assert sh.Process.current().pid == os.getpid()  # closing the pseudo-handle closed nothing


@pytest.mark.wine_differs("GetProcessHandleCount succeeds but always reports 0")
def test_handle_count_counts_this_process_handles() -> None:
    process = sh.Process.current()
    before = process.handle_count()
    events = [sh.Event.create() for _ in range(10)]
    try:
        assert process.handle_count() >= before + 10
    finally:
        for event in events:
            event.close()


def test_handle_count_succeeds() -> None:
    assert sh.Process.current().handle_count() >= 0


def test_open_a_child_wait_and_read_its_exit_code() -> None:
    child = subprocess.Popen([sys.executable, "-c", "raise SystemExit(7)"])
    with sh.Process.open(child.pid) as process:
        assert process.pid == child.pid
        assert process.wait(30)
        assert process.exit_code == 7
    child.wait()


def test_terminate_needs_the_terminate_right() -> None:
    child = subprocess.Popen(SLEEPER)
    try:
        with sh.Process.open(child.pid) as limited, pytest.raises(PermissionError, match="TerminateProcess"):
            limited.terminate()
        access = (
            sh.ProcessAccess.TERMINATE
            | sh.ProcessAccess.SYNCHRONIZE
            | sh.ProcessAccess.QUERY_LIMITED_INFORMATION
        )
        with sh.Process.open(child.pid, access=access) as process:
            assert process.exit_code is None
            process.terminate(exit_code=3)
            assert process.wait(30)
            assert process.exit_code == 3
    finally:
        child.kill()
        child.wait()


def test_open_of_a_missing_process_raises_with_winerror() -> None:
    with pytest.raises(OSError, match="OpenProcess") as caught:
        sh.Process.open(0xFFFF_FFF0)
    assert probes.winerror(caught.value) == 87  # ERROR_INVALID_PARAMETER


@pytest.mark.parametrize(("pid", "error"), [(-1, ValueError), (1 << 32, ValueError), ("1", TypeError)])
def test_open_with_a_bad_pid(pid: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        sh.Process.open(pid)  # type: ignore[arg-type]


def test_open_with_a_bad_access_mask() -> None:
    # 0x4 is PROCESS_SET_SESSIONID; bit 22 is no right at all (winnt.h leaves 21-23 unused).
    with pytest.raises(ValueError, match="ProcessAccess"):
        sh.Process.open(os.getpid(), access=0x0040_0000)


def test_current_thread_is_a_borrowed_pseudo_handle() -> None:
    thread = sh.Thread.current()
    assert thread.dangerous_get_handle() == -2
    assert not thread.owns_handle
    assert thread.tid == threading.get_native_id()
    assert thread.exit_code is None


def test_open_a_thread_wait_for_it_and_read_its_exit_code() -> None:
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    assert worker.native_id is not None
    with sh.Thread.open(worker.native_id) as thread:
        value = thread.dangerous_get_handle()
        assert probes.type_name(value) == "Thread"
        assert thread.tid == worker.native_id
        assert not thread.wait(0)
        assert thread.exit_code is None
        release.set()
        assert thread.wait(30)
        assert thread.exit_code == 0
    worker.join()
    assert not probes.is_open(value)
