"""The fake provider's Cohere v2 chat responder (request JSON in, response out).

Bodies and the stream's event sequence follow https://docs.cohere.com/reference/chat and
https://docs.cohere.com/v2/docs/streaming: ``message-start``, ``content-start``,
``content-delta``..., ``content-end``, ``message-end`` (finish reason and usage); errors are
``{"id", "message"}`` bodies.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, cast

from .._jsonutil import as_dict, as_list
from ._instances import generate_instance
from ._openai_wire import schema_of_request as _schema_in_instructions
from ._replies import FakeReply
from ._tool_ids import call_id

__all__ = ["auto_reply", "render_reply", "render_stream", "schema_of_request"]

_FINISH = {"stop": "COMPLETE", "length": "MAX_TOKENS", "tool_calls": "TOOL_CALL"}
# Tokens Cohere adds itself (counted in usage.tokens, never billed): a plausible constant.
_SYSTEM_OVERHEAD = 180


def _messages(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [as_dict(m) for m in as_list(body.get("messages")) if isinstance(m, dict)]


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(str(as_dict(p).get("text", "")) for p in as_list(content))


def schema_of_request(body: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON schema a v2 chat request asks for: ``response_format.json_schema``, else one in
    the system instructions (JSON mode)."""
    fmt = as_dict(body.get("response_format"))
    schema = fmt.get("json_schema")
    if fmt.get("type") == "json_object" and isinstance(schema, dict):
        return cast(dict[str, Any], schema)
    return _schema_in_instructions({"messages": _messages(body)})


def _seed(body: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(_messages(body), sort_keys=True).encode()).hexdigest()
    return digest[:12]


def auto_reply(body: dict[str, Any]) -> FakeReply:
    """Schema-valid data for structured requests, else an echo of the last user message."""
    schema = schema_of_request(body)
    if schema is not None:
        return FakeReply.of_json(generate_instance(schema, seed=_seed(body)))
    users = [m for m in _messages(body) if m.get("role") == "user"]
    last = _text(users[-1].get("content")) if users else ""
    return FakeReply.of_text(f"[fake answer] {last[:200]}")


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


def _usage(body: dict[str, Any], reply: FakeReply) -> dict[str, Any]:
    prompt = "".join(_text(m.get("content")) for m in _messages(body))
    output = (reply.text or reply.refusal_text or "") + "".join(
        c.name + c.arguments for c in reply.calls
    )
    billed_in = reply.input_tokens if reply.input_tokens is not None else _tokens(prompt)
    billed_out = reply.output_tokens if reply.output_tokens is not None else _tokens(output)
    return {
        "billed_units": {"input_tokens": billed_in, "output_tokens": billed_out},
        "tokens": {"input_tokens": billed_in + _SYSTEM_OVERHEAD, "output_tokens": billed_out},
    }


def render_reply(
    body: dict[str, Any], reply: FakeReply, index: int
) -> tuple[int, dict[str, str], bytes]:
    """Render ``reply`` as a v2 chat HTTP response."""
    headers = {"content-type": "application/json", "x-request-id": f"req_fake_{index:06d}"}
    headers.update(reply.headers)
    if reply.raw_body is not None:
        return reply.status, headers, reply.raw_body
    if reply.status >= 400:
        error = {"id": f"fake-error-{index:06d}", "message": reply.error_message or "fake error"}
        return reply.status, headers, json.dumps(error).encode()
    finish = _FINISH.get(reply.finish_reason, "COMPLETE")
    text = reply.text
    if reply.refusal_text is not None:
        # Cohere has no refusal field: a safety stop is the finish reason ERROR_TOXIC.
        finish, text = "ERROR_TOXIC", reply.refusal_text
    message: dict[str, Any] = {"role": "assistant"}
    if reply.calls:
        # https://docs.cohere.com/v2/docs/tool-use-usage-patterns: the text before calls is
        # the ``tool_plan``; calls carry their arguments as JSON text.
        if text is not None:
            message["tool_plan"] = text
        message["tool_calls"] = [
            {
                "id": call_id(c, f"{c.name}_fake", index, n),
                "type": "function",
                "function": {"name": c.name, "arguments": c.arguments},
            }
            for n, c in enumerate(reply.calls)
        ]
    else:
        message["content"] = [{"type": "text", "text": text}] if text is not None else []
    response = {
        "id": f"fake-{index:08d}-cohere",
        "message": message,
        "finish_reason": finish,
        "usage": _usage(body, reply),
    }
    return 200, headers, json.dumps(response).encode()


def _pieces(text: str, size: int = 8) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def _tool_events(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The tool-calling step of a stream (https://docs.cohere.com/v2/docs/tool-use-streaming):
    ``tool-plan-delta``..., then per call ``tool-call-start`` (id, name, empty arguments),
    ``tool-call-delta``... (argument pieces) and ``tool-call-end``."""
    events: list[dict[str, Any]] = [
        {"type": "tool-plan-delta", "delta": {"message": {"tool_plan": piece}}}
        for piece in _pieces(message.get("tool_plan", ""))
    ]
    for i, call in enumerate(message.get("tool_calls", [])):
        fn = call["function"]
        start = {**call, "function": {"name": fn["name"], "arguments": ""}}
        events.append(
            {"type": "tool-call-start", "index": i, "delta": {"message": {"tool_calls": start}}}
        )
        events += [
            {
                "type": "tool-call-delta",
                "index": i,
                "delta": {"message": {"tool_calls": {"function": {"arguments": piece}}}},
            }
            for piece in _pieces(fn["arguments"])
        ]
        events.append({"type": "tool-call-end", "index": i})
    return events


def render_stream(
    body: dict[str, Any], reply: FakeReply, index: int
) -> tuple[int, dict[str, str], bytes]:
    """Render ``reply`` as a v2 chat SSE stream (``stream: true``)."""
    status, headers, payload = render_reply(body, reply, index)
    if status != 200 or reply.raw_body is not None:
        return status, headers, payload
    full: dict[str, Any] = json.loads(payload)
    start_message: dict[str, Any] = {
        "role": "assistant",
        "content": [],
        "tool_plan": "",
        "tool_calls": [],
    }
    events: list[dict[str, Any]] = [
        {"id": full["id"], "type": "message-start", "delta": {"message": start_message}}
    ]
    events += _tool_events(full["message"])
    for i, part in enumerate(full["message"].get("content", [])):
        events.append(
            {
                "type": "content-start",
                "index": i,
                "delta": {"message": {"content": {"type": "text", "text": ""}}},
            }
        )
        events.extend(
            {
                "type": "content-delta",
                "index": i,
                "delta": {"message": {"content": {"text": piece}}},
            }
            for piece in _pieces(part["text"])
        )
        events.append({"type": "content-end", "index": i})
    events.append(
        {
            "type": "message-end",
            "delta": {"finish_reason": full["finish_reason"], "usage": full["usage"]},
        }
    )
    text = "".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in events)
    return 200, {**headers, "content-type": "text/event-stream"}, text.encode()
