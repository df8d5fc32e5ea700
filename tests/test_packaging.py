"""The package as shipped, and the contributor workflow around it.

Native tests: they build the sdist and wheel once per session with the pinned
``build`` and ``setuptools`` (no network: ``--no-isolation``), and make an
editable install into a throwaway venv, always from a copy of this checkout so
that nothing (no ``*.egg-info``, no ``dist/``) is left in it. The embeddable
Windows CPython that runs the suite under Wine has no pip, so they skip there.
"""

from __future__ import annotations

import email.message
import email.parser
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import safehandles as sh

REPO = Path(__file__).resolve().parents[1]
HOME = "https://github.com/safehandles/safehandles"

TOOLS = ("venv", "pip", "build", "setuptools", "trove_classifiers")

pytestmark = pytest.mark.skipif(
    any(importlib.util.find_spec(tool) is None for tool in TOOLS),
    reason="needs venv, and pip, build, setuptools and trove-classifiers (requirements/dev.txt)",
)

_NOT_SOURCE = shutil.ignore_patterns(
    ".git", "__pycache__", "*.egg-info", "build", "dist", ".*_cache", ".hypothesis", ".venv"
)


def _copy_checkout(dest: Path) -> Path:
    """A copy of this checkout's files, as a fresh clone would have them."""
    shutil.copytree(REPO, dest, ignore=_NOT_SOURCE)
    return dest


def _tool_env() -> dict[str, str]:
    """This environment with the pinned tools importable but this checkout not on the path.

    dev.py puts the checkout on PYTHONPATH; a child must find ``safehandles`` the way
    the situation under test provides it (its working directory, an editable install).
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PYTEST_") and key not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSAFEPATH")
    }
    tools = [entry for entry in sys.path if entry and not Path(entry).resolve().is_relative_to(REPO)]
    env["PYTHONPATH"] = os.pathsep.join(tools)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _run(python: Path | str, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), *args],
        cwd=cwd,
        env=_tool_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _succeeded(result: subprocess.CompletedProcess[str]) -> bool:
    return result.returncode == 0


def _output(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"


@dataclass(frozen=True)
class Built:
    """The sdist and the wheel ``python -m build`` made (the wheel from the sdist)."""

    sdist: Path
    wheel: Path

    def wheel_metadata(self) -> email.message.Message:
        with zipfile.ZipFile(self.wheel) as wheel:
            (name,) = (n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
            return email.parser.Parser().parsestr(wheel.read(name).decode())


@dataclass(frozen=True)
class Editable:
    """A venv holding an editable install of a copy of this checkout."""

    python: Path
    scripts: Path
    checkout: Path


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("build")
    checkout = _copy_checkout(root / "checkout")
    result = _run(
        sys.executable, ["-m", "build", "--no-isolation", "--outdir", str(root / "dist"), "."], checkout
    )
    assert _succeeded(result), _output(result)
    (sdist,) = (root / "dist").glob("*.tar.gz")
    (wheel,) = (root / "dist").glob("*.whl")
    return Built(sdist, wheel)


@pytest.fixture(scope="session")
def editable(tmp_path_factory: pytest.TempPathFactory) -> Editable:
    import venv  # not in the embeddable Windows CPython

    root = tmp_path_factory.mktemp("editable")
    checkout = _copy_checkout(root / "checkout")
    venv.EnvBuilder(with_pip=False).create(root / "venv")
    scripts = root / "venv" / ("Scripts" if sys.platform == "win32" else "bin")
    python = scripts / ("python.exe" if sys.platform == "win32" else "python")
    # pip, setuptools and pytest come from this interpreter's path (_tool_env); the install goes to the venv.
    install = ["-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index", "-e", "."]
    result = _run(python, [*install, "--disable-pip-version-check"], checkout)
    assert _succeeded(result), _output(result)
    return Editable(python, scripts, checkout)


# ------------------------------------------------- the plugin, loaded once under one name

PROBE = """
import safehandles.pytest_plugin as plugin


def test_the_plugin_is_registered_once_under_one_name(pytestconfig):
    manager = pytestconfig.pluginmanager
    names = [name for name, registered in manager.list_name_plugin() if registered is plugin]
    assert names == ["safehandles.pytest_plugin"]
    distinfo = manager.list_plugin_distinfo()
    through = [dist.metadata["Name"] for registered, dist in distinfo if registered is plugin]
    assert through == {through!r}
    assert plugin.__file__.startswith({checkout!r})
"""


def _probe_plugin(
    python: Path | str, checkout: Path, *, entry_point: bool
) -> subprocess.CompletedProcess[str]:
    """Run pytest in ``checkout`` (its pyproject's addopts) on a test that checks how the plugin got in."""
    through = ["safehandles"] if entry_point else []
    (checkout / "tests" / "test_plugin_probe.py").write_text(
        PROBE.format(through=through, checkout=str(checkout))
    )
    return _run(
        python, ["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_plugin_probe.py"], checkout
    )


def _collect(python: Path | str, checkout: Path) -> subprocess.CompletedProcess[str]:
    return _run(python, ["-m", "pytest", "--co", "-q", "-p", "no:cacheprovider"], checkout)


def test_pytest_runs_in_an_editable_install(editable: Editable) -> None:
    collected = _collect(editable.python, editable.checkout)
    assert _succeeded(collected), _output(collected)
    assert "tests collected" in collected.stdout
    probe = _probe_plugin(editable.python, editable.checkout, entry_point=True)
    assert _succeeded(probe), _output(probe)


def test_pytest_runs_in_a_source_tree_and_beside_a_leftover_egg_info(tmp_path: Path) -> None:
    checkout = _copy_checkout(tmp_path / "checkout")
    probe = _probe_plugin(sys.executable, checkout, entry_point=False)
    assert _succeeded(probe), _output(probe)

    # What `setup.py develop`, an older pip or a build leaves behind: found on sys.path ('' = the checkout).
    egg_info = _run(sys.executable, ["-c", "from setuptools import setup; setup()", "egg_info"], checkout)
    assert _succeeded(egg_info), _output(egg_info)
    assert "pytest11" in (checkout / "safehandles.egg-info" / "entry_points.txt").read_text()
    probe = _probe_plugin(sys.executable, checkout, entry_point=True)
    assert _succeeded(probe), _output(probe)
    collected = _collect(sys.executable, checkout)
    assert _succeeded(collected), _output(collected)


# ------------------------------------------------------------------------ the sdist


def _node_ids(result: subprocess.CompletedProcess[str]) -> set[str]:
    return {line for line in result.stdout.splitlines() if "::" in line}


def test_the_sdist_collects_every_test_the_checkout_has(built: Built, tmp_path: Path) -> None:
    with tarfile.open(built.sdist) as sdist:
        if hasattr(tarfile, "data_filter"):
            sdist.extractall(tmp_path, filter="data")
        else:  # Python 3.10 before 3.10.12: an sdist we just built is trusted
            sdist.extractall(tmp_path)
    (unpacked,) = tmp_path.iterdir()

    from_sdist = _collect(sys.executable, unpacked)
    assert _succeeded(from_sdist), _output(from_sdist)
    from_checkout = _collect(sys.executable, REPO)
    assert _succeeded(from_checkout), _output(from_checkout)
    assert _node_ids(from_sdist) == _node_ids(from_checkout)
    assert len(_node_ids(from_sdist)) > 100
    # What the tests read besides themselves: the docs a test regenerates and its writer.
    for path in (
        "docs/kinds.md",
        "tools/kinds_table.py",
        "tests/typing/user_code.py",
        "stubs/win32event.pyi",
    ):
        assert (unpacked / path).read_bytes() == (REPO / path).read_bytes(), path


# ------------------------------------------------------------ license and metadata


def test_the_repository_sdist_and_wheel_carry_the_mit_license(built: Built) -> None:
    license_ = (REPO / "LICENSE").read_bytes()
    text = license_.decode()
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 The safehandles developers" in text
    version = sh.__version__
    with tarfile.open(built.sdist) as sdist:
        member = sdist.extractfile(f"safehandles-{version}/LICENSE")
        assert member is not None
        assert member.read() == license_
    with zipfile.ZipFile(built.wheel) as wheel:
        assert wheel.read(f"safehandles-{version}.dist-info/licenses/LICENSE") == license_
    metadata = built.wheel_metadata()
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]


def test_the_metadata_has_the_project_urls_and_classifiers(built: Built) -> None:
    import trove_classifiers

    metadata = built.wheel_metadata()
    urls = dict(entry.split(", ", 1) for entry in metadata.get_all("Project-URL", []))
    assert urls == {
        "Homepage": HOME,
        "Source": HOME,
        "Issues": f"{HOME}/issues",
        "Documentation": f"{HOME}/tree/main/docs",
    }
    classifiers = metadata.get_all("Classifier", [])
    assert set(classifiers) >= {
        "Development Status :: 3 - Alpha",
        "Framework :: Pytest",
        "Intended Audience :: Developers",
        "Operating System :: Microsoft :: Windows",
        "Typing :: Typed",
        *(f"Programming Language :: Python :: 3.{minor}" for minor in (10, 11, 12, 13)),
    }
    unknown = [c for c in classifiers if c not in trove_classifiers.classifiers]
    assert unknown == [], "PyPI rejects an upload with unknown classifiers"
    # The license is the expression; setuptools refuses a License classifier beside it.
    assert not [c for c in classifiers if c.startswith("License ::")]
    assert metadata["Requires-Python"] == ">=3.10"


def test_the_wheel_holds_the_package_and_not_the_tests(built: Built) -> None:
    with zipfile.ZipFile(built.wheel) as wheel:
        names = wheel.namelist()
    assert "safehandles/py.typed" in names
    assert "safehandles/_version.py" in names
    assert not [n for n in names if n.startswith(("tests/", "tools/", "stubs/"))]


def test_the_version_is_written_once_and_reported_by_the_command_line(
    built: Built, editable: Editable
) -> None:
    from safehandles import _version

    assert sh.__version__ is _version.__version__
    assert re.search(r'^dynamic = \["version"\]$', (REPO / "pyproject.toml").read_text(), re.MULTILINE)
    version = built.wheel_metadata()["Version"]
    assert version == sh.__version__
    expected = f"safehandles {version}\n"

    module = _run(sys.executable, ["-m", "safehandles", "--version"], REPO)
    assert (module.returncode, module.stdout) == (0, expected), _output(module)
    script = editable.scripts / ("safehandles.exe" if sys.platform == "win32" else "safehandles")
    installed = _run(script, ["--version"], editable.checkout.parent)
    assert (installed.returncode, installed.stdout) == (0, expected), _output(installed)
