"""Helpers for the fallback, breaker and routing tests: clients on the fake provider, transports
that fail in chosen ways (connection down, a stream that breaks after its first event), a
scripted completer and a fake clock."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx

import typedllm as tl
from typedllm.testing import FakeProvider, FakeReply

SECRET = "sk-test-SECRET-0123456789"


def openai_client(
    transport: Any, model: str = "gpt-4o-mini", *, hook: Any = None, **builder: Any
) -> tl.Client:
    """An OpenAI client on ``transport`` that never retries (each failure is seen at once)."""
    b: Any = tl.openai().model(model).api_key(SECRET).max_retries(0).transport(transport)
    if hook is not None:
        b = b.on_event(hook)
    for name, value in builder.items():
        b = getattr(b, name)(value)
    built: tl.Client = b.build()
    return built


def anthropic_client(transport: Any, model: str = "claude-haiku-4-5") -> tl.Client:
    built: tl.Client = (
        tl.anthropic().model(model).api_key(SECRET).max_retries(0).transport(transport).build()
    )
    return built


def errors(*statuses: int) -> FakeProvider:
    """A fake answering each request with the next HTTP error status."""
    return FakeProvider([FakeReply.error(s, f"fake {s}") for s in statuses])


class Down(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """A provider that cannot be reached (or times out); counts the attempts."""

    def __init__(self, exc: Callable[[], Exception] = lambda: httpx.ConnectError("refused")):
        self.exc = exc
        self.calls = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        raise self.exc()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        raise self.exc()


def sse(delta: dict[str, Any], finish: str | None = None) -> bytes:
    """One OpenAI Chat Completions stream event."""
    choice: dict[str, Any] = {"index": 0, "delta": delta}
    if finish is not None:
        choice["finish_reason"] = finish
    event = {"id": "c1", "model": "gpt-4o-mini", "choices": [choice]}
    return f"data: {json.dumps(event)}\n\n".encode()


DONE = b"data: [DONE]\n\n"


class _Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self, chunks: list[bytes | Exception], log: dict[str, Any]) -> None:
        self.chunks, self.log = chunks, log

    def _next(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            if isinstance(chunk, Exception):
                raise chunk
            yield chunk

    def __iter__(self) -> Iterator[bytes]:
        yield from self._next()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._next():
            yield chunk

    def close(self) -> None:
        self.log["closed"] = True

    async def aclose(self) -> None:
        self.log["closed"] = True


class Streams(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Answers request ``i`` with the ``i``-th scripted SSE body; an exception in a body is
    raised when the reader reaches it. ``logs`` records whether each response was closed."""

    def __init__(self, *bodies: list[bytes | Exception]) -> None:
        self.bodies = list(bodies)
        self.logs: list[dict[str, Any]] = []

    def _response(self) -> httpx.Response:
        log = {"closed": False}
        self.logs.append(log)
        chunks = self.bodies[len(self.logs) - 1]
        headers = {"content-type": "text/event-stream"}
        return httpx.Response(200, headers=headers, stream=_Body(chunks, log))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._response()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self._response()


def text_stream(*pieces: str) -> list[bytes | Exception]:
    """A complete streamed text answer."""
    return [*(sse({"content": p}) for p in pieces), sse({}, finish="stop"), DONE]


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Scripted(tl.Completer):
    """A completer whose answers come from ``answer(call)`` (raise to fail): for tests that
    need exact control over timing (concurrency) or a completer that pickles."""

    def __init__(self, answer: Callable[[tl.Call], str], label: str = "scripted") -> None:
        self.answer = answer
        self.label = label
        self.calls = 0

    def _record(self, call: tl.Call) -> tl.Completion[Any]:
        self.calls += 1
        text = self.answer(call)
        return tl.Completion(text, text, tl.Usage(), "stop", None, None)

    def _completion(self, call: tl.Call) -> tl.Completion[Any]:
        return self._record(call)

    async def _acompletion(self, call: tl.Call) -> tl.Completion[Any]:
        return self._record(call)

    def _stream(self, call: tl.Call) -> tl.Stream[Any, Any]:
        raise NotImplementedError

    def _astream(self, call: tl.Call) -> tl.AsyncStream[Any, Any]:
        raise NotImplementedError


def status_error(cls: type[tl.APIStatusError], status: int) -> tl.APIStatusError:
    return cls(f"fake {status}", provider="fake", status_code=status)
