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


# -- accounts, groups, membership, elevation ------------------------------------------


QUERY_DUPLICATE = READ_DUPLICATE


def _account_from_windows(sid: str) -> tuple[str, str]:
    """Name and domain of *sid* as LookupAccountSidW reports them through ctypes, independently."""
    loader: Any = ctypes  # WinDLL exists only on Windows
    dll = loader.WinDLL("advapi32", use_last_error=True)
    native = ctypes.c_void_p()
    assert dll.ConvertStringSidToSidW(sid, ctypes.byref(native))
    try:
        name, domain = ctypes.create_unicode_buffer(256), ctypes.create_unicode_buffer(256)
        sizes = ctypes.c_uint32(256), ctypes.c_uint32(256)
        use = ctypes.c_int()
        assert dll.LookupAccountSidW(
            None, native, name, ctypes.byref(sizes[0]), domain, ctypes.byref(sizes[1]), ctypes.byref(use)
        )
        return name.value, domain.value
    finally:
        loader.WinDLL("kernel32").LocalFree(native)


def test_user_account_has_the_name_and_domain_windows_gives_its_sid() -> None:
    with sh.AccessToken.open_process() as token:
        user = token.user
    assert user.sid == _sid_string_from_windows_of_process()
    assert (user.name, user.domain) == _account_from_windows(user.sid)
    assert user.use is sh.SidNameUse.USER
    assert str(user) == f"{user.domain}\\{user.name}"


def _sid_string_from_windows_of_process() -> str:
    with sh.AccessToken.open_process() as token:
        return _sid_string_from_windows(token)


def test_groups_have_accounts_and_attributes() -> None:
    with sh.AccessToken.open_process() as token:
        groups = {group.sid: group for group in token.groups()}
    everyone = groups[sh.WellKnownSid.EVERYONE]
    assert everyone.account.name == _account_from_windows("S-1-1-0")[0]
    assert everyone.enabled
    assert everyone.attributes & sh.GroupAttribute.MANDATORY
    assert isinstance(everyone.attributes, sh.GroupAttribute)
    for group in groups.values():
        assert group.sid.startswith("S-1-")
        if group.account.name is not None:
            assert (group.account.name, group.account.domain) == _account_from_windows(group.sid)
    logon = [group for group in groups.values() if group.attributes & sh.GroupAttribute.LOGON_ID]
    assert logon  # every interactive token has its logon session's SID, which names no account
    assert all(str(group.account) == group.sid for group in logon if group.account.name is None)


def test_is_member_agrees_with_the_groups_the_token_enables() -> None:
    with sh.AccessToken.open_process(access=QUERY_DUPLICATE) as token:
        enabled = {group.sid for group in token.groups() if group.enabled and not group.deny_only}
        assert token.is_member(sh.WellKnownSid.EVERYONE)
        assert token.is_member(sh.WellKnownSid.ADMINISTRATORS) == (sh.WellKnownSid.ADMINISTRATORS in enabled)
        assert token.is_member("S-1-5-32-545") == ("S-1-5-32-545" in enabled)
        assert not token.is_member(sh.WellKnownSid.LOCAL_SYSTEM)  # tests do not run as SYSTEM
        assert not token.is_member("S-1-5-21-1-2-3-4242")  # a SID nobody has


def test_is_member_of_an_impersonation_token_needs_no_copy() -> None:
    with (
        sh.AccessToken.open_process(access=QUERY_DUPLICATE) as process_token,
        process_token.impersonation_token() as token,
    ):
        assert token.is_member(sh.WellKnownSid.EVERYONE)


def test_is_member_of_a_primary_token_needs_duplicate_access() -> None:
    with (
        sh.AccessToken.open_process() as token,
        pytest.raises(PermissionError, match=r"DuplicateToken.*TokenAccess\.DUPLICATE"),
    ):
        token.is_member(sh.WellKnownSid.EVERYONE)


def _open_tokens() -> set[int]:
    return {value for value in probes.open_handles() if probes.type_name(value) == "Token"}


def test_is_member_of_a_primary_token_closes_its_copy() -> None:
    with sh.AccessToken.open_process(access=QUERY_DUPLICATE) as token:
        token.is_member(sh.WellKnownSid.EVERYONE)  # warm up
        before = _open_tokens()
        assert token.dangerous_get_handle() in before
        for _ in range(10):
            token.is_member(sh.WellKnownSid.EVERYONE)
        assert _open_tokens() == before


@pytest.mark.parametrize(
    ("sid", "error"),
    [
        ("", ValueError),
        ("S-1", ValueError),
        ("S-2-5-32-544", ValueError),
        ("S-1-5-32-x", ValueError),
        ("S-1-5- 32", ValueError),
        ("S-1-5-32-4294967296", ValueError),
        ("S-1-5" + "-1" * 16, ValueError),
        ("S-1-5-32\0-544", ValueError),
        (544, TypeError),
        (None, TypeError),
    ],
)
def test_malformed_sids_are_refused_before_any_call(sid: Any, error: type[Exception]) -> None:
    with sh.AccessToken.open_process(access=QUERY_DUPLICATE) as token, pytest.raises(error):
        token.is_member(sid)
    with pytest.raises(error):
        sh.account_of(sid)


def test_account_of_well_known_sids_and_of_an_unmapped_one() -> None:
    system = sh.account_of(sh.WellKnownSid.LOCAL_SYSTEM)
    assert (system.name, system.domain) == _account_from_windows("S-1-5-18")
    assert system.sid == "S-1-5-18"
    administrators = sh.account_of("S-1-5-32-544")
    assert administrators.use is sh.SidNameUse.ALIAS
    nobody = sh.account_of("S-1-5-21-1-2-3-4242")
    assert (nobody.name, nobody.domain, nobody.use) == (None, None, None)
    assert str(nobody) == "S-1-5-21-1-2-3-4242"
    # An authority that fits in 32 bits is written in decimal, a wider one in hex (MS-DTYP 2.4.2.1).
    assert sh.account_of("S-1-0xFF-1").sid == "S-1-255-1"
    assert sh.account_of("S-1-0x010000000000-1").sid == "S-1-0x010000000000-1"


def test_impersonation_token_is_a_new_token_with_impersonate_and_query_access() -> None:
    with sh.AccessToken.open_process(access=QUERY_DUPLICATE) as token:
        copy = token.impersonation_token(sh.ImpersonationLevel.IDENTIFICATION)
        value = copy.dangerous_get_handle()
        with copy:
            assert probes.type_name(value) == "Token"
            assert copy.token_type is sh.TokenType.IMPERSONATION
            assert copy.granted_access == sh.TokenAccess.IMPERSONATE | sh.TokenAccess.QUERY
            assert copy.user_sid == token.user_sid
        assert not probes.is_open(value)


def test_impersonation_token_needs_duplicate_access_and_a_level() -> None:
    with sh.AccessToken.open_process() as token:
        with pytest.raises(PermissionError, match="DuplicateToken"):
            token.impersonation_token()
        with pytest.raises(ValueError, match="impersonation_level"):
            token.impersonation_token(7)  # type: ignore[arg-type]


def test_elevation_type_matches_elevated() -> None:
    with sh.AccessToken.open_process() as token:
        kind = token.elevation_type
        assert isinstance(kind, sh.ElevationType)
        if kind is sh.ElevationType.FULL:
            assert token.elevated
        if kind is sh.ElevationType.LIMITED:
            assert not token.elevated


def test_linked_token_is_the_other_half_of_a_split_token() -> None:
    with sh.AccessToken.open_process() as token:
        kind = token.elevation_type
        if kind is sh.ElevationType.DEFAULT:
            with pytest.raises(OSError, match="no linked token") as caught:
                token.linked_token()
            assert probes.winerror(caught.value) == 1312
            return
        linked = token.linked_token()
        value = linked.dangerous_get_handle()
        with linked:
            assert probes.type_name(value) == "Token"
            assert linked.user_sid == token.user_sid
            other = sh.ElevationType.LIMITED if kind is sh.ElevationType.FULL else sh.ElevationType.FULL
            assert linked.elevation_type is other
            assert linked.elevated == (other is sh.ElevationType.FULL)
        assert not probes.is_open(value)


@pytest.mark.wine_differs(
    "the limited half of Wine's split token keeps Administrators enabled and High integrity"
)
def test_the_limited_half_of_a_split_token_denies_administrators() -> None:
    with sh.AccessToken.open_process() as token:
        kind = token.elevation_type
        if kind is sh.ElevationType.DEFAULT:
            pytest.skip("UAC is off: the token is not split")
        limited = token.linked_token() if kind is sh.ElevationType.FULL else token.duplicate()
        with limited:
            administrators = {group.sid: group for group in limited.groups()}[sh.WellKnownSid.ADMINISTRATORS]
            assert administrators.deny_only
            assert not limited.is_member(sh.WellKnownSid.ADMINISTRATORS)
            assert limited.integrity_level is sh.IntegrityLevel.MEDIUM


def test_integrity_level_prints_by_name() -> None:
    with sh.AccessToken.open_process() as token:
        level = token.integrity_level
    assert isinstance(level, sh.IntegrityLevel)
    assert str(level) == level.name
    assert f"{level}" == level.name
    assert str(sh.IntegrityLevel.MEDIUM) == "MEDIUM"
    assert int(sh.IntegrityLevel.MEDIUM) == 0x2000
    assert str(sh.WellKnownSid.ADMINISTRATORS) == "S-1-5-32-544"


def test_elevation_type_prints_by_name() -> None:
    assert f"{sh.ElevationType.LIMITED}" == "LIMITED"
    assert int(sh.ElevationType.LIMITED) == 3
