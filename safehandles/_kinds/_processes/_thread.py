"""Thread handles: OpenThread or the current-thread pseudo-handle.

``GetCurrentThread()`` returns -2, a pseudo-handle that means "the calling
thread" wherever it is used; it is borrowed and never closed. Only NULL is
"no handle".
"""

from __future__ import annotations

from typing import ClassVar

from typing_extensions import Self

from ..._bindings._constants import CURRENT_THREAD, DWORD_MAX, ThreadAccess
from ..._bindings._errors import raise_winerror
from ..._bindings._native import kernel32
from ..._win32._arguments import integer
from ..._win32._catalogue import Entry
from ..._win32._handles import WaitableHandle

__all__ = ["Thread"]


class Thread(WaitableHandle):
    """A handle to a thread."""

    catalogue = Entry(
        row="Thread",
        creators=(
            ("OpenThread", "NULL"),
            ("GetCurrentThread", "cannot fail: -2"),
            ("CreateProcessW", "FALSE; the new process's main thread"),
        ),
        destroyer="`CloseHandle`",
        ownership="owned; borrowed from `GetCurrentThread`",
    )
    _rights = ThreadAccess
    _object_type = "Thread"
    _pseudo_handles: ClassVar[frozenset[int]] = frozenset({CURRENT_THREAD})

    __slots__ = ()

    @property
    def is_invalid(self) -> bool:
        return self._value == 0

    @classmethod
    def current(cls) -> Self:
        """The calling thread, through its pseudo-handle (-2): borrowed, never closed.

        The pseudo-handle names whichever thread uses it; do not hand it to another thread.
        """
        return cls._wrap(kernel32.GetCurrentThread(), owns_handle=False)

    @classmethod
    def open(
        cls,
        tid: int,
        *,
        access: int = ThreadAccess.SYNCHRONIZE | ThreadAccess.QUERY_LIMITED_INFORMATION,
        inheritable: bool = False,
    ) -> Self:
        """Open a thread by id; the default rights serve ``tid``, ``wait`` and ``exit_code``."""
        tid = integer(tid, "tid", minimum=0, maximum=DWORD_MAX)
        mask = cls._access(access)
        call = lambda: kernel32.OpenThread(mask, bool(inheritable), tid)  # noqa: E731
        return cls._adopt("OpenThread", call, filename=str(tid))[0]

    @property
    def tid(self) -> int:
        """The thread id."""
        tid = self._call(kernel32.GetThreadId)
        if tid == 0:
            raise_winerror("GetThreadId")
        return tid

    @property
    def exit_code(self) -> int | None:
        """The exit code, or None while the thread runs."""
        return self._exit_code(kernel32.GetExitCodeThread, "GetExitCodeThread")
