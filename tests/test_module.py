"""Modules against the real OS: LoadLibraryW / LoadLibraryExW freed by FreeLibrary, and GetModuleHandleW."""

from __future__ import annotations

import gc
import os
import sys

import pytest

import safehandles as sh
from safehandles._bindings._native import kernel32
from tests import probes

pytestmark = pytest.mark.windows

#: A DLL Wine and Windows provide that nothing in the test process loads.
UNLOADED = "cabinet.dll"
EXPORT = "FDICreate"


def loaded(name: str) -> int:
    """The module's base address if this process has it loaded, else 0 (GetModuleHandleW, raw)."""
    return kernel32.GetModuleHandleW(name)


@pytest.fixture
def unloaded() -> str:
    assert not loaded(UNLOADED), f"{UNLOADED} is already loaded: pick another DLL for these tests"
    return UNLOADED


def test_load_maps_the_dll_until_closed(unloaded: str) -> None:
    module = sh.Module.load(unloaded)
    assert loaded(unloaded) == module.dangerous_get_handle() == module.base_address
    assert module.owns_handle
    assert os.path.basename(module.path).lower() == unloaded
    address = module.symbol(EXPORT)
    assert address != 0
    module.close()
    assert not loaded(unloaded)  # FreeLibrary dropped the last load count
    with pytest.raises(sh.ObjectDisposedError):
        module.symbol(EXPORT)


def test_load_ex_with_flags(unloaded: str) -> None:
    with sh.Module.load(unloaded, flags=sh.LoadFlag.LOAD_LIBRARY_SEARCH_SYSTEM32) as module:
        assert loaded(unloaded) == module.dangerous_get_handle()
    assert not loaded(unloaded)


def test_module_is_freed_when_the_with_block_raises(unloaded: str) -> None:
    with pytest.raises(ZeroDivisionError), sh.Module.load(unloaded):
        assert loaded(unloaded)
        _ = 1 / 0
    assert not loaded(unloaded)


def test_dropped_module_is_freed_by_its_finalizer(unloaded: str) -> None:
    module = sh.Module.load(unloaded)
    assert loaded(unloaded)
    with pytest.warns(ResourceWarning):
        del module
        gc.collect()
    assert not loaded(unloaded)


def test_each_load_and_duplicate_holds_its_own_count(unloaded: str) -> None:
    first = sh.Module.load(unloaded)
    second = sh.Module.load(unloaded)
    copy = first.duplicate()
    assert copy.dangerous_get_handle() == first.dangerous_get_handle() == second.dangerous_get_handle()
    first.close()
    second.close()
    assert loaded(unloaded)  # the duplicate's count keeps it mapped
    assert copy.symbol(EXPORT)
    copy.close()
    assert not loaded(unloaded)


def test_find_is_borrowed_and_close_frees_nothing() -> None:
    module = sh.Module.find("kernel32.dll")
    assert not module.owns_handle
    assert module.path.lower().endswith("kernel32.dll")
    assert module.symbol("GetCurrentProcessId")
    module.close()
    assert loaded("kernel32.dll")
    exe = sh.Module.find()
    assert exe.path.lower() == sys.executable.lower()


def test_from_raw_wraps_pythons_own_dll() -> None:
    module = sh.Module.from_raw(sys.dllhandle, owns_handle=False)  # type: ignore[attr-defined,unused-ignore]
    assert module.path.lower().endswith(".dll")
    assert module.symbol("Py_Initialize")


def test_symbol_by_ordinal_and_missing_symbol() -> None:
    with sh.Module.load("kernel32.dll") as module:
        with pytest.raises(OSError, match="GetProcAddress") as caught:
            module.symbol("NoSuchExport_safehandles")
        assert probes.winerror(caught.value) == 127  # ERROR_PROC_NOT_FOUND
        assert caught.value.filename == "NoSuchExport_safehandles"
        assert module.symbol(1)  # every kernel32 has ordinal 1


def test_load_of_a_missing_dll_raises() -> None:
    with pytest.raises(OSError, match="LoadLibraryW") as caught:
        sh.Module.load("no_such_safehandles.dll")
    assert probes.winerror(caught.value) == 126  # ERROR_MOD_NOT_FOUND
    with pytest.raises(OSError, match="LoadLibraryExW") as caught:
        sh.Module.load("no_such_safehandles.dll", flags=sh.LoadFlag.LOAD_LIBRARY_AS_DATAFILE)
    assert probes.winerror(caught.value) in (2, 126)
    with pytest.raises(OSError, match="GetModuleHandleW") as caught:
        sh.Module.find("no_such_safehandles.dll")
    assert probes.winerror(caught.value) == 126


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: sh.Module.load(""), ValueError),
        (lambda: sh.Module.load("a\0.dll"), ValueError),
        (lambda: sh.Module.load(3), TypeError),  # type: ignore[arg-type]
        (lambda: sh.Module.load("x.dll", flags=0x8000_0000), ValueError),
        (lambda: sh.Module.find(b"kernel32.dll"), TypeError),  # type: ignore[arg-type]
        (lambda: sh.Module.find("kernel32.dll").symbol(0), ValueError),
        (lambda: sh.Module.find("kernel32.dll").symbol("a\0b"), ValueError),
        (lambda: sh.Module.find("kernel32.dll").symbol(1.5), TypeError),  # type: ignore[arg-type]
        (lambda: sh.Module.find("kernel32.dll").resource(0, 1), ValueError),
        (lambda: sh.Module.find("kernel32.dll").resource(16, "#1"), ValueError),
    ],
)
def test_bad_input(call: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        call()  # type: ignore[operator]
