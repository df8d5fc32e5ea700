"""Placeholder: waits that let Ctrl+C through (being written on another branch)."""

from __future__ import annotations

from collections.abc import Sequence

from .._bindings._constants import WaitResult
from .._bindings._errors import raise_winerror
from .._bindings._native import ffi, kernel32

__all__ = ["wait_objects"]


def wait_objects(values: Sequence[int], wait_all: bool, ms: int) -> int:
    if len(values) == 1:
        result = kernel32.WaitForSingleObject(values[0], ms)
    else:
        result = kernel32.WaitForMultipleObjects(len(values), ffi.new("HANDLE[]", list(values)), wait_all, ms)
    if result == WaitResult.FAILED:
        raise_winerror("WaitForMultipleObjects")
    return int(result)
