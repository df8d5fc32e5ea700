"""Runs INSIDE the Windows embeddable CPython (under Wine), started by tools/winpython.py.

The embeddable build ignores PYTHONPATH (its ``._pth`` file fixes sys.path), so this puts
the project root on sys.path and then behaves like ``python -m MODULE ARGS``,
``python SCRIPT ARGS`` or ``python -c CODE ARGS``::

    python.exe wine_bootstrap.py Z:\\work\\main -m pytest -q tests/

Standard library only; exit codes propagate through SystemExit as with plain python.
"""

from __future__ import annotations

import importlib.util
import os
import runpy
import sys

USAGE = "usage: wine_bootstrap.py PROJECT_ROOT (-m MODULE | -c CODE | SCRIPT) [ARGS...]"


def _setup_streams() -> None:
    """UTF-8 on the pipes (the host decodes UTF-8), never a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="backslashreplace", line_buffering=True)


def _setup_pycache() -> None:
    """Cache bytecode (the embeddable build writes none by default) for faster starts,
    in a folder beside python.exe, so Windows-written .pyc never land in the work tree."""
    sys.pycache_prefix = os.path.join(os.path.dirname(sys.executable), "pycache")
    sys.dont_write_bytecode = False


def _check_module(name: str) -> None:
    """Fail like ``python -m`` (one line, exit 1) when the module is missing, instead of
    a runpy traceback."""
    try:
        spec = importlib.util.find_spec(name)
        is_package = spec is not None and spec.submodule_search_locations is not None
        if is_package and importlib.util.find_spec(f"{name}.__main__") is None:
            raise SystemExit(f"No module named {name}.__main__; '{name}' is a package")
    except (ImportError, ValueError) as exc:
        raise SystemExit(f"Error while finding module specification for {name!r}: {exc}") from None
    if spec is None:
        raise SystemExit(f"No module named {name}")


def main(argv: list[str]) -> None:
    """Dispatch like the python command line; returns only if the target returns."""
    if len(argv) < 2 or (argv[1] in ("-m", "-c") and len(argv) < 3):
        print(USAGE, file=sys.stderr)
        raise SystemExit(2)
    root, target = argv[0], argv[1:]
    _setup_streams()
    _setup_pycache()
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if p and os.path.abspath(p) != here]
    sys.path.insert(0, root)
    if target[0] == "-m":
        _check_module(target[1])
        sys.argv = [target[1], *target[2:]]  # run_module sets argv[0] to the module's file
        runpy.run_module(target[1], run_name="__main__", alter_sys=True)
    elif target[0] == "-c":
        sys.argv = ["-c", *target[2:]]
        exec(
            compile(target[1], "<string>", "exec"),
            {"__name__": "__main__", "__builtins__": __builtins__},
        )
    else:
        script = os.path.abspath(target[0])
        sys.path.insert(0, os.path.dirname(script))  # as `python SCRIPT` does
        sys.argv = [script, *target[1:]]
        runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main(sys.argv[1:])
