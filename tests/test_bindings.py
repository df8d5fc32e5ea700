"""The binding layer: generated module, typed surface, error path, platform guard."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import sys
import typing
from typing import Protocol

import pycparser
import pytest
from pycparser import c_ast

import safehandles as sh
import safehandles._bindings as bindings
from safehandles._bindings import _build, _types
from safehandles._bindings._errors import last_error, raise_status, raise_wsaerror, winerror_exception
from safehandles._bindings._native import advapi32, ffi, kernel32, ws2_32
from tests import probes


def _surfaces() -> dict[str, tuple[str, type]]:
    """Every module that declares functions: its declarations and the Protocol it defines."""
    found: dict[str, tuple[str, type]] = {}
    for info in pkgutil.walk_packages(bindings.__path__, bindings.__name__ + "."):
        module = importlib.import_module(info.name)
        if info.ispkg or not hasattr(module, "DECLARATIONS") or module is _types:
            continue
        protocols = [
            member
            for member in vars(module).values()
            if isinstance(member, type)
            and member.__module__ == module.__name__
            and Protocol in member.__bases__
        ]
        assert len(protocols) == 1, f"{info.name} must define exactly one Protocol"
        found[info.name.removeprefix("safehandles._bindings.")] = (module.DECLARATIONS, protocols[0])
    return found


SURFACES = _surfaces()

# pycparser knows only standard C; give it the integer types cffi knows natively.
_PRELUDE = "".join(
    f"typedef int {name};\n"
    for name in (
        *("int8_t", "uint8_t", "int16_t", "uint16_t", "int32_t", "uint32_t", "int64_t", "uint64_t"),
        *("intptr_t", "uintptr_t", "size_t", "char16_t"),
    )
)


def _declared_functions(declarations: str) -> dict[str, c_ast.FuncDecl]:
    source = re.sub(r"/\*.*?\*/", "", _PRELUDE + _types.DECLARATIONS + declarations, flags=re.S)
    tree = pycparser.CParser().parse(source)
    return {
        node.name: node.type
        for node in tree.ext
        if isinstance(node, c_ast.Decl) and isinstance(node.type, c_ast.FuncDecl)
    }


def _param_count(function: c_ast.FuncDecl) -> int:
    params = function.args.params if function.args else []
    if len(params) == 1 and isinstance(params[0].type, c_ast.TypeDecl):
        names = getattr(params[0].type.type, "names", [])
        if names == ["void"]:
            return 0
    return len(params)


def _returns_pointer(function: c_ast.FuncDecl) -> bool:
    return isinstance(function.type, c_ast.PtrDecl)


def test_generated_module_matches_the_declarations() -> None:
    current = _build.GENERATED.read_text()
    assert current == _build.generate(), (
        "safehandles/_bindings/_ffi.py is stale: run python3 tools/dev.py generate"
    )


@pytest.mark.parametrize("dll", sorted(SURFACES))
def test_typed_surface_matches_the_declarations(dll: str) -> None:
    declarations, protocol = SURFACES[dll]
    declared = _declared_functions(declarations)
    typed = {
        name: member
        for name, member in vars(protocol).items()
        if inspect.isfunction(member) and not name.startswith("_")
    }
    assert sorted(typed) == sorted(declared), f"{dll}: Protocol and declarations list different functions"
    for name, function in declared.items():
        signature = inspect.signature(typed[name])
        params = [p for p in signature.parameters.values() if p.name != "self"]
        assert len(params) == _param_count(function), f"{dll}!{name}: parameter count differs"
        assert all(p.kind is inspect.Parameter.POSITIONAL_ONLY for p in params), name
        hints = typing.get_type_hints(typed[name], vars(sys.modules[protocol.__module__]))
        returned = hints["return"]
        if _returns_pointer(function):
            assert returned is not int, f"{dll}!{name} returns a pointer, typed as int"


def test_every_area_belongs_to_a_dll_and_every_dll_to_the_one_ffi() -> None:
    assert set(_build.DLL_DECLARATIONS) == {
        "kernel32.dll",
        "advapi32.dll",
        "ws2_32.dll",
        "ntdll.dll",
        "user32.dll",
    }
    joined = _build.all_declarations()
    for declarations, _ in SURFACES.values():
        assert declarations in joined
    # One FFI: a type declared in the common part is usable by every DLL's functions.
    assert ffi.sizeof("HANDLE") == ffi.sizeof("void *")
    assert ffi.sizeof("DWORD") == 4
    assert ffi.sizeof("WCHAR") == 2


@pytest.mark.skipif(sys.platform == "win32", reason="checks the behaviour off Windows")
def test_off_windows_every_name_imports_and_creating_a_kind_says_it_needs_windows() -> None:
    for name in sh.__all__:
        assert hasattr(sh, name)
    with pytest.raises(sh.UnsupportedPlatformError, match="CreateEventW needs Windows"):
        sh.Event.create()
    with pytest.raises(OSError, match="needs Windows"):
        sh.Process.current()
    assert issubclass(sh.UnsupportedPlatformError, OSError)


@pytest.mark.windows
def test_failed_call_raises_oserror_with_winerror_naming_the_function() -> None:
    assert kernel32.SetEvent(0) == 0
    error = winerror_exception("SetEvent")
    assert probes.winerror(error) == 6
    assert "SetEvent" in str(error)


def _saved_code() -> int:
    """The code cffi saved, as ``ffi.getwinerror()`` reads it (with its message)."""
    if sys.platform == "win32":
        return int(ffi.getwinerror()[0])
    raise AssertionError("a Windows-only check")


@pytest.mark.windows
def test_last_error_reads_the_code_cffi_saved_after_the_latest_call() -> None:
    # last_error() calls GetLastError through cffi, which sets the saved code back just
    # before the call: it must read what ffi.getwinerror() (which also formats a message) reads.
    assert kernel32.SetEvent(0) == 0
    assert last_error() == _saved_code() == 6  # ERROR_INVALID_HANDLE
    assert last_error() == 6  # reading it is a call too, and leaves it as it was
    kernel32.SetLastError(1450)
    assert last_error() == _saved_code() == 1450
    assert kernel32.CloseHandle(0) == 0
    assert last_error() == _saved_code() == 6


@pytest.mark.windows
def test_a_release_at_the_end_of_a_failed_call_keeps_that_calls_error() -> None:
    # The call whose end drops the last reference (close() ran meanwhile) still reads its own
    # error: the release in between must not overwrite it.
    event = sh.Event.create()

    def fails_while_closed(value: int) -> int:
        event.close()  # deferred: this call holds a reference
        kernel32.SetLastError(1450)
        return 0

    assert event._call(fails_while_closed) == 0
    assert event.is_closed
    assert last_error() == 1450


@pytest.mark.windows
def test_winerror_maps_onto_the_oserror_subclasses() -> None:
    assert isinstance(winerror_exception("X", 2), FileNotFoundError)
    assert isinstance(winerror_exception("X", 5), PermissionError)


@pytest.mark.windows
def test_registry_calls_report_their_returned_status() -> None:
    hkey_current_user = -0x7FFF_FFFF  # (HKEY)(LONG)0x80000001, sign-extended
    result = ffi.new("HKEY *")
    status = advapi32.RegOpenKeyExW(
        hkey_current_user, "Software\\safehandles-no-such-key", 0, 0x20019, result
    )
    assert status == 2
    with pytest.raises(FileNotFoundError, match="RegOpenKeyExW"):
        raise_status("RegOpenKeyExW", status)


@pytest.mark.windows
def test_winsock_calls_report_wsagetlasterror() -> None:
    assert ws2_32.closesocket(-1) == -1  # SOCKET_ERROR: INVALID_SOCKET is not a socket
    with pytest.raises(OSError, match="closesocket") as caught:
        raise_wsaerror("closesocket")
    assert probes.winerror(caught.value) in {10038, 10093}  # WSAENOTSOCK, or WSANOTINITIALISED
