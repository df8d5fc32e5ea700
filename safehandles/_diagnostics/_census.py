"""A process's handles, listed and counted by object type.

Where the data comes from
-------------------------
``NtQuerySystemInformation(SystemExtendedHandleInformation)`` returns the
kernel's handle table: one entry per handle of every process, with its value,
granted access, attributes (inherit, protect-from-close) and a *type index*.
Reading it needs no access to the process at all; the process is opened with
``PROCESS_QUERY_LIMITED_INFORMATION`` only to tell a missing or forbidden
process apart from one with no handles.

Naming the type index is the delicate part. Type indices are system-wide, and
``NtQueryObject(ObjectTypesInformation)`` lists every type, but which index
belongs to which entry of that list has changed across Windows versions (an
explicit ``TypeIndex`` field only since Windows 8.1, the list position plus two
before it), and Wine numbers them differently again. So the index of every
type this process itself holds is named authoritatively, by asking
``NtQueryObject(ObjectTypeInformation)`` about one of our own handles of that
index; only indices this process holds none of fall back to the type list's
``TypeIndex``. Every process holds handles of the common types (files, events,
keys, threads...), so a census of another process names them exactly.

A handle of our own may be closed, and its value reused, between the table
read and the type query; the census is a snapshot of a moving target, like
Task Manager's count.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from dataclasses import dataclass
from typing import Any, Final, Literal

from .._bindings._constants import ProcessAccess, WinError
from .._bindings._errors import raise_ntstatus
from .._bindings._native import ffi, ntdll
from .._kinds._processes._process import Process
from .._win32._buffers import Grow, grow_until_it_fits
from .._win32._objects import object_type_name

__all__ = ["HandleInfo", "handle_census", "list_handles"]

_SYSTEM_EXTENDED_HANDLE_INFORMATION: Final = 64
_OBJECT_TYPES_INFORMATION: Final = 3
_STATUS_INFO_LENGTH_MISMATCH: Final = -0x3FFF_FFFC  # 0xC0000004
_OBJ_PROTECT_CLOSE: Final = 0x1
_OBJ_INHERIT: Final = 0x2
_POINTER: Final = ffi.sizeof("void *")


@dataclass(frozen=True)
class HandleInfo:
    """One handle in a process's handle table."""

    value: int
    type_name: str
    granted_access: int
    inheritable: bool
    protect_from_close: bool

    def __str__(self) -> str:
        flags = "".join(flag for flag, on in (("I", self.inheritable), ("P", self.protect_from_close)) if on)
        return f"{self.value:#x} {self.type_name} access={self.granted_access:#x} {flags}".rstrip()


def _query(information_class: int, *, per_object: bool = False) -> Any:
    """Run an Nt query that reports the size it needs, growing the buffer until it fits."""
    function = "NtQueryObject" if per_object else "NtQuerySystemInformation"
    needed = ffi.new("ULONG *")

    def attempt(size: int) -> Any:
        buffer = ffi.new("char[]", size)
        if per_object:
            status = ntdll.NtQueryObject(0, information_class, buffer, size, needed)
        else:
            status = ntdll.NtQuerySystemInformation(information_class, buffer, size, needed)
        if status == _STATUS_INFO_LENGTH_MISMATCH:
            return Grow(int(needed[0]) + 65536)  # the table may grow before the next try
        if status != 0:
            raise_ntstatus(function, status)
        return buffer

    return grow_until_it_fits(function, attempt, 1 << 16)


class _Table:
    """Every handle of every process, as columns: process ids, values, type indices, access, attributes.

    Read straight out of the buffer through typed ``memoryview`` strides (one
    slice per field), not entry by entry through cffi: five attribute reads per
    handle would cost about a microsecond each, for tens of thousands of handles.
    """

    __slots__ = ("access", "attributes", "pids", "type_indices", "values")

    def __init__(self, buffer: Any) -> None:
        table: Any = ffi.cast("SYSTEM_HANDLE_INFORMATION_EX *", buffer)
        count = int(table.NumberOfHandles)
        entry = ffi.sizeof("SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX")
        start = ffi.offsetof("SYSTEM_HANDLE_INFORMATION_EX", "Handles")
        # The buffer keeps the memory alive while the views are read; tolist() copies out.
        raw = memoryview(ffi.buffer(buffer))[start : start + count * entry]

        def column(field: str, code: Literal["H", "I", "Q"]) -> list[int]:
            view = raw.cast(code)
            size = view.itemsize
            offset = ffi.offsetof("SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX", field)
            return view[offset // size :: entry // size].tolist()

        pointer: Literal["I", "Q"] = "Q" if _POINTER == 8 else "I"
        self.pids = column("UniqueProcessId", pointer)
        self.values = column("HandleValue", pointer)
        self.type_indices = column("ObjectTypeIndex", "H")
        self.access = column("GrantedAccess", "I")
        self.attributes = column("HandleAttributes", "I")

    def rows_of(self, pid: int) -> list[int]:
        """The row numbers of *pid*'s handles."""
        return [row for row, owner in enumerate(self.pids) if owner == pid]


def _table() -> _Table:
    """Every handle of every process (NtQuerySystemInformation(SystemExtendedHandleInformation))."""
    return _Table(_query(_SYSTEM_EXTENDED_HANDLE_INFORMATION))


def _type_list() -> dict[int, str]:
    """The system's object types by their TypeIndex (ObjectTypesInformation)."""
    buffer = _query(_OBJECT_TYPES_INFORMATION, per_object=True)
    count = int(ffi.cast("ULONG *", buffer)[0])
    address = int(ffi.cast("uintptr_t", buffer)) + _POINTER  # entries start pointer-aligned
    entry_size = ffi.sizeof("OBJECT_TYPE_INFORMATION")
    names: dict[int, str] = {}
    for _ in range(count):
        entry: Any = ffi.cast("OBJECT_TYPE_INFORMATION *", address)
        names[int(entry.TypeIndex)] = str(ffi.unpack(entry.TypeName.Buffer, entry.TypeName.Length // 2))
        address += entry_size + int(entry.TypeName.MaximumLength)
        address = (address + _POINTER - 1) & ~(_POINTER - 1)
    return names


def _type_names(table: _Table) -> dict[int, str]:
    """Name every type index: from our own handles where we hold one, else from the type list."""
    names = _type_list()
    samples: dict[int, list[int]] = {}
    values, indices = table.values, table.type_indices
    for row in table.rows_of(os.getpid()):
        found = samples.setdefault(indices[row], [])
        if len(found) < 2:  # two of our own handles of that type, where we hold two
            found.append(values[row])
    for index, sampled in samples.items():
        answers: set[str] = set()
        for value in sampled:
            with contextlib.suppress(OSError):  # closed since the table was read
                answers.add(object_type_name(value))
        if len(answers) == 1:  # a value reused meanwhile by another type would disagree
            names[index] = answers.pop()
    return names


def _type_name(names: dict[int, str], index: int) -> str:
    return names.get(index, f"type #{index}")


def _check_process(pid: int) -> None:
    """Raise a clear error for a process that does not exist or may not be queried."""
    try:
        Process.open(pid, access=ProcessAccess.QUERY_LIMITED_INFORMATION).close()
    except OSError as exc:
        if getattr(exc, "winerror", None) == WinError.INVALID_PARAMETER:
            raise ProcessLookupError(f"no process with id {pid}") from exc
        if isinstance(exc, PermissionError):
            raise PermissionError(f"not allowed to query process {pid}: {exc}") from exc
        raise


def _target(pid: int | None) -> int:
    """The process a listing is for (this one by default), checked if it is another."""
    if pid is None or pid == os.getpid():
        return os.getpid()
    _check_process(pid)
    return pid


def list_handles(pid: int | None = None) -> list[HandleInfo]:
    """The handles of a process (this one by default), sorted by value.

    Raises ``ProcessLookupError`` for a process that does not exist and
    ``PermissionError`` for one this user may not query.
    """
    target = _target(pid)
    table = _table()
    names = _type_names(table)
    values, indices, access, attributes = table.values, table.type_indices, table.access, table.attributes
    handles = [
        HandleInfo(
            value=values[row],
            type_name=_type_name(names, indices[row]),
            granted_access=access[row],
            inheritable=bool(attributes[row] & _OBJ_INHERIT),
            protect_from_close=bool(attributes[row] & _OBJ_PROTECT_CLOSE),
        )
        for row in table.rows_of(target)
    ]
    return sorted(handles, key=lambda handle: handle.value)


def handle_census(pid: int | None = None) -> Counter[str]:
    """How many handles of each object type a process (this one by default) holds.

    Raises as :func:`list_handles` does. Counted by type index, without a
    record per handle: a census of a process with 50,000 handles stays in
    the tens of milliseconds.
    """
    target = _target(pid)
    table = _table()
    names = _type_names(table)
    indices = table.type_indices
    by_index = Counter(indices[row] for row in table.rows_of(target))
    census: Counter[str] = Counter()
    for index, count in by_index.items():
        census[_type_name(names, index)] += count
    return census
