"""The ``watch`` chart: its SVG's structure, labels and verdict."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

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
