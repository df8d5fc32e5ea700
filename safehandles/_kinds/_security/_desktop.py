"""Desktops and window stations of user32: borrowed handles to the ones in use.

``GetThreadDesktop`` and ``GetProcessWindowStation`` return handles the
system keeps for the thread and the process: Microsoft's "Kernel Objects"
table says applications cannot delete them, and closing them would break the
thread's or the process's use of its desktop. So the wrappers these creators
return are borrowed, and ``close()`` never closes anything. A handle adopted
with ``from_raw(..., owns_handle=True)`` (one from ``OpenDesktopW``, say), or
a :meth:`~KernelHandle.duplicate`, is released by ``CloseDesktop`` /
``CloseWindowStation``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import ClassVar

from typing_extensions import Self

from ..._bindings._constants import DWORD_MAX, WinError
from ..._bindings._errors import last_error, raise_winerror
from ..._bindings._native import ffi, user32
from ..._bindings._user32 import DesktopAccess, UserObjectInformation, WindowStationAccess
from ..._win32._arguments import integer
from ..._win32._buffers import Grow, grow_until_it_fits
from ..._win32._catalogue import Entry
from ..._win32._handles import KernelHandle

__all__ = ["Desktop", "WindowStation"]


def _name(value: int) -> str:
    """``GetUserObjectInformationW(UOI_NAME)``, growing the buffer as asked."""
    needed = ffi.new("DWORD *")

    def attempt(size: int) -> str | Grow:  # size in bytes
        buffer = ffi.new("WCHAR[]", size // 2)
        if user32.GetUserObjectInformationW(value, UserObjectInformation.NAME, buffer, size, needed):
            return str(ffi.string(buffer))
        error = last_error()
        if error == WinError.INSUFFICIENT_BUFFER:
            return Grow(int(needed[0]) + 2)
        raise_winerror("GetUserObjectInformationW", error)

    return grow_until_it_fits("GetUserObjectInformationW", attempt, 64)


class _UserObject(KernelHandle):
    __slots__ = ()

    @property
    def name(self) -> str:
        """The object's name (``GetUserObjectInformationW`` with ``UOI_NAME``), e.g. "Default"."""
        return self._call(_name)


class Desktop(_UserObject):
    """A desktop: the surface a thread's windows live on."""

    catalogue: ClassVar[Entry] = Entry(
        row="Desktop",
        creators=(("GetThreadDesktop", "NULL"),),
        destroyer="none: borrowed (`CloseDesktop` only for adopted or duplicated handles)",
        ownership="borrowed",
    )
    _object_type = "Desktop"
    _rights = DesktopAccess

    __slots__ = ()
    _destroyer_name: ClassVar[str] = "CloseDesktop"

    @staticmethod
    def _destroy(value: int, /, _close: Callable[[int], int] = user32.CloseDesktop) -> int:
        return _close(value)

    @classmethod
    def of_thread(cls, tid: int | None = None) -> Self:
        """The desktop assigned to a thread (``GetThreadDesktop``; None: the calling thread). Borrowed."""
        thread_id = threading.get_native_id() if tid is None else tid
        thread_id = integer(thread_id, "tid", minimum=0, maximum=DWORD_MAX)
        value = user32.GetThreadDesktop(thread_id)
        if value == 0:
            raise_winerror("GetThreadDesktop", filename=str(thread_id))
        return cls._wrap(value, owns_handle=False)


class WindowStation(_UserObject):
    """A window station: holds a clipboard, an atom table and desktops."""

    catalogue: ClassVar[Entry] = Entry(
        row="Window station",
        creators=(("GetProcessWindowStation", "NULL"),),
        destroyer="none: borrowed (`CloseWindowStation` only for adopted or duplicated handles)",
        ownership="borrowed",
    )
    _object_type = "WindowStation"
    _rights = WindowStationAccess

    __slots__ = ()
    _destroyer_name: ClassVar[str] = "CloseWindowStation"

    @staticmethod
    def _destroy(value: int, /, _close: Callable[[int], int] = user32.CloseWindowStation) -> int:
        return _close(value)

    @classmethod
    def of_process(cls) -> Self:
        """The calling process's window station (``GetProcessWindowStation``). Borrowed."""
        value = user32.GetProcessWindowStation()
        if value == 0:
            raise_winerror("GetProcessWindowStation")
        return cls._wrap(value, owns_handle=False)
