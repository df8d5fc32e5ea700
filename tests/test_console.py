"""Console input and screen buffers (CreateFileW on CONIN$/CONOUT$, CreateConsoleScreenBuffer;
CloseHandle) against the real OS.

Under Wine, console handles exist only when Wine runs under a terminal; the test
runner gives it pipes, where every creator fails with ``ERROR_INVALID_HANDLE``.
So the success path runs in-process only where there is a console (Windows),
and, from Linux, in a Windows Python that Wine runs under a pseudo-terminal
(``script -qec``): ``test_console_kinds_under_a_pseudo_terminal``.
"""

from __future__ import annotations

import gc
import os
import shlex
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import safehandles as sh
from tests import probes
from tests.children import python_code

ROOT = Path(__file__).resolve().parent.parent
DETACHED_PROCESS = 0x0000_0008


def exercise() -> None:
    """The console kinds' whole life cycle; needs a console. Raises AssertionError on a failure."""
    with sh.ConsoleScreenBuffer.create() as buffer:
        value = buffer.dangerous_get_handle()
        assert probes.is_open(value)
        assert buffer.mode & sh.ConsoleMode.PROCESSED_OUTPUT
        assert buffer.write_text("off-screen text\n") == 16
        with buffer.duplicate() as copy:
            assert probes.is_open(copy.dangerous_get_handle())
    assert not probes.is_open(value)
    with sh.ConsoleScreenBuffer.open() as active, sh.ConsoleScreenBuffer.create() as other:
        other.activate()
        active.activate()
        assert active.write_text("") == 0
    with sh.ConsoleInput.open() as console_input:
        value = console_input.dangerous_get_handle()
        assert console_input.mode & sh.ConsoleMode.PROCESSED_INPUT
        assert console_input.pending_events() >= 0
        console_input.flush()
    assert not probes.is_open(value)
    dropped = sh.ConsoleScreenBuffer.create()
    value = dropped.dangerous_get_handle()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del dropped
        gc.collect()
    assert any(issubclass(w.category, ResourceWarning) for w in caught)
    assert not probes.is_open(value)
    with sh.ConsoleScreenBuffer.open() as output, pytest.raises(TypeError):
        output.write_text(b"bytes")  # type: ignore[arg-type]


NO_CONSOLE_CHILD = """
import safehandles as sh
from tests import probes
creators = (sh.ConsoleScreenBuffer.create, sh.ConsoleScreenBuffer.open, sh.ConsoleInput.open)
before = probes.open_handles()  # after the kinds have loaded: a module may make a lock as it loads
errors = []
for create in creators:
    try:
        create().close()
    except OSError as error:
        errors.append(error.winerror)
    else:
        errors.append(None)
print(errors, probes.open_handles() <= before)
"""


@pytest.mark.windows
def test_without_a_console_every_creator_fails_and_leaves_nothing_open() -> None:
    child = subprocess.run(
        [sys.executable, "-c", python_code(NO_CONSOLE_CHILD)],
        creationflags=DETACHED_PROCESS,  # no console, on Windows as under Wine
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.split() == ["[6,", "6,", "6]", "True"]


@pytest.mark.windows
def test_console_kinds_in_this_process() -> None:
    try:
        sh.ConsoleScreenBuffer.create().close()
    except OSError as error:
        if probes.UNDER_WINE and probes.winerror(error) == 6:
            pytest.skip(
                "Wine gives console handles only under a terminal, and the test runner uses pipes; "
                "test_console_kinds_under_a_pseudo_terminal covers this from Linux"
            )
        raise
    exercise()


def _wine_python() -> tuple[list[str], dict[str, str]]:
    """The command that runs this checkout's Windows Python 3.11 under Wine, and its environment."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import winpython
    finally:
        sys.path.pop(0)
    exe = winpython.cache_dir() / "winpy" / "cp311" / "python.exe"
    if not exe.exists() or shutil.which("wine") is None:
        pytest.skip("the Windows Python under Wine is not provisioned here (tools/winpython.py)")
    command = [
        "wine",
        str(exe),
        winpython.to_windows_path(winpython.BOOTSTRAP),
        winpython.to_windows_path(ROOT),
    ]
    return command, winpython.wine_env()


@pytest.mark.skipif(sys.platform != "linux", reason="drives Wine from Linux")
def test_console_kinds_under_a_pseudo_terminal() -> None:
    if shutil.which("script") is None:
        pytest.skip("needs util-linux's script(1) for a pseudo-terminal")
    command, env = _wine_python()
    code = "from tests.test_console import exercise; exercise(); print('console kinds OK')"
    # Wine's stdin is the terminal (so the process has a console); python.exe's output must be a pipe.
    inner = f"{shlex.join([*command, '-c', code])} 2>&1 | cat"
    result = subprocess.run(
        ["script", "-qec", inner, os.devnull],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "console kinds OK" in result.stdout, result.stdout + result.stderr
