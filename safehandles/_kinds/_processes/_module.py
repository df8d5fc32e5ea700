"""Modules (DLLs): LoadLibraryW / LoadLibraryExW, released by FreeLibrary.

A module handle is the module's base address, not an entry in the handle
table. Each ``LoadLibrary`` adds one to the module's load count and each
``FreeLibrary`` takes one away; the DLL is unmapped when the count reaches
zero. So a loaded :class:`Module` owns one count, and :meth:`Module.duplicate`
takes another one (``GetModuleHandleExW``) rather than copying a handle.
``GetModuleHandleW`` takes no count: :meth:`Module.find` is borrowed and never
frees anything.

An address from :meth:`Module.symbol` is only valid while the module stays
loaded, that is while some owner keeps its count.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import ClassVar

from typing_extensions import Self

from ..._bindings._constants import WORD_MAX
from ..._bindings._errors import last_error, raise_winerror
from ..._bindings._kernel32._modules import LoadFlag, ModuleHandleFlag
from ..._bindings._native import ffi, kernel32
from ..._bindings._types import CData
from ..._win32._arguments import file_path, flag_bits, integer, text
from ..._win32._buffers import Grow, grow_until_it_fits
from ..._win32._catalogue import Entry
from ..._win32._handles import Win32Handle
from .._files._resource_names import ResourceId, language_id, resource_id

__all__ = ["Module"]

_MAX_PATH = 260


class Module(Win32Handle):
    """A loaded DLL (or EXE), identified by its base address.

    >>> with Module.load("cabinet.dll") as cabinet:
    ...     address = cabinet.symbol("FCICreate")
    """

    catalogue: ClassVar[Entry] = Entry(
        row="Module",
        creators=(("LoadLibraryW", "NULL"), ("LoadLibraryExW", "NULL"), ("GetModuleHandleW", "NULL")),
        destroyer="`FreeLibrary`",
        ownership="owned; borrowed from `GetModuleHandleW`",
    )

    __slots__ = ()
    _destroyer_name: ClassVar[str] = "FreeLibrary"

    @staticmethod
    def _destroy(value: int, /, _free_library: Callable[[int], int] = kernel32.FreeLibrary) -> int:
        return _free_library(value)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, flags: int = 0) -> Self:
        """Load a DLL (``LoadLibraryW``, or ``LoadLibraryExW`` with *flags*, a :class:`LoadFlag`).

        The module stays loaded until this wrapper is closed (and any other
        loads of it are freed).
        """
        name = file_path(path)
        mask = flag_bits(flags, sum(LoadFlag), "flags", flags="LoadFlag")
        if mask == 0:
            return cls._adopt("LoadLibraryW", lambda: kernel32.LoadLibraryW(name), filename=name)[0]
        call = lambda: kernel32.LoadLibraryExW(name, 0, mask)  # noqa: E731
        return cls._adopt("LoadLibraryExW", call, filename=name)[0]

    @classmethod
    def find(cls, name: str | os.PathLike[str] | None = None) -> Self:
        """A module already loaded in this process (``GetModuleHandleW``): borrowed, never freed.

        ``None`` is the program's own EXE. The module may be unloaded by its
        owner while this wrapper exists; use :meth:`duplicate` to keep it loaded.
        """
        checked = None if name is None else file_path(name, "name")
        value = kernel32.GetModuleHandleW(ffi.NULL if checked is None else checked)
        if value == 0:
            raise_winerror("GetModuleHandleW", filename=checked)
        return cls._wrap(value, owns_handle=False)

    def duplicate(self) -> Self:
        """A new owned wrapper holding one more load count on the same module (``GetModuleHandleExW``)."""
        return type(self)._adopt_out(
            "GetModuleHandleExW",
            lambda out: self._call(
                lambda value: kernel32.GetModuleHandleExW(
                    ModuleHandleFlag.FROM_ADDRESS, ffi.cast("const WCHAR *", value), out
                )
            ),
        )

    @property
    def base_address(self) -> int:
        """The address the module is mapped at (the handle value)."""
        with self.borrow() as value:
            return value

    @property
    def path(self) -> str:
        """The module's full file name (``GetModuleFileNameW``)."""

        def attempt(size: int) -> str | Grow:
            buffer = ffi.new("WCHAR[]", size)
            length = self._call(kernel32.GetModuleFileNameW, buffer, size)
            if length == 0:
                raise_winerror("GetModuleFileNameW")
            if length < size:
                return str(ffi.unpack(buffer, length))
            return Grow()  # truncated: it returns size, and says nothing of the length needed

        return grow_until_it_fits("GetModuleFileNameW", attempt, _MAX_PATH)

    def symbol(self, name: str | int) -> int:
        """The address of an exported function or variable, by name or by ordinal (``GetProcAddress``).

        Raises ``OSError`` naming the symbol if the module does not export it.
        """
        native: bytes | CData
        if isinstance(name, bool):
            raise TypeError("name must be a str or an int ordinal, not bool")
        if isinstance(name, int):
            native = ffi.cast("const char *", integer(name, "ordinal", minimum=1, maximum=WORD_MAX))
        elif isinstance(name, str):
            text(name, "name", empty=False)
            try:
                native = name.encode("ascii")
            except UnicodeEncodeError:
                raise ValueError(f"export names are ASCII: {name!r}") from None
        else:
            raise TypeError(f"name must be a str or an int ordinal, not {type(name).__name__}")
        address = self._call(kernel32.GetProcAddress, native)
        if address == 0:
            raise_winerror("GetProcAddress", filename=str(name))
        return address

    def resource(self, type: ResourceId, name: ResourceId, *, language: int = 0) -> bytes:
        """The bytes of a resource (``FindResourceExW``, ``LoadResource``, ``SizeofResource``).

        *type* and *name* are int ids or strings; *language* is a LANGID (0:
        neutral). Raises ``OSError`` (``ERROR_RESOURCE_*_NOT_FOUND``) if absent.
        A DLL loaded with ``LoadFlag.LOAD_LIBRARY_AS_DATAFILE`` serves too.
        """
        native_type = resource_id(type, "type")
        native_name = resource_id(name, "name")
        lang = language_id(language)
        return self._call(self._read_resource, native_type, native_name, lang)

    @staticmethod
    def _read_resource(module: int, native_type: str | CData, native_name: str | CData, lang: int) -> bytes:
        info = kernel32.FindResourceExW(module, native_type, native_name, lang)
        if info == 0:
            raise_winerror("FindResourceExW")
        kernel32.SetLastError(0)  # 0 is also the size of an empty resource: only an error code tells
        size = kernel32.SizeofResource(module, info)
        if size == 0:
            error = last_error()
            if error:
                raise_winerror("SizeofResource", error)
            return b""
        data = kernel32.LoadResource(module, info)
        if data == 0:
            raise_winerror("LoadResource")
        address = kernel32.LockResource(data)
        if address == 0:
            raise_winerror("LockResource")
        return bytes(ffi.buffer(ffi.cast("char *", address), size))
