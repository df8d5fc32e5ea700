"""A pytest plugin that fails tests which leave handles open.

Installed with the package: its ``pytest11`` entry point is named after this
module, ``safehandles.pytest_plugin``, so ``-p safehandles.pytest_plugin`` loads
it once whether it is installed or not, and ``-p no:safehandles.pytest_plugin``
turns it off. It does nothing until asked, per test or per run::

    @pytest.mark.handle_leaks            # check this test
    def test_worker(): ...

    def test_other(handle_leak_check):   # the same, as a fixture
        ...

    pytest --handle-leaks                # check every test

A checked test fails if, once it and its fixtures are done, it left open

* safehandles wrappers: reported by kind with each one's creation traceback;
* OS handles of this process (Windows): reported by object type and value,
  whichever library opened them (the standard streams' handles excepted:
  output capturing replaces them around every test phase).

Handle counts are noisy (a runtime opens handles lazily, the first named
object opens a directory, a thread's handle lingers until it is joined), so
the check warms up once per session, compares the *sets* of handle values
rather than counts, and before it reports anything collects garbage and gives
late closers a few short chances.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator

import pytest

from ._bindings._native import IS_WINDOWS
from ._diagnostics._census import list_handles
from ._diagnostics._tracking import (
    KindDiff,
    Snapshot,
    is_tracking,
    snapshot,
    start_tracking,
    stop_tracking,
)
from ._kinds._sync._event import Event

__all__ = ["LeakCheck", "handle_leak_check"]

_SETTLE_ATTEMPTS = 5
_warmed_up = False


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("safehandles")
    group.addoption(
        "--handle-leaks",
        action="store_true",
        default=False,
        help="fail every test that leaves safehandles wrappers or OS handles open",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "handle_leaks: fail this test if it leaves safehandles wrappers or OS handles open"
    )


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
            Event.create(name=f"Local\\safehandles-warm-up-{os.getpid()}").close()
        _os_handles()
        snapshot()
        _warmed_up = True


class LeakCheck:
    """Compares what is open before and after a stretch of code (one test)."""

    def __init__(self, traceback_depth: int = 10) -> None:
        self._depth = traceback_depth
        self._was_tracking = False
        self._wrappers: Snapshot | None = None
        self._os: dict[int, str] = {}

    def start(self) -> None:
        _warm_up()
        self._was_tracking = is_tracking()
        if not self._was_tracking:
            start_tracking(self._depth)
        self._wrappers = snapshot()
        self._os = _os_handles()

    def finish(self) -> str | None:
        """The leak report, or None if everything opened since ``start`` was closed."""
        assert self._wrappers is not None, "start() first"
        try:
            for attempt in range(_SETTLE_ATTEMPTS):
                if attempt:  # a full collection is slow: only once something looks left open
                    gc.collect()
                wrappers = snapshot().compare_to(self._wrappers)
                # By value: a type name could in principle be read differently twice.
                os_new = {(value, name) for value, name in _os_handles().items() if value not in self._os}
                if not wrappers and not os_new:
                    return None
                time.sleep(0.01 * attempt)
            return _report(wrappers, os_new)
        finally:
            if not self._was_tracking:
                stop_tracking()


def _report(wrappers: list[KindDiff], os_new: set[tuple[int, str]]) -> str:
    lines = ["safehandles: this test left handles open"]
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
    return "\n".join(lines)


@pytest.fixture
def handle_leak_check() -> Iterator[LeakCheck]:
    """Fail the test if it leaves wrappers or OS handles open (checked after its other fixtures)."""
    check = LeakCheck()
    check.start()
    yield check
    report = check.finish()
    if report:
        pytest.fail(report, pytrace=False)


@pytest.fixture(autouse=True)
def _safehandles_leak_guard(request: pytest.FixtureRequest) -> None:
    # Set up before the test's own fixtures, so the check's teardown runs after theirs.
    if request.node.get_closest_marker("handle_leaks") or request.config.getoption("handle_leaks"):
        request.getfixturevalue("handle_leak_check")
