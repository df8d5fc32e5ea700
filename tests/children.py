"""Running a child Python that can import safehandles from this checkout.

The embeddable Windows CPython used under Wine ignores PYTHONPATH, so the
child's code is prefixed with the project root on ``sys.path``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def python_code(code: str) -> str:
    """*code* prefixed so that ``import safehandles`` finds this checkout."""
    return f"import sys; sys.path.insert(0, {str(PROJECT_ROOT)!r})\n{code}"


def run_python(code: str, *flags: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run *code* in a child interpreter like this one and capture its output."""
    return subprocess.run(
        [sys.executable, *flags, "-c", python_code(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        stdin=subprocess.DEVNULL,
    )
