"""Scripted replies for the fake provider: what a test wants the "model" to answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

__all__ = ["FakeReply"]


@dataclass(frozen=True)
class FakeReply:
    """One scripted answer. Use the constructors: :meth:`of_text`, :meth:`of_json`,
    :meth:`refusal`, :meth:`truncated`, :meth:`error`, :meth:`raw`.

    Protocol-neutral fields are rendered in the wire format of the request being answered.
    """

    text: str | None = None
    refusal_text: str | None = None
    finish_reason: str = "stop"
    status: int = 200
    error_message: str | None = None
    error_type: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict[str, str])
    raw_body: bytes | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None

    @classmethod
    def of_text(cls, text: str, *, finish_reason: str = "stop") -> FakeReply:
        """The model answers ``text``."""
        return cls(text=text, finish_reason=finish_reason)

    @classmethod
    def of_json(cls, value: Any) -> FakeReply:
        """The model answers ``value`` serialised as JSON (any JSON-able value)."""
        return cls(text=orjson.dumps(value).decode())

    @classmethod
    def refusal(cls, message: str = "I'm sorry, but I can't help with that.") -> FakeReply:
        """The model refuses (OpenAI ``message.refusal``)."""
        return cls(refusal_text=message)

    @classmethod
    def truncated(cls, text: str = '{"incomplete": ') -> FakeReply:
        """The answer is cut off by the token limit (finish reason ``length``)."""
        return cls(text=text, finish_reason="length")

    @classmethod
    def error(
        cls,
        status: int,
        message: str = "fake error",
        *,
        error_type: str | None = None,
        retry_after: float | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> FakeReply:
        """The provider answers with an HTTP error in its own error-body format."""
        h = dict(headers or {})
        if retry_after is not None:
            h["retry-after"] = str(retry_after)
        return cls(status=status, error_message=message, error_type=error_type, headers=h)

    @classmethod
    def raw(
        cls, status: int, body: bytes | str | Any, headers: Mapping[str, str] | None = None
    ) -> FakeReply:
        """Exactly this status and body (bytes/str as is, anything else as JSON)."""
        if isinstance(body, str):
            data = body.encode()
        elif isinstance(body, bytes):
            data = body
        else:
            data = orjson.dumps(body)
        return cls(status=status, raw_body=data, headers=dict(headers or {}))


@dataclass(frozen=True)
class RecordedRequest:
    """A request the fake received (credential headers redacted)."""

    method: str
    path: str
    headers: dict[str, str]
    json: Any = field(repr=False)
