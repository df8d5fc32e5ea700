"""The README's claims about the census's one-off system handles and hidden ResourceWarnings.

A process's first use of some services opens a handle the system keeps for
good; the census counts it, and it is not a leak. These tests pin down the
ones the README names, so the explanation stays true.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.children import python_code, run_python

pytestmark = pytest.mark.windows

# Each child prints the census's change, by type, after each step, as JSON lines.
_PRELUDE = """
import json, socket, sys, threading
import safehandles as sh
sh.Event, sh.Mutex  # load the kinds (and whatever locks their modules make) before any baseline
def step(action):
    before = sh.handle_census()
    action()
    after = sh.handle_census()
    print(json.dumps({k: after[k] - before[k] for k in set(after) | set(before) if after[k] != before[k]}))
"""


def _steps(code: str) -> list[dict[str, int]]:
    result = run_python(_PRELUDE + code)
    assert result.returncode == 0, result.stdout + result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_the_first_named_object_opens_the_object_directory_for_good() -> None:
    first, second, anonymous = _steps(
        "def named(n):\n"
        "    with sh.Event.create(name=n):\n"
        "        pass\n"
        "step(lambda: named(r'Local\\census-one-off-1'))\n"
        "step(lambda: named(r'Local\\census-one-off-2'))\n"
        "step(lambda: sh.Event.create().close())\n"
    )
    assert first == {"Directory": 1}  # BaseNamedObjects, opened by the first named create
    assert second == {}
    assert anonymous == {}


def test_the_first_socket_leaves_winsock_an_event_for_good() -> None:
    first, second = _steps(
        "def connect():\n"
        "    with socket.socket() as server:\n"
        "        server.bind(('127.0.0.1', 0)); server.listen()\n"
        "        with socket.create_connection(server.getsockname()) as client:\n"
        "            accepted, _ = server.accept()\n"
        "            accepted.close()\n"
        "step(connect)\n"
        "step(connect)\n"
    )
    assert first == {"Event": 1}  # every socket is closed: what stays is Winsock's own event
    assert second == {}


def test_python_locks_hold_a_kernel_semaphore_on_3_11_only() -> None:
    made, freed = _steps(
        "kept = []\nstep(lambda: kept.extend(threading.Lock() for _ in range(10)))\nstep(kept.clear)\n"
    )
    if sys.version_info < (3, 12):
        assert made == {"Semaphore": 10}  # one per lock, for the lock's lifetime: not a leak
        assert freed == {"Semaphore": -10}
    else:
        assert made == {}
        assert freed == {}


_DROP = "import safehandles as sh\nsh.Event.create()  # dropped: its finalizer closes it\n"


def test_default_filters_hide_the_resource_warning() -> None:
    result = run_python(_DROP)
    assert result.returncode == 0, result.stderr
    assert "ResourceWarning" not in result.stderr, result.stderr


@pytest.mark.parametrize("flags", [("-W", "default"), ("-X", "dev")], ids=["-W default", "-X dev"])
def test_a_flag_shows_the_resource_warning(flags: tuple[str, str]) -> None:
    result = run_python(_DROP, *flags)
    assert result.returncode == 0, result.stderr
    assert "ResourceWarning: <Event handle=" in result.stderr, result.stderr
    assert "was never closed" in result.stderr, result.stderr


def test_pythonwarnings_shows_the_resource_warning() -> None:
    env = dict(os.environ, PYTHONWARNINGS="default")
    result = subprocess.run(
        [sys.executable, "-c", python_code(_DROP)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert "ResourceWarning: <Event handle=" in result.stderr, result.stderr
