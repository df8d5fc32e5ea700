"""The classic event log against the real OS: OpenEventLogW / OpenBackupEventLogW (CloseEventLog)
and RegisterEventSourceW (DeregisterEventSource).

Event-log handles are not in the handle table; on Windows a closed one is refused
by the event-log service with ERROR_INVALID_HANDLE, which is the evidence used
here. Under Wine the event log is a stub (one fake handle, nothing recorded,
closing always succeeds), so those checks are marked ``wine_differs``.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Callable
from typing import Any

import pytest

import safehandles as sh
from safehandles._bindings._errors import last_error
from safehandles._bindings._native import advapi32, ffi
from tests import probes

pytestmark = pytest.mark.windows

STUB = "the event log is a stub: a fake handle that stays usable after close, nothing recorded"


def _log_is_open(value: int) -> bool:
    count = ffi.new("DWORD *")
    if advapi32.GetNumberOfEventLogRecords(value, count):
        return True
    assert last_error() == 6
    return False


def _source_is_open(value: int) -> bool:
    if advapi32.ReportEventW(value, 4, 0, 0, ffi.NULL, 0, 0, ffi.NULL, ffi.NULL):
        return True
    assert last_error() == 6
    return False


# -- what works under Wine ---------------------------------------------------------------


def test_open_and_count_and_close() -> None:
    log = sh.EventLog.open("Application")
    records = list(log.records())  # under Wine: none, the read ends at once with ERROR_HANDLE_EOF
    assert all(isinstance(record, sh.EventRecord) for record in records)
    assert log.record_count >= len(records)  # events may be added while we read, not removed
    log.close()
    assert log.is_closed
    with pytest.raises(sh.ObjectDisposedError):
        log.record_count  # noqa: B018


def test_register_report_and_deregister() -> None:
    with sh.EventSource.register("safehandles-test") as source:
        source.report(["hello", "world"], event_type=sh.EventType.WARNING, event_id=7, category=1)
        source.report([], data=b"\x01\x02")
    with pytest.raises(sh.ObjectDisposedError):
        source.report(["after close"])


def test_open_backup_of_a_missing_file_raises_file_not_found() -> None:
    path = f"C:\\safehandles-no-such-{uuid.uuid4()}.evt"
    with pytest.raises(FileNotFoundError, match="OpenBackupEventLogW") as caught:
        sh.EventLog.open_backup(path)
    assert probes.winerror(caught.value) == 2
    assert caught.value.filename == path


def test_open_on_an_unreachable_server_fails() -> None:
    with pytest.raises(OSError, match="OpenEventLogW") as caught:
        sh.EventLog.open("Application", server="\\\\safehandles-no-such-host.invalid")
    assert probes.winerror(caught.value) in {53, 1722}  # ERROR_BAD_NETPATH / RPC_S_SERVER_UNAVAILABLE


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: sh.EventLog.open(""), ValueError),
        (lambda: sh.EventLog.open("App\0lication"), ValueError),
        (lambda: sh.EventLog.open_backup(b"x.evt"), TypeError),  # type: ignore[arg-type]
        (lambda: sh.EventSource.register(""), ValueError),
        (lambda: sh.EventSource.register("x", server="\0"), ValueError),
    ],
)
def test_bad_arguments_raise_before_any_handle_is_made(
    call: Callable[[], Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        call()


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"message_strings": "not a list"}, TypeError),
        ({"message_strings": [1]}, TypeError),
        ({"message_strings": ["a\0b"]}, ValueError),
        ({"message_strings": [], "event_type": 3}, ValueError),
        ({"message_strings": [], "event_id": -1}, ValueError),
        ({"message_strings": [], "category": 0x10000}, ValueError),
        ({"message_strings": [], "data": "text"}, TypeError),
    ],
)
def test_bad_report_arguments_raise_before_the_call(kwargs: dict[str, Any], error: type[Exception]) -> None:
    with sh.EventSource.register("safehandles-test") as source, pytest.raises(error):
        source.report(**kwargs)


def test_records_are_parsed_from_the_eventlogrecord_layout() -> None:
    from safehandles._kinds._system._eventlog import _parse

    strings_at = 56 + len("src\0host\0".encode("utf-16-le"))
    body = "src\0host\0".encode("utf-16-le") + "one\0two\0".encode("utf-16-le")
    header: Any = ffi.new("EVENTLOGRECORD *")
    header.Length = 56 + len(body)
    header.RecordNumber = 12
    header.TimeGenerated = 86400
    header.TimeWritten = 86401
    header.EventID = 0x4000_0007
    header.EventType = 2
    header.NumStrings = 2
    header.EventCategory = 5
    header.StringOffset = strings_at
    record = _parse(bytes(ffi.buffer(header)) + body)
    assert record.record_number == 12
    assert record.time_generated.isoformat() == "1970-01-02T00:00:00+00:00"
    assert record.event_id == 0x4000_0007
    assert record.event_type is sh.EventType.WARNING
    assert record.category == 5
    assert (record.source, record.computer, record.strings) == ("src", "host", ["one", "two"])


# -- what Windows does and the Wine stub does not ------------------------------------------


@pytest.mark.wine_differs(STUB)
def test_closed_log_handle_is_refused_by_the_service() -> None:
    log = sh.EventLog.open("Application")
    value = log.dangerous_get_handle()
    assert _log_is_open(value)
    log.close()
    assert not _log_is_open(value)


@pytest.mark.wine_differs(STUB)
def test_dropped_source_and_log_are_closed_by_their_finalizers() -> None:
    log = sh.EventLog.open("Application")
    source = sh.EventSource.register("safehandles-test")
    values = log.dangerous_get_handle(), source.dangerous_get_handle()
    with pytest.warns(ResourceWarning):
        del log, source
        gc.collect()
    assert not _log_is_open(values[0])
    assert not _source_is_open(values[1])


@pytest.mark.wine_differs(STUB)
def test_source_is_deregistered_after_an_exception_in_its_with_block() -> None:
    with pytest.raises(RuntimeError), sh.EventSource.register("safehandles-test") as source:
        value = source.dangerous_get_handle()
        assert _source_is_open(value)
        raise RuntimeError
    assert not _source_is_open(value)


@pytest.mark.wine_differs("RegisterEventSourceW accepts any source name, the Security log's too")
def test_registering_the_security_log_is_denied() -> None:
    with pytest.raises(PermissionError, match="RegisterEventSourceW") as caught:
        sh.EventSource.register("Security").close()
    assert probes.winerror(caught.value) == 5


@pytest.mark.wine_differs(STUB)
def test_a_reported_event_is_read_back() -> None:
    marker = f"safehandles-test-{uuid.uuid4()}"
    with sh.EventSource.register("safehandles-test") as source:
        source.report([marker], event_type=sh.EventType.WARNING, event_id=4242, category=3)
    with sh.EventLog.open("Application") as log:
        assert log.record_count > 0
        for record in log.records(backwards=True):
            if marker in record.strings:
                break
        else:
            pytest.fail("the reported event is not in the Application log")
    assert record.source == "safehandles-test"
    assert record.event_id == 4242
    assert record.event_type is sh.EventType.WARNING
    assert record.category == 3
    assert record.record_number >= 1
    assert record.time_written >= record.time_generated
