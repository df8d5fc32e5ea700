"""LeakCheck: what a stretch of code left open, for scripts, examples and the pytest plugin.

Handle counts are noisy (a runtime opens handles lazily, the first named
object opens a directory, a thread's handle lingers until it is joined), so
the check warms up once per process, compares the *sets* of handle values
rather than counts, and before it reports anything collects garbage and
gives late closers a few short chances.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
import time
import warnings
from collections import Counter
from dataclasses import replace
from pathlib import Path

from typing_extensions import Self

from .._bindings._native import IS_WINDOWS
from .._win32._arguments import integer
from ._census import list_handles
from ._tracking import KindDiff, Snapshot, is_tracking, snapshot, start_tracking, stop_tracking

__all__ = ["LeakCheck"]

_SETTLE_ATTEMPTS = 5
_warmed_up = False


def _standard_stream_handles() -> set[int]:
    """The OS handles behind file descriptors 0-2.

    Output capturing redirects these with ``dup2`` around every test phase,
    and on Windows each ``dup2`` makes a new OS handle: noise, not a leak.
    """
    if sys.platform != "win32":
        return set()
    import msvcrt  # noqa: PLC0415 - Windows only

    values = set()
    for fd in (0, 1, 2):
        try:
            values.add(msvcrt.get_osfhandle(fd))
        except OSError:  # not open
            continue
    return values


def _os_handles() -> dict[int, str]:
    """This process's open handles (value: type), less the standard streams'; empty off Windows."""
    if not IS_WINDOWS:
        return {}
    streams = _standard_stream_handles()
    return {h.value: h.type_name for h in list_handles(os.getpid()) if h.value not in streams}


def _warm_up() -> None:
    """Let the first look pay for what the looking itself opens or caches."""
    global _warmed_up
    if not _warmed_up:
        gc.collect()
        if IS_WINDOWS:  # the first named object opens the session's object directory, for good
            from .._kinds._sync._event import Event  # noqa: PLC0415 (diagnostics load no kinds)

            Event.create(name=f"Local\\safehandles-warm-up-{os.getpid()}").close()
        _os_handles()
        snapshot()
        _warmed_up = True


class LeakCheck:
    """What a stretch of code left open: wrappers, OS handles, and handles it forgot.

    Use it as a context manager around the code, then look at it::

        with sh.LeakCheck() as leaks:
            main()
        print("leak check:", leaks)        # "nothing left open", or the report
        sys.exit(0 if leaks.clean else 1)

    It reports, once the block is done (after collecting garbage and giving
    late closers a few short chances):

    * safehandles wrappers opened in the block and still open, by kind,
      each with the traceback of where it was created (tracking is on for
      the block, *traceback_depth* frames deep);
    * with *os_handles* (the default), OS handles of this process opened in
      the block and still open, whichever library opened them (Windows), by
      object type. Some are one-off system handles that stay for good
      (Winsock's event after the first connection, say): turn it off for a
      block that makes the process's first use of such a service;
    * with *record_forgotten* (the default), every handle the block dropped
      without closing, which its finalizer closed: the ``ResourceWarning``
      that Python's default filters hide. Recording them replaces the
      warnings filters for the block (``warnings.catch_warnings``), so leave
      it off where another tool (pytest) records warnings.

    ``start()`` and ``finish()`` are the same without ``with``.
    """

    def __init__(
        self, traceback_depth: int = 10, *, os_handles: bool = True, record_forgotten: bool = True
    ) -> None:
        self._depth = integer(traceback_depth, "traceback_depth", minimum=1, maximum=None)
        self._record = bool(record_forgotten)
        self._look_at_os = bool(os_handles)
        self._was_tracking = False
        self._wrappers: Snapshot | None = None
        self._os: dict[int, str] = {}
        self._warnings: warnings.catch_warnings[list[warnings.WarningMessage]] | None = None
        self._caught: list[warnings.WarningMessage] = []
        #: The report once finished: None if nothing was left open or forgotten.
        self.report: str | None = None

    def start(self) -> None:
        """Remember what is open now (and start recording what gets forgotten)."""
        _warm_up()
        # Each public name loads with its module on first use, and a module may make a lock (a kernel
        # semaphore on CPython 3.11 and 3.12) as it loads: load them all before, not inside, the check.
        package = importlib.import_module("safehandles")
        for name in package.__all__:
            getattr(package, name)
        if "asyncio" in sys.modules:
            # The async machinery's modules, and the thread pool behind asyncio's default
            # executor (run_in_executor(None), to_thread), make lasting locks (kernel semaphores
            # on CPython 3.11 and 3.12) when first imported: let that happen before the check.
            for module in (
                "safehandles._async._io",
                "safehandles._async._waits",
                "concurrent.futures.thread",
            ):
                importlib.import_module(module)
        self._was_tracking = is_tracking()
        if not self._was_tracking:
            start_tracking(self._depth)
        if self._record:
            self._warnings = warnings.catch_warnings(record=True)
            self._caught = self._warnings.__enter__()
            warnings.simplefilter("always", ResourceWarning)
        self._wrappers = snapshot()
        self._os = _os_handles() if self._look_at_os else {}

    def finish(self) -> str | None:
        """The leak report, or None if everything opened since :meth:`start` was closed."""
        if self._wrappers is None:
            raise RuntimeError("LeakCheck.finish() before start()")
        try:
            wrappers: list[KindDiff] = []
            os_new: set[tuple[int, str]] = set()
            for attempt in range(_SETTLE_ATTEMPTS):
                if attempt:  # a full collection is slow: only once something looks left open
                    gc.collect()
                    if attempt == 1:
                        _let_the_async_threads_end()
                ours = _library_handles()
                diffs = [_not_ours(diff, ours) for diff in snapshot().compare_to(self._wrappers)]
                wrappers = [diff for diff in diffs if diff.opened]
                # By value: a type name could in principle be read differently twice.
                now = _os_handles() if self._look_at_os else {}
                known = self._os.keys() | ours
                os_new = {(value, name) for value, name in now.items() if value not in known}
                if not wrappers and not os_new:
                    break
                time.sleep(0.01 * attempt)
            if self._record:
                gc.collect()  # let the finalizers of dropped handles speak now
        finally:
            if self._warnings is not None:
                self._warnings.__exit__(None, None, None)
                self._warnings = None
            if not self._was_tracking:
                stop_tracking()
        forgotten = [str(w.message) for w in self._caught if issubclass(w.category, ResourceWarning)]
        wrappers = [_in_user_code(diff) for diff in wrappers]
        self.report = _report(wrappers, os_new, forgotten) if wrappers or os_new or forgotten else None
        return self.report

    @property
    def clean(self) -> bool:
        """Whether the finished check found nothing left open and nothing forgotten."""
        return self.report is None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.finish()

    def __str__(self) -> str:
        return self.report if self.report is not None else "nothing left open"


# Frames of the test runner and of this library say nothing about where the
# user's code opened a handle; the report keeps the rest.
_LIBRARY_DIR = str(Path(__file__).resolve().parent.parent)
_RUNNER_PARTS = ("_pytest", "pluggy")


def _is_user_frame(filename: str) -> bool:
    path = Path(filename)
    if str(path.resolve()).startswith(_LIBRARY_DIR):
        return False
    return not any(part in _RUNNER_PARTS for part in path.parts)


def _in_user_code(diff: KindDiff) -> KindDiff:
    opened = []
    for handle in diff.opened:
        frames = handle.traceback
        if frames:
            kept = tuple(frame for frame in frames if _is_user_frame(frame.filename))
            # A handle opened by the library or the runner alone keeps its whole stack.
            frames = kept or frames
        opened.append(replace(handle, traceback=frames))
    return replace(diff, opened=tuple(opened))


def _library_handles() -> set[int]:
    """The library's own lasting handles, opened on first use and kept: the async completion port."""
    port_module = sys.modules.get("safehandles._async._port")
    port = getattr(getattr(port_module, "dispatcher", None), "_port", None)
    return set() if port is None or port.is_closed else {port.dangerous_get_handle()}


def _not_ours(diff: KindDiff, ours: set[int]) -> KindDiff:
    return KindDiff(diff.kind, tuple(opened for opened in diff.opened if opened.value not in ours))


def _let_the_async_threads_end() -> None:
    """The library's completion and wait threads end (and close their events) once idle."""
    waits = sys.modules.get("safehandles._async._waits")
    port_module = sys.modules.get("safehandles._async._port")
    if waits is None and port_module is None:
        return
    deadline = time.monotonic() + 2.0  # they end 0.5 s after their last operation
    while time.monotonic() < deadline:
        busy = waits is not None and waits.wait_threads() > 0
        busy = busy or (port_module is not None and port_module.dispatcher.thread is not None)
        if not busy:
            return
        time.sleep(0.02)


def _report(wrappers: list[KindDiff], os_new: set[tuple[int, str]], forgotten: list[str]) -> str:
    verdict = "left open" if wrappers or os_new else "forgotten"
    lines = [f"safehandles: handles were {verdict}"]
    wrapped_values = {opened.value for diff in wrappers for opened in diff.opened}
    if wrappers:
        lines.append("wrappers opened and not closed:")
        lines.extend("  " + str(diff).replace("\n", "\n  ") for diff in wrappers)
    unwrapped = sorted(item for item in os_new if item[0] not in wrapped_values)
    if unwrapped:
        counts = Counter(type_name for _, type_name in unwrapped)
        lines.append("OS handles opened and not closed (by no safehandles wrapper):")
        for type_name, count in counts.most_common():
            values = ", ".join(f"{value:#x}" for value, name in unwrapped if name == type_name)
            lines.append(f"  {type_name}: {count} ({values})")
    if forgotten:
        lines.append("dropped without closing (closed by their finalizers):")
        lines.extend("  " + message.replace("\n", "\n  ") for message in forgotten)
    return "\n".join(lines)
