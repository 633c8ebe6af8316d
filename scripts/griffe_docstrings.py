"""A griffe extension for the API reference (mkdocs.yml, mkdocstrings ``extensions``).

typedllm's docstrings are written to read well in ``help()`` and an editor: doctest examples
are bare ``>>>`` paragraphs and cross-references use Sphinx roles (``:class:`~typedllm.Stream```).
Markdown would run a doctest's lines together (and read ``x["a"]["b"]`` as a link) and print the
roles literally, so before rendering this fences every doctest as ``pycon`` code and turns each
role into inline code of the name it shows.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

# :class:`~a.b.C` shows C, :meth:`a.B.c` shows a.B.c, :func:`title <target>` shows title.
_ROLE = re.compile(
    r":(?:py:)?(?:class|meth|func|mod|attr|exc|data|obj|const):`~?([^`<]+?)(?:\s*<[^>]*>)?`"
)


def _shown(match: re.Match[str]) -> str:
    name = match.group(1).strip()
    tilde = match.group(0).split("`", 1)[1].startswith("~")
    return f"`{name.rsplit('.', 1)[-1] if tilde else name}`"


def fence_doctests(text: str) -> str:
    """``text`` with each run of doctest lines (a ``>>>`` line up to the next blank line)
    inside a ```` ```pycon ```` fence; fenced blocks already in the text are left alone."""
    out: list[str] = []
    in_fence = in_doctest = False
    for line in text.splitlines():
        stripped = line.strip()
        if in_doctest and not stripped:
            out += ["```", ""]
            in_doctest = False
            continue
        if not in_doctest and stripped.startswith("```"):
            in_fence = not in_fence
        elif not in_fence and not in_doctest and stripped.startswith(">>>"):
            if out and out[-1].strip():
                out.append("")
            out.append("```pycon")
            in_doctest = True
        out.append(line)
    if in_doctest:
        out.append("```")
    return "\n".join(out)


def rewrite(text: str) -> str:
    """A docstring as the reference renders it (doctests fenced, roles as inline code)."""
    return _ROLE.sub(_shown, fence_doctests(text))


class TypedllmDocstrings(griffe.Extension):
    """Rewrites every docstring once it is loaded (see the module docstring)."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Rewrite ``obj``'s docstring in place."""
        if obj.docstring is not None:
            obj.docstring.value = rewrite(obj.docstring.value)
