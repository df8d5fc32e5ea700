"""Install a service, drive it through its states, read its configuration, and remove it.

Run it as an administrator: ``python examples/service_controller.py``. The
service is ``service_program/tiny_service.py`` run by this same Python; the
controlling side below uses safehandles alone. It ends with safehandles' own
leak check and exits 1 if anything it opened is still open.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import safehandles as sh

NAME = f"safehandles-example-{os.getpid()}"
PROGRAM = Path(__file__).resolve().parent / "service_program" / "tiny_service.py"
REPORT_CONTROL = 200  # tiny_service's own control code (user-defined codes are 128-255)


def drive(service: sh.Service) -> None:
    config = service.config()
    print(f"installed {NAME}: {config.start_type} start, runs as {config.account}")

    service.start()
    # start() returns once the service's process is running; wait until it says RUNNING.
    running = service.wait_for(sh.ServiceState.RUNNING, timeout=30)
    print(f"running in process {running.pid}, accepts {running.controls_accepted!r}")

    service.pause()
    print(f"state: {service.wait_for(sh.ServiceState.PAUSED, timeout=10).state}")
    service.resume()
    print(f"state: {service.wait_for(sh.ServiceState.RUNNING, timeout=10).state}")

    service.control(REPORT_CONTROL)
    print(f"sent control {REPORT_CONTROL}")

    service.stop()
    stopped = service.wait_for(sh.ServiceState.STOPPED, timeout=30)
    print(f"state: {stopped.state}, exit code {stopped.exit_code}")


def main() -> int:
    if sys.platform != "win32":
        print("this example needs Windows (or Windows Python under Wine)")
        return 0
    # safehandles' own leak check: anything left open is listed with where it was created.
    with sh.LeakCheck() as leaks:
        install_drive_and_delete()
    print("leak check:", leaks)
    return 0 if leaks.clean else 1


def install_drive_and_delete() -> None:
    # CREATE_SERVICE is what installing needs; the service handle gets every right by default.
    access = sh.ServiceManagerAccess.CONNECT | sh.ServiceManagerAccess.CREATE_SERVICE
    with sh.ServiceManager.open(access=access) as manager:
        command_line = f'"{sys.executable}" "{PROGRAM}" {NAME}'
        service = manager.create_service(NAME, command_line, display_name="safehandles example")
    # The service handle does not need the manager: it was closed above.
    with service:
        try:
            drive(service)
        finally:
            if service.status().state is not sh.ServiceState.STOPPED:
                service.stop()
                service.wait_for(sh.ServiceState.STOPPED, timeout=30)
            service.delete()  # removed once stopped and this last handle closes
    print(f"deleted {NAME}")


if __name__ == "__main__":
    sys.exit(main())
