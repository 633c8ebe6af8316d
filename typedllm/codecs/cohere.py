"""Cohere v2 chat wire codec (pure: no I/O).

Written from Cohere's documentation (no recordings exist in the conformance corpus):

* the request and response: https://docs.cohere.com/reference/chat (``POST /v2/chat``, bearer
  key, ``stream`` always sent);
* the stream: https://docs.cohere.com/reference/chat-stream and
  https://docs.cohere.com/v2/docs/streaming (SSE events named by their ``type``);
* tools: https://docs.cohere.com/v2/docs/tool-use-usage-patterns and
  https://docs.cohere.com/v2/docs/tool-use-streaming;
* structured outputs: https://docs.cohere.com/docs/structured-outputs (``response_format``);
* reasoning: https://docs.cohere.com/docs/reasoning (``thinking``);
* errors: https://docs.cohere.com/errors-reference.

Encoding
    ``messages`` keep the four roles: ``system`` (leading system messages are joined into
    one: Cohere wants a single system turn, first) and ``user`` (a string, or ``text`` and
    ``image_url`` parts), ``assistant`` (its text, its ``tool_plan``, ``thinking`` content it
    produced on Cohere, and ``tool_calls`` of ``{"id", "type": "function", "function": {"name",
    "arguments"}}`` with the arguments as a JSON string), ``tool`` (``tool_call_id`` and the
    result as ``content``). Sampling maps to ``temperature``, ``p``, ``k``, ``seed``,
    ``max_tokens`` and ``stop_sequences``. Tools are ``{"type": "function", "function": {"name",
    "description", "parameters"}}``; ``strict_tools: true`` when any tool is strict.
    ``tool_choice`` ``required``/``none`` become ``REQUIRED``/``NONE``; Cohere cannot name one
    tool, so a named choice sends only that tool with ``REQUIRED``; ``auto`` sends nothing (the
    model decides). ``parallel_tool_calls`` has no Cohere field and is not sent.

    A schema goes as ``response_format: {"type": "json_object", "json_schema": {...}}`` (JSON
    Schema mode, the v2 field name) on models with structured outputs; JSON mode alone (with
    the schema in the instructions) on models without. Answers are validated by pydantic in
    every case, so a constraint Cohere's grammar does not enforce is still checked.

    Reasoning models take ``thinking: {"type": "enabled" | "disabled", "token_budget": N}``.

Decoding
    ``message.content[]``: ``text`` parts are the answer (with ``message.citations`` attached),
    ``thinking`` parts are reasoning; ``message.tool_plan`` is reasoning too (the model's plan
    before tool calls; its ``source`` is ``tool_plan`` so it goes back in that field);
    ``message.tool_calls`` are the calls. ``finish_reason``: ``COMPLETE``/``STOP_SEQUENCE`` ->
    stop, ``MAX_TOKENS`` -> length (a truncation error for schema calls), ``TOOL_CALL`` ->
    tool_calls, ``ERROR_TOXIC`` -> content_filter (a refusal), ``ERROR``/``TIMEOUT`` -> other.
    Usage: ``usage.billed_units`` are the tokens Cohere charges for (``usage.tokens`` also
    counts tokens Cohere adds itself, which are not billed:
    https://docs.cohere.com/docs/how-does-cohere-pricing-work), so they are what
    :class:`~typedllm.Usage` holds and what the cost is computed from; ``usage.tokens`` is the
    fallback when no billed units are reported. ``cached_tokens`` are cache reads.
    Errors are ``{"id", "message"}`` bodies typed by status (429 and 5xx are retried).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import orjson

from .._completion import FinishReason, Usage
from .._config import ClientConfig, CohereOptions
from .._errors import APIStatusError, ConfigurationError
from .._jsonutil import as_dict, as_int, as_list
from .._messages import (
    CachePoint,
    Citation,
    ImagePart,
    Message,
    ReasoningPart,
    TextPart,
    ToolCall,
)
from .._options import ToolDefinition
from .._wire import EncodedRequest, WireResponse
from ..schema import compile_schema
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
    request_id_of,
    shape_error,
)
from ._parts import data_url, json_headers, put_options, tool_schema, unsupported
from ._stream import SSEStream, StreamState, load_event_json, stream_error

__all__ = [
    "CODEC",
    "PATH",
    "decode",
    "decode_error",
    "decode_usage",
    "encode",
    "encode_body",
    "new_stream",
    "output_spec",
    "stream_event",
]

WIRE = "Cohere v2 chat"
PATH = "/v2/chat"
TOOL_PLAN = "tool_plan"
THINKING = "thinking"

# https://docs.cohere.com/reference/chat (response.finish_reason)
_FINISH: dict[str, FinishReason] = {
    "COMPLETE": "stop",
    "STOP_SEQUENCE": "stop",
    "MAX_TOKENS": "length",
    "TOOL_CALL": "tool_calls",
    "ERROR_TOXIC": "content_filter",
    "ERROR_LIMIT": "length",
    "ERROR": "other",
    "TIMEOUT": "other",
    "USER_CANCEL": "other",
}

_OPTION_FIELDS = {
    "temperature": "temperature",
    "top_p": "p",
    "top_k": "k",
    "max_tokens": "max_tokens",
    "stop": "stop_sequences",
    "seed": "seed",
}


def _options(config: ClientConfig) -> CohereOptions:
    return config.options_of(CohereOptions)


def output_spec(config: ClientConfig, schema: Any) -> OutputSpec:
    """JSON Schema mode on models with structured outputs, else JSON mode with the schema in
    the instructions (both validated by pydantic afterwards)."""
    if config.model_info.structured_output == "json_schema":
        return OutputSpec(
            compile_schema(schema, "openai-json-schema", decimal=config.decimal_mode),
            "json_schema",
        )
    mode = "json_object" if config.model_info.structured_output == "json_object" else "prompt"
    return OutputSpec(compile_schema(schema, "prompt", decimal=config.decimal_mode), mode)


def schema_instructions(schema: Mapping[str, Any]) -> str:
    """The instructions that carry a schema in the prompt (JSON mode: Cohere asks that the
    prompt say to answer in JSON)."""
    return (
        "Respond with a single JSON object that conforms to this JSON Schema, and nothing "
        "else:\n" + orjson.dumps(dict(schema)).decode()
    )


# -- encoding ---------------------------------------------------------------------------------


def _user_content(message: Message) -> str | list[dict[str, Any]]:
    parts = [p for p in message.parts if not isinstance(p, CachePoint)]
    if all(isinstance(p, TextPart) for p in parts):
        return "".join(p.text for p in parts if isinstance(p, TextPart))
    out: list[dict[str, Any]] = []
    for part in parts:
        if isinstance(part, TextPart):
            out.append({"type": "text", "text": part.text})
        elif isinstance(part, ImagePart):
            # https://docs.cohere.com/docs/image-inputs: a URL or a base64 data URL.
            image: dict[str, Any] = {"url": data_url(part)}
            if part.detail is not None:
                image["detail"] = part.detail
            out.append({"type": "image_url", "image_url": image})
        else:
            raise unsupported(WIRE, part, "in a message (text and images only)")
    return out


def _arguments(call: ToolCall) -> str:
    return call.arguments if call.arguments.strip() else "{}"


def _assistant(message: Message, provider: str) -> dict[str, Any]:
    out: dict[str, Any] = {"role": "assistant"}
    content: list[dict[str, Any]] = []
    plan: list[str] = []
    calls: list[dict[str, Any]] = []
    for part in message.parts:
        if isinstance(part, ReasoningPart):
            if part.provider != provider:
                continue  # other providers' reasoning is not Cohere's to continue
            if part.source == TOOL_PLAN:
                plan.append(part.text)
            elif part.text:
                content.append({"type": "thinking", "thinking": part.text})
        elif isinstance(part, ToolCall):
            calls.append(
                {
                    "id": part.id,
                    "type": "function",
                    "function": {"name": part.name, "arguments": _arguments(part)},
                }
            )
        elif isinstance(part, TextPart) and part.text:
            content.append({"type": "text", "text": part.text})
    if plan:
        out["tool_plan"] = "".join(plan)
    if calls:
        out["tool_calls"] = calls
    if content:
        only_text = all(c["type"] == "text" for c in content)
        out["content"] = "".join(c["text"] for c in content) if only_text else content
    elif not calls:
        out["content"] = message.content
    return out


def _messages(request: ChatRequest, provider: str, extra: str | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for message in request.messages:
        if message.role == "system" and len(out) == 1 and out[0]["role"] == "system":
            # Cohere answers "system turn must be the first in the list" (errors reference):
            # the leading system messages (the builder's and the call's) become one.
            out[0] = {"role": "system", "content": f"{out[0]['content']}\n\n{message.content}"}
        elif message.role == "system":
            out.append({"role": "system", "content": message.content})
        elif message.role == "user":
            out.append({"role": "user", "content": _user_content(message)})
        elif message.role == "assistant":
            out.append(_assistant(message, provider))
        else:
            text = message.content
            if message.is_error:
                text = f"Error: {text}"  # Cohere's tool message has no error flag
            out.append({"role": "tool", "tool_call_id": message.tool_call_id, "content": text})
    if extra is not None:
        # JSON mode: the instruction joins the first system message (or becomes one).
        if out and out[0]["role"] == "system":
            out[0] = {**out[0], "content": f"{out[0]['content']}\n\n{extra}"}
        else:
            out.insert(0, {"role": "system", "content": extra})
    return out


def _tool(tool: ToolDefinition) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {
            "name": tool.name,
            "description": tool.description,
            "parameters": tool_schema(tool, "openai-json-schema"),
        },
    }


def _put_tools(body: dict[str, Any], request: ChatRequest) -> None:
    tools = request.tools
    if not tools:
        return
    choice = request.tool_choice
    if choice is not None and choice not in ("auto", "required", "none"):
        named = [t for t in tools if t.name == choice]
        if not named:
            raise ConfigurationError(
                f"tool_choice={choice!r} names no offered tool; offered: {[t.name for t in tools]}"
            )
        tools = tuple(named)  # Cohere cannot name a tool: offer only it, and require a call
        choice = "required"
    body["tools"] = [_tool(t) for t in tools]
    if any(t.strict for t in tools):
        body["strict_tools"] = True
    if choice == "required":
        body["tool_choice"] = "REQUIRED"
    elif choice == "none":
        body["tool_choice"] = "NONE"


def encode_body(
    config: ClientConfig, request: ChatRequest, *, stream: bool = False
) -> dict[str, Any]:
    """The JSON request body."""
    wire = _options(config)
    output = request.output
    extra = (
        schema_instructions(output.compiled.schema)
        if output is not None and output.mode in ("json_object", "prompt")
        else None
    )
    body: dict[str, Any] = {
        "model": config.model,
        "messages": _messages(request, config.provider, extra),
        "stream": stream,
    }
    put_options(body, request.options, _OPTION_FIELDS)
    _put_tools(body, request)
    if output is not None and output.mode == "json_schema":
        body["response_format"] = {"type": "json_object", "json_schema": output.compiled.schema}
    elif output is not None and output.mode == "json_object":
        body["response_format"] = {"type": "json_object"}
    if wire.thinking is not None or wire.thinking_budget is not None:
        thinking: dict[str, Any] = {"type": wire.thinking or "enabled"}
        if wire.thinking_budget is not None and thinking["type"] == "enabled":
            thinking["token_budget"] = wire.thinking_budget
        body["thinking"] = thinking
    if request.options.extra_body:
        body.update(request.options.extra_body)
    return body


def encode(config: ClientConfig, request: ChatRequest, stream: bool = False) -> EncodedRequest:
    """Encode one v2 chat request."""
    body = orjson.dumps(encode_body(config, request, stream=stream))
    return EncodedRequest("chat_stream" if stream else "chat", PATH, body, json_headers(stream))


# -- decoding ---------------------------------------------------------------------------------


def decode_usage(raw: Any) -> Usage:
    """Map Cohere's ``usage``: billed units when reported (what is charged), else tokens."""
    u = as_dict(raw)
    billed = as_dict(u.get("billed_units"))
    counted = billed if billed else as_dict(u.get("tokens"))
    inputs = as_int(counted.get("input_tokens"))
    cached = as_int(u.get("cached_tokens"))
    return Usage(
        input_tokens=inputs,
        output_tokens=as_int(counted.get("output_tokens")),
        cache_read_tokens=min(cached, inputs),
    )


def decode_error(provider: str, response: WireResponse) -> APIStatusError:
    """The typed error for an error response (``{"id", "message"}`` bodies)."""
    status = response.status if response.status >= 300 else 500
    return error_from_body(provider, response, status)


def _citation(raw: Any) -> Citation:
    c = as_dict(raw)
    sources = [as_dict(s) for s in as_list(c.get("sources"))]
    first = sources[0] if sources else {}
    document = as_dict(first.get("document"))
    title = document.get("title")
    url = document.get("url")
    ident = first.get("id")
    kind = first.get("type")
    start, end, text = c.get("start"), c.get("end"), c.get("text")
    return Citation(
        cited_text=text if isinstance(text, str) else None,
        url=url if isinstance(url, str) else None,
        title=title if isinstance(title, str) else None,
        start=start if isinstance(start, int) and not isinstance(start, bool) else None,
        end=end if isinstance(end, int) and not isinstance(end, bool) else None,
        source=f"{kind}:{ident}" if isinstance(ident, str) else (kind or None),
        raw=c,
    )


def _finish(raw: Any, state: StreamState) -> None:
    if not isinstance(raw, str):
        return
    reason = _FINISH.get(raw, "other")
    state.finish_with(raw, reason)
    if reason == "content_filter":
        state.refusal_reason = "Cohere stopped the answer as unsafe (finish reason ERROR_TOXIC)"


def _apply_call(raw: Any, index: int, state: StreamState) -> str:
    """Apply a (starting or complete) tool call; returns its arguments so far."""
    data = as_dict(raw)
    fn = as_dict(data.get("function"))
    call = state.call(index)
    if isinstance(data.get("id"), str):
        call.id = data["id"]
    if isinstance(fn.get("name"), str):
        call.name = fn["name"]
    arguments = fn.get("arguments")
    if isinstance(arguments, dict):  # tolerated: an object instead of its JSON text
        arguments = orjson.dumps(arguments).decode()
    if isinstance(arguments, str) and arguments:
        call.arguments.append(arguments)
        return arguments
    return ""


def _check_answer(provider: str, response: WireResponse, body: Any) -> dict[str, Any]:
    """The body's ``message``; a body that is not an answer must not pass as an empty one."""
    if not isinstance(body, dict):
        raise shape_error(provider, response, f"the body is {json_type(body)}, not an object")
    message: Any = cast(dict[str, Any], body).get("message")
    if not isinstance(message, dict):
        what = "missing" if message is None else json_type(message)
        raise shape_error(provider, response, f"`message` is {what}, not an object")
    content: Any = cast(dict[str, Any], message).get("content")
    if content is not None and not isinstance(content, (list, str)):
        raise shape_error(provider, response, f"`message.content` is {json_type(content)}")
    return cast(dict[str, Any], message)


def decode(provider: str, response: WireResponse) -> DecodedCompletion:
    """Decode a v2 chat response; raise the typed error for error responses."""
    if response.status >= 400:
        raise decode_error(provider, response)
    body = answer_body(provider, response)
    message = _check_answer(provider, response, body)
    data = as_dict(body)
    state = StreamState(provider, request_id=request_id_of(response.headers))
    plan = message.get("tool_plan")
    if isinstance(plan, str) and plan:
        state.think(plan, key=TOOL_PLAN, source=TOOL_PLAN)
    content = message.get("content")
    if isinstance(content, str):  # tolerated: a bare string
        content = [{"type": "text", "text": content}]
    for index, raw_part in enumerate(as_list(content)):
        part = as_dict(raw_part)
        kind = part.get("type")
        if kind == "text" and isinstance(part.get("text"), str):
            state.text(part["text"], key=index)
        elif kind == THINKING and isinstance(part.get(THINKING), str):
            state.think(part[THINKING], key=index, source=THINKING)
    texts = [i for i, p in enumerate(as_list(content)) if as_dict(p).get("type") == "text"]
    for citation in as_list(message.get("citations")):
        if texts:
            state.cite(_citation(citation), key=texts[0])
    for index, raw_call in enumerate(as_list(message.get("tool_calls"))):
        _apply_call(raw_call, index, state)
    _finish(data.get("finish_reason"), state)
    state.usage = decode_usage(data.get("usage"))
    response_id = data.get("id")
    state.response_id = response_id if isinstance(response_id, str) else None
    return state.decoded(raw=body)


class _Kinds:
    """What each content index of one stream holds (``text`` or ``thinking``), and the last
    text index (citations attach to it)."""

    __slots__ = ("by_index", "last_text")

    def __init__(self) -> None:
        self.by_index: dict[int, str] = {}
        self.last_text: int | None = None


def _content_delta(
    index: int, content: dict[str, Any], state: StreamState, kinds: _Kinds
) -> list[Delta]:
    kind = kinds.by_index.get(index)
    thinking = content.get(THINKING)
    if isinstance(thinking, str) and (kind == THINKING or "text" not in content):
        if thinking:
            state.think(thinking, key=index, source=THINKING)
        return []
    text = content.get("text")
    if not isinstance(text, str):
        return []
    if kind == THINKING:
        state.think(text, key=index, source=THINKING)
        return []
    kinds.last_text = index
    state.text(text, key=index)
    return [("text", text)] if text else []


def stream_event(provider: str, event: SSEEvent, state: StreamState, kinds: _Kinds) -> list[Delta]:
    """Apply one v2 chat stream event (``message-start``, ``content-*``, ``tool-plan-delta``,
    ``tool-call-*``, ``citation-*``, ``message-end``; ``debug`` and unknown events are
    skipped)."""
    data = as_dict(load_event_json(provider, event.data))
    kind = data.get("type", event.event)
    if kind == "error" or event.event == "error":
        raise stream_error(provider, data, state.request_id)
    delta = as_dict(data.get("delta"))
    message = as_dict(delta.get("message"))
    index = as_int(data.get("index"))
    if kind == "message-start":
        response_id = data.get("id")
        state.response_id = response_id if isinstance(response_id, str) else state.response_id
    elif kind == "content-start":
        content = as_dict(message.get("content"))
        started = THINKING if content.get("type") == THINKING else "text"
        kinds.by_index[index] = started
        if started == "text":
            kinds.last_text = index
            state.text("", key=index)  # the part exists in order even before its text
        return _content_delta(index, content, state, kinds)
    elif kind == "content-delta":
        return _content_delta(index, as_dict(message.get("content")), state, kinds)
    elif kind == "tool-plan-delta":
        plan = message.get(TOOL_PLAN)
        if isinstance(plan, str) and plan:
            state.think(plan, key=TOOL_PLAN, source=TOOL_PLAN)
    elif kind in ("tool-call-start", "tool-call-delta"):
        arguments = _apply_call(message.get("tool_calls"), index, state)
        return [(index, arguments)] if arguments else []
    elif kind == "citation-start":
        citation = message.get("citations")
        if citation is not None:
            state.cite(_citation(citation), key=kinds.last_text)
    elif kind == "message-end":
        error = delta.get("error")
        if isinstance(error, str) and error:
            raise stream_error(
                provider, {"error": {"message": error, "code": 500}}, state.request_id
            )
        _finish(delta.get("finish_reason"), state)
        state.usage = decode_usage(delta.get("usage"))
        state.done = True
    return []


def new_stream(provider: str) -> SSEStream:
    """A fresh SSE decoding session."""
    kinds = _Kinds()

    def apply(provider: str, event: SSEEvent, state: StreamState) -> list[Delta]:
        return stream_event(provider, event, state, kinds)

    return SSEStream(provider, apply)


CODEC = FunctionCodec("cohere-chat", output_spec, encode, decode, decode_error, new_stream)
