"""Desktops and window stations against the real OS: borrowed handles that close() never closes."""

from __future__ import annotations

import threading

import pytest

import safehandles as sh
from safehandles._bindings._native import user32
from tests import probes

pytestmark = pytest.mark.windows


def test_thread_desktop_is_borrowed_and_survives_close() -> None:
    desktop = sh.Desktop.of_thread()
    value = desktop.dangerous_get_handle()
    assert probes.type_name(value) == "Desktop"
    assert not desktop.owns_handle
    assert desktop.name  # "Default" on an interactive Windows session
    desktop.close()
    assert probes.is_open(value)  # close() never closes the thread's desktop
    assert user32.GetThreadDesktop(threading.get_native_id()) == value
    with pytest.raises(sh.ObjectDisposedError):
        _ = desktop.name


def test_desktop_of_another_thread() -> None:
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        assert worker.native_id is not None
        theirs = sh.Desktop.of_thread(worker.native_id)
        assert theirs.name == sh.Desktop.of_thread().name
    finally:
        release.set()
        worker.join()


def test_desktop_of_a_missing_thread_raises() -> None:
    with pytest.raises(OSError, match="GetThreadDesktop") as caught:
        sh.Desktop.of_thread(0xFFFF_FFF0)
    assert probes.winerror(caught.value) == 87  # ERROR_INVALID_PARAMETER
    assert caught.value.filename == str(0xFFFF_FFF0)


def test_process_window_station_is_borrowed_and_survives_close() -> None:
    station = sh.WindowStation.of_process()
    value = station.dangerous_get_handle()
    assert probes.type_name(value) == "WindowStation"
    assert not station.owns_handle
    assert station.name  # "WinSta0" on an interactive Windows session
    station.close()
    assert probes.is_open(value)
    assert user32.GetProcessWindowStation() == value


def test_duplicates_are_owned_and_closed() -> None:
    for borrowed in (sh.Desktop.of_thread(), sh.WindowStation.of_process()):
        copy = borrowed.duplicate()
        value = copy.dangerous_get_handle()
        assert value != borrowed.dangerous_get_handle()
        assert copy.owns_handle
        assert copy.name == borrowed.name
        assert probes.type_name(value) == probes.type_name(borrowed.dangerous_get_handle())
        copy.close()  # through CloseDesktop / CloseWindowStation
        assert not probes.is_open(value)
        assert probes.is_open(borrowed.dangerous_get_handle())


def test_from_raw_checks_the_kind() -> None:
    station = sh.WindowStation.of_process().dangerous_get_handle()
    with pytest.raises(TypeError, match="WindowStation"):
        sh.Desktop.from_raw(station, owns_handle=False)
    assert sh.WindowStation.from_raw(station, owns_handle=False).name


def test_bad_thread_id() -> None:
    with pytest.raises(ValueError, match="tid"):
        sh.Desktop.of_thread(-1)
    with pytest.raises(TypeError):
        sh.Desktop.of_thread("1")  # type: ignore[arg-type]
