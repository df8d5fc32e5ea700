"""Communications devices: CreateFileW on ``\\\\.\\COMn`` (``INVALID_HANDLE_VALUE`` on
failure), closed by CloseHandle.

A serial port is opened exclusively (no sharing) and read and written like a
file. Its line settings live in a ``DCB`` (``GetCommState``/``SetCommState``)
and its read and write timeouts in a ``COMMTIMEOUTS``
(``GetCommTimeouts``/``SetCommTimeouts``); :meth:`CommDevice.configure`
changes only the settings it is given, on top of the current ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from typing_extensions import Self

from ..._bindings._constants import DWORD_MAX
from ..._bindings._errors import check_bool
from ..._bindings._kernel32._comm import Parity, StopBits
from ..._bindings._kernel32._files import CreationDisposition, FileAccess, FileShare
from ..._bindings._native import ffi, kernel32
from ..._win32._arguments import integer, member, text
from ..._win32._catalogue import Entry
from ..._win32._stream import StreamHandle
from ._file import create_file

__all__ = ["CommDevice", "CommSettings", "CommTimeouts"]


@dataclass(frozen=True)
class CommSettings:
    """A serial line's settings (the fields of its ``DCB`` most programs change)."""

    baud_rate: int
    byte_size: int
    parity: Parity
    stop_bits: StopBits


@dataclass(frozen=True)
class CommTimeouts:
    """A serial device's timeouts (``COMMTIMEOUTS``), in milliseconds, as Microsoft's page describes."""

    read_interval: int = 0
    read_total_multiplier: int = 0
    read_total_constant: int = 0
    write_total_multiplier: int = 0
    write_total_constant: int = 0


def _port_path(port: str | int) -> str:
    if isinstance(port, bool):
        raise TypeError("port must be a name like 'COM3' or a number, not bool")
    if isinstance(port, int):
        return rf"\\.\COM{integer(port, 'port', minimum=1, maximum=255)}"
    if not isinstance(port, str):
        raise TypeError(f"port must be a name like 'COM3' or a number, not {type(port).__name__}")
    name = text(port, "port", empty=False)
    if "\\" in name or "/" in name:
        raise ValueError(f"port must be a device name like 'COM3', not {name!r}")
    return rf"\\.\{name}"


class CommDevice(StreamHandle):
    """A serial port.

    >>> with CommDevice.open("COM3") as port:
    ...     port.configure(baud_rate=115200, byte_size=8, parity=Parity.NONE, stop_bits=StopBits.ONE)
    ...     port.write(b"AT\\r")
    """

    catalogue: ClassVar[Entry] = Entry(
        row="Communications device",
        creators=(("CreateFileW", "INVALID_HANDLE_VALUE"),),
        destroyer="`CloseHandle`",
        ownership="owned",
        wine="failure path and argument checks; settings against COM1 only where Wine maps it to /dev/ttyS0",
    )
    _object_type = "File"

    __slots__ = ()

    @classmethod
    def open(cls, port: str | int) -> Self:
        """Open the serial port *port* (``"COM3"`` or ``3``) for reading and writing, exclusively.

        A port that does not exist raises ``FileNotFoundError``; one another
        program holds, ``PermissionError``.
        """
        path = _port_path(port)
        access = FileAccess.GENERIC_READ | FileAccess.GENERIC_WRITE
        result: Self = create_file(
            cls, "CreateFileW", path, access, FileShare.NONE, CreationDisposition.OPEN_EXISTING, 0, False
        )
        return result

    def _dcb(self) -> Any:
        dcb: Any = ffi.new("DCB *")
        dcb.DCBlength = ffi.sizeof("DCB")
        check_bool(self._call(kernel32.GetCommState, dcb), "GetCommState")
        return dcb

    def settings(self) -> CommSettings:
        """The line's current settings (``GetCommState``)."""
        dcb = self._dcb()
        return CommSettings(
            baud_rate=int(dcb.BaudRate),
            byte_size=int(dcb.ByteSize),
            parity=Parity(dcb.Parity),
            stop_bits=StopBits(dcb.StopBits),
        )

    def configure(
        self,
        *,
        baud_rate: int | None = None,
        byte_size: int | None = None,
        parity: Parity | None = None,
        stop_bits: StopBits | None = None,
    ) -> CommSettings:
        """Change the given line settings (``SetCommState``), keep the others; return the result."""
        if baud_rate is not None:
            baud_rate = integer(baud_rate, "baud_rate", minimum=1, maximum=DWORD_MAX)
        if byte_size is not None:
            byte_size = integer(byte_size, "byte_size", minimum=4, maximum=8)
        checked_parity = None if parity is None else int(member(parity, Parity, "parity"))
        checked_stop = None if stop_bits is None else int(member(stop_bits, StopBits, "stop_bits"))
        dcb = self._dcb()
        if baud_rate is not None:
            dcb.BaudRate = baud_rate
        if byte_size is not None:
            dcb.ByteSize = byte_size
        if checked_parity is not None:
            dcb.Parity = checked_parity
        if checked_stop is not None:
            dcb.StopBits = checked_stop
        check_bool(self._call(kernel32.SetCommState, dcb), "SetCommState")
        return self.settings()

    @property
    def timeouts(self) -> CommTimeouts:
        """The device's timeouts (``GetCommTimeouts``); assign a :class:`CommTimeouts` to change them."""
        value: Any = ffi.new("COMMTIMEOUTS *")
        check_bool(self._call(kernel32.GetCommTimeouts, value), "GetCommTimeouts")
        return CommTimeouts(
            int(value.ReadIntervalTimeout),
            int(value.ReadTotalTimeoutMultiplier),
            int(value.ReadTotalTimeoutConstant),
            int(value.WriteTotalTimeoutMultiplier),
            int(value.WriteTotalTimeoutConstant),
        )

    @timeouts.setter
    def timeouts(self, timeouts: CommTimeouts) -> None:
        if not isinstance(timeouts, CommTimeouts):
            raise TypeError(f"timeouts must be a CommTimeouts, not {type(timeouts).__name__}")
        fields = [
            integer(getattr(timeouts, name), name, minimum=0, maximum=DWORD_MAX)
            for name in CommTimeouts.__dataclass_fields__
        ]
        value = ffi.new("COMMTIMEOUTS *", fields)
        check_bool(self._call(kernel32.SetCommTimeouts, value), "SetCommTimeouts")
