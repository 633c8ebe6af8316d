"""Protocol-neutral accumulation of a streamed answer (pure).

Each wire's ``stream_event`` reads one SSE event, updates a :class:`StreamState` and returns the
deltas it carried, as ``(channel, text)`` pairs: channel ``"text"`` for answer text, an ``int``
for the arguments of the tool call with that index. At the end ``StreamState.decoded()`` is the
same :class:`DecodedCompletion` the non-streaming decoder would have produced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .._errors import APIStatusError, status_error_class
from .._jsonutil import as_dict
from .._messages import FinishReason, ToolCall, Usage
from ._base import DecodedCompletion

__all__ = ["Delta", "StreamState", "stream_error"]

Delta = tuple["str | int", str]

_ERROR_STATUS = {"overloaded_error": 529, "rate_limit_error": 429, "invalid_request_error": 400}


@dataclass
class _Call:
    id: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list[str])


@dataclass
class StreamState:
    """Everything a stream has said so far."""

    texts: list[str] = field(default_factory=list[str])
    reasoning: list[str] = field(default_factory=list[str])
    refusal: list[str] = field(default_factory=list[str])
    calls: dict[int, _Call] = field(default_factory=dict[int, _Call])
    finish_raw: str | None = None
    finish: FinishReason | None = None
    usage: Usage = field(default_factory=Usage)
    model: str | None = None
    response_id: str | None = None
    request_id: str | None = None
    raw_events: int = 0

    def call(self, index: int) -> _Call:
        """The tool call with this index (created on first sight)."""
        return self.calls.setdefault(index, _Call())

    def call_name(self, index: int) -> str:
        """The name of tool call ``index`` so far ('' if unknown)."""
        call = self.calls.get(index)
        return call.name if call else ""

    def decoded(self) -> DecodedCompletion:
        """The assembled answer."""
        refusal = "".join(self.refusal) or None
        return DecodedCompletion(
            text="".join(self.texts) if self.texts else None,
            finish_reason=self.finish,
            usage=self.usage,
            model=self.model,
            response_id=self.response_id,
            request_id=self.request_id,
            refusal=refusal,
            raw_finish_reason=self.finish_raw,
            tool_calls=tuple(
                ToolCall(c.id, c.name, "".join(c.arguments)) for _, c in sorted(self.calls.items())
            ),
            reasoning="".join(self.reasoning) if self.reasoning else None,
        )


def stream_error(provider: str, payload: Any, request_id: str | None) -> APIStatusError:
    """The typed error for an error sent inside a 200 stream (``{"error": {...}}``)."""
    err = as_dict(as_dict(payload).get("error")) or as_dict(payload)
    status: Any = err.get("status_code") or err.get("code")
    if not isinstance(status, int) or status < 400:
        kind = str(err.get("type") or err.get("code") or "")
        status = _ERROR_STATUS.get(kind, 500)
    message = str(err.get("message") or "error in the stream")
    code = err.get("code") if isinstance(err.get("code"), str) else err.get("type")
    return status_error_class(status)(
        message,
        provider=provider,
        status_code=status,
        request_id=request_id,
        body=payload,
        code=str(code) if code is not None else None,
    )
