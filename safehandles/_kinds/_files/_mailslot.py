"""Mailslots: CreateMailslotW (``INVALID_HANDLE_VALUE`` on failure), closed by CloseHandle.

A mailslot is a one-way message queue: the process that creates it reads
whole messages, and any client writes to it by opening
``\\\\.\\mailslot\\name`` with :meth:`File.open` (``FileShare.READ``, write
access). Each read returns one message; how long a read waits for one is the
mailslot's read timeout, which :attr:`Mailslot.read_timeout` reads and sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Final

from typing_extensions import Self

from ..._bindings._constants import INVALID_HANDLE_VALUE, WinError
from ..._bindings._errors import check_bool, last_error, raise_winerror
from ..._bindings._kernel32._pipes import MAILSLOT_NO_MESSAGE, MAILSLOT_WAIT_FOREVER
from ..._bindings._native import ffi, kernel32
from ..._win32._arguments import integer, milliseconds, object_name
from ..._win32._catalogue import Entry
from ..._win32._handles import security_attributes
from ..._win32._stream import StreamHandle

__all__ = ["Mailslot", "MailslotInfo"]

_DEFAULT_READ: Final = 64 * 1024


def _timeout(ms: int) -> float | None:
    return None if ms == MAILSLOT_WAIT_FOREVER else ms / 1000


@dataclass(frozen=True)
class MailslotInfo:
    """What ``GetMailslotInfo`` reports."""

    #: The largest message the mailslot accepts (0: any size).
    max_message_size: int
    #: The size of the next message, or None when none is waiting.
    next_size: int | None
    #: How many messages are waiting.
    message_count: int
    #: How long a read waits for a message, in seconds (None: forever).
    read_timeout: float | None


class Mailslot(StreamHandle):
    """The server end of a mailslot: it reads the messages clients write.

    >>> with Mailslot.create(r"\\\\.\\mailslot\\app\\log", read_timeout=0) as slot:
    ...     message = slot.read_message()  # None when nothing is waiting
    """

    catalogue: ClassVar[Entry] = Entry(
        row="Mailslot",
        creators=(("CreateMailslotW", "INVALID_HANDLE_VALUE"),),
        destroyer="`CloseHandle`",
        ownership="owned",
        wine="tested (`GetMailslotInfo` counts at most one waiting message)",
    )
    _object_type = "File"

    __slots__ = ()

    @classmethod
    def create(
        cls,
        name: str,
        *,
        max_message_size: int = 0,
        read_timeout: float | None = None,
        inheritable: bool = False,
    ) -> Self:
        """Create the mailslot *name* (``\\\\.\\mailslot\\...``).

        *read_timeout* is how long a read waits for a message, in seconds
        (None: forever, 0: not at all). A name already in use raises
        ``FileExistsError``.
        """
        checked = object_name(name, optional=False)
        largest = integer(max_message_size, "max_message_size", minimum=0, maximum=0xFFFF_FFFE)
        timeout = milliseconds(read_timeout, "read_timeout")
        return cls._adopt(
            "CreateMailslotW",
            lambda: kernel32.CreateMailslotW(checked, largest, timeout, security_attributes(inheritable)),
            fails_with=INVALID_HANDLE_VALUE,
            filename=checked,
        )[0]

    def info(self) -> MailslotInfo:
        """The mailslot's limits and what is waiting in it (``GetMailslotInfo``)."""
        largest, following, count, timeout = (ffi.new("DWORD *") for _ in range(4))
        check_bool(
            self._call(kernel32.GetMailslotInfo, largest, following, count, timeout), "GetMailslotInfo"
        )
        return MailslotInfo(
            max_message_size=int(largest[0]),
            next_size=None if following[0] == MAILSLOT_NO_MESSAGE else int(following[0]),
            message_count=int(count[0]),
            read_timeout=_timeout(int(timeout[0])),
        )

    @property
    def read_timeout(self) -> float | None:
        """How long a read waits for a message, in seconds (None: forever); settable."""
        return self.info().read_timeout

    @read_timeout.setter
    def read_timeout(self, timeout: float | None) -> None:
        ms = milliseconds(timeout, "read_timeout")
        check_bool(self._call(kernel32.SetMailslotInfo, ms), "SetMailslotInfo")

    def read_message(self) -> bytes | None:
        """Read the next whole message, waiting up to the read timeout; None if none came.

        The buffer is sized from ``GetMailslotInfo``, so any message fits.
        """
        while True:
            info = self.info()
            size = info.next_size or info.max_message_size or _DEFAULT_READ
            buffer = ffi.new("char[]", max(size, 1))
            done = ffi.new("DWORD *")
            if self._call(kernel32.ReadFile, buffer, size, done, ffi.NULL):
                return bytes(ffi.buffer(buffer, done[0]))
            error = last_error()
            if error == WinError.SEM_TIMEOUT:
                return None
            if error != WinError.INSUFFICIENT_BUFFER:  # a larger message arrived meanwhile: again
                raise_winerror("ReadFile", error)
