#!/usr/bin/env python3
"""Headless Chromium for tests that render pages or charts (Debian's ``chromium``).

Provisioned the way tools/winpython.py provisions Wine: if ``chromium`` is not on
PATH and we are root on a Debian-like host, ``apt-get install chromium``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["BrowserError", "Page", "chromium"]

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


class Page:
    """One tab of a headless Chromium driven over the DevTools protocol on a pipe.

    ``--remote-debugging-pipe`` makes Chromium read commands from its fd 3 and write replies
    to its fd 4, each a JSON object ended by a NUL byte: no port, no websocket library.
    Use as a context manager; ``evaluate`` runs JavaScript in the page (promises awaited),
    ``screenshot`` writes a PNG of the viewport.
    """

    def __init__(self, url: str, *, width: int = 1280, height: int = 900, timeout: float = 60.0) -> None:
        import tempfile  # noqa: PLC0415 - only pages need a profile folder

        self._timeout = timeout
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict[str, Any]] = []
        self._profile = tempfile.TemporaryDirectory(prefix="sh-chromium-", ignore_cleanup_errors=True)
        to_chromium_r, self._to_chromium = os.pipe()
        self._from_chromium, from_chromium_w = os.pipe()

        # Chromium expects its ends at fds 3 and 4 exactly (POSIX hosts). Both are first copied
        # above 4, so that placing one cannot overwrite the other; subprocess closes the rest.
        def _child_fds() -> None:
            high_r, high_w = to_chromium_r, from_chromium_w
            while high_r <= 4:
                high_r = os.dup(high_r)
            while high_w <= 4:
                high_w = os.dup(high_w)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self._process = subprocess.Popen(
            [
                str(chromium()),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--window-size={width},{height}",
                f"--user-data-dir={self._profile.name}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # The child runs os.dup/os.dup2 on small (cached) ints: no allocation and no lock, so
            # other threads of the parent (a test's HTTP server) cannot leave it deadlocked.
            preexec_fn=_child_fds,  # noqa: PLW1509
            pass_fds=(3, 4),
            start_new_session=True,  # its own process group, so close() can end the helpers
        )
        os.close(to_chromium_r)
        os.close(from_chromium_w)
        try:
            target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
            attached = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})
            self._session = attached["sessionId"]
            self._call("Page.enable", session=True)
            # --window-size sizes the window, not the page; the page gets exactly this.
            metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
            self._call("Emulation.setDeviceMetricsOverride", metrics, session=True)
            self.goto(url)
        except BaseException:
            self.close()
            raise

    def goto(self, url: str) -> None:
        """Load ``url`` and wait for its load event."""
        self._events = [e for e in self._events if e["method"] != "Page.loadEventFired"]
        self._call("Page.navigate", {"url": url}, session=True)
        self._wait_for_event("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression in the page (a promise is awaited)."""
        reply = self._call(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            session=True,
        )
        if "exceptionDetails" in reply:
            raise BrowserError(f"JavaScript failed: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def screenshot(self, path: Path) -> Path:
        """A PNG of the page's viewport."""
        import base64  # noqa: PLC0415

        data = self._call("Page.captureScreenshot", {"format": "png"}, session=True)["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        """End Chromium and every process it started, then remove its profile."""
        if self._process.poll() is None:
            # Browser.close lets Chromium end its helpers and stop writing the profile.
            with contextlib.suppress(BrowserError, OSError):
                self._send("Browser.close", None, session=False)
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if sys.platform != "win32":
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._process.pid, signal.SIGKILL)  # helpers left behind, if any
        for fd in (self._to_chromium, self._from_chromium):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._profile.cleanup()

    def __enter__(self) -> Page:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # The protocol: commands carry an id, replies echo it; events have a method and no id.
    def _send(self, method: str, params: Mapping[str, object] | None, session: bool) -> int:
        import json  # noqa: PLC0415

        self._next_id += 1
        message: dict[str, object] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        os.write(self._to_chromium, json.dumps(message).encode() + b"\0")
        return self._next_id

    def _receive(self) -> dict[str, Any]:
        import json  # noqa: PLC0415
        import select  # noqa: PLC0415
        import time  # noqa: PLC0415

        deadline = time.monotonic() + self._timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_chromium], [], [], left)[0]:
                raise BrowserError(f"Chromium did not answer within {self._timeout:.0f} s")
            chunk = os.read(self._from_chromium, 1 << 16)
            if not chunk:
                raise BrowserError("Chromium closed its DevTools pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return dict(json.loads(message))

    def _call(
        self, method: str, params: Mapping[str, object] | None = None, *, session: bool = False
    ) -> dict[str, Any]:
        wanted = self._send(method, params, session)
        while True:
            message = self._receive()
            if message.get("id") == wanted:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            if "method" in message:
                self._events.append(message)

    def _wait_for_event(self, method: str) -> dict[str, Any]:
        for i, event in enumerate(self._events):
            if event["method"] == method:
                return self._events.pop(i)
        while True:
            message = self._receive()
            if message.get("method") == method:
                return message
            if "method" in message:
                self._events.append(message)
