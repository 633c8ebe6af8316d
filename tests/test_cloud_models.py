"""The Bedrock and Vertex AI model ids stay in step with the catalog."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

from typedllm._catalog import ANTHROPIC_MODELS
from typedllm._catalog._cloud_models import (
    ALIASES,
    BEDROCK_GEOGRAPHIES,
    CLOUD_SNAPSHOTS,
    AnthropicCloudStandardModelId,
    AnthropicCloudThinkingModelId,
    bedrock_id_for,
    cloud_model,
    cloud_platform_of,
    vertex_id_for,
)

DATA = Path(__file__).resolve().parents[1] / "typedllm" / "_catalog" / "data" / "anthropic.json"


def _expected(family: str) -> set[str]:
    ids: set[str] = set()
    for snapshot, (bedrock, vertex) in CLOUD_SNAPSHOTS.items():
        if ANTHROPIC_MODELS[snapshot].family == family:
            ids |= {bedrock, vertex, *(f"{geo}.{bedrock}" for geo in BEDROCK_GEOGRAPHIES)}
    return ids


def test_literal_types_are_the_product_of_the_table() -> None:
    assert set(get_args(AnthropicCloudThinkingModelId)) == _expected("thinking")
    assert set(get_args(AnthropicCloudStandardModelId)) == _expected("standard")


def test_aliases_match_the_catalog_snapshots() -> None:
    models = json.loads(DATA.read_text())["models"]
    from_data = {m["name"]: m["snapshots"][0] for m in models if m.get("snapshots")}
    assert from_data == ALIASES
    assert set(CLOUD_SNAPSHOTS) <= set(ANTHROPIC_MODELS)


def test_every_cloud_id_maps_back_to_its_snapshot() -> None:
    for snapshot, (bedrock, vertex) in CLOUD_SNAPSHOTS.items():
        for name, platform in (
            (bedrock, "bedrock"),
            (f"apac.{bedrock}", "bedrock"),
            (vertex, "vertex"),
        ):
            found = cloud_model(name)
            assert found is not None
            assert found[:2] == (platform, snapshot)
            assert found[2].name == name
            assert found[2].family == ANTHROPIC_MODELS[snapshot].family
            assert cloud_platform_of(name) == platform
    assert bedrock_id_for("claude-sonnet-4-0", "eu") == "eu.anthropic.claude-sonnet-4-20250514-v1:0"
    assert vertex_id_for("claude-3-5-haiku-latest") == "claude-3-5-haiku@20241022"
    assert bedrock_id_for("claude-unknown") is None
    assert cloud_model("claude-sonnet-4-5") is None
    assert cloud_platform_of("claude-sonnet-4-5") is None
