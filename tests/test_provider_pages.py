"""docs/providers/*.md: the generated blocks (model tables, facts, presets, the index) are
current, and regenerating keeps the hand-written prose (scripts/generate_provider_pages.py)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from typedllm._builders._native import NATIVE_PROVIDERS
from typedllm._catalog import ANTHROPIC_MODELS, COHERE_MODELS, GEMINI_MODELS, OPENAI_MODELS
from typedllm.hosts import PRESETS

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "docs" / "providers"


def _load_generator() -> Any:
    path = ROOT / "scripts" / "generate_provider_pages.py"
    spec = importlib.util.spec_from_file_location("generate_provider_pages", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_provider_pages"] = module
    spec.loader.exec_module(module)
    return module


GENERATOR = _load_generator()


def _page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def test_every_page_is_current() -> None:
    stale = GENERATOR.stale_pages()
    assert not stale, "regenerate with `python scripts/generate_provider_pages.py`: " + ", ".join(
        p.name for p in stale
    )
    check = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_provider_pages.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout


def test_the_generator_knows_every_page_and_every_page_is_listed() -> None:
    assert sorted(GENERATOR.PAGES) == sorted(p.name for p in PAGES.glob("*.md"))
    assert set(GENERATOR.PAGE_OF) == {p.cli for p in NATIVE_PROVIDERS}


@pytest.mark.parametrize(
    ("page", "catalog"),
    [
        ("openai.md", OPENAI_MODELS),
        ("anthropic.md", ANTHROPIC_MODELS),
        ("gemini.md", GEMINI_MODELS),
        ("cohere.md", COHERE_MODELS),
    ],
)
def test_every_catalog_model_is_on_its_page(page: str, catalog: dict[str, Any]) -> None:
    text = _page(page)
    for name, info in catalog.items():
        assert f"`{name}`" in text, f"{name} missing from {page}"
        if info.shutdown_date:
            assert info.shutdown_date in text


def test_every_preset_has_a_section() -> None:
    text = _page("compatible.md")
    for preset in PRESETS.values():
        assert f"### {preset.title}\n" in text
        assert f"`tl.{preset.entry}(" in text and preset.doc_url in text
        for key in preset.key_env:
            assert f"`{key}`" in text


def test_every_native_provider_is_on_its_page_and_in_the_index() -> None:
    index = _page("index.md")
    for record in NATIVE_PROVIDERS:
        page = GENERATOR.PAGE_OF[record.cli]
        assert f"]({page})" in index
        text = _page(page)
        assert record.doc_url in text
        for key in record.key_env:
            assert f"`{key}`" in text


def test_a_stale_block_is_rewritten_and_the_prose_kept() -> None:
    current = _page("cohere.md")
    edited = current.replace("command-r7b-12-2024", "command-r7b-EDITED", 1)
    prose = "Hand-written words between the blocks stay.\n"
    edited = edited.replace("## Models\n", "## Models\n\n" + prose, 1)
    assert edited != current
    rendered = GENERATOR.render("cohere.md", edited)
    assert "command-r7b-EDITED" not in rendered
    assert prose in rendered
    assert rendered == current.replace("## Models\n", "## Models\n\n" + prose, 1)


def test_a_missing_or_unknown_block_is_an_error() -> None:
    current = _page("cohere.md")
    start = current.index("<!-- generated:models:cohere -->")
    end = current.index(GENERATOR.END, start) + len(GENERATOR.END)
    with pytest.raises(ValueError, match="expected"):
        GENERATOR.render("cohere.md", current[:start] + current[end:])
    unknown = current + "\n<!-- generated:models:nobody -->\n<!-- /generated -->\n"
    with pytest.raises(ValueError, match="expected"):
        GENERATOR.render("cohere.md", unknown)
    with pytest.raises(ValueError, match="unknown generated block"):
        GENERATOR.block("nothing:here")


def test_a_catalog_value_without_words_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(GENERATOR._SCHEMA_ROUTE, "cohere", {})
    with pytest.raises(ValueError, match="no route words"):
        GENERATOR.models("cohere")


def test_check_mode_reports_a_stale_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "providers"
    copy.mkdir()
    for page in GENERATOR.PAGES:
        (copy / page).write_text(_page(page), encoding="utf-8")
    stale = copy / "gemini.md"
    stale.write_text(_page("gemini.md").replace("| `gemini-2.5-pro`", "| `gemini-9`"), "utf-8")
    monkeypatch.setattr(GENERATOR, "PAGES_DIR", copy)
    assert GENERATOR.main(["--check"]) == 1
    assert "gemini-9" in stale.read_text(encoding="utf-8")  # --check writes nothing
    assert GENERATOR.main([]) == 0
    assert stale.read_text(encoding="utf-8") == _page("gemini.md")
    assert GENERATOR.main(["--check"]) == 0
