#!/usr/bin/env python3
"""Benchmark safehandles: ``python3 bench/run.py`` (a figure list, not a test).

One run measures, natively on this host and under Wine with Windows CPython
3.11 and 3.13 (see bench/suite.py for each loop), and prints each figure with
its ratio to the matching raw call:

* the wrapper's own cost on a call that stays in user mode: ``Heap.alloc`` +
  ``free`` against ``HeapAlloc`` + ``HeapFree`` through raw cffi, and the peers
  (ctypes); the design's bound is 1.5x the raw cffi call;
* calls that reach the Wine server (event create+close, ``SetEvent``) against raw
  cffi, ctypes and pywin32, where any wrapper's cost disappears in the ~40 µs
  the server takes; raw and ours run in interleaved rounds (best of each), since
  the server's latency drifts by several times over seconds;
* the core alone: an add_ref+release pair and a create+close of a trivial
  SafeHandle subclass, in units of one raw user-mode cffi call;
* bytes per live wrapper, as tracemalloc counts them, and what ``snapshot()`` costs
  now that the live wrappers are found through the garbage collector;
* tracking (with ``linecache`` full, and a forgotten handle's finalizer), the
  pytest plugin's cost when never asked, and ``handle_census()`` over 50,000 handles.
* asyncio (Wine only, "n/a" natively: the machinery is overlapped I/O and wait
  threads): a named-pipe echo of 10,000 messages of 1 KiB, in messages per
  second, with ``read_async``/``write_async`` against asyncio's own proactor
  pipe streams and against ``run_in_executor`` around the synchronous calls
  (interleaved rounds, the median of each; goal: at least 0.8x asyncio's own);
  the wake-up latency of ``wait_async`` against ``run_in_executor(None,
  ev.wait)`` and against the floor of any thread-to-loop hand-off
  (``call_soon_threadsafe``); and the threads and handles that 1,000
  concurrent ``wait_async`` cost (goal: at most one thread per 63 waits) and
  leave once they end (goal: nothing).

Then, per run, every goal (issues 8 and 10) with the figure it reads and whether it is met.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import dev  # noqa: E402
import winpython  # noqa: E402

SUITE = ROOT / "bench" / "suite.py"

# figure -> the figure(s) it is a ratio of
RATIOS: dict[str, str | tuple[str, ...]] = {
    "add_ref+release pair (ns)": "raw cffi call, user mode (ns)",
    "create+close trivial SafeHandle (ns)": "raw cffi call, user mode (ns)",
    "create+close with tracking on (ns)": "create+close trivial SafeHandle (ns)",
    "Heap.alloc+free, safehandles (ns)": (
        "HeapAlloc+HeapFree, raw cffi (ns)",
        "HeapAlloc+HeapFree, raw cffi via lib attribute (ns)",
    ),
    "HeapAlloc+HeapFree, raw cffi via lib attribute (ns)": "HeapAlloc+HeapFree, raw cffi (ns)",
    "HeapAlloc+HeapFree, ctypes (ns)": "HeapAlloc+HeapFree, raw cffi (ns)",
    "Event create+close, safehandles (ns)": "Event create+close, raw cffi (ns)",
    "Event create+close, ctypes (ns)": "Event create+close, raw cffi (ns)",
    "Event create+close, pywin32 (ns)": "Event create+close, raw cffi (ns)",
    "SetEvent, safehandles (ns)": "SetEvent, raw cffi (ns)",
    "SetEvent, pywin32 (ns)": "SetEvent, raw cffi (ns)",
    "Event wait(0), safehandles (ns)": "Event wait(0), raw cffi (ns)",
    "HeapAlloc+HeapFree under one Heap.borrow() (ns)": "HeapAlloc+HeapFree, raw cffi (ns)",
    "create+close with tracking on, linecache full (ns)": "create+close trivial SafeHandle (ns)",
    "pytest per test, plugin loaded and unasked (ns)": (
        "pytest per test, plugin not loaded (ns)",
        "pytest per test, safehandles imported, no plugin (ns)",
    ),
    "pytest per test, safehandles imported, no plugin (ns)": "pytest per test, plugin not loaded (ns)",
    "pipe echo, safehandles read_async/write_async (msg/s)": (
        "pipe echo, asyncio proactor streams (msg/s)",
        "pipe echo, run_in_executor around read/write (msg/s)",
    ),
    "pipe echo, run_in_executor around read/write (msg/s)": "pipe echo, asyncio proactor streams (msg/s)",
    "wake-up, wait_async (us)": (
        "wake-up, run_in_executor(None, ev.wait) (us)",
        "wake-up, call_soon_threadsafe(asyncio.Event.set) (us)",
    ),
    "wake-up, run_in_executor(None, ev.wait) (us)": "wake-up, call_soon_threadsafe(asyncio.Event.set) (us)",
    "import safehandles, fresh process (ms)": "import win32event, win32file, win32api, fresh process (ms)",
    "import safehandles + first kind (sh.Event), fresh process (ms)": (
        "import win32event, win32file, win32api, fresh process (ms)"
    ),
}

ECHO_BASE = "pipe echo, asyncio proactor streams (msg/s)"
# A wait thread waits on 63 handles: WaitForMultipleObjects' 64, less its own control event.
THREADS_FOR_1000 = math.ceil(1000 / 63)


def _at_least_08x_asyncio(value: float | str, figures: dict[str, object]) -> bool | None:
    base = figures.get(ECHO_BASE)
    return value / base >= 0.8 if isinstance(value, float) and isinstance(base, float) else None


def _at_most_one_thread_per_63(value: float | str, figures: dict[str, object]) -> bool | None:
    return value <= THREADS_FOR_1000 if isinstance(value, float) else None


def _nothing(value: float | str, figures: dict[str, object]) -> bool | None:
    return value in (0.0, "none")


# issue 8's figure -> (the goal, as printed; whether a value meets it)
ASYNC_GOALS = {
    "pipe echo, safehandles read_async/write_async (msg/s)": (">= 0.8x asyncio's own", _at_least_08x_asyncio),
    "1,000 wait_async: OS threads added (threading.active_count)": (
        f"<= {THREADS_FOR_1000}, one per 63 waits",
        _at_most_one_thread_per_63,
    ),
    "1,000 wait_async: wait_threads()": (
        f"<= {THREADS_FOR_1000}, one per 63 waits",
        _at_most_one_thread_per_63,
    ),
    "1,000 wait_async: threads left once they end": ("none", _nothing),
    "1,000 wait_async: handles left once they end": ("none", _nothing),
}

#: The asyncio figures: Windows only (overlapped I/O, wait threads), printed "n/a" natively.
ASYNC_FIGURES = (
    "pipe echo, asyncio proactor streams (msg/s)",
    "pipe echo, safehandles read_async/write_async (msg/s)",
    "pipe echo, run_in_executor around read/write (msg/s)",
    "wake-up, wait_async (us)",
    "wake-up, run_in_executor(None, ev.wait) (us)",
    "wake-up, call_soon_threadsafe(asyncio.Event.set) (us)",
    "1,000 wait_async: OS threads added (threading.active_count)",
    "1,000 wait_async: wait_threads()",
    "1,000 wait_async: handles added while waiting",
    "1,000 wait_async: threads left once they end",
    "1,000 wait_async: handles left once they end",
)


# Issue 10's goals: (what it asks, the figure it reads, whether the run meets it, what the run shows).
Figures = dict[str, float]


def _ratio(figure: str, base: str) -> Callable[[Figures], float]:
    return lambda f: f[figure] / f[base]


def _difference(figure: str, base: str) -> Callable[[Figures], float]:
    return lambda f: f[figure] - f[base]


def _value(figure: str) -> Callable[[Figures], float]:
    return lambda f: f[figure]


GOALS: list[tuple[str, tuple[str, ...], Callable[[Figures], float], float, str]] = [
    # (goal, figures it needs, the measure, its bound (measure <= bound), unit)
    (
        "import safehandles no slower than pywin32's three-module import (both with bytecode)",
        (
            "import safehandles, fresh process (ms)",
            "import win32event, win32file, win32api, fresh process (ms)",
        ),
        _ratio(
            "import safehandles, fresh process (ms)",
            "import win32event, win32file, win32api, fresh process (ms)",
        ),
        1.0,
        "x pywin32",
    ),
    (
        "import safehandles under 15 ms natively",
        ("import safehandles, fresh process (ms)",),
        _value("import safehandles, fresh process (ms)"),
        15.0,
        "ms",
    ),
    (
        "Event create+close within 1 us of raw cffi",
        ("Event create+close, safehandles (ns)", "Event create+close, raw cffi (ns)"),
        _difference("Event create+close, safehandles (ns)", "Event create+close, raw cffi (ns)"),
        1000.0,
        "ns over raw",
    ),
    (
        "SetEvent (Event.set) at most 1.03x raw cffi",
        ("SetEvent, safehandles (ns)", "SetEvent, raw cffi (ns)"),
        _ratio("SetEvent, safehandles (ns)", "SetEvent, raw cffi (ns)"),
        1.03,
        "x raw",
    ),
    (
        "Event.wait(0) at most 1.03x raw cffi",
        ("Event wait(0), safehandles (ns)", "Event wait(0), raw cffi (ns)"),
        _ratio("Event wait(0), safehandles (ns)", "Event wait(0), raw cffi (ns)"),
        1.03,
        "x raw",
    ),
    (
        "Heap.alloc+free at most 1.3x raw pre-bound cffi",
        ("Heap.alloc+free, safehandles (ns)", "HeapAlloc+HeapFree, raw cffi (ns)"),
        _ratio("Heap.alloc+free, safehandles (ns)", "HeapAlloc+HeapFree, raw cffi (ns)"),
        1.3,
        "x raw",
    ),
    (
        "hot loop under one held reference (borrow) at most 1.05x raw",
        ("HeapAlloc+HeapFree under one Heap.borrow() (ns)", "HeapAlloc+HeapFree, raw cffi (ns)"),
        _ratio("HeapAlloc+HeapFree under one Heap.borrow() (ns)", "HeapAlloc+HeapFree, raw cffi (ns)"),
        1.05,
        "x raw",
    ),
    (
        "at most 200 bytes per live trivial wrapper (tracking off: nothing registered)",
        ("bytes per live trivial SafeHandle",),
        _value("bytes per live trivial SafeHandle"),
        200.0,
        "bytes",
    ),
    (
        "at most 240 bytes per live Event (tracking off: nothing registered)",
        ("bytes per live Event wrapper",),
        _value("bytes per live Event wrapper"),
        240.0,
        "bytes",
    ),
    (
        "tracked create under 25 us whatever linecache holds (create+close measured)",
        ("create+close with tracking on, linecache full (ns)",),
        lambda f: f["create+close with tracking on, linecache full (ns)"] / 1000,
        25.0,
        "us",
    ),
    (
        "pytest plugin's hooks cost nothing measurable when never asked (per test, vs import only)",
        (
            "pytest per test, plugin loaded and unasked (ns)",
            "pytest per test, safehandles imported, no plugin (ns)",
        ),
        _ratio(
            "pytest per test, plugin loaded and unasked (ns)",
            "pytest per test, safehandles imported, no plugin (ns)",
        ),
        1.05,
        "x import only",
    ),
    (
        "handle_census() over 50,000 handles under 40 ms",
        ("handle_census(), this process (ms)",),
        _value("handle_census(), this process (ms)"),
        40.0,
        "ms",
    ),
]


#: Goals set for the native run alone (under Wine the import goal is pywin32's figure).
NATIVE_ONLY = {"import safehandles under 15 ms natively"}


def _print_goals(label: str, figures: Figures) -> None:
    print(f"\n{label}: goals (issue 10)")
    for goal, needs, measure, bound, unit in GOALS:
        if goal in NATIVE_ONLY and label != "native":
            continue
        if not all(isinstance(figures.get(name), float) for name in needs):
            continue  # not measured on this interpreter (the Win32 figures need Windows)
        value = measure(figures)
        verdict = "met" if value <= bound else "NOT met"
        print(f"  {goal:<84} {value:>10,.2f} {unit:<13} goal <= {bound:g}  {verdict}")


def _measure(label: str, run: object) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch, "result.json")
        print(f"measuring: {label} ...", file=sys.stderr, flush=True)
        code = run(out)  # type: ignore[operator]
        if code != 0 or not out.exists():
            raise SystemExit(f"bench: the {label} run failed (exit {code})")
        result: dict[str, object] = json.loads(out.read_text())
        return result


def _native(out: Path) -> int:
    native = dev.ensure_native_env()
    command = [native.python, str(SUITE), str(out)]
    return subprocess.run(command, env=native.env(), check=False).returncode


def _wine(version: str) -> object:
    def run(out: Path) -> int:
        winpython.ensure_wine()
        winpython.ensure_python(version)
        code = int(winpython.run(version, [str(SUITE), winpython.to_windows_path(out)], cwd=ROOT))
        if code != 0 or not out.exists():
            return code or 1
        # The asyncio figures in a process of their own, so that nothing the loops of the other
        # figures left (thousands of handles created and closed, pywin32 loaded) is in them.
        asynchronous = out.with_name("async.json")
        command = [str(SUITE), winpython.to_windows_path(asynchronous), "--async"]
        code = int(winpython.run(version, command, cwd=ROOT))
        if code != 0 or not asynchronous.exists():
            return code or 1
        out.write_text(json.dumps({**json.loads(out.read_text()), **json.loads(asynchronous.read_text())}))
        return 0

    return run


def _print(label: str, figures: dict[str, object]) -> None:
    print(f"\n{label}: Python {figures.pop('python')} ({figures.pop('platform')})")
    for name in [*figures, *(name for name in ASYNC_FIGURES if name not in figures)]:
        value = figures.get(name)
        if value is None:
            print(f"  {name:<62} {'n/a':>12}  (needs Windows)")
            continue
        assert isinstance(value, float | str)
        bases = RATIOS.get(name, ())
        notes = []
        for base in (bases,) if isinstance(bases, str) else bases:
            base_value = figures.get(base)
            if isinstance(value, float) and isinstance(base_value, float):
                notes.append(f"{value / base_value:5.2f}x {re.sub(r' [(][^)]*[)]$', '', base)}")
        if name in ASYNC_GOALS:
            goal, met = ASYNC_GOALS[name]
            verdict = met(value, figures)
            state = "unknown" if verdict is None else "met" if verdict else "NOT met"
            notes.append(f"goal {goal}: {state}")
        shown = f"{value:>12,.1f}" if isinstance(value, float) else f"{value:>12}"
        print(f"  {name:<62} {shown}  {'; '.join(notes)}")


def main() -> int:
    runs = {
        "native": _native,
        "Wine, Windows CPython 3.11": _wine("3.11"),
        "Wine, Windows CPython 3.13": _wine("3.13"),
    }
    results = {label: _measure(label, run) for label, run in runs.items()}
    for label, figures in results.items():
        _print(label, dict(figures))
    for label, figures in results.items():
        _print_goals(label, {k: v for k, v in figures.items() if isinstance(v, float)})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
