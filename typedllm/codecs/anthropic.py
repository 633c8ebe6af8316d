"""Anthropic Messages API wire codec (pure: no I/O).

Encoding
    ``POST /v1/messages`` with ``anthropic-version`` (and ``anthropic-beta`` when betas are
    set); the key header is the auth step's. System messages become the top-level ``system``
    field: a string for one, a list of text blocks for several (they are never joined) or when a
    cache point marks one. ``max_tokens`` is always sent. Content maps to blocks:

    * ``text``; ``image`` and ``document`` with a ``base64``, ``url`` or (plain text documents)
      ``text`` source; a :class:`~typedllm.CachePoint` puts ``cache_control`` on the block
      before it;
    * assistant messages: their blocks in order: ``thinking`` (with its ``signature``) and
      ``redacted_thinking`` blocks from Anthropic answers and server-tool blocks are sent back
      unchanged, ``text`` (never whitespace-only: the API rejects it) and ``tool_use``;
    * tool results are ``tool_result`` blocks (``is_error`` when the tool failed) in the next
      user message; consecutive results share one user message;
    * tools are ``{"name", "description", "input_schema"}`` through the ``anthropic-tool``
      dialect; ``tool_choice`` maps to ``auto``/``any``/``none``/``tool``; server tools
      (``tl.WebSearch()`` ...) follow them in their versioned shape, with the betas they need
      added to the client's (:mod:`typedllm.codecs._native`).

    A schema goes one of two routes:

    * ``format``: native structured outputs, ``output_config: {"format": {"type": "json_schema",
      "schema": ...}}`` (the generally available form; the earlier beta sent ``output_format``
      with the ``structured-outputs-2025-11-13`` header, which ``.beta(...)`` can still add), on
      models that support it and schemas the ``anthropic`` dialect can express (not recursive);
    * ``tool``: a tool whose ``input_schema`` is the schema, forced with ``tool_choice`` -- or,
      with extended thinking (which rejects forced tool choice), offered with ``tool_choice:
      auto`` plus an instruction to call it; the answer is the tool call's input.

Decoding
    ``content`` blocks: ``text`` (the answer, with its ``citations``), ``tool_use`` (tool calls;
    the tool route's answer), ``thinking`` and ``redacted_thinking`` (reasoning, kept apart with
    their signatures); ``server_tool_use`` (a tool Anthropic runs itself), its result blocks and
    any other block type are kept as :class:`~typedllm.OpaquePart`\\ s, to be sent back.
    ``stop_reason``: ``end_turn``/``stop_sequence`` -> stop, ``max_tokens`` -> length,
    ``tool_use`` -> tool_calls, ``refusal`` -> refusal. Usage keeps cache reads and cache
    writes apart. Errors are ``{"type": "error", "error": {"type", "message"}}`` with a
    ``request-id`` header; 529 ``overloaded_error`` is a retried server error.
    ``message_stop`` ends a stream.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

import orjson

from .._completion import FinishReason, Usage
from .._config import AnthropicOptions, ClientConfig
from .._errors import APIStatusError, SchemaError
from .._jsonutil import as_dict, as_int, as_list
from .._messages import (
    AudioPart,
    CachePoint,
    Citation,
    DocumentPart,
    ImagePart,
    Message,
    OpaquePart,
    Part,
    ReasoningPart,
    TextPart,
    ToolCall,
)
from .._options import ToolDefinition
from .._wire import EncodedRequest, WireResponse
from ..schema import compile_schema
from ..streaming import SSEEvent
from ._anthropic_cache import apply_prompt_cache, check_breakpoints
from ._base import (
    ChatRequest,
    DecodedCompletion,
    Delta,
    FunctionCodec,
    OutputSpec,
    answer_body,
    error_from_body,
    json_type,
    request_id_of,
    shape_error,
)
from ._native import anthropic_betas, anthropic_tools
from ._parts import b64, call_arguments, json_headers, put_options, tool_schema, unsupported
from ._stream import SSEStream, StreamState, load_event_json, stream_error

__all__ = [
    "CODEC",
    "STRUCTURED_OUTPUTS_BETA",
    "decode",
    "decode_error",
    "decode_usage",
    "encode",
    "encode_body",
    "new_stream",
    "output_spec",
    "stream_event",
]

WIRE = "Anthropic Messages"
STRUCTURED_OUTPUTS_BETA = "structured-outputs-2025-11-13"
DEFAULT_MAX_TOKENS = 4096

_STOP: dict[str, FinishReason] = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "pause_turn": "other",
    "max_tokens": "length",
    "model_context_window_exceeded": "length",
    "tool_use": "tool_calls",
    "refusal": "refusal",
}


_OPTION_FIELDS = {
    "temperature": "temperature",
    "top_p": "top_p",
    "top_k": "top_k",
    "stop": "stop_sequences",
}


def _options(config: ClientConfig) -> AnthropicOptions:
    return config.options_of(AnthropicOptions)


def output_spec(config: ClientConfig, schema: Any) -> OutputSpec:
    """Native structured outputs where the model and the schema allow it, else a tool."""
    if config.model_info.structured_output == "json_schema":
        try:
            return OutputSpec(
                compile_schema(schema, "anthropic", decimal=config.decimal_mode), "format"
            )
        except SchemaError:
            pass  # e.g. recursive types: the tool route takes any JSON Schema
    return OutputSpec(compile_schema(schema, "anthropic-tool", decimal=config.decimal_mode), "tool")


def _tool_instruction(name: str) -> str:
    return f"Answer by calling the {name} tool with your complete answer as its input."


# -- encoding ---------------------------------------------------------------------------------


def _source(part: ImagePart | DocumentPart) -> dict[str, Any]:
    if part.file_id is not None:
        # A Files API upload (https://platform.claude.com/docs/en/build-with-claude/files).
        return {"type": "file", "file_id": part.file_id}
    if part.url is not None:
        return {"type": "url", "url": part.url}
    assert part.data is not None
    if isinstance(part, DocumentPart) and (part.media_type or "").startswith("text/"):
        text = part.data.decode("utf-8", errors="replace")
        return {"type": "text", "media_type": "text/plain", "data": text}
    return {"type": "base64", "media_type": part.media_type, "data": b64(part.data)}


def _block(part: Part) -> dict[str, Any]:
    if isinstance(part, TextPart):
        return {"type": "text", "text": part.text}
    if isinstance(part, ImagePart):
        return {"type": "image", "source": _source(part)}
    if isinstance(part, DocumentPart):
        block: dict[str, Any] = {"type": "document", "source": _source(part)}
        if part.title:
            block["title"] = part.title
        return block
    if isinstance(part, AudioPart):
        raise unsupported(WIRE, part, "(Claude does not take audio input)")
    raise unsupported(WIRE, part, "in a prompt")


def _blocks(parts: tuple[Part, ...]) -> list[dict[str, Any]]:
    """Content blocks; a cache point marks the block before it."""
    blocks: list[dict[str, Any]] = []
    for part in parts:
        if isinstance(part, CachePoint):
            if blocks:
                control: dict[str, Any] = {"type": "ephemeral"}
                if part.ttl is not None:
                    control["ttl"] = part.ttl
                blocks[-1]["cache_control"] = control
            continue
        if isinstance(part, TextPart) and not part.text:
            continue  # the API rejects empty text blocks
        blocks.append(_block(part))
    return blocks


def _content(parts: tuple[Part, ...]) -> str | list[dict[str, Any]]:
    """A string for plain text, else blocks."""
    if all(isinstance(p, TextPart) for p in parts) and len(parts) <= 1:
        return parts[0].text if parts else ""  # type: ignore[union-attr]
    return _blocks(parts)


def _assistant(message: Message) -> str | list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    for part in message.parts:
        if isinstance(part, OpaquePart):
            if part.provider == "anthropic":
                blocks.append(dict(part.data))  # server tool calls and results, as received
        elif isinstance(part, ReasoningPart):
            if part.provider != "anthropic":
                continue  # other providers' reasoning cannot be verified by Anthropic
            if part.redacted is not None:
                blocks.append({"type": "redacted_thinking", "data": part.redacted})
            elif part.signature is not None:
                blocks.append(
                    {"type": "thinking", "thinking": part.text, "signature": part.signature}
                )
        elif isinstance(part, ToolCall):
            blocks.append(
                {
                    "type": "tool_use",
                    "id": part.id,
                    "name": part.name,
                    "input": call_arguments(part),
                }
            )
        elif isinstance(part, TextPart) and part.text.strip():
            # The API rejects text blocks of only whitespace ("text content blocks must
            # contain non-whitespace text").
            blocks.append({"type": "text", "text": part.text})
    if not blocks:
        return message.content
    if len(blocks) == 1 and blocks[0]["type"] == "text":
        text: str = blocks[0]["text"]
        return text
    return blocks


def _tool_result(message: Message) -> dict[str, Any]:
    parts = message.parts
    content: str | list[dict[str, Any]]
    content = message.content if all(isinstance(p, TextPart) for p in parts) else _blocks(parts)
    block: dict[str, Any] = {
        "type": "tool_result",
        "tool_use_id": message.tool_call_id,
        "content": content,
    }
    if message.is_error:
        block["is_error"] = True
    return block


def _as_blocks(content: str | list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"type": "text", "text": content}] if isinstance(content, str) else content


def _messages(request: ChatRequest) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    after_results = False  # the last wire message is a user message of tool results
    for message in request.messages:
        if message.role == "system":
            continue
        if message.role == "tool":
            if after_results:
                out[-1]["content"].append(_tool_result(message))
            else:
                out.append({"role": "user", "content": [_tool_result(message)]})
                after_results = True
            continue
        if message.role == "user" and after_results:
            # Text after tool results belongs in the same user turn, after the results.
            out[-1]["content"] += _as_blocks(_content(message.parts))
            continue
        after_results = False
        if message.role == "assistant":
            out.append({"role": "assistant", "content": _assistant(message)})
        else:
            out.append({"role": "user", "content": _content(message.parts)})
    return out


def _system(request: ChatRequest, extra: str | None) -> str | list[dict[str, Any]] | None:
    systems = [m for m in request.messages if m.role == "system"]
    cached = any(isinstance(p, CachePoint) for m in systems for p in m.parts)
    if len(systems) == 1 and not cached and extra is None:
        return systems[0].content
    if not systems and extra is None:
        return None
    blocks: list[dict[str, Any]] = [b for m in systems for b in _blocks(m.parts)]
    if extra is not None:
        if not blocks:
            return extra
        blocks.append({"type": "text", "text": extra})
    return blocks


def _tool(t: ToolDefinition) -> dict[str, Any]:
    """A user tool, with its prompt-cache breakpoint when it asks for one
    (https://platform.claude.com/docs/en/build-with-claude/prompt-caching: tools are the first
    part of the cached prefix)."""
    entry: dict[str, Any] = {
        "name": t.name,
        "description": t.description,
        "input_schema": tool_schema(t, "anthropic-tool"),
    }
    if t.cache:
        control: dict[str, Any] = {"type": "ephemeral"}
        if isinstance(t.cache, str):
            control["ttl"] = t.cache
        entry["cache_control"] = control
    return entry


def _tool_choice(choice: str, parallel: bool | None) -> dict[str, Any]:
    mapped: dict[str, Any] = (
        {"type": "auto"}
        if choice == "auto"
        else {"type": "any"}
        if choice == "required"
        else {"type": "none"}
        if choice == "none"
        else {"type": "tool", "name": choice}
    )
    if parallel is False and mapped["type"] != "none":
        mapped["disable_parallel_tool_use"] = True
    return mapped


def encode_body(
    config: ClientConfig, request: ChatRequest, *, stream: bool = False
) -> dict[str, Any]:
    """The JSON request body."""
    wire = _options(config)
    options = request.options
    thinking = wire.thinking_budget is not None
    output = request.output
    tool_route = output is not None and output.mode == "tool"
    user_tools = request.tools
    native = options.native_tools or ()
    instruction = (
        _tool_instruction(output.compiled.name)
        if output is not None and tool_route and (thinking or user_tools or native)
        else None
    )
    body: dict[str, Any] = {
        "model": config.model,
        "max_tokens": options.max_tokens or DEFAULT_MAX_TOKENS,
    }
    system = _system(request, instruction)
    if system is not None:
        body["system"] = system
    body["messages"] = _messages(request)
    put_options(body, options, _OPTION_FIELDS)
    if options.user is not None:
        body["metadata"] = {"user_id": options.user}
    if thinking:
        body["thinking"] = {"type": "enabled", "budget_tokens": wire.thinking_budget}
    tools: list[dict[str, Any]] = [_tool(t) for t in user_tools]
    offered = bool(user_tools or native)  # tool_choice covers the server tools too
    if offered and request.tool_choice is not None:
        body["tool_choice"] = _tool_choice(request.tool_choice, options.parallel_tool_calls)
    elif offered and options.parallel_tool_calls is False:
        body["tool_choice"] = _tool_choice("auto", False)
    if output is not None:
        if output.mode == "format":
            body["output_config"] = {
                "format": {"type": "json_schema", "schema": output.compiled.schema}
            }
        else:
            tools.append(
                {
                    "name": output.compiled.name,
                    "description": "Record the answer in the required structure.",
                    "input_schema": output.compiled.schema,
                }
            )
            if not user_tools:
                # Forced tool choice is rejected together with extended thinking, and would
                # keep the model from using the server tools first.
                body["tool_choice"] = (
                    {"type": "auto"}
                    if thinking or native
                    else {
                        "type": "tool",
                        "name": output.compiled.name,
                        "disable_parallel_tool_use": True,
                    }
                )
    if native:
        tools[len(user_tools) : len(user_tools)] = anthropic_tools(native)
    if tools:
        body["tools"] = tools
    if stream:
        body["stream"] = True
    if wire.platform != "anthropic":
        _cloud_body(body, wire, _betas(wire, request))
    if wire.prompt_cache == "auto":
        apply_prompt_cache(body, wire.cache_ttl)
    check_breakpoints(body)
    if options.extra_body:
        body.update(options.extra_body)
    return body


def _betas(wire: AnthropicOptions, request: ChatRequest) -> tuple[str, ...]:
    """The client's betas and those its server tools need, each once."""
    native = request.options.native_tools
    return tuple(dict.fromkeys(wire.betas + anthropic_betas(native) if native else wire.betas))


def _cloud_body(body: dict[str, Any], wire: AnthropicOptions, betas: tuple[str, ...]) -> None:
    """The body Bedrock and Vertex AI take: the model is in the path, the version in the body.

    Bedrock (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-
    claude-messages-request-response.html): ``anthropic_version: bedrock-2023-05-31``, betas as
    the ``anthropic_beta`` list, and streaming is the ``invoke-with-response-stream`` path, not a
    field. Vertex AI (https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/
    claude/use-claude): ``anthropic_version: vertex-2023-10-16``, ``stream`` kept in the body
    (``:streamRawPredict`` streams SSE like the Messages API), betas in the header."""
    del body["model"]
    body["anthropic_version"] = wire.version
    if wire.platform == "bedrock":
        body.pop("stream", None)
        if betas:
            body["anthropic_beta"] = list(betas)


def encode(config: ClientConfig, request: ChatRequest, stream: bool = False) -> EncodedRequest:
    """Encode one Messages request (on Bedrock and Vertex AI: their body variant, no
    ``anthropic-version`` header; the host places it on the model's path)."""
    wire = _options(config)
    headers = json_headers(stream)
    if wire.platform == "anthropic":
        headers["anthropic-version"] = wire.version
    betas = _betas(wire, request)
    if betas and wire.platform != "bedrock":
        headers["anthropic-beta"] = ",".join(betas)
    body = orjson.dumps(encode_body(config, request, stream=stream))
    return EncodedRequest("chat_stream" if stream else "chat", "/v1/messages", body, headers)


# -- decoding ---------------------------------------------------------------------------------


def decode_usage(raw: Any) -> Usage:
    """Map Anthropic's ``usage``: input tokens count cache reads and writes; both are also
    reported apart."""
    u = as_dict(raw)

    def n(key: str) -> int:
        return as_int(u.get(key))

    cached = n("cache_read_input_tokens")
    created = n("cache_creation_input_tokens")
    return Usage(
        input_tokens=n("input_tokens") + cached + created,
        output_tokens=n("output_tokens"),
        cache_read_tokens=cached,
        cache_write_tokens=created,
    )


def decode_error(provider: str, response: WireResponse) -> APIStatusError:
    """The typed error for an error response (``{"type": "error", "error": {...}}``)."""
    status = response.status if response.status >= 300 else 500
    return error_from_body(provider, response, status)


def _citation(raw: Any) -> Citation:
    c = as_dict(raw)
    kind = str(c.get("type") or "")

    def s(key: str) -> str | None:
        value = c.get(key)
        return value if isinstance(value, str) else None

    def i(*keys: str) -> int | None:
        for key in keys:
            value = c.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        return None

    index = c.get("document_index")
    return Citation(
        cited_text=s("cited_text"),
        url=s("url"),
        title=s("document_title") or s("title"),
        start=i("start_char_index", "start_page_number", "start_block_index"),
        end=i("end_char_index", "end_page_number", "end_block_index"),
        source=f"document:{index}" if isinstance(index, int) else kind or None,
        raw=c,
    )


def _apply_block(block: dict[str, Any], index: int, state: StreamState) -> list[Delta]:
    """Apply one complete (or just started) content block."""
    kind = block.get("type")
    deltas: list[Delta] = []
    if kind == "text":
        text = block.get("text")
        state.text(text if isinstance(text, str) else "", key=index)
        if isinstance(text, str) and text:
            deltas.append(("text", text))
        for citation in as_list(block.get("citations")):
            state.cite(_citation(citation), key=index)
    elif kind == "thinking":
        thinking = block.get("thinking")
        state.think(thinking if isinstance(thinking, str) else "", key=index)
        if isinstance(block.get("signature"), str) and block["signature"]:
            state.sign(block["signature"], key=index)
    elif kind == "redacted_thinking":
        state.redacted(str(block.get("data") or ""), key=index)
    elif kind == "tool_use":
        call = state.call(index)
        call.id, call.name = str(block.get("id") or ""), str(block.get("name") or "")
        tool_input = block.get("input")
        if isinstance(tool_input, dict) and tool_input:
            call.arguments.append(orjson.dumps(tool_input).decode())
    elif isinstance(kind, str):
        # server_tool_use (run by Anthropic), its *_tool_result, and any block type this codec
        # does not model: kept as received, to be sent back unchanged.
        state.opaque(block, key=index)
    return deltas


def _finish(stop: Any, state: StreamState) -> None:
    if stop is None:
        return
    reason = _STOP.get(str(stop), "other")
    state.finish_with(str(stop), reason)
    if reason == "refusal":
        texts = [p.text for p in state.parts() if isinstance(p, TextPart)]
        state.refusal_reason = "".join(texts) or "the model refused to answer"


def _check_answer(provider: str, response: WireResponse, body: Any) -> None:
    """Refuse a body that is not a message (it must not pass as an empty answer)."""
    if not isinstance(body, dict):
        raise shape_error(provider, response, f"the body is {json_type(body)}, not an object")
    content: Any = cast(dict[str, Any], body).get("content")
    if not isinstance(content, list):
        what = "missing" if content is None else json_type(content)
        raise shape_error(provider, response, f"`content` is {what}, not a list of blocks")
    blocks: list[Any] = as_list(content)
    for position, block in enumerate(blocks):
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):  # pyright: ignore[reportUnknownMemberType]
            raise shape_error(provider, response, f"`content[{position}]` is not a typed block")
        text: Any = cast(dict[str, Any], block).get("text")
        if block["type"] == "text" and not isinstance(text, str):
            raise shape_error(
                provider, response, f"`content[{position}].text` is {json_type(text)}"
            )


def decode(provider: str, response: WireResponse) -> DecodedCompletion:
    """Decode a Messages response; raise the typed error for error responses."""
    if response.status >= 400:
        raise decode_error(provider, response)
    body = answer_body(provider, response)
    data = as_dict(body)
    if data.get("type") == "error":
        raise decode_error(provider, response)
    _check_answer(provider, response, body)
    state = StreamState(provider, request_id=request_id_of(response.headers))
    for index, raw_block in enumerate(as_list(data.get("content"))):
        _apply_block(as_dict(raw_block), index, state)
    _finish(data.get("stop_reason"), state)
    state.usage = decode_usage(data.get("usage"))
    model, message_id = data.get("model"), data.get("id")
    state.model = model if isinstance(model, str) else None
    state.response_id = message_id if isinstance(message_id, str) else None
    return state.decoded(raw=body)


def stream_event(provider: str, event: SSEEvent, state: StreamState) -> list[Delta]:
    """Apply one Messages stream event (``message_start``, ``content_block_*``,
    ``message_delta``, ``message_stop``, ``ping``, ``error``)."""
    data = as_dict(load_event_json(provider, event.data))
    kind = data.get("type", event.event)
    if kind == "error" or event.event == "error":
        raise stream_error(provider, data, state.request_id)
    deltas: list[Delta] = []
    if kind == "message_start":
        message = as_dict(data.get("message"))
        model, message_id = message.get("model"), message.get("id")
        state.model = model if isinstance(model, str) else state.model
        state.response_id = message_id if isinstance(message_id, str) else state.response_id
        state.usage = decode_usage(message.get("usage"))
    elif kind == "content_block_start":
        index = as_int(data.get("index"))
        deltas += _apply_block(as_dict(data.get("content_block")), index, state)
    elif kind == "content_block_delta":
        index = as_int(data.get("index"))
        delta = as_dict(data.get("delta"))
        dtype = delta.get("type")
        if dtype == "text_delta" and isinstance(delta.get("text"), str):
            state.text(delta["text"], key=index)
            deltas.append(("text", delta["text"]))
        elif dtype == "input_json_delta" and isinstance(delta.get("partial_json"), str):
            partial = delta["partial_json"]
            if partial and not state.opaque_input(partial, key=index):
                state.call(index).arguments.append(partial)
                deltas.append((index, partial))
        elif dtype == "thinking_delta" and isinstance(delta.get("thinking"), str):
            state.think(delta["thinking"], key=index)
        elif dtype == "signature_delta" and isinstance(delta.get("signature"), str):
            state.sign(delta["signature"], key=index)
        elif dtype == "citations_delta":
            state.cite(_citation(delta.get("citation")), key=index)
    elif kind == "message_delta":
        _finish(as_dict(data.get("delta")).get("stop_reason"), state)
        usage = as_dict(data.get("usage"))
        if isinstance(usage.get("output_tokens"), int):
            state.usage = replace(state.usage, output_tokens=usage["output_tokens"])
    elif kind == "message_stop":
        state.done = True
    return deltas


def new_stream(provider: str) -> SSEStream:
    """A fresh SSE decoding session."""
    return SSEStream(provider, stream_event)


CODEC = FunctionCodec("anthropic-messages", output_spec, encode, decode, decode_error, new_stream)
