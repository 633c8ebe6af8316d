"""OpenAI Responses API wire: the streaming decoder (pure).

The Responses stream is a sequence of typed SSE events. This module assembles them into the
same :class:`~typedllm.codecs._stream.StreamState` the other wires use:

* ``response.output_text.delta`` -> answer text; ``response.refusal.delta`` -> refusal text;
* ``response.output_item.added`` with a ``function_call`` item opens a tool call, and
  ``response.function_call_arguments.delta`` appends to it (matched by ``output_index``);
* ``response.reasoning_text.delta`` / ``response.reasoning_summary_text.delta`` -> reasoning;
* ``response.created`` -> model and id; ``response.completed`` / ``response.incomplete`` ->
  usage (``input_tokens``, ``output_tokens``, cached and reasoning details) and the finish
  reason (``incomplete_details.reason`` ``max_output_tokens`` is truncation);
* ``error`` and ``response.failed`` raise the typed error.

Request encoding and the non-streaming decoder arrive with the Responses client.
"""

from __future__ import annotations

from typing import Any

from .._completion import FinishReason, Usage
from .._jsonutil import as_dict, as_int
from ..streaming import SSEEvent
from ._base import Delta
from ._stream import SSEStream, StreamState, load_event_json, stream_error

__all__ = ["decode_usage", "new_stream", "stream_event"]


def decode_usage(raw: Any) -> Usage:
    """Map a Responses ``usage`` object."""
    u = as_dict(raw)

    def n(obj: dict[str, Any], key: str) -> int:
        return as_int(obj.get(key))

    return Usage(
        input_tokens=n(u, "input_tokens"),
        output_tokens=n(u, "output_tokens"),
        cache_read_tokens=n(as_dict(u.get("input_tokens_details")), "cached_tokens"),
        reasoning_tokens=n(as_dict(u.get("output_tokens_details")), "reasoning_tokens"),
    )


def _finish(response: dict[str, Any], state: StreamState) -> FinishReason:
    status = response.get("status")
    reason = as_dict(response.get("incomplete_details")).get("reason")
    if status == "incomplete" and reason == "max_output_tokens":
        return "length"
    if status == "incomplete" and reason == "content_filter":
        return "content_filter"
    if state.calls and not any(b.kind == "text" for b in state.blocks):
        return "tool_calls"
    return "stop" if status in (None, "completed") else "other"


def stream_event(provider: str, event: SSEEvent, state: StreamState) -> list[Delta]:
    """Apply one Responses stream event (OpenRouter also ends with ``data: [DONE]``)."""
    if event.data.strip() == "[DONE]":
        state.done = True
        return []
    data = as_dict(load_event_json(provider, event.data))
    kind = str(data.get("type", event.event))
    if kind in ("error", "response.failed"):
        payload = as_dict(data.get("response")).get("error") or data
        raise stream_error(provider, {"error": payload}, state.request_id)
    deltas: list[Delta] = []
    delta = data.get("delta")
    if kind == "response.output_text.delta" and isinstance(delta, str):
        state.text(delta)
        deltas.append(("text", delta))
    elif kind == "response.refusal.delta" and isinstance(delta, str):
        state.refuse(delta)
    elif kind in ("response.reasoning_text.delta", "response.reasoning_summary_text.delta"):
        if isinstance(delta, str):
            state.think(delta)
    elif kind == "response.output_item.added":
        item = as_dict(data.get("item"))
        if item.get("type") == "function_call":
            call = state.call(int(data.get("output_index", len(state.calls))))
            call.id = str(item.get("call_id") or item.get("id") or "")
            call.name = str(item.get("name") or "")
    elif kind == "response.function_call_arguments.delta" and isinstance(delta, str):
        index = int(data.get("output_index", 0))
        state.call(index).arguments.append(delta)
        deltas.append((index, delta))
    elif kind in ("response.created", "response.in_progress"):
        response = as_dict(data.get("response"))
        state.model = response.get("model", state.model)
        state.response_id = response.get("id", state.response_id)
    elif kind in ("response.completed", "response.incomplete"):
        response = as_dict(data.get("response"))
        state.model = response.get("model", state.model)
        state.usage = decode_usage(response.get("usage"))
        refused = any(b.kind == "refusal" for b in state.blocks)
        state.finish_with(
            str(response.get("status")), "refusal" if refused else _finish(response, state)
        )
        state.done = True
    return deltas


def new_stream(provider: str) -> SSEStream:
    """A fresh SSE decoding session."""
    return SSEStream(provider, stream_event)
