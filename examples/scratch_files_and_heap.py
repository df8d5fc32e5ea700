"""Collect records in a private heap, spill them to a self-deleting scratch file, clean up a report.

A batch job that gathers many small records wants them in one growing
buffer it owns: a private heap (``Heap.create``) whose block starts
zero-filled (``alloc(zero=True)``: the unused tail is NUL bytes, so the
buffer is always a terminated string), grows with ``realloc`` (which keeps
what was written) and is checked with ``validate`` before it is trusted.
Destroying the heap frees everything in it, even a block a bug forgot.

The records then go to a scratch file marked ``delete_when_closed()`` the
moment it is opened: however the script ends, even by an exception, the
file is gone once its handle closes. The summary goes to a report that a
consumer reads; ``File.delete`` removes it afterwards (and a second delete
says ``FileNotFoundError``, with the path).
"""

import ctypes
import os
import sys
import tempfile

import safehandles as sh

RECORDS = 400
NAME = "records.tmp"  # the scratch file's name


def collect(heap: sh.Heap) -> bytes:
    """Append RECORDS lines to one heap block, doubling it when full; return its contents."""
    capacity, used, grown = 256, 0, 0
    block = heap.alloc(capacity, zero=True)
    for number in range(RECORDS):
        record = f"record {number:04d}: temperature {20 + number % 7} C\n".encode()
        if used + len(record) + 1 > capacity:  # + 1: keep a NUL after the last record
            capacity *= 2
            # realloc keeps the contents (the address may change); zero=True zeroes the new part.
            block = heap.realloc(block, capacity, zero=True)
            grown += 1
        ctypes.memmove(block + used, record, len(record))
        used += len(record)
    print(f"buffer: {used} bytes in a {heap.size(block)}-byte block, grown {grown} times")
    # A write past the block's end would show here (False) before the data is used.
    print("heap and block intact:", heap.validate() and heap.validate(block))
    print("terminated by zeros:", ctypes.string_at(block + used, capacity - used) == bytes(capacity - used))
    data = ctypes.string_at(block, used)
    heap.free(block)
    return data


def spill(directory: str, data: bytes) -> None:
    """Write *data* to a scratch file that deletes itself when closed, and read it back."""
    path = os.path.join(directory, NAME)
    access = sh.FileAccess.GENERIC_READ | sh.FileAccess.GENERIC_WRITE | sh.FileAccess.DELETE
    with sh.File.open(path, access=access, disposition=sh.CreationDisposition.CREATE_ALWAYS) as scratch:
        scratch.delete_when_closed()  # first thing: from now on no exit leaves it behind
        scratch.write(data)
        scratch.seek(0)
        back = b""
        while chunk := scratch.read():
            back += chunk
        # Marked, not yet deleted: its name stays in the directory while the handle is open.
        listed = NAME in os.listdir(directory)
        print("scratch file read back whole:", back == data, "- listed while open:", listed)
    print("scratch file gone after close:", NAME not in os.listdir(directory))


def report(directory: str, data: bytes) -> None:
    """Write a summary for a consumer, then remove it with File.delete."""
    path = os.path.join(directory, "report.txt")
    with sh.File.open(path, access="w", disposition=sh.CreationDisposition.CREATE_ALWAYS) as out:
        lines = data.count(b"\n")
        out.write(f"{lines} records, {len(data)} bytes\n".encode())
    with sh.File.open(path) as consumer:  # the consumer reads it, and closes it
        print("report:", consumer.read().decode().strip())
    sh.File.delete(path)  # nobody has it open: gone at once
    print("report deleted:", not os.path.exists(path))
    try:
        sh.File.delete(path)
    except FileNotFoundError as exc:
        print("deleting it again:", type(exc).__name__, "naming the path:", exc.filename == path)


def main() -> None:
    directory = tempfile.mkdtemp(prefix="safehandles-example-")
    try:
        with sh.Heap.create() as heap:
            data = collect(heap)
        spill(directory, data)
        report(directory, data)
    finally:
        os.rmdir(directory)  # fails (and says so) if any scratch file were left


if __name__ == "__main__":
    # safehandles' own leak check: what the program left open (with where it was created),
    # and what it dropped without closing (closed by finalizers, warned about with ResourceWarning).
    with sh.LeakCheck() as leaks:
        main()
    print("leak check:", leaks)
    sys.exit(0 if leaks.clean else 1)
