"""SafeHandle: .NET's handle-ownership state machine, in Python.

Why it exists
-------------
A handle is an index into a per-process table, and Windows reuses a freed
slot at once. Code that closes a handle while another thread is still inside
a native call with it, or that keeps using a closed wrapper, may act on an
object someone else has since opened under the same value: the handle
recycling attack. .NET's ``SafeHandle`` prevents it with a reference count
held around every native call; this class mirrors it exactly
(``docs/safehandle-semantics.md`` lists the transitions).

How the state is kept without a lock
------------------------------------
.NET keeps one 32-bit word (closed bit, disposed bit, count) and changes it
with compare-and-swap. Python has no CAS, and a ``threading.Lock`` per wrapper
is not an option: on Windows CPython 3.11 and 3.12 every lock is a kernel
semaphore, so a lock per wrapper would double the handle count of the very
processes this library keeps lean. The free-threaded build rules out relying
on the GIL. What both builds do guarantee is that single ``list`` operations
are atomic. So the state is one small list, ``_refs``:

    A stack of reference tokens. Its bottom is the ``_OWNER`` marker, which
    stands for the owner's reference; each ``dangerous_add_ref`` pushes a
    token, each release pops the top one. The release that pops ``_OWNER``
    took the count to zero: it alone may release the native handle. Because
    a pop only ever takes the top, ``_OWNER`` can be popped only when no
    other token is above it, that is when the count is exactly one.

    ``add_ref`` pushes first and then looks at the bottom: if ``_OWNER`` is
    still there, the reference is held (nothing can pop ``_OWNER`` while our
    token sits above it); if not, the handle is closed, and the token is
    popped again before ``ObjectDisposedError`` is raised.

    The *closed bit* of .NET is "``_OWNER`` is not at the bottom".
    ``set_handle_as_invalid`` slides a ``_DEAD`` marker in under the stack and
    then removes ``_OWNER`` (``list.remove`` is atomic and fails if it is
    gone), so the count is unchanged but the last pop finds ``_DEAD`` and
    releases nothing. ``detach`` removes ``_OWNER`` too, which also drops the
    owner's reference.

    The *disposed bit* is the ``_OPEN`` marker, second from the bottom, below
    every token: ``close`` removes it by value (atomic, and fails if it is
    gone), so exactly one close drops the owner's reference and later ones
    return at once. Balanced pops never reach it: each holder pops no more
    than it pushed, and the close that pops the owner's reference removed
    ``_OPEN`` first. Only an unbalanced ``dangerous_release`` can pop it; it
    then pops the token below instead and puts ``_OPEN`` back, so the count
    drops as .NET's would and the handle is closed but not disposed.

    (The disposed bit used to be a second one-item list; folding it into the
    stack saves each wrapper 64 bytes, a fifth of what it cost.)

Whoever removes ``_OWNER`` (the last release, ``set_handle_as_invalid`` or
``detach``) decides the fate of the native handle, so it is released at most
once, never while a reference is held, whatever the interleaving.

Ownership cannot be forked
--------------------------
A wrapper is the one owner of its value, so ``copy.copy``, ``copy.deepcopy``
and pickling are refused with ``TypeError``: a shallow copy would share the
state list (and its finalizer would close the original's handle), and a
handle value means nothing in another process or after a round trip. A second
owner is made with ``duplicate()`` (a new OS handle), a second process gets
one through ``duplicate(target_process=...)`` or ``spawn(inherit=...)``.

Package-internal primitives
---------------------------
Everything that touches the state list lives in this file: ``_call`` (and
its fixed-arity twins :func:`held_call_0`, :func:`held_call_1` and
:func:`held_call_2` for the hot calls, where packing ``*args`` would cost
as much as a user-mode call, or 3 % of a kernel one), :func:`hold_all` for a call
that takes several handles, :class:`LastingReference` for an operation that
outlives the call that starts it (an overlapped read, a registered wait: the
kernel keeps using the value until it reports completion), ``_closing`` for a
kind that must cancel such operations when it is closed, and ``_close_after``
for a kind whose close has more than one way (ending a resource update by
writing it).
"""

from __future__ import annotations

import abc
import contextlib
import sys
import traceback
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Final, NoReturn, SupportsIndex, TypeVar

from typing_extensions import TypeVarTuple, Unpack

from . import _live
from ._errors import ObjectDisposedError

if TYPE_CHECKING:
    from types import TracebackType

    from typing_extensions import Self

__all__ = [
    "LastingReference",
    "SafeHandle",
    "SafeHandleMinusOneIsInvalid",
    "SafeHandleZeroOrMinusOneIsInvalid",
    "held_call_0",
    "held_call_1",
    "held_call_2",
    "hold_all",
]


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_OWNER: Final = _Marker("OWNER")
_DEAD: Final = _Marker("DEAD")
_OPEN: Final = _Marker("OPEN")
_REF: Final = None  # a plain reference token; None is the cheapest object to push

_Args = TypeVarTuple("_Args")
_R = TypeVar("_R")
_A = TypeVar("_A")
_B = TypeVar("_B")

_POINTER_BITS: Final = sys.maxsize.bit_length() + 1
_POINTER_SPAN: Final = 1 << _POINTER_BITS
_POINTER_MIN: Final = -(sys.maxsize + 1)
_POINTER_MAX: Final = sys.maxsize


def _signed_pointer(value: object) -> int:
    """Normalize a handle value to a signed pointer-sized int.

    Values from elsewhere arrive signed (``_winapi``, ctypes ``HANDLE``) or
    unsigned (pywin32, ``ctypes.c_void_p``); both spellings of the same bits
    mean the same handle, so ``0xFFFF_FFFF_FFFF_FFFF`` becomes ``-1``.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"a handle value must be an int, not {type(value).__name__}")
    if _POINTER_MIN <= value <= sys.maxsize:
        return value
    if sys.maxsize < value < _POINTER_SPAN:
        return value - _POINTER_SPAN
    raise ValueError(f"handle value {value:#x} does not fit in a pointer")


class _Unraisable:
    """Reports an exception through ``sys.unraisablehook`` by raising it from ``__del__``."""

    __slots__ = ("exc",)

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def __del__(self) -> None:
        raise self.exc


def _report_unraisable(exc: BaseException, note: str) -> None:
    if hasattr(exc, "add_note"):
        exc.add_note(note)
    _Unraisable(exc)  # dropped at once: its __del__ hands exc to sys.unraisablehook


class SafeHandle(abc.ABC):
    """An owned or borrowed OS handle with .NET ``SafeHandle`` semantics.

    Subclasses implement :meth:`release_handle` and :attr:`is_invalid`; the
    two usual conventions are :class:`SafeHandleZeroOrMinusOneIsInvalid` and
    :class:`SafeHandleMinusOneIsInvalid`. A handle starts out holding
    ``invalid_handle_value``; a creator stores the real value with
    :meth:`set_handle` once the native call succeeded.

    Use it as a context manager (``with``): the block's end closes it. A handle
    the program drops without closing is closed by its finalizer (with a
    ``ResourceWarning``), at garbage collection or at interpreter exit.
    """

    __slots__ = ("__weakref__", "_owns", "_refs", "_value")

    _value: int
    _owns: bool
    _refs: list[object]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        _live.add_kind(cls)  # what the exit sweep and snapshots look for

    def __init__(self, invalid_handle_value: int, owns_handle: bool) -> None:
        self._value = _signed_pointer(invalid_handle_value)
        self._owns = bool(owns_handle)
        self._refs = [_OWNER, _OPEN]

    # -- what a subclass provides ------------------------------------------------

    @abc.abstractmethod
    def release_handle(self) -> bool:
        """Free the native handle; return False if the OS reported a failure.

        Called exactly once, by whichever close or release drops the last
        reference, and only for an owned handle that is not invalid.
        """

    @property
    @abc.abstractmethod
    def is_invalid(self) -> bool:
        """Whether the stored value is this kind's "no handle" value."""

    def _release_failure(self) -> OSError:
        """The exception raised when :meth:`release_handle` returned False."""
        return OSError(f"release_handle() failed for {self!r}")

    # -- value and ownership -----------------------------------------------------

    def set_handle(self, value: int) -> None:
        """Store the native value (for creators). Signed or unsigned spellings are accepted."""
        # A creator's int that is already a signed pointer (every one cffi returns) needs no more.
        if type(value) is not int or not _POINTER_MIN <= value <= _POINTER_MAX:
            value = _signed_pointer(value)
        self._value = value
        if _live._traceback_depth and self._owns and not self.is_invalid:
            _live.add(self)

    def dangerous_get_handle(self) -> int:
        """Return the raw value, even after close: it may be stale or recycled.

        Prefer :meth:`borrow`, which keeps the handle open while you use it.
        """
        return self._value

    @property
    def owns_handle(self) -> bool:
        """Whether this wrapper releases the handle when closed."""
        return self._owns

    @property
    def is_closed(self) -> bool:
        """True once the handle was released, detached or invalidated.

        A ``close()`` while references are outstanding leaves this False
        until the last reference is released.
        """
        refs = self._refs
        return not refs or refs[0] is not _OWNER

    # -- reference counting ------------------------------------------------------

    def dangerous_add_ref(self) -> None:
        """Take a reference that keeps the handle open; pair it with :meth:`dangerous_release`.

        Raises :class:`ObjectDisposedError` if the handle is already closed.
        """
        refs = self._refs
        refs.append(_REF)
        try:
            owner_below = refs[0] is _OWNER
        except IndexError:  # only after unbalanced releases
            owner_below = False
        if not owner_below:
            self._undo_add_ref()

    def _undo_add_ref(self) -> None:
        with contextlib.suppress(IndexError):
            self._refs.pop()
        raise ObjectDisposedError(f"{type(self).__name__} is closed")

    def dangerous_release(self) -> None:
        """Give back a reference taken with :meth:`dangerous_add_ref`.

        The release that drops the last reference releases the native handle.
        """
        try:
            token = self._refs.pop()
        except IndexError:
            raise ObjectDisposedError(f"{type(self).__name__} is closed") from None
        if token is not _REF:
            self._popped_marker(token)

    def _popped_marker(self, token: object, by_close: bool = False) -> None:
        """After a pop that took a marker rather than a plain token."""
        if token is _OPEN:
            # Only an unbalanced release reaches the disposed marker. As .NET's count would, it
            # takes the reference below instead (the owner's, if no one else holds one), and the
            # marker goes back: the handle is not disposed, so a later close() still counts.
            refs = self._refs
            try:
                token = refs.pop()
            except IndexError:
                raise ObjectDisposedError(f"{type(self).__name__} is closed") from None
            finally:
                refs.append(_OPEN)
        if token is _OWNER:
            self._release_native(by_close)

    def _release_native(self, by_close: bool = False) -> None:
        """Run by the one caller that removed ``_OWNER`` with the count at zero.

        *by_close*: the release is the owner's own ``close()``, not the end of
        some other call (see :meth:`_release_by_close`).
        """
        _live.discard(self)
        if not self._owns or self.is_invalid:
            return
        if not (self._release_by_close() if by_close else self.release_handle()):
            raise self._release_failure()

    def _release_by_close(self) -> bool:
        """:meth:`release_handle`, for the release that an explicit ``close()`` makes itself.

        Then no other call is ending around the release, so a kind may skip
        what only that case needs (Win32 kinds keep the thread's last error
        for the call that dropped the last reference; nothing reads it after a close).
        """
        return self.release_handle()

    def _call(self, function: Callable[[int, Unpack[_Args]], _R], /, *args: Unpack[_Args]) -> _R:
        """Call ``function(value, *args)`` holding a reference for the duration of the call.

        This is what every native call on a wrapped handle goes through: a
        closed handle raises before the call, and a concurrent ``close()`` is
        deferred until the call returns. These are the steps of
        :meth:`dangerous_add_ref` and :meth:`dangerous_release`, inlined because
        this is the hot path. A kind whose native call stays in user mode (so the
        wrapper's cost is the whole cost) may inline them once more, verbatim.
        """
        refs = self._refs
        refs.append(_REF)
        try:
            if refs[0] is not _OWNER:
                raise ObjectDisposedError(f"{type(self).__name__} is closed")
            return function(self._value, *args)
        finally:
            token = refs.pop()
            if token is not _REF:
                self._popped_marker(token)

    def borrow(self) -> _Borrowed:
        """A context manager that holds a reference for its block and yields the raw value.

        ``with handle.borrow() as value: ...`` is the safe way to pass the value
        to code of your own: a ``close()`` from another thread waits until the
        block ends.
        """
        return _Borrowed(self)

    # -- closing -----------------------------------------------------------------

    def close(self) -> None:
        """Drop the owner's reference; the handle is released once no call holds it.

        Idempotent. Raises ``OSError`` if the release itself failed (the handle
        is closed all the same and never released twice).
        """
        try:
            self._refs.remove(_OPEN)
        except ValueError:
            return
        self._closing()
        # dangerous_release(), inlined, telling the release that it is this close's.
        try:
            token = self._refs.pop()
        except IndexError:
            raise ObjectDisposedError(f"{type(self).__name__} is closed") from None
        if token is not _REF:
            self._popped_marker(token, by_close=True)

    def _closing(self) -> None:  # noqa: B027 (a hook: most kinds have nothing to cancel)
        """Run by the one close that drops the owner's reference, just before it drops it.

        A kind whose operations outlive a call (see :class:`LastingReference`)
        cancels them here: they still hold their references, so the native
        handle stays valid for the cancel and is released by the last of them.
        """

    def _close_requested(self) -> bool:
        """Whether a close has dropped (or is dropping) the owner's reference.

        An operation that took a lasting reference checks this after making
        itself known to :meth:`_closing`, so a close racing with its start
        cancels it one way or the other.
        """
        return _OPEN not in self._refs

    def _close_after(self, decide: Callable[[], object]) -> bool:
        """Close as :meth:`close` does, running *decide* first if this is the one close that counts.

        For kinds that can be closed more than one way (a resource update
        ends by writing or by discarding): *decide* records the way, and runs
        only in the call that drops the owner's reference, so a concurrent
        plain ``close()`` either wins (and *decide* never runs) or loses.
        Returns False, without running *decide*, if the handle was already closed.
        """
        try:
            self._refs.remove(_OPEN)
        except ValueError:
            return False
        decide()
        self._closing()
        self.dangerous_release()
        return True

    def set_handle_as_invalid(self) -> None:
        """Mark the handle closed without ever releasing it.

        For a value that the OS already freed (or another owner took over).
        References still held may be released and ``close()`` still works.
        """
        refs = self._refs
        refs.insert(0, _DEAD)
        try:
            refs.remove(_OWNER)
        except ValueError:  # already released: nothing to suppress
            refs.remove(_DEAD)
        _live.discard(self)

    def detach(self) -> int:
        """Give up ownership and return the raw value.

        The wrapper reads as closed and never releases the value: the caller
        now owns it. References still held stay valid until released.
        Raises :class:`ObjectDisposedError` if the handle is already closed.
        """
        try:
            self._refs.remove(_OPEN)
            self._refs.remove(_OWNER)
        except ValueError:
            raise ObjectDisposedError(f"{type(self).__name__} is closed") from None
        _live.discard(self)
        return self._value

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- no forked ownership --------------------------------------------------------

    def __copy__(self) -> NoReturn:
        raise TypeError(
            f"{type(self).__name__} objects cannot be copied: two wrappers would own one handle. "
            "Use duplicate() for a second handle to the same object, or borrow() to use the value"
        )

    def __deepcopy__(self, memo: object) -> NoReturn:
        self.__copy__()

    def __reduce_ex__(self, protocol: SupportsIndex) -> NoReturn:
        raise TypeError(
            f"{type(self).__name__} objects cannot be pickled: a handle value means nothing in another "
            "process. Pass it to a child with spawn(inherit=...) or duplicate(target_process=...)"
        )

    def __reduce__(self) -> NoReturn:
        self.__reduce_ex__(0)

    def __getstate__(self) -> NoReturn:
        self.__reduce_ex__(0)

    # -- finalization ------------------------------------------------------------

    def _finalize(self, *, at_exit: bool = False) -> None:
        """Close an owned handle the program forgot, warning about it."""
        if not self._owns or _OPEN not in self._refs or self.is_closed or self.is_invalid:
            return
        where = "at interpreter exit" if at_exit else "by its finalizer"
        try:
            message = f"{self!r} was never closed; closed {where}"
            stack = _live.creation_stack(self)
            if stack:
                lines = "".join(traceback.format_list(list(stack)))
                message += f"\nIt was created at (most recent call last):\n{lines}"
            warnings.warn(message, ResourceWarning, stacklevel=1, source=self)
        except Exception as exc:  # warnings turned into errors, or a half torn-down interpreter
            _report_unraisable(exc, f"while finalizing {self!r}")
        # close(), but releasing as any call's end does: a finalizer runs wherever a collection
        # happens, possibly between someone's native call and the read of its last error.
        try:
            self._refs.remove(_OPEN)
        except ValueError:  # a close() in another thread got there first
            return
        try:
            self._closing()
            self.dangerous_release()
        except Exception as exc:
            _report_unraisable(exc, f"while closing {self!r} {where}")

    def __del__(self) -> None:
        # A half-built object (its __init__ failed) has no state yet: nothing to close.
        refs = getattr(self, "_refs", None)
        if refs and _OPEN in refs:
            self._finalize()

    def _state(self) -> str:
        if not self.is_closed:
            return "open" if _OPEN in self._refs else "closing"
        return "closed"

    def __repr__(self) -> str:
        ownership = "owned" if self._owns else "borrowed"
        value = "invalid" if self.is_invalid else f"{self._value:#x}"
        return f"<{type(self).__name__} handle={value} {ownership} {self._state()}>"


class _Borrowed:
    """The context manager returned by :meth:`SafeHandle.borrow`."""

    __slots__ = ("_handle",)

    def __init__(self, handle: SafeHandle) -> None:
        self._handle = handle

    def __enter__(self) -> int:
        self._handle.dangerous_add_ref()
        return self._handle._value

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._handle.dangerous_release()


class SafeHandleZeroOrMinusOneIsInvalid(SafeHandle):
    """A handle for which both 0 (NULL) and -1 (INVALID_HANDLE_VALUE) mean "none"."""

    __slots__ = ()

    def __init__(self, owns_handle: bool) -> None:
        # SafeHandle.__init__ with the invalid value known: every kind is built through here.
        self._value = 0
        self._owns = bool(owns_handle)
        self._refs = [_OWNER, _OPEN]

    @property
    def is_invalid(self) -> bool:
        return self._value in (0, -1)


class SafeHandleMinusOneIsInvalid(SafeHandle):
    """A handle for which only -1 (INVALID_HANDLE_VALUE) means "none"."""

    __slots__ = ()

    def __init__(self, owns_handle: bool) -> None:
        super().__init__(-1, owns_handle)

    @property
    def is_invalid(self) -> bool:
        return self._value == -1


class LastingReference:
    """A reference on a handle held beyond one call: for an operation the kernel goes on with.

    An overlapped ``ReadFile`` returns at once, but the kernel uses the
    handle's value (and the buffer, and the ``OVERLAPPED``) until it reports
    completion; a registered wait uses the value until it is unregistered.
    Taking this reference when the operation starts and releasing it when the
    completion has been reported is what keeps a concurrent ``close()`` from
    freeing (and the OS from recycling) the value in between. :meth:`call`
    passes the value to the native call that starts the operation;
    :meth:`release` gives the reference back, once, from any thread.
    """

    __slots__ = ("_handle", "_held")

    def __init__(self, handle: SafeHandle) -> None:
        handle.dangerous_add_ref()  # ObjectDisposedError if it is closed
        self._handle = handle
        self._held = [None]

    @property
    def handle(self) -> SafeHandle:
        return self._handle

    @property
    def value(self) -> int:
        """The raw value, for a table of values waited on (valid while held)."""
        return self._handle._value

    def call(self, function: Callable[[int, Unpack[_Args]], _R], /, *args: Unpack[_Args]) -> _R:
        """``function(value, *args)``; the reference must still be held."""
        if not self._held:
            raise ObjectDisposedError(f"the reference on {type(self._handle).__name__} was released")
        return function(self._handle._value, *args)

    def release(self) -> None:
        """Give the reference back (the last one releases the native handle); later calls do nothing."""
        try:
            self._held.pop()
        except IndexError:
            return
        self._handle.dangerous_release()


def held_call_0(handle: SafeHandle, function: Callable[[int], _R], /) -> _R:
    """``function(value)`` holding a reference on *handle*: :meth:`SafeHandle._call` with no arguments.

    The same steps as ``_call``, with a fixed arity, for the calls that are a
    kind's whole operation (``SetEvent``): the Win32 kinds' "no more than 3 %
    over the raw call" leaves no room for packing ``*args``.
    """
    refs = handle._refs
    refs.append(_REF)
    try:
        if refs[0] is not _OWNER:
            raise ObjectDisposedError(f"{type(handle).__name__} is closed")
        return function(handle._value)
    finally:
        token = refs.pop()
        if token is not _REF:
            handle._popped_marker(token)


def held_call_1(handle: SafeHandle, function: Callable[[int, _A], _R], a: _A, /) -> _R:
    """``function(value, a)`` holding a reference on *handle* (see :func:`held_call_0`)."""
    refs = handle._refs
    refs.append(_REF)
    try:
        if refs[0] is not _OWNER:
            raise ObjectDisposedError(f"{type(handle).__name__} is closed")
        return function(handle._value, a)
    finally:
        token = refs.pop()
        if token is not _REF:
            handle._popped_marker(token)


def held_call_2(handle: SafeHandle, function: Callable[[int, _A, _B], _R], a: _A, b: _B, /) -> _R:
    """``function(value, a, b)`` holding a reference on *handle*: :meth:`SafeHandle._call` for two arguments.

    The same steps as ``_call``, with a fixed arity: for a native call that
    stays in user mode (``HeapAlloc``, ``HeapFree``), packing ``*args`` costs
    about as much as the call itself.
    """
    refs = handle._refs
    refs.append(_REF)
    try:
        if refs[0] is not _OWNER:
            raise ObjectDisposedError(f"{type(handle).__name__} is closed")
        return function(handle._value, a, b)
    finally:
        token = refs.pop()
        if token is not _REF:
            handle._popped_marker(token)


@contextlib.contextmanager
def hold_all(handles: Iterable[SafeHandle]) -> Iterator[list[int]]:
    """Hold a reference on every handle for the block; yield their values, in order.

    For a native call that takes several handles (a wait on many, a spawn
    passing some to the child). A closed one raises ``ObjectDisposedError``
    before the block runs, with the references taken so far given back; a
    ``close()`` from another thread waits until the block ends.
    """
    held: list[SafeHandle] = []
    try:
        for handle in handles:
            handle.dangerous_add_ref()
            held.append(handle)
        yield [handle._value for handle in held]
    finally:
        failure: BaseException | None = None
        for handle in reversed(held):
            try:
                handle.dangerous_release()
            except BaseException as exc:  # a failed release must not leak the other references
                failure = failure or exc
        if failure is not None:
            raise failure
