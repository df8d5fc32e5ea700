"""The pytest plugin: a marker, a fixture and an option that fail tests which leave handles open."""

from __future__ import annotations

import pytest

PLUGIN = ("-p", "safehandles.pytest_plugin")

LEAKY_WRAPPER = """
import pytest
from safehandles import SafeHandleZeroOrMinusOneIsInvalid

class Leaky(SafeHandleZeroOrMinusOneIsInvalid):
    def __init__(self):
        super().__init__(True)
        self.set_handle(0x77)
    def release_handle(self):
        return True

KEEP = []

@pytest.mark.handle_leaks
def test_leaks_a_wrapper():
    KEEP.append(Leaky())

@pytest.mark.handle_leaks
def test_closes_its_wrapper():
    with Leaky():
        pass

def test_unchecked_leak_is_not_reported():
    KEEP.append(Leaky())

def test_fixture_form(handle_leak_check):
    KEEP.append(Leaky())

def teardown_module():
    for leaky in KEEP:
        leaky.close()
"""


def test_marker_and_fixture_fail_a_test_that_leaves_a_wrapper_open(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_leak=LEAKY_WRAPPER)
    result = pytester.runpytest_inprocess(*PLUGIN)
    result.assert_outcomes(passed=4, errors=2)
    output = result.stdout.str()
    assert "Leaky: 1 opened and not closed" in output
    assert "test_leak.py" in output
    assert "in test_leaks_a_wrapper" in output
    assert "in test_fixture_form" in output
    # The creation stacks show the test file's frames alone, not pytest's, pluggy's or the library's.
    frames = [line.strip() for line in output.splitlines() if line.strip().startswith('File "')]
    assert frames
    assert all("test_leak.py" in frame for frame in frames), frames
    assert "KEEP.append(Leaky())" in output


NOTHING_LEAKS = """
import pytest
import safehandles as sh
from safehandles import SafeHandleZeroOrMinusOneIsInvalid

class Tidy(SafeHandleZeroOrMinusOneIsInvalid):
    def __init__(self):
        super().__init__(True)
        self.set_handle(0x99)
    def release_handle(self):
        return True

@pytest.fixture
def resource():
    handle = Tidy()
    yield handle
    handle.close()  # closed by the fixture's teardown: not a leak

@pytest.mark.parametrize("round_", range(100))
def test_nothing_leaks(round_, resource):
    with Tidy():
        pass
"""


def test_a_test_that_leaks_nothing_passes_100_times_in_a_row(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_tidy=NOTHING_LEAKS)
    result = pytester.runpytest_inprocess(*PLUGIN, "--handle-leaks")
    result.assert_outcomes(passed=100)


WINDOWS_HANDLES = """
import pytest
import safehandles as sh
from safehandles._bindings._native import ffi, kernel32

RAW = []
WRAPPED = []

@pytest.mark.handle_leaks
def test_leaks_a_raw_os_handle():
    RAW.append(kernel32.CreateEventW(ffi.NULL, 0, 0, ffi.NULL))

@pytest.mark.handle_leaks
def test_leaks_an_event_wrapper():
    WRAPPED.append(sh.Event.create())

@pytest.mark.handle_leaks
@pytest.mark.parametrize("round_", range(100))
def test_uses_real_handles_and_closes_them(round_):
    with sh.Event.create() as event, sh.Mutex.create() as mutex, mutex.acquire():
        event.set()
        assert sh.wait_any([event], timeout=1) == 0

def teardown_module():
    for event in WRAPPED:
        event.close()
    for value in RAW:
        kernel32.CloseHandle(value)
"""


@pytest.mark.windows
def test_os_handles_are_checked_too_and_real_clean_tests_pass(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_os=WINDOWS_HANDLES)
    result = pytester.runpytest_inprocess(*PLUGIN)
    result.assert_outcomes(passed=102, errors=2)
    output = result.stdout.str()
    assert "OS handles opened and not closed (by no safehandles wrapper):" in output
    assert "Event: 1 (" in output
    assert "Event: 1 opened and not closed" in output
    assert "in test_leaks_an_event_wrapper" in output
