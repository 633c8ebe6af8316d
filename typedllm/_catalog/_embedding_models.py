"""The embedding models of the catalog: default and selectable dimensions, input limits and
prices, read from ``data/embeddings.json`` (every entry names its ``source`` and ``as_of``,
checked by the same :func:`~typedllm._catalog._codegen.check_entry` as the chat catalog).

The ``Literal`` name types below are what the builders' ``.embedding_model()`` take; they are
generated from the data file by ``scripts/generate_catalog.py`` (a test fails when stale).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeAlias

__all__ = [
    "CohereEmbeddingModelName",
    "EmbeddingModelInfo",
    "GeminiEmbeddingModelName",
    "MistralEmbeddingModelName",
    "OpenAIEmbeddingModelName",
    "embedding_models",
]

# BEGIN GENERATED: embedding model names (scripts/generate_catalog.py)
OpenAIEmbeddingModelName: TypeAlias = Literal[
    "text-embedding-3-small",
    "text-embedding-3-large",
    "text-embedding-ada-002",
]
"""The OpenAI (and Azure OpenAI) embedding models the catalog lists."""
GeminiEmbeddingModelName: TypeAlias = Literal["gemini-embedding-001"]
"""The Gemini API embedding models the catalog lists."""
CohereEmbeddingModelName: TypeAlias = Literal[
    "embed-v4.0",
    "embed-english-v3.0",
    "embed-multilingual-v3.0",
    "embed-english-light-v3.0",
    "embed-multilingual-light-v3.0",
]
"""The Cohere embedding models the catalog lists."""
MistralEmbeddingModelName: TypeAlias = Literal["mistral-embed", "codestral-embed"]
"""The Mistral embedding models the catalog lists."""
# END GENERATED: embedding model names

_DATA = Path(__file__).parent / "data" / "embeddings.json"


@dataclass(frozen=True, slots=True)
class EmbeddingModelInfo:
    """One embedding model.

    Attributes:
        name: the model name.
        provider: ``openai``, ``gemini``, ``cohere`` or ``mistral``.
        dimensions: the default vector size.
        dimension_choices: the exact sizes the API accepts (``()``: see the range).
        dimensions_min, dimensions_max: the range of sizes accepted (``dimensions_min`` is
            ``None`` when the size cannot be chosen, except from ``dimension_choices``).
        max_input_tokens: the most tokens one text may have.
        input_price: USD per million input tokens (``None``: unknown).
        source_url, as_of: the page the values were read from, and the day.
        note: what the fields cannot say.
    """

    name: str
    provider: str
    dimensions: int
    dimension_choices: tuple[int, ...] = ()
    dimensions_min: int | None = None
    dimensions_max: int | None = None
    max_input_tokens: int | None = None
    input_price: float | None = None
    source_url: str | None = None
    as_of: str | None = None
    note: str | None = None

    @property
    def selectable_dimensions(self) -> bool:
        """Whether a size other than the default may be asked for."""
        return bool(self.dimension_choices) or self.dimensions_min is not None

    def accepts_dimensions(self, size: int) -> bool:
        """Whether ``size`` is a vector size this model can produce."""
        if self.dimension_choices:
            return size in self.dimension_choices
        if self.dimensions_min is None:
            return size == self.dimensions
        top = self.dimensions_max if self.dimensions_max is not None else self.dimensions
        return self.dimensions_min <= size <= top

    def cost(self, input_tokens: int | None) -> float | None:
        """USD for ``input_tokens`` (``None`` when the price or the count is unknown)."""
        if self.input_price is None or input_tokens is None:
            return None
        return input_tokens * self.input_price / 1_000_000


def _info(entry: dict[str, Any]) -> EmbeddingModelInfo:
    return EmbeddingModelInfo(
        name=entry["name"],
        provider=entry["provider"],
        dimensions=entry["dimensions"],
        dimension_choices=tuple(entry.get("dimension_choices", ())),
        dimensions_min=entry.get("dimensions_min"),
        dimensions_max=entry.get("dimensions_max"),
        max_input_tokens=entry.get("max_input_tokens"),
        input_price=entry.get("input_price"),
        source_url=entry["source"],
        as_of=entry["as_of"],
        note=entry.get("note"),
    )


@functools.lru_cache(maxsize=1)
def _all() -> dict[str, dict[str, EmbeddingModelInfo]]:
    from ._codegen import check_entry

    data = json.loads(_DATA.read_text(encoding="utf-8"))
    models: dict[str, dict[str, EmbeddingModelInfo]] = {}
    problems: list[str] = []
    for entry in data["models"]:
        problems.extend(check_entry(entry))
        info = _info(entry)
        models.setdefault(info.provider, {})[info.name] = info
    if problems:
        raise ValueError("data/embeddings.json: " + "; ".join(problems))
    return models


def embedding_models(provider: str) -> dict[str, EmbeddingModelInfo]:
    """The catalog's embedding models of ``provider`` by name (empty for an unknown one)."""
    return dict(_all().get(provider, {}))
