"""The fake provider's Bedrock responder: Anthropic models behind ``InvokeModel`` and
``InvokeModelWithResponseStream`` (the Messages answers of :mod:`._anthropic_wire`, errors in
Bedrock's shape, streams in the AWS event-stream framing)."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from ..streaming._eventstream import encode_message
from . import _anthropic_wire
from ._replies import FakeReply

__all__ = ["auto_reply", "check_request", "render_reply", "render_stream"]

auto_reply = _anthropic_wire.auto_reply

_SIGV4 = re.compile(
    r"AWS4-HMAC-SHA256 Credential=[^/\s]+/\d{8}/[a-z0-9-]+/bedrock/aws4_request, "
    r"SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}"
)
_ERROR_NAMES = {
    400: "ValidationException",
    401: "UnrecognizedClientException",
    403: "AccessDeniedException",
    404: "ResourceNotFoundException",
    408: "ModelTimeoutException",
    424: "ModelErrorException",
    429: "ThrottlingException",
    500: "InternalServerException",
    503: "ServiceUnavailableException",
}


def check_request(headers: dict[str, str]) -> FakeReply | None:
    """A 403 unless the request is signed with a well-formed SigV4 ``Authorization`` (the
    signature itself is not checked: the fake holds no AWS keys) or carries a bearer key."""
    auth = headers.get("authorization", "")
    if auth.startswith("Bearer ") and len(auth) > len("Bearer "):
        return None
    if _SIGV4.fullmatch(auth) and re.fullmatch(r"\d{8}T\d{6}Z", headers.get("x-amz-date", "")):
        return None
    return FakeReply.error(403, "Missing Authentication Token")


def _headers(index: int) -> dict[str, str]:
    return {"content-type": "application/json", "x-amzn-requestid": f"fake-bedrock-{index:06d}"}


def render_reply(
    body: dict[str, Any], reply: FakeReply, index: int
) -> tuple[int, dict[str, str], bytes]:
    """Render ``reply`` as an ``InvokeModel`` response."""
    if reply.status >= 400 and reply.raw_body is None:
        name = reply.error_type or _ERROR_NAMES.get(reply.status, "InternalServerException")
        headers = {**_headers(index), "x-amzn-errortype": f"{name}:http://internal.amazon.com/"}
        headers.update(reply.headers)
        payload = json.dumps({"message": reply.error_message or "fake error"}).encode()
        return reply.status, headers, payload
    status, headers, payload = _anthropic_wire.render_reply(body, reply, index)
    headers.pop("request-id", None)
    return status, {**headers, **_headers(index), **reply.headers}, payload


def _sse_events(text: str) -> list[str]:
    return [line.removeprefix("data: ") for line in text.splitlines() if line.startswith("data: ")]


def chunk_message(event: dict[str, Any]) -> bytes:
    """One ``chunk`` event-stream message carrying a Messages stream event."""
    data = base64.b64encode(json.dumps(event).encode()).decode()
    return encode_message(
        {":event-type": "chunk", ":content-type": "application/json", ":message-type": "event"},
        json.dumps({"bytes": data, "p": "abcdefghij"}).encode(),
    )


def exception_message(kind: str, message: str) -> bytes:
    """One ``exception`` event-stream message (``throttlingException`` ...)."""
    return encode_message(
        {
            ":exception-type": kind,
            ":content-type": "application/json",
            ":message-type": "exception",
        },
        json.dumps({"message": message}).encode(),
    )


def render_stream(
    body: dict[str, Any], reply: FakeReply, index: int
) -> tuple[int, dict[str, str], bytes]:
    """Render ``reply`` as an ``InvokeModelWithResponseStream`` response: the Messages
    stream's events, each in a ``chunk`` message. An error whose ``error_type`` is an
    event-stream exception name (``throttlingException``: lower camel case, as streams spell
    them) is sent inside a 200 stream as an ``exception`` message, as Bedrock does for errors
    that happen after the stream began."""
    kind = reply.error_type or ""
    if reply.status >= 400 and kind[:1].islower() and kind.endswith("Exception"):
        frames = exception_message(kind, reply.error_message or "fake error")
        return (
            200,
            {**_headers(index), "content-type": "application/vnd.amazon.eventstream"},
            frames,
        )
    if reply.status >= 400 or reply.raw_body is not None:
        return render_reply(body, reply, index)
    status, _, payload = _anthropic_wire.render_stream({**body, "stream": True}, reply, index)
    frames = b"".join(chunk_message(json.loads(e)) for e in _sse_events(payload.decode()))
    headers = {
        **_headers(index),
        "content-type": "application/vnd.amazon.eventstream",
        "x-amzn-bedrock-content-type": "application/json",
    }
    return status, headers, frames
