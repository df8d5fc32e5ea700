"""A short tour of the kinds: what the library's main job looks like in practice.

Each step does something real and prints what the OS did, so the tour doubles
as a smoke test of an installation (on Linux it runs under Wine).
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile
import threading
import time
import uuid
import warnings
from collections.abc import Callable
from typing import TextIO

import safehandles as sh
from safehandles._bindings._native import IS_WINDOWS

Say = Callable[[str], None]
EXIT_NOT_WINDOWS = 3


def run_tour(out: TextIO) -> int:
    """Print the tour to *out*; return 0, or 3 where Windows is unavailable."""

    def say(text: str) -> None:
        print(text, file=out, flush=True)

    if not IS_WINDOWS:
        say(f"safehandles wraps Windows handles; this is {sys.platform}.")
        say("On Linux, run the tour under Wine: python3 tools/dev.py tour")
        return EXIT_NOT_WINDOWS
    say(f"safehandles {sh.__version__} on Python {sys.version.split()[0]}, pid {os.getpid()}")
    for number, step in enumerate(STEPS, 1):
        say(f"\n{number}. {(step.__doc__ or '').strip()}")
        step(say)
    say("\nDone: every handle the tour opened is closed.")
    say("\nRead on: docs/design.md (the ownership model), docs/safehandle-semantics.md,")
    say("docs/kinds.md (every kind), and the site built by `python3 tools/dev.py docs` into site/.")
    return 0


def _event_and_named_mutex(say: Say) -> None:
    """Event and named Mutex in one with-statement"""
    name = f"Local\\safehandles-tour-{uuid.uuid4().hex[:8]}"
    with sh.Event.create(manual_reset=True) as ready, sh.Mutex.create(name=name) as lock:
        say(f"   created {ready!r} and {lock!r} (created_new={lock.created_new})")
        with sh.Mutex.create(name=name) as again:
            say(f"   a second create of {name!r}: created_new={again.created_new}, handle kept")
        ready.set()
        say(f"   set the event; wait(timeout=1.5) -> {ready.wait(timeout=1.5)}")
        with lock.acquire(timeout=1):
            say("   acquired the mutex through a guard that releases it on exit")
    say(f"   after the block: {ready!r}, {lock!r}")


def _semaphore_and_timer(say: Say) -> None:
    """Semaphore and waitable timer, waited on together"""
    with sh.Semaphore.create(0, 2) as slots, sh.WaitableTimer.create() as timer:
        timer.set(0.05)
        say(f"   wait_any([semaphore, timer]) -> index {sh.wait_any([slots, timer], timeout=2)} (the timer)")
        say(f"   semaphore.release(2) -> previous count {slots.release(2)}")
        say(f"   wait_all([semaphore]) -> {sh.wait_all([slots], timeout=0)}")


def _process_and_thread(say: Say) -> None:
    """This process and thread, through borrowed pseudo-handles"""
    me, thread = sh.Process.current(), sh.Thread.current()
    say(f"   {me!r}: pid {me.pid}, exit_code {me.exit_code}")
    say(f"   {thread!r}: tid {thread.tid}")


def _private_heap(say: Say) -> None:
    """A private heap, destroyed by HeapDestroy on close"""
    with sh.Heap.create() as heap:
        block = heap.alloc(64)
        say(f"   alloc(64) -> {block:#x}, size {heap.size(block)}")
        heap.free(block)
        try:
            heap.free(block)
        except ValueError as exc:
            say(f"   a second free is refused before it reaches the OS: {exc}")


def _recycled_value(say: Say) -> None:
    """A closed wrapper never reaches the object that reuses its value"""
    stale = sh.Event.create()
    value = stale.dangerous_get_handle()
    stale.close()
    with sh.Event.create() as newcomer:
        reused = "the same value" if newcomer.dangerous_get_handle() == value else "another value"
        say(f"   closed {value:#x}; the next event got {reused}")
        try:
            stale.set()
        except sh.ObjectDisposedError as exc:
            say(f"   stale.set() -> ObjectDisposedError({exc}); the newcomer was not touched")


def _deferred_close(say: Say) -> None:
    """A close while another thread waits is deferred until the wait returns"""
    event = sh.Event.create()
    waiter = threading.Thread(target=event.wait)
    waiter.start()
    time.sleep(0.2)  # let the wait reach the kernel, holding its reference
    event.close()
    say(f"   close() with a wait in flight: is_closed={event.is_closed}")
    try:
        event.set()  # a closing handle still serves calls: it stays open for the wait
    except sh.ObjectDisposedError:  # the waiter had not started waiting yet (a loaded machine)
        say("   (the wait had not begun: the close took effect at once)")
    waiter.join()
    say(f"   the wait returned, the last reference went: is_closed={event.is_closed}")


def _finalizer(say: Say) -> None:
    """A handle dropped without closing is closed by its finalizer"""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sh.Event.create()
        gc.collect()
    for warning in caught:
        say(f"   {warning.category.__name__}: {warning.message}")


def _file(say: Say) -> None:
    """A file: written, read back, and deleted when its handle closes"""
    path = os.path.join(tempfile.gettempdir(), f"safehandles-tour-{uuid.uuid4().hex[:8]}.txt")
    with sh.File.open(
        path, access="rw", disposition=sh.CreationDisposition.CREATE_ALWAYS, delete_on_close=True
    ) as file:
        file.write(b"hello from the tour")
        file.seek(0)
        say(f"   {file!r}: wrote and read back {file.read()!r}, size {file.size()}")
    say(f"   closed with delete_on_close=True: the file exists afterwards: {os.path.exists(path)}")


def _pipe_and_job(say: Say) -> None:
    """An anonymous pipe and a child process in a job that ends it on close"""
    with sh.Pipe.create() as (reader, writer):
        writer.write(b"ping")
        say(f"   pipe: wrote b'ping', read back {reader.read(4)!r}")
    with sh.Job.create() as job:
        job.set_limits(sh.JobLimits(kill_on_close=True))
        child = sh.spawn(
            [sys.executable, "-c", "print('hello from the child')"], stdout=sh.Redirect.PIPE, job=job
        )
        with child:
            output, _ = child.communicate(timeout=30)
            code = child.process.exit_code
            say(f"   child {child.pid} in the job printed {output.strip()!r} and exited with {code}")
        say(f"   job accounting: {job.accounting().total_processes} process(es) ran in it")


def _registry(say: Say) -> None:
    """A registry key under HKEY_CURRENT_USER, created, read and deleted"""
    name = f"Software\\safehandles-tour-{uuid.uuid4().hex[:8]}"
    root = sh.RegistryKey.HKEY_CURRENT_USER
    with root.create(name) as key:
        key.set_value("count", 3)
        say(f"   {key!r} created_new={key.created_new}; count -> {key.get_value('count').data!r}")
    root.delete_subkey(name)
    say(f"   deleted {name!r}; the predefined root itself is borrowed and never closed")


def _leak_tools(say: Say) -> None:
    """The leak tools: census, tracking and LeakCheck"""
    # LeakCheck turns tracking on for its block, so each leak comes with its creation stack.
    before = sh.handle_census()
    with sh.LeakCheck() as check:
        kept = sh.Event.create()
    say(f"   census of this process: {sum(before.values())} handles, {before.most_common(1)[0][0]} the most")
    say("   LeakCheck around a block that kept an event open reports, with where it was created:")
    for line in str(check).splitlines()[2:6]:
        say(f"     {line.strip()}")
    kept.close()
    with sh.LeakCheck() as check, sh.Event.create():
        pass
    say(f"   and around one that closed it: {check}")


STEPS: tuple[Callable[[Say], None], ...] = (
    _event_and_named_mutex,
    _semaphore_and_timer,
    _process_and_thread,
    _private_heap,
    _recycled_value,
    _deferred_close,
    _finalizer,
    _file,
    _pipe_and_job,
    _registry,
    _leak_tools,
)
