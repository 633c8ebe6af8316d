"""The fake provider's Ollama native ``/api/chat`` responder (request JSON in, response out).

Shapes follow https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion
and the NDJSON streams recorded from real servers in the conformance corpus: content lines
``{"model", "created_at", "message": {"role": "assistant", "content"}, "done": false}`` and a
last line with ``done: true``, ``done_reason`` and the counts and durations. Errors are
``{"error": "<text>"}`` with the status; a scripted 404 without a message is Ollama's
``model '<name>' not found``.

A request with ``think`` set gets a leading ``<think>...</think>`` block of the reply in
``message.thinking`` (as the server separates it); without ``think`` it stays in-band in
``content``, as thinking models answer when the request does not ask.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .._jsonutil import as_dict, as_list
from ._instances import generate_instance
from ._openai_wire import schema_of_request as in_instructions
from ._replies import FakeReply, FakeToolCall

__all__ = ["auto_reply", "render_reply", "render_stream", "schema_of_request", "streams"]

_CREATED = "2025-01-01T00:00:00.000000000Z"


def _messages(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [as_dict(m) for m in as_list(body.get("messages")) if isinstance(m, dict)]


def streams(body: dict[str, Any]) -> bool:
    """Whether the request gets an NDJSON stream: Ollama streams unless ``stream`` is false."""
    return body.get("stream") is not False


def schema_of_request(body: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON schema in ``format``; for ``format: "json"`` or none, a schema embedded in
    the system instructions."""
    fmt = body.get("format")
    if isinstance(fmt, dict):
        return as_dict(fmt)
    return in_instructions({"messages": _messages(body)})


def _seed(body: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(_messages(body), sort_keys=True).encode()).hexdigest()
    return digest[:12]


def auto_reply(body: dict[str, Any]) -> FakeReply:
    """Schema-valid data for structured requests (``format`` is enforced by the real server,
    so the fake's answer always validates), ``{}`` for bare JSON mode, else an echo."""
    schema = schema_of_request(body)
    if schema is not None:
        return FakeReply.of_json(generate_instance(schema, seed=_seed(body)))
    if body.get("format") == "json":
        return FakeReply.of_json({})
    users = [m for m in _messages(body) if m.get("role") == "user"]
    last = users[-1].get("content") if users else ""
    text = last if isinstance(last, str) else ""
    snippet = text if len(text) <= 200 else text[:200] + "..."
    return FakeReply.of_text(f"[fake answer] {snippet}")


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


def _split_think(body: dict[str, Any], text: str) -> tuple[str, str | None]:
    """``(content, thinking)``: a leading think block moves to ``thinking`` when asked."""
    stripped = text.lstrip()
    if body.get("think") in (None, False) or not stripped.startswith("<think>"):
        return text, None
    inner, sep, rest = stripped.removeprefix("<think>").partition("</think>")
    if not sep:
        return "", inner
    return rest.lstrip(), inner.strip()


def _error(body: dict[str, Any], reply: FakeReply) -> str:
    message = reply.error_message or "fake error"
    if reply.status == 404 and message == "fake error":
        model = body.get("model")
        return f"model '{model if isinstance(model, str) else 'unknown'}' not found"
    return message


def _final(body: dict[str, Any], reply: FakeReply, completion_text: str) -> dict[str, Any]:
    prompt_text = "".join(str(m.get("content") or "") for m in _messages(body))
    input_tokens = reply.input_tokens if reply.input_tokens is not None else _tokens(prompt_text)
    output_tokens = (
        reply.output_tokens if reply.output_tokens is not None else _tokens(completion_text)
    )
    completion_text += "".join(c.name + c.arguments for c in reply.calls)
    return {
        "done_reason": "length" if reply.finish_reason == "length" else "stop",
        "done": True,
        "total_duration": 1_000_000 * (input_tokens + output_tokens),
        "load_duration": 1_000_000,
        "prompt_eval_count": input_tokens,
        "prompt_eval_duration": 100_000 * input_tokens,
        "eval_count": output_tokens,
        "eval_duration": 900_000 * output_tokens,
    }


def _model(body: dict[str, Any]) -> str:
    model = body.get("model")
    return model if isinstance(model, str) else "fake-model"


def render_reply(
    body: dict[str, Any], reply: FakeReply, call_index: int
) -> tuple[int, dict[str, str], bytes]:
    """Render ``reply`` as a non-streamed ``/api/chat`` response (``stream: false``)."""
    headers = {"content-type": "application/json; charset=utf-8"}
    headers.update(reply.headers)
    if reply.raw_body is not None:
        return reply.status, headers, reply.raw_body
    if reply.status >= 400:
        return reply.status, headers, json.dumps({"error": _error(body, reply)}).encode()
    text = reply.text if reply.text is not None else reply.refusal_text or ""
    content, thinking = _split_think(body, text)
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if thinking is not None:
        message["thinking"] = thinking
    if reply.calls:
        message["tool_calls"] = [_tool_call(c, n) for n, c in enumerate(reply.calls)]
    response = {
        "model": _model(body),
        "created_at": _CREATED,
        "message": message,
        **_final(body, reply, text),
    }
    return 200, headers, json.dumps(response).encode()


def _tool_call(call: FakeToolCall, position: int) -> dict[str, Any]:
    """One ``message.tool_calls`` entry as the server sends it (conformance
    ollama/stream_tool_call/ollama_chat__*): arguments as an object, ``function.index`` on
    the calls after the first, no id unless one was scripted (the client makes a stable one)."""
    function: dict[str, Any] = {"name": call.name, "arguments": call.arguments_object()}
    if position:
        function = {"index": position, **function}
    entry: dict[str, Any] = {"function": function}
    if call.id is not None:
        entry["id"] = call.id
    return entry


def _pieces(text: str, size: int = 8) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def render_stream(
    body: dict[str, Any], reply: FakeReply, call_index: int
) -> tuple[int, dict[str, str], bytes]:
    """Render ``reply`` as an NDJSON stream (errors are a JSON body with their status, as the
    server answers before it starts streaming)."""
    status, headers, payload = render_reply(body, reply, call_index)
    if status != 200 or reply.raw_body is not None:
        return status, headers, payload
    full = json.loads(payload)
    base = {"model": full["model"], "created_at": _CREATED}
    lines: list[dict[str, Any]] = []
    for piece in _pieces(full["message"].get("thinking") or ""):
        message = {"role": "assistant", "content": "", "thinking": piece}
        lines.append({**base, "message": message, "done": False})
    for piece in _pieces(full["message"]["content"]):
        lines.append({**base, "message": {"role": "assistant", "content": piece}, "done": False})
    for call in full["message"].get("tool_calls", []):  # one line per call, as recorded
        entry: dict[str, Any] = {"role": "assistant", "content": "", "tool_calls": [call]}
        lines.append({**base, "message": entry, "done": False})
    last = {k: v for k, v in full.items() if k not in ("model", "created_at", "message")}
    lines.append({**base, "message": {"role": "assistant", "content": ""}, **last})
    text = "".join(json.dumps(line) + "\n" for line in lines)
    return 200, {**headers, "content-type": "application/x-ndjson"}, text.encode()
