"""Thread handles: CreateThread, CreateRemoteThread, OpenThread or the current-thread pseudo-handle.

``GetCurrentThread()`` returns -2, a pseudo-handle that means "the calling
thread" wherever it is used; it is borrowed and never closed. Only NULL is
"no handle".

What a created thread may run. ``CreateThread`` starts native code at an
address, with one pointer-sized argument, and nothing keeps that code alive
for the thread: so :meth:`Thread.create` takes only an address, which must
be native code that stays mapped while the thread runs, such as an export of
a module that stays loaded (``Module.find("kernel32.dll").symbol("Sleep")``;
kernel32's ``Sleep``, ``ExitThread`` and ``WaitForSingleObject`` take one
argument each and make useful threads: one that waits, one that ends with a
chosen exit code). A thread that runs *Python* code should be a
``threading.Thread``, which sets up the interpreter's state for it;
``Thread.open(t.native_id)`` then gives its handle. A cffi callback
(``ffi.callback``) would run, but the thread would call freed memory the
moment the callback object is collected, which nothing here could prevent:
it is deliberately not accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, NoReturn

from typing_extensions import Self

from ..._bindings._constants import CURRENT_THREAD, DWORD_MAX, QWORD_MAX, ThreadAccess, WinError
from ..._bindings._errors import last_error, raise_winerror, winerror_exception
from ..._bindings._kernel32._processes import SUSPEND_FAILED, ThreadCreationFlag
from ..._bindings._native import ffi, kernel32
from ..._win32._arguments import integer
from ..._win32._catalogue import Entry
from ..._win32._handles import WaitableHandle, security_attributes

if TYPE_CHECKING:
    from ._process import Process

__all__ = ["Thread"]


class Thread(WaitableHandle):
    """A handle to a thread."""

    catalogue: ClassVar[Entry] = Entry(
        row="Thread",
        creators=(
            ("CreateThread", "NULL"),
            ("CreateRemoteThread", "NULL"),
            ("OpenThread", "NULL"),
            ("GetCurrentThread", "cannot fail: -2"),
            ("CreateProcessW", "FALSE; the new process's main thread"),
            ("CreateProcessAsUserW", "FALSE; the new process's main thread"),
        ),
        destroyer="`CloseHandle` (`TerminateThread` ends the thread itself)",
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
    def create(
        cls,
        start_address: int,
        parameter: int = 0,
        *,
        suspended: bool = False,
        stack_size: int = 0,
        inheritable: bool = False,
    ) -> Self:
        """Start a thread in this process at the native code *start_address* (``CreateThread``).

        The thread calls ``DWORD start_address(void *parameter)``; what it
        returns (or passes to ``ExitThread``) is its :attr:`exit_code`.
        *start_address* must be native code that stays mapped while the
        thread runs, such as ``Module.find("kernel32.dll").symbol("Sleep")``
        (the module's docstring says why Python code belongs in a
        ``threading.Thread`` instead). *parameter* is passed as the pointer
        argument. ``suspended=True`` creates it suspended, to be started
        with :meth:`resume`. *stack_size* is the initial stack commit in
        bytes (0: the executable's default). The handle has all access.
        """
        address, argument, flags, stack = _thread_arguments(start_address, parameter, suspended, stack_size)
        tid = ffi.new("DWORD *")
        attributes = security_attributes(inheritable)
        call = lambda: kernel32.CreateThread(attributes, stack, address, argument, flags, tid)  # noqa: E731
        return cls._adopt("CreateThread", call)[0]

    @classmethod
    def create_remote(
        cls,
        process: Process,
        start_address: int,
        parameter: int = 0,
        *,
        suspended: bool = False,
        stack_size: int = 0,
        inheritable: bool = False,
    ) -> Self:
        """Start a thread in *process* at *start_address*, an address there (``CreateRemoteThread``).

        As :meth:`create`, but the code runs in *process*, whose handle needs
        ``ProcessAccess.CREATE_THREAD | QUERY_INFORMATION | VM_OPERATION |
        VM_WRITE | VM_READ`` (a handle from :func:`spawn` has all access):
        without them ``PermissionError`` names the rights. The address must
        be valid in *that* process: a system DLL such as kernel32 is mapped
        at the same address in every process of a boot, so its exports can
        be found here with :meth:`Module.symbol`.
        """
        from ._process import Process  # noqa: PLC0415 - _process imports this module's siblings

        if not isinstance(process, Process):
            raise TypeError(f"process must be a Process, not {type(process).__name__}")
        address, argument, flags, stack = _thread_arguments(start_address, parameter, suspended, stack_size)
        tid = ffi.new("DWORD *")
        attributes = security_attributes(inheritable)
        try:
            return cls._adopt(
                "CreateRemoteThread",
                lambda: process._call(
                    kernel32.CreateRemoteThread, attributes, stack, address, argument, flags, tid
                ),
            )[0]
        except PermissionError as exc:
            exc.strerror = (
                f"{exc.strerror} (the process handle needs ProcessAccess.CREATE_THREAD | "
                "QUERY_INFORMATION | VM_OPERATION | VM_WRITE | VM_READ)"
            )
            raise

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

    def suspend(self) -> int:
        """Suspend the thread (``SuspendThread``); return its previous suspend count.

        Needs ``ThreadAccess.SUSPEND_RESUME``. Each suspend needs its own
        :meth:`resume`. Meant for threads of another process (a child started
        with ``suspended=True``) or native threads this program created: a
        thread of this process that runs Python code may be suspended holding
        the interpreter's lock or the heap's, and the whole process would then
        wait for it.
        """
        return self._suspend_call(kernel32.SuspendThread, "SuspendThread")

    def resume(self) -> int:
        """Take one off the thread's suspend count (``ResumeThread``); return the previous count.

        The thread runs again once the count reaches 0: a previous count of 1
        means it runs now, 0 that it was not suspended. Needs
        ``ThreadAccess.SUSPEND_RESUME``.
        """
        return self._suspend_call(kernel32.ResumeThread, "ResumeThread")

    def _suspend_call(self, function: Callable[[int], int], name: str) -> int:
        count = self._call(function)
        if count == SUSPEND_FAILED:
            error = last_error()
            if error == WinError.ACCESS_DENIED:
                _name_the_right(name, error, "ThreadAccess.SUSPEND_RESUME")
            raise_winerror(name, error)
        return count

    def terminate(self, exit_code: int = 1) -> None:
        """End the thread at once with *exit_code* (``TerminateThread``; needs ``ThreadAccess.TERMINATE``).

        The thread gets no chance to clean up: locks it holds stay held and
        its stack is not unwound, so use it only on a thread whose state
        nothing depends on (a worker of a process about to end, a native
        thread of your own). A thread that runs Python code must be asked to
        stop instead.
        """
        code = integer(exit_code, "exit_code", minimum=0, maximum=DWORD_MAX)
        if not self._call(kernel32.TerminateThread, code):
            error = last_error()
            if error == WinError.ACCESS_DENIED:
                _name_the_right("TerminateThread", error, "ThreadAccess.TERMINATE")
            raise_winerror("TerminateThread", error)


def _thread_arguments(
    start_address: object, parameter: object, suspended: object, stack_size: object
) -> tuple[int, int, int, int]:
    """CreateThread's and CreateRemoteThread's address, parameter, flags and stack size, checked."""
    if not isinstance(start_address, int) or isinstance(start_address, bool):
        raise TypeError(
            "start_address must be the int address of native code (e.g. from Module.symbol), "
            f"not {type(start_address).__name__}; Python code runs in a threading.Thread"
        )
    address = integer(start_address, "start_address", minimum=1, maximum=QWORD_MAX)
    argument = integer(parameter, "parameter", minimum=0, maximum=QWORD_MAX)
    stack = integer(stack_size, "stack_size", minimum=0, maximum=QWORD_MAX)
    flags = ThreadCreationFlag.CREATE_SUSPENDED if suspended else 0
    return address, argument, int(flags), stack


def _name_the_right(function: str, error: int, right: str) -> NoReturn:
    """Raise the access-denied error of *function*, saying which right the handle lacks."""
    exc = winerror_exception(function, error)
    exc.strerror = f"{exc.strerror} (the thread handle needs {right})"
    raise exc
