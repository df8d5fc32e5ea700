"""Hostile input gets a clear error naming the parameter, and nothing is left open or broken.

Each case here once got through: a name the kernel cut short, a failed
``to_python_file`` that closed a descriptor twice, a raw value that crashed
the interpreter, a negative value taken for a handle, cffi's own messages, an
infinite timeout that overflowed.
"""

from __future__ import annotations

import math
import os
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import safehandles as sh
from safehandles._bindings._constants import INFINITE
from safehandles._win32._arguments import OBJECT_NAME_MAX, milliseconds
from tests import probes
from tests.children import run_python

windows = pytest.mark.windows


# -- object names the kernel would cut short ------------------------------------------

NAMED_CREATORS: list[tuple[str, Callable[[str], sh.KernelHandle]]] = [
    ("Event", lambda name: sh.Event.create(name=name)),
    ("Mutex", lambda name: sh.Mutex.create(name=name)),
    ("Semaphore", lambda name: sh.Semaphore.create(0, 1, name=name)),
    ("WaitableTimer", lambda name: sh.WaitableTimer.create(name=name)),
    ("Job", lambda name: sh.Job.create(name=name)),
    ("FileMapping", lambda name: sh.FileMapping.create(4096, name=name)),
]


def _stem(length: int) -> str:
    prefix = f"Local\\safehandles-{uuid.uuid4()}-"
    return prefix + "x" * (length - len(prefix))


@windows
@pytest.mark.parametrize(("kind", "create"), NAMED_CREATORS, ids=[k for k, _ in NAMED_CREATORS])
def test_a_name_longer_than_the_kernel_keeps_is_refused(kind: str, create: Callable[[str], Any]) -> None:
    stem = _stem(OBJECT_NAME_MAX)  # exactly as long as the kernel keeps
    before = probes.open_handles()
    for last in "12":
        with pytest.raises(ValueError, match="name is 32767 UTF-16 code units long"):
            create(stem + last)
    assert probes.open_handles() <= before
    with create(stem) as longest:  # the longest name that reaches the kernel whole works
        assert longest.created_new


def test_a_character_outside_the_bmp_counts_as_two_code_units() -> None:
    with pytest.raises(ValueError, match="UTF-16 code units"):
        sh.Event.create(name="\U0001f600" * (OBJECT_NAME_MAX // 2 + 1))


# -- to_python_file: open()'s own error, and the File still usable --------------------


@windows
@pytest.mark.parametrize("transfer", [True, False])
@pytest.mark.parametrize(
    ("arguments", "error", "says"),
    [
        ({"mode": "r", "encoding": "no-such-codec"}, LookupError, "no-such-codec"),
        ({"mode": "r", "newline": "bad"}, ValueError, "newline"),
        ({"mode": "r", "buffering": 0}, ValueError, "unbuffered"),
        ({"mode": "rz"}, ValueError, "mode"),
    ],
    ids=["encoding", "newline", "unbuffered-text", "mode"],
)
def test_a_failed_to_python_file_raises_opens_error_and_leaves_the_file_usable(
    tmp_path: Path, transfer: bool, arguments: dict[str, Any], error: type[Exception], says: str
) -> None:
    with pytest.raises(error) as expected:
        open(os.devnull, **arguments)  # noqa: SIM115 - what open() itself says
    path = tmp_path / "data.txt"
    with sh.File.open(path, access="rw", disposition=sh.CreationDisposition.CREATE_ALWAYS) as file:
        value = file.dangerous_get_handle()
        before = probes.open_handles()
        with pytest.raises(error, match=says) as caught:
            file.to_python_file(transfer=transfer, **arguments)
        assert type(caught.value) is type(expected.value)
        assert not file.is_closed
        assert probes.is_open(value)
        assert probes.open_handles() <= before  # no duplicate left behind
        assert file.write(b"still usable") == 12
        with file.to_python_file("rb", transfer=False) as python_file:  # a valid call works afterwards
            python_file.seek(0)
            assert python_file.read() == b"still usable"
    assert not probes.is_open(value)


# -- from_raw validates where the kind can tell ---------------------------------------

_CRASHERS = """
import safehandles as sh
for make in (
    lambda: sh.Heap.from_raw(0x12340000, owns_handle=False).alloc(16),
    lambda: sh.Heap.from_raw(0x12340000, owns_handle=True).close(),
    lambda: sh.MappedView.from_raw(0x12340000, owns_handle=False).read(0, 4),
    lambda: sh.MappedView.from_raw(0x12340000, owns_handle=True).close(),
):
    try:
        make()
    except TypeError as error:
        print("refused:", error)
"""


@windows
def test_from_raw_refuses_addresses_that_are_no_heap_and_no_view() -> None:
    # In a child: before this was fixed, each of these ended the process with an access violation.
    result = run_python(_CRASHERS, "-W", "error")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("refused:") == 4, result.stdout
    assert "not a heap of this process" in result.stdout
    assert "not the base address of a mapped view" in result.stdout


@windows
def test_from_raw_accepts_real_heaps_and_views() -> None:
    default = sh.Heap.process_heap()
    with sh.Heap.from_raw(default.dangerous_get_handle(), owns_handle=False) as heap:
        heap.free(heap.alloc(8))
    with pytest.raises(ValueError, match="default heap"):
        sh.Heap.from_raw(default.dangerous_get_handle(), owns_handle=True)
    with sh.FileMapping.create(4096) as mapping, mapping.map() as view:
        view.write(0, b"abcd")
        with sh.MappedView.from_raw(view.address, owns_handle=False) as again:
            assert again.read(0, 4) == b"abcd"


@windows
@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda: sh.Event.from_raw(-7, owns_handle=True), "negative values are pseudo-handles"),
        (lambda: sh.Event.from_raw(-2, owns_handle=False), "Event has none"),
        (lambda: sh.Event.from_raw(0, owns_handle=False), "no handle"),
        (lambda: sh.Thread.from_raw(-1, owns_handle=False), "accepts only -0x2"),
        (lambda: sh.Process.from_raw(-1, owns_handle=True), "pseudo-handle"),
        (lambda: sh.AccessToken.from_raw(-3, owns_handle=False), "AccessToken accepts only -0x4, -0x5, -0x6"),
    ],
    ids=[
        "negative-owned",
        "thread-pseudo-as-event",
        "null",
        "process-pseudo-as-thread",
        "owned-pseudo",
        "token",
    ],
)
def test_from_raw_refuses_negative_values_but_a_kinds_own_pseudo_handles(
    make: Callable[[], object], says: str
) -> None:
    with pytest.raises(ValueError, match=says):
        make()


@windows
def test_from_raw_takes_a_kinds_own_pseudo_handles_borrowed() -> None:
    with sh.Process.from_raw(-1, owns_handle=False) as process:
        assert process.pid == os.getpid()
    with sh.Thread.from_raw(-2, owns_handle=False) as thread:
        assert thread.exit_code is None
    with sh.AccessToken.from_raw(-4, owns_handle=False) as token:  # GetCurrentProcessToken()
        assert token.user_sid.startswith("S-1-")


# -- messages that name the parameter, not cffi's -------------------------------------


@windows
@pytest.mark.parametrize(
    ("call", "error", "says"),
    [
        (lambda: sh.Heap.process_heap().alloc("1"), TypeError, "size must be"),  # type: ignore[arg-type]
        (lambda: sh.Heap.process_heap().alloc(True), TypeError, "size must be .*not bool"),
        (lambda: sh.Socket.from_raw(None, owns_handle=False), TypeError, "must be an int"),  # type: ignore[arg-type]
        (lambda: sh.Socket.from_raw(2**64, owns_handle=False), ValueError, "pointer"),
    ],
    ids=["alloc-str", "alloc-bool", "socket-none", "socket-huge"],
)
def test_bad_arguments_get_messages_that_name_them(
    call: Callable[[], object], error: type[Exception], says: str
) -> None:
    with pytest.raises(error, match=says) as caught:
        call()
    assert "an integer is required" not in str(caught.value)
    assert "int too big to convert" not in str(caught.value)


@windows
def test_socket_send_of_a_str_says_to_encode_it() -> None:
    with sh.Socket.create() as sock, pytest.raises(TypeError, match="encode it first"):
        sock.send("text")  # type: ignore[arg-type]


# -- timeouts, bools, strings for lists, the culprit's name ---------------------------


def test_an_infinite_timeout_waits_forever_as_none_does() -> None:
    assert milliseconds(math.inf) == milliseconds(None) == INFINITE
    for bad in (math.nan, -math.inf, -1):
        with pytest.raises(ValueError, match="timeout"):
            milliseconds(bad)


@windows
def test_wait_with_an_infinite_timeout_returns_when_signalled() -> None:
    with sh.Event.create(initial_state=True, manual_reset=True) as event:
        assert event.wait(math.inf)
        assert sh.wait_any([event], timeout=math.inf) == 0


@windows
def test_restricted_refuses_a_lone_privilege_name() -> None:
    with sh.AccessToken.open_process(access=sh.TokenAccess.ALL_ACCESS) as token:
        before = probes.open_handles()
        with pytest.raises(TypeError, match="list"):
            token.restricted(delete_privileges="SeShutdownPrivilege")
        assert probes.open_handles() <= before


@windows
def test_a_bad_working_directory_is_named_as_the_culprit(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-directory")
    before = probes.open_handles()
    with pytest.raises(OSError, match="CreateProcessW") as caught:
        sh.spawn([sys.executable, "-c", "pass"], cwd=missing)
    assert caught.value.filename == missing
    assert probes.open_handles() <= before
