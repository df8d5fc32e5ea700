"""Every Python example in the README and the docs runs as written, in a fresh interpreter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.children import run_python

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def _examples() -> list[tuple[str, str]]:
    found = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        for number, match in enumerate(_BLOCK.finditer(text), start=1):
            line = text.count("\n", 0, match.start()) + 1
            found.append((f"{document.name}:{line} (example {number})", match.group(1)))
    return found


EXAMPLES = _examples()


def test_the_readme_has_examples_to_run() -> None:
    assert sum(1 for where, _ in EXAMPLES if where.startswith("README.md")) >= 2


@pytest.mark.windows
@pytest.mark.parametrize(("where", "code"), EXAMPLES, ids=[where for where, _ in EXAMPLES])
def test_example_runs(where: str, code: str) -> None:
    # Warnings are errors: an example that leaks a handle fails with its ResourceWarning.
    result = run_python(code, "-W", "error")
    assert result.returncode == 0, f"{where} failed:\n{result.stdout}\n{result.stderr}"


@pytest.mark.windows
def test_the_tracking_example_reports_what_the_job_forgot() -> None:
    (code,) = [code for where, code in EXAMPLES if "run_the_job" in code]
    result = run_python(code, "-W", "error")
    assert "Event: 3 opened and not closed" in result.stdout, result.stdout + result.stderr
