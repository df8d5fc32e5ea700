"""Registry keys against the real OS: RegCreateKeyExW / RegOpenKeyExW, closed by RegCloseKey.

Every test works under HKEY_CURRENT_USER\\Software\\safehandles-test-<uuid>, deleted afterwards.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

import safehandles as sh
from safehandles._bindings._native import advapi32, ffi
from tests import probes

pytestmark = pytest.mark.windows

HKCU = sh.RegistryKey.HKEY_CURRENT_USER


@pytest.fixture
def root() -> Iterator[sh.RegistryKey]:
    path = f"Software\\safehandles-test-{uuid.uuid4()}"
    key = sh.RegistryKey.HKEY_CURRENT_USER.create(path, access=sh.KeyAccess.ALL_ACCESS)
    try:
        yield key
    finally:
        key.close()
        sh.RegistryKey.HKEY_CURRENT_USER.delete_tree(path)
        with pytest.raises(FileNotFoundError):
            sh.RegistryKey.HKEY_CURRENT_USER.open(path).close()


def test_created_key_exists_until_closed(root: sh.RegistryKey) -> None:
    key = root.create("child")
    value = key.dangerous_get_handle()
    assert key.created_new
    assert probes.is_open(value)
    assert probes.type_name(value) == "Key"
    key.close()
    assert not probes.is_open(value)


def test_second_create_opens_the_existing_key(root: sh.RegistryKey) -> None:
    with root.create("child") as first, root.create("child") as second:
        assert first.created_new
        assert not second.created_new
        first.set_value("shared", 1)
        assert second.get_value("shared").data == 1


def test_key_is_closed_after_an_exception_in_its_with_block(root: sh.RegistryKey) -> None:
    with pytest.raises(RuntimeError), root.open("") as key:
        value = key.dangerous_get_handle()
        raise RuntimeError
    assert not probes.is_open(value)


def test_dropped_key_is_closed_by_its_finalizer(root: sh.RegistryKey) -> None:
    key = root.open("")
    value = key.dangerous_get_handle()
    with pytest.warns(ResourceWarning):
        del key
        gc.collect()
    assert not probes.is_open(value)


def test_failed_close_reports_regclosekey_status(root: sh.RegistryKey) -> None:
    key = root.open("")
    value = key.dangerous_get_handle()
    sh.RegistryKey.from_raw(value, owns_handle=True).close()  # another owner closes it first
    assert not probes.is_open(value)
    with pytest.raises(OSError, match="RegCloseKey") as caught:
        key.close()
    assert probes.winerror(caught.value) == 6
    assert key.is_closed


def test_open_of_a_missing_key_raises_file_not_found(root: sh.RegistryKey) -> None:
    with pytest.raises(FileNotFoundError, match="RegOpenKeyExW") as caught:
        root.open("no-such-key")
    assert probes.winerror(caught.value) == 2
    assert caught.value.filename == "no-such-key"


@pytest.mark.wine_differs("RegCreateKeyExW does not check the parent's KEY_CREATE_SUB_KEY right")
def test_create_under_a_key_without_create_access_is_denied(root: sh.RegistryKey) -> None:
    with root.open("") as read_only, pytest.raises(PermissionError, match="RegCreateKeyExW") as caught:
        read_only.create("child").close()
    assert probes.winerror(caught.value) == 5


def test_create_of_a_lasting_key_under_a_volatile_one_fails(root: sh.RegistryKey) -> None:
    with root.create("volatile", volatile=True) as volatile:
        with pytest.raises(OSError, match="RegCreateKeyExW") as caught:
            volatile.create("lasting")
        assert probes.winerror(caught.value) == 1021  # ERROR_CHILD_MUST_BE_VOLATILE
        with volatile.create("also-volatile", volatile=True) as child:
            assert child.created_new


def test_open_defaults_to_read_access(root: sh.RegistryKey) -> None:
    root.set_value("x", 1)
    with root.open("") as key:
        assert key.get_value("x").data == 1
        with pytest.raises(PermissionError, match="RegSetValueExW"):
            key.set_value("x", 2)


@pytest.mark.parametrize(
    ("data", "value_type"),
    [
        ("text", sh.ValueType.SZ),
        ("%PATH%;x", sh.ValueType.EXPAND_SZ),
        (["a", "bc", "déf"], sh.ValueType.MULTI_SZ),
        ([], sh.ValueType.MULTI_SZ),
        (0xFFFF_FFFF, sh.ValueType.DWORD),
        (0x1_0000_0000, sh.ValueType.QWORD),
        (b"\x00\x01\xff", sh.ValueType.BINARY),
        (b"", sh.ValueType.NONE),
    ],
)
def test_values_round_trip_with_their_types(
    root: sh.RegistryKey, data: object, value_type: sh.ValueType
) -> None:
    root.set_value("v", sh.RegistryValue(data, value_type))  # type: ignore[arg-type]
    assert root.get_value("v") == sh.RegistryValue(data, value_type)  # type: ignore[arg-type]


def test_value_types_are_inferred_from_python_types(root: sh.RegistryKey) -> None:
    root.set_value("s", "x")
    root.set_value("m", ["a", "b"])
    root.set_value("d", 7)
    root.set_value("q", 1 << 40)
    root.set_value("b", b"\x01")
    root.set_value("n", None)
    root.set_value(None, "default")
    kinds = {name: value.type for name, value in root.values()}
    assert kinds == {
        "s": sh.ValueType.SZ,
        "m": sh.ValueType.MULTI_SZ,
        "d": sh.ValueType.DWORD,
        "q": sh.ValueType.QWORD,
        "b": sh.ValueType.BINARY,
        "n": sh.ValueType.NONE,
        "": sh.ValueType.SZ,
    }
    assert root.get_value("").data == "default"


def test_long_values_are_read_whole(root: sh.RegistryKey) -> None:
    big = bytes(range(256)) * 64
    root.set_value("big", big)
    assert root.get_value("big").data == big
    assert dict(root.values())["big"].data == big


def test_delete_value_and_missing_values(root: sh.RegistryKey) -> None:
    root.set_value("gone", 1)
    root.delete_value("gone")
    with pytest.raises(FileNotFoundError, match="RegQueryValueExW"):
        root.get_value("gone")
    with pytest.raises(FileNotFoundError, match="RegDeleteValueW"):
        root.delete_value("gone")


def test_subkeys_are_listed_and_delete_tree_removes_them(root: sh.RegistryKey) -> None:
    for name in ("a", "b\\deep", "c"):
        root.create(name).close()
    assert sorted(root.subkeys()) == ["a", "b", "c"]
    with pytest.raises(PermissionError, match="RegDeleteKeyW"):
        root.delete_subkey("b")  # it has a subkey of its own
    root.delete_subkey("a")
    root.delete_tree("b")
    assert list(root.subkeys()) == ["c"]
    root.set_value("x", 1)
    root.delete_tree()  # this key's contents
    assert list(root.subkeys()) == []
    assert list(root.values()) == []


def test_delete_subkey_of_an_empty_name_deletes_the_key_itself(root: sh.RegistryKey) -> None:
    # RegDeleteKeyW(key, "") deletes the key the handle names, if it has no subkeys.
    with root.create("parent\\child", access=sh.KeyAccess.ALL_ACCESS) as child:
        child.set_value("v", 1)
        with root.open("parent", access=sh.KeyAccess.ALL_ACCESS) as parent:
            with pytest.raises(PermissionError, match="RegDeleteKeyW"):
                parent.delete_subkey("")  # it still has a subkey
            assert list(parent.subkeys()) == ["child"]
        child.delete_subkey("")
        with pytest.raises(FileNotFoundError):
            root.open("parent\\child").close()
        with pytest.raises(OSError, match="RegQueryValueExW") as caught:
            child.get_value("v")  # the handle is still open, on a deleted key
        assert probes.winerror(caught.value) == 1018  # ERROR_KEY_DELETED
        assert probes.is_open(child.dangerous_get_handle())
    assert list(root.subkeys()) == ["parent"]


def test_delete_tree_of_an_empty_name_empties_the_key_and_keeps_it(root: sh.RegistryKey) -> None:
    # RegDeleteTreeW(key, "") deletes the key's subkeys and values, not the key itself.
    with root.create("child", access=sh.KeyAccess.ALL_ACCESS) as child:
        child.create("grand\\deep").close()
        child.set_value("v", "x")
        child.set_value(None, "default")
        child.delete_tree("")
        assert list(child.subkeys()) == []
        assert list(child.values()) == []
    assert list(root.subkeys()) == ["child"]


def _store_raw(key: sh.RegistryKey, name: str, kind: sh.ValueType, raw: bytes) -> None:
    """Store bytes as the OS takes them, bypassing the wrapper's encoding."""
    with key.borrow() as value:
        status = advapi32.RegSetValueExW(value, name, 0, kind, ffi.from_buffer("BYTE[]", raw), len(raw))
    assert status == 0


@pytest.mark.parametrize("kind", [sh.ValueType.SZ, sh.ValueType.EXPAND_SZ])
@pytest.mark.parametrize(
    ("stored", "read"),
    [
        ("one\0two\0", "one\0two"),  # an embedded NUL keeps what follows it
        ("one\0two", "one\0two"),  # stored without a terminator
        ("one\0\0", "one\0"),  # only the one terminating NUL goes
        ("\0", ""),
        ("", ""),
    ],
    ids=["embedded-nul", "no-terminator", "two-nuls", "only-a-terminator", "empty"],
)
def test_strings_are_read_whole_less_one_terminating_nul(
    root: sh.RegistryKey, kind: sh.ValueType, stored: str, read: str
) -> None:
    _store_raw(root, "s", kind, stored.encode("utf-16-le"))
    assert root.get_value("s") == sh.RegistryValue(read, kind)
    assert dict(root.values())["s"] == sh.RegistryValue(read, kind)


def test_predefined_roots_are_borrowed_and_fresh_at_each_access() -> None:
    first = sh.RegistryKey.HKEY_CURRENT_USER
    assert not first.owns_handle
    assert first.is_predefined
    first.close()
    with sh.RegistryKey.HKEY_CURRENT_USER.open("Software") as software:
        assert probes.type_name(software.dangerous_get_handle()) == "Key"
    for root in (
        sh.RegistryKey.HKEY_LOCAL_MACHINE,
        sh.RegistryKey.HKEY_CLASSES_ROOT,
        sh.RegistryKey.HKEY_USERS,
        sh.RegistryKey.HKEY_CURRENT_CONFIG,
    ):
        same = root.open("")  # RegOpenKeyExW hands the predefined value itself back
        assert same.is_predefined
        assert not same.owns_handle
        for name in list(root.subkeys())[:1]:
            with root.open(name) as opened:
                assert probes.type_name(opened.dangerous_get_handle()) == "Key"


def test_duplicate_is_a_second_handle_to_the_same_key(root: sh.RegistryKey) -> None:
    with root.create("child") as key:
        copy = key.duplicate()
    with copy:
        assert probes.type_name(copy.dangerous_get_handle()) == "Key"
        copy.set_value("x", 5)
        with root.open("child") as again:
            assert again.get_value("x").data == 5
    with pytest.raises(ValueError, match="predefined"):
        HKCU.duplicate()


def test_from_raw_refuses_other_kinds_and_accepts_keys(root: sh.RegistryKey) -> None:
    with sh.Event.create() as event, pytest.raises(TypeError, match="Key"):
        sh.RegistryKey.from_raw(event.dangerous_get_handle(), owns_handle=False)
    with root.open("") as key:
        borrowed = sh.RegistryKey.from_raw(key.dangerous_get_handle(), owns_handle=False)
        borrowed.close()
        assert probes.is_open(key.dangerous_get_handle())


def test_closed_parent_raises_object_disposed(root: sh.RegistryKey) -> None:
    key = root.open("")
    key.close()
    for operation in (lambda: key.open(""), lambda: key.get_value("x"), lambda: list(key.subkeys())):
        with pytest.raises(sh.ObjectDisposedError):
            operation()


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda key: key.open("bad\0name"), ValueError),
        (lambda key: key.create(b"bytes"), TypeError),
        (lambda key: key.open("", access=0x400), ValueError),
        (lambda key: key.set_value("x", 1.5), TypeError),
        (lambda key: key.set_value("x", -1), ValueError),
        (lambda key: key.set_value("x", ["a", ""]), ValueError),
        (lambda key: key.set_value("x", "a\0b"), ValueError),
        (lambda key: key.set_value("x", 1 << 64, sh.ValueType.QWORD), ValueError),
        (lambda key: key.set_value("x", "text", sh.ValueType.DWORD), TypeError),
        (lambda key: key.delete_tree("bad\0name"), ValueError),
        (lambda key: key.delete_subkey(None), TypeError),
    ],
)
def test_bad_arguments_raise_before_any_native_call(
    root: sh.RegistryKey, call: Any, error: type[Exception]
) -> None:
    with pytest.raises(error):
        call(root)
    assert list(root.subkeys()) == []
    assert list(root.values()) == []


def test_a_predefined_root_cannot_be_adopted_as_owned() -> None:
    value = HKCU.dangerous_get_handle()
    with pytest.raises(ValueError, match="predefined root"):
        sh.RegistryKey.from_raw(value, owns_handle=True)
    borrowed = sh.RegistryKey.from_raw(value, owns_handle=False)
    borrowed.close()
    with HKCU.open("Software") as software:  # the root still works: nothing closed it
        assert software.is_predefined is False
