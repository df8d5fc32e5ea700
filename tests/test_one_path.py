"""Every native call on a wrapped value goes through the core's reference-holding path.

A static check of the package's source: outside ``_core`` (which implements
the reference count) and ``_bindings`` (which declares the functions), no
module may hand a wrapper's raw value (``x._value`` or
``x.dangerous_get_handle()``) straight to a native function; it must go
through ``_call`` (or ``held_call_2``, ``hold_all``, ``borrow``), which hold
a reference for the call. ``release_handle`` is exempt: the core runs it once,
after the last reference is gone, when nothing else can use the value.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "safehandles"
EXEMPT_PACKAGES = ("_core", "_bindings")
#: The names under which the package reaches native code: the DLLs, and cffi itself.
NATIVE_MODULES = frozenset({"kernel32", "advapi32", "ws2_32", "ntdll", "user32", "ffi"})
#: The release paths: the core runs them once, after the last reference is gone.
EXEMPT_FUNCTIONS = frozenset({"release_handle", "_release_by_close"})
#: A kind's destroyer (``self._destroy(value)``) is a native call too.
DESTROYERS = frozenset({"_destroy"})


def _is_raw_value(node: ast.expr) -> bool:
    if isinstance(node, ast.Attribute) and node.attr == "_value":
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "dangerous_get_handle"
    )


def _native_names(tree: ast.Module) -> set[str]:
    """Names bound to a native function anywhere in the module (``_heap_alloc = kernel32.HeapAlloc``,
    or a parameter default ``_close_handle=kernel32.CloseHandle``)."""

    def is_native(value: ast.expr | None) -> bool:
        return (
            isinstance(value, ast.Attribute)
            and isinstance(value.value, ast.Name)
            and value.value.id in NATIVE_MODULES
        )

    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and is_native(node.value):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.arguments):
            positional = [*node.posonlyargs, *node.args]
            for arg, default in zip(
                positional[len(positional) - len(node.defaults) :], node.defaults, strict=True
            ):
                if is_native(default):
                    names.add(arg.arg)
            for arg, kw_default in zip(node.kwonlyargs, node.kw_defaults, strict=True):
                if is_native(kw_default):
                    names.add(arg.arg)
    return names


def _violations(source: str, filename: str) -> list[str]:
    tree = ast.parse(source, filename)
    native_names = _native_names(tree)
    found: list[str] = []

    def visit(node: ast.AST, function: str | None) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function = node.name
        if isinstance(node, ast.Call) and function not in EXEMPT_FUNCTIONS:
            callee = node.func
            native = (
                isinstance(callee, ast.Attribute)
                and isinstance(callee.value, ast.Name)
                and callee.value.id in NATIVE_MODULES
            ) or (isinstance(callee, ast.Name) and callee.id in native_names)
            native = native or (isinstance(callee, ast.Attribute) and callee.attr in DESTROYERS)
            arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
            inside = [sub for argument in arguments for sub in ast.walk(argument)]
            if native and any(_is_raw_value(sub) for sub in inside):  # type: ignore[arg-type]
                found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, None)
    return found


def _package_modules() -> list[Path]:
    return sorted(
        path for path in PACKAGE.rglob("*.py") if path.relative_to(PACKAGE).parts[0] not in EXEMPT_PACKAGES
    )


def test_no_module_hands_a_raw_wrapped_value_to_a_native_function() -> None:
    found = [
        v
        for path in _package_modules()
        for v in _violations(path.read_text(), str(path.relative_to(PACKAGE)))
    ]
    assert found == [], "native calls on a raw wrapped value, without a held reference:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "kernel32.SetEvent(event._value)",
        "kernel32.WaitForSingleObject(h.dangerous_get_handle(), 0)",
        "ffi.cast('char *', view._value)",
        "_free = kernel32.HeapFree\ndef f(heap):\n    _free(heap._value, 0, 1)",
        "def f(heap, _alloc=kernel32.HeapAlloc):\n    return _alloc(heap._value, 0, 1)",
        "def f(h):\n    return ws2_32.send(s=h._value)",
        "ffi.new('HANDLE[]', [h.dangerous_get_handle() for h in handles])",
        "def close_now(h):\n    h._destroy(h._value)",
    ],
)
def test_the_check_finds_each_spelling(source: str) -> None:
    assert _violations(source, "example.py")


@pytest.mark.parametrize(
    "source",
    [
        "self._call(kernel32.SetEvent)",
        "with h.borrow() as value:\n    kernel32.SetEvent(value)",
        "class K:\n    def release_handle(self):\n        return kernel32.CloseHandle(self._value)",
        "print(h.dangerous_get_handle())",
    ],
)
def test_the_check_allows_the_held_paths(source: str) -> None:
    assert _violations(source, "example.py") == []
