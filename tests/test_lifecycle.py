"""Every kind, against the real OS: the handle exists, and is gone after close,
after an exception, after finalization and at interpreter exit."""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Callable

import pytest

import safehandles as sh
from tests import probes
from tests.children import run_python

pytestmark = pytest.mark.windows

# kind -> (factory of an owned handle, the object type the kernel reports)
KINDS: dict[str, tuple[Callable[[], sh.KernelHandle], str]] = {
    "Event": (lambda: sh.Event.create(), "Event"),
    "Mutex": (lambda: sh.Mutex.create(), "Mutant"),
    "Semaphore": (lambda: sh.Semaphore.create(0, 1), "Semaphore"),
    "WaitableTimer": (lambda: sh.WaitableTimer.create(), "Timer"),
    "Process": (lambda: sh.Process.open(os.getpid()), "Process"),
    "Thread": (lambda: sh.Thread.open(threading.get_native_id()), "Thread"),
}


@pytest.fixture(params=sorted(KINDS))
def kind(request: pytest.FixtureRequest) -> tuple[Callable[[], sh.KernelHandle], str]:
    return KINDS[request.param]


def test_handle_exists_with_its_type_until_close(kind: tuple[Callable[[], sh.KernelHandle], str]) -> None:
    factory, type_name = kind
    handle = factory()
    value = handle.dangerous_get_handle()
    assert probes.is_open(value)
    assert probes.type_name(value) == type_name
    assert handle.owns_handle
    handle.close()
    assert handle.is_closed
    assert not probes.is_open(value)


def test_handle_is_closed_when_the_with_block_raises(
    kind: tuple[Callable[[], sh.KernelHandle], str],
) -> None:
    factory, _ = kind
    with pytest.raises(ZeroDivisionError), factory() as handle:
        value = handle.dangerous_get_handle()
        assert probes.is_open(value)
        _ = 1 / 0
    assert not probes.is_open(value)


def test_dropped_handle_is_closed_by_its_finalizer(kind: tuple[Callable[[], sh.KernelHandle], str]) -> None:
    factory, _ = kind
    handle = factory()
    value = handle.dangerous_get_handle()
    with pytest.warns(ResourceWarning, match="never closed"):
        del handle
        gc.collect()
    assert not probes.is_open(value)


def test_handles_are_not_inheritable_unless_asked(kind: tuple[Callable[[], sh.KernelHandle], str]) -> None:
    factory, _ = kind
    with factory() as handle:
        assert handle.inheritable is False
        handle.inheritable = True
        assert handle.inheritable is True


@pytest.mark.parametrize(
    "create",
    [
        lambda: sh.Event.create(inheritable=True),
        lambda: sh.Mutex.create(inheritable=True),
        lambda: sh.Semaphore.create(0, 1, inheritable=True),
        lambda: sh.WaitableTimer.create(inheritable=True),
        lambda: sh.Process.open(os.getpid(), inheritable=True),
    ],
)
def test_inheritable_true_creates_an_inheritable_handle(create: Callable[[], sh.KernelHandle]) -> None:
    with create() as handle:
        assert handle.inheritable is True


def test_protect_from_close_is_readable_and_settable() -> None:
    with sh.Event.create() as event:
        assert event.protect_from_close is False
        event.protect_from_close = True
        assert event.protect_from_close is True
        event.protect_from_close = False


def test_from_raw_wraps_a_value_from_winapi_with_explicit_ownership() -> None:
    if sys.platform != "win32":
        pytest.skip("needs _winapi")
    import _winapi

    raw = _winapi.OpenProcess(sh.ProcessAccess.QUERY_LIMITED_INFORMATION, False, os.getpid())
    borrowed = sh.Process.from_raw(raw, owns_handle=False)
    assert borrowed.pid == os.getpid()
    borrowed.close()
    assert probes.is_open(raw)  # a borrowed wrapper never closes
    owned = sh.Process.from_raw(raw, owns_handle=True)
    assert owned.pid == os.getpid()
    owned.close()
    assert not probes.is_open(raw)


AT_EXIT_CHILD = """
import atexit
values = []

def report():
    print("still open at exit:", [v for v in values if probes.is_open(v)], flush=True)

# Registered before safehandles is imported, so it runs after the library's exit sweep.
atexit.register(report)
import safehandles as sh
from tests import probes
GLOBAL_EVENT = sh.Event.create()
cycle = [sh.Mutex.create()]; cycle.append(cycle)
import gc; gc.disable(); values += [GLOBAL_EVENT.dangerous_get_handle(), cycle[0].dangerous_get_handle()]
del cycle
print("open before exit:", all(probes.is_open(v) for v in values), flush=True)
"""


@pytest.mark.parametrize("frozen", [False, True], ids=["collected", "gc_frozen"])
def test_handles_alive_at_interpreter_exit_are_closed_by_the_exit_sweep(frozen: bool) -> None:
    # gc.freeze() (pre-fork servers call it) moves objects where gc.get_objects() does not look:
    # the sweep must still find the handles there.
    code = AT_EXIT_CHILD + ("gc.enable(); gc.freeze()\n" if frozen else "")
    result = run_python(code, "-W", "always::ResourceWarning")
    assert result.returncode == 0, result.stderr
    assert "open before exit: True" in result.stdout
    assert "still open at exit: []" in result.stdout, result.stdout + result.stderr
    assert result.stderr.count("closed at interpreter exit") == 2


class _Trivial(sh.SafeHandleZeroOrMinusOneIsInvalid):
    def __init__(self) -> None:
        super().__init__(True)
        self.set_handle(4)

    def release_handle(self) -> bool:
        return True


def test_wrappers_cost_no_kernel_object_of_their_own() -> None:
    # On Windows CPython 3.11 and 3.12 each threading.Lock is a kernel semaphore:
    # a lock per wrapper would show up here as one more handle per wrapper.
    gc.collect()
    before = probes.open_handles()
    wrappers = [_Trivial() for _ in range(100)]
    for wrapper in wrappers:
        with wrapper.borrow():
            wrapper.dangerous_add_ref()
            wrapper.dangerous_release()
    assert probes.open_handles() - before == set()
    events = [sh.Event.create() for _ in range(100)]
    assert probes.open_handles() - before == {e.dangerous_get_handle() for e in events}
    for handle in [*wrappers, *events]:
        handle.close()


def test_duplicate_is_a_new_owned_handle_of_the_same_class(
    kind: tuple[Callable[[], sh.KernelHandle], str],
) -> None:
    factory, type_name = kind
    with factory() as original:
        copy = original.duplicate()
        assert type(copy) is type(original)
        assert copy.owns_handle
        assert copy.dangerous_get_handle() != original.dangerous_get_handle()
        assert probes.type_name(copy.dangerous_get_handle()) == type_name
        assert copy.object_type == type_name
        assert copy.inheritable is False
        with original.duplicate(inheritable=True) as inherited:
            assert inherited.inheritable is True
    value = copy.dangerous_get_handle()
    assert probes.is_open(value)  # the copy outlives the original
    copy.close()
    assert not probes.is_open(value)


def test_duplicate_with_less_access_restricts_the_copy() -> None:
    with sh.Event.create() as event, event.duplicate(access=sh.EventAccess.SYNCHRONIZE) as waiter:
        assert not waiter.wait(0)
        with pytest.raises(PermissionError, match="SetEvent"):
            waiter.set()
        with pytest.raises(ValueError, match="EventAccess"):
            event.duplicate(access=0x8)


def test_duplicate_of_a_pseudo_handle_is_a_real_owned_handle() -> None:
    with sh.Process.current().duplicate() as me:
        assert me.dangerous_get_handle() > 0
        assert me.pid == os.getpid()
        assert probes.type_name(me.dangerous_get_handle()) == "Process"


def test_duplicate_of_a_closed_handle_raises() -> None:
    event = sh.Event.create()
    event.close()
    with pytest.raises(sh.ObjectDisposedError):
        event.duplicate()


def test_from_raw_refuses_a_value_of_another_kind_and_leaves_it_open() -> None:
    with sh.Mutex.create() as mutex:
        value = mutex.dangerous_get_handle()
        with pytest.raises(
            TypeError, match="is a Mutant object, not an Event object: Event wraps Event objects"
        ):
            sh.Event.from_raw(value, owns_handle=True)
        assert probes.is_open(value)
        assert not mutex.is_closed


def test_the_kind_check_reads_as_english_either_way() -> None:
    with sh.Event.create() as event, sh.IoCompletionPort.create() as port:
        with pytest.raises(TypeError) as caught:
            sh.Mutex.from_raw(event.dangerous_get_handle(), owns_handle=False)
        assert str(caught.value).endswith(
            "is an Event object, not a Mutant object: Mutex wraps Mutant objects"
        )
        with pytest.raises(TypeError) as caught:
            sh.Job.from_raw(port.dangerous_get_handle(), owns_handle=False)
        assert str(caught.value).endswith(
            "is an IoCompletion object, not a Job object: Job wraps Job objects"
        )
