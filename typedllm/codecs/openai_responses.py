"""OpenAI Responses API wire codec (pure: no I/O).

Reference: https://platform.openai.com/docs/api-reference/responses/create (request body),
https://platform.openai.com/docs/api-reference/responses/object (the response object) and
https://platform.openai.com/docs/api-reference/responses-streaming (stream events).

Encoding
    ``POST /responses`` below the host's base URL. The leading system messages (the builder's
    ``.system()`` and a prompt's first ``tl.system(...)``) become ``instructions``; the rest of
    the conversation becomes ``input`` items:

    * user messages (and later system messages, as ``system``/``developer`` messages) with a
      string ``content`` for text alone, else ``input_text``, ``input_image`` (a URL or a
      ``data:`` URL) and ``input_file`` (``file_data`` or ``file_url``) parts;
    * assistant answers as ``output_text`` parts (assistant-role content takes ``output_text``
      and ``refusal`` only), their tool calls as ``function_call`` items;
    * tool results as ``function_call_output`` items; media a tool returned follows them in
      one user message (the output is sent as text).

    Reasoning items are not sent back: without their server ids they are not accepted, and
    ``previous_response_id`` (server-side state) is the route that keeps them.
    ``max_output_tokens``, ``temperature``/``top_p`` (chat models; gated for reasoning models),
    ``reasoning: {effort, summary}``, ``store``, ``previous_response_id``, ``user``,
    ``metadata``, ``prompt_cache_key``, function tools in the flat Responses shape
    (``{"type": "function", "name", "parameters", "strict"}``; ``strict`` is always sent since
    the Responses API defaults it to true) and ``tool_choice``. A schema goes per
    :data:`~typedllm._config.StructuredOutputMode`: ``strict``/``json_schema`` send
    ``text.format: {"type": "json_schema", "name", "schema", "strict"}``; ``json_object``
    sends ``text.format: {"type": "json_object"}`` plus the schema in the instructions;
    ``prompt`` sends only the instructions (``json_object_schema``, llama-cpp-python's Chat
    Completions form, is refused at ``build()``). Provider-native tools (``tl.WebSearch()`` ...)
    follow the function tools in their Responses shape, with the ``include`` values that
    return their results (:mod:`typedllm.codecs._native`).

Decoding
    ``output`` items in order: ``message`` items give ``output_text`` parts (with their
    ``url_citation`` annotations) and ``refusal`` parts; ``function_call`` items give tool
    calls (``call_id`` is the id a ``function_call_output`` answers); ``reasoning`` items give
    reasoning text from their ``summary`` (``summary_text``) or ``content``
    (``reasoning_text``); ``web_search_call``, ``file_search_call``, ``code_interpreter_call``
    (and the other server-tool items) are kept as :class:`~typedllm.OpaquePart`\\ s for
    ``Completion.native_results`` (not sent back: the server keeps them). ``usage`` maps
    ``input_tokens``/``output_tokens`` and the cached and reasoning details.
    ``status: "incomplete"`` with ``incomplete_details.reason`` ``max_output_tokens`` is a
    truncation (finish ``length``), ``content_filter`` a content filter stop;
    ``status: "failed"`` with its ``error`` (or any ``{"error": {...}}`` body) is the typed
    error.

Streaming
    The Responses stream is a sequence of typed SSE events, assembled into the same
    :class:`~typedllm.codecs._stream.StreamState` the other wires use:

    * ``response.output_text.delta`` -> answer text; ``response.refusal.delta`` -> refusal;
    * ``response.output_item.added`` with a ``function_call`` item opens a tool call, and
      ``response.function_call_arguments.delta`` appends to it (matched by ``output_index``);
    * ``response.reasoning_text.delta`` / ``response.reasoning_summary_text.delta`` ->
      reasoning;
    * ``response.output_item.done`` with a server-tool item -> that item, and
      ``response.output_text.annotation.added`` -> a citation of the answer text;
    * ``response.created`` -> model and id; ``response.completed`` / ``response.incomplete`` ->
      usage and the finish reason (as in the non-streaming decoder);
    * ``error`` and ``response.failed`` raise the typed error.
"""

from __future__ import annotations

from typing import Any, cast

import orjson

from .._completion import FinishReason, Usage
from .._config import ClientConfig, OpenAIResponsesOptions
from .._errors import APIStatusError
from .._jsonutil import as_dict, as_int, as_list
from .._messages import (
    AudioPart,
    CachePoint,
    DocumentPart,
    ImagePart,
    Message,
    OpaquePart,
    Part,
    ReasoningPart,
    RefusalPart,
    TextPart,
    ToolCall,
)
from .._options import ToolDefinition
from .._wire import EncodedRequest, WireResponse
from ..schema import Dialect, compile_schema
from ..streaming import SSEEvent
from ._base import (
    ChatRequest,
    DecodedCompletion,
    Delta,
    FunctionCodec,
    OutputSpec,
    answer_body,
    error_from_body,
    json_type,
    parse_json_body,
    request_id_of,
    shape_error,
)
from ._native import responses_includes, responses_tools
from ._parts import (
    data_url,
    json_headers,
    put_options,
    synthetic_call_id,
    tool_schema,
    unsupported,
    url_citations,
)
from ._stream import SSEStream, StreamState, load_event_json, stream_error
from .openai_chat import schema_instructions

__all__ = [
    "CODEC",
    "decode",
    "decode_error",
    "decode_usage",
    "encode",
    "encode_body",
    "finish_reason_of",
    "new_stream",
    "output_spec",
    "stream_event",
]

WIRE = "OpenAI Responses"

SERVER_TOOL_ITEMS = frozenset(
    {
        "web_search_call",
        "file_search_call",
        "code_interpreter_call",
        "image_generation_call",
        "mcp_call",
    }
)
"""Output items of tools OpenAI runs itself."""

# -- encoding ---------------------------------------------------------------------------------

_OPTION_FIELDS = {
    "temperature": "temperature",
    "top_p": "top_p",
    "user": "user",
    "parallel_tool_calls": "parallel_tool_calls",
    "previous_response_id": "previous_response_id",
}


def _options(config: ClientConfig) -> OpenAIResponsesOptions:
    return config.options_of(OpenAIResponsesOptions)


def _media(part: Part) -> dict[str, Any]:
    if isinstance(part, ImagePart):
        # ``detail`` is required by the input_image schema; "auto" is the API's default.
        detail = part.detail or "auto"
        if part.file_id is not None:
            return {"type": "input_image", "file_id": part.file_id, "detail": detail}
        return {"type": "input_image", "image_url": data_url(part), "detail": detail}
    if isinstance(part, DocumentPart):
        if part.file_id is not None:
            # https://platform.openai.com/docs/guides/pdf-files: an uploaded file by its id.
            return {"type": "input_file", "file_id": part.file_id}
        if part.data is None:
            assert part.url is not None
            return {"type": "input_file", "file_url": part.url}
        return {
            "type": "input_file",
            "filename": part.title or "document.pdf",
            "file_data": data_url(part),
        }
    if isinstance(part, AudioPart):
        raise unsupported(WIRE, part, "(the Responses API takes no audio input)")
    raise unsupported(WIRE, part, "in a prompt")


def _content(parts: tuple[Part, ...]) -> str | list[dict[str, Any]]:
    """A string for text alone, else a list of input parts."""
    visible = [p for p in parts if not isinstance(p, CachePoint)]
    if len(visible) <= 1 and all(isinstance(p, TextPart) for p in visible):
        return visible[0].text if visible else ""  # type: ignore[union-attr]
    return [
        {"type": "input_text", "text": p.text} if isinstance(p, TextPart) else _media(p)
        for p in visible
    ]


def _assistant(message: Message) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    content: list[dict[str, Any]] = []
    for part in message.parts:
        if isinstance(part, TextPart) and part.text:
            content.append({"type": "output_text", "text": part.text, "annotations": []})
        elif isinstance(part, RefusalPart):
            content.append({"type": "refusal", "refusal": part.text})
    if content:
        items.append({"role": "assistant", "content": content})
    items += [
        {"type": "function_call", "call_id": c.id, "name": c.name, "arguments": c.arguments}
        for c in message.tool_calls
    ]
    return items


def _split_instructions(messages: tuple[Message, ...]) -> tuple[list[str], tuple[Message, ...]]:
    """The leading system messages' texts (``instructions``) and the rest of the conversation."""
    leading: list[str] = []
    for index, message in enumerate(messages):
        if message.role != "system":
            return leading, messages[index:]
        leading.append(message.content)
    return leading, ()


def _input(wire: OpenAIResponsesOptions, messages: tuple[Message, ...]) -> list[dict[str, Any]]:
    system_role = "developer" if wire.developer_role else "system"
    out: list[dict[str, Any]] = []
    pending_media: list[Part] = []  # media from tool results, sent after the run of results
    for message in messages:
        if message.role != "tool" and pending_media:
            out.append({"role": "user", "content": _content(tuple(pending_media))})
            pending_media = []
        if message.role == "system":
            out.append({"role": system_role, "content": message.content})
        elif message.role == "user":
            out.append({"role": "user", "content": _content(message.parts)})
        elif message.role == "assistant":
            out += _assistant(message)
        else:
            media = [
                p for p in message.parts if isinstance(p, (ImagePart, DocumentPart, AudioPart))
            ]
            text = message.content
            if media:
                pending_media += [TextPart(f"Media returned by tool call {message.tool_call_id}:")]
                pending_media += media
                text = text or "(the result is in the next message)"
            if message.is_error:
                text = f"Error: {text}"
            out.append(
                {"type": "function_call_output", "call_id": message.tool_call_id, "output": text}
            )
    if pending_media:
        out.append({"role": "user", "content": _content(tuple(pending_media))})
    return out


def _tools(declared: tuple[ToolDefinition, ...]) -> list[dict[str, Any]]:
    tools: list[dict[str, Any]] = []
    for tool in declared:
        dialect: Dialect = "openai-strict" if tool.strict else "openai-json-schema"
        tools.append(
            {
                "type": "function",
                "name": tool.name,
                "description": tool.description,
                "parameters": tool_schema(tool, dialect),
                "strict": bool(tool.strict),
            }
        )
    return tools


def _tool_choice(choice: str) -> Any:
    if choice in ("auto", "required", "none"):
        return choice
    return {"type": "function", "name": choice}


def _reasoning(wire: OpenAIResponsesOptions) -> dict[str, Any] | None:
    reasoning: dict[str, Any] = {}
    if wire.reasoning_effort is not None:
        reasoning["effort"] = wire.reasoning_effort
    if wire.reasoning_summary is not None:
        reasoning["summary"] = wire.reasoning_summary
    return reasoning or None


def encode_body(
    config: ClientConfig, request: ChatRequest, *, stream: bool = False
) -> dict[str, Any]:
    """The JSON request body as a dict (exposed for tests)."""
    wire = _options(config)
    instructions, conversation = _split_instructions(request.messages)
    output = request.output
    if output is not None and output.mode in ("json_object", "prompt"):
        # JSON mode requires the word "JSON" in the input; the schema instructions carry it.
        instructions.append(schema_instructions(output.compiled))
    body: dict[str, Any] = {"model": config.model, "input": _input(wire, conversation)}
    if instructions:
        body["instructions"] = "\n\n".join(instructions)
    options = request.options
    put_options(body, options, _OPTION_FIELDS)
    if options.max_tokens is not None:
        body["max_output_tokens"] = options.max_tokens
    reasoning = _reasoning(wire)
    if reasoning is not None:
        body["reasoning"] = reasoning
    if wire.store is not None:
        body["store"] = wire.store
    if options.metadata:
        body["metadata"] = dict(options.metadata)
    if options.cache_key is not None:
        body["prompt_cache_key"] = options.cache_key
    if options.cache_retention is not None:
        # https://platform.openai.com/docs/guides/prompt-caching#prompt-cache-retention
        body["prompt_cache_retention"] = options.cache_retention
    native = options.native_tools or ()
    if request.tools or native:
        body["tools"] = _tools(request.tools) + responses_tools(native)
        if options.tool_choice is not None:
            body["tool_choice"] = _tool_choice(options.tool_choice)
    if native and responses_includes(native):
        body["include"] = responses_includes(native)
    if output is not None:
        if output.mode in ("strict", "json_schema"):
            body["text"] = {
                "format": {
                    "type": "json_schema",
                    "name": output.compiled.name,
                    "schema": output.compiled.schema,
                    "strict": output.mode == "strict",
                }
            }
        elif output.mode == "json_object":
            body["text"] = {"format": {"type": "json_object"}}
    if stream:
        body["stream"] = True
    if options.extra_body:
        body.update(options.extra_body)
    return body


def encode(config: ClientConfig, request: ChatRequest, stream: bool = False) -> EncodedRequest:
    """Encode one Responses request (``stream: true`` for a typed-event SSE stream)."""
    body = orjson.dumps(encode_body(config, request, stream=stream))
    operation = "responses_stream" if stream else "responses"
    return EncodedRequest(operation, "/responses", body, json_headers(stream))


def output_spec(config: ClientConfig, schema: Any) -> OutputSpec:
    """Compile ``schema`` for the client's structured-output mode (the strict OpenAI dialect
    for ``strict``)."""
    mode = _options(config).structured_output
    dialect: Dialect = (
        "openai-strict"
        if mode == "strict"
        else "openai-json-schema"
        if mode == "json_schema"
        else "prompt"
    )
    return OutputSpec(compile_schema(schema, dialect, decimal=config.decimal_mode), mode)


# -- decoding ---------------------------------------------------------------------------------


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


# The status a failed response's ``error.code`` stands for (``status: "failed"`` comes with
# HTTP 200 when the failure happened after the response was created).
_FAILED_STATUS = {
    "server_error": 500,
    "rate_limit_exceeded": 429,
    "invalid_prompt": 400,
    "vector_store_timeout": 504,
}


def decode_error(provider: str, response: WireResponse) -> APIStatusError:
    """The typed error for a non-2xx response, or for a 2xx body that is a failure
    (``status: "failed"`` or an ``error`` object)."""
    status = response.status
    if status < 300:
        error = as_dict(as_dict(parse_json_body(response.body)).get("error"))
        code = error.get("code")
        status = _FAILED_STATUS.get(str(code), 500) if not isinstance(code, int) else code
        status = status if status >= 400 else 500
    return error_from_body(provider, response, status)


def _is_failure(body: dict[str, Any]) -> bool:
    return body.get("status") == "failed" or isinstance(body.get("error"), dict)


def finish_reason_of(body: Any, has_text: bool, has_calls: bool, refused: bool) -> FinishReason:
    """The finish reason of a response object (its ``status`` and ``incomplete_details``)."""
    response = as_dict(body)
    status = response.get("status")
    reason = as_dict(response.get("incomplete_details")).get("reason")
    if status == "incomplete" and reason == "max_output_tokens":
        return "length"
    if status == "incomplete" and reason == "content_filter":
        return "content_filter"
    if refused:
        return "refusal"
    if has_calls and not has_text:
        return "tool_calls"
    return "stop" if status in (None, "completed") else "other"


def _message_parts(item: dict[str, Any]) -> tuple[list[Part], list[str]]:
    parts: list[Part] = []
    refusals: list[str] = []
    for raw in as_list(item.get("content")):
        content = as_dict(raw)
        kind = content.get("type")
        if kind == "output_text" and isinstance(content.get("text"), str):
            parts.append(TextPart(content["text"], url_citations(content.get("annotations"))))
        elif kind == "refusal" and isinstance(content.get("refusal"), str):
            parts.append(RefusalPart(content["refusal"]))
            refusals.append(content["refusal"])
    return parts, refusals


def _reasoning_part(provider: str, item: dict[str, Any]) -> ReasoningPart | None:
    for key, kind in (("summary", "summary_text"), ("content", "reasoning_text")):
        texts = [
            str(as_dict(p).get("text", ""))
            for p in as_list(item.get(key))
            if as_dict(p).get("type") == kind
        ]
        if texts:
            return ReasoningPart("\n\n".join(texts), provider=provider, source=key)
    return None


def _call(item: dict[str, Any], index: int, response_id: str | None) -> ToolCall:
    raw_args = item.get("arguments")
    args = raw_args if isinstance(raw_args, str) else orjson.dumps(raw_args or {}).decode()
    args = args or "{}"
    name = str(item.get("name") or "")
    call_id = str(item.get("call_id") or item.get("id") or "")
    return ToolCall(call_id or synthetic_call_id(response_id, index, name, args), name, args)


def decode(provider: str, response: WireResponse) -> DecodedCompletion:
    """Decode a Responses response object; raise the typed error for error responses and
    failed responses."""
    if response.status >= 400:
        raise decode_error(provider, response)
    body = answer_body(provider, response)
    if not isinstance(body, dict):
        raise shape_error(provider, response, f"the body is {json_type(body)}, not an object")
    data = cast(dict[str, Any], body)
    if _is_failure(data):
        raise decode_error(provider, response)
    output = data.get("output")
    if not isinstance(output, list):
        what = "missing" if output is None else json_type(output)
        raise shape_error(provider, response, f"`output` is {what}, not a list")
    response_id = data.get("id") if isinstance(data.get("id"), str) else None
    parts: list[Part] = []
    refusals: list[str] = []
    calls = 0
    for raw_item in as_list(output):
        item = as_dict(raw_item)
        kind = item.get("type")
        if kind == "message":
            texts, refused = _message_parts(item)
            parts += texts
            refusals += refused
        elif kind == "function_call":
            parts.append(_call(item, calls, response_id))
            calls += 1
        elif kind == "reasoning":
            reasoning = _reasoning_part(provider, item)
            if reasoning is not None:
                parts.append(reasoning)
        elif kind in SERVER_TOOL_ITEMS:
            # Server-side tool items carry no answer text: kept as received, for
            # Completion.native_results (they are not sent back; the server keeps them).
            parts.append(OpaquePart(provider, item))
    refusal = "".join(refusals) or None
    has_text = any(isinstance(p, TextPart) for p in parts)
    status = data.get("status")
    model = data.get("model")
    return DecodedCompletion(
        parts=tuple(parts),
        finish_reason=finish_reason_of(data, has_text, calls > 0, refusal is not None),
        usage=decode_usage(data.get("usage")),
        model=model if isinstance(model, str) else None,
        response_id=response_id,
        request_id=request_id_of(response.headers),
        refusal=refusal,
        raw_finish_reason=str(status) if status is not None else None,
        raw=body,
    )


# -- streaming --------------------------------------------------------------------------------


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
            # One reasoning part per reasoning item, as in the non-streaming decoder.
            state.think(delta, key=("reasoning", data.get("output_index")))
    elif kind == "response.reasoning_summary_part.added":
        index = data.get("summary_index")
        if isinstance(index, int) and index > 0:  # summary parts are joined by a blank line
            state.think("\n\n", key=("reasoning", data.get("output_index")))
    elif kind == "response.output_item.added":
        item = as_dict(data.get("item"))
        if item.get("type") == "function_call":
            call = state.call(int(data.get("output_index", len(state.calls))))
            call.id = str(item.get("call_id") or item.get("id") or "")
            call.name = str(item.get("name") or "")
    elif kind == "response.output_item.done":
        item = as_dict(data.get("item"))
        if item.get("type") in SERVER_TOOL_ITEMS:
            state.opaque(item, key=("item", data.get("output_index")))
    elif kind == "response.output_text.annotation.added":
        for citation in url_citations([data.get("annotation")]):
            state.cite(citation)
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
        has_text = any(b.kind == "text" for b in state.blocks)
        finish = finish_reason_of(response, has_text, bool(state.calls), refused)
        state.finish_with(str(response.get("status")), finish)
        state.done = True
    return deltas


def new_stream(provider: str) -> SSEStream:
    """A fresh SSE decoding session."""
    return SSEStream(provider, stream_event)


CODEC = FunctionCodec("openai-responses", output_spec, encode, decode, decode_error, new_stream)
