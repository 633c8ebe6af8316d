"""Ollama native ``/api/chat`` wire codec (pure: no I/O).

Reference: https://github.com/ollama/ollama/blob/main/docs/api.md ("Generate a chat
completion"); the error shapes: https://mintlify.com/ollama/ollama/api/errors (Ollama's
``api/types.go`` ``StatusError``: ``{"error": "<text>"}`` with the HTTP status, e.g. 404
``model 'llama3.2' not found``).

Encoding
    ``POST /api/chat`` below the server root. The body holds ``model``, ``messages``, and
    ALWAYS an explicit ``stream`` (Ollama streams unless told ``"stream": false``):

    * messages are ``{"role", "content"}`` with ``images`` (a list of base64 strings, no
      ``data:`` prefix) for image parts; assistant turns carry ``tool_calls`` with the
      arguments as an object and their own ``thinking`` (when it came from Ollama); tool
      results are ``role: "tool"`` messages with ``tool_name``;
    * ``format``: the output schema through the ``ollama`` dialect (the server turns it into
      a grammar, so the answer is enforced), or ``"json"`` (JSON mode, schema in the
      instructions) when the client asked for it;
    * ``options``: ``temperature``, ``top_p``, ``top_k``, ``seed``, ``stop``, ``num_predict``
      (from ``max_tokens``), ``num_ctx`` and any raw options the builder was given;
    * ``keep_alive``, ``think`` (a bool, or ``"low"``/``"medium"``/``"high"`` for gpt-oss),
      ``tools`` (``{"type": "function", "function": {...}}``).

Decoding
    The non-streaming body is one object shaped like the last stream line: ``message.content``
    (a leading in-band ``<think>...</think>`` block is reasoning, as is ``message.thinking``),
    ``message.tool_calls`` (complete calls, arguments as an object), ``done_reason`` (``stop``,
    ``length`` -> truncation) and the counts ``prompt_eval_count`` / ``eval_count``. Both are
    decoded by the same line function, so streamed and non-streamed answers cannot differ.

Streaming
    NDJSON: each line is such an object; the last one has ``done: true``. An ``error`` line
    raises the typed error.

Errors
    ``{"error": "..."}`` with the status. ``model 'x' not found`` (404) becomes a
    :class:`~typedllm.NotFoundError` telling the user to run ``ollama pull x``. Ollama answers
    some request-validation errors (an invalid ``format``) with HTTP 500: those become a
    :class:`~typedllm.BadRequestError` (keeping the real status), which the flow does not retry
    as if the server were overloaded.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

from .._completion import FinishReason, Usage
from .._config import ClientConfig, OllamaOptions
from .._errors import APIStatusError, BadRequestError, ConfigurationError, NotFoundError
from .._jsonutil import as_dict, as_list
from .._messages import (
    AudioPart,
    CachePoint,
    DocumentPart,
    ImagePart,
    Message,
    Part,
    ReasoningPart,
    TextPart,
)
from .._options import ToolDefinition
from .._wire import EncodedRequest, WireResponse
from ..schema import Dialect, compile_schema
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
from ._parts import b64, call_arguments, put_options, tool_name_for, tool_schema, unsupported
from ._stream import NDJSONStream, StreamState, stream_error
from ._think import StreamThinkSplitter
from .openai_chat import schema_instructions

__all__ = [
    "CODEC",
    "StreamThinkSplitter",
    "decode",
    "decode_error",
    "encode",
    "encode_body",
    "new_stream",
    "output_spec",
    "stream_line",
]

WIRE = "Ollama /api/chat"

_DONE: dict[str, FinishReason] = {"stop": "stop", "length": "length", "load": "other"}

# CallOptions field -> Ollama ``options`` key (https://github.com/ollama/ollama/blob/main/docs/
# modelfile.md#valid-parameters-and-values lists the names).
_OPTION_FIELDS = {
    "temperature": "temperature",
    "top_p": "top_p",
    "top_k": "top_k",
    "seed": "seed",
    "stop": "stop",
    "max_tokens": "num_predict",
}

# -- decoding (one line function for streamed lines and the non-streamed body) ----------------


def stream_line(
    provider: str, line: Any, state: StreamState, splitter: StreamThinkSplitter
) -> list[Delta]:
    """Apply one NDJSON line (or the whole non-streamed body)."""
    data = as_dict(line)
    if "error" in data:
        raise stream_error(provider, {"error": {"message": str(data["error"])}}, state.request_id)
    deltas: list[Delta] = []
    model = data.get("model")
    state.model = model if isinstance(model, str) else state.model
    message = as_dict(data.get("message"))
    if isinstance(message.get("thinking"), str) and message["thinking"]:
        state.think(message["thinking"], source="thinking")
    content = message.get("content")
    if isinstance(content, str) and content:
        answer, thought = splitter.feed(content)
        if thought:
            state.think(thought, source="think_tag")
        if answer:
            state.text(answer)
            deltas.append(("text", answer))
    for raw_call in as_list(message.get("tool_calls")):
        fn = as_dict(as_dict(raw_call).get("function"))
        call = state.call(len(state.calls))
        call.id = str(as_dict(raw_call).get("id") or "")
        call.name = str(fn.get("name") or "")
        arguments = fn.get("arguments", {})
        # Arguments are an object on this wire; a string (a proxy that re-encoded them) is kept.
        call.arguments.append(
            arguments if isinstance(arguments, str) else orjson.dumps(arguments or {}).decode()
        )
    if data.get("done"):
        tail, leftover = splitter.flush()
        if leftover:
            state.think(leftover, source="think_tag")
        if tail:
            state.text(tail)
            deltas.append(("text", tail))
        reason = str(data.get("done_reason") or "stop")
        # Ollama ends a turn of tool calls with done_reason "stop".
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


def decode(provider: str, response: WireResponse) -> DecodedCompletion:
    """Decode a non-streamed ``/api/chat`` answer; raise the typed error for error bodies."""
    if response.status >= 400:
        raise decode_error(provider, response)
    body = answer_body(provider, response)
    if not isinstance(body, dict):
        raise shape_error(provider, response, f"the body is {json_type(body)}, not an object")
    data: dict[str, Any] = as_dict(body)
    if "error" in data:
        raise decode_error(provider, response)
    message = data.get("message")
    if not isinstance(message, dict):
        what = "missing" if message is None else json_type(message)
        raise shape_error(provider, response, f"`message` is {what}")
    content = as_dict(message).get("content")
    if content is not None and not isinstance(content, str):
        raise shape_error(provider, response, f"`message.content` is {json_type(content)}")
    state = StreamState(provider)
    state.request_id = request_id_of(response.headers)
    # A body without ``done`` (a proxy that dropped it) is still a complete answer.
    stream_line(provider, {**data, "done": True}, state, StreamThinkSplitter())
    return state.decoded(raw=body)


_NOT_FOUND = re.compile(r"""model ['"]([^'"]+)['"] not found""")
# 5xx messages that are request-validation errors (Ollama's llm server rejects an invalid
# ``format`` with "invalid format: ...; expected \"json\" or a valid JSON Schema object" under
# HTTP 500): retrying them cannot succeed.
_INVALID_REQUEST = re.compile(
    r"^invalid |invalid (format|json|option|value)|cannot unmarshal|does not support|"
    r"not supported|expected \"json\"",
    re.IGNORECASE,
)


def _message_of(body: Any) -> str | None:
    err = as_dict(body).get("error") if isinstance(body, dict) else None
    if isinstance(err, str):
        return err
    if isinstance(err, dict):
        msg = as_dict(err).get("message")
        return msg if isinstance(msg, str) else None
    return None


def decode_error(provider: str, response: WireResponse) -> APIStatusError:
    """The typed error for an error response (``{"error": "..."}`` with its status)."""
    status = response.status if response.status >= 400 else 500  # an error body under 200
    error = error_from_body(provider, response, status)
    body = parse_json_body(response.body)
    message = _message_of(body) or error.message
    fields: dict[str, Any] = {
        "provider": provider,
        "status_code": status,
        "request_id": error.request_id,
        "body": error.body,
        "code": error.code,
        "retry_after": error.retry_after,
    }
    found = _NOT_FOUND.search(message)
    if status == 404 and found:
        name = found.group(1)
        return NotFoundError(
            f"{message}: the Ollama server does not have this model; "
            f"run `ollama pull {name}` on it (or choose a model `ollama list` shows)",
            **fields,
        )
    if "does not support thinking" in message:
        return BadRequestError(f"{message} (drop .think() for this model)", **fields)
    if "does not support tools" in message:
        return BadRequestError(f"{message} (use a model with tool support)", **fields)
    if status >= 500 and _INVALID_REQUEST.search(message):
        return BadRequestError(message, **fields)
    return error


# -- encoding ---------------------------------------------------------------------------------


def _options(config: ClientConfig) -> OllamaOptions:
    return config.options_of(OllamaOptions)


def _images(parts: tuple[Part, ...]) -> list[str]:
    images: list[str] = []
    for part in parts:
        if not isinstance(part, ImagePart):
            continue
        if part.data is not None:
            images.append(b64(part.data))
        elif part.url is not None and part.url.startswith("data:") and ";base64," in part.url:
            images.append(part.url.split(";base64,", 1)[1])
        else:
            # The API takes image bytes only ("images: a list of base64-encoded images").
            raise unsupported(WIRE, part, "by URL (pass the image's bytes or a file path)")
    return images


def _text(parts: tuple[Part, ...]) -> str:
    for part in parts:
        if isinstance(part, (DocumentPart, AudioPart)):
            raise unsupported(WIRE, part, "(the API takes text and images only)")
    return "".join(p.text for p in parts if isinstance(p, TextPart))


def _plain(role: str, parts: tuple[Part, ...]) -> dict[str, Any]:
    visible = tuple(p for p in parts if not isinstance(p, CachePoint))
    entry: dict[str, Any] = {"role": role, "content": _text(visible)}
    images = _images(visible)
    if images:
        entry["images"] = images
    return entry


def _assistant(config: ClientConfig, message: Message) -> dict[str, Any]:
    texts = [p.text for p in message.parts if isinstance(p, TextPart)]
    entry: dict[str, Any] = {"role": "assistant", "content": "".join(texts)}
    # Earlier thinking goes back in ``thinking`` only when this same server produced it.
    thoughts = [
        p.text
        for p in message.parts
        if isinstance(p, ReasoningPart) and p.provider == config.provider and p.text
    ]
    if thoughts:
        entry["thinking"] = "".join(thoughts)
    if message.tool_calls:
        entry["tool_calls"] = [
            {"function": {"name": c.name, "arguments": call_arguments(c)}}
            for c in message.tool_calls
        ]
    return entry


def _messages(config: ClientConfig, request: ChatRequest) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for index, message in enumerate(request.messages):
        if message.role in ("system", "user"):
            out.append(_plain(message.role, message.parts))
        elif message.role == "assistant":
            out.append(_assistant(config, message))
        else:
            entry = _plain("tool", message.parts)
            if message.is_error:
                entry["content"] = f"Error: {entry['content']}"
            entry["tool_name"] = tool_name_for(request.messages, index)
            out.append(entry)
    return out


def _tools(declared: tuple[ToolDefinition, ...]) -> list[dict[str, Any]]:
    return [
        {
            "type": "function",
            "function": {
                "name": tool.name,
                "description": tool.description,
                "parameters": tool_schema(tool, "ollama"),
            },
        }
        for tool in declared
    ]


def _schema_instructions(request: ChatRequest) -> str | None:
    output = request.output
    if output is None or output.mode == "format":
        return None
    return schema_instructions(output.compiled)


def _check_options(request: ChatRequest) -> None:
    """Options the wire has no field for are an error, not silently dropped."""
    options = request.options
    choice = options.tool_choice
    if choice not in (None, "auto", "none"):
        raise ConfigurationError(
            f"Ollama has no tool_choice: {choice!r} cannot be enforced (use 'auto' or 'none', "
            "or say in the prompt which tool to call)"
        )
    unsupported_options = [n for n in ("user", "metadata", "cache_key") if getattr(options, n)]
    if options.parallel_tool_calls is False:
        unsupported_options.append("parallel_tool_calls=False")
    if unsupported_options:
        raise ConfigurationError(f"Ollama takes no {' or '.join(unsupported_options)} option")


def encode_body(
    config: ClientConfig, request: ChatRequest, *, stream: bool = False
) -> dict[str, Any]:
    """The JSON request body as a dict (exposed for tests)."""
    _check_options(request)
    wire = _options(config)
    messages = _messages(config, request)
    instructions = _schema_instructions(request)
    if instructions is not None:
        if messages and messages[0]["role"] == "system":
            messages[0] = {**messages[0], "content": messages[0]["content"] + "\n\n" + instructions}
        else:
            messages.insert(0, {"role": "system", "content": instructions})
    # Ollama streams by default: the field is always explicit.
    body: dict[str, Any] = {"model": config.model, "messages": messages, "stream": stream}
    options: dict[str, Any] = dict(wire.options)
    put_options(options, request.options, _OPTION_FIELDS)
    if wire.num_ctx is not None:
        options["num_ctx"] = wire.num_ctx
    if options:
        body["options"] = options
    if request.tools and request.options.tool_choice != "none":
        body["tools"] = _tools(request.tools)
    output = request.output
    if output is not None and output.mode == "format":
        body["format"] = output.compiled.schema
    elif output is not None and output.mode == "json":
        body["format"] = "json"
    if wire.think is not None:
        body["think"] = wire.think
    if wire.keep_alive is not None:
        body["keep_alive"] = wire.keep_alive
    if request.options.extra_body:
        body.update(request.options.extra_body)
    return body


def encode(config: ClientConfig, request: ChatRequest, stream: bool = False) -> EncodedRequest:
    """Encode one ``/api/chat`` request (an NDJSON stream when ``stream``)."""
    headers = {
        "content-type": "application/json",
        "accept": "application/x-ndjson" if stream else "application/json",
    }
    body = orjson.dumps(encode_body(config, request, stream=stream))
    return EncodedRequest("chat_stream" if stream else "chat", "/api/chat", body, headers)


def output_spec(config: ClientConfig, schema: Any) -> OutputSpec:
    """Compile ``schema`` for ``format`` (enforced by the server's grammar), or for the
    instructions (``json`` and ``prompt`` modes)."""
    mode = _options(config).structured_output
    dialect: Dialect = "ollama" if mode == "format" else "prompt"
    return OutputSpec(compile_schema(schema, dialect, decimal=config.decimal_mode), mode)


CODEC = FunctionCodec("ollama-chat", output_spec, encode, decode, decode_error, new_stream)
