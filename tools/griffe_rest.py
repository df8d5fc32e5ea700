"""A griffe extension: the reST in the package's docstrings, as Markdown for the site.

The docstrings are written for ``help()`` and editors, in the reST idioms Python's own
docstrings use: ``:class:`Event``` roles, ``>>>`` examples and ``text::`` literal blocks.
mkdocstrings renders docstrings as Markdown, where a role prints literally and a ``>>>``
line reads as a quote nested three deep. This rewrites them as the site loads the package:

- ``:role:`~a.b.Name``` and ``:role:`text <target>``` become the code span ``Name`` / ``text``;
- a run of ``>>>`` / ``...`` lines (and their output, up to a blank line) becomes a fenced
  ``pycon`` block;
- a paragraph ending in ``::`` ends in ``:``, and the indented block after it becomes a
  fenced ``python`` block.

Used by mkdocs.yml (``extensions:`` of the mkdocstrings python handler); the docstrings
themselves stay as they are.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import griffe  # type: ignore[import-not-found]  # griffe is in the docs venv, not the dev one

__all__ = ["RestToMarkdown", "rest_to_markdown"]

_ROLE = re.compile(
    r":(?:py:)?(?:class|func|meth|attr|exc|data|mod|obj|const|ref|term):`(~?)([^`<]*?)(?:\s*<[^`>]+>)?`"
)


def _role(match: re.Match[str]) -> str:
    text = match.group(2).strip()
    if match.group(1):  # ``~a.b.Name`` shows the last part only, as Sphinx does
        text = text.rsplit(".", 1)[-1]
    return f"`{text}`"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def rest_to_markdown(text: str) -> str:
    """``text`` with its roles, doctest blocks and literal blocks in Markdown."""
    lines = _ROLE.sub(_role, text).split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith(">>>"):
            margin = " " * _indent(line)
            block: list[str] = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][len(margin) :] if lines[i].startswith(margin) else lines[i].strip())
                i += 1
            if out and out[-1].strip():
                out.append("")
            out += [f"{margin}```pycon", *(f"{margin}{b}" for b in block), f"{margin}```"]
            continue
        if stripped.endswith("::") and not stripped.startswith(".."):
            paragraph = _indent(line)
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            start = j
            while j < len(lines) and (not lines[j].strip() or _indent(lines[j]) > paragraph):
                j += 1
            while j > start and not lines[j - 1].strip():
                j -= 1
            if j > start:
                head = stripped[:-2].rstrip()
                if head:
                    out.append(" " * paragraph + head + ":")
                margin = " " * paragraph
                code = textwrap.dedent("\n".join(lines[start:j])).split("\n")
                out += [
                    "",
                    f"{margin}```python",
                    *(f"{margin}{c}" if c else "" for c in code),
                    f"{margin}```",
                ]
                i = j
                continue
        out.append(line)
        i += 1
    return "\n".join(out)


class RestToMarkdown(griffe.Extension):  # type: ignore[misc]
    """Rewrites each docstring with :func:`rest_to_markdown` as griffe loads it."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = rest_to_markdown(obj.docstring.value)
