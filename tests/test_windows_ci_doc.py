"""docs/windows-ci.md lists every ``wine_differs`` test, as pytest collects them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests import probes

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import wine_differs  # noqa: E402 - tools/ is not a package: it is on sys.path only from the line above

MARKED = ("-m", "wine_differs", "tests/")


def test_the_page_lists_the_current_wine_differs_tests() -> None:
    document = wine_differs.DOCUMENT.read_text(encoding="utf-8")
    assert document == wine_differs.rewrite(document, wine_differs.scan()), (
        "docs/windows-ci.md is stale: run python3 tools/dev.py generate"
    )


def test_the_scan_finds_what_pytest_collects() -> None:
    scanned = {f"{d.path}::{d.name}" for d in wine_differs.scan()}
    assert len(scanned) >= 20  # the suite has had 28: an empty scan is a broken scan
    if probes.UNDER_WINE:
        pytest.skip("a second pytest under Wine costs a minute; the native step checks this")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *MARKED],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # A parametrized test is one function: drop its "[case]" ids.
    collected = {line.split("[")[0] for line in result.stdout.splitlines() if "::" in line}
    assert collected == scanned


def test_a_marker_is_found_with_its_reason_and_a_named_reason(tmp_path: Path) -> None:
    (tmp_path / "test_sample.py").write_text(
        'import pytest\n\nSTUB = "a stub"\n\n\n'
        '@pytest.mark.wine_differs("does it otherwise")\ndef test_one() -> None:\n    pass\n\n\n'
        "@pytest.mark.wine_differs(STUB)\ndef test_two() -> None:\n    pass\n\n\n"
        "class TestGroup:\n    @pytest.mark.wine_differs(reason=STUB)\n"
        "    def test_three(self) -> None:\n        pass\n\n\n"
        "def test_plain() -> None:\n    pass\n",
        encoding="utf-8",
    )
    found = [(d.name, d.reason) for d in wine_differs.scan(tmp_path)]
    assert found == [
        ("test_one", "does it otherwise"),
        ("test_two", "a stub"),
        ("TestGroup::test_three", "a stub"),
    ]
