"""Google Gemini ``generateContent`` wire codec (pure: no I/O); Gemini API and Vertex AI.

Encoding
    ``POST /models/{model}:generateContent`` below the host's base URL (the Vertex host's base
    ends in ``/publishers/google``); the key or token header is the auth step's. Messages become
    ``contents`` (``assistant`` -> role ``model``); system messages become
    ``systemInstruction`` parts, one part per message (never joined). Parts:

    * ``text``; media as ``inlineData`` (bytes) or ``fileData`` (a URL or ``gs://`` URI);
    * model turns: Gemini thoughts (``thought: true``) and ``functionCall`` parts with their
      ``thoughtSignature`` sent back unchanged (Gemini 3 requires the signatures);
    * tool results are ``functionResponse`` parts (``response: {"output": ...}`` or
      ``{"error": ...}``) in one user turn per run of results; media returned by tools follow
      as parts of that turn;
    * tools are ``functionDeclarations`` with ``parametersJsonSchema`` (the
      ``gemini-json-schema`` dialect) or, on models with the OpenAPI subset only,
      ``parameters``; ``toolConfig.functionCallingConfig`` carries the tool choice; the
      built-in tools (``googleSearch``, ``codeExecution``, ``urlContext``) are entries of
      their own (:mod:`typedllm.codecs._native`).

    ``generationConfig`` carries ``temperature``, ``topP``, ``topK``, ``maxOutputTokens``,
    ``stopSequences``, ``seed``, ``candidateCount: 1``, ``thinkingConfig`` and, for a schema,
    ``responseMimeType: application/json`` with ``responseJsonSchema`` (2.0+ models) or the
    OpenAPI-subset ``responseSchema`` (older models).

Decoding
    ``candidates[0].content.parts``: text parts are the answer, ``thought: true`` parts the
    reasoning, ``functionCall`` parts tool calls (an id is made up when Gemini gives none, so
    results can answer it), ``thoughtSignature`` kept on the part it came with; other parts
    (server-side tool calls and results, code execution) are kept as
    :class:`~typedllm.OpaquePart`\\ s and sent back unchanged. Citations come
    from ``citationMetadata`` and ``groundingMetadata``; the candidate's ``groundingMetadata``
    and ``urlContextMetadata`` are also kept as opaque parts (never sent back) for
    ``Completion.native_results``. ``finishReason``: ``STOP`` -> stop,
    ``MAX_TOKENS`` -> length; ``SAFETY``, ``RECITATION``, ``PROHIBITED_CONTENT``, ``BLOCKLIST``,
    ``SPII``, ``IMAGE_SAFETY`` and ``MODEL_ARMOR`` -> a refusal naming the reason; a prompt
    blocked by ``promptFeedback.blockReason`` is a refusal too. ``usageMetadata`` -> usage
    (thought tokens are output tokens, also reported as reasoning tokens).
"""

from __future__ import annotations

from typing import Any, cast

import orjson

from .._completion import FinishReason, Usage
from .._config import ClientConfig, GeminiOptions
from .._errors import APIStatusError, ConfigurationError
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
from ._native import gemini_tools
from ._parts import (
    b64,
    call_arguments,
    json_headers,
    json_or_text,
    put_options,
    synthetic_call_id,
    tool_name_for,
    tool_schema,
)
from ._stream import SSEStream, StreamState, load_event_json, stream_error

__all__ = [
    "CODEC",
    "decode",
    "decode_error",
    "decode_usage",
    "encode",
    "encode_body",
    "new_stream",
    "output_spec",
    "stream_event",
]

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
_MODES = {"auto": "AUTO", "required": "ANY", "none": "NONE"}
METADATA_KEYS = ("groundingMetadata", "urlContextMetadata")
"""Candidate metadata of the built-in tools, kept as opaque parts (never sent back)."""


_OPTION_FIELDS = {
    "temperature": "temperature",
    "top_p": "topP",
    "top_k": "topK",
    "max_tokens": "maxOutputTokens",
    "stop": "stopSequences",
    "seed": "seed",
}


def _options(config: ClientConfig) -> GeminiOptions:
    return config.options_of(GeminiOptions)


def output_spec(config: ClientConfig, schema: Any) -> OutputSpec:
    """``responseJsonSchema`` where the model supports it, else the OpenAPI ``responseSchema``."""
    if config.model_info.structured_output == "openapi":
        return OutputSpec(
            compile_schema(schema, "gemini-openapi", decimal=config.decimal_mode), "response_schema"
        )
    return OutputSpec(
        compile_schema(schema, "gemini-json-schema", decimal=config.decimal_mode),
        "response_json_schema",
    )


# -- encoding ---------------------------------------------------------------------------------


def _media(part: ImagePart | DocumentPart | AudioPart) -> dict[str, Any]:
    if part.data is not None:
        return {"inlineData": {"mimeType": part.media_type, "data": b64(part.data)}}
    if not part.media_type:
        raise ConfigurationError(
            f"Gemini needs the media type of {part.url!r}: pass media_type= to the part"
        )
    return {"fileData": {"mimeType": part.media_type, "fileUri": part.url}}


def _input_parts(parts: tuple[Part, ...]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for part in parts:
        if isinstance(part, TextPart):
            out.append({"text": part.text})
        elif isinstance(part, (ImagePart, DocumentPart, AudioPart)):
            out.append(_media(part))
        elif not isinstance(part, CachePoint):  # Gemini caches implicitly
            raise ConfigurationError(f"Gemini cannot take {type(part).__name__} in a prompt")
    return out


def _model_parts(message: Message) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for part in message.parts:
        if isinstance(part, OpaquePart):
            if part.provider == "gemini" and part.kind not in METADATA_KEYS:
                out.append(dict(part.data))
        elif isinstance(part, ReasoningPart):
            if part.provider == "gemini" and (part.text or part.signature):
                thought: dict[str, Any] = {"text": part.text, "thought": True}
                if part.signature:
                    thought["thoughtSignature"] = part.signature
                out.append(thought)
        elif isinstance(part, TextPart):
            text: dict[str, Any] = {"text": part.text}
            if part.signature:
                text["thoughtSignature"] = part.signature
            out.append(text)
        elif isinstance(part, ToolCall):
            call: dict[str, Any] = {"name": part.name, "args": call_arguments(part)}
            if part.id:
                call["id"] = part.id
            entry: dict[str, Any] = {"functionCall": call}
            if part.signature:
                entry["thoughtSignature"] = part.signature
            out.append(entry)
    return out or [{"text": ""}]


def _function_response(messages: tuple[Message, ...], index: int) -> list[dict[str, Any]]:
    message = messages[index]
    text = message.content
    value = json_or_text(text)
    response: dict[str, Any] = {"error" if message.is_error else "output": value}
    function: dict[str, Any] = {"name": tool_name_for(messages, index), "response": response}
    if message.tool_call_id:
        function["id"] = message.tool_call_id
    media = [p for p in message.parts if isinstance(p, (ImagePart, DocumentPart, AudioPart))]
    return [{"functionResponse": function}, *(_media(p) for p in media)]


def _contents(request: ChatRequest) -> list[dict[str, Any]]:
    contents: list[dict[str, Any]] = []
    messages = request.messages
    after_results = False
    for index, message in enumerate(messages):
        if message.role == "system":
            continue
        if message.role == "tool":
            parts = _function_response(messages, index)
            if after_results:
                contents[-1]["parts"] += parts
            else:
                contents.append({"role": "user", "parts": parts})
                after_results = True
            continue
        after_results = False
        if message.role == "assistant":
            contents.append({"role": "model", "parts": _model_parts(message)})
        else:
            contents.append(
                {"role": "user", "parts": _input_parts(message.parts) or [{"text": ""}]}
            )
    return contents


def _tools(config: ClientConfig, request: ChatRequest) -> list[dict[str, Any]]:
    openapi = config.model_info.structured_output == "openapi"
    declarations: list[dict[str, Any]] = []
    for tool in request.tools:
        declaration: dict[str, Any] = {"name": tool.name, "description": tool.description}
        if openapi:
            declaration["parameters"] = tool_schema(tool, "gemini-openapi")
        else:
            declaration["parametersJsonSchema"] = tool_schema(tool, "gemini-json-schema")
        declarations.append(declaration)
    return [{"functionDeclarations": declarations}]


def encode_body(config: ClientConfig, request: ChatRequest) -> dict[str, Any]:
    """The JSON request body."""
    systems = [m for m in request.messages if m.role == "system"]
    body: dict[str, Any] = {"contents": _contents(request)}
    if systems:
        body["systemInstruction"] = {"parts": [{"text": m.content} for m in systems]}
    native = request.options.native_tools or ()
    if request.tools or native:
        body["tools"] = (_tools(config, request) if request.tools else []) + gemini_tools(native)
    if native and not request.tools and request.tool_choice not in (None, "auto"):
        raise ConfigurationError(
            "Gemini's tool_choice applies to function tools (tools=), not to its built-in "
            f"tools; got tool_choice={request.tool_choice!r} without function tools"
        )
    if request.tools:
        choice = request.tool_choice
        if choice is not None:
            calling: dict[str, Any] = {"mode": _MODES.get(choice, "ANY")}
            if choice not in _MODES:
                calling["allowedFunctionNames"] = [choice]
            body["toolConfig"] = {"functionCallingConfig": calling}
    options = request.options
    generation: dict[str, Any] = {"candidateCount": 1}
    put_options(generation, options, _OPTION_FIELDS)
    budget = _options(config).thinking_budget
    if budget is not None:
        generation["thinkingConfig"] = {"thinkingBudget": budget, "includeThoughts": budget != 0}
    output = request.output
    if output is not None:
        generation["responseMimeType"] = "application/json"
        key = "responseSchema" if output.mode == "response_schema" else "responseJsonSchema"
        generation[key] = output.compiled.schema
    body["generationConfig"] = generation
    if options.cached_content is not None:
        # https://ai.google.dev/gemini-api/docs/caching: the cached prefix by its name.
        body["cachedContent"] = options.cached_content
    if options.extra_body:
        body.update(options.extra_body)
    return body


def encode(config: ClientConfig, request: ChatRequest, stream: bool = False) -> EncodedRequest:
    """Encode one ``generateContent`` request (``:streamGenerateContent?alt=sse`` when
    streaming)."""
    headers = json_headers(stream)
    body = orjson.dumps(encode_body(config, request))
    if stream:
        path = f"/models/{config.model}:streamGenerateContent"
        return EncodedRequest("chat_stream", path, body, headers, (("alt", "sse"),))
    return EncodedRequest("chat", f"/models/{config.model}:generateContent", body, headers)


# -- decoding ---------------------------------------------------------------------------------


def decode_usage(raw: Any) -> Usage:
    """Map ``usageMetadata``."""
    u = as_dict(raw)

    def n(key: str) -> int:
        return as_int(u.get(key))

    thoughts = n("thoughtsTokenCount")
    return Usage(
        input_tokens=n("promptTokenCount"),
        output_tokens=n("candidatesTokenCount") + thoughts,
        cache_read_tokens=n("cachedContentTokenCount"),
        reasoning_tokens=thoughts,
    )


def decode_error(provider: str, response: WireResponse) -> APIStatusError:
    """The typed error for ``{"error": {"code", "message", "status"}}`` bodies."""
    status = response.status if response.status >= 300 else 500
    return error_from_body(provider, response, status)


def decode(provider: str, response: WireResponse) -> DecodedCompletion:
    """Decode a ``generateContent`` response; raise the typed error for error responses."""
    if response.status >= 400:
        raise decode_error(provider, response)
    body = answer_body(provider, response)
    # A non-streaming call answered with a JSON array (streamGenerateContent without alt=sse)
    # is decoded chunk by chunk and joined.
    chunks = [as_dict(c) for c in as_list(body)] if isinstance(body, list) else [as_dict(body)]
    if any("error" in c for c in chunks):
        raise decode_error(provider, response)
    _check_answer(provider, response, body, chunks)
    # One decoder for both: a complete response is a stream of one chunk (or of the array's).
    state = StreamState(provider, request_id=request_id_of(response.headers))
    for chunk in chunks:
        _apply_chunk(provider, chunk, state)
    return state.decoded(raw=body)


def _check_answer(
    provider: str, response: WireResponse, body: Any, chunks: list[dict[str, Any]]
) -> None:
    """Refuse a body that is not an answer (it must not pass as an empty one): no candidate
    and no block reason, or a candidate with neither content nor a finish reason."""
    if not isinstance(body, (dict, list)):
        raise shape_error(provider, response, f"the body is {json_type(body)}, not an object")
    blocked = any(as_dict(c.get("promptFeedback")).get("blockReason") for c in chunks)
    candidates = [cand for c in chunks for cand in as_list(c.get("candidates"))]
    if not candidates:
        if blocked:
            return
        raise shape_error(
            provider, response, "it has no `candidates` and no `promptFeedback.blockReason`"
        )
    for position, raw in enumerate(candidates):
        candidate: Any = raw
        if not isinstance(candidate, dict):
            raise shape_error(provider, response, f"`candidates[{position}]` is {json_type(raw)}")
        content: Any = cast(dict[str, Any], candidate).get("content")
        if content is None:
            if cast(dict[str, Any], candidate).get("finishReason") is None:
                raise shape_error(
                    provider,
                    response,
                    f"`candidates[{position}]` has no `content` and no `finishReason`",
                )
            continue
        parts: Any = as_dict(content).get("parts")
        if not isinstance(content, dict) or (parts is not None and not isinstance(parts, list)):
            what = json_type(content) if not isinstance(content, dict) else json_type(parts)
            raise shape_error(
                provider, response, f"`candidates[{position}].content` has parts that are {what}"
            )
        if not parts and cast(dict[str, Any], candidate).get("finishReason") is None:
            raise shape_error(
                provider,
                response,
                f"`candidates[{position}].content` has no parts and no `finishReason`",
            )


def _citations(candidate: dict[str, Any]) -> list[Citation]:
    out: list[Citation] = []
    for raw in as_list(as_dict(candidate.get("citationMetadata")).get("citationSources")):
        source = as_dict(raw)
        start, end, uri = source.get("startIndex"), source.get("endIndex"), source.get("uri")
        out.append(
            Citation(
                url=uri if isinstance(uri, str) else None,
                start=start if isinstance(start, int) else None,
                end=end if isinstance(end, int) else None,
                source="citation",
                raw=source,
            )
        )
    grounding = as_dict(candidate.get("groundingMetadata"))
    chunks = [as_dict(as_dict(c).get("web")) for c in as_list(grounding.get("groundingChunks"))]
    for raw in as_list(grounding.get("groundingSupports")):
        support = as_dict(raw)
        segment = as_dict(support.get("segment"))
        for i in as_list(support.get("groundingChunkIndices")):
            web = chunks[i] if isinstance(i, int) and 0 <= i < len(chunks) else {}
            uri, title = web.get("uri"), web.get("title")
            text, start, end = (
                segment.get("text"),
                segment.get("startIndex"),
                segment.get("endIndex"),
            )
            out.append(
                Citation(
                    cited_text=text if isinstance(text, str) else None,
                    url=uri if isinstance(uri, str) else None,
                    title=title if isinstance(title, str) else None,
                    start=start if isinstance(start, int) else None,
                    end=end if isinstance(end, int) else None,
                    source="grounding",
                    raw=support,
                )
            )
    return out


def _apply_chunk(provider: str, chunk: dict[str, Any], state: StreamState) -> list[Delta]:
    if "error" in chunk:
        raise stream_error(provider, chunk, state.request_id)
    model, response_id = chunk.get("modelVersion"), chunk.get("responseId")
    state.model = model if isinstance(model, str) else state.model
    state.response_id = response_id if isinstance(response_id, str) else state.response_id
    deltas: list[Delta] = []
    candidates = as_list(chunk.get("candidates"))
    candidate = as_dict(candidates[0]) if candidates else {}
    for raw_part in as_list(as_dict(candidate.get("content")).get("parts")):
        part = as_dict(raw_part)
        signature = part.get("thoughtSignature") or part.get("thought_signature")
        if isinstance(part.get("text"), str):
            if part.get("thought"):
                state.think(part["text"])
                if isinstance(signature, str):
                    state.sign(signature)
            else:
                if part["text"]:
                    state.text(part["text"])
                    deltas.append(("text", part["text"]))
                if isinstance(signature, str):
                    state.sign_text(signature)
        elif "functionCall" in part or "function_call" in part:
            fn = as_dict(part.get("functionCall") or part.get("function_call"))
            index = len(state.calls)
            target = state.call(index)
            target.name = str(fn.get("name") or "")
            target.arguments.append(orjson.dumps(fn.get("args") or {}).decode())
            given = fn.get("id")
            target.id = (
                given
                if isinstance(given, str) and given
                else synthetic_call_id(state.response_id, index, target.name, target.arguments[0])
            )
            if isinstance(signature, str):
                target.signature = signature
        elif part:
            # Server-side tool calls and results (Google Search, code execution ...) and any
            # part kind this codec does not model: kept as received, to be sent back.
            state.opaque(part, key=len(state.blocks))
    for citation in _citations(candidate):
        state.cite(citation)
    for key in METADATA_KEYS:
        metadata = candidate.get(key)
        if isinstance(metadata, dict) and metadata:
            # What the built-in tools did (search queries and sources, URLs read): kept as an
            # opaque part for Completion.native_results; it is never sent back.
            state.opaque_latest({key: metadata}, key=key)
    reason = candidate.get("finishReason")
    if isinstance(reason, str):
        state.finish_with(reason, "refusal" if reason in _BLOCKED else _FINISH.get(reason, "other"))
        if reason in _BLOCKED:
            state.refusal_reason = f"the response was blocked (finishReason {reason})"
    block = as_dict(chunk.get("promptFeedback")).get("blockReason")
    if isinstance(block, str) and not any(b.kind == "text" for b in state.blocks):
        state.finish_with(block, "refusal")
        state.refusal_reason = f"the prompt was blocked (blockReason {block})"
    if chunk.get("usageMetadata"):
        state.usage = decode_usage(chunk["usageMetadata"])
    return deltas


def stream_event(provider: str, event: SSEEvent, state: StreamState) -> list[Delta]:
    """Apply one streamed ``GenerateContentResponse`` chunk (Gemini streams end when the
    server closes the body)."""
    return _apply_chunk(provider, as_dict(load_event_json(provider, event.data)), state)


def new_stream(provider: str) -> SSEStream:
    """A fresh SSE decoding session."""
    return SSEStream(provider, stream_event)


CODEC = FunctionCodec(
    "gemini-generate-content", output_spec, encode, decode, decode_error, new_stream
)
