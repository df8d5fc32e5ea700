"""The service side for service_controller.py: a minimal Windows service in Python.

Run by the service control manager, not by hand: ``python.exe tiny_service.py NAME``.
It reports RUNNING, then obeys stop, pause, continue and interrogate, and
answers the user-defined control 200 by writing a line to the file named by
its second argument (if any), so a controller can see that the code arrived.
Started with the argument ``fail`` (``service.start("fail")``), it runs for
a moment, then stops with its own exit code 42, as a failing service does.

safehandles covers the controlling side. This side is the service dispatcher
(``StartServiceCtrlDispatcherW``, ``RegisterServiceCtrlHandlerExW`` and
``SetServiceStatus``): callbacks and a status handle that is not a kernel
handle, which no safehandles kind owns, so it is written with ctypes here.
"""

from __future__ import annotations

import ctypes
import sys
import threading
from typing import Any

# winsvc.h values this program uses.
SERVICE_WIN32_OWN_PROCESS = 0x10
STOPPED, START_PENDING, STOP_PENDING, RUNNING, PAUSED = 1, 2, 3, 4, 7
ACCEPT_STOP, ACCEPT_PAUSE_CONTINUE = 0x1, 0x2
CONTROL_STOP, CONTROL_PAUSE, CONTROL_CONTINUE, CONTROL_INTERROGATE = 1, 2, 3, 4
CONTROL_REPORT = 200  # this service's own code
ERROR_CALL_NOT_IMPLEMENTED = 120
ERROR_SERVICE_SPECIFIC_ERROR = 1066
FAILURE_CODE = 42
LIFETIME = 120.0  # seconds: never outlive a controller that forgot to stop it


class _Status(ctypes.Structure):
    _fields_ = [
        (field, ctypes.c_uint32)
        for field in ("type", "state", "accepted", "exit_code", "specific", "checkpoint", "hint")
    ]


def main() -> int:
    if sys.platform != "win32":
        print("a Windows service runs only on Windows", file=sys.stderr)
        return 2
    loader: Any = ctypes  # WinDLL and WINFUNCTYPE exist only on Windows
    advapi32 = loader.WinDLL("advapi32", use_last_error=True)
    advapi32.RegisterServiceCtrlHandlerExW.restype = ctypes.c_void_p
    advapi32.SetServiceStatus.argtypes = [ctypes.c_void_p, ctypes.POINTER(_Status)]
    name = sys.argv[1] if len(sys.argv) > 1 else "tiny_service"
    report_file = sys.argv[2] if len(sys.argv) > 2 else None
    stopping = threading.Event()
    status = _Status(SERVICE_WIN32_OWN_PROCESS, START_PENDING, 0, 0, 0, 0, 3000)
    status_handle: list[int] = []

    def report(state: int) -> None:
        status.state = state
        status.accepted = 0 if state in (START_PENDING, STOP_PENDING) else ACCEPT_STOP | ACCEPT_PAUSE_CONTINUE
        advapi32.SetServiceStatus(status_handle[0], ctypes.byref(status))

    def handler(control: int, _event: int, _data: int, _context: int) -> int:
        if control == CONTROL_STOP:
            report(STOP_PENDING)
            stopping.set()
        elif control == CONTROL_PAUSE:
            report(PAUSED)
        elif control == CONTROL_CONTINUE:
            report(RUNNING)
        elif control == CONTROL_INTERROGATE:
            report(status.state)
        elif control == CONTROL_REPORT and report_file is not None:
            with open(report_file, "a", encoding="utf-8") as out:
                out.write(f"control {control}\n")
        else:
            return ERROR_CALL_NOT_IMPLEMENTED
        return 0

    dword, pointer = ctypes.c_uint32, ctypes.c_void_p
    handler_type = loader.WINFUNCTYPE(dword, dword, dword, pointer, pointer)
    main_type = loader.WINFUNCTYPE(None, ctypes.c_uint32, ctypes.POINTER(ctypes.c_wchar_p))
    handler_callback = handler_type(handler)  # kept referenced for the process's life

    def service_main(argc: int, argv: Any) -> None:
        status_handle.append(advapi32.RegisterServiceCtrlHandlerExW(name, handler_callback, None))
        arguments = [argv[i] for i in range(1, argc)]  # argv[0] is the service's name
        report(RUNNING)
        if "fail" in arguments:
            stopping.wait(0.5)
            status.exit_code, status.specific = ERROR_SERVICE_SPECIFIC_ERROR, FAILURE_CODE
            report(STOPPED)
            return
        stopping.wait(LIFETIME)
        report(STOPPED)

    main_callback = main_type(service_main)

    class _Entry(ctypes.Structure):
        _fields_ = [("name", ctypes.c_wchar_p), ("main", main_type)]

    table = (_Entry * 2)(_Entry(name, main_callback), _Entry(None, main_type()))
    if not advapi32.StartServiceCtrlDispatcherW(table):  # returns when the service has stopped
        error = ctypes.get_last_error()
        print(f"not started by the service control manager (error {error})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
