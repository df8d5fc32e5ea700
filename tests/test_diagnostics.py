"""Diagnostics against the real OS: counts, the census by type, handle lists, the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import safehandles as sh
from safehandles._cli import main
from tests import probes
from tests.children import python_code

pytestmark = pytest.mark.windows

ON_SIGNAL_OPEN_EVENTS = """
import sys, time
import safehandles as sh
go = sh.Event.open(sys.argv[1])
print("ready", flush=True)
go.wait(60)
events = [sh.Event.create() for _ in range(int(sys.argv[2]))]
print("done", flush=True)
time.sleep(60)
"""

LEAK_STEADILY = """
import time
import safehandles as sh
leaked = []
print("ready", flush=True)
for _ in range(400):
    leaked.append(sh.Event.create())
    time.sleep(0.02)
"""

STAY_STEADY = """
import time
print("ready", flush=True)
time.sleep(60)
"""


def _child(code: str, *args: str) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", python_code(code), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    return child


@pytest.fixture
def stop_children() -> Iterator[list[subprocess.Popen[str]]]:
    children: list[subprocess.Popen[str]] = []
    yield children
    for child in children:
        child.kill()
        child.wait()
        if child.stdout is not None:
            child.stdout.close()


def test_census_of_this_process_counts_its_events() -> None:
    before = sh.handle_census()
    events = [sh.Event.create() for _ in range(7)]
    try:
        assert sh.handle_census()["Event"] == before["Event"] + 7
    finally:
        for event in events:
            event.close()
    assert sh.handle_census()["Event"] == before["Event"]


def test_the_table_columns_match_the_entries_read_one_by_one() -> None:
    from safehandles._bindings._native import ffi
    from safehandles._diagnostics import _census

    with sh.Event.create() as plain, sh.Mutex.create(inheritable=True) as inherited:
        plain.protect_from_close = True
        buffer = _census._query(_census._SYSTEM_EXTENDED_HANDLE_INFORMATION)
        table = _census._Table(buffer)
        header: Any = ffi.cast("SYSTEM_HANDLE_INFORMATION_EX *", buffer)
        entries, count = header.Handles, int(header.NumberOfHandles)
        one_by_one = [
            (
                int(entries[i].UniqueProcessId),
                int(entries[i].HandleValue),
                int(entries[i].ObjectTypeIndex),
                int(entries[i].GrantedAccess),
                int(entries[i].HandleAttributes),
            )
            for i in range(count)
        ]
        fields = (table.pids, table.values, table.type_indices, table.access, table.attributes)
        columns = list(zip(*fields, strict=True))
        assert columns == one_by_one
        mine = {table.values[row]: table.attributes[row] for row in table.rows_of(os.getpid())}
        assert mine[plain.dangerous_get_handle()] & 0x1  # OBJ_PROTECT_CLOSE
        assert mine[inherited.dangerous_get_handle()] & 0x2  # OBJ_INHERIT
        plain.protect_from_close = False


def test_census_counts_what_list_handles_lists() -> None:
    with sh.Event.create(), sh.Semaphore.create(0, 2):
        census = sh.handle_census()
        listed = Counter(handle.type_name for handle in sh.list_handles())
    assert census["Event"] >= 1
    assert census["Semaphore"] >= 1
    assert census.keys() == listed.keys()  # the same table, read twice: only counts may move
    assert abs(census.total() - listed.total()) <= 4


def test_list_handles_gives_value_type_access_and_flags() -> None:
    with sh.Event.create() as plain, sh.Mutex.create(inheritable=True) as inherited:
        plain.protect_from_close = True
        by_value = {handle.value: handle for handle in sh.list_handles()}
        mine = by_value[plain.dangerous_get_handle()]
        assert mine.type_name == "Event"
        assert mine.granted_access == sh.EventAccess.ALL_ACCESS
        assert (mine.inheritable, mine.protect_from_close) == (False, True)
        other = by_value[inherited.dangerous_get_handle()]
        assert (other.type_name, other.inheritable) == ("Mutant", True)
        assert probes.open_handles() <= set(by_value)  # the same table the probe reads
        plain.protect_from_close = False


def test_census_of_a_child_that_opens_n_events(stop_children: list[subprocess.Popen[str]]) -> None:
    name = f"Local\\safehandles-go-{uuid.uuid4()}"
    with sh.Event.create(name=name, manual_reset=True) as go:
        child = _child(ON_SIGNAL_OPEN_EVENTS, name, "25")
        stop_children.append(child)
        before = sh.handle_census(child.pid)
        go.set()
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "done"
        after = sh.handle_census(child.pid)
    assert after["Event"] - before["Event"] == 25


def test_census_of_a_missing_process_is_a_process_lookup_error() -> None:
    with pytest.raises(ProcessLookupError, match="no process"):
        sh.handle_census(0xFFFF_FFF0)


def test_process_handle_count_accepts_none_a_pid_or_a_process() -> None:
    with sh.Process.open(os.getpid()) as me:  # opened first: all three see the same table
        counts = {
            sh.process_handle_count(),
            sh.process_handle_count(os.getpid()),
            sh.process_handle_count(me),
        }
    assert len(counts) == 1
    with pytest.raises(TypeError):
        sh.process_handle_count("me")  # type: ignore[arg-type]
    with pytest.raises(OSError, match="OpenProcess"):
        sh.process_handle_count(0xFFFF_FFF0)


@pytest.mark.wine_differs("GetProcessHandleCount succeeds but always reports 0")
def test_process_handle_count_follows_the_handle_table() -> None:
    events = [sh.Event.create() for _ in range(10)]
    try:
        assert sh.process_handle_count() == len(probes.open_handles())
    finally:
        for event in events:
            event.close()


# -- the command line ----------------------------------------------------------------


def test_census_command_prints_a_sorted_table_with_the_total(capsys: pytest.CaptureFixture[str]) -> None:
    with sh.Event.create():
        assert main(["census"]) == 0
    lines = capsys.readouterr().out.splitlines()
    counts = [int(line.split()[-1].replace(",", "")) for line in lines[:-1]]
    assert counts == sorted(counts, reverse=True)
    assert lines[-1].startswith("Total")
    assert int(lines[-1].split()[-1].replace(",", "")) == sum(counts)
    assert any(line.startswith("Event") for line in lines)


def test_census_command_json_for_another_process(
    capsys: pytest.CaptureFixture[str], stop_children: list[subprocess.Popen[str]]
) -> None:
    child = _child(STAY_STEADY)
    stop_children.append(child)
    assert main(["census", "--pid", str(child.pid), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["pid"] == child.pid
    assert report["total"] == sum(report["types"].values()) > 0


def test_commands_report_a_missing_process_clearly(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["census", "--pid", str(0xFFFF_FFF0)]) == 3
    assert "no process with id" in capsys.readouterr().err
    assert main(["watch", "--pid", str(0xFFFF_FFF0), "--duration", "1"]) == 3


def test_watch_fails_on_a_child_that_leaks_steadily(
    capsys: pytest.CaptureFixture[str], stop_children: list[subprocess.Popen[str]], tmp_path: Path
) -> None:
    child = _child(LEAK_STEADILY)
    stop_children.append(child)
    chart = tmp_path / "growth.svg"
    args = ["watch", "--pid", str(child.pid), "--interval", "0.2", "--duration", "2", "--threshold", "10"]
    assert main([*args, "--csv", "--svg", str(chart)]) == 1
    captured = capsys.readouterr()
    rows = captured.out.splitlines()
    header = rows[0].split(",")
    assert header[:2] == ["seconds", "total"]
    event = header.index("Event")
    counts = [int(row.split(",")[event]) for row in rows[1:]]
    assert counts[-1] - counts[0] > 10
    assert "Event" in captured.err
    assert "grew past the threshold" in captured.err
    svg = chart.read_text()
    assert svg.startswith("<svg")
    assert "<polyline" in svg
    assert "Event" in svg


def test_watch_passes_a_steady_child(
    capsys: pytest.CaptureFixture[str], stop_children: list[subprocess.Popen[str]]
) -> None:
    child = _child(STAY_STEADY)
    stop_children.append(child)
    args = ["watch", "--pid", str(child.pid), "--interval", "0.2", "--duration", "1.5", "--json"]
    assert main(args) == 0
    samples = json.loads(capsys.readouterr().out)
    assert len(samples) >= 4
    assert all(sample["total"] == samples[0]["total"] for sample in samples)
