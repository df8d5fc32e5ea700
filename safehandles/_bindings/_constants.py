"""Win32 constants, as enums. Values are from the Windows SDK headers named per group."""

from __future__ import annotations

import enum
from typing import Final


class NamedIntEnum(enum.IntEnum):
    """An ``IntEnum`` that prints as its name (``RUNNING``), as messages and printouts should show it.

    ``int()``, comparisons and format specs (``f"{value:#x}"``) still give the number; ``repr``
    is the enum's own (``<ServiceState.RUNNING: 4>``).
    """

    def __str__(self) -> str:
        return self.name


class NamedIntFlag(enum.IntFlag):
    """An ``IntFlag`` that prints as its members' names (``READ_DATA|WRITE_DATA``), other bits in hex.

    A value that is a member itself (``ALL_ACCESS``) prints as that member; 0 without a member is ``0``.
    """

    def __str__(self) -> str:
        value = self.value
        for name, member in type(self).__members__.items():  # a member, alias or named composite
            if member.value == value:
                return name
        parts: list[str] = []
        known = 0
        for member in type(self):  # the single-bit members, by value (Python 3.11+)
            if member.value & value:
                parts.append(str(member._name_))
                known |= member.value
        rest = value & ~known
        if rest or not parts:
            parts.append(f"{rest:#x}" if rest else "0")
        return "|".join(parts)


#: The two failure values of handle creators: NULL, and INVALID_HANDLE_VALUE (handleapi.h).
NULL: Final = 0
INVALID_HANDLE_VALUE: Final = -1
#: synchapi.h / winbase.h: "wait forever".
INFINITE: Final = 0xFFFF_FFFF
#: minwinbase.h: GetExitCodeProcess/Thread's value for "still running".
STILL_ACTIVE: Final = 259
#: winnt.h: the most handles one WaitForMultipleObjects call accepts.
MAXIMUM_WAIT_OBJECTS: Final = 64

#: The largest values of the Windows integer types (winnt.h MAXWORD, MAXDWORD, MAXLONG,
#: MAXLONGLONG; a QWORD or 64-bit ULONG_PTR holds up to QWORD_MAX).
WORD_MAX: Final = 0xFFFF
DWORD_MAX: Final = 0xFFFF_FFFF
LONG_MAX: Final = 0x7FFF_FFFF
LONGLONG_MAX: Final = (1 << 63) - 1
QWORD_MAX: Final = (1 << 64) - 1
#: Pseudo-handles (processthreadsapi.h): constants that mean "the calling process",
#: "the calling thread" and the calling thread's tokens wherever a handle is taken.
#: They are not entries in the handle table, and closing one has no effect.
CURRENT_PROCESS: Final = -1  # GetCurrentProcess()
CURRENT_THREAD: Final = -2  # GetCurrentThread()
CURRENT_PROCESS_TOKEN: Final = -4  # GetCurrentProcessToken()
CURRENT_THREAD_TOKEN: Final = -5  # GetCurrentThreadToken()
CURRENT_THREAD_EFFECTIVE_TOKEN: Final = -6  # GetCurrentThreadEffectiveToken()


class WinError(enum.IntEnum):
    """The Win32 error codes the library looks at (winerror.h): the one list of them.

    Winsock's codes are winerror.h codes too (``WSAE*``, 10000 and up), and
    ``WSAGetLastError`` reports them, so they live here as well.
    """

    SUCCESS = 0
    FILE_NOT_FOUND = 2
    ACCESS_DENIED = 5
    INVALID_HANDLE = 6
    NO_MORE_FILES = 18
    BAD_LENGTH = 24
    LOCK_VIOLATION = 33
    HANDLE_EOF = 38
    INVALID_PARAMETER = 87
    BROKEN_PIPE = 109
    SEM_TIMEOUT = 121
    INSUFFICIENT_BUFFER = 122
    INVALID_NAME = 123
    ALREADY_EXISTS = 183
    BAD_PIPE = 230
    PIPE_BUSY = 231
    NO_DATA = 232
    PIPE_NOT_CONNECTED = 233
    MORE_DATA = 234
    WAIT_TIMEOUT = 258
    NO_MORE_ITEMS = 259
    DIRECTORY = 267
    NOT_OWNER = 288
    TOO_MANY_POSTS = 298
    PIPE_CONNECTED = 535
    PIPE_LISTENING = 536
    ABANDONED_WAIT_0 = 735
    OPERATION_ABORTED = 995
    IO_INCOMPLETE = 996
    IO_PENDING = 997
    NO_TOKEN = 1008
    NOTIFY_ENUM_DIR = 1022
    SERVICE_NEVER_STARTED = 1077
    NOT_FOUND = 1168
    NOT_ALL_ASSIGNED = 1300
    NO_IMPERSONATION_TOKEN = 1309
    NO_SUCH_LOGON_SESSION = 1312
    PRIVILEGE_NOT_HELD = 1314
    NONE_MAPPED = 1332
    CANNOT_IMPERSONATE = 1368
    WSAEINVAL = 10022
    WSAEWOULDBLOCK = 10035
    WSAENOTSOCK = 10038
    WSAEAFNOSUPPORT = 10047
    WSANOTINITIALISED = 10093


class WaitResult(enum.IntEnum):
    """What the wait functions return (synchapi.h, winbase.h)."""

    OBJECT_0 = 0x0000_0000
    ABANDONED_0 = 0x0000_0080
    TIMEOUT = 0x0000_0102
    FAILED = 0xFFFF_FFFF


class HandleFlag(NamedIntFlag):
    """Flags of Get/SetHandleInformation (handleapi.h)."""

    INHERIT = 0x1
    PROTECT_FROM_CLOSE = 0x2


class DuplicateOption(NamedIntFlag):
    """Options of DuplicateHandle (winnt.h)."""

    CLOSE_SOURCE = 0x1
    SAME_ACCESS = 0x2


class StandardAccess(NamedIntFlag):
    """The standard access rights, which every securable object has (winnt.h; "Standard Access Rights").

    The one place they are spelled: each kind's rights enum takes its
    standard members from here. ``REQUIRED`` is STANDARD_RIGHTS_REQUIRED,
    ``ALL`` is STANDARD_RIGHTS_ALL; STANDARD_RIGHTS_READ, _WRITE and _EXECUTE
    are all ``READ_CONTROL``.
    """

    DELETE = 0x0001_0000
    READ_CONTROL = 0x0002_0000
    WRITE_DAC = 0x0004_0000
    WRITE_OWNER = 0x0008_0000
    SYNCHRONIZE = 0x0010_0000
    REQUIRED = 0x000F_0000
    ALL = 0x001F_0000


class GenericAccess(NamedIntFlag):
    """What an access request may name besides a kind's own rights (winnt.h; "ACCESS_MASK").

    The four generic rights, which each object type maps to its own ("Generic
    Access Rights"); ``MAXIMUM_ALLOWED``, every right the caller may have
    ("Requesting Access Rights to an Object"); and ``ACCESS_SYSTEM_SECURITY``,
    the right to the SACL ("SACL Access Right", needs SeSecurityPrivilege).
    """

    ACCESS_SYSTEM_SECURITY = 0x0100_0000
    MAXIMUM_ALLOWED = 0x0200_0000
    ALL = 0x1000_0000
    EXECUTE = 0x2000_0000
    WRITE = 0x4000_0000
    READ = 0x8000_0000


class EventAccess(NamedIntFlag):
    """Event access rights ("Synchronization Object Security and Access Rights"; winnt.h).

    ``QUERY_STATE`` is wdm.h's EVENT_QUERY_STATE, the bit ``ALL_ACCESS`` has
    besides ``MODIFY_STATE`` and what ``GENERIC_READ`` maps to.
    """

    QUERY_STATE = 0x0001
    MODIFY_STATE = 0x0002
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    SYNCHRONIZE = StandardAccess.SYNCHRONIZE.value
    ALL_ACCESS = StandardAccess.ALL.value | 0x3


class MutexAccess(NamedIntFlag):
    """Mutex access rights ("Synchronization Object Security and Access Rights"; winnt.h MUTANT_*).

    One specific right: MUTEX_MODIFY_STATE is winnt.h's MUTANT_QUERY_STATE,
    so ``QUERY_STATE`` and ``MODIFY_STATE`` are the same bit.
    """

    MODIFY_STATE = 0x0001
    QUERY_STATE = 0x0001
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    SYNCHRONIZE = StandardAccess.SYNCHRONIZE.value
    ALL_ACCESS = StandardAccess.ALL.value | 0x1


class SemaphoreAccess(NamedIntFlag):
    """Semaphore access rights ("Synchronization Object Security and Access Rights"; winnt.h).

    ``QUERY_STATE`` is wdm.h's SEMAPHORE_QUERY_STATE, the bit ``ALL_ACCESS``
    has besides ``MODIFY_STATE``.
    """

    QUERY_STATE = 0x0001
    MODIFY_STATE = 0x0002
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    SYNCHRONIZE = StandardAccess.SYNCHRONIZE.value
    ALL_ACCESS = StandardAccess.ALL.value | 0x3


class TimerAccess(NamedIntFlag):
    """Waitable timer access rights ("Synchronization Object Security and Access Rights"; winnt.h)."""

    QUERY_STATE = 0x0001
    MODIFY_STATE = 0x0002
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    SYNCHRONIZE = StandardAccess.SYNCHRONIZE.value
    ALL_ACCESS = StandardAccess.ALL.value | 0x3


class ProcessAccess(NamedIntFlag):
    """Process access rights ("Process Security and Access Rights"; winnt.h PROCESS_*).

    ``SET_SESSIONID`` and ``SET_LIMITED_INFORMATION`` are in winnt.h but not
    in that page's table; ``ALL_ACCESS`` covers every specific bit (0xFFFF).
    """

    TERMINATE = 0x0001
    CREATE_THREAD = 0x0002
    SET_SESSIONID = 0x0004
    VM_OPERATION = 0x0008
    VM_READ = 0x0010
    VM_WRITE = 0x0020
    DUP_HANDLE = 0x0040
    CREATE_PROCESS = 0x0080
    SET_QUOTA = 0x0100
    SET_INFORMATION = 0x0200
    QUERY_INFORMATION = 0x0400
    SUSPEND_RESUME = 0x0800
    QUERY_LIMITED_INFORMATION = 0x1000
    SET_LIMITED_INFORMATION = 0x2000
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    SYNCHRONIZE = StandardAccess.SYNCHRONIZE.value
    ALL_ACCESS = StandardAccess.ALL.value | 0xFFFF


class ThreadAccess(NamedIntFlag):
    """Thread access rights ("Thread Security and Access Rights"; winnt.h THREAD_*).

    ``RESUME`` is in winnt.h but not in that page's table; ``ALL_ACCESS``
    covers every specific bit (0xFFFF).
    """

    TERMINATE = 0x0001
    SUSPEND_RESUME = 0x0002
    GET_CONTEXT = 0x0008
    SET_CONTEXT = 0x0010
    SET_INFORMATION = 0x0020
    QUERY_INFORMATION = 0x0040
    SET_THREAD_TOKEN = 0x0080
    IMPERSONATE = 0x0100
    DIRECT_IMPERSONATION = 0x0200
    SET_LIMITED_INFORMATION = 0x0400
    QUERY_LIMITED_INFORMATION = 0x0800
    RESUME = 0x1000
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    SYNCHRONIZE = StandardAccess.SYNCHRONIZE.value
    ALL_ACCESS = StandardAccess.ALL.value | 0xFFFF


class HeapOption(NamedIntFlag):
    """Options of HeapCreate, HeapAlloc and HeapReAlloc (winnt.h)."""

    NO_SERIALIZE = 0x0000_0001
    GENERATE_EXCEPTIONS = 0x0000_0004
    ZERO_MEMORY = 0x0000_0008
    REALLOC_IN_PLACE_ONLY = 0x0000_0010
    CREATE_ENABLE_EXECUTE = 0x0004_0000
