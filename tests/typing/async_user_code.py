"""Asynchronous user code as mypy sees it: checked by ``mypy --strict``, never run."""

from __future__ import annotations

import asyncio

from typing_extensions import assert_type

import safehandles as sh


async def awaiting_every_api(path: str) -> None:
    event = sh.Event.create()
    assert_type(await event.wait_async(), bool)
    assert_type(await event.wait_async(timeout=0.5), bool)
    assert_type(await sh.Semaphore.create(0, 1).wait_async(1), bool)
    assert_type(await sh.Process.current().wait_async(), bool)
    assert_type(await sh.wait_any_async([event, sh.WaitableTimer.create()]), "int | None")
    assert_type(await sh.wait_any_async([event], timeout=2), "int | None")

    with sh.NamedPipeServer.create(r"\\.\pipe\typed", overlapped=True) as server:
        assert_type(await server.connect_async(), None)
        assert_type(await server.read_async(), bytes)
        assert_type(await server.read_async(1024), bytes)
        assert_type(await server.write_async(b"reply"), int)
        assert_type(await server.write_async(bytearray(4)), int)
    with sh.File.open(path, access="rw", overlapped=True) as file:
        assert_type(await file.read_async(16, offset=0), bytes)
        assert_type(await file.write_async(memoryview(b"x"), offset=8), int)
        assert_type(file.position, int)
        file.position = 0

    with sh.DirectoryWatcher.open(path) as watcher:
        assert_type(await watcher.changes_async(), "list[sh.DirectoryChange]")
        assert_type(await watcher.changes_async(timeout=1), "list[sh.DirectoryChange]")

    await server.read_async(size="10")  # type: ignore[arg-type]
    await file.write_async("text")  # type: ignore[arg-type]
    await sh.wait_any_async(event)  # type: ignore[arg-type]
    await server.read_async(16, 0)  # type: ignore[call-arg]


def run() -> None:
    asyncio.run(awaiting_every_api("x"))
