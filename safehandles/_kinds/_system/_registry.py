"""Registry keys: RegCreateKeyExW / RegOpenKeyExW, closed by RegCloseKey.

An opened key is a kernel object (type "Key") in the handle table, but it is
released with ``RegCloseKey``, which returns a status (a Win32 error code)
rather than a BOOL: every registry function does, and never sets the last
error. The predefined roots (``HKEY_CURRENT_USER`` ...) are not handles at all:
they are fixed values that advapi32 maps to a key of its own, so they are
borrowed and never closed. Each access to ``RegistryKey.HKEY_CURRENT_USER``
gives a fresh borrowed wrapper, so closing one cannot disable the root for the
rest of the program.

Values carry their type. :class:`RegistryValue` pairs the data with the
:class:`ValueType`; ``REG_SZ`` and ``REG_EXPAND_SZ`` read as ``str``,
``REG_MULTI_SZ`` as ``list[str]``, the ``DWORD`` and ``QWORD`` types as ``int``,
and everything else as ``bytes``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, ClassVar, Final

from typing_extensions import Self

from ..._bindings._advapi32._registry import (
    Disposition,
    KeyAccess,
    KeyOption,
    PredefinedKey,
    ValueType,
)
from ..._bindings._constants import WinError
from ..._bindings._errors import raise_status, winerror_exception
from ..._bindings._native import advapi32, ffi
from ..._bindings._types import CData
from ..._win32._arguments import access_mask, object_name
from ..._win32._buffers import Grow, grow_until_it_fits
from ..._win32._catalogue import Entry
from ..._win32._handles import KernelHandle, destroy_keeping_last_error, security_attributes
from ._registry_values import RegistryValue, decode, encode

if TYPE_CHECKING:
    from .._processes._process import Process

__all__ = ["RegistryKey"]

_PREDEFINED: Final = frozenset(int(key) for key in PredefinedKey)
_MAX_KEY_NAME: Final = 256  # 255 characters and the terminating NUL
_MAX_VALUE_NAME: Final = 16384  # 16,383 characters and the terminating NUL


def _path(path: str | None, what: str = "subkey") -> str:
    return object_name(path, what, optional=False)


def _value_name(name: str | None) -> str:
    """A value name; "" and None both mean the key's default (unnamed) value."""
    return "" if name is None else _path(name, "value name")


def _close_key(
    value: int,
    _reg_close_key: Callable[[int], int] = advapi32.RegCloseKey,
    _keeping_last_error: Callable[..., int] = destroy_keeping_last_error,
) -> int:
    """RegCloseKey, keeping the thread's last error; returns the status. Bound for teardown."""
    return _keeping_last_error(_reg_close_key, value, returns_status=True)


class _Predefined:
    """A class attribute that gives a fresh borrowed wrapper of a predefined root at each access."""

    __slots__ = ("_key",)

    def __init__(self, key: PredefinedKey) -> None:
        self._key = key

    def __get__(self, instance: object, owner: type[RegistryKey]) -> RegistryKey:
        return owner._wrap(int(self._key), owns_handle=False)


class RegistryKey(KernelHandle):
    """An open registry key.

    >>> with RegistryKey.HKEY_CURRENT_USER.create(r"Software\\example") as key:
    ...     key.set_value("count", 3)
    ...     assert key.get_value("count") == RegistryValue(3, ValueType.DWORD)

    ``duplicate()`` gives a second owned handle to the same key (``DuplicateHandle``),
    here or, with ``target_process=``, in another process, except for the
    predefined roots, which are not handles (``ValueError``; and ``open("")`` on a
    root gives the root itself back, borrowed, as ``RegOpenKeyExW`` does).
    """

    catalogue: ClassVar[Entry] = Entry(
        row="(advapi32) registry",
        creators=(("RegCreateKeyExW", "status != 0"), ("RegOpenKeyExW", "status != 0")),
        destroyer="`RegCloseKey` (returns a status)",
        ownership="owned; the predefined roots (`HKEY_CURRENT_USER` ...) borrowed",
    )

    __slots__ = ("_close_status", "_created_new")
    _object_type = "Key"
    _rights = KeyAccess
    _pseudo_handles: ClassVar[frozenset[int]] = _PREDEFINED  # the roots: constants, not handles
    _destroyer_name: ClassVar[str] = "RegCloseKey"

    HKEY_CLASSES_ROOT: ClassVar[_Predefined] = _Predefined(PredefinedKey.CLASSES_ROOT)
    HKEY_CURRENT_USER: ClassVar[_Predefined] = _Predefined(PredefinedKey.CURRENT_USER)
    HKEY_LOCAL_MACHINE: ClassVar[_Predefined] = _Predefined(PredefinedKey.LOCAL_MACHINE)
    HKEY_USERS: ClassVar[_Predefined] = _Predefined(PredefinedKey.USERS)
    HKEY_CURRENT_CONFIG: ClassVar[_Predefined] = _Predefined(PredefinedKey.CURRENT_CONFIG)

    def __init__(self, *, owns_handle: bool = True) -> None:
        super().__init__(owns_handle=owns_handle)
        self._close_status = 0
        self._created_new = False

    def release_handle(self) -> bool:
        self._close_status = _close_key(self._value)
        return self._close_status == 0

    def _release_failure(self) -> OSError:
        return winerror_exception(self._destroyer_name, self._close_status)

    def _check_kind(self, value: int) -> None:
        if self.is_predefined and self.owns_handle:
            raise ValueError(f"{value:#x} is a predefined root: it can only be wrapped as borrowed")
        super()._check_kind(value)

    @property
    def is_predefined(self) -> bool:
        """Whether this is one of the predefined roots (borrowed, not a handle)."""
        return self._value in _PREDEFINED

    @property
    def created_new(self) -> bool:
        """For :meth:`create`: False when the key already existed and was opened."""
        return self._created_new

    # -- creators ----------------------------------------------------------------------

    def _subkey(self, creator: str, path: str, call: Callable[[int, CData], int]) -> RegistryKey:
        """Run a creator relative to this key (holding it), and adopt the key it writes to ``HKEY *``."""
        key = RegistryKey._adopt_out(
            creator, lambda out: self._call(call, out), out_type="HKEY *", returns_status=True, filename=path
        )
        if key.is_predefined:  # "" under a root gives the root itself back: not ours to close
            value = key.dangerous_get_handle()
            key.set_handle_as_invalid()
            return RegistryKey._wrap(value, owns_handle=False)
        return key

    def open(self, subkey: str = "", *, access: int = KeyAccess.READ) -> RegistryKey:
        """Open an existing subkey (``""``: this key again) with *access* (default ``KeyAccess.READ``).

        On a predefined root, ``""`` gives the root itself back (borrowed).

        A missing key raises ``FileNotFoundError`` (``winerror`` 2).
        """
        path = _path(subkey)
        mask = access_mask(access, KeyAccess)
        return self._subkey(
            "RegOpenKeyExW", path, lambda value, out: advapi32.RegOpenKeyExW(value, path, 0, mask, out)
        )

    def create(
        self,
        subkey: str,
        *,
        access: int = KeyAccess.READ | KeyAccess.WRITE,
        volatile: bool = False,
        inheritable: bool = False,
    ) -> RegistryKey:
        """Create a subkey, or open it if it exists (then ``created_new`` is False).

        Missing intermediate keys are created too. A *volatile* key lives in
        memory only and is gone when the system restarts.
        """
        path = _path(subkey)
        mask = access_mask(access, KeyAccess)
        options = KeyOption.VOLATILE if volatile else KeyOption.NON_VOLATILE
        attributes = security_attributes(inheritable)
        disposition = ffi.new("DWORD *")
        key = self._subkey(
            "RegCreateKeyExW",
            path,
            lambda value, out: advapi32.RegCreateKeyExW(
                value, path, 0, ffi.NULL, options, mask, attributes, out, disposition
            ),
        )
        key._created_new = disposition[0] == Disposition.CREATED_NEW_KEY
        return key

    def _refuse_predefined(self) -> None:
        if self.is_predefined:
            raise ValueError(f"{self!r} is a predefined root, not a handle; open one of its subkeys instead")

    def _duplicate_here(self, access: int | None, inheritable: bool) -> Self:
        self._refuse_predefined()
        return super()._duplicate_here(access, inheritable)

    def _duplicate_into(self, process: Process, access: int | None, inheritable: bool) -> int:
        self._refuse_predefined()
        return super()._duplicate_into(process, access, inheritable)

    # -- values ------------------------------------------------------------------------

    def get_value(self, name: str | None = "") -> RegistryValue:
        """A value's data and type; ``""`` (or None) is the key's default value.

        A missing value raises ``FileNotFoundError`` (``winerror`` 2).
        """
        checked = _value_name(name)
        kind = ffi.new("DWORD *")
        size = ffi.new("DWORD *")
        status = self._call(advapi32.RegQueryValueExW, checked, ffi.NULL, kind, ffi.NULL, size)
        if status not in (0, WinError.MORE_DATA):
            raise_status("RegQueryValueExW", status, checked)

        def attempt(capacity: int) -> RegistryValue | Grow:
            data = ffi.new("BYTE[]", capacity)
            size[0] = capacity
            status = self._call(advapi32.RegQueryValueExW, checked, ffi.NULL, kind, data, size)
            if status == 0:
                return decode(bytes(ffi.buffer(data, size[0])), int(kind[0]))
            if status == WinError.MORE_DATA:  # the value grew since it was sized
                return Grow(int(size[0]))
            raise_status("RegQueryValueExW", status, checked)

        return grow_until_it_fits("RegQueryValueExW", attempt, max(int(size[0]), 1))

    def set_value(self, name: str | None, data: object, value_type: ValueType | None = None) -> None:
        """Set a value (``""`` or None: the default value).

        Without *value_type* it follows the data: ``str`` is ``REG_SZ``,
        ``list[str]`` ``REG_MULTI_SZ``, ``int`` ``REG_DWORD`` (``REG_QWORD`` above
        32 bits), ``bytes`` ``REG_BINARY``, None ``REG_NONE``. A
        :class:`RegistryValue` carries its own type.
        """
        checked = _value_name(name)
        if isinstance(data, RegistryValue):
            if value_type is not None:
                raise TypeError("a RegistryValue carries its type; do not pass value_type too")
            kind, raw = encode(data.data, data.type)
        else:
            kind, raw = encode(data, value_type)
        buffer = ffi.from_buffer("BYTE[]", raw)
        status = self._call(advapi32.RegSetValueExW, checked, 0, kind, buffer, len(raw))
        if status != 0:
            raise_status("RegSetValueExW", status, checked)

    def delete_value(self, name: str | None) -> None:
        """Delete a value (``FileNotFoundError`` if there is none of that name)."""
        checked = _value_name(name)
        status = self._call(advapi32.RegDeleteValueW, checked)
        if status != 0:
            raise_status("RegDeleteValueW", status, checked)

    # -- subkeys -----------------------------------------------------------------------

    def subkeys(self) -> Iterator[str]:
        """The names of this key's direct subkeys (needs ``KeyAccess.ENUMERATE_SUB_KEYS``)."""
        name = ffi.new("WCHAR[]", _MAX_KEY_NAME)
        length = ffi.new("DWORD *")
        index = 0
        while True:
            length[0] = _MAX_KEY_NAME
            status = self._call(
                advapi32.RegEnumKeyExW, index, name, length, ffi.NULL, ffi.NULL, ffi.NULL, ffi.NULL
            )
            if status == WinError.NO_MORE_ITEMS:
                return
            if status != 0:
                raise_status("RegEnumKeyExW", status)
            yield str(ffi.unpack(name, length[0]))
            index += 1

    def values(self) -> Iterator[tuple[str, RegistryValue]]:
        """Each value of this key as ``(name, RegistryValue)`` (needs ``KeyAccess.QUERY_VALUE``)."""
        name = ffi.new("WCHAR[]", _MAX_VALUE_NAME)
        name_length = ffi.new("DWORD *")
        kind = ffi.new("DWORD *")
        size = ffi.new("DWORD *")
        index = 0

        def value_at(capacity: int) -> tuple[str, RegistryValue] | Grow | None:
            """The value at *index* if its data fits in *capacity* bytes; None past the last one."""
            data = ffi.new("BYTE[]", capacity)
            name_length[0] = _MAX_VALUE_NAME
            size[0] = capacity
            status = self._call(advapi32.RegEnumValueW, index, name, name_length, ffi.NULL, kind, data, size)
            if status == WinError.MORE_DATA:  # only the data can be too long
                return Grow(int(size[0]))
            if status == WinError.NO_MORE_ITEMS:
                return None
            if status != 0:
                raise_status("RegEnumValueW", status)
            return str(ffi.unpack(name, name_length[0])), decode(
                bytes(ffi.buffer(data, size[0])), int(kind[0])
            )

        while True:
            entry = grow_until_it_fits("RegEnumValueW", value_at, 256)
            if entry is None:
                return
            yield entry
            index += 1

    def delete_subkey(self, subkey: str) -> None:
        """Delete an empty subkey (one with subkeys: ``PermissionError``; see :meth:`delete_tree`).

        ``""`` deletes this key itself, as ``RegDeleteKeyW(key, "")`` does (it
        needs ``KeyAccess.DELETE``); the wrapper stays open until closed, and
        every other use of it fails with ``ERROR_KEY_DELETED`` (1018).
        """
        path = _path(subkey)
        status = self._call(advapi32.RegDeleteKeyW, path)
        if status != 0:
            raise_status("RegDeleteKeyW", status, path)

    def delete_tree(self, subkey: str | None = None) -> None:
        """Delete *subkey* with everything under it; with None or ``""``, empty this key itself.

        Emptying deletes the key's subkeys and values and keeps the key, as
        ``RegDeleteTreeW`` does with a NULL or empty subkey. Needs
        ``KeyAccess.DELETE | ENUMERATE_SUB_KEYS | QUERY_VALUE`` (and
        ``SET_VALUE`` to delete this key's own values).
        """
        path = ffi.NULL if subkey is None else _path(subkey)
        status = self._call(advapi32.RegDeleteTreeW, path)
        if status != 0:
            raise_status("RegDeleteTreeW", status, subkey)
