#!/usr/bin/env python3
"""Headless Chromium for tests that render pages or charts (Debian's ``chromium``).

Provisioned the way tools/winpython.py provisions Wine: if ``chromium`` is not on
PATH and we are root on a Debian-like host, ``apt-get install chromium``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

__all__ = ["BrowserError", "chromium"]

_NAMES = ("chromium", "chromium-browser")


class BrowserError(RuntimeError):
    """Chromium could not be found or installed."""


def _which() -> Path | None:
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def chromium() -> Path:
    """The Chromium executable, installing Debian's package first if needed."""
    found = _which()
    if found is not None:
        return found
    if sys.platform == "win32" or os.geteuid() != 0 or not shutil.which("apt-get"):
        raise BrowserError("chromium is not installed; install it with: sudo apt-get install -y chromium")
    print("[browser] chromium not found: installing Debian's chromium (apt-get)", file=sys.stderr, flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]):
        if subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, check=False).returncode != 0:
            raise BrowserError(f"{' '.join(cmd)} failed")
    found = _which()
    if found is None:
        raise BrowserError("apt-get installed chromium but it is still not on PATH")
    return found
