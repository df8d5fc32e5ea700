"""Process handles: OpenProcess or the current-process pseudo-handle.

``GetCurrentProcess()`` returns -1, the value the usual zero-or-minus-one
convention reads as invalid. A process handle therefore treats only NULL as
"no handle" (as WIL and Rust do), so the pseudo-handle is a valid, borrowed
handle that is never closed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from typing_extensions import Self

from ..._bindings._constants import CURRENT_PROCESS, DWORD_MAX, ProcessAccess, WinError
from ..._bindings._errors import check_bool, last_error, raise_winerror
from ..._bindings._kernel32._processes import ProcessNameFormat
from ..._bindings._native import ffi, kernel32
from ..._core._errors import UnsupportedPlatformError
from ..._win32._arguments import integer
from ..._win32._buffers import Grow, grow_until_it_fits
from ..._win32._catalogue import Entry
from ..._win32._handles import WaitableHandle

if TYPE_CHECKING:
    import os
    import subprocess

    from ..._win32._handles import KernelHandle
    from .._security._token import AccessToken
    from ._job import Job
    from ._spawn import Redirect, Spawned

__all__ = ["Process"]

_MAX_PATH = 260  # the first buffer; a longer path grows it


class Process(WaitableHandle):
    """A handle to a process."""

    catalogue: ClassVar[Entry] = Entry(
        row="Process",
        creators=(
            ("OpenProcess", "NULL"),
            ("GetCurrentProcess", "cannot fail: -1"),
            ("CreateProcessW", "FALSE; returns the main `Thread` too"),
            ("CreateProcessAsUserW", "FALSE; `spawn(token=...)`"),
        ),
        destroyer="`CloseHandle`",
        ownership="owned; borrowed from `GetCurrentProcess` and `from_popen`",
        wine="tested, but `GetProcessHandleCount` reports 0 under Wine",
    )
    _rights = ProcessAccess
    _object_type = "Process"
    _pseudo_handles: ClassVar[frozenset[int]] = frozenset({CURRENT_PROCESS})

    __slots__ = ("_lender",)

    def __init__(self, *, owns_handle: bool = True) -> None:
        super().__init__(owns_handle=owns_handle)
        # What lent a borrowed handle, kept alive while this wrapper is: a Popen's
        # handle object closes its handle when it is collected.
        self._lender: object = None

    @property
    def is_invalid(self) -> bool:
        return self._value == 0

    @classmethod
    def current(cls) -> Self:
        """The calling process, through its pseudo-handle (-1): borrowed, never closed."""
        return cls._wrap(kernel32.GetCurrentProcess(), owns_handle=False)

    @classmethod
    def from_popen(cls, popen: subprocess.Popen[Any]) -> Self:
        """The process a ``subprocess.Popen`` started, borrowed: the Popen keeps owning its handle.

        The wrapper never closes the handle, and holds the Popen's handle
        object, which closes it only once nothing refers to it any more: the
        handle stays valid while either is alive. Use it for what ``Popen``
        lacks (``Job.assign``, ``handle_count``, waiting on it with other
        objects in :func:`wait_any`); call :meth:`duplicate` for a handle of
        your own. A Popen whose handle was closed raises ``ValueError``.
        """
        import subprocess  # noqa: PLC0415 - only who converts pays for importing it

        if not isinstance(popen, subprocess.Popen):
            raise TypeError(f"popen must be a subprocess.Popen, not {type(popen).__name__}")
        lender = getattr(popen, "_handle", None)  # subprocess's Handle(int), Windows only
        if lender is None:  # off Windows a Popen holds a pid, not a handle
            raise UnsupportedPlatformError(
                f"a Popen holds a process handle only on Windows; this is {sys.platform}"
            )
        if getattr(lender, "closed", False):
            raise ValueError(f"the handle of {popen!r} (pid {popen.pid}) is already closed")
        self = cls.from_raw(lender, owns_handle=False)
        self._lender = lender
        return self

    @staticmethod
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

        Returns a :class:`Spawned` with ``.process``, ``.thread``, ``.pid``
        and ``.tid`` (and the parent's pipe ends for ``Redirect.PIPE``
        streams); closing it closes them all. ``suspended=True`` leaves the
        main thread suspended (``spawned.thread.resume()`` starts it),
        ``job=`` puts the child into a :class:`Job` before it runs,
        ``token=`` runs it as another token (``CreateProcessAsUserW``). See
        :func:`safehandles.spawn` for the arguments and the "scoped
        inheritance" it gives.
        """
        from ._spawn import spawn  # noqa: PLC0415 - _spawn imports this module

        return spawn(
            args,
            inherit=inherit,
            executable=executable,
            cwd=cwd,
            env=env,
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
            creation_flags=creation_flags,
            suspended=suspended,
            job=job,
            token=token,
        )

    @classmethod
    def open(
        cls,
        pid: int,
        *,
        access: int = ProcessAccess.SYNCHRONIZE | ProcessAccess.QUERY_LIMITED_INFORMATION,
        inheritable: bool = False,
    ) -> Self:
        """Open a process by id.

        The default rights serve ``pid``, ``wait``, ``exit_code`` and
        ``handle_count``; add ``ProcessAccess.TERMINATE`` to :meth:`terminate`.
        """
        pid = integer(pid, "pid", minimum=0, maximum=DWORD_MAX)
        mask = cls._access(access)
        call = lambda: kernel32.OpenProcess(mask, bool(inheritable), pid)  # noqa: E731
        return cls._adopt("OpenProcess", call, filename=str(pid))[0]

    @property
    def pid(self) -> int:
        """The process id."""
        pid = self._call(kernel32.GetProcessId)
        if pid == 0:
            raise_winerror("GetProcessId")
        return pid

    @property
    def exit_code(self) -> int | None:
        """The exit code, or None while the process runs."""
        return self._exit_code(kernel32.GetExitCodeProcess, "GetExitCodeProcess")

    @property
    def image_path(self) -> str:
        """The full path of the process's executable (``QueryFullProcessImageNameW``).

        The default rights of :meth:`open` serve it
        (``ProcessAccess.QUERY_LIMITED_INFORMATION``); a process that has
        exited still reports its path while the handle is open.
        """
        size = ffi.new("DWORD *")

        def attempt(capacity: int) -> str | Grow:
            buffer = ffi.new("WCHAR[]", capacity)
            size[0] = capacity
            if self._call(kernel32.QueryFullProcessImageNameW, ProcessNameFormat.WIN32, buffer, size):
                return str(ffi.unpack(buffer, size[0]))
            error = last_error()
            if error != WinError.INSUFFICIENT_BUFFER:
                raise_winerror("QueryFullProcessImageNameW", error)
            return Grow()  # it does not say how much it needs

        return grow_until_it_fits("QueryFullProcessImageNameW", attempt, _MAX_PATH)

    def terminate(self, exit_code: int = 1) -> None:
        """End the process with *exit_code* (needs ``ProcessAccess.TERMINATE``)."""
        code = integer(exit_code, "exit_code", minimum=0, maximum=DWORD_MAX)
        check_bool(self._call(kernel32.TerminateProcess, code), "TerminateProcess")

    def handle_count(self) -> int:
        """How many handles the process has open (``GetProcessHandleCount``)."""
        count = ffi.new("DWORD *")
        check_bool(self._call(kernel32.GetProcessHandleCount, count), "GetProcessHandleCount")
        return int(count[0])
