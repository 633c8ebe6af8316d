"""Model names and capabilities for cohere (GENERATED: do not edit).

Source: ``_catalog/data/cohere.json``; regenerate with
``python scripts/generate_catalog.py``.
"""

# Source URLs and notes are data, kept on one line each (E501 is off for these files).

from __future__ import annotations

from typing import Literal, TypeAlias

from ._model import ModelInfo

CohereThinkingModelName: TypeAlias = Literal["command-a-reasoning-08-2025"]
"""Cohere reasoning models (thinking on by default, with an optional budget)."""

CohereStandardModelName: TypeAlias = Literal[
    "command-a-03-2025",
    "command-a-vision-07-2025",
    "command-r7b-12-2024",
    "command-r-plus-08-2024",
    "command-r-08-2024",
]
"""Cohere models without thinking."""

CohereModelName: TypeAlias = CohereThinkingModelName | CohereStandardModelName
"""Every catalogued cohere model name."""

COHERE_MODELS: dict[str, ModelInfo] = {
    "command-a-03-2025": ModelInfo(
        name="command-a-03-2025",
        provider="cohere",
        family="standard",
        temperature=True,
        structured_output="json_schema",
        tools=True,
        vision=False,
        reasoning_efforts=(),
        context_window=256000,
        max_output_tokens=8192,
        input_price=2.5,
        output_price=10.0,
        apis=("chat",),
        modalities_in=("text",),
        modalities_out=("text",),
        source_url="https://docs.cohere.com/docs/command-a",
        as_of="2026-12-02",
    ),
    "command-a-reasoning-08-2025": ModelInfo(
        name="command-a-reasoning-08-2025",
        provider="cohere",
        family="thinking",
        temperature=True,
        structured_output="json_schema",
        tools=True,
        vision=False,
        reasoning_efforts=(),
        context_window=256000,
        max_output_tokens=32000,
        input_price=None,
        output_price=None,
        apis=("chat",),
        modalities_in=("text",),
        modalities_out=("text",),
        source_url="https://docs.cohere.com/docs/command-a-reasoning",
        as_of="2026-12-02",
    ),
    "command-a-vision-07-2025": ModelInfo(
        name="command-a-vision-07-2025",
        provider="cohere",
        family="standard",
        temperature=True,
        structured_output="json_schema",
        tools=False,
        vision=True,
        reasoning_efforts=(),
        context_window=128000,
        max_output_tokens=8192,
        input_price=2.5,
        output_price=10.0,
        apis=("chat",),
        modalities_in=("text", "image"),
        modalities_out=("text",),
        source_url="https://docs.cohere.com/docs/command-a-vision",
        as_of="2026-12-02",
    ),
    "command-r7b-12-2024": ModelInfo(
        name="command-r7b-12-2024",
        provider="cohere",
        family="standard",
        temperature=True,
        structured_output="json_schema",
        tools=True,
        vision=False,
        reasoning_efforts=(),
        context_window=128000,
        max_output_tokens=4096,
        input_price=0.0375,
        output_price=0.15,
        apis=("chat",),
        modalities_in=("text",),
        modalities_out=("text",),
        source_url="https://docs.cohere.com/docs/command-r7b",
        as_of="2026-12-02",
    ),
    "command-r-plus-08-2024": ModelInfo(
        name="command-r-plus-08-2024",
        provider="cohere",
        family="standard",
        temperature=True,
        structured_output="json_schema",
        tools=True,
        vision=False,
        reasoning_efforts=(),
        context_window=128000,
        max_output_tokens=4096,
        input_price=2.5,
        output_price=10.0,
        apis=("chat",),
        modalities_in=("text",),
        modalities_out=("text",),
        source_url="https://docs.cohere.com/docs/command-r-plus",
        as_of="2026-12-02",
    ),
    "command-r-08-2024": ModelInfo(
        name="command-r-08-2024",
        provider="cohere",
        family="standard",
        temperature=True,
        structured_output="json_schema",
        tools=True,
        vision=False,
        reasoning_efforts=(),
        context_window=128000,
        max_output_tokens=4096,
        input_price=0.15,
        output_price=0.6,
        apis=("chat",),
        modalities_in=("text",),
        modalities_out=("text",),
        source_url="https://docs.cohere.com/docs/command-r",
        as_of="2026-12-02",
    ),
}
