"""advapi32.dll, access tokens and security identifiers: declarations and their typed surface."""

from __future__ import annotations

import enum
from typing import Protocol

from .._constants import NamedIntEnum, NamedIntFlag, StandardAccess
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
/* winnt.h: Groups[ANYSIZE_ARRAY] follows the count at the pointer's alignment (offset 8 on x64). */
typedef struct _TOKEN_GROUPS {
    DWORD GroupCount;
    SID_AND_ATTRIBUTES Groups[1];
} TOKEN_GROUPS;

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
BOOL DuplicateToken(HANDLE ExistingTokenHandle, int ImpersonationLevel,
                    HANDLE *DuplicateTokenHandle);
BOOL CheckTokenMembership(HANDLE TokenHandle, void *SidToCheck, BOOL *IsMember);
BOOL LookupAccountSidW(const WCHAR *lpSystemName, void *Sid, WCHAR *Name, DWORD *cchName,
                       WCHAR *ReferencedDomainName, DWORD *cchReferencedDomainName,
                       int *peUse);
BOOL InitializeSid(void *Sid, SID_IDENTIFIER_AUTHORITY *pIdentifierAuthority,
                   BYTE nSubAuthorityCount);
DWORD GetSidLengthRequired(BYTE nSubAuthorityCount);
BOOL ImpersonateSelf(int ImpersonationLevel);
BOOL RevertToSelf(void);
BOOL ImpersonateNamedPipeClient(HANDLE hNamedPipe);
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
    def DuplicateToken(
        self, ExistingTokenHandle: int, ImpersonationLevel: int, DuplicateTokenHandle: CData, /
    ) -> int: ...
    def CheckTokenMembership(self, TokenHandle: int, SidToCheck: CData, IsMember: CData, /) -> int: ...
    def LookupAccountSidW(
        self,
        lpSystemName: WideString,
        Sid: CData,
        Name: CData,
        cchName: CData,
        ReferencedDomainName: CData,
        cchReferencedDomainName: CData,
        peUse: CData,
        /,
    ) -> int: ...
    def InitializeSid(self, Sid: CData, pIdentifierAuthority: CData, nSubAuthorityCount: int, /) -> int: ...
    def GetSidLengthRequired(self, nSubAuthorityCount: int, /) -> int: ...
    def ImpersonateSelf(self, ImpersonationLevel: int, /) -> int: ...
    def RevertToSelf(self) -> int: ...
    def ImpersonateNamedPipeClient(self, hNamedPipe: int, /) -> int: ...
    def IsValidSid(self, pSid: CData, /) -> int: ...
    def GetSidIdentifierAuthority(self, pSid: CData, /) -> CData: ...
    def GetSidSubAuthorityCount(self, pSid: CData, /) -> CData: ...
    def GetSidSubAuthority(self, pSid: CData, nSubAuthority: int, /) -> CData: ...


class TokenAccess(NamedIntFlag):
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


class TokenType(NamedIntEnum):
    """TOKEN_TYPE (winnt.h)."""

    PRIMARY = 1
    IMPERSONATION = 2


class ImpersonationLevel(NamedIntEnum):
    """SECURITY_IMPERSONATION_LEVEL (winnt.h)."""

    ANONYMOUS = 0
    IDENTIFICATION = 1
    IMPERSONATION = 2
    DELEGATION = 3


class IntegrityLevel(NamedIntEnum):
    """Mandatory integrity levels: the RID of a token's integrity SID (winnt.h, SECURITY_MANDATORY_*_RID).

    A level prints as its name (``print(level)`` shows ``MEDIUM``, not ``8192``);
    ``int(level)`` is the RID.
    """

    UNTRUSTED = 0x0000
    LOW = 0x1000
    MEDIUM = 0x2000
    MEDIUM_PLUS = 0x2100
    HIGH = 0x3000
    SYSTEM = 0x4000
    PROTECTED_PROCESS = 0x5000


class ElevationType(NamedIntEnum):
    """TOKEN_ELEVATION_TYPE (winnt.h): how a token stands to UAC.

    ``DEFAULT``: UAC is off or the user is not an administrator, and there is
    no linked token. ``FULL``: the elevated half of a split token. ``LIMITED``:
    the filtered half an administrator runs with until elevated. Prints as its name.
    """

    DEFAULT = 1
    FULL = 2
    LIMITED = 3


class GroupAttribute(NamedIntFlag):
    """SID_AND_ATTRIBUTES.Attributes of a token's group (winnt.h, SE_GROUP_*)."""

    MANDATORY = 0x0000_0001
    ENABLED_BY_DEFAULT = 0x0000_0002
    ENABLED = 0x0000_0004
    OWNER = 0x0000_0008
    USE_FOR_DENY_ONLY = 0x0000_0010
    INTEGRITY = 0x0000_0020
    INTEGRITY_ENABLED = 0x0000_0040
    RESOURCE = 0x2000_0000
    LOGON_ID = 0xC000_0000


class SidNameUse(NamedIntEnum):
    """SID_NAME_USE (winnt.h): what kind of account a SID names, as LookupAccountSidW reports."""

    USER = 1
    GROUP = 2
    DOMAIN = 3
    ALIAS = 4
    WELL_KNOWN_GROUP = 5
    DELETED_ACCOUNT = 6
    INVALID = 7
    UNKNOWN = 8
    COMPUTER = 9
    LABEL = 10
    LOGON_SESSION = 11


class WellKnownSid(str, enum.Enum):
    """The string SIDs of accounts scripts commonly ask about (MS-DTYP 2.4.2.4, "Well-known SID structures").

    Members are str, so each one is accepted wherever a SID string is.
    """

    EVERYONE = "S-1-1-0"
    LOCAL = "S-1-2-0"
    INTERACTIVE = "S-1-5-4"
    SERVICE = "S-1-5-6"
    AUTHENTICATED_USERS = "S-1-5-11"
    LOCAL_SYSTEM = "S-1-5-18"
    LOCAL_SERVICE = "S-1-5-19"
    NETWORK_SERVICE = "S-1-5-20"
    ADMINISTRATORS = "S-1-5-32-544"
    USERS = "S-1-5-32-545"
    GUESTS = "S-1-5-32-546"

    def __str__(self) -> str:
        return str(self.value)


class RestrictedTokenFlag(NamedIntFlag):
    """Flags of CreateRestrictedToken (securitybaseapi.h / winnt.h)."""

    DISABLE_MAX_PRIVILEGE = 0x1
    SANDBOX_INERT = 0x2
    LUA_TOKEN = 0x4
    WRITE_RESTRICTED = 0x8


class PrivilegeAttribute(NamedIntFlag):
    """LUID_AND_ATTRIBUTES.Attributes of a privilege (winnt.h, SE_PRIVILEGE_*)."""

    ENABLED_BY_DEFAULT = 0x0000_0001
    ENABLED = 0x0000_0002
    REMOVED = 0x0000_0004
    USED_FOR_ACCESS = 0x8000_0000


class TokenInformationClass(NamedIntEnum):
    """The TOKEN_INFORMATION_CLASS values the library asks for (winnt.h)."""

    USER = 1
    GROUPS = 2
    PRIVILEGES = 3
    TYPE = 8
    IMPERSONATION_LEVEL = 9
    ELEVATION_TYPE = 18
    LINKED_TOKEN = 19
    ELEVATION = 20
    INTEGRITY_LEVEL = 25
