"""The fake provider's Anthropic Messages responder (request JSON in, response out)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .._jsonutil import as_dict, as_list
from ._instances import generate_instance
from ._native_fake import anthropic_citations, anthropic_native
from ._replies import FakeReply
from ._tool_ids import call_id

__all__ = ["answer_tool", "auto_reply", "render_reply"]


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(str(as_dict(b).get("text", "")) for b in as_list(content))


def answer_tool(body: dict[str, Any]) -> dict[str, Any] | None:
    """The tool the request wants the answer in: the forced tool, or the one the instructions
    say to answer with (extended thinking forbids forcing it). Other tools are the caller's."""
    tools = [as_dict(t) for t in as_list(body.get("tools"))]
    choice = as_dict(body.get("tool_choice"))
    if choice.get("type") == "tool":
        return next((t for t in tools if t.get("name") == choice.get("name")), None)
    system = _text(body.get("system"))
    return next((t for t in tools if f"calling the {t.get('name')} tool" in system), None)


def _schema(body: dict[str, Any]) -> dict[str, Any] | None:
    fmt = as_dict(body.get("output_format")) or as_dict(
        as_dict(body.get("output_config")).get("format")
    )
    if fmt.get("type") == "json_schema" and isinstance(fmt.get("schema"), dict):
        return as_dict(fmt["schema"])
    tool = answer_tool(body)
    return as_dict(tool.get("input_schema")) if tool else None


def _seed(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body.get("messages"), sort_keys=True).encode()).hexdigest()[
        :12
    ]


def auto_reply(body: dict[str, Any]) -> FakeReply:
    """Schema-valid data for structured requests, else an echo of the last user message."""
    schema = _schema(body)
    if schema is not None:
        return FakeReply.of_json(generate_instance(schema, seed=_seed(body)))
    users = [as_dict(m) for m in as_list(body.get("messages")) if as_dict(m).get("role") == "user"]
    last = _text(users[-1].get("content")) if users else ""
    return FakeReply.of_text(f"[fake answer] {last[:200]}")


_STOP = {"stop": "end_turn", "length": "max_tokens", "refusal": "refusal"}
_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    429: "rate_limit_error",
    529: "overloaded_error",
}


def render_reply(
    body: dict[str, Any], reply: FakeReply, index: int
) -> tuple[int, dict[str, str], bytes]:
    """Render ``reply`` as an Anthropic Messages HTTP response."""
    headers = {"content-type": "application/json", "request-id": f"req_fake_{index:06d}"}
    headers.update(reply.headers)
    if reply.raw_body is not None:
        return reply.status, headers, reply.raw_body
    if reply.status >= 400:
        error = {
            "type": "error",
            "error": {
                "type": reply.error_type or _ERROR_TYPES.get(reply.status, "api_error"),
                "message": reply.error_message or "fake error",
            },
        }
        return reply.status, headers, json.dumps(error).encode()
    content: list[dict[str, Any]] = []
    stop = _STOP.get(reply.finish_reason, "end_turn")
    tool = answer_tool(body)
    text = reply.refusal_text if reply.refusal_text is not None else reply.text
    if reply.refusal_text is not None:
        stop = "refusal"
    if reply.calls:
        # Scripted calls of the caller's tools: ``tool_use`` blocks after any text, stop
        # reason ``tool_use`` (conformance anthropic/tool_call/*).
        content += [
            {
                "type": "tool_use",
                "id": call_id(c, "toolu_fake", index, n),
                "name": c.name,
                "input": c.arguments_object(),
            }
            for n, c in enumerate(reply.calls)
        ]
        stop = "tool_use"
    elif (
        tool is not None
        and reply.refusal_text is None
        and stop != "max_tokens"
        and text is not None
    ):
        try:
            tool_input = json.loads(text)
        except json.JSONDecodeError:
            tool_input = None
        if isinstance(tool_input, dict):
            content.append(
                {
                    "type": "tool_use",
                    "id": f"toolu_fake{index:06d}",
                    "name": tool["name"],
                    "input": tool_input,
                }
            )
            stop = "tool_use"
            text = None
    if text is not None:
        content.insert(0, {"type": "text", "text": text})
    prompt = "".join(_text(as_dict(m).get("content")) for m in as_list(body.get("messages")))
    users = [as_dict(m) for m in as_list(body.get("messages")) if as_dict(m).get("role") == "user"]
    native = anthropic_native(body, _text(users[-1].get("content")) if users else "", index)
    if native:  # server tools the request switched on: their use, before the answer
        for block in content:
            cited = anthropic_citations(native, block.get("text") or "")
            if block["type"] == "text" and cited:
                block["citations"] = cited
        content[:0] = native
    output = (reply.text or reply.refusal_text or "") + "".join(
        c.name + c.arguments for c in reply.calls
    )
    response = {
        "id": f"msg_fake{index:06d}",
        "type": "message",
        "role": "assistant",
        "model": body.get("model", "claude-fake"),
        "content": content,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": {
            "input_tokens": reply.input_tokens
            if reply.input_tokens is not None
            else max(1, len(prompt) // 4),
            "output_tokens": reply.output_tokens
            if reply.output_tokens is not None
            else max(1, len(output) // 4),
        },
    }
    return 200, headers, json.dumps(response).encode()


def render_stream(
    body: dict[str, Any], reply: FakeReply, index: int
) -> tuple[int, dict[str, str], bytes]:
    """Render ``reply`` as a Messages SSE stream (``stream: true``)."""
    status, headers, payload = render_reply(body, reply, index)
    if status != 200 or reply.raw_body is not None:
        return status, headers, payload
    full: dict[str, Any] = json.loads(payload)
    usage: dict[str, Any] = full["usage"]
    start: dict[str, Any] = {
        **full,
        "content": [],
        "stop_reason": None,
        "usage": {**usage, "output_tokens": 1},
    }
    events: list[tuple[str, dict[str, Any]]] = [
        ("message_start", {"type": "message_start", "message": start})
    ]
    blocks: list[dict[str, Any]] = full["content"]
    for i, block in enumerate(blocks):
        if block["type"] == "text":
            events.append(
                (
                    "content_block_start",
                    {
                        "type": "content_block_start",
                        "index": i,
                        "content_block": {"type": "text", "text": ""},
                    },
                )
            )
            deltas = [{"type": "text_delta", "text": p} for p in _pieces(block["text"])]
            deltas += [
                {"type": "citations_delta", "citation": c} for c in block.get("citations", [])
            ]
        elif "input" not in block:  # a server tool's result block arrives whole
            events.append(
                (
                    "content_block_start",
                    {"type": "content_block_start", "index": i, "content_block": block},
                )
            )
            deltas = []
        else:
            shell: dict[str, Any] = {**block, "input": {}}
            events.append(
                (
                    "content_block_start",
                    {"type": "content_block_start", "index": i, "content_block": shell},
                )
            )
            deltas = [
                {"type": "input_json_delta", "partial_json": p}
                for p in _pieces(json.dumps(block["input"]))
            ]
        for d in deltas:
            events.append(
                ("content_block_delta", {"type": "content_block_delta", "index": i, "delta": d})
            )
        events.append(("content_block_stop", {"type": "content_block_stop", "index": i}))
    events.append(("ping", {"type": "ping"}))
    events.append(
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": full["stop_reason"], "stop_sequence": None},
                "usage": {"output_tokens": usage["output_tokens"]},
            },
        )
    )
    events.append(("message_stop", {"type": "message_stop"}))
    text = "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events)
    return 200, {**headers, "content-type": "text/event-stream"}, text.encode()


def _pieces(text: str, size: int = 8) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]
