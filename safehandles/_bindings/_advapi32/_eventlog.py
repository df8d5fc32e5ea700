"""advapi32.dll, the event log: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

from .._constants import NamedIntEnum, NamedIntFlag
from .._types import CData, WideString

DECLARATIONS = """
/* winnt.h: the fixed part of a record ReadEventLogW returns; the source name,
   computer name, user SID, strings and data follow it inside Length bytes. */
typedef struct _EVENTLOGRECORD {
    DWORD Length;
    DWORD Reserved;
    DWORD RecordNumber;
    DWORD TimeGenerated;
    DWORD TimeWritten;
    DWORD EventID;
    WORD EventType;
    WORD NumStrings;
    WORD EventCategory;
    WORD ReservedFlags;
    DWORD ClosingRecordNumber;
    DWORD StringOffset;
    DWORD UserSidLength;
    DWORD UserSidOffset;
    DWORD DataLength;
    DWORD DataOffset;
} EVENTLOGRECORD;

HANDLE OpenEventLogW(const WCHAR *lpUNCServerName, const WCHAR *lpSourceName);
HANDLE OpenBackupEventLogW(const WCHAR *lpUNCServerName, const WCHAR *lpFileName);
BOOL CloseEventLog(HANDLE hEventLog);
HANDLE RegisterEventSourceW(const WCHAR *lpUNCServerName, const WCHAR *lpSourceName);
BOOL DeregisterEventSource(HANDLE hEventLog);
BOOL GetNumberOfEventLogRecords(HANDLE hEventLog, DWORD *NumberOfRecords);
BOOL GetOldestEventLogRecord(HANDLE hEventLog, DWORD *OldestRecord);
BOOL ReadEventLogW(HANDLE hEventLog, DWORD dwReadFlags, DWORD dwRecordOffset, void *lpBuffer,
                   DWORD nNumberOfBytesToRead, DWORD *pnBytesRead,
                   DWORD *pnMinNumberOfBytesNeeded);
BOOL ReportEventW(HANDLE hEventLog, WORD wType, WORD wCategory, DWORD dwEventID, void *lpUserSid,
                  WORD wNumStrings, DWORD dwDataSize, const WCHAR **lpStrings, void *lpRawData);
"""


class EventLog(Protocol):
    def OpenEventLogW(self, lpUNCServerName: WideString, lpSourceName: WideString, /) -> int: ...
    def OpenBackupEventLogW(self, lpUNCServerName: WideString, lpFileName: WideString, /) -> int: ...
    def CloseEventLog(self, hEventLog: int, /) -> int: ...
    def RegisterEventSourceW(self, lpUNCServerName: WideString, lpSourceName: WideString, /) -> int: ...
    def DeregisterEventSource(self, hEventLog: int, /) -> int: ...
    def GetNumberOfEventLogRecords(self, hEventLog: int, NumberOfRecords: CData, /) -> int: ...
    def GetOldestEventLogRecord(self, hEventLog: int, OldestRecord: CData, /) -> int: ...
    def ReadEventLogW(
        self,
        hEventLog: int,
        dwReadFlags: int,
        dwRecordOffset: int,
        lpBuffer: CData,
        nNumberOfBytesToRead: int,
        pnBytesRead: CData,
        pnMinNumberOfBytesNeeded: CData,
        /,
    ) -> int: ...
    def ReportEventW(
        self,
        hEventLog: int,
        wType: int,
        wCategory: int,
        dwEventID: int,
        lpUserSid: CData,
        wNumStrings: int,
        dwDataSize: int,
        lpStrings: CData,
        lpRawData: CData,
        /,
    ) -> int: ...


class EventType(NamedIntEnum):
    """Event types (winnt.h, EVENTLOG_*_TYPE)."""

    SUCCESS = 0x0000
    ERROR = 0x0001
    WARNING = 0x0002
    INFORMATION = 0x0004
    AUDIT_SUCCESS = 0x0008
    AUDIT_FAILURE = 0x0010


class EventLogReadFlag(NamedIntFlag):
    """Flags of ReadEventLogW (winnt.h, EVENTLOG_*_READ)."""

    SEQUENTIAL_READ = 0x0001
    SEEK_READ = 0x0002
    FORWARDS_READ = 0x0004
    BACKWARDS_READ = 0x0008
