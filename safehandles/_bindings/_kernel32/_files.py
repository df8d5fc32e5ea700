"""kernel32.dll, files, find handles and change notifications: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

from .._constants import GenericAccess, NamedIntEnum, NamedIntFlag, StandardAccess
from .._types import CData, WideString

DECLARATIONS = """
/* minwinbase.h. The union of Offset/OffsetHigh and Pointer is spelled as its
   two DWORDs: 8 bytes either way, at offset 16; hEvent at 24; 32 bytes. */
typedef struct _OVERLAPPED {
    ULONG_PTR Internal;
    ULONG_PTR InternalHigh;
    DWORD Offset;
    DWORD OffsetHigh;
    HANDLE hEvent;
} OVERLAPPED;

/* minwinbase.h. Each FILETIME is two DWORDs (4-byte aligned), spelled as
   an array here; 592 bytes in all. */
typedef struct _WIN32_FIND_DATAW {
    DWORD dwFileAttributes;
    DWORD ftCreationTime[2];
    DWORD ftLastAccessTime[2];
    DWORD ftLastWriteTime[2];
    DWORD nFileSizeHigh;
    DWORD nFileSizeLow;
    DWORD dwReserved0;
    DWORD dwReserved1;
    WCHAR cFileName[260];
    WCHAR cAlternateFileName[14];
} WIN32_FIND_DATAW;

HANDLE CreateFileW(const WCHAR *lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                   SECURITY_ATTRIBUTES *lpSecurityAttributes, DWORD dwCreationDisposition,
                   DWORD dwFlagsAndAttributes, HANDLE hTemplateFile);
BOOL DeleteFileW(const WCHAR *lpFileName);
BOOL SetFileInformationByHandle(HANDLE hFile, int FileInformationClass,
                                void *lpFileInformation, DWORD dwBufferSize);
BOOL ReadFile(HANDLE hFile, void *lpBuffer, DWORD nNumberOfBytesToRead,
              DWORD *lpNumberOfBytesRead, OVERLAPPED *lpOverlapped);
BOOL WriteFile(HANDLE hFile, const void *lpBuffer, DWORD nNumberOfBytesToWrite,
               DWORD *lpNumberOfBytesWritten, OVERLAPPED *lpOverlapped);
BOOL SetFilePointerEx(HANDLE hFile, LARGE_INTEGER liDistanceToMove,
                      LARGE_INTEGER *lpNewFilePointer, DWORD dwMoveMethod);
BOOL GetFileSizeEx(HANDLE hFile, LARGE_INTEGER *lpFileSize);
BOOL SetEndOfFile(HANDLE hFile);
BOOL FlushFileBuffers(HANDLE hFile);
BOOL LockFileEx(HANDLE hFile, DWORD dwFlags, DWORD dwReserved, DWORD nNumberOfBytesToLockLow,
                DWORD nNumberOfBytesToLockHigh, OVERLAPPED *lpOverlapped);
BOOL UnlockFileEx(HANDLE hFile, DWORD dwReserved, DWORD nNumberOfBytesToUnlockLow,
                  DWORD nNumberOfBytesToUnlockHigh, OVERLAPPED *lpOverlapped);
DWORD GetFileType(HANDLE hFile);
BOOL CancelIo(HANDLE hFile);
BOOL CancelIoEx(HANDLE hFile, OVERLAPPED *lpOverlapped);
BOOL GetOverlappedResult(HANDLE hFile, OVERLAPPED *lpOverlapped,
                         DWORD *lpNumberOfBytesTransferred, BOOL bWait);
HANDLE FindFirstFileW(const WCHAR *lpFileName, WIN32_FIND_DATAW *lpFindFileData);
BOOL FindNextFileW(HANDLE hFindFile, WIN32_FIND_DATAW *lpFindFileData);
BOOL FindClose(HANDLE hFindFile);
HANDLE FindFirstChangeNotificationW(const WCHAR *lpPathName, BOOL bWatchSubtree,
                                    DWORD dwNotifyFilter);
BOOL FindNextChangeNotification(HANDLE hChangeHandle);
BOOL FindCloseChangeNotification(HANDLE hChangeHandle);
/* winnt.h. One record of ReadDirectoryChangesW's buffer: FileNameLength is in
   bytes, the name is not NUL-terminated, and NextEntryOffset (0 for the last
   record) counts from this record's start. */
typedef struct _FILE_NOTIFY_INFORMATION {
    DWORD NextEntryOffset;
    DWORD Action;
    DWORD FileNameLength;
    WCHAR FileName[1];
} FILE_NOTIFY_INFORMATION;
/* lpCompletionRoutine is always NULL here: spelled void *. */
BOOL ReadDirectoryChangesW(HANDLE hDirectory, void *lpBuffer, DWORD nBufferLength,
                           BOOL bWatchSubtree, DWORD dwNotifyFilter, DWORD *lpBytesReturned,
                           OVERLAPPED *lpOverlapped, void *lpCompletionRoutine);
"""


class Files(Protocol):
    def CreateFileW(
        self,
        lpFileName: WideString,
        dwDesiredAccess: int,
        dwShareMode: int,
        lpSecurityAttributes: CData,
        dwCreationDisposition: int,
        dwFlagsAndAttributes: int,
        hTemplateFile: int,
        /,
    ) -> int: ...
    def DeleteFileW(self, lpFileName: WideString, /) -> int: ...
    def SetFileInformationByHandle(
        self, hFile: int, FileInformationClass: int, lpFileInformation: CData, dwBufferSize: int, /
    ) -> int: ...
    def ReadFile(
        self,
        hFile: int,
        lpBuffer: CData,
        nNumberOfBytesToRead: int,
        lpNumberOfBytesRead: CData,
        lpOverlapped: CData,
        /,
    ) -> int: ...
    def WriteFile(
        self,
        hFile: int,
        lpBuffer: CData,
        nNumberOfBytesToWrite: int,
        lpNumberOfBytesWritten: CData,
        lpOverlapped: CData,
        /,
    ) -> int: ...
    def SetFilePointerEx(
        self, hFile: int, liDistanceToMove: int, lpNewFilePointer: CData, dwMoveMethod: int, /
    ) -> int: ...
    def GetFileSizeEx(self, hFile: int, lpFileSize: CData, /) -> int: ...
    def SetEndOfFile(self, hFile: int, /) -> int: ...
    def FlushFileBuffers(self, hFile: int, /) -> int: ...
    def LockFileEx(
        self,
        hFile: int,
        dwFlags: int,
        dwReserved: int,
        nNumberOfBytesToLockLow: int,
        nNumberOfBytesToLockHigh: int,
        lpOverlapped: CData,
        /,
    ) -> int: ...
    def UnlockFileEx(
        self,
        hFile: int,
        dwReserved: int,
        nNumberOfBytesToUnlockLow: int,
        nNumberOfBytesToUnlockHigh: int,
        lpOverlapped: CData,
        /,
    ) -> int: ...
    def GetFileType(self, hFile: int, /) -> int: ...
    def CancelIo(self, hFile: int, /) -> int: ...
    def CancelIoEx(self, hFile: int, lpOverlapped: CData, /) -> int: ...
    def GetOverlappedResult(
        self, hFile: int, lpOverlapped: CData, lpNumberOfBytesTransferred: CData, bWait: int, /
    ) -> int: ...
    def FindFirstFileW(self, lpFileName: WideString, lpFindFileData: CData, /) -> int: ...
    def FindNextFileW(self, hFindFile: int, lpFindFileData: CData, /) -> int: ...
    def FindClose(self, hFindFile: int, /) -> int: ...
    def FindFirstChangeNotificationW(
        self, lpPathName: WideString, bWatchSubtree: int, dwNotifyFilter: int, /
    ) -> int: ...
    def FindNextChangeNotification(self, hChangeHandle: int, /) -> int: ...
    def FindCloseChangeNotification(self, hChangeHandle: int, /) -> int: ...
    def ReadDirectoryChangesW(
        self,
        hDirectory: int,
        lpBuffer: CData,
        nBufferLength: int,
        bWatchSubtree: int,
        dwNotifyFilter: int,
        lpBytesReturned: CData,
        lpOverlapped: CData,
        lpCompletionRoutine: CData,
        /,
    ) -> int: ...


class FileAccess(NamedIntFlag):
    """File, directory and pipe access rights ("File Access Rights Constants"; winnt.h FILE_*).

    The directory and pipe names share bits with the file ones (``LIST_DIRECTORY``
    is ``READ_DATA``, ``CREATE_PIPE_INSTANCE`` is ``APPEND_DATA``...). ``GENERIC_*``
    are the generic rights CreateFileW is usually given, and ``FILE_GENERIC_*``
    what each of them maps to for files ("File Security and Access Rights").
    """

    READ_DATA = 0x0001
    LIST_DIRECTORY = 0x0001
    WRITE_DATA = 0x0002
    ADD_FILE = 0x0002
    APPEND_DATA = 0x0004
    ADD_SUBDIRECTORY = 0x0004
    CREATE_PIPE_INSTANCE = 0x0004
    READ_EA = 0x0008
    WRITE_EA = 0x0010
    EXECUTE = 0x0020
    TRAVERSE = 0x0020
    DELETE_CHILD = 0x0040
    READ_ATTRIBUTES = 0x0080
    WRITE_ATTRIBUTES = 0x0100
    DELETE = StandardAccess.DELETE.value
    READ_CONTROL = StandardAccess.READ_CONTROL.value
    WRITE_DAC = StandardAccess.WRITE_DAC.value
    WRITE_OWNER = StandardAccess.WRITE_OWNER.value
    SYNCHRONIZE = StandardAccess.SYNCHRONIZE.value
    ALL_ACCESS = StandardAccess.ALL.value | 0x1FF
    FILE_GENERIC_READ = StandardAccess.READ_CONTROL.value | StandardAccess.SYNCHRONIZE.value | 0x0089
    FILE_GENERIC_WRITE = StandardAccess.READ_CONTROL.value | StandardAccess.SYNCHRONIZE.value | 0x0116
    FILE_GENERIC_EXECUTE = StandardAccess.READ_CONTROL.value | StandardAccess.SYNCHRONIZE.value | 0x00A0
    GENERIC_ALL = GenericAccess.ALL.value
    GENERIC_EXECUTE = GenericAccess.EXECUTE.value
    GENERIC_WRITE = GenericAccess.WRITE.value
    GENERIC_READ = GenericAccess.READ.value


class FileShare(NamedIntFlag):
    """Share modes of CreateFileW (winnt.h FILE_SHARE_*): what other opens may do meanwhile."""

    NONE = 0
    READ = 0x1
    WRITE = 0x2
    DELETE = 0x4


class CreationDisposition(NamedIntEnum):
    """What CreateFileW does when the file exists or not (fileapi.h)."""

    CREATE_NEW = 1
    CREATE_ALWAYS = 2
    OPEN_EXISTING = 3
    OPEN_ALWAYS = 4
    TRUNCATE_EXISTING = 5


class FileFlag(NamedIntFlag):
    """FILE_FLAG_* of CreateFileW's dwFlagsAndAttributes (winbase.h)."""

    FIRST_PIPE_INSTANCE = 0x0008_0000
    OPEN_NO_RECALL = 0x0010_0000
    OPEN_REPARSE_POINT = 0x0020_0000
    POSIX_SEMANTICS = 0x0100_0000
    BACKUP_SEMANTICS = 0x0200_0000
    DELETE_ON_CLOSE = 0x0400_0000
    SEQUENTIAL_SCAN = 0x0800_0000
    RANDOM_ACCESS = 0x1000_0000
    NO_BUFFERING = 0x2000_0000
    OVERLAPPED = 0x4000_0000
    WRITE_THROUGH = 0x8000_0000


class FileAttribute(NamedIntFlag):
    """FILE_ATTRIBUTE_* (winnt.h): what FindFirstFileW reports, and what CreateFileW may set."""

    READONLY = 0x0001
    HIDDEN = 0x0002
    SYSTEM = 0x0004
    DIRECTORY = 0x0010
    ARCHIVE = 0x0020
    DEVICE = 0x0040
    NORMAL = 0x0080
    TEMPORARY = 0x0100
    SPARSE_FILE = 0x0200
    REPARSE_POINT = 0x0400
    COMPRESSED = 0x0800
    OFFLINE = 0x1000
    NOT_CONTENT_INDEXED = 0x2000
    ENCRYPTED = 0x4000


class FileType(NamedIntEnum):
    """What GetFileType reports (fileapi.h FILE_TYPE_*)."""

    UNKNOWN = 0x0000
    DISK = 0x0001
    CHAR = 0x0002
    PIPE = 0x0003
    REMOTE = 0x8000


class MoveMethod(NamedIntEnum):
    """SetFilePointerEx's dwMoveMethod (fileapi.h); the same numbers as os.SEEK_*."""

    BEGIN = 0
    CURRENT = 1
    END = 2


class FileInfoClass(NamedIntEnum):
    """FILE_INFO_BY_HANDLE_CLASS values the library uses (minwinbase.h)."""

    FILE_DISPOSITION_INFO = 4


class LockFlag(NamedIntFlag):
    """LockFileEx's flags (minwinbase.h LOCKFILE_*)."""

    FAIL_IMMEDIATELY = 0x1
    EXCLUSIVE_LOCK = 0x2


class ChangeFilter(NamedIntFlag):
    """What a change notification watches for (winnt.h FILE_NOTIFY_CHANGE_*)."""

    FILE_NAME = 0x0001
    DIR_NAME = 0x0002
    ATTRIBUTES = 0x0004
    SIZE = 0x0008
    LAST_WRITE = 0x0010
    LAST_ACCESS = 0x0020
    CREATION = 0x0040
    SECURITY = 0x0100


class FileAction(NamedIntEnum):
    """What ReadDirectoryChangesW says happened to a name (winnt.h FILE_ACTION_*)."""

    ADDED = 1
    REMOVED = 2
    MODIFIED = 3
    RENAMED_OLD_NAME = 4
    RENAMED_NEW_NAME = 5
