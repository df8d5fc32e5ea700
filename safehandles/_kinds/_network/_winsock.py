"""Winsock's start-up, shared by every socket wrapper.

Every Winsock call fails with ``WSANOTINITIALISED`` until the process called
``WSAStartup``, and each ``WSAStartup`` must be matched by one ``WSACleanup``.
When the last ``WSACleanup`` runs, Winsock frees its resources and *resets
every socket still open*, as if ``closesocket`` had been called on it: a
wrapper that outlived the clean-up would hold a dead value that the next
socket may reuse.

So the library counts. ``WSAStartup`` (version 2.2) runs when the count goes
from zero to one, ``WSACleanup`` when it comes back to zero. Each owned socket
wrapper holds one count from the moment it stores its value until after its
``closesocket``; a creator holds one more around the native call, so Winsock
is up for the call even when it fails. Because every socket holds its own
count, the order in which sockets are finalized (at collection or at exit)
never matters. One module-level lock guards the count (no lock per wrapper).

Winsock itself counts too: Python's ``socket`` module calls ``WSAStartup`` at
import and keeps Winsock up until the interpreter exits, independently of this
count.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Final

from ..._bindings._errors import raise_winerror
from ..._bindings._native import ffi, ws2_32
from ..._bindings._types import CData

__all__ = ["Winsock", "winsock"]

_VERSION_2_2: Final = 0x0202
_WSADATA_SIZE: Final = 512  # sizeof(WSADATA) is 408 on 64-bit Windows, 400 on 32-bit


class Winsock:
    """The process's reference count on Winsock (one instance: :data:`winsock`)."""

    __slots__ = ("_cleanup", "_count", "_lock", "_startup")

    def __init__(
        self,
        startup: Callable[[int, CData], int] = ws2_32.WSAStartup,
        cleanup: Callable[[], int] = ws2_32.WSACleanup,
    ) -> None:
        self._lock = threading.Lock()
        self._count = 0
        # Bound here so that a release still works while the interpreter tears down.
        self._startup = startup
        self._cleanup = cleanup

    @property
    def count(self) -> int:
        """How many references are held (0: this library has Winsock stopped)."""
        return self._count

    def acquire(self) -> None:
        """Take a reference, starting Winsock 2.2 if this is the first one."""
        with self._lock:
            if self._count == 0:
                data = ffi.new("char[]", _WSADATA_SIZE)
                error = self._startup(_VERSION_2_2, data)
                if error:  # WSAStartup returns its error; WSAGetLastError is not usable yet
                    raise_winerror("WSAStartup", error)
            self._count += 1

    def release(self) -> None:
        """Give a reference back, cleaning Winsock up if it was the last one."""
        with self._lock:
            if self._count <= 0:
                raise RuntimeError("Winsock reference released more often than taken")
            self._count -= 1
            if self._count == 0:
                self._cleanup()  # its only failure is "not started", which the count rules out

    @contextmanager
    def started(self) -> Iterator[None]:
        """Hold a reference for the block: Winsock is up inside it."""
        self.acquire()
        try:
            yield
        finally:
            self.release()


#: The process's Winsock reference count.
winsock: Final = Winsock()
