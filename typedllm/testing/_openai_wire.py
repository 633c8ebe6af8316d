"""The fake provider's OpenAI Chat Completions responder (request JSON in, response out)."""

from __future__ import annotations

import hashlib
import json
from typing import Any, cast

from .._jsonutil import as_list
from ._instances import generate_instance
from ._native_fake import chat_annotations
from ._replies import FakeReply
from ._tool_ids import call_id

__all__ = ["auto_reply", "render_reply", "schema_of_request"]

_decoder = json.JSONDecoder()


def _messages(body: dict[str, Any]) -> list[dict[str, Any]]:
    raw = body.get("messages")
    if not isinstance(raw, list):
        return []
    return [cast(dict[str, Any], m) for m in as_list(raw) if isinstance(m, dict)]


def _content_text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            str(cast(dict[str, Any], p).get("text", ""))
            for p in as_list(content)
            if isinstance(p, dict)
        )
    return ""


def _schema_in_text(text: str) -> dict[str, Any] | None:
    """The first JSON object in ``text`` that looks like a JSON Schema."""
    start = text.find("{")
    while start != -1:
        try:
            value, _end = _decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            value = None
        if isinstance(value, dict) and (
            "type" in value or "properties" in value or "$defs" in value
        ):
            return cast(dict[str, Any], value)
        start = text.find("{", start + 1)
    return None


def schema_of_request(body: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON schema a Chat Completions request asks for, if any.

    ``response_format.json_schema.schema`` first; for JSON mode and prompt-only requests, a
    schema embedded in the system/developer instructions.
    """
    fmt = body.get("response_format")
    if isinstance(fmt, dict):
        f = cast(dict[str, Any], fmt)
        js = f.get("json_schema")
        if f.get("type") == "json_schema" and isinstance(js, dict):
            schema = cast(dict[str, Any], js).get("schema")
            if isinstance(schema, dict):
                return cast(dict[str, Any], schema)
    for m in _messages(body):
        if m.get("role") in ("system", "developer"):
            found = _schema_in_text(_content_text(m))
            if found is not None:
                return found
    return None


def _seed(body: dict[str, Any]) -> str:
    # Deterministic per conversation: the same request always gets the same answer.
    digest = hashlib.sha256(json.dumps(_messages(body), sort_keys=True).encode()).hexdigest()
    return digest[:12]


def auto_reply(body: dict[str, Any]) -> FakeReply:
    """The automatic answer: schema-valid data for structured requests, else an echo."""
    schema = schema_of_request(body)
    if schema is not None:
        return FakeReply.of_json(generate_instance(schema, seed=_seed(body)))
    users = [m for m in _messages(body) if m.get("role") == "user"]
    last = _content_text(users[-1]) if users else ""
    snippet = last if len(last) <= 200 else last[:200] + "..."
    return FakeReply.of_text(f"[fake answer] {snippet}")


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


def render_reply(
    body: dict[str, Any], reply: FakeReply, call_index: int
) -> tuple[int, dict[str, str], bytes]:
    """Render ``reply`` as an OpenAI Chat Completions HTTP response."""
    headers = {"content-type": "application/json", "x-request-id": f"req_fake_{call_index:06d}"}
    headers.update(reply.headers)
    if reply.raw_body is not None:
        return reply.status, headers, reply.raw_body
    if reply.status >= 400:
        error = {
            "error": {
                "message": reply.error_message or "fake error",
                "type": reply.error_type
                or ("rate_limit_error" if reply.status == 429 else "invalid_request_error"),
                "param": None,
                "code": reply.error_type,
            }
        }
        return reply.status, headers, json.dumps(error).encode()
    prompt_text = "".join(_content_text(m) for m in _messages(body))
    completion_text = (reply.text or reply.refusal_text or "") + "".join(
        c.name + c.arguments for c in reply.calls
    )
    input_tokens = reply.input_tokens if reply.input_tokens is not None else _tokens(prompt_text)
    output_tokens = (
        reply.output_tokens if reply.output_tokens is not None else _tokens(completion_text)
    )
    model = body.get("model")
    response: dict[str, Any] = {
        "id": f"chatcmpl-fake{call_index:06d}",
        "object": "chat.completion",
        "created": 1_700_000_000 + call_index,
        "model": model if isinstance(model, str) else "fake-model",
        "choices": [
            {
                "index": 0,
                "message": {
                    **_message(reply, call_index),
                    "annotations": chat_annotations(body, reply.text or ""),
                },
                "logprobs": None,
                "finish_reason": reply.finish_reason,
            }
        ],
        "usage": {
            "prompt_tokens": input_tokens,
            "completion_tokens": output_tokens,
            "total_tokens": input_tokens + output_tokens,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
        },
        "service_tier": "default",
        "system_fingerprint": "fp_typedllm_fake",
    }
    return 200, headers, json.dumps(response).encode()


def _message(reply: FakeReply, call_index: int) -> dict[str, Any]:
    message: dict[str, Any] = {
        "role": "assistant",
        "content": reply.text,
        "refusal": reply.refusal_text,
        "annotations": [],
    }
    if reply.calls:
        # As recorded (conformance openai/tool_call/*): content null unless the model also
        # spoke, arguments as JSON text, finish_reason "tool_calls".
        message["tool_calls"] = [
            {
                "id": call_id(c, "call_fake", call_index, n),
                "type": "function",
                "function": {"name": c.name, "arguments": c.arguments},
            }
            for n, c in enumerate(reply.calls)
        ]
    return message


def _pieces(text: str, size: int = 8) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _call_chunks(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ``delta.tool_calls`` of a streamed answer: per call a first delta with its index,
    id, name and empty arguments, then the arguments in pieces (as in the recorded
    ``openai/stream_tool_call`` streams)."""
    deltas: list[dict[str, Any]] = []
    for n, call in enumerate(calls):
        fn = call["function"]
        head = {**call, "index": n, "function": {"name": fn["name"], "arguments": ""}}
        deltas.append({"tool_calls": [head]})
        deltas += [
            {"tool_calls": [{"index": n, "function": {"arguments": piece}}]}
            for piece in _pieces(fn["arguments"])
            if piece
        ]
    return deltas


def render_stream(
    body: dict[str, Any], reply: FakeReply, index: int
) -> tuple[int, dict[str, str], bytes]:
    """Render ``reply`` as a Chat Completions SSE stream (``stream: true``)."""
    status, headers, payload = render_reply(body, reply, index)
    if status != 200 or reply.raw_body is not None:
        return status, headers, payload
    full = json.loads(payload)
    message = full["choices"][0]["message"]
    base = {k: full[k] for k in ("id", "created", "model")}
    base["object"] = "chat.completion.chunk"
    events: list[dict[str, Any]] = [
        {**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]}
    ]
    field = "refusal" if message.get("refusal") else "content"
    calls: list[dict[str, Any]] = message.get("tool_calls") or []
    text = message.get(field) or ""
    pieces = _pieces(text) if text or not calls else []
    deltas = [{field: piece} for piece in pieces] + _call_chunks(calls)
    if message.get("annotations"):  # the search-preview models' citations, after the text
        deltas.append({"annotations": message["annotations"]})
    for delta in deltas:
        events.append({**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
    events.append(
        {
            **base,
            "choices": [
                {"index": 0, "delta": {}, "finish_reason": full["choices"][0]["finish_reason"]}
            ],
        }
    )
    events.append({**base, "choices": [], "usage": full["usage"]})
    text = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"
    return 200, {**headers, "content-type": "text/event-stream"}, text.encode()
