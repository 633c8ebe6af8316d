"""The embedding models in the catalog (provenance, dimensions, prices, the typed names), the
builders' gates, and the presets' embeddings flag."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import get_args

import pytest

import typedllm as tl
from typedllm._catalog._codegen import check_entry
from typedllm._catalog._embedding_models import (
    _DATA,  # pyright: ignore[reportPrivateUsage]
    CohereEmbeddingModelName,
    GeminiEmbeddingModelName,
    MistralEmbeddingModelName,
    OpenAIEmbeddingModelName,
    embedding_models,
)
from typedllm.hosts._presets import PRESETS
from typedllm.testing import FakeProvider

_LITERALS = {
    "openai": OpenAIEmbeddingModelName,
    "gemini": GeminiEmbeddingModelName,
    "cohere": CohereEmbeddingModelName,
    "mistral": MistralEmbeddingModelName,
}


def test_every_entry_has_source_and_as_of() -> None:
    entries = json.loads(_DATA.read_text("utf-8"))["models"]
    assert entries
    for entry in entries:
        assert check_entry(entry, dt.date.today()) == [], entry["name"]
        assert isinstance(entry["dimensions"], int) and entry["dimensions"] > 0


@pytest.mark.parametrize("provider", sorted(_LITERALS))
def test_typed_names_match_the_data_file(provider: str) -> None:
    assert set(get_args(_LITERALS[provider])) == set(embedding_models(provider))


def test_known_dimensions_and_prices() -> None:
    openai = embedding_models("openai")
    assert openai["text-embedding-3-small"].dimensions == 1536
    assert openai["text-embedding-3-large"].dimensions == 3072
    assert openai["text-embedding-3-small"].cost(1_000_000) == pytest.approx(0.02)
    assert embedding_models("cohere")["embed-v4.0"].dimension_choices == (256, 512, 1024, 1536)
    assert embedding_models("nope") == {}


def test_dimensions_gates() -> None:
    ada = tl.openai().embedding_model("text-embedding-ada-002")
    with pytest.raises(tl.ConfigurationError, match="always produces 1536"):
        ada.dimensions(256)
    with pytest.raises(tl.ConfigurationError, match=r"one of \[256, 512, 1024, 1536\]"):
        tl.cohere().embedding_model("embed-v4.0").dimensions(300)
    with pytest.raises(tl.ConfigurationError, match="128 to 3072"):
        tl.gemini().embedding_model("gemini-embedding-001").dimensions(4000)
    with pytest.raises(tl.ConfigurationError, match="positive int"):
        tl.openai().embedding_model("text-embedding-3-small").dimensions(0)
    with pytest.raises(tl.ConfigurationError, match="positive int"):
        tl.openai().embedding_model("text-embedding-3-small").dimensions(True)
    # An unlisted model (Ollama, compatible hosts) takes any size: the server decides.
    assert tl.ollama().embedding_model("x").dimensions(77).build().dimensions == 77


def test_names_and_like() -> None:
    with pytest.raises(tl.ConfigurationError, match="unknown openai embedding model"):
        tl.openai().embedding_model("gpt-4o")  # type: ignore[call-overload]
    with pytest.raises(tl.ConfigurationError, match="without like="):
        tl.openai().embedding_model("text-embedding-3-small", like="text-embedding-3-large")  # type: ignore[call-overload]
    with pytest.raises(tl.ConfigurationError, match="not a listed"):
        tl.openai().embedding_model("new", like="nope")  # type: ignore[call-overload]
    borrowed = tl.openai().api_key("k").embedding_model("te-4", like="text-embedding-3-small")
    embedder = borrowed.build()
    assert embedder.model == "te-4" and embedder.dimensions == 1536
    assert embedder.model_info is not None and embedder.model_info.name == "te-4"


def test_input_type_and_task_type_are_checked_at_run_time() -> None:
    with pytest.raises(tl.ConfigurationError, match="input_type must be one of"):
        tl.cohere().embedding_model("embed-v4.0").input_type("search")  # type: ignore[arg-type]
    with pytest.raises(tl.ConfigurationError, match="task_type must be one of"):
        tl.gemini().embedding_model("gemini-embedding-001").task_type("x")  # type: ignore[arg-type]


def test_settings_carry_over_and_builders_are_immutable() -> None:
    fake = FakeProvider()
    base = tl.openai().api_key("sk-x").header("x-team", "a").transport(fake)
    builder = base.embedding_model("text-embedding-3-small")
    small = builder.dimensions(8)
    assert builder.build().dimensions == 1536 and small.build().dimensions == 8
    small.build().embed(["a"])
    assert fake.requests[0].headers["x-team"] == "a"


def test_missing_key_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(tl.ConfigurationError, match="OPENAI_API_KEY"):
        tl.openai().embedding_model("text-embedding-3-small").build()


def test_repr_hides_the_key() -> None:
    embedder = tl.openai().api_key("sk-very-secret").embedding_model("text-embedding-3-small")
    assert "sk-very-secret" not in repr(embedder) + repr(embedder.build())


def test_presets_embeddings_flag() -> None:
    flagged = {name for name, preset in PRESETS.items() if preset.embeddings}
    assert {"mistral", "vllm", "together", "fireworks", "llamacpp"} <= flagged
    assert "groq" not in flagged and "deepseek" not in flagged


def test_generated_literals_are_current() -> None:
    from typedllm._catalog._codegen import EMBEDDINGS_MODULE, PACKAGE_DIR, expected_files

    path = PACKAGE_DIR / EMBEDDINGS_MODULE
    assert expected_files()[path] == path.read_text(encoding="utf-8"), (
        "stale: run python scripts/generate_catalog.py"
    )


def test_generator_refuses_an_entry_without_provenance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typedllm._catalog import _codegen

    entry = {"name": "m", "provider": "openai", "dimensions": 8}
    (tmp_path / "embeddings.json").write_text(json.dumps({"models": [entry]}), "utf-8")
    monkeypatch.setattr(_codegen, "DATA_DIR", tmp_path)
    with pytest.raises(ValueError, match="no source URL"):
        _codegen.render_embedding_literals()
