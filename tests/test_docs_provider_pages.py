"""docs/providers/*.md: each page's examples run offline, in order, in one namespace per page
(each asserts what it shows)."""

from __future__ import annotations

import re

import pytest
from _docs import DOCS, python_blocks, run_blocks

PAGES = sorted(p.name for p in (DOCS / "providers").glob("*.md"))
RUNNABLE = [p for p in PAGES if p != "index.md"]

# Settings the pages' examples read (base URLs, regions, API versions): a developer's own must
# not change what the examples assert.
_PAGE_ENV = (
    "OLLAMA_HOST",
    "CO_API_URL",
    "GROQ_BASE_URL",
    "TOGETHER_BASE_URL",
    "OPENAI_API_VERSION",
    "AZURE_OPENAI_ENDPOINT",
    "CLOUD_ML_REGION",
    "GOOGLE_CLOUD_LOCATION",
    "GOOGLE_CLOUD_PROJECT",
    "ANTHROPIC_VERTEX_PROJECT_ID",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_BEARER_TOKEN_BEDROCK",
)


@pytest.fixture(autouse=True)
def _page_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _PAGE_ENV:
        monkeypatch.delenv(name, raising=False)


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


_SHOWN = re.compile(r"```py\n(.*?)```", re.DOTALL)


@pytest.mark.parametrize("page", [p for p in RUNNABLE if p != "fake.md"])
def test_the_real_call_is_shown_and_not_run(page: str) -> None:
    """Each provider page shows the call against the real service in a ```py block (not run:
    it needs a key or a server) and runs its twin on the fake (the network is blocked while
    the runnable blocks run, so a twin that reached out would fail)."""
    text = (DOCS / "providers" / page).read_text(encoding="utf-8")
    shown = _SHOWN.findall(text)
    assert shown, f"{page} shows no real call"
    runnable = python_blocks(f"providers/{page}")
    assert not set(shown) & set(runnable)
    assert any("transport(fake)" in block for block in runnable)
