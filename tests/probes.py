"""Independent looks at the OS, for tests: is a handle value really open, and what is it?

These go straight to the Win32 API through the raw cffi functions, never
through a wrapper, so they show what the OS holds rather than what a wrapper
believes.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Final

from safehandles._bindings._errors import last_error
from safehandles._bindings._native import ffi, kernel32, ntdll

ERROR_INVALID_HANDLE: Final = 6
_OBJECT_TYPE_INFORMATION: Final = 2


def _under_wine() -> bool:
    if sys.platform != "win32":
        return False
    import ctypes

    return hasattr(ctypes.WinDLL("ntdll.dll"), "wine_get_version")  # only Wine's ntdll exports it


#: True when this is Windows CPython running under Wine rather than on Windows.
UNDER_WINE: Final = _under_wine()


def is_open(value: int) -> bool:
    """Whether *value* names an open handle in this process's handle table."""
    flags = ffi.new("DWORD *")
    if kernel32.GetHandleInformation(value, flags):
        return True
    error = last_error()
    assert error == ERROR_INVALID_HANDLE, f"GetHandleInformation({value:#x}) failed with {error}"
    return False


def type_name(value: int) -> str:
    """The object type of an open handle as the kernel names it ("Event", "Mutant", ...)."""
    buffer = ffi.new("char[]", 1024)
    status = ntdll.NtQueryObject(value, _OBJECT_TYPE_INFORMATION, buffer, len(buffer), ffi.NULL)
    assert status == 0, f"NtQueryObject({value:#x}) returned {status:#x}"
    name: Any = ffi.cast("UNICODE_STRING *", buffer)
    return str(ffi.unpack(name.Buffer, name.Length // 2))


_OBJECT_BASIC_INFORMATION: Final = 0


def granted_access(value: int) -> int:
    """The access mask the handle *value* holds, from ``NtQueryObject(ObjectBasicInformation)``."""
    info: Any = ffi.new("PUBLIC_OBJECT_BASIC_INFORMATION *")
    size = ffi.sizeof("PUBLIC_OBJECT_BASIC_INFORMATION")
    status = ntdll.NtQueryObject(value, _OBJECT_BASIC_INFORMATION, info, size, ffi.NULL)
    assert status == 0, f"NtQueryObject({value:#x}) returned {status:#x}"
    return int(info.GrantedAccess)


def process_heaps() -> set[int]:
    """The heaps this process has (``GetProcessHeaps``)."""
    count = kernel32.GetProcessHeaps(0, ffi.NULL)
    heaps = ffi.new("HANDLE[]", count + 16)
    got = kernel32.GetProcessHeaps(len(heaps), heaps)
    assert 0 < got <= len(heaps)
    return {int(heaps[i]) for i in range(got)}


def winerror(error: BaseException) -> int | None:
    """The ``winerror`` of an ``OSError`` (None off Windows, where it has none)."""
    assert isinstance(error, OSError)
    if sys.platform == "win32":
        return error.winerror
    return None


_SYSTEM_EXTENDED_HANDLE_INFORMATION: Final = 64
_STATUS_INFO_LENGTH_MISMATCH: Final = -0x3FFF_FFFC  # 0xC0000004 as a signed NTSTATUS


def open_handles(pid: int | None = None) -> set[int]:
    """The handle values a process (this one by default) has open, from the kernel's handle table."""
    pid = os.getpid() if pid is None else pid
    size = 1 << 16
    while True:
        buffer = ffi.new("char[]", size)
        needed = ffi.new("ULONG *")
        status = ntdll.NtQuerySystemInformation(_SYSTEM_EXTENDED_HANDLE_INFORMATION, buffer, size, needed)
        if status != _STATUS_INFO_LENGTH_MISMATCH:
            break
        size = max(size * 2, int(needed[0]) + 4096)
    assert status == 0, f"NtQuerySystemInformation returned {status:#x}"
    table: Any = ffi.cast("SYSTEM_HANDLE_INFORMATION_EX *", buffer)
    return {
        int(table.Handles[i].HandleValue)
        for i in range(table.NumberOfHandles)
        if table.Handles[i].UniqueProcessId == pid
    }
