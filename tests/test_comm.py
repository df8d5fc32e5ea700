"""Communications devices (CreateFileW on \\\\.\\COMn / CloseHandle).

There is no serial port under Wine here, so the tests check the failure path of
the creator, the argument checks (made before any native call), and the
line-settings calls failing on a handle that is not a serial port. The
round trip through a real port runs only where COM1 opens (Wine maps it to
/dev/ttyS0 when that exists).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import safehandles as sh
from tests import probes

pytestmark = pytest.mark.windows


def test_opening_a_missing_port_raises_file_not_found_and_leaves_nothing_open() -> None:
    before = probes.open_handles()
    with pytest.raises(FileNotFoundError, match="CreateFileW") as caught:
        sh.CommDevice.open("COM200")
    assert probes.winerror(caught.value) in (2, 3)
    assert caught.value.filename == r"\\.\COM200"
    with pytest.raises(FileNotFoundError):
        sh.CommDevice.open(199)
    assert probes.open_handles() <= before


@pytest.mark.parametrize(
    ("port", "error"),
    [
        (0, ValueError),
        (256, ValueError),
        ("", ValueError),
        ("CO\0M1", ValueError),
        (r"..\COM1", ValueError),
        (True, TypeError),
        (b"COM1", TypeError),
    ],
)
def test_bad_port_names(port: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        sh.CommDevice.open(port)


@pytest.fixture
def not_a_port(tmp_path: Path) -> Any:
    """A CommDevice wrapper over a disk file's handle: the line-settings calls must fail on it."""
    with sh.File.open(tmp_path / "f", access="rw", disposition=sh.CreationDisposition.CREATE_NEW) as file:
        device = sh.CommDevice.from_raw(file.dangerous_get_handle(), owns_handle=False)
        yield device
        device.close()


def test_settings_calls_fail_on_a_handle_that_is_no_serial_port(not_a_port: sh.CommDevice) -> None:
    with pytest.raises(OSError, match="GetCommState"):
        not_a_port.settings()
    with pytest.raises(OSError, match="GetCommTimeouts"):
        _ = not_a_port.timeouts
    with pytest.raises(OSError, match="SetCommTimeouts"):
        not_a_port.timeouts = sh.CommTimeouts(read_interval=10)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"baud_rate": 0}, ValueError),
        ({"baud_rate": "fast"}, TypeError),
        ({"byte_size": 9}, ValueError),
        ({"byte_size": 3}, ValueError),
        ({"parity": 9}, ValueError),
        ({"parity": "even"}, TypeError),
        ({"stop_bits": 3}, ValueError),
    ],
)
def test_configure_checks_arguments_before_any_native_call(
    not_a_port: sh.CommDevice, kwargs: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        not_a_port.configure(**kwargs)


def test_timeouts_setter_checks_its_argument(not_a_port: sh.CommDevice) -> None:
    with pytest.raises(TypeError):
        not_a_port.timeouts = (1, 2, 3, 4, 5)  # type: ignore[assignment]
    with pytest.raises(ValueError, match="read_interval"):
        not_a_port.timeouts = sh.CommTimeouts(read_interval=-1)


def test_real_port_round_trip() -> None:
    try:
        device = sh.CommDevice.open("COM1")
    except OSError as error:
        pytest.skip(f"no serial port COM1 here (Wine has none): {error}")
    value = device.dangerous_get_handle()
    with device:
        assert probes.is_open(value)
        assert probes.type_name(value) == "File"
        settings = device.configure(
            baud_rate=9600, byte_size=8, parity=sh.Parity.NONE, stop_bits=sh.StopBits.ONE
        )
        assert settings == sh.CommSettings(9600, 8, sh.Parity.NONE, sh.StopBits.ONE)
        device.timeouts = sh.CommTimeouts(read_interval=50, read_total_constant=100)
        assert device.timeouts.read_total_constant == 100
    assert not probes.is_open(value)


def test_repr_makes_no_native_call_open_or_closed(not_a_port: sh.CommDevice) -> None:
    assert repr(not_a_port).endswith("borrowed open>")  # not a port: a native call here would raise
    not_a_port.close()
    assert repr(not_a_port).endswith("borrowed closed>")
