"""advapi32.dll, access tokens and security identifiers: declarations and their typed surface."""

from __future__ import annotations

import enum
from typing import Protocol

from .._constants import StandardAccess
from .._types import CData, WideString

DECLARATIONS = """
/* winnt.h. LUID_AND_ATTRIBUTES is declared under pshpack4.h; its members are
   all 4-byte aligned anyway, so the natural layout is the same (12 bytes). */
typedef struct _LUID {
    DWORD LowPart;
    LONG HighPart;
} LUID;
typedef struct _LUID_AND_ATTRIBUTES {
    LUID Luid;
    DWORD Attributes;
} LUID_AND_ATTRIBUTES;
typedef struct _TOKEN_PRIVILEGES {
    DWORD PrivilegeCount;
    LUID_AND_ATTRIBUTES Privileges[1];
} TOKEN_PRIVILEGES;
typedef struct _SID_AND_ATTRIBUTES {
    void *Sid;
    DWORD Attributes;
} SID_AND_ATTRIBUTES;
typedef struct _SID_IDENTIFIER_AUTHORITY {
    BYTE Value[6];
} SID_IDENTIFIER_AUTHORITY;

BOOL OpenProcessToken(HANDLE ProcessHandle, DWORD DesiredAccess, HANDLE *TokenHandle);
BOOL OpenThreadToken(HANDLE ThreadHandle, DWORD DesiredAccess, BOOL OpenAsSelf,
                     HANDLE *TokenHandle);
BOOL DuplicateTokenEx(HANDLE hExistingToken, DWORD dwDesiredAccess,
                      SECURITY_ATTRIBUTES *lpTokenAttributes, int ImpersonationLevel,
                      int TokenType, HANDLE *phNewToken);
BOOL CreateRestrictedToken(HANDLE ExistingTokenHandle, DWORD Flags, DWORD DisableSidCount,
                           SID_AND_ATTRIBUTES *SidsToDisable, DWORD DeletePrivilegeCount,
                           LUID_AND_ATTRIBUTES *PrivilegesToDelete, DWORD RestrictedSidCount,
                           SID_AND_ATTRIBUTES *SidsToRestrict, HANDLE *NewTokenHandle);
BOOL GetTokenInformation(HANDLE TokenHandle, int TokenInformationClass,
                         void *TokenInformation, DWORD TokenInformationLength,
                         DWORD *ReturnLength);
BOOL AdjustTokenPrivileges(HANDLE TokenHandle, BOOL DisableAllPrivileges,
                           TOKEN_PRIVILEGES *NewState, DWORD BufferLength,
                           TOKEN_PRIVILEGES *PreviousState, DWORD *ReturnLength);
BOOL LookupPrivilegeValueW(const WCHAR *lpSystemName, const WCHAR *lpName, LUID *lpLuid);
BOOL LookupPrivilegeNameW(const WCHAR *lpSystemName, LUID *lpLuid, WCHAR *lpName,
                          DWORD *cchName);
BOOL ImpersonateSelf(int ImpersonationLevel);
BOOL RevertToSelf(void);
BOOL IsValidSid(void *pSid);
SID_IDENTIFIER_AUTHORITY *GetSidIdentifierAuthority(void *pSid);
BYTE *GetSidSubAuthorityCount(void *pSid);
DWORD *GetSidSubAuthority(void *pSid, DWORD nSubAuthority);
"""


class Tokens(Protocol):
    def OpenProcessToken(self, ProcessHandle: int, DesiredAccess: int, TokenHandle: CData, /) -> int: ...
    def OpenThreadToken(
        self, ThreadHandle: int, DesiredAccess: int, OpenAsSelf: int, TokenHandle: CData, /
    ) -> int: ...
    def DuplicateTokenEx(
        self,
        hExistingToken: int,
        dwDesiredAccess: int,
        lpTokenAttributes: CData,
        ImpersonationLevel: int,
        TokenType: int,
        phNewToken: CData,
        /,
    ) -> int: ...
    def CreateRestrictedToken(
        self,
        ExistingTokenHandle: int,
        Flags: int,
        DisableSidCount: int,
        SidsToDisable: CData,
        DeletePrivilegeCount: int,
        PrivilegesToDelete: CData,
        RestrictedSidCount: int,
        SidsToRestrict: CData,
        NewTokenHandle: CData,
        /,
    ) -> int: ...
    def GetTokenInformation(
        self,
        TokenHandle: int,
        TokenInformationClass: int,
        TokenInformation: CData,
        TokenInformationLength: int,
        ReturnLength: CData,
        /,
    ) -> int: ...
    def AdjustTokenPrivileges(
        self,
        TokenHandle: int,
        DisableAllPrivileges: int,
        NewState: CData,
        BufferLength: int,
        PreviousState: CData,
        ReturnLength: CData,
        /,
    ) -> int: ...
    def LookupPrivilegeValueW(
        self, lpSystemName: WideString, lpName: WideString, lpLuid: CData, /
    ) -> int: ...
    def LookupPrivilegeNameW(
        self, lpSystemName: WideString, lpLuid: CData, lpName: CData, cchName: CData, /
    ) -> int: ...
    def ImpersonateSelf(self, ImpersonationLevel: int, /) -> int: ...
    def RevertToSelf(self) -> int: ...
    def IsValidSid(self, pSid: CData, /) -> int: ...
    def GetSidIdentifierAuthority(self, pSid: CData, /) -> CData: ...
    def GetSidSubAuthorityCount(self, pSid: CData, /) -> CData: ...
    def GetSidSubAuthority(self, pSid: CData, nSubAuthority: int, /) -> CData: ...


class TokenAccess(enum.IntFlag):
    """Access rights of access tokens ("Access Rights for Access-Token Objects"; winnt.h TOKEN_*).

    ``READ``, ``WRITE`` and ``EXECUTE`` are winnt.h's TOKEN_READ, TOKEN_WRITE
    and TOKEN_EXECUTE (the last is ``READ_CONTROL`` alone); ``ALL_ACCESS``
    has no ``SYNCHRONIZE``, as in winnt.h.
    """

    ASSIGN_PRIMARY = 0x0001
    DUPLICATE = 0x0002
    IMPERSONATE = 0x0004
    QUERY = 0x0008
    QUERY_SOURCE = 0x0010
    ADJUST_PRIVILEGES = 0x0020
    ADJUST_GROUPS = 0x0040
    ADJUST_DEFAULT = 0x0080
    ADJUST_SESSIONID = 0x0100
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    READ = StandardAccess.READ_CONTROL.value | 0x0008
    WRITE = StandardAccess.READ_CONTROL.value | 0x00E0
    EXECUTE = StandardAccess.READ_CONTROL.value
    ALL_ACCESS = StandardAccess.REQUIRED.value | 0x01FF


class TokenType(enum.IntEnum):
    """TOKEN_TYPE (winnt.h)."""

    PRIMARY = 1
    IMPERSONATION = 2


class ImpersonationLevel(enum.IntEnum):
    """SECURITY_IMPERSONATION_LEVEL (winnt.h)."""

    ANONYMOUS = 0
    IDENTIFICATION = 1
    IMPERSONATION = 2
    DELEGATION = 3


class IntegrityLevel(enum.IntEnum):
    """Mandatory integrity levels: the RID of a token's integrity SID (winnt.h, SECURITY_MANDATORY_*_RID)."""

    UNTRUSTED = 0x0000
    LOW = 0x1000
    MEDIUM = 0x2000
    MEDIUM_PLUS = 0x2100
    HIGH = 0x3000
    SYSTEM = 0x4000
    PROTECTED_PROCESS = 0x5000


class RestrictedTokenFlag(enum.IntFlag):
    """Flags of CreateRestrictedToken (securitybaseapi.h / winnt.h)."""

    DISABLE_MAX_PRIVILEGE = 0x1
    SANDBOX_INERT = 0x2
    LUA_TOKEN = 0x4
    WRITE_RESTRICTED = 0x8


class PrivilegeAttribute(enum.IntFlag):
    """LUID_AND_ATTRIBUTES.Attributes of a privilege (winnt.h, SE_PRIVILEGE_*)."""

    ENABLED_BY_DEFAULT = 0x0000_0001
    ENABLED = 0x0000_0002
    REMOVED = 0x0000_0004
    USED_FOR_ACCESS = 0x8000_0000


class TokenInformationClass(enum.IntEnum):
    """The TOKEN_INFORMATION_CLASS values the library asks for (winnt.h)."""

    USER = 1
    PRIVILEGES = 3
    TYPE = 8
    IMPERSONATION_LEVEL = 9
    ELEVATION = 20
    INTEGRITY_LEVEL = 25
