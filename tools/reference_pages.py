#!/usr/bin/env python3
"""Writes docs/reference/, the API reference's pages: one ``:::`` directive per public name.

Run by ``python3 tools/dev.py generate``; ``tests/test_site.py`` fails when the committed
pages differ from what this renders, and when a name of ``safehandles.__all__`` has no
section in the built site. Each name goes to a page by its home module (``_HOMES`` in
``safehandles/__init__.py``); a name no rule places stops this script, so a new public
name can never be left out of the reference.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import safehandles

__all__ = ["GROUPS", "Group", "group_of", "render", "write"]

REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "reference"


@dataclass(frozen=True)
class Group:
    """One reference page: the home-module prefixes and the single names it takes."""

    slug: str
    title: str
    intro: str
    prefixes: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    module: str | None = None  # a page for a whole public module instead of names of __all__
    links: tuple[str, ...] = ()  # a page of cross-references to objects documented elsewhere


# Single names win over prefixes; among prefixes the longest match wins.
GROUPS: tuple[Group, ...] = (
    Group(
        "core",
        "Core and errors",
        "The `SafeHandle` state machine, the Win32 handle classes every kind derives from, "
        "the exceptions, and the access rights every object has.",
        prefixes=("_core.", "_win32.", "_version"),
        names=("GenericAccess", "StandardAccess"),
    ),
    Group(
        "synchronization",
        "Synchronization",
        "Events, mutexes, semaphores and waitable timers, and waiting on several at once.",
        prefixes=("_kinds._sync.",),
        names=("EventAccess", "MutexAccess", "SemaphoreAccess", "TimerAccess"),
    ),
    Group(
        "files",
        "Files, pipes and mapping",
        "Files, directory searches and change notifications, pipes and mailslots, file mappings, "
        "completion ports, serial ports, consoles and resource updates.",
        prefixes=(
            "_kinds._files.",
            "_bindings._kernel32._comm",
            "_bindings._kernel32._console",
            "_bindings._kernel32._files",
            "_bindings._kernel32._io",
            "_bindings._kernel32._mapping",
            "_bindings._kernel32._pipes",
        ),
    ),
    Group(
        "processes",
        "Processes, threads and jobs",
        "Starting and controlling processes and threads, job objects, modules, heaps and "
        "memory resource notifications.",
        prefixes=(
            "_kinds._processes.",
            "_bindings._kernel32._jobs",
            "_bindings._kernel32._memory_notifications",
            "_bindings._kernel32._modules",
            "_bindings._kernel32._processes",
        ),
        names=("HeapOption", "ProcessAccess", "ThreadAccess"),
    ),
    Group(
        "security",
        "Security, tokens, registry and services",
        "Access tokens and accounts, registry keys, and the service control manager.",
        prefixes=(
            "_kinds._security._token",
            "_kinds._system._registry",
            "_kinds._system._service",
            "_bindings._advapi32._tokens",
            "_bindings._advapi32._registry",
            "_bindings._advapi32._services",
        ),
    ),
    Group(
        "network",
        "Network",
        "Winsock sockets and their addresses and options.",
        prefixes=("_kinds._network.", "_bindings._ws2_32"),
    ),
    Group(
        "system",
        "System",
        "The event log, desktops and window stations.",
        prefixes=(
            "_kinds._system._eventlog",
            "_bindings._advapi32._eventlog",
            "_kinds._security._desktop",
            "_bindings._user32",
        ),
    ),
    Group(
        "async",
        "Async",
        "Awaiting handles from asyncio: the coroutines of the library, each documented beside its "
        "class. Files and pipes opened with `overlapped=True` also have `read_async` and "
        "`write_async`. The [async guide](../guides/async.md) shows them at work.",
        links=(
            "wait_any_async",
            "WaitableHandle.wait_async",
            "NamedPipeServer.connect_async",
            "DirectoryWatcher.changes_async",
        ),
    ),
    Group(
        "diagnostics",
        "Diagnostics",
        "Counting and listing a process's handles, tracking live wrappers, and checking for leaks.",
        prefixes=("_diagnostics.",),
    ),
    Group(
        "pytest-plugin",
        "pytest plugin",
        "Fails the tests that leave handles open; enable it with `-p safehandles.pytest_plugin`.",
        module="safehandles.pytest_plugin",
    ),
)


def _home_of() -> dict[str, str]:
    return {name: module for module, names in safehandles._HOMES.items() for name in names}


def group_of(name: str, home: str) -> Group:
    """The page that documents ``name``, defined in the private module ``home``."""
    for group in GROUPS:
        if name in group.names:
            return group
    best: tuple[int, Group] | None = None
    for group in GROUPS:
        for prefix in group.prefixes:
            if (home == prefix.rstrip(".") or home.startswith(prefix)) and (
                best is None or len(prefix) > best[0]
            ):
                best = (len(prefix), group)
    if best is None:
        raise LookupError(
            f"safehandles.{name} (defined in safehandles.{home}) has no reference page: "
            "add its module to a Group in tools/reference_pages.py"
        )
    return best[1]


def _order(name: str, home: str) -> tuple[int, str]:
    # The classes, then the functions, then the enums of flags and rights the bindings define.
    return (2 if home.startswith("_bindings.") else 1 if name[0].islower() else 0, name.lower())


def render() -> dict[str, str]:
    """Every reference page's Markdown by file name, plus ``index.md`` listing them."""
    homes = _home_of()
    members: dict[str, list[str]] = {group.slug: [] for group in GROUPS}
    for name in safehandles.__all__:
        if name == "__version__":
            continue  # a string, shown on the reference's index page
        members[group_of(name, homes[name]).slug].append(name)
    pages: dict[str, str] = {}
    index = [
        "# API reference",
        "",
        "<!-- Generated by `python3 tools/dev.py generate` (tools/reference_pages.py): do not edit. -->",
        "",
        "Every public name is importable from the package itself (`import safehandles as sh`,",
        "then `sh.Event`); the pages below group them by what they are for. This is the",
        f"reference of safehandles {safehandles.__version__}.",
        "",
        "| Page | What it covers |",
        "| --- | --- |",
    ]
    for group in GROUPS:
        lines = [
            f"# {group.title}",
            "",
            "<!-- Generated by `python3 tools/dev.py generate` (tools/reference_pages.py): do not edit. -->",
            "",
            group.intro,
            "",
        ]
        if group.module is not None:
            lines += [f"::: {group.module}", ""]
        lines += [f"- [`{link}`][safehandles.{link}]" for link in group.links]
        for name in sorted(members[group.slug], key=lambda n: _order(n, homes[n])):
            lines += [f"::: safehandles.{name}", ""]
        pages[f"{group.slug}.md"] = "\n".join(lines).rstrip() + "\n"
        index.append(f"| [{group.title}]({group.slug}.md) | {group.intro.split(': ')[0].split('; ')[0]} |")
    pages["index.md"] = "\n".join(index) + "\n"
    return pages


def write() -> None:
    """Rewrite docs/reference/ (removing pages no group makes any more)."""
    pages = render()
    REFERENCE.mkdir(parents=True, exist_ok=True)
    for stale in REFERENCE.glob("*.md"):
        if stale.name not in pages:
            stale.unlink()
    for name, text in pages.items():
        (REFERENCE / name).write_text(text, encoding="utf-8", newline="\n")


if __name__ == "__main__":
    write()
    print(f"wrote {len(render())} pages to {REFERENCE}", file=sys.stderr)
