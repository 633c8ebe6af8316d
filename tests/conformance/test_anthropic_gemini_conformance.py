"""Anthropic Messages and Gemini generateContent codecs against real recorded traffic.

Every non-streaming case is decoded and checked against the recorded body itself; error bodies
map to the typed error of their status; recorded structured-output requests are compared with
what our encoder sends for the same conversation.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest
from _corpus import case_id, load_cases, model_from_schema

import typedllm as tl
from typedllm._errors import status_error_class
from typedllm._wire import WireResponse
from typedllm.codecs import ChatRequest
from typedllm.codecs import anthropic as anthropic_codec
from typedllm.codecs import gemini as gemini_codec

ANTHROPIC = load_cases(lambda c: c["api"] == "anthropic_messages" and "body" in c["response"])
GEMINI = load_cases(lambda c: c["api"] == "gemini_generate_content" and "body" in c["response"])


def _wire(case: dict[str, Any]) -> WireResponse:
    r = case["response"]
    return WireResponse(
        r["status"], {k.lower(): v for k, v in r["headers"].items()}, orjson.dumps(r["body"])
    )


def _is_error(case: dict[str, Any]) -> bool:
    body = case["response"]["body"]
    return case["response"]["status"] >= 400 or (
        isinstance(body, dict) and (body.get("type") == "error" or "error" in body)
    )


def test_corpus_has_cases() -> None:
    assert len([c for c in ANTHROPIC if not _is_error(c)]) >= 20
    assert len([c for c in GEMINI if not _is_error(c)]) >= 30
    assert any(c["provider"] == "google_vertex" for c in GEMINI)


@pytest.mark.parametrize("case", [c for c in ANTHROPIC if not _is_error(c)], ids=case_id)
def test_decode_recorded_anthropic_response(case: dict[str, Any]) -> None:
    body = case["response"]["body"]
    decoded = anthropic_codec.decode("anthropic", _wire(case))
    blocks = body["content"]
    texts = [b["text"] for b in blocks if b["type"] == "text"]
    assert decoded.text == ("".join(texts) if texts else None)
    thoughts = [b["thinking"] for b in blocks if b["type"] == "thinking"]
    assert decoded.reasoning == ("".join(thoughts) if thoughts else None)
    uses = [b for b in blocks if b["type"] == "tool_use"]
    assert [(c.id, c.name, json.loads(c.arguments)) for c in decoded.tool_calls] == [
        (u["id"], u["name"], u["input"]) for u in uses
    ]
    # Server tools (run by Anthropic) and their results are kept as received, not as calls.
    modelled = ("text", "thinking", "redacted_thinking", "tool_use")
    others = [b for b in blocks if b["type"] not in modelled]
    assert [dict(p.data) for p in decoded.parts if isinstance(p, tl.OpaquePart)] == others
    assert decoded.raw_finish_reason == body["stop_reason"]
    expected_finish = {"end_turn": "stop", "max_tokens": "length", "tool_use": "tool_calls"}.get(
        body["stop_reason"], decoded.finish_reason
    )
    assert decoded.finish_reason == expected_finish
    usage = body["usage"]
    cached = usage.get("cache_read_input_tokens") or 0
    created = usage.get("cache_creation_input_tokens") or 0
    assert decoded.usage.input_tokens == usage["input_tokens"] + cached + created
    assert decoded.usage.output_tokens == usage["output_tokens"]
    assert decoded.usage.cached_input_tokens == cached
    assert decoded.model == body["model"] and decoded.response_id == body["id"]
    request_id = case["response"]["headers"].get("request-id")
    if request_id:
        assert decoded.request_id == request_id


def _error_message(body: Any) -> str:
    err = body.get("error", {}) if isinstance(body, dict) else {}
    return str(err.get("message", "")) if isinstance(err, dict) else ""


@pytest.mark.parametrize("case", [c for c in ANTHROPIC + GEMINI if _is_error(c)], ids=case_id)
def test_decode_recorded_error(case: dict[str, Any]) -> None:
    codec = anthropic_codec if case["api"] == "anthropic_messages" else gemini_codec
    status = case["response"]["status"]
    with pytest.raises(tl.APIStatusError) as info:
        codec.decode(case["provider"], _wire(case))
    err = info.value
    assert type(err) is status_error_class(status if status >= 400 else 500)
    assert err.body == case["response"]["body"]
    assert _error_message(case["response"]["body"])[:60] in str(err)
    headers = case["response"]["headers"]
    if "request-id" in headers or "x-request-id" in headers:
        assert err.request_id == headers.get("request-id", headers.get("x-request-id"))


def _gemini_parts(body: Any) -> list[dict[str, Any]]:
    chunks = body if isinstance(body, list) else [body]
    parts: list[dict[str, Any]] = []
    for chunk in chunks:
        for cand in chunk.get("candidates", [])[:1]:
            parts += cand.get("content", {}).get("parts", [])
    return parts


@pytest.mark.parametrize("case", [c for c in GEMINI if not _is_error(c)], ids=case_id)
def test_decode_recorded_gemini_response(case: dict[str, Any]) -> None:
    body = case["response"]["body"]
    decoded = gemini_codec.decode(case["provider"], _wire(case))
    parts = _gemini_parts(body)
    answer = [p["text"] for p in parts if "text" in p and not p.get("thought")]
    thoughts = [p["text"] for p in parts if "text" in p and p.get("thought")]
    assert decoded.text == ("".join(answer) if answer else None)
    assert decoded.reasoning == ("".join(thoughts) if thoughts else None)
    calls = [p["functionCall"] for p in parts if "functionCall" in p]
    assert [(c.name, json.loads(c.arguments)) for c in decoded.tool_calls] == [
        (f["name"], f.get("args", {})) for f in calls
    ]
    last = body[-1] if isinstance(body, list) else body
    usage = last.get("usageMetadata", {})
    thoughts_tokens = usage.get("thoughtsTokenCount", 0)
    assert decoded.usage.input_tokens == usage.get("promptTokenCount", 0)
    assert decoded.usage.output_tokens == usage.get("candidatesTokenCount", 0) + thoughts_tokens
    assert decoded.usage.reasoning_tokens == thoughts_tokens
    assert decoded.model == last.get("modelVersion")
    finishes = [
        c.get("finishReason")
        for ch in (body if isinstance(body, list) else [body])
        for c in ch.get("candidates", [])[:1]
    ]
    finish = next((f for f in reversed(finishes) if f), None)
    blocked = last.get("promptFeedback", {}).get("blockReason")
    if finish in (
        "SAFETY",
        "PROHIBITED_CONTENT",
        "RECITATION",
        "BLOCKLIST",
        "SPII",
        "MODEL_ARMOR",
    ) or (blocked and not answer):
        assert decoded.finish_reason == "refusal" and decoded.refusal
    elif finish == "STOP":
        assert decoded.finish_reason == "stop" and decoded.refusal is None
    elif finish == "MAX_TOKENS":
        assert decoded.finish_reason == "length"


def test_recorded_gemini_refusals_exist_and_raise() -> None:
    refusals = [
        c
        for c in GEMINI
        if not _is_error(c)
        and gemini_codec.decode(c["provider"], _wire(c)).finish_reason == "refusal"
    ]
    assert refusals, "the corpus has Gemini safety blocks"
    from typedllm.testing import FakeProvider, FakeReply

    for case in refusals:
        fake = FakeProvider([FakeReply.raw(200, case["response"]["body"])])
        llm = tl.gemini().model("gemini-2.5-flash").api_key("k").transport(fake).build()
        with pytest.raises(tl.RefusalError):
            llm.complete("x")


# -- encoders vs recorded requests -----------------------------------------------------------


def _messages(recorded: list[dict[str, Any]], system: Any) -> tuple[tl.Message, ...]:
    out: list[tl.Message] = []
    if isinstance(system, str):
        out.append(tl.system(system))
    for m in recorded:
        content = m["content"]
        if isinstance(content, list):
            if not all(b.get("type") == "text" for b in content):
                return ()
            content = "".join(b["text"] for b in content)
        out.append(tl.Message(m["role"], content))
    return tuple(out)


ANTHROPIC_STRUCTURED = [
    c
    for c in ANTHROPIC
    if (c["request"].get("body") or {}).get("output_format")
    or ((c["request"].get("body") or {}).get("output_config") or {}).get("format")
]


def test_anthropic_structured_requests_exist() -> None:
    assert len(ANTHROPIC_STRUCTURED) >= 4


@pytest.mark.parametrize("case", ANTHROPIC_STRUCTURED, ids=case_id)
def test_anthropic_encoder_matches_recorded_structured_request(case: dict[str, Any]) -> None:
    recorded = case["request"]["body"]
    fmt = recorded.get("output_format") or recorded["output_config"]["format"]
    schema = fmt["schema"]
    if schema.get("type") != "object" or str(schema.get("description", "")).startswith("Wrapper"):
        pytest.skip(
            "array/primitive-wrapper roots are compared in test_structured_schema_conformance"
        )
    model = model_from_schema(schema, schema.get("$defs", {}), schema.get("title", "M"))
    llm = tl.anthropic().model("claude-sonnet-4-5").api_key("k").build()
    spec = anthropic_codec.output_spec(llm.config, model)
    messages = _messages(recorded["messages"], recorded.get("system"))
    if not messages:
        pytest.skip("non-text content blocks")
    body = anthropic_codec.encode_body(llm.config, ChatRequest(messages, spec, llm.config.defaults))
    ours = body["output_config"]["format"]
    assert ours["type"] == fmt["type"] == "json_schema"
    assert set(ours["schema"]["properties"]) == set(schema["properties"])
    assert ours["schema"]["additionalProperties"] is False
    assert [m["role"] for m in body["messages"]] == [m["role"] for m in recorded["messages"]]
    assert isinstance(body["max_tokens"], int) and body["max_tokens"] > 0
    wire = llm.request_for(messages, schema=model)
    assert wire.url == "https://api.anthropic.com/v1/messages"
    assert wire.headers["x-api-key"] == "k"
    assert wire.headers["anthropic-version"] == "2023-06-01"
    assert orjson.loads(wire.body) == body


GEMINI_STRUCTURED = [
    c
    for c in GEMINI
    if {"responseJsonSchema", "responseSchema"}
    & set((c["request"].get("body") or {}).get("generationConfig") or {})
]


@pytest.mark.parametrize("case", GEMINI_STRUCTURED, ids=case_id)
def test_gemini_encoder_matches_recorded_structured_request(case: dict[str, Any]) -> None:
    recorded = case["request"]["body"]
    config = recorded["generationConfig"]
    key = "responseJsonSchema" if "responseJsonSchema" in config else "responseSchema"
    schema = config[key]
    if str(schema.get("description", "")).startswith("Wrapper"):
        pytest.skip("primitive-wrapper roots are compared in test_structured_schema_conformance")
    model = model_from_schema(schema, schema.get("$defs", {}), schema.get("title", "M"))
    name = "gemini-2.5-flash" if key == "responseJsonSchema" else "gemini-1.5-flash"
    llm = tl.gemini().model(name).api_key("k").build()  # type: ignore[call-overload]
    spec = gemini_codec.output_spec(llm.config, model)
    body = gemini_codec.encode_body(llm.config, ChatRequest((tl.user("x"),), spec))
    ours = body["generationConfig"]
    assert ours["responseMimeType"] == config["responseMimeType"] == "application/json"
    assert key in ours
    assert set(ours[key]["properties"]) == set(schema["properties"])
    assert set(ours[key].get("required", [])) == set(schema.get("required", []))
    contents = recorded["contents"]
    assert all(c["role"] in ("user", "model") for c in contents)


FORCED_TOOL = [
    c
    for c in ANTHROPIC
    + load_cases(lambda c: c["api"] == "anthropic_messages" and "sse" in c["response"])
    if ((c["request"].get("body") or {}).get("tool_choice") or {}).get("type") == "tool"
]


@pytest.mark.parametrize("case", FORCED_TOOL, ids=case_id)
def test_anthropic_forced_tool_route_matches_recorded_requests(case: dict[str, Any]) -> None:
    """Our tool route for models without native structured outputs has the shape real clients
    sent: a tool whose input_schema is an object schema, forced by name."""
    recorded = case["request"]["body"]
    choice = recorded["tool_choice"]
    (tool,) = [t for t in recorded["tools"] if t["name"] == choice["name"]]
    schema = tool["input_schema"]
    model = model_from_schema(schema, schema.get("$defs", {}), choice["name"])
    llm = tl.anthropic().model("claude-3-5-haiku-latest").api_key("k").build()
    spec = anthropic_codec.output_spec(llm.config, model)
    body = anthropic_codec.encode_body(llm.config, ChatRequest((tl.user("x"),), spec))
    assert body["tool_choice"]["type"] == "tool" == choice["type"]
    assert body["tool_choice"]["name"] == body["tools"][0]["name"]
    ours = body["tools"][0]["input_schema"]
    assert ours["type"] == schema["type"] == "object"
    assert set(ours["properties"]) == set(schema["properties"])
    assert set(ours.get("required", [])) == set(schema.get("required", []))
    assert set(body["tools"][0]) >= {"name", "description", "input_schema"}
