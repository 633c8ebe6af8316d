"""Google Gemini ``generateContent`` wire codec (pure: no I/O); Gemini API and Vertex AI.

Encoding
    ``POST {base_url}/models/{model}:generateContent`` with ``x-goog-api-key`` (Gemini API) or a
    bearer token (Vertex AI). Messages become ``contents`` (``assistant`` -> role ``model``),
    system messages ``systemInstruction``. ``generationConfig`` carries ``temperature``,
    ``topP``, ``maxOutputTokens``, ``candidateCount: 1``, ``thinkingConfig`` and, for a schema,
    ``responseMimeType: application/json`` with ``responseJsonSchema`` (2.0+ models) or the
    OpenAPI-subset ``responseSchema`` (older models).

Decoding
    ``candidates[0].content.parts``: text parts are the answer, ``thought: true`` parts the
    reasoning, ``functionCall`` parts tool calls. ``finishReason``: ``STOP`` -> stop,
    ``MAX_TOKENS`` -> length; ``SAFETY``, ``RECITATION``, ``PROHIBITED_CONTENT``, ``BLOCKLIST``,
    ``SPII``, ``IMAGE_SAFETY`` and ``MODEL_ARMOR`` -> a refusal naming the reason; a prompt
    blocked by ``promptFeedback.blockReason`` is a refusal too. ``usageMetadata`` -> usage
    (thought tokens are output tokens, also reported as reasoning tokens).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import orjson

from .._config import ClientConfig
from .._errors import APIStatusError
from .._jsonutil import as_dict, as_int, as_list
from .._messages import FinishReason, Usage
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

__all__ = ["CODEC", "decode", "encode", "encode_body", "encode_stream", "stream_event"]

_BLOCKED = frozenset(
    {
        "SAFETY",
        "RECITATION",
        "PROHIBITED_CONTENT",
        "BLOCKLIST",
        "SPII",
        "IMAGE_SAFETY",
        "IMAGE_PROHIBITED_CONTENT",
        "MODEL_ARMOR",
        "LANGUAGE",
    }
)
_FINISH: dict[str, FinishReason] = {
    "STOP": "stop",
    "MAX_TOKENS": "length",
    "MALFORMED_FUNCTION_CALL": "other",
    "UNEXPECTED_TOOL_CALL": "other",
    "OTHER": "other",
}


def output_spec(config: ClientConfig, schema: Any) -> OutputSpec:
    """``responseJsonSchema`` where the model supports it, else the OpenAPI ``responseSchema``."""
    if config.model_info.structured_output == "openapi":
        return OutputSpec(compile_schema(schema, "gemini-openapi"), "response_schema")
    return OutputSpec(compile_schema(schema, "gemini-json-schema"), "response_json_schema")


def encode_body(config: ClientConfig, request: ChatRequest) -> dict[str, Any]:
    """The JSON request body."""
    systems = [m.content for m in request.messages if m.role == "system"]
    contents: list[dict[str, Any]] = [
        {"role": "model" if m.role == "assistant" else "user", "parts": [{"text": m.content}]}
        for m in request.messages
        if m.role != "system"
    ]
    body: dict[str, Any] = {"contents": contents}
    if systems:
        body["systemInstruction"] = {"parts": [{"text": "\n\n".join(systems)}]}
    generation: dict[str, Any] = {"candidateCount": 1}
    if config.temperature is not None:
        generation["temperature"] = config.temperature
    if config.top_p is not None:
        generation["topP"] = config.top_p
    if config.max_tokens is not None:
        generation["maxOutputTokens"] = config.max_tokens
    if config.seed is not None:
        generation["seed"] = config.seed
    if config.thinking_budget is not None:
        generation["thinkingConfig"] = {
            "thinkingBudget": config.thinking_budget,
            "includeThoughts": config.thinking_budget != 0,
        }
    output = request.output
    if output is not None:
        generation["responseMimeType"] = "application/json"
        key = "responseSchema" if output.mode == "response_schema" else "responseJsonSchema"
        generation[key] = output.compiled.schema
    body["generationConfig"] = generation
    return body


def encode(config: ClientConfig, request: ChatRequest) -> WireRequest:
    """Encode one non-streaming ``generateContent`` request."""
    headers = {"content-type": "application/json", "accept": "application/json"}
    if config.api_key is not None:
        if config.auth == "vertex":
            headers["authorization"] = f"Bearer {config.api_key.get()}"
        else:
            headers["x-goog-api-key"] = config.api_key.get()
    headers.update(config.extra_headers())
    url = f"{config.base_url}/models/{config.model}:generateContent"
    return WireRequest("POST", url, headers, orjson.dumps(encode_body(config, request)))


def decode_usage(raw: Any) -> Usage:
    """Map ``usageMetadata``."""
    u = as_dict(raw)

    def n(key: str) -> int:
        return as_int(u.get(key))

    thoughts = n("thoughtsTokenCount")
    return Usage(
        input_tokens=n("promptTokenCount"),
        output_tokens=n("candidatesTokenCount") + thoughts,
        cached_input_tokens=n("cachedContentTokenCount"),
        reasoning_tokens=thoughts,
    )


def decode_error(provider: str, response: WireResponse) -> APIStatusError:
    """The typed error for ``{"error": {"code", "message", "status"}}`` bodies."""
    status = response.status if response.status >= 400 else 500
    return error_from_body(provider, response, status)


def decode(provider: str, response: WireResponse) -> DecodedCompletion:
    """Decode a ``generateContent`` response; raise the typed error for error responses."""
    body = parse_json_body(response.body)
    # A non-streaming call answered with a JSON array (streamGenerateContent without alt=sse)
    # is decoded chunk by chunk and joined.
    chunks = [as_dict(c) for c in as_list(body)] if isinstance(body, list) else [as_dict(body)]
    if response.status >= 400 or any("error" in c for c in chunks):
        raise decode_error(provider, response)
    # One decoder for both: a complete response is a stream of one chunk (or of the array's).
    state = StreamState(request_id=request_id_of(response.headers))
    for chunk in chunks:
        stream_event(provider, SSEEvent(orjson.dumps(chunk).decode()), state)
    return replace(state.decoded(), raw=body)


def encode_stream(config: ClientConfig, request: ChatRequest) -> WireRequest:
    """Encode a streaming request (``:streamGenerateContent?alt=sse``)."""
    wire = encode(config, request)
    url = wire.url.replace(":generateContent", ":streamGenerateContent?alt=sse")
    return WireRequest("POST", url, {**wire.headers, "accept": "text/event-stream"}, wire.body)


def stream_event(provider: str, event: SSEEvent, state: StreamState) -> list[Delta]:
    """Apply one streamed ``GenerateContentResponse`` chunk."""
    chunk = as_dict(orjson.loads(event.data))
    if "error" in chunk:
        raise stream_error(provider, chunk, state.request_id)
    deltas: list[Delta] = []
    candidates = as_list(chunk.get("candidates"))
    candidate = as_dict(candidates[0]) if candidates else {}
    for raw_part in as_list(as_dict(candidate.get("content")).get("parts")):
        part = as_dict(raw_part)
        if isinstance(part.get("text"), str):
            if part.get("thought"):
                state.reasoning.append(part["text"])
            elif part["text"]:
                state.texts.append(part["text"])
                deltas.append(("text", part["text"]))
        elif "functionCall" in part:
            call = as_dict(part["functionCall"])
            target = state.call(len(state.calls))
            target.id, target.name = str(call.get("id") or ""), str(call.get("name") or "")
            target.arguments.append(orjson.dumps(call.get("args", {})).decode())
    reason = candidate.get("finishReason")
    if isinstance(reason, str):
        state.finish_raw = reason
        state.finish = "refusal" if reason in _BLOCKED else _FINISH.get(reason, "other")
        if reason in _BLOCKED:
            state.refusal.append(f"the response was blocked (finishReason {reason})")
    block = as_dict(chunk.get("promptFeedback")).get("blockReason")
    if isinstance(block, str) and not state.texts:
        state.finish_raw, state.finish = block, "refusal"
        state.refusal.append(f"the prompt was blocked (blockReason {block})")
    if chunk.get("usageMetadata"):
        state.usage = decode_usage(chunk["usageMetadata"])
    state.model = chunk.get("modelVersion", state.model)
    state.response_id = chunk.get("responseId", state.response_id)
    return deltas


CODEC = FunctionCodec(output_spec, encode, decode, decode_error, encode_stream, stream_event)
