"""The stream flow through the real drivers and httpx, against a scripted streaming transport.

Every test body runs twice, once with the sync stream and once with the async one (the
``mode`` fixture and the ``collect`` helper), so the two adapters cannot drift apart. The
transport records how much of each body was read and whether the response was closed, so the
claims about early exits, end events and retries are checked, not assumed.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from _drive import drive_stream
from pydantic import BaseModel

import typedllm as tl
from typedllm.testing import FakeProvider


class City(BaseModel):
    name: str
    population: int


class _Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body from a list of chunks; an ``Exception`` in the list is raised when it
    is reached; reading past the end of the list fails the test (the server never closes)."""

    def __init__(self, chunks: list[bytes | Exception], log: dict[str, Any]) -> None:
        self.chunks = chunks
        self.log = log

    def _next(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            if isinstance(chunk, Exception):
                raise chunk
            self.log["read"] += 1
            yield chunk
        self.log["past_end"] = True
        raise AssertionError("the client read past the end: it waited for the server to close")

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
    """Answers request ``i`` with the ``i``-th scripted body (SSE), recording each body's log."""

    def __init__(self, *bodies: list[bytes | Exception]) -> None:
        self.bodies = list(bodies)
        self.logs: list[dict[str, Any]] = []

    def _response(self, request: httpx.Request) -> httpx.Response:
        log = {"read": 0, "closed": False, "past_end": False}
        self.logs.append(log)
        chunks = self.bodies[len(self.logs) - 1]
        headers = {"content-type": "text/event-stream", "x-request-id": "req_s"}
        return httpx.Response(200, headers=headers, stream=_Body(chunks, log))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._response(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self._response(request)


def chunk(delta: dict[str, Any], index: int = 0, finish: str | None = None) -> bytes:
    event = {"id": "c1", "model": "gpt-4o", "choices": [{"index": index, "delta": delta}]}
    if finish is not None:
        event["choices"][0]["finish_reason"] = finish
    return f"data: {json.dumps(event)}\n\n".encode()


DONE = b"data: [DONE]\n\n"
TEXT = [chunk({"content": "Hello"}), chunk({"content": " world"}), chunk({}, finish="stop")]


def client(transport: Streams, **retry: Any) -> tl.Client:
    policy = tl.RetryPolicy(backoff_base=0.0, **retry)
    built: tl.Client = (
        tl.openai().model("gpt-4o").api_key("k").transport(transport).retry_policy(policy).build()
    )
    return built


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def collect(
    mode: str,
    llm: tl.Client,
    *,
    schema: Any = None,
    take: int | None = None,
    items: bool = False,
    then: Callable[[Any], Any] | None = None,
) -> tuple[list[Any], Any]:
    """Run one stream in ``mode``: the values iterated (``take`` of them, or all) and the
    result of ``then(stream)`` (called after the ``with`` block), or the error raised."""

    def sync() -> tuple[list[Any], Any]:
        got: list[Any] = []
        stream = llm.stream("x", schema=schema) if schema is not None else llm.stream("x")
        try:
            with stream:
                source = stream.items() if items else stream
                for value in source:
                    got.append(value)
                    if take is not None and len(got) >= take:
                        break
        except tl.TypedLLMError as error:
            return got, error
        try:
            return got, then(stream) if then else stream.completion
        except tl.TypedLLMError as error:
            return got, error

    async def run_async() -> tuple[list[Any], Any]:
        got: list[Any] = []
        stream = llm.astream("x", schema=schema) if schema is not None else llm.astream("x")
        try:
            async with stream:
                source = stream.items() if items else stream
                async for value in source:
                    got.append(value)
                    if take is not None and len(got) >= take:
                        break
        except tl.TypedLLMError as error:
            return got, error
        try:
            result = then(stream) if then else stream.completion
            if asyncio.iscoroutine(result):
                result = await result
            return got, result
        except tl.TypedLLMError as error:
            return got, error

    return sync() if mode == "sync" else asyncio.run(run_async())


def test_text_deltas_and_the_final_record(mode: str) -> None:
    transport = Streams([*TEXT, DONE])
    got, completion = collect(mode, client(transport))
    assert got == ["Hello", " world"]
    assert completion.output == "Hello world" and completion.request_id == "req_s"
    assert transport.logs[0]["closed"]


def test_done_ends_the_stream_without_waiting_for_the_server(mode: str) -> None:
    # [DONE] and junk after it arrive in one chunk; the server then never closes the body.
    junk = chunk({"content": " JUNK"})
    transport = Streams([*TEXT[:2], DONE + junk])
    got, completion = collect(mode, client(transport))
    assert got == ["Hello", " world"]
    assert completion.output == "Hello world"  # nothing after [DONE] is appended
    assert not transport.logs[0]["past_end"]  # the client did not wait for the socket
    assert transport.logs[0]["closed"]


def test_anthropic_message_stop_ends_the_stream(mode: str) -> None:
    events = [
        ("message_start", {"type": "message_start", "message": {"id": "m", "model": "c"}}),
        (
            "content_block_start",
            {"type": "content_block_start", "index": 0, "content_block": {"type": "text"}},
        ),
        (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "text_delta", "text": "Hi"},
            },
        ),
        ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn"}}),
        ("message_stop", {"type": "message_stop"}),
    ]
    body = "".join(f"event: {n}\ndata: {json.dumps(d)}\n\n" for n, d in events).encode()
    transport = Streams([body])
    llm = tl.anthropic().model("claude-haiku-4-5").api_key("k").transport(transport).build()
    got, completion = collect(mode, llm)
    assert got == ["Hi"] and completion.output == "Hi"
    assert not transport.logs[0]["past_end"] and transport.logs[0]["closed"]


def test_choices_are_never_mixed(mode: str) -> None:
    body = [
        chunk({"content": "A1"}, index=0),
        chunk({"content": "B1"}, index=1),
        chunk({"content": "A2"}, index=0),
        chunk({"content": "B2"}, index=1),
        chunk({}, index=0, finish="stop"),
        DONE,
    ]
    got, completion = collect(mode, client(Streams(body)))
    assert got == ["A1", "A2"] and completion.output == "A1A2"


def test_early_exit_closes_the_response(mode: str) -> None:
    many = [chunk({"content": f"w{i} "}) for i in range(50)]
    transport = Streams([*many, DONE])
    got, error = collect(mode, client(transport), take=1, then=lambda s: s.final())
    assert got == ["w0 "]
    assert transport.logs[0]["closed"]  # fails if leaving the block did not close the body
    assert transport.logs[0]["read"] < 50
    assert isinstance(error, tl.StreamClosedError)  # final() after an early exit says so


def test_a_data_line_that_is_not_json_is_a_protocol_error(mode: str) -> None:
    transport = Streams([chunk({"content": "ok"}), b"data: {not json\n\n", DONE])
    got, error = collect(mode, client(transport))
    assert got == ["ok"]
    assert isinstance(error, tl.ProtocolError) and "not JSON" in str(error)
    assert transport.logs[0]["closed"]


def test_an_invalid_list_item_is_an_output_validation_error(mode: str) -> None:
    answer = (
        '{"result": [{"name": "Oslo", "population": 1}, {"name": "Rome", "population": "many"}]}'
    )
    pieces = [chunk({"content": answer[i : i + 9]}) for i in range(0, len(answer), 9)]
    transport = Streams([*pieces, chunk({}, finish="stop"), DONE])
    got, error = collect(mode, client(transport), schema=list[City], items=True)
    assert got == [City(name="Oslo", population=1)]
    assert isinstance(error, tl.OutputValidationError)
    assert error.errors[0]["loc"][:2] == (1, "population")


def test_a_break_after_a_delivered_delta_is_raised_not_retried(mode: str) -> None:
    broken = [chunk({"content": "Hel"}), httpx.ReadError("connection reset")]
    transport = Streams(broken, [*TEXT, DONE])
    got, error = collect(mode, client(transport))
    assert got == ["Hel"]
    assert isinstance(error, tl.APIConnectionError) and "after part of the answer" in str(error)
    assert len(transport.logs) == 1  # a retry would show the caller the answer twice


def test_a_break_before_anything_was_delivered_is_retried_with_a_fresh_session(mode: str) -> None:
    # The first attempt delivers an event with no text, then breaks: it is retried, and its
    # decoding state (model, role) does not leak into the second attempt.
    first = [chunk({"role": "assistant"}), httpx.ReadError("reset")]
    second = [chunk({"content": "fresh"}), chunk({}, finish="stop"), DONE]
    transport = Streams(first, second)
    got, completion = collect(mode, client(transport))
    assert got == ["fresh"] and completion.output == "fresh"
    assert len(transport.logs) == 2 and transport.logs[0]["closed"]


def test_no_retry_when_the_policy_allows_one_attempt(mode: str) -> None:
    transport = Streams([httpx.ReadError("reset")], [*TEXT, DONE])
    got, error = collect(mode, client(transport, max_attempts=1))
    assert got == [] and isinstance(error, tl.APIConnectionError)
    assert len(transport.logs) == 1


# -- the flow by hand -------------------------------------------------------------------------


def test_the_flow_closes_the_response_at_the_end_event() -> None:
    fake = FakeProvider(["one two three four five six seven eight"])
    llm = tl.openai().model("gpt-4o").api_key("k").build()
    completion, trace = drive_stream(llm, "x", fake, chunk_size=16)
    assert completion.output == "one two three four five six seven eight"
    assert trace.closes >= 1
    assert [v for k, v in trace.emitted if k == "update"] == [
        "one two ",
        "three fo",
        "ur five ",
        "six seve",
        "n eight",
    ]


def test_the_flow_stops_reading_when_closed_early() -> None:
    fake = FakeProvider(["word " * 100])
    llm = tl.openai().model("gpt-4o").api_key("k").build()
    _result, trace = drive_stream(llm, "x", fake, chunk_size=32, stop_after=2)
    assert len(trace.emitted) == 2
    # The body is ~9 KB (~300 chunks of 32 bytes): reading stopped right after two deltas.
    assert trace.chunks_read < 30


async def test_cancelling_the_task_closes_the_response() -> None:
    many = [chunk({"content": f"w{i} "}) for i in range(50)]
    transport = Streams([*many, DONE])
    llm = client(transport)
    got_one = asyncio.Event()

    async def consume() -> None:
        async with llm.astream("x") as stream:
            async for _ in stream:
                got_one.set()
                await asyncio.sleep(10)

    task = asyncio.create_task(consume())
    await asyncio.wait_for(got_one.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert transport.logs[0]["closed"] and transport.logs[0]["read"] < 50


def test_a_trickling_stream_ends_at_the_deadline() -> None:
    """A stream that sends a little every second never times out per read: the call's
    deadline bounds it as a whole."""
    fake = FakeProvider(["word " * 200])
    llm = tl.openai().model("gpt-4o").api_key("k").deadline(5).build()
    error, trace = drive_stream(llm, "x", fake, chunk_size=8, seconds_per_chunk=1.0)
    assert isinstance(error, tl.APITimeoutError) and "deadline of 5s" in str(error)
    assert 5 <= trace.chunks_read <= 7
