"""Our dialects against the schemas real clients sent and the real services accepted.

For every recorded structured-output request (Anthropic ``output_format``/``output_config``,
Gemini ``responseJsonSchema``/``responseSchema``, Ollama ``format``, OpenAI Responses
``text.format``), an equivalent pydantic model is compiled with the matching dialect and the
emitted schema is compared field by field with the recorded one.
"""

from __future__ import annotations

from typing import Any

import pytest
from _corpus import SCALARS, case_id, load_cases, model_from_schema

from typedllm.schema import Dialect, compile_schema


def _recorded_schema(case: dict[str, Any]) -> tuple[Dialect, dict[str, Any]] | None:
    body = case["request"].get("body") or {}
    api = case["api"]
    if api == "anthropic_messages":
        fmt = body.get("output_format") or (body.get("output_config") or {}).get("format")
        if fmt and fmt.get("type") == "json_schema":
            return "anthropic", fmt["schema"]
    if api == "gemini_generate_content":
        config = body.get("generationConfig") or {}
        if "responseJsonSchema" in config:
            return "gemini-json-schema", config["responseJsonSchema"]
        if "responseSchema" in config:
            return "gemini-openapi", config["responseSchema"]
    if api == "ollama_chat" and isinstance(body.get("format"), dict):
        return "ollama", body["format"]
    if api == "responses":
        fmt = (body.get("text") or {}).get("format") or {}
        if fmt.get("type") == "json_schema":
            return ("openai-strict" if fmt.get("strict") else "openai-json-schema"), fmt["schema"]
    return None


CASES = [c for c in load_cases(lambda c: _recorded_schema(c) is not None)]


def test_every_provider_family_is_covered() -> None:
    dialects = {_recorded_schema(c)[0] for c in CASES}  # type: ignore[index]
    assert {
        "anthropic",
        "gemini-json-schema",
        "gemini-openapi",
        "ollama",
        "openai-strict",
    } <= dialects


def _types(prop: dict[str, Any]) -> set[str]:
    kind = prop.get("type")
    found = (
        {k.lower() for k in kind} if isinstance(kind, list) else {kind.lower()} if kind else set()
    )
    for branch in prop.get("anyOf", []):
        found |= _types(branch)
    if prop.get("nullable"):
        found.add("null")
    return found


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_emitted_schema_matches_the_recorded_one(case: dict[str, Any]) -> None:
    dialect, recorded = _recorded_schema(case)  # type: ignore[misc]
    wrapper = str(recorded.get("description", "")).startswith("Wrapper for primitive")
    if recorded.get("type") == "array":
        item = SCALARS[recorded["items"]["type"]]
        compiled = compile_schema(list[item], dialect)  # type: ignore[valid-type]
        assert not compiled.wrapped
        assert compiled.schema["type"].lower() == "array"
        assert compiled.schema["items"]["type"].lower() == recorded["items"]["type"]
        return
    if wrapper:
        (inner,) = recorded["properties"].values()
        tp: Any = SCALARS[inner["type"].lower()]
    else:
        tp = model_from_schema(recorded, recorded.get("$defs", {}), recorded.get("title", "M"))
    compiled = compile_schema(tp, dialect)
    ours = dict(compiled.schema)
    assert ours["type"].lower() == recorded.get("type", "object").lower()
    if wrapper:
        assert compiled.wrapped and list(ours["properties"]) == ["result"]
        assert _types(ours["properties"]["result"]) == {inner["type"].lower()}
        return
    assert set(ours["properties"]) == set(recorded["properties"])
    assert set(ours.get("required", [])) == set(recorded.get("required", []))
    if recorded.get("additionalProperties") is False and dialect in ("openai-strict", "anthropic"):
        assert ours.get("additionalProperties") is False
    if dialect == "gemini-openapi":
        assert "additionalProperties" not in ours and "$defs" not in ours
    for name, prop in recorded["properties"].items():
        mine = ours["properties"][name]
        if "$ref" in prop:
            continue
        assert _types(mine) == _types(prop), name
        if "enum" in prop:
            assert mine["enum"] == prop["enum"], name
        if "description" in prop and not str(prop["description"]).startswith("{"):
            assert str(mine.get("description", "")).startswith(prop["description"]), name
