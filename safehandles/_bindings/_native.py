"""The DLLs, loaded once and typed by their Protocols.

On Windows each name is the cffi library object, cast to the DLL's Protocol
so that mypy checks every call. Elsewhere each is a stand-in with the same
type whose functions raise :class:`UnsupportedPlatformError` when called, so
``import safehandles`` works everywhere and the failure names what was asked.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Final, NoReturn, cast

from .._core._errors import UnsupportedPlatformError
from ._advapi32 import Advapi32
from ._ffi import ffi as _generated_ffi
from ._kernel32 import Kernel32
from ._ntdll import Ntdll
from ._user32 import User32
from ._ws2_32 import Ws2_32

__all__ = ["IS_WINDOWS", "advapi32", "ffi", "kernel32", "ntdll", "user32", "ws2_32"]

if TYPE_CHECKING:
    from _cffi_backend import FFI

#: The library's cffi FFI object (generated in _ffi.py): ``ffi.new``, ``ffi.NULL``, ``ffi.string``.
ffi: Final[FFI] = _generated_ffi

#: Whether the Win32 API is reachable (Windows itself, or Windows Python under Wine).
IS_WINDOWS: Final[bool] = sys.platform == "win32"


class _Unavailable:
    """Stands in for a DLL on a platform that has none."""

    def __init__(self, dll: str) -> None:
        self._dll = dll

    def __getattr__(self, function: str) -> Callable[..., NoReturn]:
        dll = self._dll

        def unavailable(*args: object) -> NoReturn:
            raise UnsupportedPlatformError(f"{dll}!{function} needs Windows; this is {sys.platform}")

        return unavailable


def _load(dll: str) -> object:
    return ffi.dlopen(dll) if IS_WINDOWS else _Unavailable(dll)


kernel32: Final = cast(Kernel32, _load("kernel32.dll"))
advapi32: Final = cast(Advapi32, _load("advapi32.dll"))
ws2_32: Final = cast(Ws2_32, _load("ws2_32.dll"))
ntdll: Final = cast(Ntdll, _load("ntdll.dll"))
user32: Final = cast(User32, _load("user32.dll"))
