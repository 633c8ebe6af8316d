"""Anthropic Messages on Amazon Bedrock: ``InvokeModel`` and ``InvokeModelWithResponseStream``
(pure: no I/O).

The request body is the Messages body in its Bedrock variant (see
:func:`typedllm.codecs.anthropic.encode_body`: ``anthropic_version: bedrock-2023-05-31``, no
``model``, no ``stream``); the host puts it on ``/model/{modelId}/invoke`` or
``/model/{modelId}/invoke-with-response-stream``. Answers are Messages answers.

Streams are AWS event-stream messages (:mod:`typedllm.streaming._eventstream`); an ``event``
message of type ``chunk`` carries ``{"bytes": "<base64 of one Messages stream event>"}``, and
its events go through the Messages stream decoder. An ``exception`` message
(``:exception-type`` ``throttlingException``, ``validationException``,
``modelStreamErrorException``...) is the typed error of its status.

Errors outside streams are ``{"message": "..."}`` with the error's name in the
``x-amzn-ErrorType`` header (https://docs.aws.amazon.com/bedrock/latest/APIReference/
API_runtime_InvokeModel.html#API_runtime_InvokeModel_Errors).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from .._config import ClientConfig
from .._errors import APIStatusError, ProtocolError, status_error_class
from .._jsonutil import as_dict
from .._wire import EncodedRequest, WireResponse
from ..streaming import EventStreamDecoder, EventStreamError, EventStreamMessage, SSEEvent
from . import anthropic
from ._base import (
    ChatRequest,
    DecodedCompletion,
    Delta,
    FunctionCodec,
    parse_json_body,
    retry_after_of,
)
from ._base import request_id_of as _request_id_of
from ._stream import StreamState, _Session, load_event_json  # pyright: ignore[reportPrivateUsage]

__all__ = ["CODEC", "EventStreamSession", "decode", "decode_error", "encode", "new_stream"]

# https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModelWithResponseStream.html
_EXCEPTION_STATUS = {
    "validationexception": 400,
    "accessdeniedexception": 403,
    "resourcenotfoundexception": 404,
    "modeltimeoutexception": 408,
    "modelerrorexception": 424,
    "modelstreamerrorexception": 424,
    "throttlingexception": 429,
    "modelnotreadyexception": 429,
    "servicequotaexceededexception": 429,
    "internalserverexception": 500,
    "serviceunavailableexception": 503,
}


def encode(config: ClientConfig, request: ChatRequest, stream: bool = False) -> EncodedRequest:
    """The Messages request in Bedrock's variant; streams ask for the event-stream framing
    (``x-amzn-bedrock-accept`` is the type of the chunks inside it)."""
    encoded = anthropic.encode(config, request, stream)
    headers = dict(encoded.headers)
    if stream:
        headers["accept"] = "application/vnd.amazon.eventstream"
        headers["x-amzn-bedrock-accept"] = "application/json"
    return EncodedRequest(encoded.operation, encoded.path, encoded.body, headers)


def _error_name(raw: str | None) -> str | None:
    # "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/"
    return raw.split(":", 1)[0].strip() or None if raw else None


def request_id_of(response: WireResponse) -> str | None:
    """Bedrock's ``x-amzn-requestid`` (or another request id header)."""
    return _request_id_of(response.headers)


def decode_error(provider: str, response: WireResponse) -> APIStatusError:
    """The typed error of a Bedrock error response, by status; its ``code`` is the error's
    name (``ThrottlingException``...)."""
    body = parse_json_body(response.body)
    data = as_dict(body)
    if "error" in data:  # an Anthropic-shaped body passed through
        return anthropic.decode_error(provider, response)
    name = _error_name(response.header("x-amzn-errortype")) or _error_name(
        str(data.get("__type") or "")
    )
    status = response.status
    if status < 400:
        status = _EXCEPTION_STATUS.get((name or "").lower(), 500)
    message = data.get("message") or data.get("Message")
    text = message if isinstance(message, str) else (body if isinstance(body, str) else None)
    return status_error_class(status)(
        f"{name}: {text}" if name and text else text or name or f"HTTP {status}",
        provider=provider,
        status_code=status,
        request_id=request_id_of(response),
        body=body,
        code=name,
        retry_after=retry_after_of(response.headers),
    )


def decode(provider: str, response: WireResponse) -> DecodedCompletion:
    """Decode an ``InvokeModel`` answer (a Messages answer); raise the typed error for error
    responses."""
    if response.status >= 400:
        raise decode_error(provider, response)
    return anthropic.decode(provider, response)


def _exception(
    provider: str, message: EventStreamMessage, request_id: str | None
) -> APIStatusError:
    kind = message.header(":exception-type") or message.header(":error-code") or "exception"
    body = parse_json_body(message.payload)
    data = as_dict(body)
    text = data.get("message") or data.get("Message") or message.header(":error-message")
    status = _EXCEPTION_STATUS.get(kind.lower(), 500)
    original = data.get("originalStatusCode")
    if isinstance(original, int) and original >= 400:
        status = original
    return status_error_class(status)(
        f"{kind}: {text}" if isinstance(text, str) and text else kind,
        provider=provider,
        status_code=status,
        request_id=request_id,
        body=body,
        code=kind,
    )


def _chunk_event(provider: str, message: EventStreamMessage) -> SSEEvent:
    """The Messages stream event inside a ``chunk`` message."""
    data = as_dict(load_event_json(provider, message.payload.decode("utf-8", "replace")))
    raw = data.get("bytes")
    if not isinstance(raw, str):
        raise ProtocolError(f"{provider} sent a stream chunk without `bytes`", provider=provider)
    try:
        text = base64.b64decode(raw, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise ProtocolError(
            f"{provider} sent a stream chunk whose `bytes` are not base64 UTF-8 ({exc})",
            provider=provider,
        ) from None
    kind = as_dict(load_event_json(provider, text)).get("type")
    return SSEEvent(text, kind if isinstance(kind, str) else "message")


def _apply(provider: str, message: EventStreamMessage, state: StreamState) -> list[Delta]:
    kind = message.header(":message-type") or "event"
    if kind in ("exception", "error"):
        raise _exception(provider, message, state.request_id)
    if message.header(":event-type") not in (None, "chunk"):
        return []  # other event types (initial-response, metrics) carry no answer
    return anthropic.stream_event(provider, _chunk_event(provider, message), state)


class EventStreamSession(_Session):
    """An AWS event-stream decoding session feeding the Messages stream decoder."""

    def __init__(self, provider: str) -> None:
        super().__init__(provider, _apply)
        self._framing = EventStreamDecoder()

    def _decode(self, chunk: bytes) -> list[Any]:
        try:
            return list(self._framing.decode(chunk))
        except EventStreamError as exc:
            raise ProtocolError(
                f"{self.provider} sent a broken event stream: {exc}", provider=self.provider
            ) from None

    def _end(self) -> list[Any]:
        try:
            return list(self._framing.flush())
        except EventStreamError as exc:
            raise ProtocolError(
                f"{self.provider} sent a broken event stream: {exc}", provider=self.provider
            ) from None


def new_stream(provider: str) -> EventStreamSession:
    """A fresh event-stream decoding session."""
    return EventStreamSession(provider)


CODEC = FunctionCodec(
    "anthropic-bedrock", anthropic.output_spec, encode, decode, decode_error, new_stream
)
