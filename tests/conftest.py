"""Shared test set-up: the ``windows`` marker, Wine detection, and OS-level probes.

Tests marked ``windows`` run where the Win32 API is (Windows, or Windows
CPython under Wine) and are skipped elsewhere. ``wine_differs(reason)`` marks
a test whose assertion follows Microsoft's documentation but which Wine does
not honour: it is an expected failure under Wine, and a real test on Windows.
"""

from __future__ import annotations

import sys

import pytest

from tests import probes


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_windows = pytest.mark.skip(reason="needs the Win32 API (Windows, or Windows Python under Wine)")
    for item in items:
        if item.get_closest_marker("windows") and sys.platform != "win32":
            item.add_marker(skip_windows)
        differs = item.get_closest_marker("wine_differs")
        if differs and probes.UNDER_WINE:
            reason = differs.args[0] if differs.args else differs.kwargs["reason"]
            item.add_marker(pytest.mark.xfail(reason=f"Wine differs from Windows: {reason}", strict=True))
