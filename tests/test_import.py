"""``import safehandles`` loads no kind: each public name loads with its module on first use.

Each test that looks at what an import loads runs it in a fresh interpreter (the
one running the suite: natively, or Windows CPython under Wine), since this
process has long since loaded everything.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import pickle
import sys
from pathlib import Path
from typing import Any

import pytest

import safehandles as sh
from tests.children import PROJECT_ROOT, run_python

#: What a bare import may load: the package and its surface (``__future__`` is what
#: ``from __future__ import annotations`` imports at run time).
BARE_IMPORT = {"safehandles", "safehandles._surface"}

#: Stdlib modules that must never be on the bare import path (each costs milliseconds, or tens under Wine).
HEAVY = {
    "asyncio",
    "ctypes",
    "dataclasses",
    "enum",
    "inspect",
    "linecache",
    "pathlib",
    "socket",
    "subprocess",
    "threading",
    "traceback",
    "typing",
    "weakref",
}


def _loaded_by(statement: str, *, before: str = "") -> list[str]:
    """The modules that ``statement`` adds to ``sys.modules`` in a fresh interpreter, after ``before``."""
    code = f"{before}\nalready = set(sys.modules)\n{statement}\nprint(sorted(set(sys.modules) - already))\n"
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    loaded: list[str] = ast.literal_eval(result.stdout.strip().splitlines()[-1])
    return loaded


def test_a_bare_import_loads_only_the_package_and_its_surface() -> None:
    loaded = set(_loaded_by("import safehandles"))
    ours = {name for name in loaded if name == "safehandles" or name.startswith("safehandles.")}
    assert ours == BARE_IMPORT
    assert loaded & HEAVY == set()
    assert loaded - ours <= {"__future__"}


def test_a_kind_loads_on_first_use_and_brings_only_what_it_imports() -> None:
    loaded = set(_loaded_by("import safehandles as sh; sh.Event", before="import safehandles as sh"))
    assert "safehandles._kinds._sync._event" in loaded
    # Kinds the event does not use stay unloaded.
    for other in ("_system._service", "_system._registry", "_network._socket", "_processes._spawn"):
        assert f"safehandles._kinds.{other}" not in loaded
    assert "asyncio" not in loaded  # loaded with the first await
    assert "subprocess" not in loaded


def test_every_public_name_is_listed_before_it_is_loaded() -> None:
    code = (
        "import safehandles as sh\n"
        "listed = dir(sh)\n"
        "print(all(name in listed for name in sh.__all__), 'safehandles._kinds' in sys.modules)\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False"]
    assert set(sh.__all__) <= set(dir(sh))


def test_an_unknown_name_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match=r"^module 'safehandles' has no attribute 'NoSuchKind'$"):
        sh.NoSuchKind  # type: ignore[attr-defined]  # noqa: B018


def test_a_module_loaded_without_the_package_lookup_still_says_safehandles() -> None:
    # Thread loads here as a private module's import, never through sh.Thread.
    code = (
        "from safehandles._kinds._processes._thread import Thread\n"
        "import safehandles as sh\n"
        "print(Thread.__module__, Thread.suspend.__module__, vars(sh).get('Thread') is Thread)\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["safehandles", "safehandles", "True"]


def test_a_pickle_loads_in_a_process_that_never_looked_the_name_up() -> None:
    payload = pickle.dumps(sh.FileAccess.READ_DATA | sh.FileAccess.WRITE_DATA)
    assert b"_bindings" not in payload
    code = f"import pickle; print(int(pickle.loads({payload!r})))"
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3"


def test_the_homes_table_matches_the_checkers_imports_and_all() -> None:
    # __init__.py says twice where each name lives: imports for checkers, a table for run time.
    source = Path(sh.__file__).read_text(encoding="utf-8")
    (guard,) = (
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
    )
    imported: dict[str, tuple[str, ...]] = {}
    for node in guard.body:
        assert isinstance(node, ast.ImportFrom)
        assert node.level == 1
        assert node.module is not None
        imported[node.module] = tuple(alias.name for alias in node.names)
    assert imported == sh._HOMES
    assert sorted(name for names in imported.values() for name in names) == sorted(sh.__all__)


def test_the_finder_answers_for_the_package_alone_and_keeps_the_real_loaders_answers() -> None:
    finders = [finder for finder in sys.meta_path if type(finder).__name__ == "Publisher"]
    assert finders == [sh._publisher]
    assert sh._publisher.find_spec("json", None) is None
    assert sh._publisher.find_spec("safehandles._kinds", None) is None  # a package without public names
    # What inspect, tracebacks and importlib.resources ask a module's loader is the real loader's answer.
    assert inspect.getsource(sh.Event.create).lstrip().startswith("@classmethod")
    name = "safehandles._kinds._sync._event"
    module = sys.modules[name]
    loader: Any = module.__loader__
    assert loader.get_filename(name) == module.__file__
    assert "class Event(" in loader.get_source(name)
    assert Path(module.__file__ or "").is_relative_to(PROJECT_ROOT)


def test_a_reload_of_the_package_keeps_one_finder_and_the_same_classes() -> None:
    code = (
        "import importlib, safehandles as sh\n"
        "event = sh.Event\n"
        "importlib.reload(sh)\n"
        "finders = [f for f in sys.meta_path if type(f).__name__ == 'Publisher']\n"
        "print(len(finders), sh.Event is event, sh.Event.__module__)\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "True", "safehandles"]


def test_a_module_loaded_past_the_finder_is_published_when_looked_up() -> None:
    # As when a finder placed before ours (pytest's assertion rewriter) loads a module itself.
    code = (
        "import safehandles as sh\n"
        "sys.meta_path.remove(sh._publisher)\n"
        "from safehandles._kinds._sync._mutex import Mutex\n"
        "print(Mutex.__module__, sh.Mutex is Mutex, Mutex.__module__, Mutex.acquire.__module__)\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["safehandles._kinds._sync._mutex", "True", "safehandles", "safehandles"]


def test_importlib_finds_every_home_module_through_the_finder() -> None:
    for module in sh._HOMES:
        spec = importlib.util.find_spec(f"safehandles.{module}")
        assert spec is not None, module
        assert type(spec.loader).__name__ == "_PublishingLoader", module
