"""User code as mypy sees it: checked by ``mypy --strict`` for win32 and linux, never run.

``assert_type`` pins what the public API returns; each ``type: ignore[code]``
is a mistake mypy must catch (mypy --strict reports an ignore that is not needed).
"""

from __future__ import annotations

from typing_extensions import assert_type

import safehandles as sh


def readme_example() -> None:
    with sh.Event.create(manual_reset=True) as ready, sh.Mutex.create(name=r"Local\job-42") as lock:
        assert_type(ready, sh.Event)
        assert_type(lock, sh.Mutex)
        assert_type(lock.created_new, bool)
        ready.set()
        assert_type(ready.wait(timeout=1.5), bool)


def kinds() -> None:
    assert_type(sh.Semaphore.create(0, 2).release(), int)
    assert_type(sh.Mutex.open("x").acquire(timeout=1), sh.Acquired)
    assert_type(sh.Process.current().exit_code, "int | None")
    assert_type(sh.Process.open(4, access=sh.ProcessAccess.TERMINATE).pid, int)
    assert_type(sh.Thread.current().tid, int)
    assert_type(sh.Heap.create().alloc(16), int)
    assert_type(sh.wait_any([sh.Event.create(), sh.WaitableTimer.create()]), "int | None")
    assert_type(sh.wait_all([sh.Semaphore.create(0, 1)], timeout=None), bool)
    assert_type(sh.Event.from_raw(0x1A4, owns_handle=False), sh.Event)
    assert_type(sh.Event.create().detach(), int)
    assert_type(sh.AbandonedMutexError("abandoned").index, "int | None")
    assert_type(sh.File.open("x").peek(), int)
    assert_type(sh.NamedPipeServer.create(r"\\.\pipe\x").peek(), int)


def watchers_and_pipe_clients() -> None:
    with sh.DirectoryWatcher.open("x", sh.ChangeFilter.FILE_NAME, subtree=True) as watcher:
        for change in watcher.changes(timeout=1):
            assert_type(change, sh.DirectoryChange)
            assert_type(change.action, sh.ChangeAction)
            assert_type(change.path, str)
            assert_type(change.old_path, "str | None")
    sh.DirectoryWatcher.open(b"x")  # type: ignore[arg-type]
    with sh.File.open_pipe(r"\\.\pipe\x", timeout=5, message_mode=True) as client:
        assert_type(client, sh.File)
        assert_type(client.transact(b"request"), bytes)
        client.set_read_mode(message=False)
        client.set_read_mode(False)  # type: ignore[call-arg]
    with sh.NamedPipeServer.create(r"\\.\pipe\x") as server:
        assert_type(server.client_process_id(), int)
        with server.impersonate_client() as nothing:
            assert_type(nothing, None)


def jobs_heaps_and_least_access() -> None:
    job = sh.Job.create()
    assert_type(job.limits, sh.JobLimits)
    assert_type(job.limits.active_processes, "int | None")
    assert_type(job.process_ids(), list[int])
    assert_type(job.cpu_rate, "float | None")
    assert_type(job.ui_restrictions, sh.JobUiLimit)
    port = sh.IoCompletionPort.create()
    job.set_completion_port(port, key=7)
    packet = port.get(timeout=1)
    if packet is not None:
        assert_type(sh.JobNotification.from_status(packet).message, sh.JobMessage)
        assert_type(sh.JobNotification.from_status(packet).pid, "int | None")
    heap = sh.Heap.create()
    assert_type(heap.realloc(heap.alloc(16, zero=True), 32, in_place=True), int)
    assert_type(heap.validate(), bool)
    assert_type(sh.Mutex.create(name="x", access=sh.MutexAccess.SYNCHRONIZE), sh.Mutex)
    sh.File.delete("x")
    job.set_limits(sh.JobLimits(active_processes="4"))  # type: ignore[arg-type]


def duplicates() -> None:
    event = sh.Event.create()
    assert_type(event.duplicate(), sh.Event)
    assert_type(event.duplicate(access=sh.EventAccess.SYNCHRONIZE, inheritable=True), sh.Event)
    assert_type(sh.File.open("x").duplicate(), sh.File)
    target = sh.Process.open(4, access=sh.ProcessAccess.DUP_HANDLE)
    assert_type(event.duplicate(target_process=target), int)
    assert_type(sh.RegistryKey.HKEY_CURRENT_USER.duplicate(target_process=target), int)


def core() -> None:
    class Mine(sh.SafeHandleZeroOrMinusOneIsInvalid):
        def release_handle(self) -> bool:
            return True

    handle = Mine(owns_handle=True)
    with handle.borrow() as value:
        assert_type(value, int)
    assert_type(handle.is_closed, bool)
    try:
        handle.dangerous_add_ref()
    except sh.ObjectDisposedError as exc:
        assert_type(exc, sh.ObjectDisposedError)


def mistakes_mypy_catches() -> None:
    sh.Event.create(True)  # type: ignore[call-arg]
    sh.Event.create(timeout=1)  # type: ignore[call-arg]
    sh.Event.create().wait("1s")  # type: ignore[arg-type]
    sh.Semaphore.create("0", 1)  # type: ignore[arg-type]
    sh.Event.from_raw(4)  # type: ignore[call-arg]
    sh.wait_any([4])  # type: ignore[list-item]
    sh.Event.create().duplicate(target_process=4)  # type: ignore[call-overload]
    sh.Mailslot.create("x").peek()  # type: ignore[attr-defined]
    sh.SafeHandle(0, True)  # type: ignore[abstract]


def stdlib_handovers() -> None:
    import ctypes
    import selectors
    import socket
    import subprocess
    from typing import IO, Any

    sock = sh.Socket.create()
    address = sock.getsockname()
    assert_type(address, sh.SocketAddress)
    assert_type(address.host, str)
    assert_type(address.port, int)
    socket.create_connection(sock.getpeername())  # the stdlib's socket functions take it
    socket.socket().connect(address)
    ipv4: tuple[str, int] = address  # and unpacks as one
    assert_type(ipv4, tuple[str, int])
    assert_type(sock.recvfrom(10), tuple[bytes, sh.SocketAddress])
    assert_type(sock.getsockopt(sh.SocketOptionLevel.SOCKET, sh.SocketOption.TYPE), int)
    assert_type(sock.getsockopt(sh.SocketOptionLevel.SOCKET, sh.SocketOption.LINGER, 4), bytes)
    assert_type(sock.gettimeout(), "float | None")
    selectors.DefaultSelector().register(sock, selectors.EVENT_READ)
    assert_type(sock.share(4), bytes)
    assert_type(sh.Socket.from_share(b""), sh.Socket)
    reader, writer = sh.Pipe.create()
    child = subprocess.Popen(["child"], stdout=writer.fileno(), stdin=reader.fileno())
    assert_type(sh.Process.from_popen(child), sh.Process)
    assert_type(writer.to_python_file("wb"), IO[Any])
    assert_type(sh.Event.from_raw(ctypes.c_void_p(4), owns_handle=False), sh.Event)
    sh.Event.from_raw(4.0, owns_handle=False)  # type: ignore[arg-type]
    sh.Event.from_raw("4", owns_handle=False)  # type: ignore[arg-type]
    sh.Process.from_popen(4)  # type: ignore[arg-type]


def processes_and_threads() -> None:
    sleep = sh.Module.find("kernel32.dll").symbol("Sleep")
    assert_type(sh.Thread.create(sleep, 1000, suspended=True).resume(), int)
    assert_type(sh.Thread.create_remote(sh.Process.current(), sleep).suspend(), int)
    sh.Thread.create(print)  # type: ignore[arg-type]
    assert_type(sh.Process.current().image_path, str)
    pipe = sh.Redirect.PIPE
    with sh.Job.create() as job, sh.AccessToken.open_process() as token:
        child = sh.spawn(["child"], stdin=pipe, stdout=pipe, stderr=sh.Redirect.STDOUT, job=job, token=token)
        assert_type(child.stdout, "sh.PipeEnd | None")
        assert_type(child.communicate(b"input", timeout=5), tuple[bytes, bytes])
        assert_type(sh.Process.spawn(["child"], suspended=True, stdout=sh.Redirect.DEVNULL), sh.Spawned)
        sh.spawn(["child"], stdout=-1)  # type: ignore[arg-type]
        sh.spawn(["child"], job=token)  # type: ignore[arg-type]


def hot_loop() -> None:
    from safehandles import native

    with sh.Heap.create() as heap, heap.borrow() as value:
        assert_type(value, int)
        block = native.kernel32.HeapAlloc(value, 0, 64)
        assert_type(block, int)
        assert_type(native.kernel32.HeapFree(value, 0, block), int)
        assert_type(native.last_error(), int)
        native.kernel32.HeapAlloc(value, 0)  # type: ignore[call-arg]
