"""A print spooler on one asyncio loop: a named-pipe server takes jobs while a watcher reports the spool.

Client processes submit jobs over a message pipe; the server writes each job
to the spool folder and replies. Meanwhile a ``DirectoryWatcher`` reports what
appears there, and a ``shutdown`` request sets a kernel Event that the main
coroutine awaits to stop both. Everything waits through ``await`` (the
server's ``connect_async``/``read_async``/``write_async``, the watcher's
``changes_async``, ``Process.wait_async``, ``wait_any_async``): one thread, no polling.
"""

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import safehandles as sh

PIPE = rf"\\.\pipe\safehandles-example-spooler-{os.getpid()}"

# A client: waits for the single pipe instance to be free, reads it in message mode, submits one job.
# The child imports the same safehandles this program does (the embeddable Python ignores PYTHONPATH).
CLIENT = (
    f"import sys; sys.path[:0] = {sys.path!r}\n"
    + """
import os
import safehandles as sh

with sh.File.open_pipe(sys.argv[1], timeout=30) as pipe:
    pipe.set_read_mode(message=True)  # each read returns one whole reply
    pipe.write(f"print report for {os.getpid()}".encode())
    print(f"client: the spooler replied {pipe.read().decode()!r}", flush=True)
"""
)


async def serve(server: sh.NamedPipeServer, spool: Path, stop: sh.Event) -> None:
    """Answer one client at a time; a ``shutdown`` request sets *stop*."""
    number = 0
    while True:
        await server.connect_async()  # the loop runs on while no client is there
        request = (await server.read_async()).decode()
        if request == "shutdown":
            await server.write_async(b"stopping")
            stop.set()
        else:
            number += 1
            (spool / f"job-{number}.txt").write_text(request)
            print(f"server: job {number}: {request.split(' for ')[0]!r}")
            await server.write_async(f"queued as job {number}".encode())
        while await server.read_async():  # b"" once the client has closed its end
            pass
        server.disconnect()  # the instance is free for the next client


def report(change: sh.DirectoryChange, reported: set[str]) -> None:
    if change.action is sh.ChangeAction.ADDED:
        print(f"watcher: spooled {change.path}")
        reported.add(change.path)


async def watch(watcher: sh.DirectoryWatcher, reported: set[str]) -> None:
    """Report every file that appears in the spool."""
    while True:
        for change in await watcher.changes_async():
            report(change, reported)


def shutdown() -> str:
    """An administrator's request, made from a worker thread with the synchronous client calls."""
    with sh.File.open_pipe(PIPE, timeout=30, message_mode=True) as pipe:
        return pipe.transact(b"shutdown").decode()


async def main_async(spool: Path) -> None:
    with (
        sh.Event.create(manual_reset=True) as stop,
        sh.NamedPipeServer.create(PIPE, message_mode=True, max_instances=1, overlapped=True) as server,
        sh.DirectoryWatcher.open(spool, sh.ChangeFilter.FILE_NAME) as watcher,
    ):
        reported: set[str] = set()
        serving = asyncio.create_task(serve(server, spool, stop))
        watching = asyncio.create_task(watch(watcher, reported))
        children = [
            subprocess.Popen([sys.executable, "-c", CLIENT, PIPE], stdin=subprocess.DEVNULL) for _ in range(2)
        ]
        for child in children:
            with child, sh.Process.from_popen(child) as process:
                await process.wait_async(60)  # the loop keeps serving while we wait
                print("client exited with code", process.exit_code)
        print("admin: the spooler replied", repr(await asyncio.to_thread(shutdown)))

        stopped = await sh.wait_any_async([stop], timeout=30)  # 0: the server set the event
        print("stop event set:", stopped == 0)
        for task in (serving, watching):
            task.cancel()  # cancels the pending connect and the watcher's wait (its read stays armed)
        await asyncio.gather(serving, watching, return_exceptions=True)
        # What the watcher task had not reported yet: its read stayed armed, so nothing is lost.
        # Drained until every spooled file has been reported (a loaded machine may deliver a
        # change late), for at most 10 s.
        deadline = time.monotonic() + 10
        while {path.name for path in spool.iterdir()} - reported and time.monotonic() < deadline:
            for change in await watcher.changes_async(timeout=max(0.0, deadline - time.monotonic())):
                report(change, reported)
        print("spool:", sorted(path.name for path in spool.iterdir()))


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        asyncio.run(main_async(Path(name)))


if __name__ == "__main__":
    # safehandles' own leak check: what the program left open (with where it was created),
    # and what it dropped without closing (closed by finalizers, warned about with ResourceWarning).
    with sh.LeakCheck() as leaks:
        main()
    print("leak check:", leaks)
    sys.exit(0 if leaks.clean else 1)
