"""Win32 constants, as enums. Values are from the Windows SDK headers named per group."""

from __future__ import annotations

import enum
from typing import Final

#: The two failure values of handle creators: NULL, and INVALID_HANDLE_VALUE (handleapi.h).
NULL: Final = 0
INVALID_HANDLE_VALUE: Final = -1
#: synchapi.h / winbase.h: "wait forever".
INFINITE: Final = 0xFFFF_FFFF
#: minwinbase.h: GetExitCodeProcess/Thread's value for "still running".
STILL_ACTIVE: Final = 259
#: winnt.h: the most handles one WaitForMultipleObjects call accepts.
MAXIMUM_WAIT_OBJECTS: Final = 64


class WinError(enum.IntEnum):
    """The Win32 error codes the library looks at (winerror.h)."""

    SUCCESS = 0
    FILE_NOT_FOUND = 2
    ACCESS_DENIED = 5
    INVALID_HANDLE = 6
    INVALID_PARAMETER = 87
    INVALID_NAME = 123
    ALREADY_EXISTS = 183
    NOT_OWNER = 288
    TOO_MANY_POSTS = 298


class WaitResult(enum.IntEnum):
    """What the wait functions return (synchapi.h, winbase.h)."""

    OBJECT_0 = 0x0000_0000
    ABANDONED_0 = 0x0000_0080
    TIMEOUT = 0x0000_0102
    FAILED = 0xFFFF_FFFF


class HandleFlag(enum.IntFlag):
    """Flags of Get/SetHandleInformation (handleapi.h)."""

    INHERIT = 0x1
    PROTECT_FROM_CLOSE = 0x2


class DuplicateOption(enum.IntFlag):
    """Options of DuplicateHandle (winnt.h)."""

    CLOSE_SOURCE = 0x1
    SAME_ACCESS = 0x2


class StandardAccess(enum.IntFlag):
    """Access rights every kernel object has (winnt.h)."""

    DELETE = 0x0001_0000
    READ_CONTROL = 0x0002_0000
    WRITE_DAC = 0x0004_0000
    WRITE_OWNER = 0x0008_0000
    SYNCHRONIZE = 0x0010_0000


_SYNCHRONIZE: Final = StandardAccess.SYNCHRONIZE.value
_STANDARD_REQUIRED: Final = 0x000F_0000


class EventAccess(enum.IntFlag):
    """Event access rights (winnt.h; "Synchronization Object Security and Access Rights")."""

    MODIFY_STATE = 0x0002
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    SYNCHRONIZE = _SYNCHRONIZE
    ALL_ACCESS = _STANDARD_REQUIRED | _SYNCHRONIZE | 0x3


class MutexAccess(enum.IntFlag):
    """Mutex access rights (winnt.h)."""

    MODIFY_STATE = 0x0001
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    SYNCHRONIZE = _SYNCHRONIZE
    ALL_ACCESS = _STANDARD_REQUIRED | _SYNCHRONIZE | 0x1


class SemaphoreAccess(enum.IntFlag):
    """Semaphore access rights (winnt.h)."""

    MODIFY_STATE = 0x0002
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    SYNCHRONIZE = _SYNCHRONIZE
    ALL_ACCESS = _STANDARD_REQUIRED | _SYNCHRONIZE | 0x3


class TimerAccess(enum.IntFlag):
    """Waitable timer access rights (winnt.h)."""

    QUERY_STATE = 0x0001
    MODIFY_STATE = 0x0002
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    SYNCHRONIZE = _SYNCHRONIZE
    ALL_ACCESS = _STANDARD_REQUIRED | _SYNCHRONIZE | 0x3


class ProcessAccess(enum.IntFlag):
    """Process access rights (winnt.h; "Process Security and Access Rights")."""

    TERMINATE = 0x0001
    CREATE_THREAD = 0x0002
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
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    SYNCHRONIZE = _SYNCHRONIZE
    ALL_ACCESS = _STANDARD_REQUIRED | _SYNCHRONIZE | 0xFFFF


class ThreadAccess(enum.IntFlag):
    """Thread access rights (winnt.h; "Thread Security and Access Rights")."""

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
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    SYNCHRONIZE = _SYNCHRONIZE
    ALL_ACCESS = _STANDARD_REQUIRED | _SYNCHRONIZE | 0xFFFF


class HeapOption(enum.IntFlag):
    """Options of HeapCreate and HeapAlloc (winnt.h)."""

    NO_SERIALIZE = 0x0000_0001
    GENERATE_EXCEPTIONS = 0x0000_0004
    ZERO_MEMORY = 0x0000_0008
    CREATE_ENABLE_EXECUTE = 0x0004_0000
