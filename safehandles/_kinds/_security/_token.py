"""Access tokens: OpenProcessToken, OpenThreadToken, DuplicateTokenEx, CreateRestrictedToken.

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

The user's SID is formatted as its string form ("S-1-5-21-...") from the SID's
parts (revision, identifier authority, sub-authorities, MS-DTYP 2.4.2.1), which
avoids ``ConvertSidToStringSidW`` and the ``LocalFree`` its result would need.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from typing_extensions import Self

from ..._bindings._advapi32._tokens import (
    ImpersonationLevel,
    IntegrityLevel,
    PrivilegeAttribute,
    RestrictedTokenFlag,
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

__all__ = ["AccessToken", "Privilege"]


@dataclass(frozen=True)
class Privilege:
    """One privilege a token holds, and whether it is enabled."""

    name: str
    attributes: PrivilegeAttribute

    @property
    def enabled(self) -> bool:
        """Whether the privilege is enabled (held privileges start disabled unless enabled by default)."""
        return bool(self.attributes & PrivilegeAttribute.ENABLED)


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


def _privilege_name(name: object) -> str:
    return text(name, "name (a privilege name such as 'SeShutdownPrivilege')", empty=False)


class AccessToken(KernelHandle):
    """An access token: who a process or thread runs as, and with which privileges.

    >>> with AccessToken.open_process() as token:
    ...     print(token.user_sid, token.elevated, token.integrity_level)
    """

    catalogue = Entry(
        row="Access token",
        creators=(
            ("OpenProcessToken", "FALSE"),
            ("OpenThreadToken", "FALSE"),
            ("DuplicateTokenEx", "FALSE"),
            ("CreateRestrictedToken", "FALSE"),
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
