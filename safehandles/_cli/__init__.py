"""The command line: ``python -m safehandles`` and the ``safehandles`` script."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ._tour import run_tour

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="safehandles",
        description="SafeHandle-style ownership of Windows kernel handles.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("tour", help="create, use and close one of each kind, saying what happens")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command in (None, "tour"):
        return run_tour(sys.stdout)
    parser.error(f"unknown command {args.command!r}")  # argparse has already refused it
    return 2
