"""Blocking waits that Ctrl+C interrupts in the main thread, as ``time.sleep`` is.

Why a native wait does not see Ctrl+C
-------------------------------------
CPython's C-level signal handler only records a signal; the Python handler
(the default one raises ``KeyboardInterrupt``) runs later, in the main thread,
when the interpreter next checks between bytecodes. A main thread blocked in
one native call, ``WaitForSingleObject(h, INFINITE)``, runs no bytecode, so
Ctrl+C is seen only when the call returns: 5 s late for ``wait(timeout=5)``,
never without a timeout. ``time.sleep`` escapes this because CPython waits on
its own SIGINT event as well, but that event is private C API
(``_PyOS_SigintEvent``), which a library must not bind to.

Waits: slices against a deadline
--------------------------------
So in the main thread a wait is cut into slices of at most :data:`SLICE_MS`
(50 ms), each a complete native wait, and the interpreter runs pending
handlers between slices (the loop's own calls and jumps are where it checks):
``KeyboardInterrupt`` surfaces within one slice of the signal, and propagates
out of the wait through the caller's ``_call``/``hold_all``, which hold their
references around the whole loop. What this keeps:

- Nothing is lost between slices. An object's signal is consumed only by the
  wait that returns it (an auto-reset event, a semaphore unit, a mutex's
  ownership); a slice that times out has taken nothing.
- The timeout keeps its exact meaning. The slices are measured against a
  deadline on ``time.perf_counter`` (``QueryPerformanceCounter``). Not
  ``time.monotonic``: before CPython 3.13 it is ``GetTickCount64`` on Windows,
  which moves in steps of about 15.6 ms, so a deadline on it could end a wait
  that much early. The last slice is the time left rounded up to the next
  millisecond: a wait never ends before its timeout, and exceeds it by no more
  than that rounding (and the scheduler's own lateness, as a single wait does).
- A handler that does not raise (a custom SIGINT handler that logs) lets the
  wait go on, still to its original deadline.
- Off the main thread no Python handler ever runs, so slicing would buy
  nothing: a wait there stays exactly one native call, as before.

One gap remains, the one ``docs/design.md`` describes for creators: an
exception raised by a handler in the few bytecodes after a slice that *did*
acquire (a mutex, a semaphore unit) reaches the caller with the object
acquired. With one long native wait the same happened after every Ctrl+C that
came during the wait; here it takes a signal within microseconds of the acquisition.

Blocking I/O that takes no timeout
----------------------------------
``ConnectNamedPipe`` on a handle opened without ``FILE_FLAG_OVERLAPPED`` waits
for a client in one call that no timeout can cut. In the main thread,
:func:`call_cancellable` makes that call on a helper thread and waits for the
helper in slices. When the wait raises (``KeyboardInterrupt``), it cancels the
call with ``CancelSynchronousIo``, Microsoft's documented way to end another
thread's synchronous I/O ("Canceling Pending I/O Operations"), and retries the
cancel at every slice, because the helper may not have entered the call yet
(the cancel then finds nothing: ``ERROR_NOT_FOUND``); a helper that has not
begun sees the cancel flag and never begins. Only once the helper has
returned is the exception re-raised, so nothing is left running. The helper
holds its own reference on the handle for the call, so even if the caller
stops waiting, no ``close()`` can free the value under the kernel.
"""

from __future__ import annotations

import _thread
import contextlib
import math
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Final, TypeVar

from .._bindings._constants import INFINITE, ThreadAccess, WaitResult
from .._bindings._errors import raise_winerror
from .._bindings._native import ffi, kernel32
from .._core._errors import ObjectDisposedError

if TYPE_CHECKING:
    from .._core._safehandle import SafeHandle
    from .._kinds._processes._thread import Thread
    from .._kinds._sync._event import Event

__all__ = ["SLICE_MS", "call_cancellable", "call_in_slices", "in_main_thread", "wait_objects"]

#: The longest native wait the main thread makes at once: Ctrl+C is seen within this.
SLICE_MS: Final = 50

_R = TypeVar("_R")


def in_main_thread() -> bool:
    """Whether this is the thread Python runs signal handlers in."""
    return threading.get_ident() == threading.main_thread().ident


def call_in_slices(call: Callable[[int], _R], ms: int, timed_out: Callable[[_R], bool]) -> _R:
    """``call(ms)``, for a native call with a timeout in milliseconds that can be repeated after one.

    *timed_out* tells from a result that the call timed out and took nothing,
    so that it can be made again (a wait's ``WAIT_TIMEOUT``, a dequeue that
    found no packet). *ms* is the whole timeout (``INFINITE``: none).

    Off the main thread, and for a poll (*ms* 0): one call. In the main
    thread: calls of at most :data:`SLICE_MS` until one returns a result that
    is not a time-out, or the deadline has passed (the last result is
    returned); exceptions raised by signal handlers between calls propagate.
    A result that carries an error code must read it inside *call*: a handler
    that runs between slices may make native calls of its own.
    """
    if ms == 0 or not in_main_thread():
        return call(ms)
    if ms == INFINITE:
        while True:
            result = call(SLICE_MS)
            if not timed_out(result):
                return result
    deadline = time.perf_counter() + ms / 1000
    left = ms
    while True:
        result = call(min(left, SLICE_MS))
        if not timed_out(result):
            return result
        left = math.ceil((deadline - time.perf_counter()) * 1000)
        if left <= 0:
            return result


def _wait_timed_out(result: int) -> bool:
    return result == WaitResult.TIMEOUT


def wait_objects(values: Sequence[int], wait_all: bool, ms: int) -> int:
    """Wait on the handle *values* for up to *ms* milliseconds (``INFINITE``: forever).

    One value: ``WaitForSingleObject``; several: ``WaitForMultipleObjects``,
    for all of them if *wait_all*. Returns the raw :class:`WaitResult` code
    (``OBJECT_0 + i``, ``ABANDONED_0 + i``, ``TIMEOUT``) and raises ``OSError``
    on ``WAIT_FAILED``. Interruptible in the main thread (see the module's
    docstring). The caller holds a reference on every handle for the whole
    call (``_call``, ``hold_all``).
    """
    if len(values) == 1:
        value = values[0]
        function = "WaitForSingleObject"
        result = call_in_slices(
            lambda slice_ms: kernel32.WaitForSingleObject(value, slice_ms), ms, _wait_timed_out
        )
    else:
        count = len(values)
        array = ffi.new("HANDLE[]", list(values))
        function = "WaitForMultipleObjects"
        result = call_in_slices(
            lambda slice_ms: kernel32.WaitForMultipleObjects(count, array, wait_all, slice_ms),
            ms,
            _wait_timed_out,
        )
    if result == WaitResult.FAILED:
        raise_winerror(function)
    return result


def call_cancellable(handle: SafeHandle, function: Callable[[int], _R]) -> _R:
    """``handle._call(function)`` for one blocking synchronous I/O call, interruptible in the main thread.

    *function* makes one call that ``CancelSynchronousIo`` can end (an I/O
    call on a handle opened without ``FILE_FLAG_OVERLAPPED``), and returns
    everything its caller needs, the last error included: in the main thread
    it runs on a helper thread, whose last error is its own. Off the main
    thread it runs right here. An exception raised in the main thread while
    the call is pending (``KeyboardInterrupt``) cancels it, waits until it
    has returned, and propagates; whatever the call did by then stands (a
    client that connected just as Ctrl+C came stays connected).
    """
    if not in_main_thread():
        return handle._call(function)
    # Imported here: the kinds are built on this module, so it cannot import them at load time.
    from .._kinds._processes._thread import Thread  # noqa: PLC0415
    from .._kinds._sync._event import Event  # noqa: PLC0415

    results: list[_R] = []
    errors: list[BaseException] = []  # raised in the caller's thread
    helper: list[Thread] = []  # the helper's own handle, for CancelSynchronousIo
    cancelled: list[None] = []

    def run() -> None:
        try:
            with Thread.open(threading.get_native_id(), access=ThreadAccess.TERMINATE) as me:
                helper.append(me)
                # The main thread sets the flag before it looks for the handle: either
                # this sees the flag, or that sees the handle and cancels until we return.
                if not cancelled:
                    results.append(handle._call(function))
        except BaseException as exc:
            errors.append(exc)
        finally:
            with contextlib.suppress(ObjectDisposedError):  # closed only if the caller gave up waiting
                done.set()

    with Event.create(manual_reset=True) as done:
        started = False
        try:
            _thread.start_new_thread(run, ())
            started = True
            done.wait()
        except BaseException:
            cancelled.append(None)
            # Not started: there is no thread, or an interrupt came in the bytecode after it
            # started; that thread then finds the flag set before it calls, or else holds
            # its own reference for a call that ends with the next client.
            if started:
                _cancel_until_returned(helper, done)
            raise
    if errors:
        raise errors[0]
    return results[0]


def _cancel_until_returned(helper: list[Thread], done: Event) -> None:
    """Cancel the helper's call at every slice until it has returned (see the module's docstring)."""
    while True:
        try:
            if helper:
                # FALSE (ERROR_NOT_FOUND) when the helper is not inside the call (yet, or any
                # more): tried again next slice. A closed handle: the helper has finished.
                with contextlib.suppress(ObjectDisposedError):
                    helper[0]._call(kernel32.CancelSynchronousIo)
            if done.wait(SLICE_MS / 1000):
                return
        except BaseException:  # the first exception is the one raised, once the helper is back
            continue
