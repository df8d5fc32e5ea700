"""Handing handles to and from the standard library (and ctypes, pywin32) against the real OS:
``from_raw``'s accepted values, ``PipeEnd.fileno()``/``to_python_file()`` with ``subprocess`` and
``os``, and ``Process.from_popen``."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import importlib
import os
import subprocess
import sys
import threading
from typing import Any

import pytest

import safehandles as sh
from tests import probes
from tests.children import python_code, run_python

pytestmark = pytest.mark.windows

msvcrt: Any = importlib.import_module("msvcrt") if sys.platform == "win32" else None
CHILD_PRINTS = [sys.executable, "-c", "import sys; sys.stdout.write('from the child'); sys.exit(3)"]


class Index:
    """An object that is no int but has ``__index__``, as numpy's integers are."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value


# -- from_raw: the values it takes --------------------------------------------------


@pytest.mark.parametrize(
    "spell",
    [
        pytest.param(lambda value: value, id="int"),
        pytest.param(Index, id="__index__"),
        pytest.param(lambda value: ctypes.c_void_p(value), id="c_void_p"),
        pytest.param(lambda value: ctypes.c_void_p(value + (1 << 64) if value < 0 else value), id="unsigned"),
        pytest.param(
            lambda value: __import__("ctypes.wintypes").wintypes.HANDLE(value), id="wintypes.HANDLE"
        ),
    ],
)
def test_from_raw_takes_ints_index_objects_and_ctypes_handles(spell: Any) -> None:
    with sh.Event.create(manual_reset=True) as event:
        value = event.dangerous_get_handle()
        borrowed = sh.Event.from_raw(spell(value), owns_handle=False)
        assert borrowed.dangerous_get_handle() == value
        borrowed.set()
        assert event.wait(0)  # the very same event
        borrowed.close()
        assert probes.is_open(value)


def test_from_raw_takes_ownership_of_a_ctypes_handle() -> None:
    raw = sh.Event.create()
    value = raw.detach()
    owned = sh.Event.from_raw(ctypes.c_void_p(value), owns_handle=True)
    owned.close()
    assert not probes.is_open(value)


def test_a_null_ctypes_handle_is_the_no_handle_value() -> None:
    with pytest.raises(ValueError, match="no handle"):
        sh.Event.from_raw(ctypes.c_void_p(), owns_handle=False)  # its value is None


@pytest.mark.parametrize(
    "value",
    [1.0, "0x10", b"\x10", None, True, ctypes.c_int(16), object()],
    ids=["float", "str", "bytes", "None", "bool", "c_int", "object"],
)
def test_from_raw_refuses_anything_else_with_type_error_and_closes_nothing(value: object) -> None:
    with sh.Event.create() as event:
        handle = event.dangerous_get_handle()
        with pytest.raises(TypeError, match="a handle value must be an int"):
            sh.Event.from_raw(value, owns_handle=True)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="a handle value must be an int"):
            sh.Socket.from_raw(value, owns_handle=True)  # type: ignore[arg-type]
        assert probes.is_open(handle)
        event.set()  # still usable


def test_from_raw_takes_a_pywin32_pyhandle_through_int() -> None:
    # pywin32's wheel is in the Wine test Python's site-packages; its .pth (which sets up
    # its DLLs) runs only for a site directory, so a child adds it, leaving this process as it was.
    code = """
import site, sys
for folder in list(sys.path):
    if folder.endswith("site-packages"):
        site.addsitedir(folder)
import win32event, win32api
import safehandles as sh
from tests import probes

handle = win32event.CreateEvent(None, True, False, None)
borrowed = sh.Event.from_raw(handle, owns_handle=False)
borrowed.set()
signalled = win32event.WaitForSingleObject(handle, 0) == win32event.WAIT_OBJECT_0
borrowed.close()
still_open = probes.is_open(int(handle))

owned = sh.Event.from_raw(handle.Detach(), owns_handle=False)  # Detach() gives a plain int
owned.close()
value = int(handle)  # 0 after Detach
taken = win32event.CreateEvent(None, True, False, None)
taken_value = int(taken)
adopted = sh.Event.from_raw(taken, owns_handle=True)
taken.Detach()  # the PyHANDLE gives up its ownership: only the wrapper closes it now
adopted.close()
print(type(handle).__name__, signalled, still_open, value, probes.is_open(taken_value))
"""
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["PyHANDLE", "True", "True", "0", "False"]


# -- PipeEnd with subprocess and os -------------------------------------------------


def test_popen_writes_into_a_pipe_end() -> None:
    # typeshed types stdout as int | IO[Any]: typed code passes writer.fileno() (the next test).
    reader, writer = sh.Pipe.create()
    with reader, writer:
        with subprocess.Popen(CHILD_PRINTS, stdout=writer, stdin=subprocess.DEVNULL) as child:  # type: ignore[call-overload]
            writer.close()  # the child holds its own inherited copy
            output = b""
            while chunk := reader.read():
                output += chunk
        assert child.returncode == 3
    assert output == b"from the child"


def test_popen_reads_from_a_pipe_end() -> None:
    code = python_code("import sys; sys.stdout.write(sys.stdin.read().upper())")
    reader, writer = sh.Pipe.create()
    command = [sys.executable, "-c", code]
    with reader, writer, subprocess.Popen(command, stdin=reader.fileno(), stdout=subprocess.PIPE) as child:
        reader.close()
        writer.write(b"shout")
        writer.close()
        out, _ = child.communicate(timeout=60)
    assert out == b"SHOUT"


def test_fileno_is_a_descriptor_over_a_copy_that_closes_with_the_pipe_end() -> None:
    reader, writer = sh.Pipe.create()
    with reader:
        fd = writer.fileno()
        assert writer.fileno() == fd  # one descriptor, made once
        copy = msvcrt.get_osfhandle(fd)
        assert copy != writer.dangerous_get_handle()
        assert probes.type_name(copy) == "File"
        assert not os.get_inheritable(fd)
        assert os.write(fd, b"via os.write") == 12
        assert reader.read(100) == b"via os.write"
        writer.close()
        assert not probes.is_open(copy)
        with pytest.raises(OSError, match="Bad file descriptor"):
            msvcrt.get_osfhandle(fd)  # the descriptor is gone from the C runtime with it
        assert reader.read() == b""  # and no write end is left anywhere
        with pytest.raises(sh.ObjectDisposedError):
            writer.fileno()


@pytest.mark.parametrize("end_it", ["detach", "finalizer", "borrowed close"])
def test_fileno_s_descriptor_goes_however_the_pipe_end_ends(end_it: str) -> None:
    reader, writer = sh.Pipe.create()
    with reader, writer:
        end: sh.PipeEnd = (
            sh.PipeEnd.from_raw(reader.dangerous_get_handle(), owns_handle=False)
            if end_it == "borrowed close"
            else reader.duplicate()
        )
        value = end.dangerous_get_handle()
        copy = msvcrt.get_osfhandle(end.fileno())
        if end_it == "detach":
            value = end.detach()
            assert probes.is_open(value)
            sh.PipeEnd.from_raw(value, owns_handle=True).close()
        elif end_it == "finalizer":
            with pytest.warns(ResourceWarning):
                del end
                gc.collect()
            assert not probes.is_open(value)
        else:
            end.close()
            assert probes.is_open(value)  # borrowed: the handle is the owner's
        assert not probes.is_open(copy)


def test_a_close_waits_for_a_fileno_in_progress() -> None:
    # fileno() holds a reference while it makes the descriptor: a close() from another
    # thread cannot leave a descriptor behind. Many rounds, racing.
    for _ in range(50):
        reader, writer = sh.Pipe.create()
        copies: list[int] = []

        def take(end: sh.PipeEnd = writer, copies: list[int] = copies) -> None:
            # Closed before fileno() (ObjectDisposedError) or between it and the lookup (EBADF).
            with contextlib.suppress(sh.ObjectDisposedError, OSError):
                copies.append(msvcrt.get_osfhandle(end.fileno()))

        thread = threading.Thread(target=take)
        thread.start()
        writer.close()
        thread.join()
        reader.close()
        assert not any(probes.is_open(copy) for copy in copies)


def test_pipe_end_to_python_file_transfers_or_duplicates() -> None:
    reader, writer = sh.Pipe.create()
    value = writer.dangerous_get_handle()
    with writer.to_python_file("w", encoding="utf-8", newline="") as python_file:
        assert writer.is_closed
        assert probes.is_open(value)
        python_file.write("text through a Python file\n")
    assert not probes.is_open(value)
    with reader:
        assert reader.read(100) == b"text through a Python file\n"
        with reader.to_python_file("rb", transfer=False) as copy:
            assert not reader.is_closed
            assert copy.read() == b""  # every write end is closed


def test_pipe_end_to_python_file_refuses_bad_arguments_and_keeps_the_end() -> None:
    with sh.Pipe.create() as (reader, writer):
        with pytest.raises(ValueError, match="invalid mode"):
            writer.to_python_file("wx+q")
        with pytest.raises(LookupError):
            writer.to_python_file("w", encoding="no-such-encoding")
        assert not writer.is_closed
        borrowed = sh.PipeEnd.from_raw(writer.dangerous_get_handle(), owns_handle=False)
        with pytest.raises(ValueError, match="borrowed"):
            borrowed.to_python_file("wb")
        borrowed.close()
        writer.write(b"x")
        assert reader.read(1) == b"x"


def test_an_overlapped_named_pipe_server_has_no_descriptor() -> None:
    with sh.NamedPipeServer.create(rf"\\.\pipe\safehandles-fileno-{os.getpid()}", overlapped=True) as server:
        with pytest.raises(ValueError, match="synchronous"):
            server.fileno()
        with pytest.raises(ValueError, match="synchronous"):
            server.to_python_file("rb")


# -- Process.from_popen -------------------------------------------------------------


def test_from_popen_borrows_the_popen_s_process_handle() -> None:
    with subprocess.Popen(CHILD_PRINTS, stdout=subprocess.DEVNULL) as child:
        process = sh.Process.from_popen(child)
        value = process.dangerous_get_handle()
        assert not process.owns_handle
        assert process.pid == child.pid
        assert process.wait(60)
        assert process.exit_code == 3
        process.close()
        assert probes.is_open(value)  # the Popen's own
    assert child.returncode == 3


def test_from_popen_keeps_the_handle_open_after_the_popen_is_gone() -> None:
    child = subprocess.Popen(CHILD_PRINTS, stdout=subprocess.DEVNULL)
    process = sh.Process.from_popen(child)
    value = process.dangerous_get_handle()
    child.wait(60)
    del child
    gc.collect()
    assert probes.is_open(value)  # subprocess's handle object lives as long as the wrapper
    assert process.exit_code == 3
    del process
    gc.collect()  # a borrowed wrapper warns about nothing
    assert not probes.is_open(value)


def test_from_popen_refuses_what_is_no_live_popen() -> None:
    with pytest.raises(TypeError, match=r"subprocess\.Popen"):
        sh.Process.from_popen(os.getpid())  # type: ignore[arg-type]
    child = subprocess.Popen(CHILD_PRINTS, stdout=subprocess.DEVNULL)
    child.wait(60)
    child._handle.Close()  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="already closed"):
        sh.Process.from_popen(child)
