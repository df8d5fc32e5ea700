"""Registry value data: Python values to and from the bytes each ``REG_*`` type stores."""

from __future__ import annotations

from dataclasses import dataclass

from ..._bindings._advapi32._registry import ValueType
from ..._bindings._constants import DWORD_MAX, QWORD_MAX
from ..._win32._arguments import integer, str_sequence, text

__all__ = ["RegistryValue", "decode", "encode"]

_STRINGS = (ValueType.SZ, ValueType.EXPAND_SZ)

#: What a registry value reads as, by type.
Data = str | list[str] | int | bytes


@dataclass(frozen=True)
class RegistryValue:
    """A registry value's data with its type.

    ``data`` is a ``str`` for ``SZ``/``EXPAND_SZ``, a ``list[str]`` for
    ``MULTI_SZ``, an ``int`` for ``DWORD``, ``DWORD_BIG_ENDIAN`` and ``QWORD``,
    and ``bytes`` for every other type (``BINARY``, ``NONE`` ...). ``type`` is a
    :class:`ValueType`, or the raw number of a type Windows does not define.
    """

    data: Data
    type: ValueType | int


def _text(raw: bytes) -> str:
    return raw[: len(raw) // 2 * 2].decode("utf-16-le", errors="surrogatepass")


def _string_data(raw: bytes) -> str:
    """A ``REG_SZ``/``REG_EXPAND_SZ`` value: all that is stored, less one terminating NUL.

    Windows stores whatever bytes the writer gave: usually one terminating NUL,
    sometimes none, and possibly NULs inside. Cutting at the first NUL would
    silently lose the rest, so only the terminator goes.
    """
    text = _text(raw)
    return text[:-1] if text.endswith("\0") else text


def decode(raw: bytes, kind: int) -> RegistryValue:
    """The Python form of the bytes a value of type *kind* holds."""
    try:
        value_type: ValueType | int = ValueType(kind)
    except ValueError:
        value_type = kind
    if value_type in _STRINGS:
        return RegistryValue(_string_data(raw), value_type)
    if value_type == ValueType.MULTI_SZ:
        text = _text(raw).rstrip("\0")
        return RegistryValue(text.split("\0") if text else [], value_type)
    if value_type == ValueType.DWORD:
        return RegistryValue(int.from_bytes(raw[:4].ljust(4, b"\0"), "little"), value_type)
    if value_type == ValueType.DWORD_BIG_ENDIAN:
        return RegistryValue(int.from_bytes(raw[:4].rjust(4, b"\0"), "big"), value_type)
    if value_type == ValueType.QWORD:
        return RegistryValue(int.from_bytes(raw[:8].ljust(8, b"\0"), "little"), value_type)
    return RegistryValue(raw, value_type)


def _string(value: object, value_type: ValueType) -> str:
    return text(value, f"a {value_type.name} value")


def _number(value: object, value_type: ValueType, maximum: int) -> int:
    return integer(value, f"a {value_type.name} value", minimum=0, maximum=maximum)


def _infer(data: object) -> ValueType:
    if isinstance(data, str):
        return ValueType.SZ
    if isinstance(data, list):
        return ValueType.MULTI_SZ
    if isinstance(data, int) and not isinstance(data, bool):
        return ValueType.QWORD if data > DWORD_MAX else ValueType.DWORD
    if isinstance(data, (bytes, bytearray, memoryview)):
        return ValueType.BINARY
    if data is None:
        return ValueType.NONE
    raise TypeError(f"cannot store a {type(data).__name__} in the registry; pass value_type")


def _value_type(data: object, value_type: ValueType | int | None) -> ValueType | int:
    if value_type is None:
        return _infer(data)
    integer(value_type, "value_type", minimum=0, maximum=DWORD_MAX, expected="a ValueType")
    return ValueType(value_type) if value_type in tuple(ValueType) else value_type


def _multi(data: object) -> bytes:
    items = str_sequence(data, "a MULTI_SZ value")
    if "" in items:
        raise ValueError("a MULTI_SZ value cannot hold an empty string (it would end the list)")
    return "".join(item + "\0" for item in items).encode("utf-16-le", "surrogatepass") + b"\0\0"


def encode(data: object, value_type: ValueType | int | None) -> tuple[int, bytes]:
    """The ``REG_*`` type and bytes that store *data* (type inferred when None)."""
    kind = _value_type(data, value_type)
    if kind in _STRINGS:
        text = _string(data, ValueType(kind))
        return kind, (text + "\0").encode("utf-16-le", errors="surrogatepass")
    if kind == ValueType.MULTI_SZ:
        return kind, _multi(data)
    if kind == ValueType.DWORD:
        return kind, _number(data, ValueType.DWORD, DWORD_MAX).to_bytes(4, "little")
    if kind == ValueType.DWORD_BIG_ENDIAN:
        return kind, _number(data, ValueType.DWORD_BIG_ENDIAN, DWORD_MAX).to_bytes(4, "big")
    if kind == ValueType.QWORD:
        return kind, _number(data, ValueType.QWORD, QWORD_MAX).to_bytes(8, "little")
    if data is None:
        return kind, b""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"a type {kind} value must be bytes, not {type(data).__name__}")
    return kind, bytes(data)
