"""Private heaps: HeapCreate, destroyed by HeapDestroy; and the borrowed process heap.

A heap handle is an address, not an entry in the handle table, so it has no
inheritance or close protection. ``HeapFree`` of an address the heap did not
hand out corrupts the heap, and Windows may end the process for it, so each
wrapper remembers the blocks it allocated (``realloc`` moves the entry with
the block) and refuses any other address with ``ValueError`` before it
reaches the OS, in ``free``, ``realloc``, ``size`` and ``validate`` alike. For the same reason ``from_raw``
accepts only one of the process's heaps (``GetProcessHeaps``): any other
address would crash the first ``HeapAlloc``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Final

from typing_extensions import Self

from ..._bindings._constants import LONGLONG_MAX, QWORD_MAX, HeapOption
from ..._bindings._errors import check_not_null, raise_winerror
from ..._bindings._native import ffi, kernel32
from ..._core._safehandle import held_call_2
from ..._win32._arguments import integer
from ..._win32._buffers import Grow, grow_until_it_fits
from ..._win32._catalogue import Entry
from ..._win32._handles import Win32Handle

__all__ = ["Heap"]

_heap_alloc: Final = kernel32.HeapAlloc
_heap_free: Final = kernel32.HeapFree
_ZERO: Final = int(HeapOption.ZERO_MEMORY)
_SIZE_T_ERROR = QWORD_MAX  # HeapSize's failure value, (SIZE_T)-1


def _describe(address: object) -> str:
    return f"{address:#x}" if isinstance(address, int) else repr(address)


def _check_address(address: object) -> None:
    """For the slow path of a refused address: a non-int is a ``TypeError``, not a missing block."""
    integer(address, "address", minimum=0, maximum=None)


def _process_heaps() -> frozenset[int]:
    """Every heap of this process (``GetProcessHeaps``), grown until the list fits."""

    def attempt(size: int) -> frozenset[int] | Grow:
        heaps = ffi.new("HANDLE[]", size)
        count = kernel32.GetProcessHeaps(size, heaps)
        if count == 0:
            raise_winerror("GetProcessHeaps")
        if count <= size:
            return frozenset(int(heaps[i]) for i in range(count))
        return Grow(count + 16)  # more heaps than room: the count says how many

    return grow_until_it_fits("GetProcessHeaps", attempt, 64)


class Heap(Win32Handle):
    """A Windows heap: blocks of memory handed out as addresses (ints)."""

    catalogue: ClassVar[Entry] = Entry(
        row="Heap",
        creators=(("HeapCreate", "NULL"), ("GetProcessHeap", "NULL")),
        destroyer="`HeapDestroy`",
        ownership="owned; borrowed from `GetProcessHeap`",
    )

    __slots__ = ("_blocks",)
    _destroyer_name: ClassVar[str] = "HeapDestroy"

    @staticmethod
    def _destroy(value: int, /, _heap_destroy: Callable[[int], int] = kernel32.HeapDestroy) -> int:
        return _heap_destroy(value)

    def __init__(self, *, owns_handle: bool = True) -> None:
        super().__init__(owns_handle=owns_handle)
        self._blocks: set[int] = set()

    @classmethod
    def create(cls, *, initial_size: int = 0, maximum_size: int = 0) -> Self:
        """Create a private heap; ``maximum_size=0`` lets it grow as needed."""
        initial = integer(initial_size, "initial_size", minimum=0, maximum=LONGLONG_MAX)
        maximum = integer(maximum_size, "maximum_size", minimum=0, maximum=LONGLONG_MAX)
        if maximum and initial > maximum:
            raise ValueError(f"initial_size {initial} exceeds maximum_size {maximum}")
        return cls._adopt("HeapCreate", lambda: kernel32.HeapCreate(0, initial, maximum))[0]

    @classmethod
    def process_heap(cls) -> Self:
        """The process's default heap: borrowed, never destroyed."""
        value = check_not_null(kernel32.GetProcessHeap(), "GetProcessHeap")
        return cls._wrap(value, owns_handle=False)

    def _check_kind(self, value: int) -> None:
        """Accept only a heap of this process, and its default heap only as borrowed."""
        super()._check_kind(value)
        if value not in _process_heaps():
            raise TypeError(f"{value:#x} is not a heap of this process (GetProcessHeaps does not list it)")
        if self._owns and value == kernel32.GetProcessHeap():
            raise ValueError(
                f"{value:#x} is the process's default heap: it must never be destroyed, so it can "
                "only be wrapped as borrowed (owns_handle=False)"
            )

    # alloc and free stay in user mode, so the wrapper is most of their cost: they
    # go through the core's fixed-arity held call, and the natives are bound once.

    def alloc(self, size: int, *, zero: bool = False) -> int:
        """Allocate *size* bytes and return the block's address. ``MemoryError`` if the heap is full.

        The block's contents are whatever was there, unless ``zero=True``
        (``HEAP_ZERO_MEMORY``) fills it with zero bytes.
        """
        if type(size) is not int:  # one test on the hot path; bools and other types get the full check
            size = integer(size, "size", minimum=0, maximum=LONGLONG_MAX)
        try:
            address = held_call_2(self, _heap_alloc, _ZERO if zero else 0, size)
        except OverflowError:
            raise ValueError(f"size must be between 0 and {LONGLONG_MAX}, not {size}") from None
        if not address:  # HeapAlloc does not set a last error
            raise MemoryError(f"HeapAlloc could not allocate {size} bytes from {self!r}")
        self._blocks.add(address)
        return address

    def realloc(self, address: int, size: int, *, zero: bool = False, in_place: bool = False) -> int:
        """Resize a block this wrapper allocated to *size* bytes; return its address, which may be new.

        The contents are kept up to the smaller size; with ``zero=True``
        (``HEAP_ZERO_MEMORY``) the bytes a growing block gains are zero.
        With ``in_place=True`` (``HEAP_REALLOC_IN_PLACE_ONLY``) the block
        never moves, and a block that cannot grow where it is raises
        ``MemoryError``. On ``MemoryError`` the old block is still
        allocated, unchanged, at its old address. Any address this wrapper
        did not hand out is a ``ValueError``, as for :meth:`free`.
        """
        self._require_block(address)
        size = integer(size, "size", minimum=0, maximum=LONGLONG_MAX)
        flags = (_ZERO if zero else 0) | (HeapOption.REALLOC_IN_PLACE_ONLY if in_place else 0)
        moved = self._call(kernel32.HeapReAlloc, flags, address, size)
        if not moved:  # HeapReAlloc sets no last error either (without HEAP_GENERATE_EXCEPTIONS)
            where = " in place" if in_place else ""
            raise MemoryError(f"HeapReAlloc could not resize {address:#x} to {size} bytes{where} in {self!r}")
        if moved != address:
            self._blocks.discard(address)
            self._blocks.add(moved)
        return int(moved)

    def validate(self, address: int | None = None) -> bool:
        """Whether the heap (``address=None``) or one block of it is intact (``HeapValidate``).

        A corrupted heap or block (one written past its end) is False. A
        block must be one this wrapper allocated (``ValueError`` otherwise),
        since validating any other address may itself touch freed memory.
        """
        if address is not None:
            self._require_block(address)
        return bool(self._call(kernel32.HeapValidate, 0, 0 if address is None else address))

    def _require_block(self, address: object) -> None:
        """Refuse an address that is no live block here: ``ValueError`` (a non-int: ``TypeError``)."""
        try:
            live = address in self._blocks
        except TypeError:  # unhashable
            live = False
        if not live:
            _check_address(address)
            raise ValueError(f"{_describe(address)} is not a live block of {self!r}")

    def free(self, address: int) -> None:
        """Free a block this wrapper allocated; any other address is a ``ValueError``.

        ``0`` (NULL) frees nothing and succeeds, as ``HeapFree`` documents for a
        NULL pointer, so a block that was never allocated needs no special case;
        the heap must still be open.
        """
        null = type(address) is int and address == 0  # not False: a bool is no address
        if not null:
            try:
                self._blocks.remove(address)
            except (KeyError, TypeError):
                _check_address(address)
                raise ValueError(f"{_describe(address)} is not a live block of {self!r}") from None
        freed = held_call_2(self, _heap_free, 0, address)
        if not freed:
            if not null:
                self._blocks.add(address)
            raise_winerror("HeapFree")

    def size(self, address: int) -> int:
        """The size in bytes of a block this wrapper allocated."""
        self._require_block(address)
        size = self._call(kernel32.HeapSize, 0, address)
        if size == _SIZE_T_ERROR:
            raise_winerror("HeapSize")
        return size
