"""The Chat Completions codec against real recorded traffic (every provider speaking it).

Decoding: every non-streaming ``chat_completions`` case is decoded and checked field by field
against the recorded body itself. Encoding: for every recorded structured-output request, an
equivalent pydantic model is encoded and compared with the recorded request.
"""

from __future__ import annotations

import json
import re
from enum import Enum
from typing import Any, Literal

import orjson
import pydantic
import pytest
from _corpus import SCALARS, case_id, load_cases, model_from_schema

import typedllm as tl
from typedllm._errors import status_error_class
from typedllm._wire import WireResponse
from typedllm.codecs import ChatRequest, OutputSpec
from typedllm.codecs.openai_chat import decode, encode, encode_body, finish_reason_of
from typedllm.schema import compile_schema
from typedllm.testing import FakeProvider, FakeReply

CHAT = load_cases(lambda c: c["api"] == "chat_completions" and not c["stream"])


def _is_error(case: dict[str, Any]) -> bool:
    body = case["response"].get("body")
    return case["response"]["status"] >= 400 or (
        isinstance(body, dict) and "error" in body and "choices" not in body
    )


SUCCESS = [c for c in CHAT if not _is_error(c)]
ERRORS = [c for c in CHAT if _is_error(c)]


def _wire(case: dict[str, Any]) -> WireResponse:
    response = case["response"]
    headers = {k.lower(): v for k, v in response["headers"].items()}
    return WireResponse(response["status"], headers, orjson.dumps(response["body"]))


def test_corpus_has_cases() -> None:
    assert len(SUCCESS) >= 80, len(SUCCESS)
    assert len(ERRORS) >= 5, len(ERRORS)
    providers = {c["provider"] for c in SUCCESS}
    assert {"openai", "groq", "mistral", "deepseek", "openrouter", "xai"} <= providers


def _expected_text(content: Any) -> str | None:
    if isinstance(content, list):
        texts = [p["text"] for p in content if isinstance(p, dict) and p.get("type") == "text"]
        content = "".join(texts) if texts else None
    if isinstance(content, str):
        match = re.match(r"^\s*<think>(.*?)</think>\s*", content, re.DOTALL)
        if match:
            return content[match.end() :]
        if content.lstrip().startswith("<think>") and "</think>" not in content:
            return ""  # cut off while thinking: no answer yet
    return content


@pytest.mark.parametrize("case", SUCCESS, ids=case_id)
def test_decode_recorded_response(case: dict[str, Any]) -> None:
    body = case["response"]["body"]
    decoded = decode(case["provider"], _wire(case))
    choice = body["choices"][0]
    message = choice["message"]
    assert decoded.text == _expected_text(message.get("content"))
    if message.get("refusal"):
        assert decoded.refusal == message["refusal"]
    else:
        assert decoded.refusal is None
    recorded_calls = message.get("tool_calls") or []
    assert len(decoded.tool_calls) == len(recorded_calls)
    for ours, theirs in zip(decoded.tool_calls, recorded_calls, strict=True):
        # A call the host sent without an id gets a stable one (results must answer it).
        assert ours.id == theirs["id"] if theirs.get("id") else ours.id.startswith("call_")
        assert ours.name == theirs["function"]["name"]
        # A call recorded without arguments has the empty object.
        assert json.loads(ours.arguments) == json.loads(theirs["function"].get("arguments") or "{}")
    assert decoded.raw_finish_reason == choice.get("finish_reason")
    assert decoded.finish_reason == finish_reason_of(choice.get("finish_reason"))
    usage = body.get("usage") or {}
    assert decoded.usage.input_tokens == usage.get("prompt_tokens", 0)
    assert decoded.usage.output_tokens == usage.get("completion_tokens", 0)
    cached = (usage.get("prompt_tokens_details") or {}).get("cached_tokens")
    if cached:
        assert decoded.usage.cached_input_tokens == cached
    reasoning_tokens = (usage.get("completion_tokens_details") or {}).get("reasoning_tokens")
    if reasoning_tokens:
        assert decoded.usage.reasoning_tokens == reasoning_tokens
    assert decoded.model == body.get("model")
    assert decoded.response_id == body.get("id")
    request_id = case["response"]["headers"].get("x-request-id")
    if request_id:
        assert decoded.request_id == request_id
    thinking = message.get("reasoning_content") or message.get("reasoning")
    content = message.get("content")
    if thinking or (isinstance(content, str) and content.lstrip().startswith("<think>")):
        assert decoded.reasoning
    if thinking:
        assert decoded.reasoning == thinking
    assert decoded.raw == body


@pytest.mark.parametrize("case", ERRORS, ids=case_id)
def test_decode_recorded_error(case: dict[str, Any]) -> None:
    body = case["response"]["body"]
    status = case["response"]["status"]
    if status < 400:
        status = body["error"]["code"]
    with pytest.raises(tl.APIStatusError) as info:
        decode(case["provider"], _wire(case))
    err = info.value
    assert type(err) is status_error_class(status)
    assert err.status_code == status
    assert err.provider == case["provider"]
    assert err.body == body
    assert body["error"]["message"] in str(err)
    request_id = case["response"]["headers"].get("x-request-id")
    assert err.request_id == request_id


SECRET = "sk-test-SECRET123456789"


@pytest.mark.parametrize("case", ERRORS, ids=case_id)
def test_recorded_error_through_the_client_never_leaks_the_key(case: dict[str, Any]) -> None:
    response = case["response"]
    fake = FakeProvider([FakeReply.raw(response["status"], response["body"], response["headers"])])
    llm = tl.openai().model("gpt-4o").api_key(SECRET).max_retries(0).transport(fake).build()
    with pytest.raises(tl.APIStatusError) as info:
        llm.complete("x")
    for text in (str(info.value), repr(info.value), repr(info.value.body)):
        assert SECRET not in text


# -- output checks end to end, on recorded bodies ------------------------------------------------


class _Anything(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")


REFUSALS = [c for c in SUCCESS if c["response"]["body"]["choices"][0]["message"].get("refusal")]
TRUNCATED = [
    c for c in SUCCESS if c["response"]["body"]["choices"][0].get("finish_reason") == "length"
]


def test_refusal_and_truncation_cases_exist() -> None:
    assert REFUSALS and TRUNCATED


def _client_answering(case: dict[str, Any]) -> tl.Client:
    fake = FakeProvider([FakeReply.raw(200, case["response"]["body"])])
    return (
        tl.openai()
        .model("gpt-4o")
        .api_key("sk-test")
        .structured_output("json_schema")
        .transport(fake)
        .build()
    )


@pytest.mark.parametrize("case", REFUSALS, ids=case_id)
def test_recorded_refusal_is_a_refusal_error(case: dict[str, Any]) -> None:
    expected = case["response"]["body"]["choices"][0]["message"]["refusal"]
    with pytest.raises(tl.RefusalError) as info:
        _client_answering(case).complete("x", schema=_Anything)
    assert info.value.refusal == expected


@pytest.mark.parametrize("case", TRUNCATED, ids=case_id)
def test_recorded_truncation_is_a_truncation_error(case: dict[str, Any]) -> None:
    content = case["response"]["body"]["choices"][0]["message"].get("content")
    with pytest.raises(tl.TruncatedOutputError) as info:
        _client_answering(case).complete("x", schema=_Anything)
    assert info.value.raw_text == _expected_text(content)


STRUCTURED_ANSWERS = [
    c
    for c in SUCCESS
    if (c["request"].get("body") or {}).get("response_format")
    and c["response"]["body"]["choices"][0].get("finish_reason") == "stop"
    and isinstance(c["response"]["body"]["choices"][0]["message"].get("content"), str)
]


@pytest.mark.parametrize("case", STRUCTURED_ANSWERS, ids=case_id)
def test_recorded_structured_answer_validates(case: dict[str, Any]) -> None:
    content = case["response"]["body"]["choices"][0]["message"]["content"]
    result = _client_answering(case).complete("x", schema=_Anything)
    assert result.model_dump() == json.loads(
        re.sub(r"^```(?:json)?\s*|\s*```$", "", content.strip())
    )


# -- encoder vs recorded structured-output requests ----------------------------------------------

JSON_SCHEMA_REQUESTS = [
    c
    for c in CHAT
    if ((c["request"].get("body") or {}).get("response_format") or {}).get("type") == "json_schema"
]


def test_json_schema_requests_exist() -> None:
    assert len(JSON_SCHEMA_REQUESTS) >= 8


def _config_for(case: dict[str, Any], mode: Literal["strict", "json_schema"]) -> Any:
    model = case["request"]["body"]["model"]
    builder = tl.openai().api_key("k").structured_output(mode)
    from typedllm._catalog import OPENAI_MODELS

    chosen: Any = (
        builder.model(model) if model in OPENAI_MODELS else builder.model(model, like="gpt-4o")
    )  # type: ignore[call-overload]
    return chosen.build().config


def _messages(case: dict[str, Any]) -> tuple[tl.Message, ...]:
    out = []
    for m in case["request"]["body"]["messages"]:
        role = {"developer": "system"}.get(m["role"], m["role"])
        if role not in ("system", "user", "assistant") or not isinstance(m.get("content"), str):
            continue
        out.append(tl.Message(role, m["content"]))
    return tuple(out)


def _prop_types(prop: dict[str, Any]) -> set[str]:
    kind = prop.get("type")
    types = set(kind) if isinstance(kind, list) else {kind} if kind else set()
    for branch in prop.get("anyOf", []):
        types |= _prop_types(branch)
    return types


@pytest.mark.parametrize("case", JSON_SCHEMA_REQUESTS, ids=case_id)
def test_encoder_matches_recorded_structured_request(case: dict[str, Any]) -> None:
    recorded = case["request"]["body"]
    fmt = recorded["response_format"]["json_schema"]
    recorded_schema = fmt["schema"]
    strict = bool(fmt.get("strict"))
    mode: Literal["strict", "json_schema"] = "strict" if strict else "json_schema"
    defs = recorded_schema.get("$defs", {})
    wrapper = str(recorded_schema.get("description", "")).startswith("Wrapper for primitive")
    if wrapper:
        # Mirascope wraps primitives as {"output": <primitive>}; we wrap as {"result": ...}.
        (inner,) = recorded_schema["properties"].values()
        tp: Any = SCALARS[inner["type"]]
    else:
        tp = model_from_schema(recorded_schema, defs, fmt.get("name", "M"))
    config = _config_for(case, mode)
    messages = _messages(case)
    compiled = compile_schema(tp, "openai-strict" if strict else "openai-json-schema")
    request = ChatRequest(messages, OutputSpec(compiled, mode))
    body = encode_body(config, request)

    ours_fmt = body["response_format"]
    assert ours_fmt["type"] == "json_schema"
    assert ours_fmt["json_schema"]["strict"] is strict
    assert re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", ours_fmt["json_schema"]["name"])
    ours = ours_fmt["json_schema"]["schema"]
    assert ours["type"] == "object" == recorded_schema.get("type", "object")
    if wrapper:
        assert compiled.wrapped and ours["required"] == ["result"]
        assert _prop_types(ours["properties"]["result"]) == {inner["type"]}
    else:
        assert set(ours["properties"]) == set(recorded_schema["properties"])
        assert set(ours.get("required", [])) == set(recorded_schema.get("required", []))
        if strict or (recorded_schema.get("additionalProperties") is False and strict):
            assert ours["additionalProperties"] is False
        for name, prop in recorded_schema["properties"].items():
            mine = ours["properties"][name]
            if "$ref" in prop:
                continue
            assert _prop_types(mine) == _prop_types(prop), name
            if "enum" in prop:
                assert mine["enum"] == prop["enum"], name
    # The conversation and the model are encoded as recorded.
    assert body["model"] == recorded["model"]
    sent = [(m["role"], m["content"]) for m in body["messages"]]
    expected = [
        (m["role"], m["content"])
        for m in recorded["messages"]
        if m["role"] in ("system", "developer", "user", "assistant")
        and isinstance(m.get("content"), str)
    ]
    assert [c for _, c in sent] == [c for _, c in expected]
    # The wire request: the host places it at /chat/completions, the auth step adds the key.
    wire = config.auth.apply(config.host.prepare(encode(config, request), config.model))
    assert wire.method == "POST"
    assert wire.url == "https://api.openai.com/v1/chat/completions"
    assert wire.headers["authorization"] == "Bearer k"
    assert orjson.loads(wire.body) == body


def test_enum_helper_builds_python_enums_too() -> None:
    class Fruit(str, Enum):
        APPLE = "apple"

    compiled = compile_schema(Fruit, "openai-strict")
    assert compiled.wrapped
    assert compiled.schema["properties"]["result"]["enum"] == ["apple"]
