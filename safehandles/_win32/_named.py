"""What the named synchronization kinds (event, mutex, semaphore, timer) share.

A create with a name either creates the object or, if one of that name
exists, opens it: the call succeeds and ``GetLastError`` says
``ERROR_ALREADY_EXISTS``. That is information, not an error (Go's
``CreateEvent`` once reported it as an error while returning a live handle,
which callers then leaked), so it becomes ``created_new`` and the handle is kept.
"""

from __future__ import annotations

from collections.abc import Callable

from typing_extensions import Self

from .._bindings._constants import NULL, WinError
from .._bindings._errors import raise_winerror
from .._bindings._native import ffi, kernel32
from .._bindings._types import WideString
from ._arguments import object_name
from ._handles import WaitableHandle

__all__ = ["NamedWaitableHandle"]


class NamedWaitableHandle(WaitableHandle):
    """A synchronization object that may carry a name in the object namespace."""

    __slots__ = ("_created_new",)

    def __init__(self, *, owns_handle: bool = True) -> None:
        super().__init__(owns_handle=owns_handle)
        self._created_new = False

    @property
    def created_new(self) -> bool:
        """False when a create found an object of that name already there (or for ``open``)."""
        return self._created_new

    @classmethod
    def _create(cls, creator: str, name: str | None, call: Callable[[WideString], int]) -> Self:
        """Run ``call(name)``, a Create*W call, and adopt what it returns."""
        if name is None:
            # The everyday unnamed create, kept short: its object is always new, so the
            # last error is read only if the call failed (at once: nothing runs in between).
            self = cls()
            value = call(ffi.NULL)
            self.set_handle(value)
            if value == NULL:
                raise_winerror(creator)
            self._created_new = True
            return self
        name = object_name(name)
        if name is not None:
            kernel32.SetLastError(0)  # a fresh object leaves the last error as it found it
        native_name = ffi.NULL if name is None else name
        self, error = cls._adopt(creator, lambda: call(native_name), filename=name)
        self._created_new = error != WinError.ALREADY_EXISTS
        return self

    @classmethod
    def _open(
        cls,
        opener: Callable[[int, int, str], int],
        function: str,
        name: str,
        access: int,
        inheritable: bool,
    ) -> Self:
        """Open an existing named object with an Open*W call."""
        checked = object_name(name, optional=False)
        mask = cls._access(access)
        return cls._adopt(function, lambda: opener(mask, bool(inheritable), checked), filename=checked)[0]
