"""The fake provider's OpenAI Responses responder (request JSON in, response out).

Answers ``POST .../responses`` like the real API (shapes from
https://platform.openai.com/docs/api-reference/responses/object and the streaming events of
https://platform.openai.com/docs/api-reference/responses-streaming):

* auto mode: schema-valid data for ``text.format`` ``json_schema`` requests (or a schema in the
  ``instructions`` for JSON mode and prompt-only requests), else an echo of the last user
  input; a reasoning summary item when the request asks for ``reasoning.summary``;
* a refusal is a ``refusal`` content part; a truncation is ``status: "incomplete"`` with
  ``incomplete_details.reason: "max_output_tokens"``; errors are ``{"error": {...}}`` bodies;
* ``stream: true`` gets the real event sequence: ``response.created``,
  ``response.in_progress``, ``response.output_item.added``, ``response.content_part.added``,
  ``response.output_text.delta`` ..., ``response.output_text.done``,
  ``response.content_part.done``, ``response.output_item.done`` and ``response.completed``
  (``response.incomplete`` for a truncation).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, cast

from .._jsonutil import as_dict, as_list
from . import _openai_wire
from ._instances import generate_instance
from ._native_fake import responses_annotations, responses_native
from ._replies import FakeReply
from ._tool_ids import call_id

__all__ = ["auto_reply", "render_reply", "render_stream", "schema_of_request"]


def _items(body: dict[str, Any]) -> list[dict[str, Any]]:
    raw = body.get("input")
    if isinstance(raw, str):
        return [{"role": "user", "content": raw}]
    return [cast(dict[str, Any], i) for i in as_list(raw) if isinstance(i, dict)]


def _text_of(item: dict[str, Any]) -> str:
    content = item.get("content")
    if isinstance(content, str):
        return content
    return "".join(
        str(as_dict(p).get("text", ""))
        for p in as_list(content)
        if as_dict(p).get("type") in ("input_text", "output_text")
    )


def schema_of_request(body: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON schema a Responses request asks for: ``text.format.schema`` first, else one
    embedded in the ``instructions`` or a system/developer input message."""
    fmt = as_dict(as_dict(body.get("text")).get("format"))
    schema = fmt.get("schema")
    if fmt.get("type") == "json_schema" and isinstance(schema, dict):
        return cast(dict[str, Any], schema)
    texts = [body["instructions"]] if isinstance(body.get("instructions"), str) else []
    texts += [_text_of(i) for i in _items(body) if i.get("role") in ("system", "developer")]
    for text in texts:
        found = _openai_wire._schema_in_text(text)  # pyright: ignore[reportPrivateUsage]
        if found is not None:
            return found
    return None


def _seed(body: dict[str, Any]) -> str:
    # Deterministic per conversation: the same request always gets the same answer.
    digest = hashlib.sha256(json.dumps(_items(body), sort_keys=True).encode()).hexdigest()
    return digest[:12]


def auto_reply(body: dict[str, Any]) -> FakeReply:
    """The automatic answer: schema-valid data for structured requests, else an echo."""
    schema = schema_of_request(body)
    if schema is not None:
        return FakeReply.of_json(generate_instance(schema, seed=_seed(body)))
    users = [i for i in _items(body) if i.get("role") == "user"]
    last = _text_of(users[-1]) if users else ""
    snippet = last if len(last) <= 200 else last[:200] + "..."
    return FakeReply.of_text(f"[fake answer] {snippet}")


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


def _error(reply: FakeReply) -> dict[str, Any]:
    kind = reply.error_type or (
        "rate_limit_error" if reply.status == 429 else "invalid_request_error"
    )
    return {
        "error": {
            "message": reply.error_message or "fake error",
            "type": kind,
            "param": None,
            "code": reply.error_type,
        }
    }


def _response(body: dict[str, Any], reply: FakeReply, index: int) -> dict[str, Any]:
    """The full response object of a successful reply."""
    rid = f"resp_fake{index:06d}"
    output: list[dict[str, Any]] = []
    summary = as_dict(body.get("reasoning")).get("summary")
    if summary is not None:
        output.append(
            {
                "id": f"rs_fake{index:06d}",
                "type": "reasoning",
                "summary": [
                    {"type": "summary_text", "text": "[fake reasoning summary] worked it out."}
                ],
            }
        )
    users = [i for i in _items(body) if i.get("role") == "user"]
    native = responses_native(body, _text_of(users[-1]) if users else "", index)
    output += native  # the tools the request switched on, before the answer
    if reply.refusal_text is not None:
        content: dict[str, Any] = {"type": "refusal", "refusal": reply.refusal_text}
    else:
        annotations = responses_annotations(native, reply.text or "")
        content = {"type": "output_text", "text": reply.text or "", "annotations": annotations}
    truncated = reply.finish_reason == "length"
    if not reply.calls or reply.text is not None or reply.refusal_text is not None:
        output.append(
            {
                "id": f"msg_fake{index:06d}",
                "type": "message",
                "status": "incomplete" if truncated else "completed",
                "role": "assistant",
                "content": [content],
            }
        )
    # Function calls are output items of their own (conformance openai/tool_call/responses__*).
    output += [
        {
            "id": f"fc_fake{index:06d}_{n}",
            "type": "function_call",
            "status": "completed",
            "arguments": c.arguments,
            "call_id": call_id(c, "call_fake", index, n),
            "name": c.name,
        }
        for n, c in enumerate(reply.calls)
    ]
    prompt = "".join(_text_of(i) for i in _items(body)) + str(body.get("instructions") or "")
    answer = (reply.text or reply.refusal_text or "") + "".join(
        c.name + c.arguments for c in reply.calls
    )
    input_tokens = reply.input_tokens if reply.input_tokens is not None else _tokens(prompt)
    output_tokens = reply.output_tokens if reply.output_tokens is not None else _tokens(answer)
    model = body.get("model")
    return {
        "id": rid,
        "object": "response",
        "created_at": 1_700_000_000 + index,
        "status": "incomplete" if truncated else "completed",
        "error": None,
        "incomplete_details": {"reason": "max_output_tokens"} if truncated else None,
        "instructions": body.get("instructions"),
        "max_output_tokens": body.get("max_output_tokens"),
        "model": model if isinstance(model, str) else "fake-model",
        "output": output,
        "parallel_tool_calls": True,
        "previous_response_id": body.get("previous_response_id"),
        "reasoning": {"effort": None, "summary": None, **as_dict(body.get("reasoning"))},
        "store": body.get("store", True),
        "text": body.get("text") or {"format": {"type": "text"}},
        "tool_choice": body.get("tool_choice", "auto"),
        "tools": body.get("tools", []),
        "usage": {
            "input_tokens": input_tokens,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": output_tokens,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": input_tokens + output_tokens,
        },
        "metadata": body.get("metadata") or {},
    }


def render_reply(
    body: dict[str, Any], reply: FakeReply, call_index: int
) -> tuple[int, dict[str, str], bytes]:
    """Render ``reply`` as a Responses HTTP response."""
    headers = {"content-type": "application/json", "x-request-id": f"req_fake_{call_index:06d}"}
    headers.update(reply.headers)
    if reply.raw_body is not None:
        return reply.status, headers, reply.raw_body
    if reply.status >= 400:
        return reply.status, headers, json.dumps(_error(reply)).encode()
    return 200, headers, json.dumps(_response(body, reply, call_index)).encode()


def _pieces(text: str, size: int = 8) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def _item_events(position: int, item: dict[str, Any]) -> list[dict[str, Any]]:
    """The events that stream one output item, from ``output_item.added`` to ``.done``."""
    item_id = item["id"]
    opened = {**item, "status": "in_progress"}
    events: list[dict[str, Any]] = []
    if item["type"] == "reasoning":
        events.append({"type": "response.output_item.added", "item": {**opened, "summary": []}})
        for n, part in enumerate(item["summary"]):
            where = {"item_id": item_id, "output_index": position, "summary_index": n}
            empty = {"type": "summary_text", "text": ""}
            events.append({"type": "response.reasoning_summary_part.added", **where, "part": empty})
            events += [
                {"type": "response.reasoning_summary_text.delta", **where, "delta": piece}
                for piece in _pieces(part["text"])
            ]
            events.append({"type": "response.reasoning_summary_text.done", **where, **part})
            events.append({"type": "response.reasoning_summary_part.done", **where, "part": part})
    elif item["type"] == "function_call":
        # As recorded (openai/stream_tool_call/responses__*): the item with empty arguments,
        # the arguments in deltas, their done event, then the completed item.
        events.append({"type": "response.output_item.added", "item": {**opened, "arguments": ""}})
        where = {"item_id": item_id, "output_index": position}
        events += [
            {"type": "response.function_call_arguments.delta", **where, "delta": piece}
            for piece in _pieces(item["arguments"])
        ]
        events.append(
            {
                "type": "response.function_call_arguments.done",
                **where,
                "arguments": item["arguments"],
            }
        )
    elif item["type"] != "message":  # a server tool's call: opened, then done
        events.append({"type": "response.output_item.added", "item": opened})
    else:
        events.append({"type": "response.output_item.added", "item": {**opened, "content": []}})
        where = {"item_id": item_id, "output_index": position, "content_index": 0}
        part = item["content"][0]
        kind = "refusal" if part["type"] == "refusal" else "output_text"
        full = part["refusal"] if kind == "refusal" else part["text"]
        empty = {**part, kind if kind == "refusal" else "text": ""}
        events.append({"type": "response.content_part.added", **where, "part": empty})
        events += [
            {"type": f"response.{kind}.delta", **where, "delta": piece} for piece in _pieces(full)
        ]
        events += [
            {
                "type": "response.output_text.annotation.added",
                **where,
                "annotation_index": n,
                "annotation": annotation,
            }
            for n, annotation in enumerate(part.get("annotations", []))
        ]
        done_field = "refusal" if kind == "refusal" else "text"
        events.append({"type": f"response.{kind}.done", **where, done_field: full})
        events.append({"type": "response.content_part.done", **where, "part": part})
    events.append({"type": "response.output_item.done", "output_index": position, "item": item})
    for event in events:
        event.setdefault("output_index", position)
    return events


def render_stream(
    body: dict[str, Any], reply: FakeReply, index: int
) -> tuple[int, dict[str, str], bytes]:
    """Render ``reply`` as a Responses SSE stream (``stream: true``): typed events, each
    with its ``sequence_number``."""
    status, headers, payload = render_reply(body, reply, index)
    if status != 200 or reply.raw_body is not None:
        return status, headers, payload
    full: dict[str, Any] = json.loads(payload)
    pending: dict[str, Any] = {**full, "status": "in_progress", "output": [], "usage": None}
    pending["incomplete_details"] = None
    events: list[dict[str, Any]] = [
        {"type": "response.created", "response": pending},
        {"type": "response.in_progress", "response": pending},
    ]
    for position, item in enumerate(full["output"]):
        events += _item_events(position, item)
    end = "response.incomplete" if full["status"] == "incomplete" else "response.completed"
    events.append({"type": end, "response": full})
    text = "".join(
        f"event: {e['type']}\ndata: {json.dumps({**e, 'sequence_number': n})}\n\n"
        for n, e in enumerate(events)
    )
    return 200, {**headers, "content-type": "text/event-stream"}, text.encode()
