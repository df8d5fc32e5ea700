"""The public surface: each public name loads with its module on first use and reports ``safehandles``.

Why lazily
----------
Automation scripts start often, and the import is the first cost a user
meets. Loading every kind, its bindings and what they use from the stdlib
(``subprocess``, ``inspect``, ``dataclasses``, ``asyncio``...) cost 254-350 ms
under Wine, eight to ten times pywin32's ``import win32event, win32file,
win32api``. So ``import safehandles`` runs the package's ``__init__``, this
module and the exceptions, and imports nothing heavier than ``sys``; the
package's ``__getattr__`` (PEP 562) imports a name's home module the first
time the name is looked up (``sh.Event``, ``from safehandles import Event``,
``pickle.loads``), and a module brings in only what it imports itself.

Why a finder
------------
Every public class and function reports ``safehandles`` as its ``__module__``
(and a class's own methods follow it), so ``repr()``, ``help()``, pickles and
generated docs name the package. A module can be loaded without the package's
``__getattr__``: a kind imports another (``Process`` brings ``Thread``), a
method imports one late (``Thread.process()`` returns a ``Process``), code
imports a private module directly. So the renaming cannot wait for a lookup:
the ``Publisher`` is a meta path finder that answers for the package's home
modules alone (every other import passes it with one set lookup). It asks the
finders after it for the module's spec and wraps the spec's loader, which
renames the module's public names as soon as the module has run, however it
was imported, and stores them in the package, so the next lookup is a plain
attribute read. Everything else the loader is asked (``get_source`` for
``inspect`` and tracebacks, resource readers) goes to the real loader.

Type hints
----------
``typing.get_type_hints(cls)`` evaluates a class's string annotations in the
module ``cls.__module__`` names, which lacks the private names (and modules
such as ``datetime``) they use. So each class's own annotations are resolved
where they were written before any name of its module is renamed; a base
from another module was resolved when that module loaded (a base's hints are
read in the base's module). Functions and methods resolve theirs through
``__globals__``, which the renaming leaves alone.
"""

from __future__ import annotations

import sys

# typing costs more than the rest of the bare import together; checkers treat this name as True.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, MutableMapping, Sequence
    from importlib.abc import Loader
    from importlib.machinery import ModuleSpec
    from types import FunctionType, ModuleType

__all__ = ["Publisher"]


def _function() -> None:
    """Only its type is used: ``types.FunctionType`` without importing ``types``."""


_FUNCTION: type[FunctionType] = type(_function)  # type: ignore[assignment]


def _own_annotations_resolved(cls: type) -> dict[str, object] | None:
    """``cls``'s own annotations, evaluated where they were written; None if it has none,
    or if one cannot be evaluated (then they stay as written: get_type_hints fails either way)."""
    written = vars(cls).get("__annotations__")
    if not written:
        return None
    import typing  # noqa: PLC0415 - only classes with annotations need it, and their modules loaded it

    try:
        hints = typing.get_type_hints(cls, include_extras=True)
    except (NameError, TypeError):
        return None
    return {name: hints[name] for name in written}


def _own_functions(cls: type) -> list[FunctionType]:
    """The functions written in ``cls``'s body: methods, class and static methods, property accessors."""
    found: list[object] = []
    for attribute in vars(cls).values():
        if isinstance(attribute, (classmethod, staticmethod)):
            found.append(attribute.__func__)
        elif isinstance(attribute, property):
            found += (attribute.fget, attribute.fset, attribute.fdel)
        else:
            found.append(attribute)
    prefix = f"{cls.__qualname__}."
    return [
        function
        for function in found
        if isinstance(function, _FUNCTION)
        and function.__module__ == cls.__module__
        and function.__qualname__.startswith(prefix)
    ]


class Publisher:
    """Renames each home module's public names to the package as the module finishes running.

    ``homes`` maps each module (relative to the package: ``"_kinds._sync._event"``)
    to the public names it defines; ``namespace`` is the package's globals,
    where each published name is stored.
    """

    def __init__(
        self, package: str, homes: Mapping[str, Sequence[str]], namespace: MutableMapping[str, object]
    ) -> None:
        self.package = package
        self.homes = {f"{package}.{module}": tuple(names) for module, names in homes.items()}
        self._namespace = namespace

    def install(self) -> None:
        """Put this finder first on ``sys.meta_path``, in place of an earlier one for the same package."""
        sys.meta_path[:] = [
            self,
            *(f for f in sys.meta_path if not (isinstance(f, Publisher) and f.package == self.package)),
        ]

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        """The spec the other finders give a home module, its loader wrapped; None for any other."""
        if fullname not in self.homes:
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec: ModuleSpec | None = find(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and not isinstance(spec.loader, _PublishingLoader):
                    spec.loader = _PublishingLoader(spec.loader, self)
                return spec
        return None

    def publish(self, module: ModuleType) -> None:
        """Rename ``module``'s public names to the package and store them there."""
        names = self.homes[module.__name__]
        objects = [vars(module)[name] for name in names]
        classes = [obj for obj in objects if isinstance(obj, type)]
        resolved = {cls: _own_annotations_resolved(cls) for cls in classes}
        for cls in classes:
            for method in _own_functions(cls):
                method.__module__ = self.package
            if (own := resolved[cls]) is not None:
                cls.__annotations__ = own
        for obj in objects:
            if isinstance(obj, (type, _FUNCTION)):
                obj.__module__ = self.package
        self._namespace.update(zip(names, objects, strict=True))


if TYPE_CHECKING:
    _LoaderBase = Loader  # what a spec's loader is typed as; importlib.abc itself costs an import
else:
    _LoaderBase = object


class _PublishingLoader(_LoaderBase):
    """A module's own loader, with its public names published once the module has run."""

    def __init__(self, loader: Loader, publisher: Publisher) -> None:
        self._loader = loader
        self._publisher = publisher

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        self._publisher.publish(module)

    def __getattr__(self, name: str) -> object:
        return getattr(self._loader, name)
