"""Starting a process with scoped handle inheritance: CreateProcessW with a handle list.

Windows hands a child every inheritable handle of its parent when
``bInheritHandles`` is TRUE, which leaks handles into every child that
happens to be started at the same time. ``PROC_THREAD_ATTRIBUTE_HANDLE_LIST``
narrows that to an explicit list, but every handle in the list must itself be
inheritable, so making a handle inheritable "just for this child" would still
expose it to any other child created meanwhile.

:func:`spawn` avoids both: the handles you pass need not be inheritable. For
each it makes an inheritable *copy* (``DuplicateHandle``), lists only the
copies, creates the process, and closes the copies at once. The original
handles never change, and a copy exists only for the duration of the
``CreateProcessW`` call. (Code elsewhere in the process that calls
``CreateProcessW`` with blanket inheritance in that very moment could still
receive the copies; Python's ``subprocess`` uses a handle list and does not.)

The child sees a copy at the copy's value, not at the original's, so
:func:`spawn` lets you put the handle wrapper itself into ``args``: it is
replaced by the child's value in decimal. ``Spawned.inherited`` lists the
values too.

Into a job, atomically: a child assigned to a job after it started may have
started a grandchild of its own first, outside the job. With ``job=`` the
child is created suspended (``CREATE_SUSPENDED``), assigned, and only then
resumed, so everything it ever starts is in the job; if the assignment
fails, the child is terminated before it ran a single instruction of its own.

As another user: ``token=`` creates the child with ``CreateProcessAsUserW``
rather than ``CreateProcessWithTokenW``: it takes the same handle list (the
scoped inheritance above holds), and a restricted version of this process's
own token (``AccessToken.restricted()``) needs no privilege, where
``CreateProcessWithTokenW`` needs ``SeImpersonatePrivilege`` and inherits
no handles at all.

Standard streams: a handle (a pipe end, a :class:`File`), or a
:class:`Redirect`: ``PIPE`` makes a new pipe whose parent end becomes
``Spawned.stdin``/``stdout``/``stderr``, ``DEVNULL`` the NUL device,
``STDOUT`` (for stderr) wherever stdout goes. :meth:`Spawned.communicate`
feeds the input and collects both outputs on helper threads, so neither side
can block the other on a full pipe.
"""

from __future__ import annotations

import enum
import os
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any

from typing_extensions import Buffer, Self

from ..._bindings._constants import DWORD_MAX, WinError
from ..._bindings._errors import check_bool, last_error, raise_winerror
from ..._bindings._kernel32._processes import PROC_THREAD_ATTRIBUTE_HANDLE_LIST, CreationFlag, StartupFlag
from ..._bindings._native import advapi32, ffi, kernel32
from ..._bindings._types import CData
from ..._core._safehandle import hold_all
from ..._win32._adoption import adopt_written
from ..._win32._arguments import bytes_like, file_path, integer, milliseconds, sequence, text
from ..._win32._handles import KernelHandle
from .._files._file import File
from .._files._pipe import Pipe, PipeEnd
from .._security._token import AccessToken
from ._job import Job
from ._process import Process
from ._thread import Thread

__all__ = ["Redirect", "Spawned", "spawn"]

#: The exit code of a child ended because it could not be put into its job: it never ran.
_ABANDONED_EXIT_CODE = 1


class Redirect(enum.Enum):
    """Where :func:`spawn` can connect a child's standard stream, besides a handle of yours."""

    #: A new pipe: the child gets one end, :class:`Spawned` keeps the other as
    #: ``stdin`` (write to it), ``stdout`` or ``stderr`` (read from them).
    PIPE = "pipe"
    #: The NUL device: reads see end of file at once, writes are discarded.
    DEVNULL = "devnull"
    #: For *stderr* only: the same handle as the child's stdout (which must be given).
    STDOUT = "stdout"


class Spawned:
    """A started process: its :attr:`process` and main :attr:`thread` handles, and their ids.

    Closing it (or leaving its ``with`` block) closes both handles, and the
    parent's ends of the pipes :func:`spawn` made for ``Redirect.PIPE``; the
    process itself keeps running.
    """

    __slots__ = (
        "_communication",
        "inherited",
        "pid",
        "process",
        "stderr",
        "stdin",
        "stdout",
        "thread",
        "tid",
    )

    def __init__(
        self, process: Process, thread: Thread, pid: int, tid: int, inherited: tuple[int, ...]
    ) -> None:
        #: The new process (all access).
        self.process: Process = process
        #: Its main thread (all access).
        self.thread: Thread = thread
        #: The process id.
        self.pid: int = pid
        #: The main thread's id.
        self.tid: int = tid
        #: The values the inherited handles have in the child, in the order of ``inherit``.
        self.inherited: tuple[int, ...] = inherited
        #: The parent's end of the child's stdin pipe (``stdin=Redirect.PIPE``), else None.
        self.stdin: PipeEnd | None = None
        #: The parent's end of the child's stdout pipe (``stdout=Redirect.PIPE``), else None.
        self.stdout: PipeEnd | None = None
        #: The parent's end of the child's stderr pipe (``stderr=Redirect.PIPE``), else None.
        self.stderr: PipeEnd | None = None
        self._communication: _Communication | None = None

    def close(self) -> None:
        """Close both handles and the parent's pipe ends (the process keeps running)."""
        try:
            for end in (self.stdin, self.stdout, self.stderr):
                if end is not None:
                    end.close()
            self.thread.close()
        finally:
            self.process.close()

    def communicate(self, input: Buffer | None = None, timeout: float | None = None) -> tuple[bytes, bytes]:
        """Send *input* to the child, read its stdout and stderr to the end, wait for it to exit.

        Returns ``(stdout, stderr)``; a stream that is not a ``Redirect.PIPE``
        gives ``b""``. The writing and the reading happen on helper threads,
        so a child that fills one pipe while the parent writes to another
        cannot deadlock. *input* needs ``stdin=Redirect.PIPE``; the stdin pipe
        is closed once it is written (or at once without input), so the child
        sees end of file. A child that exits without reading its input is not
        an error. *timeout* (seconds) raises ``TimeoutError`` if the child has
        not exited and closed its outputs by then; nothing is lost: call
        ``communicate()`` again (after ``process.terminate()``, say) and it
        carries on, returning everything read since the first call (the input
        is the first call's; a later call's is ignored). The pipe ends are
        closed once read to the end.
        """
        if self._communication is None:
            data = None if input is None else ffi.buffer(bytes_like(input, "input"))[:]
            if data is not None and self.stdin is None:
                raise ValueError("communicate(input=...) needs a child spawned with stdin=Redirect.PIPE")
            deadline = _deadline(timeout)
            self._communication = _Communication(self, data)
        else:
            deadline = _deadline(timeout)
        return self._communication.finish(deadline)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Spawned pid={self.pid} tid={self.tid} {self.process!r} {self.thread!r}>"


def _argument(value: object) -> str:
    """One command-line argument: a str or path-like without NUL (it may be empty)."""
    return file_path(value, "each argument", empty=True)


def _environment_block(env: Mapping[str, str]) -> CData:
    if not isinstance(env, Mapping):
        raise TypeError(f"env must be a mapping of str to str, not {type(env).__name__}")
    entries = []
    for key, value in env.items():
        name = text(key, "env name", empty=False)
        if "=" in name[1:]:
            raise ValueError(f"env name must contain no '=' (after its first character): {name!r}")
        entries.append((name, text(value, f"env[{name!r}]")))
    entries.sort(key=lambda entry: entry[0].upper())  # CreateProcessW wants the block sorted
    block = "".join(f"{name}={value}\0" for name, value in entries) + "\0"
    return ffi.new("WCHAR[]", block)


def _check_handle(handle: object, what: str) -> KernelHandle:
    if not isinstance(handle, KernelHandle):
        raise TypeError(f"{what} must be a KernelHandle wrapper, not {type(handle).__name__}")
    return handle


def _check_stream(value: object, what: str) -> KernelHandle | Redirect | None:
    if value is None or isinstance(value, Redirect):
        if value is Redirect.STDOUT and what != "stderr":
            raise ValueError(f"{what}=Redirect.STDOUT: only stderr can go where stdout goes")
        return value
    if not isinstance(value, KernelHandle):
        raise TypeError(
            f"{what} must be a KernelHandle wrapper, a Redirect or None, not {type(value).__name__}"
        )
    return value


def _check_args(items: list[object], handles: list[KernelHandle]) -> None:
    for item in items:
        if isinstance(item, KernelHandle) and not any(item is handle for handle in handles):
            raise ValueError(f"{item!r} is in args but not in inherit")
        if not isinstance(item, KernelHandle):
            _argument(item)


def _check_streams(stdin: object, stdout: object, stderr: object) -> list[KernelHandle | Redirect | None]:
    streams = [
        _check_stream(stdin, "stdin"),
        _check_stream(stdout, "stdout"),
        _check_stream(stderr, "stderr"),
    ]
    if streams[2] is Redirect.STDOUT and streams[1] is None:
        raise ValueError("stderr=Redirect.STDOUT needs a stdout")
    return streams


def spawn(
    args: Sequence[str | os.PathLike[str] | KernelHandle],
    *,
    inherit: Iterable[KernelHandle] = (),
    executable: str | os.PathLike[str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    stdin: KernelHandle | Redirect | None = None,
    stdout: KernelHandle | Redirect | None = None,
    stderr: KernelHandle | Redirect | None = None,
    creation_flags: int = 0,
    suspended: bool = False,
    job: Job | None = None,
    token: AccessToken | None = None,
) -> Spawned:
    """Start a process that inherits exactly the handles in *inherit* (``CreateProcessW``).

    *args* is the argument list, quoted into a command line with
    ``subprocess.list2cmdline``; a handle wrapper in *args* (it must also be
    in *inherit*) becomes the value the child sees it at, in decimal. The
    handles in *inherit* need not be inheritable: each is passed through a
    short-lived inheritable copy, so nothing else ever becomes inheritable.
    *stdin*, *stdout* and *stderr* become the child's standard handles and
    are inherited the same way (any of them given: the others are none):
    a handle (a :class:`PipeEnd`, a :class:`File`...) or a :class:`Redirect`
    (``PIPE``: a new pipe, whose parent end is ``Spawned.stdin``/``stdout``/
    ``stderr``; see :meth:`Spawned.communicate`). *executable* is
    ``lpApplicationName`` (None: found from ``args[0]``), *cwd* the working
    directory, *env* the whole environment (None: this process's),
    *creation_flags* more :class:`CreationFlag` bits.

    ``suspended=True`` leaves the main thread suspended: start it with
    ``spawned.thread.resume()``. *job* puts the child into that :class:`Job`
    before it runs (created suspended, assigned, resumed unless *suspended*),
    so no process it starts escapes the job; the job handle needs
    ``JobAccess.ASSIGN_PROCESS``. *token* runs the child as that token's user
    (``CreateProcessAsUserW``): a primary token with ``TokenAccess.QUERY |
    DUPLICATE | ASSIGN_PRIMARY``, such as ``AccessToken.restricted()`` of
    this process's own token (any other token also needs
    ``SeAssignPrimaryTokenPrivilege``).

    Bad input raises ``TypeError``/``ValueError`` (a closed handle:
    ``ObjectDisposedError``) before anything is created. A failure after the
    child was created (it could not be put into the job) terminates it
    before it ran and closes everything made for it.
    """
    items = sequence(args, "args")
    if not items:
        raise ValueError("args must name at least the program to run")
    handles = [_check_handle(handle, "each inherit item") for handle in sequence(inherit, "inherit")]
    streams = _check_streams(stdin, stdout, stderr)
    if job is not None and not isinstance(job, Job):
        raise TypeError(f"job must be a Job or None, not {type(job).__name__}")
    if token is not None and not isinstance(token, AccessToken):
        raise TypeError(f"token must be an AccessToken or None, not {type(token).__name__}")
    _check_args(items, handles)
    application = None if executable is None else file_path(executable, "executable")
    directory = None if cwd is None else file_path(cwd, "cwd")
    environment = ffi.NULL if env is None else _environment_block(env)
    flags = integer(creation_flags, "creation_flags", minimum=0, maximum=DWORD_MAX)
    flags |= CreationFlag.EXTENDED_STARTUPINFO_PRESENT | CreationFlag.CREATE_UNICODE_ENVIRONMENT
    stay_suspended = bool(suspended) or bool(flags & CreationFlag.CREATE_SUSPENDED)
    if job is not None or stay_suspended:
        flags |= CreationFlag.CREATE_SUSPENDED  # with a job: assigned before its first instruction

    # The child's ends of new pipes (and NUL) are closed once it has its copies; the
    # parent's ends go to the Spawned, or are closed if the spawn fails.
    temporary: list[KernelHandle] = []
    parent: list[PipeEnd | None] = [None, None, None]
    # The job and the token are held throughout: a closed one raises ObjectDisposedError
    # before anything is created, and neither can be closed between creation and assignment.
    with hold_all([held for held in (job, token) if held is not None]):
        try:
            std = _open_streams(streams, temporary, parent)
            spawned = _spawn(items, handles, std, application, directory, environment, flags, token)
        except BaseException:
            for end in parent:
                if end is not None:
                    end.close()
            raise
        finally:
            for handle in temporary:
                handle.close()
        spawned.stdin, spawned.stdout, spawned.stderr = parent
        try:
            if job is not None:
                job.assign(spawned.process)
            if job is not None and not stay_suspended:
                spawned.thread.resume()
        except BaseException:
            _abandon(spawned)
            raise
    return spawned


def _open_streams(
    streams: list[KernelHandle | Redirect | None], temporary: list[KernelHandle], parent: list[PipeEnd | None]
) -> list[KernelHandle | None]:
    """The child's standard handles: the caller's, or new pipes and NUL (listed in *temporary*)."""
    std: list[KernelHandle | None] = []
    for index, stream in enumerate(streams):
        if stream is Redirect.PIPE:
            reader, writer = Pipe.create()
            child, parent[index] = (reader, writer) if index == 0 else (writer, reader)
            temporary.append(child)
            std.append(child)
        elif stream is Redirect.DEVNULL:
            null = File.open("NUL", access="r" if index == 0 else "w")
            temporary.append(null)
            std.append(null)
        elif stream is Redirect.STDOUT:
            std.append(std[1])
        else:
            std.append(stream)
    return std


def _abandon(spawned: Spawned) -> None:
    """End a child that must not run (it is still suspended) and close what was made for it."""
    try:
        spawned.process.terminate(_ABANDONED_EXIT_CODE)
    finally:
        spawned.close()


def _spawn(
    items: list[object],
    handles: list[KernelHandle],
    std: list[KernelHandle | None],
    application: str | None,
    directory: str | None,
    environment: CData,
    flags: int,
    token: AccessToken | None,
) -> Spawned:
    passed = [*handles, *(h for h in std if h is not None)]
    # Every handle passed is held for the whole spawn (ObjectDisposedError for a closed
    # one) and reaches the child through an inheritable copy that is ours alone, owned
    # by a wrapper of its own so that it is closed whatever happens.
    copied: list[KernelHandle] = []
    try:
        with hold_all(passed):
            copied.extend(handle.duplicate(inheritable=True) for handle in passed)
            with hold_all(copied) as copies:
                child_value = {id(handle): copy for handle, copy in zip(handles, copies, strict=False)}
                words = [
                    str(child_value[id(item)]) if isinstance(item, KernelHandle) else _argument(item)
                    for item in items
                ]
                std_values = iter(copies[len(handles) :])
                std_copies = [0 if h is None else next(std_values) for h in std]
                return _create(
                    words,
                    application,
                    directory,
                    environment,
                    flags,
                    copies,
                    std_copies,
                    std,
                    tuple(copies[: len(handles)]),
                    token,
                )
    finally:
        for copy in copied:
            copy.close()


def _create(
    words: list[str],
    application: str | None,
    directory: str | None,
    environment: CData,
    flags: int,
    copies: list[int],
    std_copies: list[int],
    std: list[KernelHandle | None],
    inherited: tuple[int, ...],
    token: AccessToken | None,
) -> Spawned:
    startup: Any = ffi.new("STARTUPINFOEXW *")
    startup.StartupInfo.cb = ffi.sizeof("STARTUPINFOEXW")
    if any(handle is not None for handle in std):
        startup.StartupInfo.dwFlags = StartupFlag.USESTDHANDLES
        startup.StartupInfo.hStdInput, startup.StartupInfo.hStdOutput, startup.StartupInfo.hStdError = (
            std_copies
        )
    command_line = ffi.new("WCHAR[]", subprocess.list2cmdline(words))
    info: Any = ffi.new("PROCESS_INFORMATION *")
    attributes = None
    handle_list = ffi.new("HANDLE[]", copies) if copies else None
    try:
        if handle_list is not None:
            attributes = _attribute_list(handle_list)
            startup.lpAttributeList = attributes
        process, thread = Process(), Thread()
        creator = "CreateProcessW" if token is None else "CreateProcessAsUserW"
        arguments = (
            ffi.NULL if application is None else application,
            command_line,
            ffi.NULL,
            ffi.NULL,
            handle_list is not None,
            flags,
            environment,
            ffi.NULL if directory is None else directory,
            ffi.addressof(startup, "StartupInfo"),
            info,
        )
        call: Callable[[], int]
        if token is None:
            call = lambda: kernel32.CreateProcessW(*arguments)  # noqa: E731
        else:
            call = lambda: token._call(advapi32.CreateProcessAsUserW, *arguments)  # noqa: E731
        try:
            adopt_written(
                creator,
                call,
                lambda: (info.hProcess, info.hThread),
                (process, thread),
                filename=application or words[0],
            )
        except OSError as exc:
            _explain(exc, creator, directory)
            raise
        return Spawned(process, thread, int(info.dwProcessId), int(info.dwThreadId), inherited)
    finally:
        if attributes is not None:
            kernel32.DeleteProcThreadAttributeList(attributes)


def _explain(exc: OSError, creator: str, directory: str | None) -> None:
    """Say what was wrong where Windows' message does not: the directory, the token's rights."""
    error = getattr(exc, "winerror", None)
    if error == WinError.DIRECTORY and directory is not None:
        raise_winerror(creator, WinError.DIRECTORY, directory)
    if creator == "CreateProcessW":
        return
    if error == WinError.ACCESS_DENIED:
        exc.strerror = f"{exc.strerror} (the token needs TokenAccess.QUERY | DUPLICATE | ASSIGN_PRIMARY)"
    elif error == WinError.PRIVILEGE_NOT_HELD:
        exc.strerror = (
            f"{exc.strerror} (a token that is not a restricted version of this process's own needs "
            "SeAssignPrimaryTokenPrivilege)"
        )


def _deadline(timeout: float | None) -> float | None:
    """A ``perf_counter`` deadline for a timeout in seconds (None: none), checked as waits check it."""
    milliseconds(timeout)  # the one check of a timeout: ValueError for NaN or negative
    if timeout is None or timeout == float("inf"):
        return None
    return time.perf_counter() + timeout


class _Communication:
    """What :meth:`Spawned.communicate` started: a writer and readers, and what they read so far.

    It outlives a ``TimeoutError``, so the next call carries on where the
    first stopped; the threads end with the pipes (once the child and its
    children have closed their ends).
    """

    def __init__(self, spawned: Spawned, data: bytes | None) -> None:
        self._spawned = spawned
        #: What each reader read, kept in lists that only their reader thread appends to.
        self._read: tuple[list[bytes], list[bytes]] = ([], [])
        self._errors: list[BaseException] = []
        self._threads: list[threading.Thread] = []
        if spawned.stdin is not None:
            self._start(self._write, spawned.stdin, data or b"")
        for end, chunks in zip((spawned.stdout, spawned.stderr), self._read, strict=True):
            if end is not None:
                self._start(self._drain, end, chunks)

    def _start(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=self._guarded, args=(target, *args), daemon=True)
        thread.start()
        self._threads.append(thread)

    def _guarded(self, target: Callable[..., None], *args: object) -> None:
        try:
            target(*args)
        except BaseException as exc:  # handed to the caller's thread by finish()
            self._errors.append(exc)

    @staticmethod
    def _write(end: PipeEnd, data: bytes) -> None:
        try:
            view = memoryview(data)
            while view:
                view = view[end.write(view) :]
        except BrokenPipeError:
            pass  # the child exited (or closed its stdin) without reading everything: as Popen does
        finally:
            end.close()  # end of file for the child

    @staticmethod
    def _drain(end: PipeEnd, chunks: list[bytes]) -> None:
        try:
            chunks.extend(iter(end.read, b""))
        finally:
            end.close()

    def finish(self, deadline: float | None) -> tuple[bytes, bytes]:
        for thread in self._threads:
            thread.join(None if deadline is None else max(0.0, deadline - time.perf_counter()))
            if thread.is_alive():
                raise TimeoutError(
                    f"the child (pid {self._spawned.pid}) has not closed its output yet; "
                    "call communicate() again to go on waiting (after process.terminate(), say)"
                )
        if self._errors:
            raise self._errors[0]
        remaining = None if deadline is None else max(0.0, deadline - time.perf_counter())
        if not self._spawned.process.wait(remaining):
            raise TimeoutError(f"the child (pid {self._spawned.pid}) has not exited yet")
        return b"".join(self._read[0]), b"".join(self._read[1])


def _attribute_list(handle_list: CData) -> CData:
    """An initialized attribute list holding ``PROC_THREAD_ATTRIBUTE_HANDLE_LIST``; delete it after use."""
    size = ffi.new("SIZE_T *")
    if not kernel32.InitializeProcThreadAttributeList(ffi.NULL, 1, 0, size):
        error = last_error()
        if error != WinError.INSUFFICIENT_BUFFER:
            raise_winerror("InitializeProcThreadAttributeList", error)
    attributes = ffi.new("char[]", int(size[0]))
    check_bool(
        kernel32.InitializeProcThreadAttributeList(attributes, 1, 0, size),
        "InitializeProcThreadAttributeList",
    )
    ok = kernel32.UpdateProcThreadAttribute(
        attributes,
        0,
        PROC_THREAD_ATTRIBUTE_HANDLE_LIST,
        handle_list,
        ffi.sizeof(handle_list),
        ffi.NULL,
        ffi.NULL,
    )
    if not ok:
        error = last_error()
        kernel32.DeleteProcThreadAttributeList(attributes)
        raise_winerror("UpdateProcThreadAttribute", error)
    return attributes
