"""Anthropic models on Amazon Bedrock and Vertex AI: their ids, mapped to the catalog.

Bedrock names a model ``anthropic.<snapshot>-v1:0`` and a cross-region inference profile puts
a geography before it (``us.``, ``eu.``, ``apac.``, ``jp.``, ``au.``, ``global.``); Vertex AI
names it ``<name>@<date>`` (https://platform.claude.com/docs/en/build-with-claude/claude-on-
amazon-bedrock, https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude/
use-claude). Each id borrows the capabilities of its catalog snapshot, so the builder's thinking
and temperature gates apply to it statically (the ``Literal`` types below) and at run time.

The ``Literal`` lists are the product of :data:`CLOUD_SNAPSHOTS` and :data:`BEDROCK_GEOGRAPHIES`;
a test fails when they drift apart.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Literal, TypeAlias

from ._anthropic_models import ANTHROPIC_MODELS
from ._model import ModelInfo

__all__ = [
    "ALIASES",
    "BEDROCK_GEOGRAPHIES",
    "CLOUD_SNAPSHOTS",
    "AnthropicCloudStandardModelId",
    "AnthropicCloudThinkingModelId",
    "CloudModel",
    "bedrock_id_for",
    "cloud_model",
    "cloud_platform_of",
    "vertex_id_for",
]

CLOUD_SNAPSHOTS: dict[str, tuple[str, str]] = {
    # catalog snapshot: (Bedrock base model id, Vertex AI model name)
    "claude-opus-4-5-20251101": (
        "anthropic.claude-opus-4-5-20251101-v1:0",
        "claude-opus-4-5@20251101",
    ),
    "claude-sonnet-4-5-20250929": (
        "anthropic.claude-sonnet-4-5-20250929-v1:0",
        "claude-sonnet-4-5@20250929",
    ),
    "claude-haiku-4-5-20251001": (
        "anthropic.claude-haiku-4-5-20251001-v1:0",
        "claude-haiku-4-5@20251001",
    ),
    "claude-opus-4-1-20250805": (
        "anthropic.claude-opus-4-1-20250805-v1:0",
        "claude-opus-4-1@20250805",
    ),
    "claude-opus-4-20250514": ("anthropic.claude-opus-4-20250514-v1:0", "claude-opus-4@20250514"),
    "claude-sonnet-4-20250514": (
        "anthropic.claude-sonnet-4-20250514-v1:0",
        "claude-sonnet-4@20250514",
    ),
    "claude-3-7-sonnet-20250219": (
        "anthropic.claude-3-7-sonnet-20250219-v1:0",
        "claude-3-7-sonnet@20250219",
    ),
    "claude-3-5-haiku-20241022": (
        "anthropic.claude-3-5-haiku-20241022-v1:0",
        "claude-3-5-haiku@20241022",
    ),
    "claude-3-haiku-20240307": (
        "anthropic.claude-3-haiku-20240307-v1:0",
        "claude-3-haiku@20240307",
    ),
}

BEDROCK_GEOGRAPHIES = ("us", "eu", "apac", "jp", "au", "global")
"""Cross-region inference profile prefixes (``us.anthropic...``) in the ``Literal`` types; any
other ``<geo>.`` prefix is accepted at run time too (``us-gov.``, ``ca.`` ...)."""

AnthropicCloudThinkingModelId: TypeAlias = Literal[
    "anthropic.claude-opus-4-5-20251101-v1:0",
    "us.anthropic.claude-opus-4-5-20251101-v1:0",
    "eu.anthropic.claude-opus-4-5-20251101-v1:0",
    "apac.anthropic.claude-opus-4-5-20251101-v1:0",
    "jp.anthropic.claude-opus-4-5-20251101-v1:0",
    "au.anthropic.claude-opus-4-5-20251101-v1:0",
    "global.anthropic.claude-opus-4-5-20251101-v1:0",
    "claude-opus-4-5@20251101",
    "anthropic.claude-sonnet-4-5-20250929-v1:0",
    "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "apac.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "jp.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "au.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "claude-sonnet-4-5@20250929",
    "anthropic.claude-haiku-4-5-20251001-v1:0",
    "us.anthropic.claude-haiku-4-5-20251001-v1:0",
    "eu.anthropic.claude-haiku-4-5-20251001-v1:0",
    "apac.anthropic.claude-haiku-4-5-20251001-v1:0",
    "jp.anthropic.claude-haiku-4-5-20251001-v1:0",
    "au.anthropic.claude-haiku-4-5-20251001-v1:0",
    "global.anthropic.claude-haiku-4-5-20251001-v1:0",
    "claude-haiku-4-5@20251001",
    "anthropic.claude-opus-4-1-20250805-v1:0",
    "us.anthropic.claude-opus-4-1-20250805-v1:0",
    "eu.anthropic.claude-opus-4-1-20250805-v1:0",
    "apac.anthropic.claude-opus-4-1-20250805-v1:0",
    "jp.anthropic.claude-opus-4-1-20250805-v1:0",
    "au.anthropic.claude-opus-4-1-20250805-v1:0",
    "global.anthropic.claude-opus-4-1-20250805-v1:0",
    "claude-opus-4-1@20250805",
    "anthropic.claude-opus-4-20250514-v1:0",
    "us.anthropic.claude-opus-4-20250514-v1:0",
    "eu.anthropic.claude-opus-4-20250514-v1:0",
    "apac.anthropic.claude-opus-4-20250514-v1:0",
    "jp.anthropic.claude-opus-4-20250514-v1:0",
    "au.anthropic.claude-opus-4-20250514-v1:0",
    "global.anthropic.claude-opus-4-20250514-v1:0",
    "claude-opus-4@20250514",
    "anthropic.claude-sonnet-4-20250514-v1:0",
    "us.anthropic.claude-sonnet-4-20250514-v1:0",
    "eu.anthropic.claude-sonnet-4-20250514-v1:0",
    "apac.anthropic.claude-sonnet-4-20250514-v1:0",
    "jp.anthropic.claude-sonnet-4-20250514-v1:0",
    "au.anthropic.claude-sonnet-4-20250514-v1:0",
    "global.anthropic.claude-sonnet-4-20250514-v1:0",
    "claude-sonnet-4@20250514",
    "anthropic.claude-3-7-sonnet-20250219-v1:0",
    "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
    "eu.anthropic.claude-3-7-sonnet-20250219-v1:0",
    "apac.anthropic.claude-3-7-sonnet-20250219-v1:0",
    "jp.anthropic.claude-3-7-sonnet-20250219-v1:0",
    "au.anthropic.claude-3-7-sonnet-20250219-v1:0",
    "global.anthropic.claude-3-7-sonnet-20250219-v1:0",
    "claude-3-7-sonnet@20250219",
]
"""Bedrock ids (with and without an inference profile) and Vertex AI names of Claude models
with extended thinking."""

AnthropicCloudStandardModelId: TypeAlias = Literal[
    "anthropic.claude-3-5-haiku-20241022-v1:0",
    "us.anthropic.claude-3-5-haiku-20241022-v1:0",
    "eu.anthropic.claude-3-5-haiku-20241022-v1:0",
    "apac.anthropic.claude-3-5-haiku-20241022-v1:0",
    "jp.anthropic.claude-3-5-haiku-20241022-v1:0",
    "au.anthropic.claude-3-5-haiku-20241022-v1:0",
    "global.anthropic.claude-3-5-haiku-20241022-v1:0",
    "claude-3-5-haiku@20241022",
    "anthropic.claude-3-haiku-20240307-v1:0",
    "us.anthropic.claude-3-haiku-20240307-v1:0",
    "eu.anthropic.claude-3-haiku-20240307-v1:0",
    "apac.anthropic.claude-3-haiku-20240307-v1:0",
    "jp.anthropic.claude-3-haiku-20240307-v1:0",
    "au.anthropic.claude-3-haiku-20240307-v1:0",
    "global.anthropic.claude-3-haiku-20240307-v1:0",
    "claude-3-haiku@20240307",
]
"""Bedrock ids and Vertex AI names of Claude models without extended thinking."""

CloudModel = tuple[Literal["bedrock", "vertex"], str, ModelInfo]
"""``(platform, catalog snapshot, capabilities)`` of a cloud model id."""

_GEO = re.compile(r"^(?P<geo>[a-z][a-z-]*)\.(?P<rest>anthropic\..+)$")


def cloud_platform_of(name: str) -> Literal["bedrock", "vertex"] | None:
    """Which cloud a model id is written for (by its form), if any: Bedrock ids start with
    ``anthropic.`` (after an optional inference profile) or are ARNs; Vertex names have ``@``."""
    if name.startswith("anthropic.") or _GEO.match(name) or name.startswith("arn:aws"):
        return "bedrock"
    if "@" in name:
        return "vertex"
    return None


def _snapshot_of(name: str) -> tuple[Literal["bedrock", "vertex"], str] | None:
    match = _GEO.match(name)
    base = match.group("rest") if match else name
    for snapshot, (bedrock, vertex) in CLOUD_SNAPSHOTS.items():
        if base == bedrock:
            return "bedrock", snapshot
        if name == vertex:
            return "vertex", snapshot
    return None


def cloud_model(name: str) -> CloudModel | None:
    """The platform, catalog snapshot and capabilities of a listed Bedrock or Vertex AI id
    (``None`` for any other name)."""
    found = _snapshot_of(name)
    if found is None:
        return None
    platform, snapshot = found
    return platform, snapshot, replace(ANTHROPIC_MODELS[snapshot], name=name)


ALIASES: dict[str, str] = {
    # catalog alias: its snapshot (the "snapshots" of data/anthropic.json; a test compares)
    "claude-opus-4-5": "claude-opus-4-5-20251101",
    "claude-sonnet-4-5": "claude-sonnet-4-5-20250929",
    "claude-haiku-4-5": "claude-haiku-4-5-20251001",
    "claude-opus-4-1": "claude-opus-4-1-20250805",
    "claude-opus-4-0": "claude-opus-4-20250514",
    "claude-sonnet-4-0": "claude-sonnet-4-20250514",
    "claude-3-7-sonnet-latest": "claude-3-7-sonnet-20250219",
    "claude-3-5-haiku-latest": "claude-3-5-haiku-20241022",
}


def _snapshot_for(catalog_name: str) -> str | None:
    snapshot = ALIASES.get(catalog_name, catalog_name)
    return snapshot if snapshot in CLOUD_SNAPSHOTS else None


def bedrock_id_for(catalog_name: str, geography: str | None = None) -> str | None:
    """The Bedrock model id of a catalog name (an alias maps to its snapshot), with the
    inference profile's prefix when ``geography`` is given."""
    snapshot = _snapshot_for(catalog_name)
    if snapshot is None:
        return None
    base = CLOUD_SNAPSHOTS[snapshot][0]
    return f"{geography}.{base}" if geography else base


def vertex_id_for(catalog_name: str) -> str | None:
    """The Vertex AI model name of a catalog name."""
    snapshot = _snapshot_for(catalog_name)
    return CLOUD_SNAPSHOTS[snapshot][1] if snapshot is not None else None
