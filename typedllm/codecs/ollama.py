"""Ollama native ``/api/chat`` wire: the NDJSON streaming decoder (pure).

Each line is a JSON object: ``message.content`` is answer text (an in-band ``<think>...</think>``
prefix is reasoning, as is ``message.thinking``), ``message.tool_calls`` are complete calls
(arguments as an object), and the last line has ``done: true`` with ``done_reason`` (``stop``,
``length`` -> truncation) and the counts ``prompt_eval_count`` / ``eval_count``. An ``error``
line raises the typed error.

Request encoding and the non-streaming decoder arrive with the Ollama client.
"""

from __future__ import annotations

from typing import Any

import orjson

from .._completion import FinishReason, Usage
from .._jsonutil import as_dict, as_list
from ._base import Delta
from ._stream import NDJSONStream, StreamState, stream_error
from ._think import StreamThinkSplitter

__all__ = ["StreamThinkSplitter", "new_stream", "stream_line"]

_DONE: dict[str, FinishReason] = {"stop": "stop", "length": "length", "load": "other"}


def stream_line(
    provider: str, line: Any, state: StreamState, splitter: StreamThinkSplitter
) -> list[Delta]:
    """Apply one NDJSON line."""
    data = as_dict(line)
    if "error" in data:
        raise stream_error(provider, {"error": {"message": str(data["error"])}}, state.request_id)
    deltas: list[Delta] = []
    model = data.get("model")
    state.model = model if isinstance(model, str) else state.model
    message = as_dict(data.get("message"))
    if isinstance(message.get("thinking"), str) and message["thinking"]:
        state.think(message["thinking"])
    content = message.get("content")
    if isinstance(content, str) and content:
        answer, thought = splitter.feed(content)
        if thought:
            state.think(thought)
        if answer:
            state.text(answer)
            deltas.append(("text", answer))
    for raw_call in as_list(message.get("tool_calls")):
        fn = as_dict(as_dict(raw_call).get("function"))
        call = state.call(len(state.calls))
        call.id = str(as_dict(raw_call).get("id") or "")
        call.name = str(fn.get("name") or "")
        call.arguments.append(orjson.dumps(fn.get("arguments", {})).decode())
    if data.get("done"):
        tail, leftover = splitter.flush()
        if leftover:
            state.think(leftover)
        if tail:
            state.text(tail)
            deltas.append(("text", tail))
        reason = str(data.get("done_reason") or "stop")
        state.finish_with(
            reason,
            "tool_calls" if state.calls and reason == "stop" else _DONE.get(reason, "other"),
        )
        prompt = data.get("prompt_eval_count")
        output = data.get("eval_count")
        state.usage = Usage(
            input_tokens=prompt if isinstance(prompt, int) else 0,
            output_tokens=output if isinstance(output, int) else 0,
        )
        state.done = True
    return deltas


def new_stream(provider: str) -> NDJSONStream:
    """A fresh NDJSON decoding session (with its own ``<think>`` splitter)."""
    splitter = StreamThinkSplitter()

    def apply(provider: str, line: Any, state: StreamState) -> list[Delta]:
        return stream_line(provider, line, state, splitter)

    return NDJSONStream(provider, apply)
