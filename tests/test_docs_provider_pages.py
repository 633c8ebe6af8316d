"""docs/providers/*.md: each page's examples run offline, in order, in one namespace per page
(each asserts what it shows)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _docs import DOCS, python_blocks, run_blocks

PAGES = sorted(p.name for p in (DOCS / "providers").glob("*.md"))
RUNNABLE = [p for p in PAGES if p != "index.md"]


def test_every_provider_page_is_here() -> None:
    assert {
        "index.md",
        "openai.md",
        "anthropic.md",
        "gemini.md",
        "azure-openai.md",
        "ollama.md",
        "cohere.md",
        "bedrock.md",
        "vertex.md",
        "compatible.md",
        "fake.md",
    } <= set(PAGES)


@pytest.mark.parametrize("page", RUNNABLE)
def test_the_examples_run_offline(page: str) -> None:
    blocks = python_blocks(f"providers/{page}")
    assert len(blocks) >= 2, f"{page} shows too few runnable examples"
    run_blocks(f"providers/{page}", blocks)


_LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("page", PAGES)
def test_links_stay_inside_the_docs(page: str) -> None:
    """MkDocs' strict mode fails on a broken link or one leaving docs/: only external URLs,
    anchors and existing pages under docs/ are linked."""
    path = DOCS / "providers" / page
    for target in _LINK.findall(path.read_text(encoding="utf-8")):
        if target.startswith(("https://", "http://", "#")):
            continue
        resolved = (path.parent / target.split("#")[0]).resolve()
        assert resolved.is_relative_to(DOCS.resolve()), f"{page}: {target} leaves docs/"
        assert resolved.suffix == ".md" and resolved.is_file(), f"{page}: {target} is broken"


def test_a_wrong_example_fails() -> None:
    blocks = python_blocks("providers/openai.md")
    broken = [blocks[0].replace('["strict"] is True', '["strict"] is False')]
    with pytest.raises(pytest.fail.Exception):
        run_blocks("providers/openai.md", broken)


def test_the_shown_calls_that_need_a_key_are_not_run() -> None:
    """A ```py block (the real call) is not picked up; its runnable twin is."""
    text = (DOCS / "providers" / "openai.md").read_text(encoding="utf-8")
    assert "```py\n" in text
    assert all(
        "transport(" in b or "tl." not in b for b in python_blocks("providers/openai.md")[:1]
    )


def test_python_blocks_are_found_by_path() -> None:
    assert Path(DOCS / "providers" / "openai.md").is_file()
