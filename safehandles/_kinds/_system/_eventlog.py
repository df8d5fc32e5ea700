"""The classic event log: OpenEventLogW / OpenBackupEventLogW (closed by CloseEventLog)
and RegisterEventSourceW (closed by DeregisterEventSource).

Both are handles of the event-log service (RPC context handles), not entries
in the process handle table, and each has its own destroyer: a handle from
``RegisterEventSourceW`` must not go to ``CloseEventLog``, nor the other way
round. All three creators return NULL on failure.

Reading is sequential: each :meth:`EventLog.records` call continues where the
previous read on the same handle stopped, and ends at the end of the log
(``ERROR_HANDLE_EOF``). A record that does not fit the buffer makes
``ReadEventLogW`` fail with ``ERROR_INSUFFICIENT_BUFFER`` and the size it
needs; the buffer is grown and the read repeated.

Under Wine the event log is a stub: every open and register returns the same
fake handle, reports are not recorded and closing always succeeds.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Final

from typing_extensions import Self

from ..._bindings._advapi32._eventlog import (
    EventLogReadFlag,
    EventType,
)
from ..._bindings._constants import DWORD_MAX, WORD_MAX, WinError
from ..._bindings._errors import check_bool, last_error, raise_winerror
from ..._bindings._native import advapi32, ffi
from ..._win32._arguments import bytes_like, file_path, integer, member, object_name, str_sequence
from ..._win32._buffers import Grow, grow_until_it_fits
from ..._win32._catalogue import Entry
from ..._win32._handles import Win32Handle

__all__ = ["EventLog", "EventRecord", "EventSource"]

_WINE = (
    "a stub under Wine (a fake handle, nothing recorded, close always succeeds): creation and calls tested"
)
_HEADER: Final = 56  # sizeof(EVENTLOGRECORD), the fixed part
_EPOCH: Final = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


@dataclass(frozen=True)
class EventRecord:
    """One event-log record."""

    record_number: int
    time_generated: datetime.datetime
    time_written: datetime.datetime
    event_id: int
    event_type: EventType | int
    category: int
    source: str
    computer: str
    strings: list[str]


def _wide_string(raw: bytes, offset: int) -> tuple[str, int]:
    """The NUL-terminated UTF-16 string at *offset*, and the offset after its NUL."""
    end = offset
    while end + 1 < len(raw) and raw[end : end + 2] != b"\0\0":
        end += 2
    return raw[offset:end].decode("utf-16-le", errors="replace"), end + 2


def _parse(raw: bytes) -> EventRecord:
    fields: Any = ffi.cast("EVENTLOGRECORD *", ffi.from_buffer(raw))
    source, after = _wide_string(raw, _HEADER)
    computer, _ = _wide_string(raw, after)
    strings, offset = [], int(fields.StringOffset)
    for _ in range(fields.NumStrings):
        text, offset = _wide_string(raw, offset)
        strings.append(text)
    try:
        event_type: EventType | int = EventType(fields.EventType)
    except ValueError:
        event_type = int(fields.EventType)
    return EventRecord(
        record_number=int(fields.RecordNumber),
        time_generated=_EPOCH + datetime.timedelta(seconds=int(fields.TimeGenerated)),
        time_written=_EPOCH + datetime.timedelta(seconds=int(fields.TimeWritten)),
        event_id=int(fields.EventID),
        event_type=event_type,
        category=int(fields.EventCategory),
        source=source,
        computer=computer,
        strings=strings,
    )


def _server(server: str | None) -> Any:
    checked = object_name(server, "server")
    return ffi.NULL if checked is None else checked


class EventLog(Win32Handle):
    """An event log opened for reading.

    >>> with EventLog.open("Application") as log:
    ...     for record in log.records():
    ...         print(record.record_number, record.source, record.event_id)
    """

    catalogue: ClassVar[Entry] = Entry(
        row="Event log",
        creators=(("OpenEventLogW", "NULL"), ("OpenBackupEventLogW", "NULL")),
        destroyer="`CloseEventLog`",
        ownership="owned",
        wine=_WINE,
    )

    __slots__ = ()
    _destroyer_name: ClassVar[str] = "CloseEventLog"

    @staticmethod
    def _destroy(value: int, /, _close: Callable[[int], int] = advapi32.CloseEventLog) -> int:
        return _close(value)

    @classmethod
    def open(cls, source: str = "Application", *, server: str | None = None) -> Self:
        """Open the log *source* ("Application", "System", ...) on *server* (default: this machine).

        Windows opens the Application log for a log name it does not know.
        """
        name = object_name(source, "source", optional=False)
        if not name:
            raise ValueError("open() needs a log name such as 'Application'")
        machine = _server(server)
        return cls._adopt("OpenEventLogW", lambda: advapi32.OpenEventLogW(machine, name), filename=name)[0]

    @classmethod
    def open_backup(cls, path: str, *, server: str | None = None) -> Self:
        """Open a backup log file made by ``BackupEventLog`` (a missing file: ``FileNotFoundError``)."""
        name = file_path(path)
        machine = _server(server)
        call = lambda: advapi32.OpenBackupEventLogW(machine, name)  # noqa: E731
        return cls._adopt("OpenBackupEventLogW", call, filename=name)[0]

    @property
    def record_count(self) -> int:
        """How many records the log holds (``GetNumberOfEventLogRecords``)."""
        count = ffi.new("DWORD *")
        check_bool(self._call(advapi32.GetNumberOfEventLogRecords, count), "GetNumberOfEventLogRecords")
        return int(count[0])

    @property
    def oldest_record_number(self) -> int:
        """The record number of the oldest record (``GetOldestEventLogRecord``)."""
        number = ffi.new("DWORD *")
        check_bool(self._call(advapi32.GetOldestEventLogRecord, number), "GetOldestEventLogRecord")
        return int(number[0])

    def records(self, *, backwards: bool = False) -> Iterator[EventRecord]:
        """Read records sequentially from where the last read on this handle stopped.

        Oldest first, or newest first with *backwards*.
        """
        direction = EventLogReadFlag.BACKWARDS_READ if backwards else EventLogReadFlag.FORWARDS_READ
        flags = int(EventLogReadFlag.SEQUENTIAL_READ | direction)
        read = ffi.new("DWORD *")
        needed = ffi.new("DWORD *")

        def batch(size: int) -> bytes | Grow | None:
            """The next records that fit in *size* bytes; None at the end of the log."""
            buffer = ffi.new("BYTE[]", size)
            if self._call(advapi32.ReadEventLogW, flags, 0, buffer, size, read, needed):
                return bytes(ffi.buffer(buffer, read[0]))
            error = last_error()
            if error == WinError.HANDLE_EOF:
                return None
            if error == WinError.INSUFFICIENT_BUFFER:  # the next record alone is larger
                return Grow(int(needed[0]))
            raise_winerror("ReadEventLogW", error)

        while True:
            raw = grow_until_it_fits("ReadEventLogW", batch, 4096)
            if raw is None:
                return
            offset = 0
            while offset + _HEADER <= len(raw):
                length = int.from_bytes(raw[offset : offset + 4], "little")
                if length < _HEADER:
                    break
                yield _parse(raw[offset : offset + length])
                offset += length


class EventSource(Win32Handle):
    """A registered event source, for writing events to a log (``RegisterEventSourceW``).

    >>> with EventSource.register("MyApp") as source:
    ...     source.report(["backup finished"], event_type=EventType.INFORMATION, event_id=1)
    """

    catalogue: ClassVar[Entry] = Entry(
        row="Event log",
        creators=(("RegisterEventSourceW", "NULL"),),
        destroyer="`DeregisterEventSource`",
        ownership="owned",
        wine=_WINE,
    )

    __slots__ = ()
    _destroyer_name: ClassVar[str] = "DeregisterEventSource"

    @staticmethod
    def _destroy(value: int, /, _close: Callable[[int], int] = advapi32.DeregisterEventSource) -> int:
        return _close(value)

    @classmethod
    def register(cls, source: str, *, server: str | None = None) -> Self:
        """Register *source* for reporting; events go to the log the source is configured for
        (the Application log for a source that is not configured).
        """
        name = object_name(source, "source", optional=False)
        if not name:
            raise ValueError("register() needs a source name")
        machine = _server(server)
        call = lambda: advapi32.RegisterEventSourceW(machine, name)  # noqa: E731
        return cls._adopt("RegisterEventSourceW", call, filename=name)[0]

    def report(
        self,
        message_strings: Sequence[str],
        *,
        event_type: EventType = EventType.INFORMATION,
        event_id: int = 0,
        category: int = 0,
        data: bytes = b"",
    ) -> None:
        """Write an event with *message_strings* inserted into the source's message (``ReportEventW``)."""
        strings = str_sequence(message_strings, "message_strings")
        if len(strings) > WORD_MAX:
            raise ValueError("at most 65535 message strings")
        kind = member(event_type, EventType, "event_type")
        event = integer(event_id, "event_id", minimum=0, maximum=DWORD_MAX)
        group = integer(category, "category", minimum=0, maximum=WORD_MAX)
        buffer = bytes_like(data)
        raw = buffer if len(buffer) else ffi.NULL
        keep = [ffi.new("WCHAR[]", string) for string in strings]  # alive for the call
        pointers = ffi.new("WCHAR *[]", keep) if keep else ffi.NULL
        array = ffi.cast("const WCHAR **", pointers)
        ok = self._call(
            advapi32.ReportEventW, kind, group, event, ffi.NULL, len(keep), len(buffer), array, raw
        )
        check_bool(ok, "ReportEventW")
