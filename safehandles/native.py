"""The raw Win32 functions behind the wrappers, for a hot loop under one held reference.

Every wrapped call takes a reference on its handle and gives it back, which
costs a few hundred nanoseconds: nothing next to a kernel call, but as much as
the call itself for one that stays in user mode (``HeapAlloc``, ``HeapFree``).
For a loop of many such calls on one handle, hold one reference for the whole
loop with ``borrow()`` and make the raw calls inside it::

    import safehandles as sh
    from safehandles import native

    with sh.Heap.create() as heap, heap.borrow() as value:
        alloc, free = native.kernel32.HeapAlloc, native.kernel32.HeapFree
        for _ in range(1000):
            block = alloc(value, 0, 64)
            if not block or not free(value, 0, block):
                raise MemoryError("HeapAlloc/HeapFree failed")

While the block runs the handle cannot be released: a ``close()`` (from this
thread or another) only drops the owner's reference, and the native handle is
released when the block ends. A closed wrapper's ``borrow()`` raises
:class:`~safehandles.ObjectDisposedError` instead of handing out a stale value.

What this module gives is the library's own cffi binding (out-of-line ABI
mode), typed by one ``Protocol`` per DLL so that ``mypy`` checks each call's
arguments: exactly the functions the wrappers call, with C types mapped to
``int`` (handles, addresses, ``BOOL``, ``DWORD``) and ``cffi`` pointers. Nothing
here checks a result, reads the last error or holds a reference: that is the
loop's own job, and so is what a wrapper method adds (``Heap.free`` refuses an
address the heap never handed out). Use :func:`last_error` for the thread's
last error right after a failed call.

On other platforms the names exist and have the same types, and calling any
function raises :class:`~safehandles.UnsupportedPlatformError`.
"""

from __future__ import annotations

from ._bindings._advapi32 import Advapi32
from ._bindings._errors import last_error
from ._bindings._kernel32 import Kernel32
from ._bindings._native import IS_WINDOWS, advapi32, ffi, kernel32, ntdll, user32, ws2_32
from ._bindings._ntdll import Ntdll
from ._bindings._user32 import User32
from ._bindings._ws2_32 import Ws2_32

__all__ = [
    "IS_WINDOWS",
    "Advapi32",
    "Kernel32",
    "Ntdll",
    "User32",
    "Ws2_32",
    "advapi32",
    "ffi",
    "kernel32",
    "last_error",
    "ntdll",
    "user32",
    "ws2_32",
]
