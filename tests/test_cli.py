"""The command line: ``python -m safehandles``."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from safehandles._cli import main
from tests.children import run_python

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(sys.platform == "win32", reason="checks the behaviour off Windows")
def test_tour_off_windows_explains_and_fails() -> None:
    out = io.StringIO()
    from safehandles._cli._tour import run_tour

    assert run_tour(out) == 3
    assert "under Wine" in out.getvalue()


@pytest.mark.windows
def test_tour_runs_every_step_and_closes_everything() -> None:
    result = run_python("import runpy; runpy.run_module('safehandles', run_name='__main__')")
    assert result.returncode == 0, result.stderr
    assert "7. A handle dropped without closing is closed by its finalizer" in result.stdout
    assert "ResourceWarning" in result.stdout
    assert "stale.set() -> ObjectDisposedError" in result.stdout
    assert "is_closed=False" in result.stdout
    assert "every handle the tour opened is closed." in result.stdout
    assert "wrote and read back b'hello from the tour'" in result.stdout
    assert "the file exists afterwards: False" in result.stdout
    assert "pipe: wrote b'ping', read back b'ping'" in result.stdout
    assert "printed b'hello from the child' and exited with 0" in result.stdout
    assert "created_new=True; count -> 3" in result.stdout
    assert "Event: 1 opened and not closed" in result.stdout
    assert "and around one that closed it: nothing left open" in result.stdout
    # It ends by pointing at the docs, and every file it names exists.
    tail = result.stdout.split("every handle the tour opened is closed.", 1)[1]
    named = re.findall(r"docs/[\w-]+\.md", tail)
    assert named
    for path in named:
        assert (ROOT / path).is_file(), path
    assert "python3 tools/dev.py docs" in tail


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["no-such-command"])
    assert caught.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_version_option_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    import safehandles as sh

    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out == f"safehandles {sh.__version__}\n"


@pytest.mark.parametrize("command", [[], ["tour"], ["census"], ["watch"]])
def test_help_has_a_description_and_examples(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main([*command, "--help"])
    assert caught.value.code == 0
    text = capsys.readouterr().out
    usage, description, *_rest = text.split("\n\n")
    assert usage.startswith(f"usage: safehandles {' '.join(command)}".rstrip())
    assert len(description.split()) >= 5
    examples = text.split("examples:\n", 1)[1].splitlines()
    runs = [line.strip().split("  ")[0] for line in examples if line.startswith("  python")]
    assert runs
    for run in runs:
        # Each example is a command line this parser accepts: the interpreter's
        # options and the shell's redirection are not the parser's.
        argv = run.split(">")[0].split("-m safehandles", 1)[1].split()
        assert argv[: len(command)] == command
        assert _parses(argv), run


def _parses(argv: list[str]) -> bool:
    from safehandles._cli import _parser

    try:
        _parser().parse_args(argv)
    except SystemExit:
        return False
    return True
