"""Every program in examples/ runs under this (Windows) Python as a child and ends with nothing left open.

Each example ends with safehandles' own leak check
(:class:`safehandles.LeakCheck`) and prints "nothing left open"; a leak
makes it exit 1. mypy --strict checks the same files (``pyproject.toml`` lists examples/).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.children import python_code

pytestmark = pytest.mark.windows

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

#: What each example must print, besides its final leak check.
EXPECTED: dict[str, list[str]] = {
    "token_inspection.py": ["user: ", "groups:", "  Everyone", "administrator: ", "integrity level: "],
    "scratch_files_and_heap.py": [
        "buffer: 12000 bytes in a 16384-byte block, grown 6 times",
        "heap and block intact: True",
        "terminated by zeros: True",
        "scratch file read back whole: True - listed while open: True",
        "scratch file gone after close: True",
        "report: 400 records, 12000 bytes",
        "report deleted: True",
        "deleting it again: FileNotFoundError naming the path: True",
    ],
    "service_controller.py": [
        "installed safehandles-example-",
        "state: PAUSED",
        "state: RUNNING",
        "sent control 200",
        "state: STOPPED, exit code 0",
        "deleted safehandles-example-",
    ],
    "directory_watcher.py": [
        "added report.txt",
        "renamed report.txt -> final.txt",
        "removed final.txt",
    ],
    "pipe_ipc.py": [
        "server: client 1 is one of ours: True",
        "server: client 2 is one of ours: True",
        "server: it said 'hello from ",
        "client ",
        "child exited with code 0",
    ],
    "popen_pipe.py": ["child said: ['line one', 'line two']", "child exited: True with code 7"],
    "process_tree_in_job.py": [
        "child runs: python.exe",
        "child in the job: True",
        "grandchild in the job: True",
        "processes in the job: 2",
        "job closed, child and grandchild ended: True",
    ],
    "run_and_capture.py": [
        "stdout: b'SAFEHANDLES SAFEHANDLES' ... (1200000 bytes)",
        "stderr: read 1200000 bytes",
        "exit code: 0",
        "hanging child said: started and was ended with 9",
    ],
    "job_worker_pool.py": [
        "job limits: ACTIVE_PROCESS|JOB_MEMORY|KILL_ON_JOB_CLOSE",
        "processes in the job: 3",
        "worker joined: ",
        "workers exited: 3 of 3, results [8, 28, 37]",
        "job accounting: 3 processes, 0 still running",
    ],
    "single_instance.py": [
        "first instance: owns Local\\safehandles-example-single-instance-",
        "second instance: exited with 3 (another instance is running)",
        "the second instance asked this one to come forward: True",
        "after it closed: a new instance is first again: True",
    ],
    "shared_mapping.py": [
        "mapping: 4096 bytes named Local\\safehandles-example-mapping-",
        "child replied: True",
        "reply: pid ",
        "child exited with 0",
    ],
    "registry_edit.py": [
        "created HKCU\\Software\\safehandles-example-",
        "retries: 3 (DWORD)",
        "  value paths: MULTI_SZ ['C:\\\\tools', 'D:\\\\bin']",
        "subkeys: ['settings']",
        "blob: deleted",
        "deleted HKCU\\Software\\safehandles-example-",
    ],
    "supervise_child.py": [
        "ui restrictions: ",
        "cpu rate: ",
        "child suspended, not running: True",
        "child in the job: True",
        "child token has SeShutdownPrivilege: False",
        "resumed, previous suspend count: 1",
        "child: running as ",
        "paused, previous suspend count: 0",
        "still alive while paused: True",
        "resumed again, previous suspend count: 1",
        "child ended before the deadline: True",
        "child exit code: 3",
    ],
    "async_watch_and_serve.py": [
        "server: job 1: 'print report'",
        "server: job 2: 'print report'",
        "watcher: spooled job-1.txt",
        "watcher: spooled job-2.txt",
        "client: the spooler replied 'queued as job ",
        "client exited with code 0",
        "admin: the spooler replied 'stopping'",
        "stop event set: True",
        "spool: ['job-1.txt', 'job-2.txt']",
    ],
    "tcp_echo.py": [
        "server: connection from 127.0.0.1:",
        "client: echoed b'",
        "client: nothing more to read:",
    ],
    "udp_and_handover.py": [
        "collector is an administrator: ",
        "collector receive buffer holds bytes: True",
        "datagrams logged: ['127.0.0.1: disk C: 71% full', '127.0.0.1: service spooler RUNNING']",
        "collector error pending: 0",
        "worker: answered b'job 42'",
        "client got: b'worker handled job 42'",
    ],
}


def test_every_example_has_its_expectations() -> None:
    assert sorted(path.name for path in EXAMPLES.glob("*.py")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs_and_leaves_nothing_open(name: str) -> None:
    path = EXAMPLES / name
    # The embeddable Python ignores PYTHONPATH: the child puts this checkout on sys.path first.
    run = f"import runpy, sys; sys.argv = [{str(path)!r}]; runpy.run_path(sys.argv[0], run_name='__main__')"
    code = python_code(run)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for expected in EXPECTED[name]:
        assert any(line.startswith(expected) for line in lines), (expected, done.stdout)
    assert lines[-1].endswith("nothing left open"), done.stdout
    assert "Traceback" not in done.stderr
