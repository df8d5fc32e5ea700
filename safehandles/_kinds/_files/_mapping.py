"""File mappings (CreateFileMappingW / OpenFileMappingW, NULL on failure, closed by
CloseHandle) and their views (MapViewOfFile, NULL on failure, released by UnmapViewOfFile).

A view is an address range, not a handle-table entry: :class:`MappedView`
wraps the view's base address and ``UnmapViewOfFile`` is its destroyer. The
kernel keeps the section alive while any view of it is mapped, so a view
needs nothing else: closing the :class:`FileMapping` (or the :class:`File`
behind it) leaves existing views working.

Memory a program still points into must not be unmapped. Python code points
into a view through a ``memoryview``; :meth:`MappedView.buffer` hands one out
that holds a reference on the view for as long as it (or any slice of it)
exists. A ``close()`` meanwhile only marks the view closed: ``UnmapViewOfFile``
runs when the last such reference goes, so a memoryview can never outlive
the mapping it shows. ``with view.buffer() as mv:`` releases the memoryview
at the end of the block.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, ClassVar, Final

from typing_extensions import Buffer, Self

from ..._bindings._constants import DWORD_MAX, INVALID_HANDLE_VALUE, LONGLONG_MAX, WinError
from ..._bindings._errors import check_bool, raise_winerror
from ..._bindings._kernel32._mapping import MEM_COMMIT, MEM_MAPPED, FileMapAccess, PageProtection
from ..._bindings._native import ffi, kernel32
from ..._bindings._types import CData
from ..._win32._arguments import bytes_like, integer, object_name
from ..._win32._catalogue import Entry
from ..._win32._handles import KernelHandle, Win32Handle, security_attributes
from ._file import File

__all__ = ["FileMapping", "MappedView"]

_WRITABLE: Final = (
    PageProtection.READWRITE
    | PageProtection.WRITECOPY
    | PageProtection.EXECUTE_READWRITE
    | PageProtection.EXECUTE_WRITECOPY
)
_PROTECTIONS: Final = frozenset(
    {
        PageProtection.READONLY,
        PageProtection.READWRITE,
        PageProtection.WRITECOPY,
        PageProtection.EXECUTE_READ,
        PageProtection.EXECUTE_READWRITE,
        PageProtection.EXECUTE_WRITECOPY,
    }
)
_COPY_ON_WRITE: Final = PageProtection.WRITECOPY | PageProtection.EXECUTE_WRITECOPY
# SEC_RESERVE is refused: its pages would need VirtualAlloc(MEM_COMMIT) before any
# access, and a read or write through a view of reserved pages crashes the process.
_SECTION_FLAGS: Final = PageProtection.SEC_COMMIT


def _protection(protect: int) -> int:
    integer(protect, "protect", minimum=0, maximum=None, expected="a PageProtection")
    if protect & ~_SECTION_FLAGS not in _PROTECTIONS:
        raise ValueError(f"protect {protect:#x} must be one PAGE_* protection (plus SEC_COMMIT)")
    return protect


class FileMapping(KernelHandle):
    """A section object: memory backed by the paging file or by a :class:`File`, shareable by name.

    >>> with FileMapping.create(4096, name=r"Local\\shared") as mapping, mapping.map() as view:
    ...     view.write(0, b"hello")

    A :meth:`duplicate` maps views that are writable only if the copy's access allows.
    """

    catalogue: ClassVar[Entry] = Entry(
        row="File mapping",
        creators=(("CreateFileMappingW", "NULL"), ("OpenFileMappingW", "NULL")),
        destroyer="`CloseHandle`",
        ownership="owned",
    )
    _object_type = "Section"
    _rights = FileMapAccess

    __slots__ = ("_copy_on_write", "_created_new", "_size", "_writable")

    def __init__(self, *, owns_handle: bool = True) -> None:
        super().__init__(owns_handle=owns_handle)
        self._created_new = False
        self._size: int | None = None
        self._writable = True
        self._copy_on_write = False

    @property
    def created_new(self) -> bool:
        """False when a create found a mapping of that name already there (or for ``open``)."""
        return self._created_new

    @property
    def size(self) -> int | None:
        """The mapping's size in bytes when this wrapper knows it (not after ``open``)."""
        return self._size

    @classmethod
    def create(
        cls,
        size: int | None = None,
        *,
        file: File | None = None,
        protect: int = PageProtection.READWRITE,
        name: str | None = None,
        inheritable: bool = False,
    ) -> Self:
        """Create a mapping, or open the existing one of that name (then ``created_new`` is False).

        Without *file* it is backed by the paging file and needs a *size*.
        With a :class:`File` (opened with the access *protect* needs) it maps
        that file; *size* defaults to the file's size, and a larger size
        extends the file. The mapping does not need the file handle
        afterwards.
        """
        checked = object_name(name)
        protection = _protection(protect)
        if size is not None:
            size = integer(size, "size", minimum=1, maximum=LONGLONG_MAX)
        if file is None:
            if size is None:
                raise ValueError("a mapping backed by the paging file needs a size")
        elif not isinstance(file, File):
            raise TypeError(f"file must be a File, not {type(file).__name__}")
        native_name = ffi.NULL if checked is None else checked
        high, low = (0, 0) if size is None else (size >> 32, size & DWORD_MAX)
        attributes = security_attributes(inheritable)

        def create_over(value: int) -> int:
            kernel32.SetLastError(0)  # a fresh mapping leaves the last error as it found it
            return kernel32.CreateFileMappingW(value, attributes, protection, high, low, native_name)

        if file is None:
            self, error = cls._adopt(
                "CreateFileMappingW", lambda: create_over(INVALID_HANDLE_VALUE), filename=checked
            )
        else:
            with file.borrow() as file_value:  # the file stays open for the call
                if size is None:
                    size = file.size()
                self, error = cls._adopt(
                    "CreateFileMappingW", lambda: create_over(file_value), filename=checked
                )
        self._created_new = error != WinError.ALREADY_EXISTS
        self._size = size if self._created_new else None
        self._writable = bool(protection & _WRITABLE)
        self._copy_on_write = bool(protection & _COPY_ON_WRITE)
        return self

    def _duplicate_here(self, access: int | None, inheritable: bool) -> Self:
        # The copy knows what this wrapper knows; its views are writable only if its access allows.
        copy = super()._duplicate_here(access, inheritable)
        copy._size = self._size
        copy._copy_on_write = self._copy_on_write
        # What the copy may map is what it was granted: generic rights and MAXIMUM_ALLOWED are
        # only known once the system has mapped them.
        try:
            copy._writable = self._writable and copy._granted_write()
        except BaseException:
            copy.close()
            raise
        return copy

    @classmethod
    def open(
        cls,
        name: str,
        *,
        access: int = FileMapAccess.READ | FileMapAccess.WRITE,
        inheritable: bool = False,
    ) -> Self:
        """Open an existing named mapping; by default for reading and writing views."""
        checked = object_name(name, optional=False)
        mask = cls._access(access)
        self = cls._adopt(
            "OpenFileMappingW",
            lambda: kernel32.OpenFileMappingW(mask, bool(inheritable), checked),
            filename=checked,
        )[0]
        try:
            self._writable = self._granted_write()
        except BaseException:
            self.close()
            raise
        return self

    def _granted_write(self) -> bool:
        """Whether this handle was granted the right to map views for writing."""
        return bool(self.granted_access & FileMapAccess.WRITE)

    def map(self, *, offset: int = 0, size: int | None = None, writable: bool | None = None) -> MappedView:
        """Map a view (``MapViewOfFile``) of *size* bytes from *offset* (a multiple of 64 KiB).

        *size* defaults to the rest of the mapping. The view is writable
        when the mapping is (unless ``writable=False``).
        """
        offset = integer(offset, "offset", minimum=0, maximum=LONGLONG_MAX)
        if size is not None:
            size = integer(size, "size", minimum=1, maximum=LONGLONG_MAX)
        write = self._writable if writable is None else bool(writable)
        # A copy-on-write section maps with FILE_MAP_COPY: FILE_MAP_WRITE needs a read-write section.
        writing = FileMapAccess.COPY if self._copy_on_write else FileMapAccess.WRITE
        access = FileMapAccess.READ | (writing if write else 0)
        view = MappedView._adopt(
            "MapViewOfFile",
            lambda: self._call(kernel32.MapViewOfFile, access, offset >> 32, offset & DWORD_MAX, size or 0),
        )[0]
        view._writable = write
        if size is None and self._size is not None:
            size = self._size - offset
        view._size = size
        return view


class MappedView(Win32Handle):
    """A mapped view of a :class:`FileMapping`: its handle value is the view's base address."""

    catalogue: ClassVar[Entry] = Entry(
        row="File mapping",
        creators=(("MapViewOfFile", "NULL"),),
        destroyer="`UnmapViewOfFile`",
        ownership="owned",
    )

    __slots__ = ("_size", "_writable")
    _destroyer_name: ClassVar[str] = "UnmapViewOfFile"

    @staticmethod
    def _destroy(value: int, /, _unmap: Callable[[int], int] = kernel32.UnmapViewOfFile) -> int:
        return _unmap(value)

    def __init__(self, *, owns_handle: bool = True) -> None:
        super().__init__(owns_handle=owns_handle)
        self._size: int | None = None
        self._writable = True

    def _check_kind(self, value: int) -> None:
        """Accept only the base address of a committed, readable view (``VirtualQuery``).

        Reading or unmapping any other address would crash the process or
        unmap memory someone else uses. The view is writable only if its
        pages are.
        """
        super()._check_kind(value)
        info = _query(value)
        protect = 0 if info is None else int(info.Protect)
        if (
            info is None
            or int(info.Type) != MEM_MAPPED
            or int(info.AllocationBase) != value
            or int(info.State) != MEM_COMMIT
            or protect not in _PROTECTIONS  # no access, or a guard page: the first read would fault
        ):
            raise TypeError(f"{value:#x} is not the base address of a mapped view of a file mapping")
        self._writable = bool(protect & _WRITABLE)

    @property
    def address(self) -> int:
        """The view's base address (the wrapped value)."""
        return self._call(lambda value: value)

    @property
    def writable(self) -> bool:
        """Whether the view was mapped for writing."""
        return self._writable

    def __len__(self) -> int:
        if self._size is None:
            info = self._call(_query)
            if info is None:
                raise_winerror("VirtualQuery")
            self._size = int(info.RegionSize)
        return self._size

    def buffer(self) -> ViewBuffer:
        """The view as a ``memoryview`` (read-only for a read-only view), for a ``with`` block.

        ``with view.buffer() as mv:`` yields the memoryview and releases it at
        the end of the block. While it or any slice of it is alive, the view
        stays mapped: a ``close()`` is deferred until they are gone.
        """
        return ViewBuffer(self)

    def _pinned_pointer(self) -> CData:
        """A ``char *`` to the view that holds a reference on it until the pointer is collected.

        For buffers that outlive any one call: the reference is taken here and
        given back by the pointer's ``ffi.gc`` destructor, exactly once.
        """
        self.dangerous_add_ref()
        try:
            return self._call(lambda value: ffi.gc(ffi.cast("char *", value), _Release(self)))
        except BaseException:
            self.dangerous_release()
            raise

    def read(self, offset: int = 0, size: int | None = None) -> bytes:
        """Copy *size* bytes (default: to the end) from *offset* in the view."""
        start, count = self._span(offset, size)
        return self._call(lambda value: bytes(ffi.buffer(ffi.cast("char *", value + start), count)))

    def write(self, offset: int, data: Buffer) -> None:
        """Copy *data* (bytes-like) into the view at *offset*."""
        if not self._writable:
            raise ValueError(f"{self!r} is mapped read-only")
        source = bytes_like(data)
        start, count = self._span(offset, len(source))
        self._call(lambda value: ffi.memmove(ffi.cast("char *", value + start), source, count))

    def flush(self, offset: int = 0, size: int | None = None) -> None:
        """Write the view's changed pages to the file behind it (``FlushViewOfFile``)."""
        start, count = self._span(offset, size)
        check_bool(
            self._call(lambda value: kernel32.FlushViewOfFile(value + start, count)), "FlushViewOfFile"
        )

    def _span(self, offset: int, size: int | None) -> tuple[int, int]:
        length = len(self)
        offset = integer(offset, "offset", minimum=0, maximum=length)
        if size is None:
            return offset, length - offset
        size = integer(size, "size", minimum=0, maximum=length - offset)
        return offset, size


def _query(address: int) -> Any:
    """``VirtualQuery``'s MEMORY_BASIC_INFORMATION for the region at *address*, or None if it failed."""
    info: Any = ffi.new("MEMORY_BASIC_INFORMATION *")
    size = ffi.sizeof("MEMORY_BASIC_INFORMATION")
    return info if kernel32.VirtualQuery(address, info, size) == size else None


class ViewBuffer:
    """What :meth:`MappedView.buffer` returns: a context manager over a memoryview of the view."""

    __slots__ = ("_memory", "_view")

    def __init__(self, view: MappedView) -> None:
        self._view = view
        self._memory: memoryview | None = None

    def __enter__(self) -> memoryview:
        view = self._view
        size = len(view)
        pointer = view._pinned_pointer()
        # The memoryview keeps the cffi buffer, which keeps *pointer*: the view's
        # reference goes only when the last memoryview over it is collected.
        memory = memoryview(ffi.buffer(pointer, size))
        if not view._writable:
            memory = memory.toreadonly()
        self._memory = memory
        return memory

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        memory, self._memory = self._memory, None
        if memory is not None:
            memory.release()


class _Release:
    """ffi.gc's destructor: gives back the view reference a buffer held, once."""

    __slots__ = ("_view",)

    def __init__(self, view: MappedView) -> None:
        self._view: MappedView | None = view

    def __call__(self, _pointer: object) -> None:
        view, self._view = self._view, None
        if view is not None:
            view.dangerous_release()
