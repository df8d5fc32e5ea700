"""The Win32 layers between the portable core and the kinds.

``Win32Handle``
    Any handle released by a Win32 destroyer. It binds that destroyer at class
    creation (so it still works while the interpreter shuts down), keeps the
    thread's last error intact across a release that happens at the end of
    another call, and turns a failed release into ``OSError`` with ``winerror``.
``KernelHandle``
    An entry in the process handle table, closed by ``CloseHandle`` unless the
    kind names another destroyer (``closesocket``, ``RegCloseKey``...): it can be
    inherited, protected from closing and duplicated.
``WaitableHandle``
    A kernel object the wait functions accept.
"""

from __future__ import annotations

import enum
import operator
import sys
from collections.abc import Callable
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Final,
    Protocol,
    SupportsIndex,
    SupportsInt,
    TypeAlias,
    overload,
)

from typing_extensions import Self

from .._bindings._constants import NULL, STILL_ACTIVE, DuplicateOption, HandleFlag, WaitResult
from .._bindings._errors import check_bool, raise_winerror, winerror_exception
from .._bindings._native import ffi, kernel32
from .._bindings._types import CData
from .._core._safehandle import SafeHandle, SafeHandleZeroOrMinusOneIsInvalid, held_call_1
from ._adoption import adopt_returned, adopt_written
from ._arguments import access_mask, milliseconds
from ._in_flight import cancel_all, in_flight
from ._interruptible import wait_objects
from ._objects import granted_access, object_type_name

if TYPE_CHECKING:
    from ctypes import c_void_p

    from .._kinds._processes._process import Process

__all__ = [
    "KernelHandle",
    "RawHandle",
    "WaitableHandle",
    "Win32Handle",
    "destroy_keeping_last_error",
    "raw_value",
    "security_attributes",
]

_wait_for_single_object: Final = kernel32.WaitForSingleObject
_WAIT_FAILED: Final = int(WaitResult.FAILED)
_WAIT_TIMEOUT: Final = int(WaitResult.TIMEOUT)

_INHERITABLE: Final = ffi.new(
    "SECURITY_ATTRIBUTES *",
    {"nLength": ffi.sizeof("SECURITY_ATTRIBUTES"), "bInheritHandle": 1},
)


def security_attributes(inheritable: bool) -> CData:
    """What a creator's ``SECURITY_ATTRIBUTES *`` gets: NULL (not inheritable) unless asked."""
    return _INHERITABLE if inheritable else ffi.NULL


class _PyHandleLike(Protocol):
    """pywin32's ``PyHANDLE`` (and ``PyHKEY``), as types-pywin32 describes it: ``int()`` gives the value."""

    def Detach(self) -> Any: ...
    def __int__(self) -> int: ...


#: What :meth:`Win32Handle.from_raw` takes: an int (or anything with ``__index__``),
#: a ctypes ``c_void_p``/``wintypes.HANDLE``, or pywin32's ``PyHANDLE``.
RawHandle: TypeAlias = "SupportsIndex | c_void_p | _PyHandleLike"


def _is_pyhandle(value: object) -> bool:
    # pywin32's handle types are C types named PyHANDLE (PyHKEY derives from it), without
    # __index__; matched by name so that pywin32 is never imported here.
    return any(
        klass.__name__ == "PyHANDLE" and klass.__module__ == "builtins" for klass in type(value).__mro__
    )


def raw_value(value: object) -> int:
    """A handle value given to ``from_raw`` as an int, or ``TypeError`` for anything else.

    Accepted: an int or any object with ``__index__`` (never a bool), a ctypes
    ``c_void_p`` (``wintypes.HANDLE`` is one; its ``None`` is NULL), and pywin32's
    ``PyHANDLE`` through ``int()``. A float or a str is refused, never truncated or parsed.
    """
    if isinstance(value, bool):
        raise TypeError("a handle value must be an int, not bool")
    if isinstance(value, SupportsIndex):  # int, numpy integers, _winapi's and subprocess's Handle
        return operator.index(value)
    ctypes = sys.modules.get("ctypes")  # a ctypes object exists only once ctypes is imported
    if ctypes is not None and isinstance(value, ctypes.c_void_p):
        return int(value.value or 0)  # c_void_p reads NULL as None
    if _is_pyhandle(value) and isinstance(value, SupportsInt):
        return int(value)
    raise TypeError(
        "a handle value must be an int (or have __index__), a ctypes c_void_p/HANDLE or a pywin32 "
        f"PyHANDLE, not {type(value).__name__}"
    )


def _a(noun: str) -> str:
    """*noun* with its indefinite article, for messages: "an Event", "a Mutant", "an IoCompletion"."""
    return f"{'an' if noun[:1].upper() in 'AEIOU' else 'a'} {noun}"


def _target(process: object) -> Process:
    """A ``target_process=`` argument: a :class:`Process` wrapper, nothing else."""
    # Imported here: the kinds are built on this module, so it cannot import them at load time.
    from .._kinds._processes._process import Process  # noqa: PLC0415

    if not isinstance(process, Process):
        raise TypeError(
            f"target_process must be a Process (opened with ProcessAccess.DUP_HANDLE), "
            f"not {type(process).__name__}"
        )
    return process


def destroy_keeping_last_error(
    destroy: Callable[[int], int],
    value: int,
    *,
    returns_status: bool = False,
    get_last_error: Callable[[], int] = kernel32.GetLastError,
    set_last_error: Callable[[int], None] = kernel32.SetLastError,
) -> int:
    """Run a destroyer without losing the last error of the call before it; return its result.

    A release can run at the end of someone else's call (the last reference
    was dropped there), which then still has to read its own error code. A
    failed BOOL destroyer leaves its own error, for the ``OSError`` that
    reports it; a destroyer that returns a status (``RegCloseKey``) always
    leaves the caller's. The error functions are bound as defaults so that
    this works during interpreter teardown; Winsock passes its own.
    """
    saved = get_last_error()
    result = destroy(value)
    if returns_status or result:
        set_last_error(saved)
    return result


class Win32Handle(SafeHandleZeroOrMinusOneIsInvalid):
    """A handle released by a Win32 destroyer function.

    Construct one empty (``Kind()``) and let a creator fill it, or adopt a
    value obtained elsewhere with :meth:`from_raw`.
    """

    __slots__ = ()

    #: The destroyer's name, for error messages.
    _destroyer_name: ClassVar[str] = "CloseHandle"
    #: The negative values that stand for an object without being handles (the
    #: current process is -1): ``from_raw`` accepts them, as borrowed, and no others.
    _pseudo_handles: ClassVar[frozenset[int]] = frozenset()

    @staticmethod
    def _destroy(value: int, /, _close_handle: Callable[[int], int] = kernel32.CloseHandle) -> int:
        """The destroyer, bound as a default so that it survives interpreter teardown."""
        return _close_handle(value)

    def __init__(self, *, owns_handle: bool = True) -> None:
        super().__init__(owns_handle)

    @classmethod
    def from_raw(cls, value: RawHandle, *, owns_handle: bool) -> Self:
        """Wrap a handle value obtained elsewhere (``_winapi``, ``subprocess``, pywin32, ctypes).

        *value* is an int (or any object with ``__index__``), a ctypes
        ``c_void_p``/``wintypes.HANDLE``, or pywin32's ``PyHANDLE`` (read with
        ``int()``: the PyHANDLE keeps its own ownership, so ``Detach()`` it
        when this wrapper is to own the handle); anything else is a
        ``TypeError``. Say whether this wrapper takes ownership: wrapping the
        same value as owned twice would close it twice. Unsigned spellings
        (pywin32's) are accepted. The kind's "no handle" value and any negative value that is
        not one of the kind's pseudo-handles (``Process`` -1, ``Thread`` -2,
        ``AccessToken`` -4, -5 and -6) are refused with ``ValueError``, and a
        pseudo-handle can only be borrowed. A value that names an object of
        another kind is refused with ``TypeError`` where the kind can tell.
        Nothing is closed when a value is refused.
        """
        self = cls._wrap(raw_value(value), owns_handle=owns_handle)
        try:
            self._call(self._check_kind)  # the check is a native call on the value too
        except BaseException:
            self.set_handle_as_invalid()  # not ours to close: the caller still owns it
            raise
        return self

    @classmethod
    def _wrap(cls, value: int, *, owns_handle: bool) -> Self:
        """Wrap a value this library obtained itself (no kind check)."""
        self = cls(owns_handle=owns_handle)
        self.set_handle(value)
        return self

    def _check_kind(self, value: int) -> None:
        """Raise ``ValueError`` for a value that is no handle of this kind, ``TypeError`` for another kind's.

        Called by :meth:`from_raw` through ``_call``, holding a reference.
        Overrides add what the kind can tell about its objects and call this first.
        Here: the "no handle" value, negative values but the kind's pseudo-handles,
        and owned pseudo-handles are refused.
        """
        kind = type(self).__name__
        if self.is_invalid:
            raise ValueError(f'{value:#x} is the value meaning "no handle" for {kind}, not a handle')
        if value in self._pseudo_handles:
            if self._owns:
                raise ValueError(
                    f"{value:#x} is a pseudo-handle of {kind}: it is never closed, so it can only be "
                    "wrapped as borrowed (owns_handle=False)"
                )
            return
        if value < 0:
            accepted = ", ".join(f"{pseudo:#x}" for pseudo in sorted(self._pseudo_handles, reverse=True))
            raise ValueError(
                f"{value:#x} is not a handle of {kind}: negative values are pseudo-handles, and {kind} "
                + (f"accepts only {accepted}" if accepted else "has none")
            )

    @classmethod
    def _adopt(
        cls,
        creator: str,
        call: Callable[[], int],
        *,
        fails_with: int = NULL,
        filename: str | None = None,
    ) -> tuple[Self, int]:
        """Run a creator that returns the handle and adopt it; also return the last error it left.

        The creator's own failure value (NULL for most, INVALID_HANDLE_VALUE
        for ``CreateFileW``) is checked at the call (see ``_adoption``).
        """
        return adopt_returned(cls(), creator, call, fails_with=fails_with, filename=filename)

    @classmethod
    def _adopt_out(
        cls,
        creator: str,
        call: Callable[[CData], int],
        *,
        out_type: str = "HANDLE *",
        returns_status: bool = False,
        filename: str | None = None,
    ) -> Self:
        """Run a creator that writes the handle to ``call``'s out-parameter, and adopt it.

        Success is the creator's result: TRUE, or status 0 with *returns_status*.
        """
        out = ffi.new(out_type)
        self = cls()
        adopt_written(
            creator,
            lambda: call(out),
            lambda: (out[0],),
            (self,),
            returns_status=returns_status,
            filename=filename,
        )
        return self

    def release_handle(self) -> bool:
        return bool(destroy_keeping_last_error(self._destroy, self._value))

    def _release_by_close(self) -> bool:
        # An explicit close() ends no other call, so no caller is left to read the last
        # error that destroy_keeping_last_error keeps (two native calls per close).
        return bool(self._destroy(self._value))

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "release_handle" in cls.__dict__ and "_release_by_close" not in cls.__dict__:
            # A kind with a release of its own (a socket, a registry key) releases its way on close too.
            cls._release_by_close = SafeHandle._release_by_close  # type: ignore[method-assign]

    def _release_failure(self) -> OSError:
        return winerror_exception(self._destroyer_name)


class KernelHandle(Win32Handle):
    """An entry in the process handle table (closed by ``CloseHandle`` unless the kind says otherwise)."""

    __slots__ = ()

    #: The kernel's name for this kind's object type (``NtQueryObject``), if it has its own.
    _object_type: ClassVar[str | None] = None
    #: The kind's access-right enum, for checking ``access=`` arguments (None: not known).
    _rights: ClassVar[type[enum.IntFlag] | None] = None

    def _closing(self) -> None:
        # Operations in flight hold references: cancel them, and the last completion releases the handle.
        if in_flight:
            cancel_all(self)

    def _check_kind(self, value: int) -> None:
        super()._check_kind(value)
        if self._object_type is None or value in self._pseudo_handles:  # a pseudo-handle has no entry
            return
        actual = object_type_name(value)
        if actual != self._object_type:
            # "handle 0x4c is a Mutant object, not an Event object: Event wraps Event objects"
            kind = type(self).__name__
            raise TypeError(
                f"handle {value:#x} is {_a(actual)} object, not {_a(self._object_type)} object: "
                f"{kind} wraps {self._object_type} objects"
            )

    @property
    def object_type(self) -> str:
        """The kernel's name for the type of object this handle refers to ("Event", "Section", ...)."""
        return self._call(object_type_name)

    @property
    def granted_access(self) -> int:
        """The access this handle was granted (``NtQueryObject``), as the kind's rights where it has them.

        Generic rights and ``MAXIMUM_ALLOWED`` are turned into the kind's own
        rights when a handle is opened or duplicated: this is what they became.
        """
        mask = self._call(granted_access)
        return mask if self._rights is None else self._rights(mask)

    @overload
    def duplicate(
        self, *, access: int | None = None, inheritable: bool = False, target_process: None = None
    ) -> Self: ...

    @overload
    def duplicate(
        self, *, access: int | None = None, inheritable: bool = False, target_process: Process
    ) -> int: ...

    def duplicate(
        self, *, access: int | None = None, inheritable: bool = False, target_process: Process | None = None
    ) -> Self | int:
        """A duplicate of this handle (``DuplicateHandle``), here or in another process.

        Without *target_process*: a new wrapper of the same class that owns the
        copy. With a :class:`Process` opened with ``ProcessAccess.DUP_HANDLE``:
        the copy is made in that process and its value there is returned as an
        ``int``, which is that process's to use and close, never ours (as
        ``multiprocessing.reduction.DupHandle`` does); hand it over by any
        channel. A process handle without that right raises ``PermissionError``.

        The copy has the same access unless *access* is given, and is not
        inheritable unless asked. This handle and the target process each
        hold a reference for the call.
        """
        if target_process is None:
            return self._duplicate_here(access, bool(inheritable))
        return self._duplicate_into(_target(target_process), access, bool(inheritable))

    def _duplicate_options(self, access: int | None) -> tuple[int, int]:
        """``DuplicateHandle``'s access mask and options for an ``access=`` argument."""
        if access is None:
            return 0, int(DuplicateOption.SAME_ACCESS)
        return self._access(access), 0

    def _duplicate_here(self, access: int | None, inheritable: bool) -> Self:
        """A new owned wrapper of a copy in this process; kinds with state of their own extend it."""
        mask, options = self._duplicate_options(access)
        current = kernel32.GetCurrentProcess()
        return type(self)._adopt_out(
            "DuplicateHandle",
            lambda out: self._call(
                lambda value: kernel32.DuplicateHandle(
                    current, value, current, out, mask, inheritable, options
                )
            ),
        )

    def _duplicate_into(self, process: Process, access: int | None, inheritable: bool) -> int:
        """The value of a copy made in *process*, holding a reference on both handles for the call."""
        mask, options = self._duplicate_options(access)
        current = kernel32.GetCurrentProcess()
        out = ffi.new("HANDLE *")

        def into(target: int) -> int:
            return self._call(
                lambda value: kernel32.DuplicateHandle(
                    current, value, target, out, mask, inheritable, options
                )
            )

        check_bool(process._call(into), "DuplicateHandle")
        return int(out[0])

    @classmethod
    def _access(cls, access: int) -> int:
        """An ``access=`` argument, checked against the kind's rights (see ``access_mask``)."""
        return access_mask(access, cls._rights)

    def _flags(self) -> int:
        flags = ffi.new("DWORD *")
        check_bool(self._call(kernel32.GetHandleInformation, flags), "GetHandleInformation")
        return int(flags[0])

    def _set_flag(self, flag: HandleFlag, on: bool) -> None:
        result = self._call(kernel32.SetHandleInformation, flag, flag if on else 0)
        check_bool(result, "SetHandleInformation")

    @property
    def inheritable(self) -> bool:
        """Whether child processes created with handle inheritance receive this handle."""
        return bool(self._flags() & HandleFlag.INHERIT)

    @inheritable.setter
    def inheritable(self, on: bool) -> None:
        self._set_flag(HandleFlag.INHERIT, on)

    @property
    def protect_from_close(self) -> bool:
        """Whether ``CloseHandle`` refuses to close this handle."""
        return bool(self._flags() & HandleFlag.PROTECT_FROM_CLOSE)

    @protect_from_close.setter
    def protect_from_close(self, on: bool) -> None:
        self._set_flag(HandleFlag.PROTECT_FROM_CLOSE, on)


class WaitableHandle(KernelHandle):
    """A kernel object that can be waited on."""

    __slots__ = ()
    #: Why this kind cannot be awaited with ``wait_async`` (None: it can).
    _async_wait_refusal: ClassVar[str | None] = None

    def _wait(self, timeout: float | None) -> int:
        """Wait, holding a reference throughout: a concurrent close waits for the wait.

        The one path of every single-object wait; Ctrl+C interrupts it in the
        main thread (see ``_interruptible``), with the reference held around all its slices.
        """
        ms = milliseconds(timeout)
        return self._call(lambda value: wait_objects((value,), False, ms))

    def _exit_code(self, getter: Callable[[int, CData], int], function: str) -> int | None:
        """A process's or thread's exit code from *getter*, or None while it runs."""
        code = ffi.new("DWORD *")
        check_bool(self._call(getter, code), function)
        # STILL_ACTIVE is also a legal exit code: only a wait tells them apart.
        if code[0] == STILL_ACTIVE and self._wait(0) == WaitResult.TIMEOUT:
            return None
        return int(code[0])

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the object is signalled: True if it was, False on timeout.

        *timeout* is in seconds; None waits forever. In the main thread Ctrl+C
        interrupts the wait with ``KeyboardInterrupt`` (within 50 ms), and the
        object's signal is left as it was.
        """
        if (type(timeout) is int or type(timeout) is float) and timeout == 0:
            # A poll is one native call and nothing to slice: no argument conversion, no closures.
            result = held_call_1(self, _wait_for_single_object, 0)
            if result == _WAIT_FAILED:
                raise_winerror("WaitForSingleObject")
            return result != _WAIT_TIMEOUT
        return self._wait(timeout) != WaitResult.TIMEOUT

    async def wait_async(self, timeout: float | None = None) -> bool:
        """Await the object being signalled: True if it was, False on timeout.

        *timeout* is in seconds; None waits forever. The wait runs on one of
        the library's wait threads (one per 63 waits), so the loop goes on;
        it consumes what :meth:`wait` would (an auto-reset event's signal, a
        semaphore's count). The handle stays open until the wait ends;
        closing it meanwhile raises ``ObjectDisposedError``, cancelling the
        task ends the wait. Works on any asyncio loop, in any thread.
        """
        from .._async._waits import wait_any_async  # noqa: PLC0415 (asyncio loads with the first await)

        return await wait_any_async([self], timeout) is not None
