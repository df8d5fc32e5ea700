"""What ``help()`` and IDEs show of the public API: no private parameters in any signature.

Natives bound for interpreter teardown, or for speed, are bound where users
never see them (module constants, class attributes), not as default arguments.
"""

from __future__ import annotations

import inspect

import safehandles as sh


def _public_callables() -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for name in sh.__all__:
        thing = getattr(sh, name)
        if inspect.isfunction(thing):
            found.append((name, thing))
        elif inspect.isclass(thing):
            for attribute, member in vars(thing).items():
                if attribute.startswith("_") and attribute != "__init__":
                    continue
                function = member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
                if inspect.isfunction(function):
                    found.append((f"{name}.{attribute}", function))
    return found


def test_public_signatures_have_no_private_parameters() -> None:
    private = [
        f"{name}{inspect.signature(function)}"  # type: ignore[arg-type]
        for name, function in _public_callables()
        if any(p.startswith("_") for p in inspect.signature(function).parameters)  # type: ignore[arg-type]
    ]
    assert private == []


def test_the_walk_sees_the_methods_users_call() -> None:
    names = {name for name, _ in _public_callables()}
    assert {"Heap.alloc", "Heap.free", "Socket.release_handle", "Event.create", "wait_any"} <= names
