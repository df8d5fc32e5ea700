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
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any

from typing_extensions import Self

from ..._bindings._constants import DWORD_MAX, WinError
from ..._bindings._errors import check_bool, last_error, raise_winerror
from ..._bindings._kernel32._processes import PROC_THREAD_ATTRIBUTE_HANDLE_LIST, CreationFlag, StartupFlag
from ..._bindings._native import ffi, kernel32
from ..._bindings._types import CData
from ..._core._safehandle import hold_all
from ..._win32._adoption import adopt_written
from ..._win32._arguments import file_path, integer, sequence, text
from ..._win32._handles import KernelHandle
from ._process import Process
from ._thread import Thread

__all__ = ["Spawned", "spawn"]


class Spawned:
    """A started process: its :attr:`process` and main :attr:`thread` handles, and their ids.

    Closing it (or leaving its ``with`` block) closes both handles; the
    process itself keeps running.
    """

    __slots__ = ("inherited", "pid", "process", "thread", "tid")

    def __init__(
        self, process: Process, thread: Thread, pid: int, tid: int, inherited: tuple[int, ...]
    ) -> None:
        #: The new process (all access).
        self.process = process
        #: Its main thread (all access).
        self.thread = thread
        #: The process id.
        self.pid = pid
        #: The main thread's id.
        self.tid = tid
        #: The values the inherited handles have in the child, in the order of ``inherit``.
        self.inherited = inherited

    def close(self) -> None:
        """Close both handles (the process keeps running)."""
        try:
            self.thread.close()
        finally:
            self.process.close()

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


def spawn(
    args: Sequence[str | os.PathLike[str] | KernelHandle],
    *,
    inherit: Iterable[KernelHandle] = (),
    executable: str | os.PathLike[str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    stdin: KernelHandle | None = None,
    stdout: KernelHandle | None = None,
    stderr: KernelHandle | None = None,
    creation_flags: int = 0,
) -> Spawned:
    """Start a process that inherits exactly the handles in *inherit* (``CreateProcessW``).

    *args* is the argument list, quoted into a command line with
    ``subprocess.list2cmdline``; a handle wrapper in *args* (it must also be
    in *inherit*) becomes the value the child sees it at, in decimal. The
    handles in *inherit* need not be inheritable: each is passed through a
    short-lived inheritable copy, so nothing else ever becomes inheritable.
    *stdin*, *stdout* and *stderr* become the child's standard handles and
    are inherited the same way (any of them given: the others are none).
    *executable* is ``lpApplicationName`` (None: found from ``args[0]``),
    *cwd* the working directory, *env* the whole environment (None: this
    process's), *creation_flags* more :class:`CreationFlag` bits.

    Bad input raises ``TypeError``/``ValueError`` (a closed handle:
    ``ObjectDisposedError``) before anything is created.
    """
    items = sequence(args, "args")
    if not items:
        raise ValueError("args must name at least the program to run")
    handles = [_check_handle(handle, "each inherit item") for handle in sequence(inherit, "inherit")]
    std = [
        None if h is None else _check_handle(h, name)
        for h, name in ((stdin, "stdin"), (stdout, "stdout"), (stderr, "stderr"))
    ]
    for item in items:
        if isinstance(item, KernelHandle) and not any(item is handle for handle in handles):
            raise ValueError(f"{item!r} is in args but not in inherit")
        if not isinstance(item, KernelHandle):
            _argument(item)
    application = None if executable is None else file_path(executable, "executable")
    directory = None if cwd is None else file_path(cwd, "cwd")
    environment = ffi.NULL if env is None else _environment_block(env)
    flags = integer(creation_flags, "creation_flags", minimum=0, maximum=DWORD_MAX)
    flags |= CreationFlag.EXTENDED_STARTUPINFO_PRESENT | CreationFlag.CREATE_UNICODE_ENVIRONMENT

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
        try:
            adopt_written(
                "CreateProcessW",
                lambda: kernel32.CreateProcessW(
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
                ),
                lambda: (info.hProcess, info.hThread),
                (process, thread),
                filename=application or words[0],
            )
        except OSError as exc:
            # Name what was wrong: the directory, when Windows says a directory is.
            if getattr(exc, "winerror", None) == WinError.DIRECTORY and directory is not None:
                raise_winerror("CreateProcessW", WinError.DIRECTORY, directory)
            raise
        return Spawned(process, thread, int(info.dwProcessId), int(info.dwThreadId), inherited)
    finally:
        if attributes is not None:
            kernel32.DeleteProcThreadAttributeList(attributes)


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
