"""The ``watch`` chart: its SVG's structure, labels and verdict."""

from __future__ import annotations

import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from collections import Counter
from pathlib import Path

import pytest

from safehandles._cli._chart import THRESHOLD_COLOUR, svg_chart
from safehandles._cli._watch import Sample, summarize

_NS = {"svg": "http://www.w3.org/2000/svg"}


def _samples(types: int, steps: int = 5) -> list[Sample]:
    # Type 0 is the largest and never grows, the one the old chart dropped first.
    return [
        Sample(
            float(step),
            Counter(
                {"Big": 500, "Event": 3 + 12 * step, **{f"T{n}": n + step % 2 for n in range(types - 2)}}
            ),
        )
        for step in range(steps)
    ]


def _chart(samples: list[Sample], threshold: int = 10) -> ET.Element:
    return ET.fromstring(svg_chart(samples, summarize(samples), threshold=threshold, who="process 42"))


def test_every_type_of_eight_is_drawn_with_the_largest() -> None:
    root = _chart(_samples(8))
    drawn = {line.get("data-type") for line in root.iterfind("svg:polyline", _NS)}
    assert drawn == {"Big", "Event", *(f"T{n}" for n in range(6))}
    assert not root.findall("svg:text[@class='note']", _NS)


def test_types_beyond_the_palette_are_named_in_a_note() -> None:
    root = _chart(_samples(14))
    drawn = {line.get("data-type") for line in root.iterfind("svg:polyline", _NS)}
    note = " ".join(text.text or "" for text in root.iterfind("svg:text[@class='note']", _NS))
    for name in ["Big", "Event", *(f"T{n}" for n in range(12))]:
        assert (name in drawn) != (f"{name} " in note + " "), name


def test_axes_have_ticks_labels_and_the_threshold_line() -> None:
    root = _chart(_samples(8))
    ytick = [t.text for t in root.iterfind("svg:text[@class='ytick']", _NS)]
    xtick = [t.text for t in root.iterfind("svg:text[@class='xtick']", _NS)]
    assert len(ytick) >= 3
    assert "0" in ytick
    assert xtick[0] == "0"
    assert xtick[-1] == "4"
    assert len(xtick) >= 3
    assert "handles gained" in (root.find("svg:text[@class='ylabel']", _NS).text or "")  # type: ignore[union-attr]
    assert "seconds" in (root.find("svg:text[@class='xlabel']", _NS).text or "")  # type: ignore[union-attr]
    threshold = root.find("svg:line[@class='threshold']", _NS)
    assert threshold is not None
    assert threshold.get("stroke") == THRESHOLD_COLOUR


def test_the_title_states_the_verdict_and_marks_what_crossed() -> None:
    root = _chart(_samples(8))
    title = root.find("svg:text[@class='title']", _NS)
    assert title is not None
    assert title.text == "FAIL: 1 type(s) of process 42 grew past 10: Event +48"
    assert [c.get("data-type") for c in root.iterfind("svg:circle[@class='crossed']", _NS)] == ["Event"]
    calm = _chart(_samples(8), threshold=100)
    title = calm.find("svg:text[@class='title']", _NS)
    assert title is not None
    assert title.text == "OK: no handle type of process 42 grew by more than 100"
    assert not calm.findall("svg:circle", _NS)


def _decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the RGB rows of an 8-bit RGB or RGBA PNG (enough for Chromium's screenshots)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, idat, header = 8, b"", b""
    while offset < len(data):
        length = struct.unpack(">I", data[offset : offset + 4])[0]
        kind, body = data[offset + 4 : offset + 8], data[offset + 8 : offset + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        offset += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8
    assert colour in (2, 6)
    channels = 3 if colour == 2 else 4
    stride = width * channels
    raw = zlib.decompress(idat)
    rows: list[bytes] = []
    previous = bytearray(stride)
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        previous = line
        rows.append(bytes(b for i, b in enumerate(line) if i % channels < 3))
    return width, height, rows


@pytest.mark.skipif(sys.platform == "win32", reason="renders with Debian's Chromium on the Linux host")
def test_the_chart_renders_in_chromium_with_the_threshold_line(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    try:
        import browser
    finally:
        sys.path.pop(0)
    samples = _samples(8)
    svg = tmp_path / "chart.svg"
    svg.write_text(svg_chart(samples, summarize(samples), threshold=10, who="process 42"), encoding="utf-8")
    png = tmp_path / "chart.png"
    width, height = (int(ET.parse(svg).getroot().get(side) or 0) for side in ("width", "height"))
    subprocess.run(
        [
            str(browser.chromium()),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--window-size={width},{height}",
            f"--screenshot={png}",
            svg.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    got_width, got_height, rows = _decode_png(png.read_bytes())
    assert (got_width, got_height) == (width, height)
    pixels = Counter(row[i : i + 3] for row in rows for i in range(0, len(row), 3))
    white = pixels[b"\xff\xff\xff"]
    assert 0.5 < white / (width * height) < 0.99, "blank or unreadable"
    red = bytes.fromhex(THRESHOLD_COLOUR[1:])
    assert pixels[red] > 200, "the threshold line's colour is missing"
    # The line spans the plot: its colour shows along one row, not only in the label and marker.
    longest = max(sum(row[i : i + 3] == red for i in range(0, len(row), 3)) for row in rows)
    assert longest > 150
