"""The command line: ``python -m safehandles`` and the ``safehandles`` script.

Exit status: 0 success; 1 ``watch`` saw a type grow past its threshold;
2 a usage error; 3 the process is missing, may not be queried, or this is
not Windows.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .._core._errors import UnsupportedPlatformError
from .._version import __version__
from ._census import run_census
from ._tour import run_tour
from ._watch import run_watch

__all__ = ["main"]

EXIT_PROCESS = 3


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    return value


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {text}")
    return value


_MAIN_EPILOG = """\
examples:
  python -m safehandles tour                 what the library does, step by step
  python -m safehandles census --pid 4242    the handles process 4242 holds, by type
  python -m safehandles watch --pid 4242 --duration 60 --svg growth.svg
                                             fail (exit 1) if a type grows by more than 10

exit status: 0 success; 1 watch saw a type grow past its threshold; 2 a usage error;
3 the process is missing, may not be queried, or this is not Windows.
"""

_TOUR_EPILOG = """\
examples:
  python -m safehandles tour
  python -W default -m safehandles tour      also print each ResourceWarning as it happens
"""

_CENSUS_EPILOG = """\
examples:
  python -m safehandles census               this process's handles
  python -m safehandles census --pid 4242    another process's
  python -m safehandles census --json > census.json
"""

_WATCH_EPILOG = """\
The summary goes to stdout, or to stderr with --json/--csv (stdout then holds the samples).
Exit status 1 when some type's last count exceeds its first by more than --threshold.

examples:
  python -m safehandles watch --pid 4242 --duration 30
  python -m safehandles watch --pid 4242 --duration 600 --interval 5 --threshold 50 --csv > samples.csv
  python -m safehandles watch --pid 4242 --duration 60 --svg growth.svg
"""


def _sub(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    description: str,
    epilog: str,
) -> argparse.ArgumentParser:
    return commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="safehandles",
        description="SafeHandle-style ownership of Windows kernel handles, and what a process holds.",
        epilog=_MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"safehandles {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _sub(
        commands,
        "tour",
        "create, use and close one of each kind, saying what happens",
        "Create, use and close one handle of each kind, printing what happens at each step\n"
        "(the default command).",
        _TOUR_EPILOG,
    )

    census = _sub(
        commands,
        "census",
        "a process's handles counted by object type",
        "Count a process's open handles by kernel object type (Event, File, Key, ...).",
        _CENSUS_EPILOG,
    )
    census.add_argument("--pid", type=int, help="the process (default: this one)")
    census.add_argument("--json", action="store_true", help="print JSON instead of a table")

    watch = _sub(
        commands,
        "watch",
        "sample the census over time; exit 1 if a type keeps growing",
        "Sample a process's handle census every --interval seconds for --duration seconds,\n"
        "print each type's growth, and optionally draw it as an SVG chart.",
        _WATCH_EPILOG,
    )
    watch.add_argument("--pid", type=int, help="the process (default: this one)")
    watch.add_argument("--interval", type=_positive_float, default=1.0, help="seconds between samples (1)")
    watch.add_argument("--duration", type=_positive_float, required=True, help="seconds to watch")
    watch.add_argument(
        "--threshold", type=_count, default=10, help="growth per type that fails the watch (more than 10)"
    )
    watch.add_argument("--svg", metavar="PATH", help="also draw the series as an SVG chart")
    formats = watch.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_const", const="json", dest="format", help="samples as JSON")
    formats.add_argument("--csv", action="store_const", const="csv", dest="format", help="samples as CSV")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "census":
            return run_census(args.pid, args.json, sys.stdout)
        if args.command == "watch":
            return run_watch(
                pid=args.pid,
                interval=args.interval,
                duration=args.duration,
                fmt=args.format,
                threshold=args.threshold,
                svg=args.svg,
                out=sys.stdout,
                err=sys.stderr,
            )
        return run_tour(sys.stdout)
    except (ProcessLookupError, PermissionError, UnsupportedPlatformError) as exc:
        print(f"safehandles: error: {exc}", file=sys.stderr)
        return EXIT_PROCESS
