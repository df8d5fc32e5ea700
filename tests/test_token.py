"""Access tokens against the real OS: OpenProcessToken, OpenThreadToken, DuplicateTokenEx,
CreateRestrictedToken, all closed by CloseHandle."""

from __future__ import annotations

import ctypes
import gc
import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest

import safehandles as sh
from safehandles._bindings._native import advapi32
from tests import probes

pytestmark = pytest.mark.windows

READ_DUPLICATE = sh.TokenAccess.QUERY | sh.TokenAccess.DUPLICATE


def _sid_string_from_windows(token: sh.AccessToken) -> str:
    """The user SID as ConvertSidToStringSidW formats it (through ctypes, independently)."""
    loader: Any = ctypes  # WinDLL exists only on Windows
    dll = loader.WinDLL("advapi32", use_last_error=True)
    kernel = loader.WinDLL("kernel32")
    size = ctypes.c_uint32()
    buffer = ctypes.create_string_buffer(1024)
    with token.borrow() as value:
        assert dll.GetTokenInformation(ctypes.c_void_p(value), 1, buffer, 1024, ctypes.byref(size))
    sid = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_void_p))[0]
    text = ctypes.c_wchar_p()
    assert dll.ConvertSidToStringSidW(ctypes.c_void_p(sid), ctypes.byref(text))
    try:
        return str(text.value)
    finally:
        kernel.LocalFree(text)


@pytest.fixture
def impersonating() -> Iterator[None]:
    assert advapi32.ImpersonateSelf(sh.ImpersonationLevel.IMPERSONATION)
    try:
        yield
    finally:
        assert advapi32.RevertToSelf()


def test_process_token_exists_until_closed() -> None:
    token = sh.AccessToken.open_process()
    value = token.dangerous_get_handle()
    assert probes.is_open(value)
    assert probes.type_name(value) == "Token"
    token.close()
    assert not probes.is_open(value)


def test_token_is_closed_after_an_exception_in_its_with_block() -> None:
    with pytest.raises(RuntimeError), sh.AccessToken.open_process() as token:
        value = token.dangerous_get_handle()
        raise RuntimeError
    assert not probes.is_open(value)


def test_dropped_token_is_closed_by_its_finalizer() -> None:
    token = sh.AccessToken.open_process()
    value = token.dangerous_get_handle()
    with pytest.warns(ResourceWarning):
        del token
        gc.collect()
    assert not probes.is_open(value)


def test_user_sid_is_the_string_windows_makes_of_it() -> None:
    with sh.AccessToken.open_process() as token:
        sid = token.user_sid
        assert sid.startswith("S-1-")
        assert sid == _sid_string_from_windows(token)


def test_elevation_integrity_and_type_of_the_process_token() -> None:
    with sh.AccessToken.open_process() as token:
        assert isinstance(token.elevated, bool)
        level = token.integrity_level
        assert isinstance(level, sh.IntegrityLevel)
        assert level >= sh.IntegrityLevel.MEDIUM  # tests never run sandboxed
        assert token.token_type is sh.TokenType.PRIMARY


def test_privileges_have_names_and_change_notify_is_enabled() -> None:
    with sh.AccessToken.open_process() as token:
        privileges = {p.name: p for p in token.privileges()}
    assert privileges["SeChangeNotifyPrivilege"].enabled  # every token holds it, enabled by default
    assert all(name.startswith("Se") and name.endswith("Privilege") for name in privileges)


def test_enable_and_disable_a_held_privilege_on_a_copy_of_the_token() -> None:
    with (
        sh.AccessToken.open_process(access=READ_DUPLICATE) as process_token,
        process_token.duplicate_token(
            access=sh.TokenAccess.QUERY | sh.TokenAccess.ADJUST_PRIVILEGES
        ) as token,
    ):
        assert token.user_sid == process_token.user_sid
        assert probes.type_name(token.dangerous_get_handle()) == "Token"
        assert "SeShutdownPrivilege" in {p.name for p in token.privileges()}
        token.enable_privilege("SeShutdownPrivilege")
        assert {p.name: p.enabled for p in token.privileges()}["SeShutdownPrivilege"]
        token.disable_privilege("SeShutdownPrivilege")
        assert not {p.name: p.enabled for p in token.privileges()}["SeShutdownPrivilege"]


def test_enabling_a_privilege_the_token_does_not_hold_is_an_error() -> None:
    access = READ_DUPLICATE | sh.TokenAccess.ADJUST_PRIVILEGES
    with (
        sh.AccessToken.open_process(access=access) as process_token,
        process_token.restricted(flags=0, delete_privileges=["SeShutdownPrivilege"]) as token,
    ):
        assert "SeShutdownPrivilege" not in {p.name for p in token.privileges()}
        with pytest.raises(OSError, match="AdjustTokenPrivileges") as caught:
            token.enable_privilege("SeShutdownPrivilege")
        assert probes.winerror(caught.value) == 1300  # ERROR_NOT_ALL_ASSIGNED, though the call "succeeded"


@pytest.mark.wine_differs("CreateRestrictedToken ignores DISABLE_MAX_PRIVILEGE and keeps every privilege")
def test_restricted_token_by_default_keeps_only_change_notify() -> None:
    with (
        sh.AccessToken.open_process(access=READ_DUPLICATE) as process_token,
        process_token.restricted() as token,
    ):
        assert {p.name for p in token.privileges()} == {"SeChangeNotifyPrivilege"}


def test_an_unknown_privilege_name_is_error_1313() -> None:
    access = sh.TokenAccess.QUERY | sh.TokenAccess.ADJUST_PRIVILEGES
    with (
        sh.AccessToken.open_process(access=access) as token,
        pytest.raises(OSError, match="LookupPrivilegeValueW") as caught,
    ):
        token.enable_privilege("SeNoSuchPrivilege")
    assert probes.winerror(caught.value) == 1313


def test_adjusting_without_adjust_access_is_denied() -> None:
    with (
        sh.AccessToken.open_process() as token,
        pytest.raises(PermissionError, match="AdjustTokenPrivileges"),
    ):
        token.enable_privilege("SeShutdownPrivilege")


def test_duplicate_token_as_impersonation_and_restricted_token_are_new_tokens() -> None:
    with sh.AccessToken.open_process(access=READ_DUPLICATE) as token:
        with token.duplicate_token(token_type=sh.TokenType.IMPERSONATION) as copy:
            assert copy.token_type is sh.TokenType.IMPERSONATION
            assert probes.type_name(copy.dangerous_get_handle()) == "Token"
        with token.restricted(flags=0, delete_privileges=["SeShutdownPrivilege"]) as restricted:
            value = restricted.dangerous_get_handle()
            assert probes.type_name(value) == "Token"
            assert "SeShutdownPrivilege" not in {p.name for p in restricted.privileges()}
        assert not probes.is_open(value)


def test_duplicate_token_and_restricted_need_duplicate_access() -> None:
    with sh.AccessToken.open_process() as token:
        with pytest.raises(PermissionError, match="DuplicateTokenEx"):
            token.duplicate_token()
        with pytest.raises(PermissionError, match="CreateRestrictedToken"):
            token.restricted()


def test_duplicate_handle_names_the_same_token() -> None:
    with sh.AccessToken.open_process() as token, token.duplicate() as copy:
        assert copy.dangerous_get_handle() != token.dangerous_get_handle()
        assert probes.type_name(copy.dangerous_get_handle()) == "Token"
        assert copy.user_sid == token.user_sid


def test_thread_without_impersonation_has_no_token() -> None:
    with pytest.raises(OSError, match="not impersonating") as caught:
        sh.AccessToken.open_thread()
    assert probes.winerror(caught.value) == 1008  # ERROR_NO_TOKEN


def test_impersonating_thread_has_an_impersonation_token(impersonating: None) -> None:
    with sh.AccessToken.open_thread() as token:
        value = token.dangerous_get_handle()
        assert probes.type_name(value) == "Token"
        assert token.token_type is sh.TokenType.IMPERSONATION
    assert not probes.is_open(value)


def test_open_thread_token_of_another_thread_through_its_handle(impersonating: None) -> None:
    tid = threading.get_native_id()
    done: list[sh.TokenType] = []

    def other() -> None:
        with (
            sh.Thread.open(tid, access=sh.ThreadAccess.QUERY_INFORMATION) as thread,
            sh.AccessToken.open_thread(thread, open_as_self=True) as token,
        ):
            done.append(token.token_type)

    worker = threading.Thread(target=other)
    worker.start()
    worker.join()
    assert done == [sh.TokenType.IMPERSONATION]


def test_open_process_token_through_a_process_handle() -> None:
    access = sh.ProcessAccess.QUERY_LIMITED_INFORMATION
    with (
        sh.Process.open(os.getpid(), access=access) as process,
        sh.AccessToken.open_process(process) as token,
    ):
        assert token.token_type is sh.TokenType.PRIMARY
        assert probes.type_name(token.dangerous_get_handle()) == "Token"


@pytest.mark.wine_differs("OpenProcessToken does not check the process handle's access rights")
def test_open_process_token_needs_query_access_to_the_process() -> None:
    with (
        sh.Process.open(os.getpid(), access=sh.ProcessAccess.SYNCHRONIZE) as process,
        pytest.raises(PermissionError, match="OpenProcessToken"),
    ):
        sh.AccessToken.open_process(process).close()


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: sh.AccessToken.open_process(access=0x8000), ValueError),
        (lambda: sh.AccessToken.open_process(access="query"), TypeError),  # type: ignore[arg-type]
        (lambda: sh.AccessToken.open_process(process=os.getpid()), TypeError),  # type: ignore[arg-type]
        (lambda: sh.AccessToken.open_thread(thread=1), TypeError),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments_raise_before_any_handle_is_made(call: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        call()


def test_bad_privilege_names_and_flags_raise_value_or_type_errors() -> None:
    access = READ_DUPLICATE | sh.TokenAccess.ADJUST_PRIVILEGES
    with sh.AccessToken.open_process(access=access) as token:
        with pytest.raises(ValueError, match="NUL"):
            token.enable_privilege("SeShutdown\0Privilege")
        with pytest.raises(TypeError):
            token.disable_privilege(None)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="RestrictedTokenFlag"):
            token.restricted(flags=0x100)


def test_from_raw_refuses_a_handle_of_another_kind() -> None:
    with sh.Event.create() as event, pytest.raises(TypeError, match="Token"):
        sh.AccessToken.from_raw(event.dangerous_get_handle(), owns_handle=False)


def test_closed_token_raises_object_disposed() -> None:
    token = sh.AccessToken.open_process()
    token.close()
    with pytest.raises(sh.ObjectDisposedError):
        token.user_sid  # noqa: B018
