"""MkDocs hooks for the documentation site (mkdocs.yml ``hooks:``).

docs/changelog.md and docs/contributing.md include the repository's CHANGELOG.md and
CONTRIBUTING.md (``pymdownx.snippets``). Those files link relative to the repository root
(``docs/architecture.md``, ``CHANGELOG.md``), which is right on GitHub but not from inside
docs/. A Markdown preprocessor that runs after the snippets rewrites those links on these two
pages only, so every other link of the site is still checked as written (``strict``).
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

# Pages whose text comes from a file at the repository root.
INCLUDING_PAGES = frozenset({"changelog.md", "contributing.md"})
# Root files that have a page of their own on the site.
ROOT_PAGES = {"CHANGELOG.md": "changelog.md", "CONTRIBUTING.md": "contributing.md"}

_LINK = re.compile(r"\]\((?!https?:|#|/)([^)\s]+)\)")
_current_page: str | None = None


def root_link_to_docs_link(target: str) -> str:
    """The site-relative form of a link written relative to the repository root."""
    path, hash_, anchor = target.partition("#")
    if path in ROOT_PAGES:
        path = ROOT_PAGES[path]
    elif path.startswith("docs/"):
        path = path.removeprefix("docs/")
    return path + hash_ + anchor


def _fix(match: re.Match[str]) -> str:
    return f"]({root_link_to_docs_link(match.group(1))})"


class _RootLinks(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if _current_page not in INCLUDING_PAGES:
            return lines
        return [_LINK.sub(_fix, line) for line in lines]


class _RootLinksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # Markdown's name
        # pymdownx.snippets has priority 32: a lower priority runs after it.
        md.preprocessors.register(_RootLinks(md), "typedllm_root_links", 31)


def on_config(config: Any) -> Any:
    """Add the link rewriting to the site's Markdown extensions."""
    config.markdown_extensions.append(_RootLinksExtension())
    return config


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """Remember which page is converted next (the preprocessor rewrites only two pages)."""
    global _current_page
    _current_page = page.file.src_uri
    return markdown
