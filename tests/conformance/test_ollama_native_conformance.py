"""The Ollama native ``/api/chat`` codec against every recorded ``ollama_chat`` case.

Streams are replayed through the codec's own decoding session (at several chunk sizes) and
checked against the recorded lines, read independently here; the same answer, folded into one
non-streamed body (the shape ``"stream": false`` returns: the last line with the whole
message), goes through the non-streaming decoder and must give the same result. Our encoder's
body for each recorded conversation is compared semantically with the recorded request
(``model``, ``messages``, ``tools``, ``format``, ``options``, ``stream``).
"""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest
from _corpus import case_id, load_cases, model_from_schema

import typedllm as tl
from typedllm._wire import WireResponse
from typedllm.codecs import ChatRequest, OutputSpec
from typedllm.codecs import ollama as codec
from typedllm.codecs._base import DecodedCompletion
from typedllm.schema import compile_schema

CASES = load_cases(lambda c: c["api"] == "ollama_chat")


def _lines(case: dict[str, Any]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in case["response"]["ndjson"].splitlines() if line.strip()]


def _recorded_answer(case: dict[str, Any]) -> tuple[str, str | None, list[tuple[str, Any]]]:
    """(answer text, in-band thinking, tool calls) of the recording, read naively."""
    lines = _lines(case)
    content = "".join(line.get("message", {}).get("content", "") for line in lines)
    thinking = None
    stripped = content.lstrip()
    if stripped.startswith("<think>") and "</think>" in stripped:
        thinking, content = stripped[len("<think>") :].split("</think>", 1)
        content = content.lstrip()
    calls = [
        (c["function"]["name"], c["function"].get("arguments", {}))
        for line in lines
        for c in line.get("message", {}).get("tool_calls", [])
    ]
    return content, thinking, calls


def _replay(case: dict[str, Any], chunk: int) -> DecodedCompletion:
    decoder = codec.new_stream("ollama")
    data = case["response"]["ndjson"].encode()
    for i in range(0, len(data), chunk):
        decoder.feed(data[i : i + chunk])
    decoder.flush()
    assert decoder.done
    return decoder.result(None)


def test_every_ollama_native_case_is_here() -> None:
    assert len(CASES) == 12
    assert {c["feature"] for c in CASES} == {"stream_text", "stream_structured", "stream_tool_call"}
    assert all("ndjson" in c["response"] for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_replayed_stream_matches_the_recording(case: dict[str, Any]) -> None:
    content, thinking, calls = _recorded_answer(case)
    last = _lines(case)[-1]
    assert last["done"] is True
    for chunk in (1, 7, 100, 1 << 20):
        decoded = _replay(case, chunk)
        assert (decoded.text or "") == content
        assert decoded.reasoning == thinking
        assert [(c.name, json.loads(c.arguments)) for c in decoded.tool_calls] == calls
        # Every call gets an id (the wire sends none) so that a tool result can answer it.
        assert all(c.id.startswith("call_") for c in decoded.tool_calls)
        assert decoded.raw_finish_reason == last["done_reason"] == "stop"
        assert decoded.finish_reason == ("tool_calls" if calls else "stop")
        assert decoded.usage.input_tokens == last["prompt_eval_count"]
        assert decoded.usage.output_tokens == last["eval_count"]
        assert decoded.model == case["model"]


def _folded_body(case: dict[str, Any]) -> dict[str, Any]:
    """The recorded answer as one non-streamed body: the last line carrying the whole message."""
    lines = _lines(case)
    message: dict[str, Any] = {
        "role": "assistant",
        "content": "".join(line["message"].get("content", "") for line in lines),
    }
    calls = [c for line in lines for c in line["message"].get("tool_calls", [])]
    if calls:
        message["tool_calls"] = calls
    return {**lines[-1], "message": message}


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_non_streamed_decode_matches_the_stream(case: dict[str, Any]) -> None:
    body = _folded_body(case)
    response = WireResponse(200, {"content-type": "application/json"}, orjson.dumps(body))
    decoded = codec.decode("ollama", response)
    streamed = _replay(case, 4096)
    assert decoded.text == streamed.text
    assert decoded.reasoning == streamed.reasoning
    assert decoded.tool_calls == streamed.tool_calls
    assert decoded.finish_reason == streamed.finish_reason
    assert decoded.usage == streamed.usage
    assert decoded.raw == body


# -- encoder vs recorded requests -----------------------------------------------------------


def _without_titles(value: Any) -> Any:
    """pydantic adds ``title`` keys the recorded (hand-written) schemas do not have."""
    if isinstance(value, dict):
        return {k: _without_titles(v) for k, v in value.items() if k != "title"}
    if isinstance(value, list):
        return [_without_titles(v) for v in value]
    return value


def _conversation(recorded: dict[str, Any]) -> tuple[tl.Message, ...]:
    """The recorded conversation as our messages. The recorder (llmrb/llm) sent the earlier
    tool call as an empty assistant message and the result without an id; here the call is
    the one the first interaction of the same test returned (``system`` with ``date``)."""
    out: list[tl.Message] = []
    for m in recorded["messages"]:
        if m["role"] == "system":
            out.append(tl.system(m["content"]))
        elif m["role"] == "user":
            out.append(tl.user(m["content"]))
        elif m["role"] == "assistant":
            call = tl.ToolCall("call_0", "system", '{"command": "date"}')
            out.append(tl.assistant(m["content"], tool_calls=[call]))
        else:
            out.append(tl.tool_result("call_0", m["content"]))
    return tuple(out)


def _tools(recorded: dict[str, Any]) -> tuple[tl.ToolDefinition, ...]:
    return tuple(
        tl.ToolDefinition(
            t["function"]["name"], t["function"]["description"], t["function"]["parameters"]
        )
        for t in recorded.get("tools", [])
    )


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_encoder_matches_recorded_request(case: dict[str, Any]) -> None:
    recorded = case["request"]["body"]
    assert case["request"]["path"] == "/api/chat"
    config = tl.ollama().model(recorded["model"]).build().config
    output = None
    if "format" in recorded:
        tp = model_from_schema(recorded["format"], {}, "Answer")
        output = OutputSpec(compile_schema(tp, "ollama"), "format")
        assert codec.output_spec(config, tp).compiled.schema == output.compiled.schema
    options = tl.CallOptions(tools=_tools(recorded) or None)
    request = ChatRequest(_conversation(recorded), output, options)
    encoded = codec.encode(config, request, stream=recorded["stream"])
    assert encoded.path == "/api/chat" and encoded.headers["content-type"] == "application/json"
    body = orjson.loads(encoded.body)

    assert body["model"] == recorded["model"]
    assert body["stream"] is recorded["stream"] is True
    sent = [(m["role"], m["content"]) for m in body["messages"]]
    assert sent == [(m["role"], m["content"]) for m in recorded["messages"]]
    for ours, theirs in zip(body["messages"], recorded["messages"], strict=True):
        if theirs["role"] == "assistant":  # our call goes back with arguments as an object
            assert ours["tool_calls"] == [
                {"function": {"name": "system", "arguments": {"command": "date"}}}
            ]
        if theirs["role"] == "tool":
            assert ours["tool_name"] == "system"
    if "tools" in recorded:
        assert body["tools"] == [
            {"type": t["type"], "function": t["function"]} for t in recorded["tools"]
        ]
    else:
        assert "tools" not in body
    if "format" in recorded:
        assert _without_titles(body["format"]) == recorded["format"]
    else:
        assert "format" not in body
    # No options were set: none are sent (the recorded `{}` means the same).
    assert body.get("options", {}) == recorded.get("options", {}) == {}
    assert "think" not in body and "keep_alive" not in body


def test_the_fake_provider_streams_the_recorded_line_shapes() -> None:
    """The fake's NDJSON lines have the keys real servers send (content lines, then the last
    line with done_reason, counts and durations)."""
    from typedllm.testing import FakeProvider

    recorded = _lines(
        next(c for c in CASES if c["feature"] == "stream_text" and len(_lines(c)) > 2)
    )
    status, headers, body = FakeProvider(["Hello! How can I help?"]).respond(
        "POST",
        "http://127.0.0.1:11434/api/chat",
        {"content-type": "application/json"},
        orjson.dumps({"model": "qwen3:latest", "messages": [{"role": "user", "content": "Hi"}]}),
    )
    assert status == 200 and headers["content-type"] == "application/x-ndjson"
    ours = [json.loads(line) for line in body.decode().splitlines()]
    assert {frozenset(line) for line in ours[:-1]} == {frozenset(recorded[0])}
    assert set(ours[-1]) == set(recorded[-1])
    assert set(ours[0]["message"]) == set(recorded[0]["message"]) == {"role", "content"}
