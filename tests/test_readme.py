"""Every Python example in the README and the docs runs as written, in a fresh interpreter.

A ```python block runs unless the line just before it is an HTML comment
``<!-- not run: REASON -->`` with a reason; such blocks are kept rare.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.children import run_python

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted((ROOT / "docs" / "guides").glob("*.md")),
]
GUIDES = ["getting-started", "ownership", "async", "leaks", "migrating-from-pywin32", "testing-with-wine"]
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
_NOT_RUN = re.compile(r"<!--\s*not run:\s*(\S.*?)\s*-->\s*\Z")
# The embeddable Windows CPython used under Wine lists site-packages in its ._pth file
# without treating it as a site directory, so pywin32's .pth (which puts win32/ and
# win32/lib/ on the path) is never read; a regular install reads it. The migration
# guide's examples import pywin32, so its children read it the way an install would.
_SITE_DIRS = (
    "import site, sys\n"
    "for _d in list(sys.path):\n"
    "    if _d.endswith('site-packages'):\n"
    "        site.addsitedir(_d)\n"
)


def _examples() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    run: list[tuple[str, str]] = []
    skipped: list[tuple[str, str]] = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        name = document.relative_to(ROOT).as_posix()
        for number, match in enumerate(_BLOCK.finditer(text), start=1):
            line = text.count("\n", 0, match.start()) + 1
            where = f"{name}:{line} (example {number})"
            # The marker must be the last thing before the fence, blank lines aside.
            before = text[: match.start()].rstrip()
            marker = _NOT_RUN.search(before)
            (skipped if marker else run).append((where, marker.group(1) if marker else match.group(1)))
    return run, skipped


EXAMPLES, NOT_RUN = _examples()


def test_the_readme_and_every_guide_have_examples_to_run() -> None:
    assert sum(1 for where, _ in EXAMPLES if where.startswith("README.md")) >= 2
    for guide in GUIDES:
        path = f"docs/guides/{guide}.md"
        assert any(where.startswith(path + ":") for where, _ in EXAMPLES), f"{path} has no example that runs"


def test_blocks_left_out_are_few_and_say_why() -> None:
    assert len(NOT_RUN) <= 3, NOT_RUN
    for where, reason in NOT_RUN:
        assert len(reason.split()) >= 3, f"{where}: say why it is not run, not just {reason!r}"


def test_the_collector_finds_a_marked_block() -> None:
    # The marker only skips the block right after it; a block further on still runs.
    text = "<!-- not run: needs a real service -->\n```python\nx = 1\n```\n\n```python\ny = 2\n```\n"
    matches = list(_BLOCK.finditer(text))
    assert [bool(_NOT_RUN.search(text[: m.start()].rstrip())) for m in matches] == [True, False]


@pytest.mark.windows
@pytest.mark.parametrize(("where", "code"), EXAMPLES, ids=[where for where, _ in EXAMPLES])
def test_example_runs(where: str, code: str) -> None:
    # Warnings are errors: an example that leaks a handle fails with its ResourceWarning.
    result = run_python(_SITE_DIRS + code, "-W", "error")
    assert result.returncode == 0, f"{where} failed:\n{result.stdout}\n{result.stderr}"


@pytest.mark.windows
@pytest.mark.parametrize(
    ("where", "code"),
    EXAMPLES,
    ids=[where for where, _ in EXAMPLES],
)
def test_example_leaves_nothing_for_the_finalizer(where: str, code: str) -> None:
    # A ResourceWarning from a finalizer or the exit sweep is an unraisable exception:
    # it does not change the exit status, so look for it.
    result = run_python(_SITE_DIRS + code, "-W", "error::ResourceWarning")
    assert "ResourceWarning" not in result.stderr, f"{where} left a handle to its finalizer:\n{result.stderr}"


@pytest.mark.windows
def test_the_tracking_example_reports_what_the_job_forgot() -> None:
    (code,) = [code for where, code in EXAMPLES if where.startswith("README.md") and "run_the_job" in code]
    result = run_python(code, "-W", "error")
    assert "Event: 3 opened and not closed" in result.stdout, result.stdout + result.stderr
