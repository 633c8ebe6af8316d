"""Recorded traffic of the OpenAI-compatible hosts, replayed through the preset clients.

The chat codec's own conformance tests decode every recording; these add what the presets
change: each recorded answer decodes through ``tl.<host>()`` (its URL, auth and options on the
way out, the recorded body on the way back), errors become the typed error (OpenRouter's error
inside a 200 stream included), and each preset's structured-output route and ``stream_options``
choice agree with the requests the real hosts accepted.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import orjson
import pytest
from _corpus import case_id, load_cases, model_from_schema

import typedllm as tl
from typedllm._wire import WireResponse
from typedllm.codecs import openai_chat
from typedllm.codecs._stream import StreamState
from typedllm.hosts import PRESETS
from typedllm.streaming import SSEEvent

# Recorded provider folder -> preset name.
HOSTS = {
    "groq": "groq",
    "mistral": "mistral",
    "deepseek": "deepseek",
    "openrouter": "openrouter",
    "llamacpp": "llamacpp",
    "xai": "xai",
    "cerebras": "cerebras",
    "huggingface": "huggingface",
    "zai": "zai",
    "together": "together",
}

CASES = load_cases(lambda c: c["provider"] in HOSTS and c["api"] == "chat_completions")
JSON_CASES = [c for c in CASES if "body" in c["response"] and "sse" not in c["response"]]
SSE_CASES = [c for c in CASES if "sse" in c["response"]]


def test_every_host_has_recordings() -> None:
    assert {c["provider"] for c in CASES} == set(HOSTS)
    assert len(JSON_CASES) >= 50 and len(SSE_CASES) >= 15


def _client(case: dict[str, Any], response: httpx.Response, seen: list[httpx.Request]) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return response

    preset = PRESETS[HOSTS[case["provider"]]]
    builder: Any = getattr(tl, preset.entry)()
    model = case["model"] or "m"
    return (
        builder.model(model)
        .api_key("sk-recorded-abcdef")
        .max_retries(0)
        .transport(httpx.MockTransport(handler))
        .build()
    )


def _expected(case: dict[str, Any]) -> Any:
    raw = orjson.dumps(case["response"]["body"])
    wire = WireResponse(case["response"]["status"], {}, raw)
    return openai_chat.decode(case["provider"], wire)


@pytest.mark.parametrize("case", JSON_CASES, ids=case_id)
def test_recorded_answer_through_the_preset_client(case: dict[str, Any]) -> None:
    status = case["response"]["status"]
    response = httpx.Response(status, json=case["response"]["body"])
    seen: list[httpx.Request] = []
    llm = _client(case, response, seen)
    preset = PRESETS[HOSTS[case["provider"]]]
    if status >= 400:
        with pytest.raises(tl.APIStatusError) as caught:
            llm.completion("hi")
        assert caught.value.status_code == status
        assert caught.value.provider == preset.name
        return
    expected = _expected(case)
    try:
        completion = llm.completion("hi")
    except tl.TruncatedOutputError as exc:
        assert expected.finish_reason == "length"
        assert exc.raw_text == expected.text
    else:
        assert completion.raw_text == expected.text
        assert completion.reasoning == expected.reasoning
        assert [c.name for c in completion.tool_calls] == [c.name for c in expected.tool_calls]
        assert completion.usage.output_tokens == expected.usage.output_tokens
    sent = seen[0]
    assert sent.url.host == httpx.URL(preset.base_url).host
    assert sent.headers["authorization"] == "Bearer sk-recorded-abcdef"


def _sse_response(case: dict[str, Any]) -> httpx.Response:
    return httpx.Response(
        case["response"]["status"],
        headers={"content-type": "text/event-stream"},
        content=case["response"]["sse"].encode(),
    )


def _stream_error(case: dict[str, Any]) -> dict[str, Any] | None:
    for block in case["response"]["sse"].split("\n\n"):
        for line in block.split("\n"):
            if line.startswith("data:") and line[5:].strip() != "[DONE]":
                data = json.loads(line[5:])
                if isinstance(data, dict) and "error" in data:
                    return data  # type: ignore[return-value]
    return None


@pytest.mark.parametrize("case", SSE_CASES, ids=case_id)
def test_recorded_stream_through_the_preset_client(case: dict[str, Any]) -> None:
    seen: list[httpx.Request] = []
    llm = _client(case, _sse_response(case), seen)
    error = _stream_error(case)
    if case["response"]["status"] >= 400 or error is not None:
        with pytest.raises(tl.APIStatusError) as caught:
            llm.stream("hi").final()
        code = (error or {}).get("error", {}).get("code")
        if isinstance(code, int):
            assert caught.value.status_code == code
        if error is not None:
            assert error["error"]["message"] in str(caught.value)
        return
    state = openai_chat.new_stream(case["provider"])
    state.feed(case["response"]["sse"].encode())
    state.flush()
    expected = state.result(None)
    try:
        text = llm.stream("hi").final()
    except tl.TruncatedOutputError:
        assert expected.finish_reason == "length"
    else:
        assert text == (expected.text or "")
    assert orjson.loads(seen[0].content)["stream"] is True


def test_llamacpp_recorded_stream_reports_usage_unasked() -> None:
    # The older build's last chunk carries usage without stream_options (see
    # _STREAM_OPTIONS_CHECKED_LIVE): the preset's stream_options changes nothing there.
    case = next(c for c in SSE_CASES if c["provider"] == "llamacpp")
    assert "stream_options" not in case["request"]["body"]
    llm = _client(case, _sse_response(case), [])
    with llm.stream("hi") as stream:
        stream.final()
    recorded = next(
        json.loads(line.removeprefix("data: "))["usage"]
        for line in case["response"]["sse"].splitlines()
        if line.startswith("data: {") and '"usage"' in line
    )
    usage = stream.completion.usage
    assert usage.input_tokens == recorded["prompt_tokens"] > 0
    assert usage.output_tokens == recorded["completion_tokens"] > 0


def test_openrouter_error_inside_a_200_stream_is_typed() -> None:
    case = next(c for c in SSE_CASES if c["id"].endswith("test_openrouter_stream_error__i0"))
    assert case["response"]["status"] == 200
    llm = _client(case, _sse_response(case), [])
    with pytest.raises(tl.BadRequestError, match="Token limit reached") as caught:
        llm.stream("hi").final()
    assert caught.value.provider == "openrouter"
    # The event on its own, through the codec: the same typed error.
    error = _stream_error(case)
    assert error is not None
    with pytest.raises(tl.BadRequestError):
        openai_chat.stream_event("openrouter", SSEEvent(data=json.dumps(error)), StreamState())


# -- the routes the real hosts accepted -------------------------------------------------------


def _recorded_form(body: dict[str, Any]) -> str | None:
    fmt = body.get("response_format")
    if not isinstance(fmt, dict):
        return None
    if fmt.get("type") == "json_schema":
        return "strict" if fmt["json_schema"].get("strict") is True else "json_schema"
    if fmt.get("type") == "json_object":
        return "json_object_schema" if "schema" in fmt else "json_object"
    return str(fmt.get("type"))


STRUCTURED = [
    c for c in CASES if c["request"]["body"] and _recorded_form(c["request"]["body"]) is not None
]


def test_structured_recordings_exist() -> None:
    assert {c["provider"] for c in STRUCTURED} >= {"groq", "llamacpp", "xai"}


@pytest.mark.parametrize("case", STRUCTURED, ids=case_id)
def test_preset_route_was_accepted_by_the_real_host(case: dict[str, Any]) -> None:
    """The form the preset sends for the recorded model is one the host answered 2xx to,
    and our request's response_format matches the recorded one semantically."""
    preset = PRESETS[HOSTS[case["provider"]]]
    model = case["model"]
    ours = preset.route_for(model)
    accepted = {
        _recorded_form(c["request"]["body"])
        for c in STRUCTURED
        if c["provider"] == case["provider"]
        and c["model"] == model
        and c["response"]["status"] < 400
    }
    assert ours in accepted, (preset.name, model, ours, accepted)
    recorded = case["request"]["body"]["response_format"]
    if _recorded_form(case["request"]["body"]) != ours:
        return  # another mode the same host also takes (pydantic-ai's prompted output)
    if ours in ("strict", "json_schema"):
        schema = recorded["json_schema"]["schema"]
        root = model_from_schema(schema, schema.get("$defs", {}), recorded["json_schema"]["name"])
        llm = getattr(tl, preset.entry)().model(model).api_key("k").build()
        body = orjson.loads(llm.request_for("hi", schema=root).body)
        sent = body["response_format"]
        assert sent["type"] == "json_schema"
        assert bool(sent["json_schema"].get("strict")) is bool(
            recorded["json_schema"].get("strict")
        )
        assert set(sent["json_schema"]["schema"]["properties"]) == set(schema["properties"])
        assert set(sent["json_schema"]["schema"].get("required", [])) == set(
            schema.get("required", [])
        )


# Hosts whose stream_options were checked on a real server instead: llama-server puts usage in
# streams only when asked (tests/test_presets_llama_server_live.py); the recorded older build
# (b5379) sent it unasked, and the decoder reads usage from either.
_STREAM_OPTIONS_CHECKED_LIVE = frozenset({"llamacpp"})


def test_stream_options_agree_with_the_recorded_streams() -> None:
    by_host: dict[str, set[bool]] = {}
    for case in CASES:
        body = case["request"]["body"] or {}
        if body.get("stream") and case["response"]["status"] < 400:
            by_host.setdefault(case["provider"], set()).add("stream_options" in body)
    assert set(by_host) >= {"deepseek", "openrouter", "xai", "zai", "groq", "mistral"}
    for provider, sent in by_host.items():
        preset = PRESETS[HOSTS[provider]]
        if provider in _STREAM_OPTIONS_CHECKED_LIVE:
            assert preset.stream_usage, provider
            continue
        assert preset.stream_usage in sent, (provider, preset.stream_usage, sent)


def test_zai_thinking_matches_the_recorded_request() -> None:
    case = next(c for c in CASES if c["id"].endswith("test_zai_reasoning_effort__i0"))
    recorded = case["request"]["body"]
    llm = tl.zai().model(case["model"]).thinking(True).reasoning_effort("high").api_key("k")
    body = orjson.loads(llm.build().request_for("hi").body)
    assert body["thinking"]["type"] == recorded["thinking"]["type"] == "enabled"
    assert body["reasoning_effort"] == recorded["reasoning_effort"]
    assert body["model"] == recorded["model"]
