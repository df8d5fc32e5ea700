"""kernel32.dll, console input and screen buffers: declarations and their typed surface."""

from __future__ import annotations

from typing import Final, Protocol

from .._constants import NamedIntFlag
from .._types import CData

DECLARATIONS = """
HANDLE CreateConsoleScreenBuffer(DWORD dwDesiredAccess, DWORD dwShareMode,
                                 SECURITY_ATTRIBUTES *lpSecurityAttributes, DWORD dwFlags,
                                 void *lpScreenBufferData);
BOOL SetConsoleActiveScreenBuffer(HANDLE hConsoleOutput);
BOOL GetConsoleMode(HANDLE hConsoleHandle, DWORD *lpMode);
BOOL SetConsoleMode(HANDLE hConsoleHandle, DWORD dwMode);
BOOL WriteConsoleW(HANDLE hConsoleOutput, const void *lpBuffer, DWORD nNumberOfCharsToWrite,
                   DWORD *lpNumberOfCharsWritten, void *lpReserved);
BOOL GetNumberOfConsoleInputEvents(HANDLE hConsoleInput, DWORD *lpNumberOfEvents);
BOOL FlushConsoleInputBuffer(HANDLE hConsoleInput);
"""


class Console(Protocol):
    def CreateConsoleScreenBuffer(
        self,
        dwDesiredAccess: int,
        dwShareMode: int,
        lpSecurityAttributes: CData,
        dwFlags: int,
        lpScreenBufferData: CData,
        /,
    ) -> int: ...
    def SetConsoleActiveScreenBuffer(self, hConsoleOutput: int, /) -> int: ...
    def GetConsoleMode(self, hConsoleHandle: int, lpMode: CData, /) -> int: ...
    def SetConsoleMode(self, hConsoleHandle: int, dwMode: int, /) -> int: ...
    def WriteConsoleW(
        self,
        hConsoleOutput: int,
        lpBuffer: CData,
        nNumberOfCharsToWrite: int,
        lpNumberOfCharsWritten: CData,
        lpReserved: CData,
        /,
    ) -> int: ...
    def GetNumberOfConsoleInputEvents(self, hConsoleInput: int, lpNumberOfEvents: CData, /) -> int: ...
    def FlushConsoleInputBuffer(self, hConsoleInput: int, /) -> int: ...


#: wincon.h: the only screen-buffer type CreateConsoleScreenBuffer supports.
CONSOLE_TEXTMODE_BUFFER: Final = 1


class ConsoleMode(NamedIntFlag):
    """Console modes (consoleapi.h): the input bits (ENABLE_*_INPUT and friends) and the output bits."""

    PROCESSED_INPUT = 0x0001
    LINE_INPUT = 0x0002
    ECHO_INPUT = 0x0004
    WINDOW_INPUT = 0x0008
    MOUSE_INPUT = 0x0010
    INSERT_MODE = 0x0020
    QUICK_EDIT_MODE = 0x0040
    EXTENDED_FLAGS = 0x0080
    AUTO_POSITION = 0x0100
    VIRTUAL_TERMINAL_INPUT = 0x0200
    PROCESSED_OUTPUT = 0x0001
    WRAP_AT_EOL_OUTPUT = 0x0002
    VIRTUAL_TERMINAL_PROCESSING = 0x0004
    DISABLE_NEWLINE_AUTO_RETURN = 0x0008
    LVB_GRID_WORLDWIDE = 0x0010
