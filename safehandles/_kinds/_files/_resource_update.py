"""Resource updates: BeginUpdateResourceW, ended by EndUpdateResourceW.

``BeginUpdateResourceW`` opens a PE file (EXE or DLL) for editing its
resources; the edits are collected in memory and written only by
``EndUpdateResourceW(handle, fDiscard=FALSE)``. The same function with
``fDiscard=TRUE`` throws them away, and either call frees the handle. So the
destroyer of a :class:`ResourceUpdate` is the discarding end: closing it, or
dropping it, leaves the file exactly as it was, and only :meth:`commit`
writes. The file must not be loaded as a module while the update is written.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import ClassVar

from typing_extensions import Self

from ..._bindings._constants import DWORD_MAX
from ..._bindings._errors import check_bool
from ..._bindings._native import ffi, kernel32
from ..._core._errors import ObjectDisposedError
from ..._win32._arguments import bytes_like, file_path
from ..._win32._catalogue import Entry
from ..._win32._handles import Win32Handle, destroy_keeping_last_error
from ._resource_names import ResourceId, language_id, resource_id

__all__ = ["ResourceUpdate"]


def _end_discarding(value: int, /, _end: Callable[[int, int], int] = kernel32.EndUpdateResourceW) -> int:
    return _end(value, True)


def _end_committing(value: int, /, _end: Callable[[int, int], int] = kernel32.EndUpdateResourceW) -> int:
    return _end(value, False)


class ResourceUpdate(Win32Handle):
    """Pending edits to the resources of an EXE or DLL file.

    >>> with ResourceUpdate.begin("app.exe") as update:
    ...     update.update(10, "CONFIG", b"...")  # RT_RCDATA
    ...     update.commit()  # without this, closing discards the edits
    """

    catalogue: ClassVar[Entry] = Entry(
        row="Update resource",
        creators=(("BeginUpdateResourceW", "NULL"),),
        destroyer="`EndUpdateResourceW` discarding (fDiscard=TRUE); `commit()` ends it writing",
        ownership="owned",
        wine="tested, but Wine ignores deletes and leaves no error code for a missing file",
    )

    __slots__ = ("_commit",)
    _destroyer_name: ClassVar[str] = "EndUpdateResourceW"

    @staticmethod
    def _destroy(value: int, /, _discard: Callable[[int], int] = _end_discarding) -> int:
        return _discard(value)

    def __init__(self, *, owns_handle: bool = True) -> None:
        super().__init__(owns_handle=owns_handle)
        self._commit = False

    @classmethod
    def begin(cls, path: str | os.PathLike[str], *, delete_existing: bool = False) -> Self:
        """Start editing the resources of the PE file at *path*.

        With ``delete_existing=True`` the committed file keeps only the
        resources added through this update.
        """
        name = file_path(path)
        call = lambda: kernel32.BeginUpdateResourceW(name, bool(delete_existing))  # noqa: E731
        return cls._adopt("BeginUpdateResourceW", call, filename=name)[0]

    def update(self, type: ResourceId, name: ResourceId, data: bytes, *, language: int = 0) -> None:
        """Add or replace a resource: *type* and *name* are int ids or strings, *language* a LANGID."""
        native_type = resource_id(type, "type")
        native_name = resource_id(name, "name")
        lang = language_id(language)
        buffer = bytes_like(data)
        if len(buffer) == 0:
            raise ValueError("data must not be empty; use delete() to remove a resource")
        if len(buffer) > DWORD_MAX:
            raise ValueError("data is larger than 4 GiB")
        ok = self._call(kernel32.UpdateResourceW, native_type, native_name, lang, buffer, len(buffer))
        check_bool(ok, "UpdateResourceW")

    def delete(self, type: ResourceId, name: ResourceId, *, language: int = 0) -> None:
        """Remove a resource (``UpdateResourceW`` with no data)."""
        native_type = resource_id(type, "type")
        native_name = resource_id(name, "name")
        lang = language_id(language)
        ok = self._call(kernel32.UpdateResourceW, native_type, native_name, lang, ffi.NULL, 0)
        check_bool(ok, "UpdateResourceW")

    def commit(self) -> None:
        """Write the edits to the file and end the update (``EndUpdateResourceW(fDiscard=FALSE)``).

        The wrapper is closed afterwards, also when writing failed (the OS
        frees the update either way); a failure raises ``OSError``. If another
        thread is inside a call on this update, the write happens when it returns.
        """
        if not self.owns_handle:
            raise ValueError(f"{self!r} is borrowed: its owner ends the update")
        # Exactly one close or commit drops the owner's reference; a close() that wins the race discards.
        if not self._close_after(self._choose_commit):
            raise ObjectDisposedError(f"{type(self).__name__} is closed")

    def _choose_commit(self) -> None:
        self._commit = True

    def release_handle(self) -> bool:
        if self._commit:
            return bool(destroy_keeping_last_error(_end_committing, self._value))
        return super().release_handle()
