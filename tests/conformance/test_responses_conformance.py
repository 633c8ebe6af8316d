"""The Responses codec against real recorded traffic (every ``api == "responses"`` case).

* non-streaming answers are decoded and checked field by field against the recorded body;
* recorded SSE streams are replayed through the codec's stream decoder (at several chunk
  sizes) and the result compared with the stream's own events and with the non-streaming
  decoding of its final ``response.completed`` object;
* error bodies (and error streams) give the typed error for their status;
* structured-output and tool requests are encoded from an equivalent pydantic model / tool
  definition and compared semantically with the recorded request body.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import orjson
import pytest
from _corpus import SCALARS, case_id, load_cases, model_from_schema

import typedllm as tl
from typedllm._catalog import OPENAI_MODELS
from typedllm._errors import status_error_class
from typedllm._wire import WireResponse
from typedllm.codecs import ChatRequest, OutputSpec, get_codec
from typedllm.codecs.openai_responses import decode, encode, encode_body, new_stream
from typedllm.schema import compile_schema
from typedllm.testing import FakeProvider, FakeReply

CASES = load_cases(lambda c: c["api"] == "responses")
NON_STREAM = [c for c in CASES if "body" in c["response"]]
SUCCESS = [c for c in NON_STREAM if c["response"]["status"] < 400]
ERRORS = [c for c in NON_STREAM if c["response"]["status"] >= 400]
STREAMS = [c for c in CASES if "sse" in c["response"]]


def test_corpus_has_every_kind_of_case() -> None:
    openai = [c for c in CASES if c["provider"] == "openai"]
    assert len(openai) == 46, len(openai)
    assert len(SUCCESS) >= 25 and len(ERRORS) >= 7 and len(STREAMS) >= 15
    features = {c["feature"] for c in openai}
    assert {"refusal", "reasoning", "structured_output", "tool_call", "usage"} <= features


def _headers(case: dict[str, Any]) -> dict[str, str]:
    return {k.lower(): v for k, v in case["response"]["headers"].items()}


def _wire(case: dict[str, Any]) -> WireResponse:
    response = case["response"]
    return WireResponse(response["status"], _headers(case), orjson.dumps(response["body"]))


def _expected(body: dict[str, Any]) -> dict[str, Any]:
    """What the recorded response object says, read straight from its items."""
    texts: list[str] = []
    refusals: list[str] = []
    calls: list[tuple[str, str, Any]] = []
    reasoning: list[str] = []
    for item in body["output"]:
        if item["type"] == "message":
            for part in item.get("content") or []:
                if part["type"] == "output_text":
                    texts.append(part["text"])
                elif part["type"] == "refusal":
                    refusals.append(part["refusal"])
        elif item["type"] == "function_call":
            calls.append((item["call_id"], item["name"], json.loads(item["arguments"] or "{}")))
        elif item["type"] == "reasoning":
            summary = [s["text"] for s in item.get("summary") or []]
            content = [s["text"] for s in item.get("content") or []]
            if summary or content:
                reasoning.append("\n\n".join(summary or content))
    return {
        "text": "".join(texts) if texts else None,
        "refusal": "".join(refusals) or None,
        "calls": calls,
        "reasoning": "".join(reasoning) or None,
    }


@pytest.mark.parametrize("case", SUCCESS, ids=case_id)
def test_decode_recorded_response(case: dict[str, Any]) -> None:
    body = case["response"]["body"]
    decoded = decode(case["provider"], _wire(case))
    expected = _expected(body)
    assert decoded.text == expected["text"]
    assert decoded.refusal == expected["refusal"]
    assert [(c.id, c.name, json.loads(c.arguments)) for c in decoded.tool_calls] == expected[
        "calls"
    ]
    assert decoded.reasoning == expected["reasoning"]
    usage = body.get("usage") or {}
    assert decoded.usage.input_tokens == usage.get("input_tokens", 0)
    assert decoded.usage.output_tokens == usage.get("output_tokens", 0)
    details_in = usage.get("input_tokens_details") or {}
    details_out = usage.get("output_tokens_details") or {}
    assert decoded.usage.cache_read_tokens == details_in.get("cached_tokens", 0)
    assert decoded.usage.reasoning_tokens == details_out.get("reasoning_tokens", 0)
    assert decoded.model == body["model"]
    assert decoded.response_id == body["id"]
    assert decoded.raw_finish_reason == body["status"]
    if expected["refusal"]:
        assert decoded.finish_reason == "refusal"
    elif expected["calls"] and expected["text"] is None:
        assert decoded.finish_reason == "tool_calls"
    elif body["status"] == "completed":
        assert decoded.finish_reason == "stop"
    request_id = _headers(case).get("x-request-id")
    assert decoded.request_id == request_id
    assert decoded.raw == body


def test_decoded_cases_cover_refusal_reasoning_calls_and_cache() -> None:
    decoded = [decode(c["provider"], _wire(c)) for c in SUCCESS]
    assert any(d.refusal for d in decoded)
    assert any(d.reasoning for d in decoded)
    assert any(d.tool_calls for d in decoded)
    assert any(d.usage.cache_read_tokens for d in decoded)
    assert any(d.usage.reasoning_tokens for d in decoded)
    assert any(p.citations for d in decoded for p in d.parts if isinstance(p, tl.TextPart))


@pytest.mark.parametrize("case", ERRORS, ids=case_id)
def test_decode_recorded_error(case: dict[str, Any]) -> None:
    body = case["response"]["body"]
    status = case["response"]["status"]
    with pytest.raises(tl.APIStatusError) as info:
        decode(case["provider"], _wire(case))
    err = info.value
    assert type(err) is status_error_class(status)
    assert err.status_code == status
    assert err.body == body
    assert err.code == body["error"]["code"]
    assert body["error"]["message"] in str(err)
    assert err.request_id == _headers(case).get("x-request-id")


SECRET = "sk-test-SECRET123456789"


@pytest.mark.parametrize("case", ERRORS, ids=case_id)
def test_recorded_error_through_the_client(case: dict[str, Any]) -> None:
    response = case["response"]
    fake = FakeProvider([FakeReply.raw(response["status"], response["body"], response["headers"])])
    llm = tl.openai().model("gpt-4o").api("responses").api_key(SECRET).max_retries(0)
    client = llm.transport(fake).build()
    with pytest.raises(tl.APIStatusError) as info:
        if case["stream"]:
            with client.stream("x") as stream:
                list(stream)
        else:
            client.complete("x")
    assert type(info.value) is status_error_class(response["status"])
    assert fake.requests[0].path == "/v1/responses"
    for text in (str(info.value), repr(info.value), repr(info.value.body)):
        assert SECRET not in text


# -- streams ---------------------------------------------------------------------------------


def _events(sse: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for block in sse.replace("\r\n", "\n").split("\n\n"):
        data = "\n".join(
            line[5:].lstrip() for line in block.split("\n") if line.startswith("data:")
        )
        if data and data != "[DONE]":
            out.append(json.loads(data))
    return out


def _replay(case: dict[str, Any], chunk: int) -> Any:
    raw = case["response"]["sse"].encode()
    stream = new_stream(case["provider"])
    for i in range(0, len(raw), chunk):
        stream.feed(raw[i : i + chunk])
    stream.flush()
    return stream.result(_headers(case).get("x-request-id"))


@pytest.mark.parametrize("case", STREAMS, ids=case_id)
def test_replayed_stream_matches_its_final_response(case: dict[str, Any]) -> None:
    events = _events(case["response"]["sse"])
    if any(e.get("type") in ("error", "response.failed") for e in events):
        with pytest.raises(tl.APIStatusError):
            _replay(case, 64)
        return
    final = [e["response"] for e in events if e["type"] in ("response.completed",)]
    created = next(e["response"] for e in events if e["type"] == "response.created")
    reasoning = "".join(
        e["delta"]
        for e in events
        if e["type"] in ("response.reasoning_summary_text.delta", "response.reasoning_text.delta")
    )
    for chunk in (1, 17, 4096):
        streamed = _replay(case, chunk)
        assert streamed.response_id == created["id"]
        assert streamed.reasoning == (reasoning or None)
        if not final:
            continue
        whole = decode(
            case["provider"], WireResponse(200, {}, orjson.dumps(final[0]))
        )  # the same answer, decoded as a non-streaming body
        assert streamed.text == whole.text
        assert streamed.refusal == whole.refusal
        assert [(c.id, c.name, c.arguments) for c in streamed.tool_calls] == [
            (c.id, c.name, c.arguments) for c in whole.tool_calls
        ]
        assert streamed.usage == whole.usage
        assert streamed.finish_reason == whole.finish_reason
        assert streamed.raw_finish_reason == whole.raw_finish_reason == "completed"
        assert streamed.model == whole.model


def test_streamed_refusal_is_a_refusal() -> None:
    refusals = [c for c in STREAMS if c["feature"] == "refusal"]
    assert refusals
    for case in refusals:
        decoded = _replay(case, 40)
        assert decoded.refusal and decoded.finish_reason == "refusal"


# -- output checks on recorded answers, through the client ------------------------------------


def _client_answering(body: Any, mode: str = "strict") -> tl.Client:
    fake = FakeProvider([FakeReply.raw(200, body)])
    builder = tl.openai().model("gpt-4o").api("responses").api_key("k")
    return builder.structured_output(mode).transport(fake).build()  # type: ignore[arg-type]


def test_recorded_refusal_is_a_refusal_error() -> None:
    (case,) = [c for c in SUCCESS if c["feature"] == "refusal"]
    body = case["response"]["body"]

    import pydantic

    class Handbook(pydantic.BaseModel):
        instructions: str

    with pytest.raises(tl.RefusalError) as info:
        _client_answering(body).complete("x", schema=Handbook)
    assert info.value.refusal == body["output"][0]["content"][0]["refusal"]


STRUCTURED_ANSWERS = [
    c
    for c in SUCCESS
    if ((c["request"]["body"] or {}).get("text") or {}).get("format", {}).get("type")
    in ("json_schema", "json_object")
    and _expected(c["response"]["body"])["text"]
]


@pytest.mark.parametrize("case", STRUCTURED_ANSWERS, ids=case_id)
def test_recorded_structured_answer_validates(case: dict[str, Any]) -> None:
    import pydantic

    class Anything(pydantic.BaseModel):
        model_config = pydantic.ConfigDict(extra="allow")

    text = _expected(case["response"]["body"])["text"]
    result = _client_answering(case["response"]["body"], "json_schema").complete(
        "x", schema=Anything
    )
    assert result.model_dump() == json.loads(text)


# -- the encoder against recorded requests ----------------------------------------------------

JSON_SCHEMA_REQUESTS = [
    c
    for c in CASES
    if ((c["request"]["body"] or {}).get("text") or {}).get("format", {}).get("type")
    == "json_schema"
]
TOOL_REQUESTS = [
    c
    for c in CASES
    if any(t.get("type") == "function" for t in (c["request"]["body"] or {}).get("tools", []))
    and c["provider"] == "openai"
]


def test_request_cases_exist() -> None:
    assert len(JSON_SCHEMA_REQUESTS) >= 7 and len(TOOL_REQUESTS) >= 10


def _config(model: str, mode: Literal["strict", "json_schema"] = "strict") -> Any:
    builder = tl.openai().api_key("k").api("responses").structured_output(mode)
    chosen: Any = (
        builder.model(model) if model in OPENAI_MODELS else builder.model(model, like="gpt-4.1")
    )  # type: ignore[call-overload]
    return chosen.build().config


def _text_messages(body: dict[str, Any]) -> tuple[tl.Message, ...]:
    """The recorded conversation's plain-text turns, as typedllm messages."""
    out: list[tl.Message] = []
    if isinstance(body.get("instructions"), str):
        out.append(tl.Message("system", body["instructions"]))
    items = body["input"] if isinstance(body["input"], list) else [body["input"]]
    for item in items:
        if isinstance(item, str):
            out.append(tl.Message("user", item))
        elif item.get("role") in ("user", "system", "developer") and isinstance(
            item.get("content"), str
        ):
            role = "system" if item["role"] == "developer" else item["role"]
            out.append(tl.Message(role, item["content"]))
    return tuple(out)


def _types(prop: dict[str, Any]) -> set[str]:
    kind = prop.get("type")
    types = set(kind) if isinstance(kind, list) else {kind} if kind else set()
    for branch in prop.get("anyOf", []):
        types |= _types(branch)
    return types


@pytest.mark.parametrize("case", JSON_SCHEMA_REQUESTS, ids=case_id)
def test_encoder_matches_recorded_structured_request(case: dict[str, Any]) -> None:
    recorded = case["request"]["body"]
    fmt = recorded["text"]["format"]
    strict = bool(fmt.get("strict"))
    schema = fmt["schema"]
    wrapper = str(schema.get("description", "")).startswith("Wrapper for primitive")
    if wrapper:  # Mirascope wraps primitives as {"output": ...}; we wrap as {"result": ...}
        (inner,) = schema["properties"].values()
        tp: Any = SCALARS[inner["type"]]
    else:
        tp = model_from_schema(schema, schema.get("$defs", {}), fmt.get("name", "M"))
    mode: Literal["strict", "json_schema"] = "strict" if strict else "json_schema"
    config = _config(recorded["model"], mode)
    compiled = compile_schema(tp, "openai-strict" if strict else "openai-json-schema")
    request = ChatRequest(_text_messages(recorded), OutputSpec(compiled, mode))
    body = encode_body(config, request)
    ours = body["text"]["format"]
    assert ours["type"] == "json_schema"
    assert ours["strict"] is strict
    assert set(fmt) - {"description"} <= set(ours) == {"type", "name", "schema", "strict"}
    if wrapper:
        assert _types(ours["schema"]["properties"]["result"]) == {inner["type"]}
    else:
        assert set(ours["schema"]["properties"]) == set(schema["properties"])
        assert set(ours["schema"]["required"]) == set(schema.get("required", []))
        for name, prop in schema["properties"].items():
            assert _types(ours["schema"]["properties"][name]) == _types(prop), name
    if strict:
        assert ours["schema"]["additionalProperties"] is False
    assert body["model"] == recorded["model"]
    # The plain-text conversation goes out as recorded (instructions + string contents).
    sent = [(i["role"], i["content"]) for i in body["input"]]
    items = recorded["input"] if isinstance(recorded["input"], list) else [recorded["input"]]
    expected = [
        (i["role"], i["content"])
        for i in items
        if isinstance(i, dict) and i.get("role") == "user" and isinstance(i.get("content"), str)
    ]
    assert [c for r, c in sent if r == "user"] == [c for _, c in expected]
    assert body.get("instructions") == recorded.get("instructions")
    wire = config.auth.apply(config.host.prepare(encode(config, request, False), config.model))
    assert (wire.method, wire.url) == ("POST", "https://api.openai.com/v1/responses")
    assert orjson.loads(wire.body) == body


@pytest.mark.parametrize("case", TOOL_REQUESTS, ids=case_id)
def test_encoder_matches_recorded_tool_request(case: dict[str, Any]) -> None:
    recorded = case["request"]["body"]
    functions = [t for t in recorded["tools"] if t.get("type") == "function"]
    tools = tuple(
        tl.ToolDefinition(t["name"], t.get("description") or "", t["parameters"], t.get("strict"))
        for t in functions
    )
    choice = recorded.get("tool_choice")
    options = tl.CallOptions(tools=tools, tool_choice=choice if isinstance(choice, str) else None)
    request = ChatRequest(_text_messages(recorded), None, options)
    body = encode_body(_config(recorded["model"]), request, stream=bool(recorded.get("stream")))
    assert len(body["tools"]) == len(functions)
    for ours, theirs in zip(body["tools"], functions, strict=True):
        assert ours["type"] == "function"  # the flat Responses shape, no nested "function"
        assert ours["name"] == theirs["name"]
        assert ours["description"] == (theirs.get("description") or "")
        assert ours["strict"] is bool(theirs.get("strict"))
        params = theirs["parameters"]
        assert set(ours["parameters"].get("properties", {})) == set(params.get("properties", {}))
        if theirs.get("strict"):
            assert ours["parameters"]["additionalProperties"] is False
    if isinstance(choice, str):
        assert body["tool_choice"] == choice
    assert body.get("stream", False) is bool(recorded.get("stream"))


def test_codec_is_registered() -> None:
    codec = get_codec("openai-responses")
    assert codec.name == "openai-responses"
    assert codec.decode is decode
