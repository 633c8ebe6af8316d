"""Replay every recorded SSE stream of the Chat Completions, Anthropic Messages and Gemini
wires through our decoders, and check the assembled answer against the recording's own events
(parsed independently here): text, tool calls, finish reason, usage, in-stream errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from _corpus import case_id, load_cases

import typedllm as tl
from typedllm.codecs import anthropic, gemini, openai_chat
from typedllm.codecs._base import DecodedCompletion

WIRES = {
    "chat_completions": openai_chat,
    "anthropic_messages": anthropic,
    "gemini_generate_content": gemini,
}
STREAMS = load_cases(lambda c: "sse" in c["response"] and c["api"] in WIRES)


def _events(raw: str) -> list[tuple[str, Any]]:
    """(event name, parsed data) for every event, by a deliberately naive reading."""
    out: list[tuple[str, Any]] = []
    for block in raw.replace("\r\n", "\n").split("\n\n"):
        name, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
        if data and data != ["[DONE]"]:
            out.append((name, json.loads("\n".join(data))))
    return out


def _replay_with(new_stream: Any, case: dict[str, Any], body: str, chunk: int) -> DecodedCompletion:
    """Feed the recorded body in ``chunk``-byte pieces through the codec's own decoding
    session (its framing and state), as a streamed attempt would."""
    decoder = new_stream(case["provider"])
    data = body.encode()
    for i in range(0, len(data), chunk):
        decoder.feed(data[i : i + chunk])
    decoder.flush()
    result: DecodedCompletion = decoder.result(None)
    return result


def _replay(case: dict[str, Any], chunk: int) -> DecodedCompletion:
    return _replay_with(WIRES[case["api"]].new_stream, case, case["response"]["sse"], chunk)


def test_all_three_wires_have_recorded_streams() -> None:
    assert {c["api"] for c in STREAMS} == set(WIRES)
    assert len(STREAMS) >= 60


def _expected_openai(events: list[tuple[str, Any]]) -> dict[str, Any]:
    text, calls, finish, usage = [], {}, None, None
    for _, chunk in events:
        usage = chunk.get("usage") or usage
        for choice in chunk.get("choices", []):
            if choice.get("index", 0) != 0:
                continue  # other choices (n > 1) are not the answer
            delta = choice.get("delta", {})
            content = delta.get("content")
            if isinstance(content, list):  # Mistral: content parts
                content = "".join(p.get("text", "") for p in content if p.get("type") == "text")
            if content:
                text.append(content)
            for call in delta.get("tool_calls") or []:
                entry = calls.setdefault(call.get("index", 0), ["", ""])
                fn = call.get("function", {})
                entry[0] = entry[0] or fn.get("name") or ""
                entry[1] += fn.get("arguments") or ""
            finish = choice.get("finish_reason") or finish
    answer = "".join(text)
    stripped = answer.lstrip()
    if stripped.startswith("<think>"):  # an in-band reasoning block is not the answer
        answer = stripped.split("</think>", 1)[1].lstrip() if "</think>" in stripped else ""
    return {
        "text": answer or None,
        "calls": [(n, a) for _, (n, a) in sorted(calls.items())],
        "finish": finish,
        "output_tokens": (usage or {}).get("completion_tokens"),
    }


def _expected_anthropic(events: list[tuple[str, Any]]) -> dict[str, Any]:
    text, calls, finish, output = [], {}, None, None
    for _, data in events:
        kind = data.get("type")
        if kind == "content_block_start" and data["content_block"]["type"] == "tool_use":
            calls[data["index"]] = [data["content_block"]["name"], ""]
        elif kind == "content_block_start" and data["content_block"]["type"] == "text":
            text.append(data["content_block"].get("text", ""))
        elif kind == "content_block_delta":
            delta = data["delta"]
            if delta["type"] == "text_delta":
                text.append(delta["text"])
            elif delta["type"] == "input_json_delta" and data["index"] in calls:
                calls[data["index"]][1] += delta["partial_json"]
        elif kind == "message_delta":
            finish = data["delta"].get("stop_reason") or finish
            output = data.get("usage", {}).get("output_tokens", output)
    return {
        "text": "".join(text) or None,
        "calls": [(n, a) for _, (n, a) in sorted(calls.items())],
        "finish": finish,
        "output_tokens": output,
    }


def _expected_gemini(events: list[tuple[str, Any]]) -> dict[str, Any]:
    text, calls, finish, usage = [], [], None, {}
    for _, chunk in events:
        for cand in chunk.get("candidates", [])[:1]:
            for part in cand.get("content", {}).get("parts", []):
                if "text" in part and not part.get("thought"):
                    text.append(part["text"])
                if "functionCall" in part:
                    calls.append(
                        (
                            part["functionCall"]["name"],
                            json.dumps(part["functionCall"].get("args", {})),
                        )
                    )
            finish = cand.get("finishReason") or finish
        usage = chunk.get("usageMetadata") or usage
    out = usage.get("candidatesTokenCount", 0) + usage.get("thoughtsTokenCount", 0)
    return {"text": "".join(text) or None, "calls": calls, "finish": finish, "output_tokens": out}


EXPECTED = {
    "chat_completions": _expected_openai,
    "anthropic_messages": _expected_anthropic,
    "gemini_generate_content": _expected_gemini,
}


def _has_error(events: list[tuple[str, Any]]) -> bool:
    return any(
        name == "error" or (isinstance(d, dict) and ("error" in d or d.get("type") == "error"))
        for name, d in events
    )


@pytest.mark.parametrize("case", STREAMS, ids=case_id)
def test_replayed_stream_matches_the_recording(case: dict[str, Any]) -> None:
    events = _events(case["response"]["sse"])
    if _has_error(events):
        with pytest.raises(tl.APIStatusError):
            _replay(case, 64)
        return
    expected = EXPECTED[case["api"]](events)
    for chunk in (1, 7, 4096):  # any chunking gives the same answer
        decoded = _replay(case, chunk)
        assert decoded.text == expected["text"]
        assert [(c.name, json.loads(c.arguments or "null")) for c in decoded.tool_calls] == [
            (n, json.loads(a or "null")) for n, a in expected["calls"]
        ]
        assert decoded.raw_finish_reason == expected["finish"]
        if expected["output_tokens"] is not None:
            assert decoded.usage.output_tokens == expected["output_tokens"]


def test_recorded_streamed_refusal_is_a_refusal() -> None:
    refusals = [
        c
        for c in STREAMS
        if c["api"] == "chat_completions" and '"refusal":"' in c["response"]["sse"].replace(" ", "")
    ]
    assert refusals
    for case in refusals:
        assert _replay(case, 50).refusal


# -- Responses API (SSE) and Ollama native (NDJSON) -------------------------------------------

from typedllm.codecs import ollama, openai_responses  # noqa: E402

RESPONSES = load_cases(lambda c: "sse" in c["response"] and c["api"] == "responses")
OLLAMA = load_cases(lambda c: "ndjson" in c["response"])


def test_responses_and_ollama_streams_exist() -> None:
    assert len(RESPONSES) >= 15 and len(OLLAMA) >= 10


def _replay_responses(case: dict[str, Any], chunk: int) -> DecodedCompletion:
    return _replay_with(openai_responses.new_stream, case, case["response"]["sse"], chunk)


@pytest.mark.parametrize("case", RESPONSES, ids=case_id)
def test_replayed_responses_stream_matches_the_recording(case: dict[str, Any]) -> None:
    events = [(n, d) for n, d in _events(case["response"]["sse"]) if isinstance(d, dict)]
    if any(d.get("type") in ("error", "response.failed") for _, d in events):
        with pytest.raises(tl.APIStatusError):
            _replay_responses(case, 64)
        return
    text = "".join(d["delta"] for _, d in events if d.get("type") == "response.output_text.delta")
    refusal = "".join(d["delta"] for _, d in events if d.get("type") == "response.refusal.delta")
    args: dict[int, str] = {}
    for _, d in events:
        if d.get("type") == "response.function_call_arguments.delta":
            args[d["output_index"]] = args.get(d["output_index"], "") + d["delta"]
    completed = [
        d["response"]
        for _, d in events
        if d.get("type") in ("response.completed", "response.incomplete")
    ]
    for chunk in (1, 13, 4096):
        decoded = _replay_responses(case, chunk)
        assert decoded.text == (text or None)
        assert decoded.refusal == (refusal or None)
        assert [c.arguments for c in decoded.tool_calls] == [a for _, a in sorted(args.items())]
        if completed:
            usage = completed[-1].get("usage") or {}
            assert decoded.usage.input_tokens == usage.get("input_tokens", 0)
            assert decoded.usage.output_tokens == usage.get("output_tokens", 0)
            assert decoded.raw_finish_reason == completed[-1]["status"]


def _replay_ollama(case: dict[str, Any], chunk: int) -> DecodedCompletion:
    return _replay_with(ollama.new_stream, case, case["response"]["ndjson"], chunk)


@pytest.mark.parametrize("case", OLLAMA, ids=case_id)
def test_replayed_ollama_stream_matches_the_recording(case: dict[str, Any]) -> None:
    lines = [json.loads(line) for line in case["response"]["ndjson"].splitlines() if line.strip()]
    content = "".join(line.get("message", {}).get("content", "") for line in lines)
    thinking = None
    stripped = content.lstrip()
    if stripped.startswith("<think>") and "</think>" in stripped:
        thinking, content = stripped[7:].split("</think>", 1)
        content = content.lstrip()
    calls = [c["function"] for line in lines for c in line.get("message", {}).get("tool_calls", [])]
    last = lines[-1]
    for chunk in (1, 9, 4096):
        decoded = _replay_ollama(case, chunk)
        assert (decoded.text or "") == content
        if thinking is not None:
            assert decoded.reasoning == thinking
        assert [(c.name, json.loads(c.arguments)) for c in decoded.tool_calls] == [
            (c["name"], c.get("arguments", {})) for c in calls
        ]
        assert decoded.raw_finish_reason == last.get("done_reason")
        assert decoded.usage.input_tokens == last.get("prompt_eval_count", 0)
        assert decoded.usage.output_tokens == last.get("eval_count", 0)
