"""OpenAI Chat Completions wire codec (pure: no I/O).

Encoding
    ``POST {base_url}/chat/completions`` with ``Authorization: Bearer <key>`` (when a key is set).
    System messages become ``developer`` messages for OpenAI reasoning models (the role those
    models document). A schema is requested per :data:`~typedllm._config.StructuredOutputMode`:
    ``strict`` and ``json_schema`` send ``response_format: {"type": "json_schema", ...}`` with
    ``strict`` true/false; ``json_object`` sends JSON mode plus the schema in the instructions;
    ``prompt`` sends only the instructions.

Decoding
    ``choices[0].message``: ``content`` (a string, or a list of text parts on some hosts),
    ``refusal``, ``tool_calls``, and reasoning text from ``reasoning_content`` (DeepSeek,
    llama.cpp), ``reasoning`` (OpenRouter, Groq, Ollama) or a leading ``<think>`` block.
    ``usage`` maps ``prompt_tokens``/``completion_tokens`` and the cached/reasoning details.
    A body with ``error`` and no ``choices`` is an error even under HTTP 200 (OpenRouter).
"""

from __future__ import annotations

import re
from typing import Any, cast

import orjson

from .._config import ClientConfig
from .._errors import APIStatusError
from .._jsonutil import as_int
from .._messages import FinishReason, Message, ToolCall, Usage
from .._wire import WireRequest, WireResponse
from ..schema import CompiledSchema, Dialect, compile_schema
from ..streaming import SSEEvent
from ._base import (
    ChatRequest,
    DecodedCompletion,
    FunctionCodec,
    OutputSpec,
    as_dict,
    as_list,
    error_from_body,
    parse_json_body,
    request_id_of,
)
from ._stream import Delta, StreamState, stream_error

__all__ = [
    "CODEC",
    "decode",
    "decode_error",
    "encode",
    "encode_body",
    "encode_stream",
    "is_error_body",
    "schema_instructions",
    "split_think",
    "stream_event",
]

_FINISH: dict[str, FinishReason] = {
    "stop": "stop",
    "eos": "stop",
    "end_turn": "stop",
    "stop_sequence": "stop",
    "length": "length",
    "max_tokens": "length",
    "model_length": "length",
    "tool_calls": "tool_calls",
    "function_call": "tool_calls",
    "content_filter": "content_filter",
    "refusal": "refusal",
}

_THINK = re.compile(r"^\s*<think>(.*?)</think>\s*", re.DOTALL)


def schema_instructions(compiled: CompiledSchema) -> str:
    """Instructions that carry the schema in the prompt (JSON mode and prompt-only hosts)."""
    schema = orjson.dumps(compiled.schema).decode()
    return (
        "Respond with a single JSON object that conforms to this JSON Schema, "
        "and nothing else (no prose, no markdown):\n" + schema
    )


def _role(config: ClientConfig, message: Message) -> str:
    if message.role == "system" and config.provider == "openai" and config.model_info.reasoning:
        return "developer"
    return message.role


def encode_body(
    config: ClientConfig, request: ChatRequest, *, stream: bool = False
) -> dict[str, Any]:
    """The JSON request body as a dict (exposed for tests and for streaming)."""
    messages = list(request.messages)
    output = request.output
    if output is not None and output.mode in ("json_object", "prompt"):
        # JSON mode requires the word "JSON" in the prompt; the schema instructions carry it.
        instructions = schema_instructions(output.compiled)
        if messages and messages[0].role == "system":
            messages[0] = Message("system", messages[0].content + "\n\n" + instructions)
        else:
            messages.insert(0, Message("system", instructions))
    wire_messages: list[dict[str, Any]] = []
    for m in messages:
        entry: dict[str, Any] = {"role": _role(config, m), "content": m.content}
        if m.tool_calls:
            entry["tool_calls"] = [
                {
                    "id": tc.id,
                    "type": "function",
                    "function": {"name": tc.name, "arguments": tc.arguments},
                }
                for tc in m.tool_calls
            ]
        wire_messages.append(entry)
    body: dict[str, Any] = {"model": config.model, "messages": wire_messages}
    if config.temperature is not None:
        body["temperature"] = config.temperature
    if config.top_p is not None:
        body["top_p"] = config.top_p
    if config.seed is not None:
        body["seed"] = config.seed
    if config.reasoning_effort is not None:
        body["reasoning_effort"] = config.reasoning_effort
    if config.max_tokens is not None:
        body[config.max_tokens_field] = config.max_tokens
    if output is not None:
        if output.mode in ("strict", "json_schema"):
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": output.compiled.name,
                    "schema": output.compiled.schema,
                    "strict": output.mode == "strict",
                },
            }
        elif output.mode == "json_object":
            body["response_format"] = {"type": "json_object"}
    if stream:
        body["stream"] = True
        body["stream_options"] = {"include_usage": True}
    return body


def encode(config: ClientConfig, request: ChatRequest) -> WireRequest:
    """Encode one non-streaming Chat Completions request."""
    headers = {"content-type": "application/json", "accept": "application/json"}
    if config.api_key is not None:
        headers["authorization"] = f"Bearer {config.api_key.get()}"
    headers.update(config.extra_headers())
    return WireRequest(
        "POST",
        f"{config.base_url}/chat/completions",
        headers,
        orjson.dumps(encode_body(config, request)),
    )


def _text_of(content: Any) -> tuple[str | None, str | None]:
    """(answer text, reasoning text) of a message ``content`` (string or list of parts)."""
    if content is None or isinstance(content, str):
        return content, None
    if isinstance(content, list):
        texts: list[str] = []
        thoughts: list[str] = []
        for part in as_list(content):
            if isinstance(part, str):
                texts.append(part)
            elif isinstance(part, dict):
                p = cast(dict[str, Any], part)
                kind = p.get("type")
                if kind == "text" and isinstance(p.get("text"), str):
                    texts.append(p["text"])
                elif kind == "thinking":
                    inner = p.get("thinking")
                    if isinstance(inner, str):
                        thoughts.append(inner)
                    elif isinstance(inner, list):
                        thoughts.extend(
                            str(cast(dict[str, Any], t).get("text", ""))
                            for t in as_list(inner)
                            if isinstance(t, dict)
                        )
        return ("".join(texts) if texts else None), ("".join(thoughts) if thoughts else None)
    return None, None


def split_think(text: str) -> tuple[str, str | None]:
    """Split a leading in-band ``<think>...</think>`` block (DeepSeek-R1, Qwen3 on many hosts)
    from the answer: ``(answer, reasoning)``. An unterminated block (the answer was cut off
    while thinking) is all reasoning."""
    match = _THINK.match(text)
    if match:
        return text[match.end() :], match.group(1).strip()
    stripped = text.lstrip()
    if stripped.startswith("<think>") and "</think>" not in stripped:
        return "", stripped.removeprefix("<think>").strip()
    return text, None


def decode_usage(raw: Any) -> Usage:
    """Map an OpenAI-style ``usage`` object (missing counts are 0)."""
    if not isinstance(raw, dict):
        return Usage()
    u = cast(dict[str, Any], raw)
    prompt_details = u.get("prompt_tokens_details")
    completion_details = u.get("completion_tokens_details")
    cached = 0
    if isinstance(prompt_details, dict):
        cached = as_int(cast(dict[str, Any], prompt_details).get("cached_tokens"))
    cached = cached or as_int(u.get("prompt_cache_hit_tokens")) or as_int(u.get("cached_tokens"))
    reasoning = 0
    if isinstance(completion_details, dict):
        reasoning = as_int(cast(dict[str, Any], completion_details).get("reasoning_tokens"))
    return Usage(
        input_tokens=as_int(u.get("prompt_tokens")),
        output_tokens=as_int(u.get("completion_tokens")),
        cached_input_tokens=cached,
        reasoning_tokens=reasoning,
    )


def finish_reason_of(raw: Any) -> FinishReason | None:
    """Normalise a finish reason string (``None`` stays ``None``)."""
    if raw is None:
        return None
    return _FINISH.get(str(raw), "other")


def decode_error(provider: str, response: WireResponse) -> APIStatusError:
    """The typed error for a non-2xx response (or a 200 response carrying only an error)."""
    status = response.status
    if status < 400:
        body = parse_json_body(response.body)
        err = cast(dict[str, Any], body).get("error") if isinstance(body, dict) else None
        code = cast(dict[str, Any], err).get("code") if isinstance(err, dict) else None
        status = code if isinstance(code, int) and code >= 400 else 500
    return error_from_body(provider, response, status)


def is_error_body(body: Any) -> bool:
    """Whether a 2xx body is an error in disguise (``error`` and no ``choices``)."""
    return isinstance(body, dict) and "error" in body and "choices" not in body


def decode(provider: str, response: WireResponse) -> DecodedCompletion:
    """Decode a Chat Completions response; raise the typed error for error responses."""
    if response.status >= 400:
        raise decode_error(provider, response)
    body = parse_json_body(response.body)
    if is_error_body(body) or not isinstance(body, dict):
        raise decode_error(provider, response)
    data = cast(dict[str, Any], body)
    choices = data.get("choices")
    choice: dict[str, Any] = {}
    if isinstance(choices, list) and choices:
        first = as_list(choices)[0]
        if isinstance(first, dict):
            choice = cast(dict[str, Any], first)
    message_raw = choice.get("message")
    message: dict[str, Any] = (
        cast(dict[str, Any], message_raw) if isinstance(message_raw, dict) else {}
    )
    text, reasoning = _text_of(message.get("content"))
    for key in ("reasoning_content", "reasoning"):
        value = message.get(key)
        if isinstance(value, str) and value and reasoning is None:
            reasoning = value
    if text is not None:
        text, in_band = split_think(text)
        reasoning = reasoning or in_band
    refusal = message.get("refusal")
    tool_calls: list[ToolCall] = []
    raw_calls = message.get("tool_calls")
    if isinstance(raw_calls, list):
        for raw_call in as_list(raw_calls):
            if not isinstance(raw_call, dict):
                continue
            call = cast(dict[str, Any], raw_call)
            fn = call.get("function")
            fn_d: dict[str, Any] = cast(dict[str, Any], fn) if isinstance(fn, dict) else {}
            args = fn_d.get("arguments", "")
            tool_calls.append(
                ToolCall(
                    id=str(call.get("id") or ""),
                    name=str(fn_d.get("name") or ""),
                    arguments=args if isinstance(args, str) else orjson.dumps(args).decode(),
                )
            )
    raw_finish = choice.get("finish_reason")
    model = data.get("model")
    response_id = data.get("id")
    return DecodedCompletion(
        text=text,
        finish_reason=finish_reason_of(raw_finish),
        usage=decode_usage(data.get("usage")),
        model=model if isinstance(model, str) else None,
        response_id=response_id if isinstance(response_id, str) else None,
        request_id=request_id_of(response.headers),
        refusal=refusal if isinstance(refusal, str) and refusal else None,
        raw_finish_reason=str(raw_finish) if raw_finish is not None else None,
        tool_calls=tuple(tool_calls),
        reasoning=reasoning,
        raw=body,
    )


def output_spec(config: ClientConfig, schema: Any) -> OutputSpec:
    """Compile ``schema`` for the client's structured-output mode."""
    mode = config.structured_output
    dialect: Dialect = (
        "openai-strict"
        if mode == "strict"
        else "openai-json-schema"
        if mode == "json_schema"
        else "prompt"
    )
    return OutputSpec(compile_schema(schema, dialect), mode)


def encode_stream(config: ClientConfig, request: ChatRequest) -> WireRequest:
    """Encode a streaming request (``stream: true`` with usage in the final chunk)."""
    headers = {"content-type": "application/json", "accept": "text/event-stream"}
    if config.api_key is not None:
        headers["authorization"] = f"Bearer {config.api_key.get()}"
    headers.update(config.extra_headers())
    body = orjson.dumps(encode_body(config, request, stream=True))
    return WireRequest("POST", f"{config.base_url}/chat/completions", headers, body)


def stream_event(provider: str, event: SSEEvent, state: StreamState) -> list[Delta]:
    """Apply one ``chat.completion.chunk`` event; errors sent in the stream raise."""
    if event.data.strip() == "[DONE]":
        return []
    chunk = as_dict(orjson.loads(event.data))
    if "error" in chunk or event.event == "error":
        raise stream_error(provider, chunk, state.request_id)
    state.model = chunk.get("model", state.model)
    state.response_id = chunk.get("id", state.response_id)
    if chunk.get("usage"):
        state.usage = decode_usage(chunk["usage"])
    deltas: list[Delta] = []
    for raw_choice in as_list(chunk.get("choices"))[:1]:
        choice = as_dict(raw_choice)
        delta = as_dict(choice.get("delta"))
        content, thinking = _text_of(delta.get("content"))  # str, or parts (Mistral)
        if content:
            state.texts.append(content)
            deltas.append(("text", content))
        if thinking:
            state.reasoning.append(thinking)
        if isinstance(delta.get("refusal"), str):
            state.refusal.append(delta["refusal"])
        for key in ("reasoning_content", "reasoning"):
            if isinstance(delta.get(key), str):
                state.reasoning.append(delta[key])
                break
        for raw_call in as_list(delta.get("tool_calls")):
            call = as_dict(raw_call)
            index = call.get("index", 0)
            index = index if isinstance(index, int) else 0
            target = state.call(index)
            target.id = target.id or str(call.get("id") or "")
            fn = as_dict(call.get("function"))
            target.name = target.name or str(fn.get("name") or "")
            args = fn.get("arguments")
            if isinstance(args, str) and args:
                target.arguments.append(args)
                deltas.append((index, args))
        if choice.get("finish_reason") is not None:
            state.finish_raw = str(choice["finish_reason"])
            state.finish = finish_reason_of(choice["finish_reason"])
    return deltas


CODEC = FunctionCodec(output_spec, encode, decode, decode_error, encode_stream, stream_event)
