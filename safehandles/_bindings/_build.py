"""Generate ``_ffi.py``, the out-of-line ABI module, from the per-DLL declarations.

Run ``python3 tools/dev.py generate`` after changing a declaration.
The generated module is committed, so installing needs no compiler and no
build step; ``tests/test_bindings.py`` fails if it no longer matches.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
from pathlib import Path

import cffi

from . import _advapi32, _kernel32, _ntdll, _types, _user32, _ws2_32

MODULE_NAME = "safehandles._bindings._ffi"
GENERATED = Path(__file__).with_name("_ffi.py")
DLL_DECLARATIONS = {
    "kernel32.dll": _kernel32.DECLARATIONS,
    "advapi32.dll": _advapi32.DECLARATIONS,
    "ws2_32.dll": _ws2_32.DECLARATIONS,
    "user32.dll": _user32.DECLARATIONS,
    "ntdll.dll": _ntdll.DECLARATIONS,
}


def all_declarations() -> str:
    """The common types followed by every DLL's declarations: one FFI, shared types."""
    return _types.DECLARATIONS + "".join(DLL_DECLARATIONS.values())


def generate() -> str:
    builder = cffi.FFI()
    builder.cdef(all_declarations())
    builder.set_source(MODULE_NAME, None)
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch, "_ffi.py")
        with contextlib.redirect_stdout(io.StringIO()):  # cffi announces "generating ..."
            builder.emit_python_code(str(target))
        return target.read_text()


def main() -> int:
    GENERATED.write_text(generate())
    print(f"wrote {GENERATED}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
