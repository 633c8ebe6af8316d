"""OpenAI Chat Completions wire codec (pure: no I/O).

Encoding
    ``POST /chat/completions`` below the host's base URL. Messages map one to one, system
    messages stay separate (as ``developer`` messages for OpenAI reasoning models):

    * user content is a string, or a list of ``text``, ``image_url`` (a URL or a ``data:`` URL),
      ``file`` (a PDF as ``file_data``) and ``input_audio`` parts;
    * assistant messages carry ``content`` and ``tool_calls`` (reasoning is not sent back: the
      wire has no field for it);
    * tool results are ``tool`` messages with their ``tool_call_id``; media returned by tools
      (which ``tool`` messages cannot hold) follow in one user message after the results;
    * tools are ``{"type": "function", "function": {...}}`` with the parameters through the
      ``openai-strict`` dialect (``strict: true``) or the ``openai-json-schema`` one.

    A schema is requested per :data:`~typedllm._config.StructuredOutputMode`: ``strict`` and
    ``json_schema`` send ``response_format: {"type": "json_schema", ...}`` with ``strict``
    true/false; ``json_object`` sends JSON mode plus the schema in the instructions; ``prompt``
    sends only the instructions.

Decoding
    ``choices[0].message``: ``content`` (a string, or a list of text parts on some hosts) with
    its ``annotations`` (URL citations), ``refusal``, ``tool_calls``, and reasoning from
    ``reasoning_content`` (DeepSeek, llama.cpp), ``reasoning`` (OpenRouter, Groq, Ollama),
    ``thinking`` parts (Mistral) or a leading ``<think>`` block. ``usage`` maps
    ``prompt_tokens``/``completion_tokens`` and the cached/reasoning details. A body with
    ``error`` and no ``choices`` is an error even under HTTP 200 (OpenRouter).

Streaming
    ``chat.completion.chunk`` events; deltas are routed by ``choices[].index`` (other choices
    than the first never mix into the answer); ``data: [DONE]`` ends the stream.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

import orjson

from .._completion import FinishReason, Usage
from .._config import ClientConfig, OpenAIChatOptions
from .._errors import APIStatusError
from .._jsonutil import as_dict, as_int, as_list
from .._messages import (
    AudioPart,
    CachePoint,
    Citation,
    DocumentPart,
    ImagePart,
    Message,
    Part,
    ReasoningPart,
    RefusalPart,
    TextPart,
    ToolCall,
    trusted_text,
)
from .._options import ToolDefinition
from .._usage import make_usage
from .._wire import EncodedRequest, WireResponse
from ..schema import CompiledSchema, Dialect, compile_schema
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
    make_decoded,
    parse_json_body,
    request_id_of,
    shape_error,
)
from ._parts import (
    b64,
    data_url,
    json_headers,
    put_options,
    synthetic_call_id,
    tool_schema,
    unsupported,
    url_citations,
)
from ._stream import SSEStream, StreamState, load_event_json, stream_error
from ._think import StreamThinkSplitter

__all__ = [
    "CODEC",
    "decode",
    "decode_error",
    "decode_usage",
    "encode",
    "encode_body",
    "finish_reason_of",
    "inline_root_ref",
    "is_error_body",
    "new_stream",
    "output_spec",
    "schema_instructions",
    "split_think",
    "stream_event",
]

WIRE = "OpenAI Chat Completions"

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


_OPTION_FIELDS = {
    "temperature": "temperature",
    "top_p": "top_p",
    "top_k": "top_k",
    "seed": "seed",
    "stop": "stop",
    "user": "user",
}


def _options(config: ClientConfig) -> OpenAIChatOptions:
    return config.options_of(OpenAIChatOptions)


def schema_instructions(compiled: CompiledSchema) -> str:
    """Instructions that carry the schema in the prompt (JSON mode and prompt-only hosts)."""
    schema = orjson.dumps(compiled.schema).decode()
    return (
        "Respond with a single JSON object that conforms to this JSON Schema, "
        "and nothing else (no prose, no markdown):\n" + schema
    )


# -- encoding ---------------------------------------------------------------------------------


def _media(part: Part) -> dict[str, Any]:
    if isinstance(part, ImagePart):
        if part.file_id is not None:
            raise unsupported(WIRE, part, "by file_id (pass the image's URL or bytes)")
        image: dict[str, Any] = {"url": data_url(part)}
        if part.detail is not None:
            image["detail"] = part.detail
        return {"type": "image_url", "image_url": image}
    if isinstance(part, DocumentPart):
        if part.file_id is not None:
            # https://platform.openai.com/docs/guides/pdf-files: an uploaded file by its id.
            return {"type": "file", "file": {"file_id": part.file_id}}
        if part.data is None:
            raise unsupported(WIRE, part, "by URL (pass the document's bytes)")
        file: dict[str, Any] = {
            "filename": part.title or "document.pdf",
            "file_data": data_url(part),
        }
        return {"type": "file", "file": file}
    if isinstance(part, AudioPart):
        if part.data is None:
            raise unsupported(WIRE, part, "by URL (pass the audio's bytes)")
        return {
            "type": "input_audio",
            "input_audio": {"data": b64(part.data), "format": part.format},
        }
    raise unsupported(WIRE, part, "in a prompt")


def _content(parts: tuple[Part, ...]) -> str | list[dict[str, Any]]:
    """A string for text alone, else a list of content parts."""
    visible = [p for p in parts if not isinstance(p, CachePoint)]
    if len(visible) <= 1 and all(isinstance(p, TextPart) for p in visible):
        return visible[0].text if visible else ""  # type: ignore[union-attr]
    return [
        {"type": "text", "text": p.text} if isinstance(p, TextPart) else _media(p) for p in visible
    ]


_REASONING_FIELDS = ("reasoning_content", "reasoning")


def _assistant(config: ClientConfig, message: Message) -> dict[str, Any]:
    texts = [p.text for p in message.parts if isinstance(p, TextPart)]
    entry: dict[str, Any] = {"role": "assistant", "content": "".join(texts) if texts else None}
    if message.tool_calls and config.provider != "openai":
        # Hosts that return reasoning in a field of their own want it back in that field on
        # a turn with tool calls (DeepSeek's thinking mode rejects the next request without
        # it); only reasoning from this same provider is sent back.
        for part in message.parts:
            if (
                isinstance(part, ReasoningPart)
                and part.provider == config.provider
                and part.source in _REASONING_FIELDS
            ):
                entry[part.source] = entry.get(part.source, "") + part.text
    refusals = [p.text for p in message.parts if isinstance(p, RefusalPart)]
    if refusals:
        entry["refusal"] = "".join(refusals)
    if message.tool_calls:
        entry["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in message.tool_calls
        ]
    if entry["content"] is None and "tool_calls" not in entry:
        entry["content"] = ""
    return entry


def _messages(
    config: ClientConfig, wire: OpenAIChatOptions, request: ChatRequest
) -> list[dict[str, Any]]:
    system_role = "developer" if wire.developer_role else "system"
    out: list[dict[str, Any]] = []
    pending_media: list[Part] = []  # media from tool results, sent after the run of results
    for message in request.messages:
        if message.role != "tool" and pending_media:
            out.append({"role": "user", "content": _content(tuple(pending_media))})
            pending_media = []
        if message.role == "system":
            out.append({"role": system_role, "content": message.content})
        elif message.role == "user":
            out.append({"role": "user", "content": _content(message.parts)})
        elif message.role == "assistant":
            out.append(_assistant(config, message))
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
            out.append({"role": "tool", "tool_call_id": message.tool_call_id, "content": text})
    if pending_media:
        out.append({"role": "user", "content": _content(tuple(pending_media))})
    return out


def _tools(declared: tuple[ToolDefinition, ...]) -> list[dict[str, Any]]:
    tools: list[dict[str, Any]] = []
    for tool in declared:
        dialect: Dialect = "openai-strict" if tool.strict else "openai-json-schema"
        function: dict[str, Any] = {
            "name": tool.name,
            "description": tool.description,
            "parameters": tool_schema(tool, dialect),
        }
        if tool.strict is not None:
            function["strict"] = tool.strict
        tools.append({"type": "function", "function": function})
    return tools


def _tool_choice(choice: str) -> Any:
    if choice in ("auto", "required", "none"):
        return choice
    return {"type": "function", "function": {"name": choice}}


def encode_body(
    config: ClientConfig, request: ChatRequest, *, stream: bool = False
) -> dict[str, Any]:
    """The JSON request body as a dict (exposed for tests)."""
    wire = _options(config)
    messages = _messages(config, wire, request)
    output = request.output
    if output is not None and output.mode in ("json_object", "prompt", "json_object_schema"):
        # JSON mode requires the word "JSON" in the prompt; the schema instructions carry it.
        instructions = schema_instructions(output.compiled)
        first = messages[0] if messages else None
        if first is not None and first["role"] in ("system", "developer"):
            messages[0] = {**first, "content": first["content"] + "\n\n" + instructions}
        else:
            role = "developer" if wire.developer_role else "system"
            messages.insert(0, {"role": role, "content": instructions})
    body: dict[str, Any] = {"model": config.model, "messages": messages}
    options = request.options
    # top_k only reaches OpenAI-compatible hosts: OpenAI itself is gated (it has none).
    put_options(body, options, _OPTION_FIELDS)
    if wire.reasoning_effort is not None:
        body["reasoning_effort"] = wire.reasoning_effort
    if options.max_tokens is not None:
        body[wire.max_tokens_field] = options.max_tokens
    if options.metadata:
        body["metadata"] = dict(options.metadata)
    if options.cache_key is not None:
        body["prompt_cache_key"] = options.cache_key
    if options.cache_retention is not None:
        # https://platform.openai.com/docs/guides/prompt-caching#prompt-cache-retention
        body["prompt_cache_retention"] = options.cache_retention
    tools = request.tools
    if tools:
        body["tools"] = _tools(tools)
        if options.tool_choice is not None:
            body["tool_choice"] = _tool_choice(options.tool_choice)
        if options.parallel_tool_calls is not None:
            body["parallel_tool_calls"] = options.parallel_tool_calls
    if options.native_tools:
        # Only the search-preview models search, with ``web_search_options`` (gated before).
        from ._native import chat_web_search_options

        body["web_search_options"] = chat_web_search_options(options.native_tools)
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
        elif output.mode == "json_object_schema":
            # llama-cpp-python's server enforces a schema only in this form.
            schema = output.compiled.schema
            if wire.inline_root_ref:
                schema = inline_root_ref(schema)
            body["response_format"] = {"type": "json_object", "schema": schema}
    if stream:
        body["stream"] = True
        if wire.stream_usage:
            body["stream_options"] = {"include_usage": True}
    for name, value in wire.body_fields:
        body[name] = value
    if options.extra_body:
        body.update(options.extra_body)
    return body


def inline_root_ref(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """``schema`` with a root ``$ref`` replaced by its target (the ``$defs`` kept beside it):
    llama-cpp-python's schema-to-grammar converter cannot resolve a root ``$ref`` and silently
    falls back to any JSON."""
    ref = schema.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/$defs/"):
        return schema
    defs = as_dict(schema.get("$defs"))
    target = defs.get(ref.removeprefix("#/$defs/"))
    if not isinstance(target, dict):
        return schema
    siblings = {k: v for k, v in schema.items() if k != "$ref"}
    return {**cast(dict[str, Any], target), **siblings}


def encode(config: ClientConfig, request: ChatRequest, stream: bool = False) -> EncodedRequest:
    """Encode one Chat Completions request (``stream: true`` with usage in the last chunk when
    streaming)."""
    headers = json_headers(stream)
    body = orjson.dumps(encode_body(config, request, stream=stream))
    return EncodedRequest("chat_stream" if stream else "chat", "/chat/completions", body, headers)


# -- decoding ---------------------------------------------------------------------------------


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
    u = as_dict(raw)
    prompt_details = as_dict(u.get("prompt_tokens_details"))
    completion_details = as_dict(u.get("completion_tokens_details"))
    cached = as_int(prompt_details.get("cached_tokens"))
    cached = cached or as_int(u.get("prompt_cache_hit_tokens")) or as_int(u.get("cached_tokens"))
    return Usage(
        input_tokens=as_int(u.get("prompt_tokens")),
        output_tokens=as_int(u.get("completion_tokens")),
        cache_read_tokens=cached,
        reasoning_tokens=as_int(completion_details.get("reasoning_tokens")),
    )


def finish_reason_of(raw: Any) -> FinishReason | None:
    """Normalise a finish reason string (``None`` stays ``None``)."""
    if raw is None:
        return None
    return _FINISH.get(str(raw), "other")


def decode_error(provider: str, response: WireResponse) -> APIStatusError:
    """The typed error for a non-2xx response (or a 200 response carrying only an error)."""
    status = response.status
    if status < 300:
        err = as_dict(as_dict(parse_json_body(response.body)).get("error"))
        code = err.get("code")
        status = code if isinstance(code, int) and code >= 400 else 500
    return error_from_body(provider, response, status)


def _answer_message(
    provider: str, response: WireResponse, body: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The body and its first choice's message, checked: a body without them is not an
    answer (it must not pass as an empty one)."""
    if not isinstance(body, dict):
        raise shape_error(provider, response, f"the body is {json_type(body)}, not an object")
    data = cast(dict[str, Any], body)
    choices = data.get("choices")
    if "choices" not in data:
        raise shape_error(provider, response, "it has no `choices`")
    if not isinstance(choices, list):
        raise shape_error(provider, response, f"`choices` is {json_type(choices)}, not a list")
    if not choices:
        raise shape_error(provider, response, "`choices` is empty")
    choice: Any = as_list(choices)[0]
    if not isinstance(choice, dict):
        raise shape_error(provider, response, f"`choices[0]` is {json_type(choice)}")
    message: Any = cast(dict[str, Any], choice).get("message")
    if not isinstance(message, dict):
        what = "missing" if message is None else json_type(message)
        raise shape_error(provider, response, f"`choices[0].message` is {what}")
    content: Any = cast(dict[str, Any], message).get("content")
    if content is not None and not isinstance(content, (str, list)):
        raise shape_error(
            provider,
            response,
            f"`choices[0].message.content` is {json_type(content)}, not text or a list of parts",
        )
    return data, cast(dict[str, Any], message)


def is_error_body(body: Any) -> bool:
    """Whether a 2xx body is an error in disguise (``error`` and no ``choices``)."""
    return isinstance(body, dict) and "error" in body and "choices" not in body


def _citations(message: dict[str, Any]) -> tuple[Citation, ...]:
    return url_citations(message.get("annotations"))


def _call(raw_call: Any, index: int, response_id: str | None) -> ToolCall:
    call = as_dict(raw_call)
    fn = as_dict(call.get("function"))
    raw_args = fn.get("arguments")
    args = raw_args if isinstance(raw_args, str) else orjson.dumps(raw_args or {}).decode()
    args = args or "{}"  # a call without arguments takes the empty object
    name = str(fn.get("name") or "")
    # Gemini's OpenAI-compatible endpoint sends calls with an empty id: give them a stable one
    # so that a tool result can answer them.
    call_id = str(call.get("id") or "") or synthetic_call_id(response_id, index, name, args)
    return ToolCall(id=call_id, name=name, arguments=args)


_PLAIN_MESSAGE_KEYS = frozenset(("role", "content", "refusal", "annotations", "tool_calls"))
_NO_DETAILS: dict[str, Any] = {}


def _usage_fast(raw: Any) -> Usage | None:
    """``decode_usage`` for the common plain counts (``None``: take the general path)."""
    # Typed by annotation before the checks, not by cast(): a cast's subscript costs more
    # than the lookups here. The two counts every plain usage has are read by subscript (a
    # third of a get() call); a usage that is not an object, or lacks them, raises here.
    u: dict[str, Any] = raw
    try:
        prompt: Any = u["prompt_tokens"]
        completion: Any = u["completion_tokens"]
    except (KeyError, TypeError):
        return None
    if type(prompt) is not int or type(completion) is not int:
        return None
    details: dict[str, Any] = u.get("prompt_tokens_details") or _NO_DETAILS
    cached: Any = details.get("cached_tokens") if type(details) is dict else 0
    if cached or "prompt_cache_hit_tokens" in u or "cached_tokens" in u:
        return None
    more: dict[str, Any] = u.get("completion_tokens_details") or _NO_DETAILS
    reasoning: Any = more.get("reasoning_tokens") if type(more) is dict else 0
    return make_usage(prompt, completion, 0, reasoning if type(reasoning) is int else 0, 0)


def _decode_plain(provider: str, response: WireResponse, body: Any) -> DecodedCompletion | None:
    """The common answer (one choice, a plain text message, no reasoning, refusal, citations
    or tool calls) decoded without the general path's checks; ``None`` for anything else.
    Throughput: the general path is most of the decode cost of a high-concurrency run."""
    # The path to the content by subscripts, not get() and a type check per level: of the
    # JSON values only an object takes a string subscript, so a level of any other type (or a
    # missing key, or no choice) raises, and the general path decides.
    data: dict[str, Any] = body
    try:
        first: dict[str, Any] = data["choices"][0]
        message: dict[str, Any] = first["message"]
        content: Any = message["content"]
        raw_usage: Any = data["usage"]
    except (KeyError, IndexError, TypeError):
        return None
    if type(content) is not str or "<think>" in content[:64]:
        return None
    if not _PLAIN_MESSAGE_KEYS.issuperset(message) or message.get("refusal"):
        return None
    if message.get("annotations") or message.get("tool_calls"):
        return None
    usage = _usage_fast(raw_usage)
    if usage is None:
        return None
    raw_finish: Any = first.get("finish_reason")
    if raw_finish is not None and type(raw_finish) is not str:
        return None
    model: Any = data.get("model")
    response_id: Any = data.get("id")
    return make_decoded(
        (trusted_text(content),),
        _FINISH.get(raw_finish, "other") if raw_finish is not None else None,
        usage,
        model if type(model) is str else None,
        response_id if type(response_id) is str else None,
        request_id_of(response.headers),
        None,  # refusal
        raw_finish,
        body,
    )


def decode(provider: str, response: WireResponse) -> DecodedCompletion:
    """Decode a Chat Completions response; raise the typed error for error responses."""
    if response.status >= 400:
        raise decode_error(provider, response)
    body = answer_body(provider, response)
    plain = _decode_plain(provider, response, body)
    if plain is not None:
        return plain
    if is_error_body(body):
        raise decode_error(provider, response)
    data, message = _answer_message(provider, response, body)
    choice = as_dict(as_list(data["choices"])[0])
    text, reasoning = _text_of(message.get("content"))
    source = "thinking" if reasoning is not None else None
    for key in ("reasoning_content", "reasoning"):
        value = message.get(key)
        if isinstance(value, str) and value and reasoning is None:
            reasoning, source = value, key
    if text is not None:
        text, in_band = split_think(text)
        if reasoning is None and in_band is not None:
            reasoning, source = in_band, "think_tag"
    parts: list[Part] = []
    if reasoning is not None:
        parts.append(ReasoningPart(reasoning, provider=provider, source=source))
    if text is not None:
        parts.append(TextPart(text, _citations(message)))
    refusal = message.get("refusal")
    if isinstance(refusal, str) and refusal:
        parts.append(RefusalPart(refusal))
    raw_finish = choice.get("finish_reason")
    model = data.get("model")
    response_id = data.get("id")
    rid = response_id if isinstance(response_id, str) else None
    parts += [_call(c, i, rid) for i, c in enumerate(as_list(message.get("tool_calls")))]
    return DecodedCompletion(
        parts=tuple(parts),
        finish_reason=finish_reason_of(raw_finish),
        usage=decode_usage(data.get("usage")),
        model=model if isinstance(model, str) else None,
        response_id=response_id if isinstance(response_id, str) else None,
        request_id=request_id_of(response.headers),
        refusal=refusal if isinstance(refusal, str) and refusal else None,
        raw_finish_reason=str(raw_finish) if raw_finish is not None else None,
        raw=body,
    )


def output_spec(config: ClientConfig, schema: Any) -> OutputSpec:
    """Compile ``schema`` for the client's structured-output mode."""
    mode = _options(config).structured_output
    dialect: Dialect = (
        "openai-strict"
        if mode == "strict"
        else "openai-json-schema"
        if mode == "json_schema"
        # llama-cpp-python turns the schema into a llama.cpp grammar, as Ollama does.
        else "ollama"
        if mode == "json_object_schema"
        else "prompt"
    )
    return OutputSpec(compile_schema(schema, dialect, decimal=config.decimal_mode), mode)


# -- streaming --------------------------------------------------------------------------------


def _apply_choice(
    choice: dict[str, Any],
    state: StreamState,
    answer: bool,
    splitter: StreamThinkSplitter | None,
) -> list[Delta]:
    deltas: list[Delta] = []
    delta = as_dict(choice.get("delta"))
    for key in ("reasoning_content", "reasoning"):
        if isinstance(delta.get(key), str):
            if delta[key]:
                state.think(delta[key], source=key)
            break
    content, thinking = _text_of(delta.get("content"))  # str, or parts (Mistral)
    if thinking:
        state.think(thinking, source="thinking")
    if content and splitter is not None:
        content, in_band = splitter.feed(content)  # a leading <think> block is reasoning
        if in_band:
            state.think(in_band, source="think_tag")
    if choice.get("finish_reason") is not None and splitter is not None:
        tail, leftover = splitter.flush()  # what the splitter still holds at the end
        if leftover:
            state.think(leftover, source="think_tag")
        content = (content or "") + tail
    if content:
        state.text(content)
        if answer:
            deltas.append(("text", content))
    if isinstance(delta.get("refusal"), str) and delta["refusal"]:
        state.refuse(delta["refusal"])
    if delta.get("annotations"):  # the search-preview models' URL citations
        for citation in url_citations(delta["annotations"]):
            state.cite(citation)
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
            if answer:
                deltas.append((index, args))
    if choice.get("finish_reason") is not None:
        reason = finish_reason_of(choice["finish_reason"])
        assert reason is not None
        state.finish_with(str(choice["finish_reason"]), reason)
    return deltas


def stream_event(
    provider: str,
    event: SSEEvent,
    state: StreamState,
    splitter: StreamThinkSplitter | None = None,
) -> list[Delta]:
    """Apply one ``chat.completion.chunk`` event; errors sent in the stream raise.

    With a ``splitter``, a leading in-band ``<think>`` block of the answer is reasoning, as in
    :func:`decode`."""
    if event.data.strip() == "[DONE]":
        state.done = True
        return []
    chunk = as_dict(load_event_json(provider, event.data))
    if "error" in chunk or event.event == "error":
        raise stream_error(provider, chunk, state.request_id)
    model, response_id = chunk.get("model"), chunk.get("id")
    state.model = model if isinstance(model, str) else state.model
    state.response_id = response_id if isinstance(response_id, str) else state.response_id
    if chunk.get("usage"):
        state.usage = decode_usage(chunk["usage"])
    deltas: list[Delta] = []
    for raw_choice in as_list(chunk.get("choices")):
        choice = as_dict(raw_choice)
        index = choice.get("index", 0)
        index = index if isinstance(index, int) else 0
        # Only the first choice is the answer: other choices (n > 1) are kept apart.
        deltas += _apply_choice(
            choice, state.choice(index), index == 0, splitter if index == 0 else None
        )
    return deltas


def new_stream(provider: str) -> SSEStream:
    """A fresh SSE decoding session (with its own ``<think>`` splitter for the answer)."""
    splitter = StreamThinkSplitter()

    def apply(provider: str, event: SSEEvent, state: StreamState) -> list[Delta]:
        return stream_event(provider, event, state, splitter)

    return SSEStream(provider, apply)


CODEC = FunctionCodec("openai-chat", output_spec, encode, decode, decode_error, new_stream)
