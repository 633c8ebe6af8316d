"""Protocol-neutral accumulation of a streamed answer, and the framing sessions (pure).

:class:`StreamState` collects what a stream said, part by part in the order the parts opened
(text, reasoning with its signature, refusal, tool calls), so that at the end
:meth:`StreamState.decoded` is the same :class:`DecodedCompletion` the non-streaming decoder
returns. Each wire has an event function ``(provider, event, state) -> deltas`` that applies one
event; :class:`SSEStream` and :class:`NDJSONStream` pair such a function with the framing and
make the :class:`~typedllm.codecs._base.StreamDecoder` a codec's ``new_stream()`` returns.

An event function marks the wire's end event (``[DONE]``, ``message_stop``,
``response.completed``, ``done: true``) with ``state.done``: nothing after it is applied.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from .._completion import FinishReason, Usage
from .._errors import APIStatusError, ProtocolError, TransportError, status_error_class
from .._jsonutil import NotJSON, as_dict, loads_exact
from .._messages import (
    Citation,
    OpaquePart,
    Part,
    ReasoningPart,
    RefusalPart,
    TextPart,
    ToolCall,
)
from ..streaming import NDJSONDecoder, SSEDecoder, SSEEvent
from ._base import DecodedCompletion, Delta
from ._parts import json_or_text, synthetic_call_id


def _index(key: object) -> int:
    return key if isinstance(key, int) else 0


__all__ = [
    "NDJSONStream",
    "SSEStream",
    "StreamState",
    "load_event_json",
    "stream_error",
]

_ERROR_STATUS = {"overloaded_error": 529, "rate_limit_error": 429, "invalid_request_error": 400}


@dataclass
class _Call:
    id: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list[str])
    signature: str | None = None


@dataclass
class _Block:
    kind: Literal["text", "reasoning", "refusal", "call", "opaque"]
    key: object
    chunks: list[str] = field(default_factory=list[str])
    signature: str | None = None
    redacted: str | None = None
    source: str | None = None
    citations: list[Citation] = field(default_factory=list[Citation])
    call: _Call | None = None
    data: dict[str, Any] | None = None


@dataclass
class StreamState:
    """Everything a stream has said so far (one choice; other choices are kept apart in
    ``others`` by their index, never mixed into this one)."""

    provider: str = ""
    blocks: list[_Block] = field(default_factory=list[_Block])
    calls: dict[int, _Call] = field(default_factory=dict[int, _Call])
    finish_raw: str | None = None
    finish: FinishReason | None = None
    refusal_reason: str | None = None
    usage: Usage = field(default_factory=Usage)
    model: str | None = None
    response_id: str | None = None
    request_id: str | None = None
    done: bool = False
    others: dict[int, StreamState] = field(default_factory=dict[int, "StreamState"])
    _keys: dict[tuple[str, object], _Block] = field(
        default_factory=dict[tuple[str, object], _Block]
    )

    # -- blocks -----------------------------------------------------------------------------

    def _block(self, kind: Literal["text", "reasoning", "refusal"], key: object) -> _Block:
        if key is None:  # keyless deltas continue the last block of their kind, if it is last
            last = self.blocks[-1] if self.blocks else None
            if last is not None and last.kind == kind and last.key is None:
                return last
            block = _Block(kind, None)
            self.blocks.append(block)
            return block
        block_or_none = self._keys.get((kind, key))
        if block_or_none is None:
            block_or_none = _Block(kind, key)
            self._keys[(kind, key)] = block_or_none
            self.blocks.append(block_or_none)
        return block_or_none

    def text(self, delta: str, key: object = None) -> None:
        """Append answer text (to block ``key``, or to the current text block)."""
        self._block("text", key).chunks.append(delta)

    def think(self, delta: str, key: object = None, source: str | None = None) -> None:
        """Append reasoning text (``source``: the wire field it came in)."""
        block = self._block("reasoning", key)
        block.chunks.append(delta)
        if source is not None:
            block.source = source

    def sign(self, signature: str, key: object = None) -> None:
        """Attach a reasoning signature (Anthropic ``signature_delta``, Gemini
        ``thoughtSignature`` of a thought)."""
        block = self._block("reasoning", key)
        block.signature = (block.signature or "") + signature

    def sign_text(self, signature: str) -> None:
        """Attach Gemini's ``thoughtSignature`` to the current text block."""
        self._block("text", None).signature = signature

    def redacted(self, data: str, key: object = None) -> None:
        """A redacted (encrypted) reasoning block."""
        self._block("reasoning", key).redacted = data

    def cite(self, citation: Citation, key: object = None) -> None:
        """Attach a citation to a text block."""
        self._block("text", key).citations.append(citation)

    def opaque(self, data: dict[str, Any], key: object) -> None:
        """A block kept as the provider sent it (its ``input`` may still stream in)."""
        block = _Block("opaque", key, data=dict(data))
        self._keys[("opaque", key)] = block
        self.blocks.append(block)

    def opaque_latest(self, data: dict[str, Any], key: object) -> None:
        """Opaque block ``key`` holds ``data``: created on first sight, replaced after (for
        metadata a stream repeats, like Gemini's ``groundingMetadata``)."""
        block = self._keys.get(("opaque", key))
        if block is None:
            self.opaque(data, key)
        else:
            block.data = dict(data)

    def opaque_input(self, delta: str, key: object) -> bool:
        """Append streamed ``input`` JSON to opaque block ``key``; whether there is one."""
        block = self._keys.get(("opaque", key))
        if block is None:
            return False
        block.chunks.append(delta)
        return True

    def refuse(self, delta: str) -> None:
        """Append refusal text."""
        self._block("refusal", None).chunks.append(delta)

    def call(self, index: int) -> _Call:
        """The tool call with this index (created, in order, on first sight)."""
        call = self.calls.get(index)
        if call is None:
            call = self.calls[index] = _Call()
            self.blocks.append(_Block("call", index, call=call))
        return call

    def call_name(self, index: int) -> str:
        """The name of tool call ``index`` so far ('' if unknown)."""
        call = self.calls.get(index)
        return call.name if call else ""

    def call_id(self, index: int) -> str:
        """The id of tool call ``index`` so far ('' if unknown)."""
        call = self.calls.get(index)
        return call.id if call else ""

    def choice(self, index: int) -> StreamState:
        """The state of choice ``index`` (``0`` is this one)."""
        if index == 0:
            return self
        other = self.others.get(index)
        if other is None:
            other = self.others[index] = StreamState(self.provider)
        return other

    def finish_with(self, raw: str, reason: FinishReason) -> None:
        """Record the stop reason."""
        self.finish_raw, self.finish = raw, reason

    # -- result -----------------------------------------------------------------------------

    def parts(self) -> tuple[Part, ...]:
        """The parts so far, in the order they opened."""
        out: list[Part] = []
        for block in self.blocks:
            text = "".join(block.chunks)
            if block.kind == "text":
                out.append(TextPart(text, tuple(block.citations), block.signature))
            elif block.kind == "reasoning":
                out.append(
                    ReasoningPart(
                        text, block.signature, block.redacted, self.provider, block.source
                    )
                )
            elif block.kind == "refusal":
                out.append(RefusalPart(text))
            elif block.kind == "opaque":
                data = dict(block.data or {})
                if text:
                    data["input"] = json_or_text(text)
                out.append(OpaquePart(self.provider, data))
            elif block.call is not None:
                c = block.call
                # A call without arguments has the empty object as arguments (valid JSON), and a
                # call the host gave no id (Gemini's OpenAI-compatible endpoint) gets a stable
                # one, so that a tool result can answer it.
                arguments = "".join(c.arguments) or "{}"
                call_id = c.id or synthetic_call_id(
                    self.response_id, _index(block.key), c.name, arguments
                )
                out.append(ToolCall(call_id, c.name, arguments, c.signature))
        return tuple(out)

    def decoded(self, raw: Any = None) -> DecodedCompletion:
        """The assembled answer."""
        parts = self.parts()
        refusals = "".join(p.text for p in parts if isinstance(p, RefusalPart))
        return DecodedCompletion(
            parts=parts,
            finish_reason=self.finish,
            usage=self.usage,
            model=self.model,
            response_id=self.response_id,
            request_id=self.request_id,
            refusal=refusals or self.refusal_reason,
            raw_finish_reason=self.finish_raw,
            raw=raw,
        )


def load_event_json(provider: str, data: str) -> Any:
    """An event's JSON payload; a payload that is not JSON is a :class:`ProtocolError`."""
    try:
        return loads_exact(data)
    except NotJSON as exc:
        snippet = data if len(data) <= 200 else data[:200] + "..."
        raise ProtocolError(
            f"{provider} sent a stream event that is not JSON ({exc}): {snippet!r}",
            provider=provider,
        ) from None


def stream_error(provider: str, payload: Any, request_id: str | None) -> APIStatusError:
    """The typed error for an error sent inside a 200 stream (``{"error": {...}}``)."""
    err = as_dict(as_dict(payload).get("error")) or as_dict(payload)
    status: Any = err.get("status_code") or err.get("code")
    if not isinstance(status, int) or status < 400:
        kind = str(err.get("type") or err.get("code") or err.get("status") or "")
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


EventFunction = Callable[[str, SSEEvent, StreamState], list[Delta]]
LineFunction = Callable[[str, Any, StreamState], list[Delta]]


class _Session(ABC):
    """One attempt's decoding session: a framing (``_decode``/``_end``, in the subclasses)
    feeding an event function, until the wire's end event."""

    def __init__(
        self, provider: str, apply: Callable[[str, Any, StreamState], list[Delta]]
    ) -> None:
        self.provider = provider
        self.state = StreamState(provider)
        self._events = 0
        self._apply = apply
        self._pending: TransportError | None = None

    @property
    def done(self) -> bool:
        return self.state.done

    @property
    def events(self) -> int:
        return self._events

    def call_name(self, index: int) -> str:
        return self.state.call_name(index)

    def call_id(self, index: int) -> str:
        """The id of tool call ``index`` so far ('' if unknown)."""
        return self.state.call_id(index)

    def result(self, request_id: str | None) -> DecodedCompletion:
        if request_id is not None:
            self.state.request_id = request_id
        return self.state.decoded()

    @abstractmethod
    def _decode(self, chunk: bytes) -> list[Any]:
        """The events (or lines) ``chunk`` completes."""

    @abstractmethod
    def _end(self) -> list[Any]:
        """The events the end of the body completes."""

    def _run(self, events: list[Any]) -> list[Delta]:
        deltas: list[Delta] = []
        for event in events:
            if self.state.done:
                break  # nothing after the end event counts
            self._events += 1
            try:
                deltas += self._apply(self.provider, event, self.state)
            except TransportError as error:
                if not deltas:
                    raise
                # An error event after deltas of the same chunk: hand the deltas out first
                # (the caller asks raise_pending() next), so no delivered text is lost.
                self._pending = error
                break
        return deltas

    def raise_pending(self) -> None:
        """Raise the error event that followed the deltas last handed out, if any."""
        error, self._pending = self._pending, None
        if error is not None:
            raise error

    def feed(self, chunk: bytes) -> list[Delta]:
        """Bytes in; the deltas of the events they completed."""
        self.raise_pending()
        if self.state.done:
            return []
        return self._run(self._decode(chunk))

    def flush(self) -> list[Delta]:
        """The end of the body."""
        self.raise_pending()
        if self.state.done:
            return []
        return self._run(self._end())


class SSEStream(_Session):
    """A Server-Sent Events decoding session for one attempt of a wire."""

    def __init__(self, provider: str, apply: EventFunction) -> None:
        super().__init__(provider, apply)
        self._sse = SSEDecoder()

    def _decode(self, chunk: bytes) -> list[Any]:
        return self._sse.decode(chunk)

    def _end(self) -> list[Any]:
        return self._sse.flush()


class NDJSONStream(_Session):
    """A newline-delimited JSON decoding session (Ollama native streaming)."""

    def __init__(self, provider: str, apply: LineFunction) -> None:
        super().__init__(provider, apply)
        self._ndjson = NDJSONDecoder()

    def _decode(self, chunk: bytes) -> list[Any]:
        return self._lines(lambda: self._ndjson.decode(chunk))

    def _end(self) -> list[Any]:
        return self._lines(self._ndjson.flush)

    def _lines(self, read: Callable[[], list[Any]]) -> list[Any]:
        try:
            return read()
        except NotJSON as exc:
            raise ProtocolError(
                f"{self.provider} sent a stream line that is not JSON ({exc})",
                provider=self.provider,
            ) from None
