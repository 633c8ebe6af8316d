"""The provider-neutral request and response records codecs translate to and from."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from .._config import ClientConfig
from .._errors import APIStatusError, status_error_class
from .._jsonutil import as_dict, as_list
from .._messages import FinishReason, Message, ToolCall, Usage
from .._wire import WireRequest, WireResponse
from ..schema import CompiledSchema

if TYPE_CHECKING:
    from ..streaming import SSEEvent
    from ._stream import Delta, StreamState

__all__ = [
    "ChatRequest",
    "DecodedCompletion",
    "FunctionCodec",
    "OutputSpec",
    "as_dict",
    "as_list",
    "error_from_body",
    "parse_json_body",
    "request_id_of",
]


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


@dataclass(frozen=True, slots=True)
class FunctionCodec:
    """A wire codec made of a protocol module's four pure functions (what flows take)."""

    output_spec: Callable[[ClientConfig, Any], OutputSpec]
    """Compile a type into the schema and route this wire uses."""
    encode: Callable[[ClientConfig, ChatRequest], WireRequest]
    """Encode one request."""
    decode: Callable[[str, WireResponse], DecodedCompletion]
    """Decode one successful response (raises the typed error for error bodies)."""
    decode_error: Callable[[str, WireResponse], APIStatusError]
    """The typed error for an error response."""
    encode_stream: Callable[[ClientConfig, ChatRequest], WireRequest]
    """Encode one streaming request."""
    stream_event: Callable[[str, SSEEvent, StreamState], list[Delta]]
    """Apply one SSE event to the stream state; return the deltas it carried."""


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """One call, provider-neutral: the full message list and the optional output schema."""

    messages: tuple[Message, ...]
    output: OutputSpec | None = None


@dataclass(frozen=True, slots=True)
class DecodedCompletion:
    """One provider answer, provider-neutral."""

    text: str | None
    finish_reason: FinishReason | None
    usage: Usage
    model: str | None = None
    response_id: str | None = None
    request_id: str | None = None
    refusal: str | None = None
    raw_finish_reason: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    reasoning: str | None = None
    raw: Any = field(default=None, repr=False)


def request_id_of(headers: Mapping[str, str]) -> str | None:
    """The provider's request id from response headers, if any."""
    for name in ("x-request-id", "request-id", "x-amzn-requestid", "cf-ray"):
        value = headers.get(name)
        if value:
            return value
    return None


def parse_json_body(body: bytes) -> Any:
    """The body as JSON, or the decoded text when it is not JSON."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return body.decode("utf-8", errors="replace")


def _retry_after(headers: Mapping[str, str]) -> float | None:
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
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        import datetime as _dt

        return max(0.0, (when - _dt.datetime.now(_dt.timezone.utc)).total_seconds())


def error_from_body(
    provider: str, response: WireResponse, status: int | None = None
) -> APIStatusError:
    """Map an error response to the typed error for its status.

    Understands the ``{"error": {"message", "type", "code"}}`` shape (OpenAI and most
    compatible hosts), ``{"error": "text"}``, ``{"message": ...}`` and plain text bodies.
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
    return cls(
        message or f"HTTP {status_code}",
        provider=provider,
        status_code=status_code,
        request_id=request_id_of(response.headers),
        body=body,
        code=code,
        retry_after=_retry_after(response.headers),
    )
