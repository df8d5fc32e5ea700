"""``safehandles watch``: sample a process's census over time and judge its growth.

It prints a progress line while it samples (to stderr, so stdout stays
machine-readable with ``--json``/``--csv``), then a per-type summary of growth,
and exits 1 when some type grew by more than ``--threshold`` handles, so it
can guard a CI job that drives an application. ``--svg`` draws the series.
"""

from __future__ import annotations

import csv
import json
import time
from collections import Counter
from dataclasses import dataclass
from typing import TextIO

from .._diagnostics._census import handle_census
from ._chart import svg_chart

__all__ = ["Growth", "Sample", "run_watch", "summarize"]

EXIT_GREW = 1


@dataclass(frozen=True)
class Sample:
    seconds: float
    census: Counter[str]

    @property
    def total(self) -> int:
        return sum(self.census.values())


@dataclass(frozen=True)
class Growth:
    type_name: str
    first: int
    last: int
    peak: int

    @property
    def grew(self) -> int:
        return self.last - self.first


def summarize(samples: list[Sample]) -> list[Growth]:
    """Per type: the first, last and peak count, sorted by growth, largest first."""
    names = sorted({name for sample in samples for name in sample.census})
    growths = [
        Growth(
            name,
            samples[0].census[name],
            samples[-1].census[name],
            max(sample.census[name] for sample in samples),
        )
        for name in names
    ]
    return sorted(growths, key=lambda growth: (-growth.grew, growth.type_name))


def _progress(sample: Sample, first: Sample, duration: float, err: TextIO) -> None:
    moved = [
        f"{name} {count}{count - first.census[name]:+d}"
        for name, count in sample.census.most_common()
        if count != first.census[name]
    ][:4]
    line = f"[{sample.seconds:6.1f}/{duration:.1f} s] total {sample.total} ({sample.total - first.total:+d})"
    if moved:
        line += "  " + ", ".join(moved)
    end = "\r" if err.isatty() else "\n"
    err.write(line.ljust(100)[:100] + end)
    err.flush()


def _write_samples(samples: list[Sample], fmt: str, out: TextIO) -> None:
    names = sorted({name for sample in samples for name in sample.census})
    if fmt == "json":
        rows = [{"seconds": round(s.seconds, 3), "total": s.total, "types": dict(s.census)} for s in samples]
        json.dump(rows, out)
        out.write("\n")
    else:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["seconds", "total", *names])
        for s in samples:
            writer.writerow([f"{s.seconds:.3f}", s.total, *(s.census[name] for name in names)])


def _summary_text(growths: list[Growth], threshold: int, pid: int | None, seconds: float) -> str:
    who = f"process {pid}" if pid is not None else "this process"
    lines = [f"handle growth of {who} over {seconds:.1f} s (threshold {threshold}):"]
    width = max([4, *(len(g.type_name) for g in growths)])
    lines.append(f"  {'type':<{width}}  {'first':>6}  {'last':>6}  {'peak':>6}  {'grew':>6}")
    for g in growths:
        flag = "  <- grew past the threshold" if g.grew > threshold else ""
        lines.append(f"  {g.type_name:<{width}}  {g.first:>6}  {g.last:>6}  {g.peak:>6}  {g.grew:>+6}{flag}")
    return "\n".join(lines)


def run_watch(
    *,
    pid: int | None,
    interval: float,
    duration: float,
    fmt: str | None,
    threshold: int,
    svg: str | None,
    out: TextIO,
    err: TextIO,
) -> int:
    """Sample, summarize, and return 0, or 1 if some type grew by more than *threshold*."""
    start = time.monotonic()
    samples = [Sample(0.0, handle_census(pid))]
    ended_early = ""
    while (elapsed := time.monotonic() - start) < duration:
        time.sleep(min(interval, max(0.0, duration - elapsed)))
        try:
            census = handle_census(pid)
        except ProcessLookupError:
            ended_early = f"process {pid} exited after {time.monotonic() - start:.1f} s"
            break
        samples.append(Sample(time.monotonic() - start, census))
        _progress(samples[-1], samples[0], duration, err)
    if err.isatty():
        err.write("\n")
    if ended_early:
        err.write(ended_early + "\n")
    growths = summarize(samples)
    if fmt is not None:
        _write_samples(samples, fmt, out)
    summary = _summary_text(growths, threshold, pid, samples[-1].seconds)
    (err if fmt is not None else out).write(summary + "\n")
    if svg is not None:
        with open(svg, "w", encoding="utf-8") as chart:
            who = f"process {pid}" if pid is not None else "this process"
            chart.write(svg_chart(samples, growths, threshold=threshold, who=who))
    return EXIT_GREW if any(g.grew > threshold for g in growths) else 0
