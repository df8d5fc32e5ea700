"""Find handles: FindFirstFileW (``INVALID_HANDLE_VALUE`` on failure), closed by FindClose.

A find handle is not an entry in the handle table: it is the address of the
search state that kernel32 keeps for ``FindNextFileW``, and only ``FindClose``
frees it (``CloseHandle`` on it would be wrong), so it cannot be duplicated or
inherited. The search holds a handle to the directory open until then.

``FindFirstFileW`` already returns the first match, so a search that matches
nothing fails at once: ``FileNotFoundError`` for a pattern without match
(``ERROR_FILE_NOT_FOUND``) and for a missing directory (``ERROR_PATH_NOT_FOUND``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from typing_extensions import Self

from ..._bindings._constants import INVALID_HANDLE_VALUE, WinError
from ..._bindings._errors import last_error, raise_winerror
from ..._bindings._kernel32._files import FileAttribute
from ..._bindings._native import ffi, kernel32
from ..._core._errors import ObjectDisposedError
from ..._win32._arguments import file_path
from ..._win32._catalogue import Entry
from ..._win32._handles import Win32Handle

__all__ = ["FindEntry", "FindFile"]


@dataclass(frozen=True)
class FindEntry:
    """One directory entry a search found."""

    #: The entry's name, without its directory.
    name: str
    #: Its attributes (``FileAttribute.DIRECTORY``, ``READONLY``, ...).
    attributes: FileAttribute
    #: Its size in bytes (0 for a directory).
    size: int

    @property
    def is_dir(self) -> bool:
        """Whether the entry is a directory."""
        return bool(self.attributes & FileAttribute.DIRECTORY)


def _entry(data: Any) -> FindEntry:
    return FindEntry(
        name=str(ffi.string(data.cFileName)),
        attributes=FileAttribute(data.dwFileAttributes),
        size=(int(data.nFileSizeHigh) << 32) | int(data.nFileSizeLow),
    )


class FindFile(Win32Handle):
    """A directory search: iterate it for :class:`FindEntry` records.

    >>> with FindFile.open(r"C:\\logs\\*.txt") as search:
    ...     names = [entry.name for entry in search]

    The entries ``.`` and ``..`` appear as the file system lists them.
    """

    catalogue: ClassVar[Entry] = Entry(
        row="Find file",
        creators=(("FindFirstFileW", "INVALID_HANDLE_VALUE"),),
        destroyer="`FindClose`",
        ownership="owned",
        wine="tested (`FindClose` twice returns TRUE under Wine)",
    )

    __slots__ = ("_data", "_done", "_pending")
    _destroyer_name: ClassVar[str] = "FindClose"

    @staticmethod
    def _destroy(value: int, /, _find_close: Callable[[int], int] = kernel32.FindClose) -> int:
        return _find_close(value)

    def __init__(self, *, owns_handle: bool = True) -> None:
        super().__init__(owns_handle=owns_handle)
        self._data: Any = ffi.new("WIN32_FIND_DATAW *")  # what the search fills (from_raw too)
        self._pending: FindEntry | None = None
        self._done = False

    @classmethod
    def open(cls, pattern: str | os.PathLike[str]) -> Self:
        """Start a search for *pattern*: a directory followed by a name that may hold ``*`` and ``?``."""
        checked = file_path(pattern, "pattern")
        data = ffi.new("WIN32_FIND_DATAW *")
        self, _ = cls._adopt(
            "FindFirstFileW",
            lambda: kernel32.FindFirstFileW(checked, data),
            fails_with=INVALID_HANDLE_VALUE,
            filename=checked,
        )
        self._data = data
        self._pending = _entry(data)
        return self

    @classmethod
    def scan(cls, pattern: str | os.PathLike[str]) -> list[FindEntry]:
        """Every entry matching *pattern*, with the search closed again."""
        with cls.open(pattern) as search:
            return [*search]

    def __iter__(self) -> Iterator[FindEntry]:
        return self

    def __next__(self) -> FindEntry:
        """The next entry (``FindNextFileW``); the search ends at ``ERROR_NO_MORE_FILES``."""
        if self.is_closed:  # a closed search says so, whether or not it had finished
            raise ObjectDisposedError(f"{type(self).__name__} is closed")
        pending = self._pending
        if pending is not None:
            self._pending = None
            return pending
        if self._done:
            raise StopIteration
        if not self._call(kernel32.FindNextFileW, self._data):
            error = last_error()
            if error == WinError.NO_MORE_FILES:
                self._done = True
                raise StopIteration
            raise_winerror("FindNextFileW", error)
        return _entry(self._data)
