"""What every wire codec shares: the provider-neutral request and answer records, the codec
interface, and the error-body reading most wires have in common.

A codec is pure: it turns a :class:`ChatRequest` into an
:class:`~typedllm._wire.EncodedRequest` (body and operation; the host places it, the auth step
signs it), a response into a :class:`DecodedCompletion` or a typed error, and makes a fresh
:class:`StreamDecoder` (framing plus per-stream state) for each streamed attempt.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from .._completion import FinishReason, Usage
from .._config import ClientConfig
from .._errors import APIStatusError, ProtocolError, status_error_class
from .._jsonutil import NotJSON, loads_exact
from .._messages import (
    Message,
    Part,
    RefusalPart,
    TextPart,
    ToolCall,
    calls_of,
    reasoning_of,
)
from .._options import CallOptions, ToolChoice, ToolDefinition
from .._records import positional_maker
from .._wire import EncodedRequest, WireResponse
from ..hosts._host import mask_url
from ..schema import CompiledSchema

__all__ = [
    "ChatRequest",
    "Codec",
    "DecodedCompletion",
    "Delta",
    "FunctionCodec",
    "OutputSpec",
    "StreamDecoder",
    "answer_body",
    "error_from_body",
    "json_type",
    "make_decoded",
    "parse_json_body",
    "request_id_of",
    "retry_after_of",
    "shape_error",
]

Delta = tuple["str | int", str]
"""A piece of a streamed answer: ``("text", text)``, or ``(index, arguments)`` for tool call
``index``."""


@dataclass(frozen=True, slots=True)
class OutputSpec:
    """What a call asks the model to produce: a compiled schema and how to request it.

    ``mode`` is wire-specific: ``strict``/``json_schema``/``json_object``/``prompt`` (OpenAI
    style), ``format``/``tool`` (Anthropic), ``response_json_schema``/``response_schema``
    (Gemini). Only ``strict``, ``format`` and ``response_*`` are enforced by the provider;
    the others are validated leniently.
    """

    compiled: CompiledSchema
    mode: str

    @property
    def enforced(self) -> bool:
        """Whether the provider constrains the answer to the schema (no lenient extraction)."""
        return self.mode in ("strict", "format", "response_json_schema", "response_schema")

    @property
    def answer_tool(self) -> str | None:
        """The name of the tool whose input is the answer (the tool route), else ``None``."""
        return self.compiled.name if self.mode == "tool" else None


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """One call, provider-neutral: the full message list, the optional output schema and the
    call's options (the builder's defaults with the call's overrides applied)."""

    messages: tuple[Message, ...]
    output: OutputSpec | None = None
    options: CallOptions = field(default_factory=CallOptions)

    @property
    def tools(self) -> tuple[ToolDefinition, ...]:
        """The tools offered to the model."""
        return self.options.tools or ()

    @property
    def tool_choice(self) -> ToolChoice | None:
        """How the model may use the tools."""
        return self.options.tool_choice


@dataclass(frozen=True, slots=True)
class DecodedCompletion:
    """One provider answer, provider-neutral: its parts in order, and what came with them."""

    parts: tuple[Part, ...]
    finish_reason: FinishReason | None
    usage: Usage
    model: str | None = None
    response_id: str | None = None
    request_id: str | None = None
    refusal: str | None = None
    """The refusal, from a refusal part or a refusal stop (safety blocks included)."""
    raw_finish_reason: str | None = None
    raw: Any = field(default=None, repr=False)

    @property
    def text(self) -> str | None:
        """The answer text (text parts joined); ``None`` when the answer has no text part."""
        parts = self.parts
        if len(parts) == 1 and type(parts[0]) is TextPart:  # the common answer
            return parts[0].text
        texts = [p.text for p in self.parts if isinstance(p, TextPart)]
        return "".join(texts) if texts else None

    @property
    def tool_calls(self) -> tuple[ToolCall, ...]:
        """The tool calls, in order."""
        return calls_of(self.parts)

    @property
    def reasoning(self) -> str | None:
        """The reasoning text, if any."""
        return reasoning_of(self.parts)

    @property
    def message(self) -> Message:
        """The answer as an assistant message (every part kept)."""
        parts = self.parts
        if len(parts) == 1 and type(parts[0]) is TextPart:  # the common answer
            return Message._trusted("assistant", parts)  # pyright: ignore[reportPrivateUsage]
        parts = tuple(p for p in self.parts if not isinstance(p, RefusalPart))
        return Message._trusted("assistant", parts)  # pyright: ignore[reportPrivateUsage]


make_decoded = positional_maker(DecodedCompletion)
"""A :class:`DecodedCompletion` from all nine fields in declaration order, built fast (for
decoders' common paths)."""


class StreamDecoder(Protocol):
    """The decoding session of one streamed attempt: the wire's framing (SSE, NDJSON, AWS
    event-stream) plus the state of the answer so far."""

    @property
    def done(self) -> bool:
        """Whether the wire's end event arrived (nothing after it is read)."""
        ...

    @property
    def events(self) -> int:
        """How many events were applied so far."""
        ...

    def feed(self, chunk: bytes) -> list[Delta]:
        """Bytes in (at any boundary); out: the deltas of the events they completed."""
        ...

    def flush(self) -> list[Delta]:
        """The end of the body."""
        ...

    def call_name(self, index: int) -> str:
        """The name of tool call ``index`` so far (``""`` when not known yet)."""
        ...

    def result(self, request_id: str | None) -> DecodedCompletion:
        """The assembled answer (the same record the non-streaming decoder returns)."""
        ...


class Codec(Protocol):
    """What the flows need from a wire."""

    @property
    def name(self) -> str:
        """The wire's name in the registry."""
        ...

    def output_spec(self, config: ClientConfig, schema: Any) -> OutputSpec:
        """Compile a type into the schema and route this wire uses for it."""
        ...

    def encode(self, config: ClientConfig, request: ChatRequest, stream: bool) -> EncodedRequest:
        """Encode one request (streaming or not)."""
        ...

    def decode(self, provider: str, response: WireResponse) -> DecodedCompletion:
        """Decode one successful response (raises the typed error for error bodies)."""
        ...

    def decode_error(self, provider: str, response: WireResponse) -> APIStatusError:
        """The typed error for an error response."""
        ...

    def new_stream(self, provider: str) -> StreamDecoder:
        """A fresh decoding session for one streamed attempt."""
        ...


@dataclass(frozen=True, slots=True)
class FunctionCodec:
    """A codec made of a wire module's pure functions."""

    name: str
    output_spec: Callable[[ClientConfig, Any], OutputSpec]
    encode: Callable[[ClientConfig, ChatRequest, bool], EncodedRequest]
    decode: Callable[[str, WireResponse], DecodedCompletion]
    decode_error: Callable[[str, WireResponse], APIStatusError]
    new_stream: Callable[[str], StreamDecoder]


def request_id_of(headers: Mapping[str, str]) -> str | None:
    """The provider's request id from response headers, if any."""
    # One expression, not a loop over a tuple of names: this runs once per answer, and each
    # loop step costs more than the lookup it makes.
    return (
        headers.get("x-request-id")
        or headers.get("request-id")
        or headers.get("x-amzn-requestid")
        or headers.get("cf-ray")
        or None
    )


def parse_json_body(body: bytes) -> Any:
    """The body as JSON, or the decoded text when it is not JSON."""
    try:
        return loads_exact(body)
    except NotJSON:
        return body.decode("utf-8", errors="replace")


def json_type(value: Any) -> str:
    """How a JSON value reads in an error message: ``a number``, ``null``, ``an object`` ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _unusable(provider: str, response: WireResponse, what: str) -> ProtocolError:
    """A :class:`~typedllm.ProtocolError` for a successful response that is not an answer,
    keeping its real status, its request id and the start of its body."""
    return ProtocolError(
        f"{provider} answered HTTP {response.status} with a body that {what}",
        provider=provider,
        status_code=response.status,
        request_id=request_id_of(response.headers),
        body=response.body[:500].decode("utf-8", errors="replace"),
    )


def shape_error(provider: str, response: WireResponse, problem: str) -> ProtocolError:
    """The error for a successful response whose body is not a usable answer (``problem``
    names what is missing or of the wrong type)."""
    return _unusable(provider, response, f"is not a usable answer: {problem}")


def answer_body(provider: str, response: WireResponse) -> Any:
    """The JSON body of a successful response.

    A body that is not JSON keeps its real status in the :class:`~typedllm.ProtocolError`
    (an HTML page under HTTP 200 is a proxy or a captive portal, not a server error).
    """
    try:
        return loads_exact(response.body)
    except NotJSON as exc:
        kind = response.headers.get("content-type", "").split(";")[0].strip() or "no type"
        hint = " (a proxy or captive portal page?)" if "html" in kind else ""
        raise _unusable(provider, response, f"is not JSON ({kind}){hint}: {exc.reason}") from None


def retry_after_of(headers: Mapping[str, str]) -> float | None:
    """Seconds a server asks to wait (``retry-after-ms``, ``retry-after`` in seconds or as an
    HTTP date), or ``None``."""
    value = headers.get("retry-after-ms")
    if value:
        try:
            return max(0.0, float(value) / 1000.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        import datetime as _dt
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=_dt.timezone.utc)
        return max(0.0, (when - _dt.datetime.now(_dt.timezone.utc)).total_seconds())


def error_from_body(
    provider: str, response: WireResponse, status: int | None = None
) -> APIStatusError:
    """Map an error response to the typed error for its status.

    Understands the ``{"error": {"message", "type", "code"}}`` shape (OpenAI, Anthropic and
    most compatible hosts), ``{"error": "text"}``, ``{"message": ...}``, Gemini's
    ``{"error": {"code", "message", "status"}}`` and plain text bodies.
    """
    status_code = status if status is not None else response.status
    body = parse_json_body(response.body)
    message: str | None = None
    code: str | None = None
    if isinstance(body, dict):
        err: Any = body.get("error", body)  # pyright: ignore[reportUnknownMemberType,reportUnknownVariableType]
        if isinstance(err, dict):
            msg: Any = err.get("message") or err.get("detail")  # pyright: ignore[reportUnknownMemberType,reportUnknownVariableType]
            message = msg if isinstance(msg, str) else None
            raw_code: Any = err.get("code")  # pyright: ignore[reportUnknownMemberType,reportUnknownVariableType]
            if not isinstance(raw_code, str):  # numeric codes (Gemini, OpenRouter): prefer names
                raw_code = err.get("status") or err.get("type") or raw_code  # pyright: ignore[reportUnknownMemberType,reportUnknownVariableType]
            code = str(raw_code) if raw_code is not None else None  # pyright: ignore[reportUnknownArgumentType]
            metadata: Any = err.get("metadata")  # pyright: ignore[reportUnknownMemberType,reportUnknownVariableType]
            if isinstance(metadata, dict) and isinstance(metadata.get("raw"), str):  # pyright: ignore[reportUnknownMemberType]
                message = f"{message or 'error'}: {metadata['raw']}"
        elif isinstance(err, str):
            message = err
    elif isinstance(body, str) and body.strip():
        message = body.strip()[:500]
    cls = status_error_class(status_code)
    location = response.headers.get("location")
    if 300 <= status_code < 400:
        # Redirects are not followed (a POST to an API must not turn into a GET elsewhere,
        # nor carry its key there): say where the server pointed.
        where = f" to {mask_url(location)}" if location else ""
        message = f"the server redirected the request{where}; set base_url to the final URL"
    return cls(
        message or f"HTTP {status_code}",
        provider=provider,
        status_code=status_code,
        request_id=request_id_of(response.headers),
        body=body,
        code=code,
        retry_after=retry_after_of(response.headers),
    )
