"""What a handle value names and may do, as the kernel says it.

``NtQueryObject(ObjectTypeInformation)`` returns the object type's name
("Event", "Mutant", "Section", "Key", ...). ``from_raw`` uses it to refuse a
value of the wrong kind before wrapping it; diagnostics use it to count
handles by type. ``NtQueryObject(ObjectBasicInformation)`` returns the access
the handle was granted: what generic rights or ``MAXIMUM_ALLOWED`` became.
"""

from __future__ import annotations

from typing import Any, Final

from .._bindings._errors import raise_ntstatus
from .._bindings._native import ffi, ntdll

__all__ = ["granted_access", "object_type_name"]

_OBJECT_BASIC_INFORMATION: Final = 0
_OBJECT_TYPE_INFORMATION: Final = 2
_BUFFER_BYTES: Final = 1024  # OBJECT_TYPE_INFORMATION: a UNICODE_STRING and counters, then the name


def object_type_name(value: int) -> str:
    """The kernel's name for the type of object *value* refers to in this process."""
    buffer = ffi.new("char[]", _BUFFER_BYTES)
    status = ntdll.NtQueryObject(value, _OBJECT_TYPE_INFORMATION, buffer, _BUFFER_BYTES, ffi.NULL)
    if status != 0:
        raise_ntstatus("NtQueryObject", status)
    name: Any = ffi.cast("UNICODE_STRING *", buffer)
    return str(ffi.unpack(name.Buffer, name.Length // 2))


def granted_access(value: int) -> int:
    """The access mask the handle *value* was granted (generic rights already mapped)."""
    info: Any = ffi.new("PUBLIC_OBJECT_BASIC_INFORMATION *")
    size = ffi.sizeof("PUBLIC_OBJECT_BASIC_INFORMATION")  # the call wants exactly this size
    status = ntdll.NtQueryObject(value, _OBJECT_BASIC_INFORMATION, info, size, ffi.NULL)
    if status != 0:
        raise_ntstatus("NtQueryObject", status)
    return int(info.GrantedAccess)
