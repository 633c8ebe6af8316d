"""Anthropic Messages API wire codec (pure: no I/O).

Encoding
    ``POST {base_url}/v1/messages`` with ``x-api-key`` and ``anthropic-version``. System
    messages become the top-level ``system`` field; ``max_tokens`` is always sent. A schema goes
    one of two routes:

    * ``format``: native structured outputs, ``output_config: {"format": {"type": "json_schema",
      "schema": ...}}`` (the generally available form; the earlier beta sent ``output_format``
      with the ``structured-outputs-2025-11-13`` header, which ``.beta(...)`` can still add), on
      models that support it and schemas the ``anthropic`` dialect can express (not recursive);
    * ``tool``: a tool whose ``input_schema`` is the schema, forced with ``tool_choice`` -- or,
      with extended thinking (which rejects forced tool choice), offered with ``tool_choice:
      auto`` plus an instruction to call it; the answer is the tool call's input.

Decoding
    ``content`` blocks: ``text`` (the answer), ``tool_use`` (tool calls; the tool route's answer),
    ``thinking`` (reasoning, kept apart). ``stop_reason``: ``end_turn``/``stop_sequence`` ->
    stop, ``max_tokens`` -> length, ``tool_use`` -> tool_calls, ``refusal`` -> refusal. Errors are
    ``{"type": "error", "error": {"type", "message"}}`` with a ``request-id`` header; 529
    ``overloaded_error`` is a retried server error.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import orjson

from .._config import ClientConfig
from .._errors import APIStatusError, SchemaError
from .._jsonutil import as_dict, as_int, as_list
from .._messages import FinishReason, ToolCall, Usage
from .._wire import WireRequest, WireResponse
from ..schema import compile_schema
from ..streaming import SSEEvent
from ._base import (
    ChatRequest,
    DecodedCompletion,
    FunctionCodec,
    OutputSpec,
    error_from_body,
    parse_json_body,
    request_id_of,
)
from ._stream import Delta, StreamState, stream_error

__all__ = [
    "CODEC",
    "STRUCTURED_OUTPUTS_BETA",
    "decode",
    "encode",
    "encode_body",
    "encode_stream",
    "stream_event",
]

STRUCTURED_OUTPUTS_BETA = "structured-outputs-2025-11-13"

_STOP: dict[str, FinishReason] = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "model_context_window_exceeded": "length",
    "tool_use": "tool_calls",
    "refusal": "refusal",
}


def output_spec(config: ClientConfig, schema: Any) -> OutputSpec:
    """Native structured outputs where the model and the schema allow it, else a tool."""
    if config.model_info.structured_output == "json_schema":
        try:
            return OutputSpec(compile_schema(schema, "anthropic"), "format")
        except SchemaError:
            pass  # e.g. recursive types: the tool route takes any JSON Schema
    return OutputSpec(compile_schema(schema, "anthropic-tool"), "tool")


def _tool_instruction(name: str) -> str:
    return f"Answer by calling the {name} tool with your complete answer as its input."


def encode_body(
    config: ClientConfig, request: ChatRequest, *, stream: bool = False
) -> dict[str, Any]:
    """The JSON request body."""
    systems = [m.content for m in request.messages if m.role == "system"]
    messages: list[dict[str, Any]] = []
    for m in request.messages:
        if m.role == "system":
            continue
        messages.append({"role": m.role, "content": m.content})
    body: dict[str, Any] = {"model": config.model, "max_tokens": config.max_tokens or 4096}
    thinking = config.thinking_budget is not None
    output = request.output
    if output is not None and output.mode == "tool" and thinking:
        systems.append(_tool_instruction(output.compiled.name))
    if systems:
        body["system"] = "\n\n".join(systems)
    body["messages"] = messages
    if config.temperature is not None:
        body["temperature"] = config.temperature
    if config.top_p is not None:
        body["top_p"] = config.top_p
    if config.top_k is not None:
        body["top_k"] = config.top_k
    if thinking:
        body["thinking"] = {"type": "enabled", "budget_tokens": config.thinking_budget}
    if output is not None:
        if output.mode == "format":
            body["output_config"] = {
                "format": {"type": "json_schema", "schema": output.compiled.schema}
            }
        else:
            body["tools"] = [
                {
                    "name": output.compiled.name,
                    "description": "Record the answer in the required structure.",
                    "input_schema": output.compiled.schema,
                }
            ]
            # Forced tool choice is rejected together with extended thinking.
            body["tool_choice"] = (
                {"type": "auto"}
                if thinking
                else {
                    "type": "tool",
                    "name": output.compiled.name,
                    "disable_parallel_tool_use": True,
                }
            )
    if stream:
        body["stream"] = True
    return body


def encode(config: ClientConfig, request: ChatRequest) -> WireRequest:
    """Encode one non-streaming Messages request."""
    headers = {
        "content-type": "application/json",
        "accept": "application/json",
        "anthropic-version": config.api_version or "2023-06-01",
    }
    if config.api_key is not None:
        headers["x-api-key"] = config.api_key.get()
    if config.betas:
        headers["anthropic-beta"] = ",".join(dict.fromkeys(config.betas))
    headers.update(config.extra_headers())
    url = f"{config.base_url}/v1/messages"
    return WireRequest("POST", url, headers, orjson.dumps(encode_body(config, request)))


def decode_usage(raw: Any) -> Usage:
    """Map Anthropic's ``usage`` (cache reads count as cached input)."""
    u = as_dict(raw)

    def n(key: str) -> int:
        return as_int(u.get(key))

    cached = n("cache_read_input_tokens")
    created = n("cache_creation_input_tokens")
    return Usage(
        input_tokens=n("input_tokens") + cached + created,
        output_tokens=n("output_tokens"),
        cached_input_tokens=cached,
    )


def decode_error(provider: str, response: WireResponse) -> APIStatusError:
    """The typed error for an error response (``{"type": "error", "error": {...}}``)."""
    status = response.status if response.status >= 400 else 500
    return error_from_body(provider, response, status)


def decode(provider: str, response: WireResponse) -> DecodedCompletion:
    """Decode a Messages response; raise the typed error for error responses."""
    body = parse_json_body(response.body)
    data = as_dict(body)
    if response.status >= 400 or data.get("type") == "error":
        raise decode_error(provider, response)
    texts: list[str] = []
    thoughts: list[str] = []
    calls: list[ToolCall] = []
    for raw_block in as_list(data.get("content")):
        block = as_dict(raw_block)
        kind = block.get("type")
        if kind == "text" and isinstance(block.get("text"), str):
            texts.append(block["text"])
        elif kind == "thinking" and isinstance(block.get("thinking"), str):
            thoughts.append(block["thinking"])
        elif kind in ("tool_use", "server_tool_use"):
            calls.append(
                ToolCall(
                    id=str(block.get("id") or ""),
                    name=str(block.get("name") or ""),
                    arguments=orjson.dumps(block.get("input", {})).decode(),
                )
            )
    stop = data.get("stop_reason")
    finish = _STOP.get(str(stop), "other") if stop is not None else None
    text = "".join(texts) if texts else None
    refusal = (text or "the model refused to answer") if finish == "refusal" else None
    model = data.get("model")
    message_id = data.get("id")
    return DecodedCompletion(
        text=text,
        finish_reason=finish,
        usage=decode_usage(data.get("usage")),
        model=model if isinstance(model, str) else None,
        response_id=message_id if isinstance(message_id, str) else None,
        request_id=request_id_of(response.headers),
        refusal=refusal,
        raw_finish_reason=str(stop) if stop is not None else None,
        tool_calls=tuple(calls),
        reasoning="".join(thoughts) if thoughts else None,
        raw=body,
    )


def encode_stream(config: ClientConfig, request: ChatRequest) -> WireRequest:
    """Encode a streaming request (``stream: true``)."""
    wire = encode(config, request)
    body = orjson.dumps(encode_body(config, request, stream=True))
    headers = {**wire.headers, "accept": "text/event-stream"}
    return WireRequest("POST", wire.url, headers, body)


def stream_event(provider: str, event: SSEEvent, state: StreamState) -> list[Delta]:
    """Apply one Messages stream event (``message_start``, ``content_block_*``,
    ``message_delta``, ``ping``, ``error``)."""
    data = as_dict(orjson.loads(event.data))
    kind = data.get("type", event.event)
    if kind == "error" or event.event == "error":
        raise stream_error(provider, data, state.request_id)
    deltas: list[Delta] = []
    if kind == "message_start":
        message = as_dict(data.get("message"))
        state.model = message.get("model", state.model)
        state.response_id = message.get("id", state.response_id)
        state.usage = decode_usage(message.get("usage"))
    elif kind == "content_block_start":
        index = int(data.get("index", 0))
        block = as_dict(data.get("content_block"))
        if block.get("type") in ("tool_use", "server_tool_use"):
            call = state.call(index)
            call.id, call.name = str(block.get("id") or ""), str(block.get("name") or "")
        elif block.get("type") == "text" and block.get("text"):
            state.texts.append(str(block["text"]))
            deltas.append(("text", str(block["text"])))
    elif kind == "content_block_delta":
        index = int(data.get("index", 0))
        delta = as_dict(data.get("delta"))
        dtype = delta.get("type")
        if dtype == "text_delta" and isinstance(delta.get("text"), str):
            state.texts.append(delta["text"])
            deltas.append(("text", delta["text"]))
        elif dtype == "input_json_delta" and isinstance(delta.get("partial_json"), str):
            if delta["partial_json"]:
                state.call(index).arguments.append(delta["partial_json"])
                deltas.append((index, delta["partial_json"]))
        elif dtype == "thinking_delta" and isinstance(delta.get("thinking"), str):
            state.reasoning.append(delta["thinking"])
    elif kind == "message_delta":
        delta = as_dict(data.get("delta"))
        stop = delta.get("stop_reason")
        if stop is not None:
            state.finish_raw = str(stop)
            state.finish = _STOP.get(str(stop), "other")
            if state.finish == "refusal":
                state.refusal.append("".join(state.texts) or "the model refused to answer")
        usage = as_dict(data.get("usage"))
        if isinstance(usage.get("output_tokens"), int):
            state.usage = replace(state.usage, output_tokens=usage["output_tokens"])
    return deltas


CODEC = FunctionCodec(output_spec, encode, decode, decode_error, encode_stream, stream_event)
