"""What kind of kernel object a handle value names, as the kernel says it.

``NtQueryObject(ObjectTypeInformation)`` returns the object type's name
("Event", "Mutant", "Section", "Key", ...). ``from_raw`` uses it to refuse a
value of the wrong kind before wrapping it; diagnostics use it to count
handles by type.
"""

from __future__ import annotations

from typing import Any, Final

from .._bindings._errors import raise_ntstatus
from .._bindings._native import ffi, ntdll

__all__ = ["object_type_name"]

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
