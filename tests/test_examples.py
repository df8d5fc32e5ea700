"""Every program in examples/ runs under this (Windows) Python as a child and ends with nothing left open.

Each example ends with safehandles' own leak check (``start_tracking`` /
``snapshot().compare_to``) and prints "nothing left open"; a leak makes it
exit 1. mypy --strict checks the same files (``pyproject.toml`` lists examples/).
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
    "service_controller.py": [
        "installed safehandles-example-",
        "state: PAUSED",
        "state: RUNNING",
        "sent control 200",
        "state: STOPPED, exit code 0",
        "deleted safehandles-example-",
    ],
    "popen_pipe.py": ["child said: ['line one', 'line two']", "child exited: True with code 7"],
    "tcp_echo.py": [
        "server: connection from 127.0.0.1:",
        "client: echoed b'",
        "client: nothing more to read:",
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
