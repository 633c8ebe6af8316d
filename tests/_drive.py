"""Drive flows by hand: no sockets, no sleeping, every effect visible to the test.

``drive_complete`` runs ``complete_flow`` against a scripted answerer (a ``FakeProvider`` or
any callable), records every ``Sleep`` instead of sleeping, and returns the result;
``drive_stream`` does the same for ``stream_flow``, feeding the body in chunks of a chosen
size and recording what the flow hands to the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import typedllm as tl
from typedllm._flow import complete_flow
from typedllm._stream_flow import stream_flow
from typedllm._wire import (
    END,
    CloseStream,
    CustomEffect,
    Emit,
    OpenStream,
    ReadBody,
    ReadChunk,
    ResponseHead,
    Send,
    Sleep,
    TransportFailure,
    WireRequest,
    WireResponse,
)
from typedllm.codecs import get_codec
from typedllm.testing import FakeProvider

Answer = Callable[[WireRequest], "WireResponse | TransportFailure"]


def fake_answer(fake: FakeProvider) -> Answer:
    """Answer requests with the fake provider (no httpx involved)."""

    def answer(request: WireRequest) -> WireResponse:
        status, headers, body = fake.respond(
            request.method, request.url, dict(request.headers), request.body
        )
        return WireResponse(status, {k.lower(): v for k, v in headers.items()}, body)

    return answer


@dataclass
class Trace:
    """What a driven flow did."""

    sleeps: list[float] = field(default_factory=list[float])
    requests: list[WireRequest] = field(default_factory=list[WireRequest])
    emitted: list[Any] = field(default_factory=list[Any])
    closes: int = 0
    chunks_read: int = 0


def _answerer(source: FakeProvider | Answer) -> Answer:
    return fake_answer(source) if isinstance(source, FakeProvider) else source


def drive_complete(
    llm: tl.Client,
    prompt: tl.Prompt,
    source: FakeProvider | Answer,
    *,
    schema: Any = None,
    options: tl.CallOptions | None = None,
    clock: Callable[[], float] | None = None,
) -> tuple[Any, Trace]:
    """Run ``complete_flow`` for ``llm``; return ``(completion or raised error, trace)``."""
    answer = _answerer(source)
    trace = Trace()
    now = [0.0]
    flow = complete_flow(
        llm.config,
        get_codec(llm.config.wire),
        prompt,
        schema,
        has_schema=schema is not None,
        options=options,
        clock=clock or (lambda: now[0]),
    )
    reply: Any = None
    try:
        while True:
            effect = flow.send(reply)
            reply = None
            if isinstance(effect, Send):
                trace.requests.append(effect.request)
                reply = answer(effect.request)
            elif isinstance(effect, Sleep):
                trace.sleeps.append(effect.seconds)
                now[0] += effect.seconds
            elif isinstance(effect, CustomEffect):
                reply = effect.run()
            else:  # pragma: no cover - complete flows yield nothing else
                raise AssertionError(f"unexpected effect {effect!r}")
    except StopIteration as stop:
        return stop.value, trace
    except tl.TypedLLMError as error:
        return error, trace


def drive_stream(
    llm: tl.Client,
    prompt: tl.Prompt,
    source: FakeProvider | Answer,
    *,
    schema: Any = None,
    options: tl.CallOptions | None = None,
    chunk_size: int = 7,
    stop_after: int | None = None,
    failures: Iterator[TransportFailure | None] | None = None,
    seconds_per_chunk: float = 0.0,
) -> tuple[Any, Trace]:
    """Run ``stream_flow``; the body of each answer is fed in ``chunk_size`` pieces.

    ``stop_after`` closes the flow after that many emitted values (an early exit);
    ``failures`` may replace a chunk read by a transport failure (``None`` reads normally);
    the flow's clock advances by ``seconds_per_chunk`` on every chunk read (a trickle) and by
    every ``Sleep``.
    """
    answer = _answerer(source)
    trace = Trace()
    now = [0.0]
    flow = stream_flow(
        llm.config,
        get_codec(llm.config.wire),
        prompt,
        schema,
        has_schema=schema is not None,
        options=options,
        clock=lambda: now[0],
    )
    body: bytes = b""
    offset = 0
    reply: Any = None
    try:
        while True:
            effect = flow.send(reply)
            reply = None
            if isinstance(effect, OpenStream):
                trace.requests.append(effect.request)
                response = answer(effect.request)
                if isinstance(response, TransportFailure):
                    reply = response
                    continue
                body, offset = response.body, 0
                reply = ResponseHead(response.status, response.headers)
            elif isinstance(effect, ReadChunk):
                failure = next(failures, None) if failures is not None else None
                if failure is not None:
                    reply = failure
                elif offset >= len(body):
                    reply = END
                else:
                    trace.chunks_read += 1
                    now[0] += seconds_per_chunk
                    reply, offset = body[offset : offset + chunk_size], offset + chunk_size
            elif isinstance(effect, ReadBody):
                reply, offset = body[offset:], len(body)
            elif isinstance(effect, CloseStream):
                trace.closes += 1
            elif isinstance(effect, Emit):
                trace.emitted.append(effect.value)
                if stop_after is not None and len(trace.emitted) >= stop_after:
                    flow.close()
                    return None, trace
            elif isinstance(effect, Sleep):
                trace.sleeps.append(effect.seconds)
                now[0] += effect.seconds
            elif isinstance(effect, CustomEffect):
                reply = effect.run()
            else:  # pragma: no cover
                raise AssertionError(f"unexpected effect {effect!r}")
    except StopIteration as stop:
        return stop.value, trace
    except tl.TypedLLMError as error:
        return error, trace
