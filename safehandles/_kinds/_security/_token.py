"""Access tokens: OpenProcessToken, OpenThreadToken, DuplicateToken(Ex), CreateRestrictedToken.

A token is a kernel object (type "Token") closed by ``CloseHandle``. Its
creators are BOOLs that write the handle to an out-parameter, so FALSE is the
failure value and the handle is adopted only when the call succeeded.

Two Win32 behaviours are easy to get wrong and are turned into plain errors here:

* A thread has a token of its own only while it impersonates. Otherwise
  ``OpenThreadToken`` fails with ``ERROR_NO_TOKEN`` (1008): the thread runs
  with its process's token, which :meth:`AccessToken.open_process` opens.
* ``AdjustTokenPrivileges`` returns TRUE even when it changed nothing because
  the token does not hold the privilege; only ``GetLastError() ==
  ERROR_NOT_ALL_ASSIGNED`` (1300) says so. That is raised as an ``OSError``.

* ``CheckTokenMembership`` takes only an impersonation token: a process's
  primary token fails with ``ERROR_NO_IMPERSONATION_TOKEN`` (1309).
  :meth:`AccessToken.is_member` then makes the identification-level copy
  Microsoft's page recommends (``DuplicateToken``) and asks that.

SIDs are formatted as their string form ("S-1-5-21-...") from the SID's
parts (revision, identifier authority, sub-authorities, MS-DTYP 2.4.2.1), and
parsed back the same way, which avoids ``ConvertSidToStringSidW`` /
``ConvertStringSidToSidW`` and the ``LocalFree`` their results would need.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from typing_extensions import Self

from ..._bindings._advapi32._tokens import (
    ElevationType,
    GroupAttribute,
    ImpersonationLevel,
    IntegrityLevel,
    PrivilegeAttribute,
    RestrictedTokenFlag,
    SidNameUse,
    TokenAccess,
    TokenInformationClass,
    TokenType,
)
from ..._bindings._constants import (
    CURRENT_PROCESS_TOKEN,
    CURRENT_THREAD_EFFECTIVE_TOKEN,
    CURRENT_THREAD_TOKEN,
    WinError,
)
from ..._bindings._errors import check_bool, last_error, raise_winerror
from ..._bindings._native import advapi32, ffi, kernel32
from ..._bindings._types import CData
from ..._win32._arguments import flag_bits, member, str_sequence, text
from ..._win32._buffers import Grow, grow_until_it_fits
from ..._win32._catalogue import Entry
from ..._win32._handles import KernelHandle, security_attributes
from .._processes._process import Process
from .._processes._thread import Thread

__all__ = ["AccessToken", "Account", "Privilege", "TokenGroup", "account_of"]

#: MS-DTYP 2.4.2: a SID has revision 1 and at most 15 sub-authorities.
_SID_REVISION = 1
_SID_MAX_SUB_AUTHORITIES = 15


@dataclass(frozen=True)
class Privilege:
    """One privilege a token holds, and whether it is enabled."""

    name: str
    attributes: PrivilegeAttribute

    @property
    def enabled(self) -> bool:
        """Whether the privilege is enabled (held privileges start disabled unless enabled by default)."""
        return bool(self.attributes & PrivilegeAttribute.ENABLED)


@dataclass(frozen=True)
class Account:
    """A SID and the account it names, as ``LookupAccountSidW`` reports it.

    *name*, *domain* and *use* are None when no account is mapped to the SID
    (a logon session's SID, a deleted account's on another machine);
    ``str(account)`` is then the SID itself.
    """

    sid: str
    name: str | None
    domain: str | None
    use: SidNameUse | None

    def __str__(self) -> str:
        if self.name is None:
            return self.sid
        return f"{self.domain}\\{self.name}" if self.domain else self.name


@dataclass(frozen=True)
class TokenGroup:
    """One group of a token (``TokenGroups``): its account and its attributes."""

    account: Account
    attributes: GroupAttribute

    @property
    def sid(self) -> str:
        """The group's SID as a string."""
        return self.account.sid

    @property
    def enabled(self) -> bool:
        """Whether access checks count the group (``SE_GROUP_ENABLED``)."""
        return bool(self.attributes & GroupAttribute.ENABLED)

    @property
    def deny_only(self) -> bool:
        """Whether the group only denies access (``SE_GROUP_USE_FOR_DENY_ONLY``)."""
        return bool(self.attributes & GroupAttribute.USE_FOR_DENY_ONLY)


def _sid_string(sid: CData) -> str:
    """The string form of a SID ("S-1-5-32-544"), built from its parts."""
    if not advapi32.IsValidSid(sid):
        raise ValueError("the token returned an invalid SID")
    revision = ffi.cast("BYTE *", sid)[0]  # SID.Revision, the structure's first byte
    identifier_authority: Any = advapi32.GetSidIdentifierAuthority(sid)
    authority = bytes(identifier_authority.Value)
    count = advapi32.GetSidSubAuthorityCount(sid)[0]
    sub_authorities = [int(advapi32.GetSidSubAuthority(sid, i)[0]) for i in range(count)]
    if authority[0] or authority[1]:  # 48 bits: written in hexadecimal
        identifier = "0x" + authority.hex().upper()
    else:
        identifier = str(int.from_bytes(authority, "big"))
    return "-".join(["S", str(revision), identifier, *map(str, sub_authorities)])


def _sid_from_string(value: object, what: str = "sid") -> CData:
    """A SID in memory, built from its string form ("S-1-5-32-544", MS-DTYP 2.4.2.1)."""
    checked = str(text(value, f"{what} (a SID string such as 'S-1-5-32-544')", empty=False))
    parts = checked.split("-")
    bad = ValueError(f"{what} {checked!r} is not a SID string such as 'S-1-5-32-544'")
    if len(parts) < 3 or parts[0].upper() != "S" or parts[1] != str(_SID_REVISION):
        raise bad
    try:
        authority = int(parts[2], 16) if parts[2].lower().startswith("0x") else int(parts[2], 10)
        sub_authorities = [int(part, 10) for part in parts[3:]]
    except ValueError:
        raise bad from None
    if not 0 <= authority < 1 << 48 or len(sub_authorities) > _SID_MAX_SUB_AUTHORITIES:
        raise bad
    if any(not 0 <= sub < 1 << 32 for sub in sub_authorities) or not all(p.isalnum() for p in parts[2:]):
        raise bad
    # The binary layout (MS-DTYP 2.4.2.2): revision, count, 48-bit authority big-endian,
    # then each sub-authority as a little-endian DWORD.
    binary = bytes([_SID_REVISION, len(sub_authorities)]) + authority.to_bytes(6, "big")
    binary += b"".join(sub.to_bytes(4, "little") for sub in sub_authorities)
    sid = ffi.new("BYTE[]", binary)
    if not advapi32.IsValidSid(sid):
        raise bad
    return sid


def _lookup_account(sid: CData) -> Account:
    """The account *sid* names (``LookupAccountSidW``), or an unmapped :class:`Account`."""
    as_string = _sid_string(sid)
    name_length = ffi.new("DWORD *")
    domain_length = ffi.new("DWORD *")
    use = ffi.new("int *")

    def attempt(size: int) -> Account | Grow:
        name = ffi.new("WCHAR[]", size)
        domain = ffi.new("WCHAR[]", size)
        name_length[0] = domain_length[0] = size
        if advapi32.LookupAccountSidW(ffi.NULL, sid, name, name_length, domain, domain_length, use):
            try:
                kind: SidNameUse | None = SidNameUse(use[0])
            except ValueError:
                kind = None
            return Account(as_string, str(ffi.string(name)), str(ffi.string(domain)), kind)
        error = last_error()
        if error == WinError.NONE_MAPPED:  # a SID with no account, such as a logon session's
            return Account(as_string, None, None, None)
        if error == WinError.INSUFFICIENT_BUFFER:  # both lengths now say what they need, NUL included
            return Grow(max(int(name_length[0]), int(domain_length[0])))
        raise_winerror("LookupAccountSidW", error, as_string)

    return grow_until_it_fits("LookupAccountSidW", attempt, 64)


def account_of(sid: str) -> Account:
    """The account a SID string names, on this machine (``LookupAccountSidW``).

    >>> account_of(WellKnownSid.ADMINISTRATORS)   # Account(sid='S-1-5-32-544', name='Administrators', ...)

    A malformed string raises ``ValueError``; a well-formed SID with no account
    gives an :class:`Account` whose *name* is None.
    """
    return _lookup_account(_sid_from_string(sid))


def _privilege_name(name: object) -> str:
    return text(name, "name (a privilege name such as 'SeShutdownPrivilege')", empty=False)


class AccessToken(KernelHandle):
    """An access token: who a process or thread runs as, and with which privileges.

    >>> with AccessToken.open_process(access=TokenAccess.QUERY | TokenAccess.DUPLICATE) as token:
    ...     print(token.user, token.elevated, token.integrity_level)   # DOMAIN\\user False HIGH
    ...     print(token.is_member(WellKnownSid.ADMINISTRATORS))
    """

    catalogue: ClassVar[Entry] = Entry(
        row="Access token",
        creators=(
            ("OpenProcessToken", "FALSE"),
            ("OpenThreadToken", "FALSE"),
            ("DuplicateToken", "FALSE"),
            ("DuplicateTokenEx", "FALSE"),
            ("CreateRestrictedToken", "FALSE"),
            ("GetTokenInformation(TokenLinkedToken)", "FALSE"),
        ),
        destroyer="`CloseHandle`",
        ownership="owned",
    )
    _object_type = "Token"
    _rights = TokenAccess
    _pseudo_handles: ClassVar[frozenset[int]] = frozenset(
        {CURRENT_PROCESS_TOKEN, CURRENT_THREAD_TOKEN, CURRENT_THREAD_EFFECTIVE_TOKEN}
    )

    __slots__ = ()

    @classmethod
    def open_process(cls, process: Process | None = None, *, access: int = TokenAccess.QUERY) -> Self:
        """Open the primary token of *process* (default: the calling process).

        The default access (``QUERY``) serves every property and
        :meth:`privileges`; add ``ADJUST_PRIVILEGES`` to enable or disable
        privileges and ``DUPLICATE`` for :meth:`duplicate_token` and :meth:`restricted`.
        """
        mask = cls._access(access)
        if process is None:
            current = kernel32.GetCurrentProcess()
            return cls._adopt_out(
                "OpenProcessToken", lambda out: advapi32.OpenProcessToken(current, mask, out)
            )
        if not isinstance(process, Process):
            raise TypeError(f"process must be a Process or None, not {type(process).__name__}")
        return cls._adopt_out(
            "OpenProcessToken", lambda out: process._call(advapi32.OpenProcessToken, mask, out)
        )

    @classmethod
    def open_thread(
        cls,
        thread: Thread | None = None,
        *,
        access: int = TokenAccess.QUERY,
        open_as_self: bool = False,
    ) -> Self:
        """Open the impersonation token of *thread* (default: the calling thread).

        A thread that is not impersonating has no token of its own: that
        raises ``OSError`` with ``winerror`` 1008 (``ERROR_NO_TOKEN``); use
        :meth:`open_process` for the token it runs with. *open_as_self* checks
        access against the process's token instead of the impersonated one.
        """
        mask = cls._access(access)
        if thread is not None and not isinstance(thread, Thread):
            raise TypeError(f"thread must be a Thread or None, not {type(thread).__name__}")
        as_self = bool(open_as_self)

        def call(out: CData) -> int:
            if thread is None:
                return advapi32.OpenThreadToken(kernel32.GetCurrentThread(), mask, as_self, out)
            return thread._call(advapi32.OpenThreadToken, mask, as_self, out)

        try:
            return cls._adopt_out("OpenThreadToken", call)
        except OSError as exc:
            if getattr(exc, "winerror", None) == WinError.NO_TOKEN:
                exc.strerror = (
                    f"{exc.strerror} (the thread is not impersonating, so it has no token of "
                    "its own; AccessToken.open_process() opens the token it runs with)"
                )
            raise

    def duplicate_token(
        self,
        *,
        token_type: TokenType = TokenType.PRIMARY,
        impersonation_level: ImpersonationLevel = ImpersonationLevel.IMPERSONATION,
        access: int | None = None,
        inheritable: bool = False,
    ) -> AccessToken:
        """A new token, a copy of this one, of *token_type* (``DuplicateTokenEx``).

        Unlike :meth:`duplicate`, which gives a second handle to the same token,
        this creates a separate token object. Needs ``TokenAccess.DUPLICATE``;
        the new handle has this handle's access unless *access* is given.
        """
        token_type = member(token_type, TokenType, "token_type")
        level = member(impersonation_level, ImpersonationLevel, "impersonation_level")
        mask = 0 if access is None else self._access(access)
        attributes = security_attributes(inheritable)
        return AccessToken._adopt_out(
            "DuplicateTokenEx",
            lambda out: self._call(advapi32.DuplicateTokenEx, mask, attributes, level, token_type, out),
        )

    def impersonation_token(
        self, impersonation_level: ImpersonationLevel = ImpersonationLevel.IMPERSONATION
    ) -> AccessToken:
        """A new impersonation token, a copy of this one, at *impersonation_level* (``DuplicateToken``).

        The new handle has exactly ``TokenAccess.IMPERSONATE | TokenAccess.QUERY``,
        as ``DuplicateToken`` grants; :meth:`duplicate_token` chooses the type
        and the access. Needs ``TokenAccess.DUPLICATE`` on this handle.
        """
        level = member(impersonation_level, ImpersonationLevel, "impersonation_level")
        return AccessToken._adopt_out(
            "DuplicateToken", lambda out: self._call(advapi32.DuplicateToken, level, out)
        )

    def restricted(
        self,
        *,
        flags: int = RestrictedTokenFlag.DISABLE_MAX_PRIVILEGE,
        delete_privileges: Iterable[str] = (),
    ) -> AccessToken:
        """A new, restricted primary token made from this one (``CreateRestrictedToken``).

        The default removes every privilege but ``SeChangeNotifyPrivilege``;
        *delete_privileges* removes the privileges named: a list of names
        (a lone str is refused with ``TypeError`` rather than read as a list
        of one-letter names). Needs ``TokenAccess.DUPLICATE``; the new handle
        has this handle's access.
        """
        allowed = sum(flag.value for flag in RestrictedTokenFlag)
        checked = flag_bits(flags, allowed, "flags", flags="RestrictedTokenFlag")
        names = [_privilege_name(name) for name in str_sequence(delete_privileges, "delete_privileges")]
        deleted = ffi.new("LUID_AND_ATTRIBUTES[]", max(len(names), 1))
        for i, name in enumerate(names):
            check_bool(
                advapi32.LookupPrivilegeValueW(ffi.NULL, name, ffi.addressof(deleted[i], "Luid")),
                "LookupPrivilegeValueW",
                name,
            )
        count = len(names)
        return AccessToken._adopt_out(
            "CreateRestrictedToken",
            lambda out: self._call(
                advapi32.CreateRestrictedToken, checked, 0, ffi.NULL, count, deleted, 0, ffi.NULL, out
            ),
        )

    # -- information -----------------------------------------------------------------

    def _information(self, info_class: TokenInformationClass) -> Any:
        """GetTokenInformation's buffer for *info_class*, grown until it fits."""
        needed = ffi.new("DWORD *")

        def attempt(size: int) -> CData | Grow:
            buffer = ffi.new("char[]", size)
            if self._call(advapi32.GetTokenInformation, int(info_class), buffer, size, needed):
                return buffer
            error = last_error()
            if error in (WinError.INSUFFICIENT_BUFFER, WinError.BAD_LENGTH):
                return Grow(int(needed[0]))
            raise_winerror("GetTokenInformation", error)

        return grow_until_it_fits("GetTokenInformation", attempt, 256)

    @property
    def user_sid(self) -> str:
        """The SID of the user the token stands for, as a string ("S-1-5-21-...")."""
        buffer = self._information(TokenInformationClass.USER)  # keeps the memory the SID lives in
        user: Any = ffi.cast("SID_AND_ATTRIBUTES *", buffer)
        return _sid_string(user.Sid)

    @property
    def user(self) -> Account:
        """The user the token stands for: SID, account name and domain (``LookupAccountSidW``)."""
        buffer = self._information(TokenInformationClass.USER)  # keeps the memory the SID lives in
        user: Any = ffi.cast("SID_AND_ATTRIBUTES *", buffer)
        return _lookup_account(user.Sid)

    def groups(self) -> list[TokenGroup]:
        """Every group in the token (``TokenGroups``), each with its account and attributes.

        A deny-only group (``TokenGroup.deny_only``) is listed but grants
        nothing; :meth:`is_member` answers whether a group counts.
        """
        buffer = self._information(TokenInformationClass.GROUPS)  # the SIDs live in it
        header: Any = ffi.cast("TOKEN_GROUPS *", buffer)
        entries: Any = ffi.cast("SID_AND_ATTRIBUTES *", buffer + ffi.offsetof("TOKEN_GROUPS", "Groups"))
        return [
            TokenGroup(_lookup_account(entries[i].Sid), GroupAttribute(entries[i].Attributes))
            for i in range(header.GroupCount)
        ]

    def is_member(self, sid: str) -> bool:
        """Whether the group *sid* is enabled in this token (``CheckTokenMembership``).

        *sid* is a SID string ("S-1-5-32-544") or a :class:`WellKnownSid`:
        ``token.is_member(WellKnownSid.ADMINISTRATORS)`` is "does this token
        act as an administrator". A deny-only group (an administrator's
        filtered token under UAC) is not a member. ``CheckTokenMembership``
        takes only an impersonation token; for a primary token (the usual
        :meth:`open_process`), an identification-level copy is made with
        ``DuplicateToken`` and closed again, which needs
        ``TokenAccess.DUPLICATE`` on this handle.
        """
        native_sid = _sid_from_string(sid)
        answer = ffi.new("BOOL *")
        if self._call(advapi32.CheckTokenMembership, native_sid, answer):
            return bool(answer[0])
        error = last_error()
        if error != WinError.NO_IMPERSONATION_TOKEN:
            raise_winerror("CheckTokenMembership", error, str(sid))
        try:
            copy = self.impersonation_token(ImpersonationLevel.IDENTIFICATION)
        except PermissionError as exc:
            exc.strerror = (
                f"{exc.strerror} (is_member() of a primary token asks an impersonation copy, which "
                "needs TokenAccess.DUPLICATE: open the token with access=TokenAccess.QUERY | "
                "TokenAccess.DUPLICATE)"
            )
            raise
        with copy:
            ok = copy._call(advapi32.CheckTokenMembership, native_sid, answer)
            check_bool(ok, "CheckTokenMembership", str(sid))
        return bool(answer[0])

    @property
    def elevation_type(self) -> ElevationType:
        """How the token stands to UAC (``TokenElevationType``): default, full (elevated) or limited."""
        buffer = self._information(TokenInformationClass.ELEVATION_TYPE)
        return ElevationType(ffi.cast("DWORD *", buffer)[0])

    def linked_token(self) -> AccessToken:
        """The other half of a UAC split token (``TokenLinkedToken``), as a new handle.

        A limited token's linked token is its elevated twin and the reverse.
        Without ``SeTcbPrivilege`` Windows hands back an identification-level
        impersonation token: good for inspecting (``groups()``, ``elevated``),
        not for starting a process. A token of ``ElevationType.DEFAULT`` has no
        linked token: ``OSError`` with ``winerror`` 1312
        (``ERROR_NO_SUCH_LOGON_SESSION``). Needs ``TokenAccess.QUERY``.
        """
        size = ffi.sizeof("HANDLE")  # TOKEN_LINKED_TOKEN is one HANDLE
        needed = ffi.new("DWORD *")
        info = int(TokenInformationClass.LINKED_TOKEN)
        try:
            return AccessToken._adopt_out(
                "GetTokenInformation",
                lambda out: self._call(advapi32.GetTokenInformation, info, out, size, needed),
            )
        except OSError as exc:
            if getattr(exc, "winerror", None) == WinError.NO_SUCH_LOGON_SESSION:
                exc.strerror = f"{exc.strerror} (a token of ElevationType.DEFAULT has no linked token)"
            raise

    @property
    def elevated(self) -> bool:
        """Whether the token is elevated (UAC: "run as administrator")."""
        buffer = self._information(TokenInformationClass.ELEVATION)
        return bool(ffi.cast("DWORD *", buffer)[0])

    @property
    def integrity_level(self) -> IntegrityLevel | int:
        """The mandatory integrity level: an :class:`IntegrityLevel`, or the raw RID if it has no name."""
        buffer = self._information(TokenInformationClass.INTEGRITY_LEVEL)  # keeps the SID's memory
        label: Any = ffi.cast("SID_AND_ATTRIBUTES *", buffer)
        sid = label.Sid
        count = advapi32.GetSidSubAuthorityCount(sid)[0]
        if count == 0:
            raise OSError(f"the integrity label of {self!r} has no sub-authority")
        rid = int(advapi32.GetSidSubAuthority(sid, count - 1)[0])
        try:
            return IntegrityLevel(rid)
        except ValueError:
            return rid

    @property
    def token_type(self) -> TokenType:
        """Primary (a process's) or impersonation (a thread's) token."""
        buffer = self._information(TokenInformationClass.TYPE)
        return TokenType(ffi.cast("DWORD *", buffer)[0])

    def privileges(self) -> list[Privilege]:
        """Every privilege the token holds, with its name and state."""
        buffer = self._information(TokenInformationClass.PRIVILEGES)
        header: Any = ffi.cast("TOKEN_PRIVILEGES *", buffer)
        count = header.PrivilegeCount
        entries = ffi.cast("LUID_AND_ATTRIBUTES *", buffer + ffi.offsetof("TOKEN_PRIVILEGES", "Privileges"))
        return [
            Privilege(self._lookup_name(entries[i].Luid), PrivilegeAttribute(entries[i].Attributes))
            for i in range(count)
        ]

    @staticmethod
    def _lookup_name(luid: CData) -> str:
        length = ffi.new("DWORD *")
        key = ffi.new("LUID *", luid)

        def attempt(size: int) -> str | Grow:
            name = ffi.new("WCHAR[]", size)
            length[0] = size
            if advapi32.LookupPrivilegeNameW(ffi.NULL, key, name, length):
                return str(ffi.string(name, length[0]))
            error = last_error()
            if error == WinError.INSUFFICIENT_BUFFER:
                return Grow(int(length[0]) + 1)  # the length asked for leaves out the NUL
            raise_winerror("LookupPrivilegeNameW", error)

        return grow_until_it_fits("LookupPrivilegeNameW", attempt, 64)

    def enable_privilege(self, name: str) -> None:
        """Enable a privilege the token holds (needs ``TokenAccess.ADJUST_PRIVILEGES``).

        A privilege the token does not hold cannot be enabled: ``OSError`` with
        ``winerror`` 1300 (``ERROR_NOT_ALL_ASSIGNED``); an unknown name gives 1313.
        """
        self._adjust(name, PrivilegeAttribute.ENABLED)

    def disable_privilege(self, name: str) -> None:
        """Disable a privilege (needs ``TokenAccess.ADJUST_PRIVILEGES``); see :meth:`enable_privilege`."""
        self._adjust(name, PrivilegeAttribute(0))

    def _adjust(self, name: str, attributes: PrivilegeAttribute) -> None:
        name = _privilege_name(name)
        state: Any = ffi.new("TOKEN_PRIVILEGES *")
        check_bool(
            advapi32.LookupPrivilegeValueW(ffi.NULL, name, ffi.addressof(state.Privileges[0], "Luid")),
            "LookupPrivilegeValueW",
            name,
        )
        state.PrivilegeCount = 1
        state.Privileges[0].Attributes = attributes
        ok = self._call(advapi32.AdjustTokenPrivileges, False, state, 0, ffi.NULL, ffi.NULL)
        error = last_error()
        if not ok:
            raise_winerror("AdjustTokenPrivileges", error, name)
        if error == WinError.NOT_ALL_ASSIGNED:  # "succeeded", but the token does not hold it
            raise_winerror("AdjustTokenPrivileges", error, name)
