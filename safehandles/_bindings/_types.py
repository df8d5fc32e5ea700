"""C types shared by every DLL's declarations, and their Python-side aliases.

``HANDLE`` is declared as ``intptr_t`` rather than ``void *``. The two are passed
and returned identically by every Windows calling convention (one integer
register), and as an integer type cffi converts it straight to and from a
Python ``int``: handle values stay plain signed ints (``INVALID_HANDLE_VALUE``
is -1) with no ``ffi.cast`` on the hot path. ``ADDRESS`` does the same for the
pointers the library hands out as ints (heap blocks, module bases).

Sizes are spelled out (``uint32_t`` for ``DWORD``, ``char16_t`` for ``WCHAR``)
so the declarations mean the same thing on every platform cffi parses them on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    import _cffi_backend

    CData: TypeAlias = _cffi_backend._CDataBase
else:
    CData = object

#: What a ``const WCHAR *`` argument accepts: a str, or a cdata pointer (``ffi.NULL`` for none).
WideString: TypeAlias = "str | CData"

DECLARATIONS = """
typedef int32_t BOOL;
typedef uint8_t BYTE;
typedef uint16_t WORD;
typedef uint16_t USHORT;
typedef uint32_t DWORD;
typedef int32_t LONG;
typedef uint32_t ULONG;
typedef uint32_t UINT;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG;
typedef size_t SIZE_T;
typedef uintptr_t ULONG_PTR;
typedef char16_t WCHAR;
typedef intptr_t HANDLE;
typedef uintptr_t ADDRESS;
/* LARGE_INTEGER is a union whose whole value is one 64-bit integer: int64_t
   has the same layout, and on x64 the same calling convention by value. */
typedef int64_t LARGE_INTEGER;

typedef struct _SECURITY_ATTRIBUTES {
    DWORD nLength;
    void *lpSecurityDescriptor;
    BOOL bInheritHandle;
} SECURITY_ATTRIBUTES;
"""
