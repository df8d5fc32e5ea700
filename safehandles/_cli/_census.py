"""``safehandles census``: a process's handles counted by type."""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import TextIO

from .._diagnostics._census import handle_census

__all__ = ["format_census", "run_census"]


def format_census(census: Counter[str]) -> str:
    """A table of counts by type, largest first, with the total."""
    rows = sorted(census.items(), key=lambda item: (-item[1], item[0]))
    width = max([len("Total"), *(len(name) for name, _ in rows)])
    lines = [f"{name:<{width}}  {count:>7,}" for name, count in rows]
    lines.append(f"{'Total':<{width}}  {sum(census.values()):>7,}")
    return "\n".join(lines)


def run_census(pid: int | None, as_json: bool, out: TextIO) -> int:
    census = handle_census(pid)
    if as_json:
        target = os.getpid() if pid is None else pid
        json.dump({"pid": target, "total": sum(census.values()), "types": dict(census.most_common())}, out)
        out.write("\n")
    else:
        out.write(format_census(census) + "\n")
    return 0
