"""``wait_async`` and ``wait_any_async``: waits on the library's wait threads.

A wait is handed to a wait thread of the library's, which waits on up to 63
handles at once with one ``WaitForMultipleObjects`` (the 64th slot is the
thread's own control event, which wakes it to take a wait in or let one go).
So 1,000 concurrent waits cost 16 threads, and a thread ends once it has had
nothing to wait for during ``IDLE_SECONDS``.

Why not ``RegisterWaitForSingleObject``: each registration waits on one
object, so a ``wait_any_async`` of several handles would be several waits,
and two auto-reset events signalled together would both be consumed where
the synchronous ``wait_any`` consumes one. A wait thread's single
``WaitForMultipleObjects`` consumes exactly the object it returns: the
lowest-numbered signalled slot, which belongs to one wait only. Waits on the
same handle share a slot; the earliest of them gets the signal, and the
next is woken on the next round if the object is still signalled (a manual-
reset event), which is what Windows documents for the same handle waited on
twice, without ever putting one handle in the array twice, which it forbids.

A wait holds a lasting reference on each of its handles from its start
until the wait thread lets it go: after the signal, the timeout, a
cancellation or a close of one of its handles. Cancelling the awaiting task
withdraws the wait and raises ``CancelledError`` once the thread has let it
go; if the object was signalled in the same instant, the signal was
consumed (a semaphore's count, an auto-reset event) and is not given back.

A mutex cannot be waited on this way: its ownership goes to the thread that
waited, and the wait thread is not the caller's.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import math
import threading
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

from .._bindings._constants import MAXIMUM_WAIT_OBJECTS, WaitResult
from .._bindings._errors import last_error, winerror_exception
from .._bindings._native import ffi, kernel32
from .._core._errors import ObjectDisposedError
from .._core._safehandle import LastingReference, _report_unraisable
from .._win32._in_flight import forget, track
from ._report import Completion

if TYPE_CHECKING:
    from .._kinds._sync._event import Event
    from .._win32._handles import WaitableHandle

__all__ = ["IDLE_SECONDS", "WAIT_SLOTS", "wait_any_async", "wait_threads"]

#: Handles one wait thread waits on (WaitForMultipleObjects' 64, less the control event).
WAIT_SLOTS: Final = MAXIMUM_WAIT_OBJECTS - 1
#: How long a wait thread waits with nothing to wait for before it ends.
IDLE_SECONDS: Final = 0.5

_lock = threading.Lock()
_threads: list[_WaitThread] = []
#: Whether _end_idle_threads is registered to run at exit (once, with the first wait thread).
_ends_at_exit = [False]


#: Wait threads started and not yet returned (an ending one counts until it has closed its event).
_running = [0]


def wait_threads() -> int:
    """How many wait threads are running now (for diagnostics and tests)."""
    with _lock:
        return _running[0]


class _Wait(Completion):
    __slots__ = (
        "deadline",
        "error",
        "handles",
        "index",
        "let_go",
        "references",
        "thread",
        "withdrawn",
    )

    def __init__(
        self, loop: asyncio.AbstractEventLoop, handles: list[WaitableHandle], deadline: float | None
    ) -> None:
        super().__init__(loop)
        self.handles = handles
        self.deadline = deadline
        self.references: list[LastingReference] = []
        self.thread: _WaitThread | None = None
        self.index: int | None = None  # which handle was signalled; None: timed out or withdrawn
        self.error: OSError | None = None
        self.withdrawn = False
        self.let_go = False  # the wait thread no longer waits for it (it is settling)

    def cancel(self, *, disposed: bool) -> None:
        if disposed:
            self.disposed = True
        with _lock:
            self.withdrawn = True
            thread = self.thread
        if thread is not None and not self.let_go:
            with contextlib.suppress(ObjectDisposedError):  # the thread let it go and ended meanwhile
                thread.control.set()

    def settle(self) -> None:
        """On the wait thread: let the wait go, give its references back, wake its loop."""
        for handle in self.handles:
            forget(handle, self)
        for reference in self.references:
            try:
                reference.release()
            except BaseException as exc:  # a failed CloseHandle of a closed handle must not stop the others
                _report_unraisable(exc, f"while releasing a handle waited on by {self!r}")
        self.report()


class _WaitThread:
    def __init__(self, control: Event) -> None:
        self.control = control
        self.waits: list[_Wait] = []
        self.used = 0
        self.ending = False
        self._settle_later: list[_Wait] = []
        self._thread = threading.Thread(target=self._serve, name="safehandles-waits", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    def _round(self) -> tuple[list[int], list[list[tuple[_Wait, int]]], float | None] | None:
        """Under the lock: the values to wait on, who waits on each, the nearest deadline; None to end."""
        now = time.monotonic()
        finished: list[_Wait] = []
        kept: list[_Wait] = []
        for wait in self.waits:
            if wait.withdrawn or (wait.deadline is not None and wait.deadline <= now):
                finished.append(wait)
            else:
                kept.append(wait)
        self.waits = kept
        self.used = sum(len(wait.handles) for wait in kept)
        for wait in finished:
            wait.let_go = True
        self._settle_later = finished
        if not kept and self.ending:
            return None
        slots: dict[int, int] = {}
        values: list[int] = []
        waiters: list[list[tuple[_Wait, int]]] = []
        for wait in kept:
            for position, reference in enumerate(wait.references):
                slot = slots.get(reference.value)
                if slot is None:
                    slot = slots[reference.value] = len(values)
                    values.append(reference.value)
                    waiters.append([])
                waiters[slot].append((wait, position))
        deadlines = [wait.deadline for wait in kept if wait.deadline is not None]
        return values, waiters, min(deadlines) if deadlines else None

    def _serve(self) -> None:
        while True:
            with _lock:
                plan = self._round()
            for wait in self._settle_later:
                wait.settle()
            self._settle_later = []
            if plan is None:
                self.control.close()
                with _lock:
                    _running[0] -= 1
                return
            values, waiters, deadline = plan
            if not values:
                ms = int(IDLE_SECONDS * 1000)
            elif deadline is None:
                ms = 0xFFFF_FFFF
            else:
                ms = max(0, math.ceil((deadline - time.monotonic()) * 1000))
            table: Any = ffi.new("HANDLE[]", len(values) + 1)
            for position, value in enumerate(values, 1):
                table[position] = value

            def wait_round(control: int, table: Any = table, count: int = len(table), ms: int = ms) -> int:
                table[0] = control
                return int(kernel32.WaitForMultipleObjects(count, table, 0, ms))

            result = self.control._call(wait_round)
            error = last_error() if result == WaitResult.FAILED else 0
            self._after(result, values, waiters, error)

    def _after(
        self, result: int, values: list[int], waiters: list[list[tuple[_Wait, int]]], error: int
    ) -> None:
        done: list[_Wait] = []
        with _lock:
            if result == WaitResult.TIMEOUT and not values:
                if not self.waits and not self.ending:  # idle: end, unless a wait is being placed right now
                    self.ending = True
                    _threads.remove(self)
            elif result == WaitResult.FAILED:
                exc = winerror_exception("WaitForMultipleObjects", error)
                for wait in self.waits:
                    wait.error = exc
                    wait.let_go = True
                done, self.waits, self.used = self.waits, [], 0
            else:
                slot = result - WaitResult.OBJECT_0 - 1
                if not 0 <= slot < len(values):  # WAIT_ABANDONED_0 + n: only mutexes, which are refused
                    slot = result - WaitResult.ABANDONED_0 - 1
                if 0 <= slot < len(values):
                    for wait, position in waiters[slot]:
                        if not wait.let_go and not wait.withdrawn:
                            wait.index = position
                            wait.let_go = True
                            self.waits.remove(wait)
                            self.used -= len(wait.handles)
                            done.append(wait)
                            break
        for wait in done:
            wait.settle()

    def take(self, wait: _Wait) -> None:
        """Under the lock: add *wait* to this thread's round."""
        wait.thread = self
        self.waits.append(wait)
        self.used += len(wait.handles)


def _place(wait: _Wait) -> None:
    from .._kinds._sync._event import Event  # noqa: PLC0415 (the kinds import this package lazily)

    with _lock:
        for thread in _threads:
            if not thread.ending and thread.used + len(wait.handles) <= WAIT_SLOTS:
                thread.take(wait)
                break
        else:
            if not _ends_at_exit[0]:
                _ends_at_exit[0] = True
                atexit.register(_end_idle_threads)  # runs before the exit sweep, registered earlier
            thread = _WaitThread(Event.create())
            thread.take(wait)
            _threads.append(thread)
            _running[0] += 1
            thread.start()
    thread.control.set()


def _end_idle_threads() -> None:
    """At interpreter exit: end the wait threads that wait for nothing, so each closes its own event.

    Those events are the library's, not handles the program forgot, and the
    exit sweep would close them with a ``ResourceWarning``. A thread that
    still has waits (the program exits with a ``wait_async`` pending) is left
    to the sweep, which closes the handles it waits on too.
    """
    with _lock:
        idle = [thread for thread in _threads if not thread.waits]
        for thread in idle:
            thread.ending = True
            _threads.remove(thread)
    for thread in idle:
        with contextlib.suppress(ObjectDisposedError):
            thread.control.set()
        thread.join(1.0)


def _refusal(handle: object) -> str | None:
    from .._win32._handles import WaitableHandle  # noqa: PLC0415

    if not isinstance(handle, WaitableHandle):
        return f"can only wait on waitable handles, not {type(handle).__name__}"
    return handle._async_wait_refusal


async def wait_any_async(handles: Iterable[WaitableHandle], timeout: float | None = None) -> int | None:
    """Await until one of *handles* is signalled; return its index, or None on timeout.

    The asynchronous twin of :func:`wait_any`: the same signal is consumed
    (one auto-reset event or semaphore count, the lowest-numbered signalled
    handle), and each handle is held open until the wait ends; closing one
    of them ends the wait with ``ObjectDisposedError``. Up to 63 handles.
    Cancelling the awaiting task ends the wait. Mutexes are refused with
    ``TypeError``: their ownership would go to the library's wait thread.
    """
    from .._bindings._constants import INFINITE  # noqa: PLC0415
    from .._kinds._sync._wait import wait_any  # noqa: PLC0415
    from .._win32._arguments import milliseconds  # noqa: PLC0415

    waited = list(handles)
    for handle in waited:
        refusal = _refusal(handle)
        if refusal is not None:
            raise TypeError(refusal)
    if not 1 <= len(waited) <= WAIT_SLOTS:
        raise ValueError(f"wait_any_async() waits on 1 to {WAIT_SLOTS} handles at once, not {len(waited)}")
    ms = milliseconds(timeout)
    if ms == 0:  # a poll: nothing to wait for
        return wait_any(waited, 0)
    loop = asyncio.get_running_loop()
    deadline = None if ms == INFINITE or timeout is None else time.monotonic() + float(timeout)
    wait = _Wait(loop, waited, deadline)
    try:
        for handle in waited:
            wait.references.append(LastingReference(handle))
    except BaseException:
        for reference in wait.references:
            reference.release()
        raise
    for handle in waited:
        track(handle, wait)
    _place(wait)
    await wait.settled()
    if wait.disposed:
        raise ObjectDisposedError(f"a handle waited on was closed during the wait: {waited!r}")
    if wait.error is not None:
        raise wait.error
    return wait.index
