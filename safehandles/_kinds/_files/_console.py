"""Console input and screen buffers: CreateFileW on ``CONIN$`` / ``CONOUT$`` and
CreateConsoleScreenBuffer (all ``INVALID_HANDLE_VALUE`` on failure), closed by CloseHandle.

``CONIN$`` and ``CONOUT$`` open the console's input buffer and its active
screen buffer whatever the standard handles were redirected to; they fail
(``ERROR_INVALID_HANDLE`` and friends) in a process without a console.
``CreateConsoleScreenBuffer`` makes a further screen buffer that shows only
once :meth:`ConsoleScreenBuffer.activate` makes it the active one. Closing
the active buffer makes the console show the previous one again.
"""

from __future__ import annotations

from typing import ClassVar, Final

from typing_extensions import Self

from ..._bindings._constants import DWORD_MAX, INVALID_HANDLE_VALUE
from ..._bindings._errors import check_bool
from ..._bindings._kernel32._console import CONSOLE_TEXTMODE_BUFFER, ConsoleMode
from ..._bindings._kernel32._files import CreationDisposition, FileAccess, FileShare
from ..._bindings._native import ffi, kernel32
from ..._win32._arguments import integer
from ..._win32._catalogue import Entry
from ..._win32._handles import security_attributes
from ..._win32._stream import StreamHandle
from ._file import create_file

__all__ = ["ConsoleInput", "ConsoleScreenBuffer"]

_READ_WRITE: Final = FileAccess.GENERIC_READ | FileAccess.GENERIC_WRITE
_SHARE: Final = FileShare.READ | FileShare.WRITE
_WINE = (
    "works only when Wine runs under a terminal: tested from Linux under `script`; "
    "under the runner's pipes, the failure path (error 6)"
)


class _ConsoleHandle(StreamHandle):
    __slots__ = ()

    @classmethod
    def _open_device(cls, device: str, inheritable: bool) -> Self:
        result: Self = create_file(
            cls, "CreateFileW", device, _READ_WRITE, _SHARE, CreationDisposition.OPEN_EXISTING, 0, inheritable
        )
        return result

    @property
    def mode(self) -> ConsoleMode:
        """The console mode (``GetConsoleMode``); settable (``SetConsoleMode``)."""
        mode = ffi.new("DWORD *")
        check_bool(self._call(kernel32.GetConsoleMode, mode), "GetConsoleMode")
        return ConsoleMode(mode[0])

    @mode.setter
    def mode(self, mode: int) -> None:
        mode = integer(mode, "mode", minimum=0, maximum=DWORD_MAX, expected="ConsoleMode flags (an int)")
        check_bool(self._call(kernel32.SetConsoleMode, mode), "SetConsoleMode")


class ConsoleInput(_ConsoleHandle):
    """The console's input buffer (``CONIN$``)."""

    catalogue: ClassVar[Entry] = Entry(
        row="Console input",
        creators=(("CreateFileW", "INVALID_HANDLE_VALUE"),),
        destroyer="`CloseHandle`",
        ownership="owned",
        wine=_WINE,
    )

    __slots__ = ()

    @classmethod
    def open(cls, *, inheritable: bool = False) -> Self:
        """Open the console's input buffer (``CONIN$``); ``OSError`` without a console."""
        return cls._open_device("CONIN$", inheritable)

    def pending_events(self) -> int:
        """How many input events wait to be read (``GetNumberOfConsoleInputEvents``)."""
        count = ffi.new("DWORD *")
        check_bool(self._call(kernel32.GetNumberOfConsoleInputEvents, count), "GetNumberOfConsoleInputEvents")
        return int(count[0])

    def flush(self) -> None:
        """Discard every waiting input event (``FlushConsoleInputBuffer``)."""
        check_bool(self._call(kernel32.FlushConsoleInputBuffer), "FlushConsoleInputBuffer")


class ConsoleScreenBuffer(_ConsoleHandle):
    """A console screen buffer: the active one (``CONOUT$``) or a new one."""

    catalogue: ClassVar[Entry] = Entry(
        row="Console screen buffer",
        creators=(
            ("CreateFileW", "INVALID_HANDLE_VALUE"),
            ("CreateConsoleScreenBuffer", "INVALID_HANDLE_VALUE"),
        ),
        destroyer="`CloseHandle`",
        ownership="owned",
        wine=_WINE,
    )

    __slots__ = ()

    @classmethod
    def open(cls, *, inheritable: bool = False) -> Self:
        """Open the console's active screen buffer (``CONOUT$``); ``OSError`` without a console."""
        return cls._open_device("CONOUT$", inheritable)

    @classmethod
    def create(cls, *, inheritable: bool = False) -> Self:
        """Create a new screen buffer (``CreateConsoleScreenBuffer``), not yet shown."""
        return cls._adopt(
            "CreateConsoleScreenBuffer",
            lambda: kernel32.CreateConsoleScreenBuffer(
                _READ_WRITE, _SHARE, security_attributes(inheritable), CONSOLE_TEXTMODE_BUFFER, ffi.NULL
            ),
            fails_with=INVALID_HANDLE_VALUE,
        )[0]

    def write_text(self, text: str) -> int:
        """Write *text* to the buffer (``WriteConsoleW``); return the UTF-16 units written."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        encoded = text.encode("utf-16-le", "surrogatepass")
        units = len(encoded) // 2
        written = ffi.new("DWORD *")
        result = self._call(kernel32.WriteConsoleW, ffi.from_buffer(encoded), units, written, ffi.NULL)
        check_bool(result, "WriteConsoleW")
        return int(written[0])

    def activate(self) -> None:
        """Make this the buffer the console shows (``SetConsoleActiveScreenBuffer``)."""
        check_bool(self._call(kernel32.SetConsoleActiveScreenBuffer), "SetConsoleActiveScreenBuffer")
