"""llm.stream()/astream(): text deltas, typed partials, list items, errors, early exit."""

from __future__ import annotations

from typing import Any

import pytest
from _drive import drive_stream
from pydantic import BaseModel

import typedllm as tl
from typedllm.testing import FakeProvider, FakeReply, serve


class City(BaseModel):
    name: str
    population: int


def _builders() -> list[Any]:
    return [
        tl.openai().model("gpt-4o"),
        tl.anthropic().model("claude-sonnet-4-5"),
        tl.anthropic().model("claude-3-5-haiku-latest"),  # forced-tool route
        tl.gemini().model("gemini-2.5-flash"),
    ]


PROVIDERS = ["openai", "anthropic", "anthropic-tool", "gemini"]


def client(index: int, fake: FakeProvider) -> tl.Client:
    built: tl.Client = _builders()[index].api_key("k").transport(fake).build()
    return built


@pytest.mark.parametrize("index", range(4), ids=PROVIDERS)
def test_text_deltas_join_to_the_answer(index: int) -> None:
    fake = FakeProvider(["The quick brown fox jumps over the lazy dog."])
    with client(index, fake).stream("x") as stream:
        deltas = list(stream)
    assert len(deltas) > 1 and all(isinstance(d, str) for d in deltas)
    assert "".join(deltas) == "The quick brown fox jumps over the lazy dog."
    assert stream.completion.output == "".join(deltas)
    assert stream.completion.finish_reason == "stop"
    assert stream.completion.usage.output_tokens > 0


@pytest.mark.parametrize("index", range(4), ids=PROVIDERS)
def test_partials_grow_and_final_is_validated(index: int) -> None:
    fake = FakeProvider([{"name": "Oslo", "population": 700000}])
    stream = client(index, fake).stream("x", schema=City)
    sizes = []
    for partial in stream:  # a Partial is a live view: read it as it arrives
        assert isinstance(partial, tl.Partial)
        sizes.append(len(partial.data))
    assert sizes == sorted(sizes) and sizes[0] < 2  # fields appear only once complete
    assert stream.final() == City(name="Oslo", population=700000)


@pytest.mark.parametrize("index", range(4), ids=PROVIDERS)
def test_list_items_arrive_validated_one_by_one(index: int) -> None:
    cities = [{"name": f"c{i}", "population": i} for i in range(5)]
    answer: Any = {"result": cities} if index == 0 or index == 2 else cities
    if index == 2:
        answer = {"result": cities}
    fake = FakeProvider([answer])
    stream = client(index, fake).stream("x", schema=list[City])
    items = list(stream.items())
    assert items == [City(**c) for c in cities]
    assert stream.final() == items


@pytest.mark.parametrize("index", range(4), ids=PROVIDERS)
async def test_async_stream(index: int) -> None:
    fake = FakeProvider(["hello async world", {"name": "Rome", "population": 1}])
    llm = client(index, fake)
    async with llm.astream("x") as text_stream:
        chunks = [d async for d in text_stream]
    assert "".join(chunks) == "hello async world"
    async with llm.astream("y", schema=City) as stream:
        async for _partial in stream:
            pass
        assert await stream.final() == City(name="Rome", population=1)


@pytest.mark.parametrize("index", range(4), ids=PROVIDERS)
def test_refusal_and_truncation_in_streams(index: int) -> None:
    with pytest.raises(tl.RefusalError):
        client(index, FakeProvider([FakeReply.refusal("no")])).stream("x", schema=City).final()
    with pytest.raises(tl.TruncatedOutputError):
        client(index, FakeProvider([FakeReply.truncated('{"name": "Os')])).stream(
            "x", schema=City
        ).final()


def test_invalid_streamed_answer_is_a_validation_error() -> None:
    fake = FakeProvider(['{"name": 5}'])
    with pytest.raises(tl.OutputValidationError):
        client(0, fake).stream("x", schema=City).final()


def test_error_status_before_the_stream_is_typed_and_retried() -> None:
    fake = FakeProvider([FakeReply.error(503, "busy"), "ok"])
    completion, trace = drive_stream(client(0, fake), "x", fake)
    assert completion.output == "ok"
    assert len(trace.sleeps) == 1 and fake.calls == 2
    fake = FakeProvider([FakeReply.error(401, "bad key")])
    with pytest.raises(tl.AuthenticationError):
        client(1, fake).stream("x").final()


def test_errors_inside_a_200_stream_are_typed() -> None:
    body = (
        'data: {"choices":[{"index":0,"delta":{"content":"maybe"}}]}\n\n'
        "event: error\n"
        'data: {"error":{"message":"Tool choice is required","type":"invalid_request_error",'
        '"code":"tool_use_failed","status_code":400}}\n\n'
    )
    fake = FakeProvider([FakeReply.raw(200, body, {"content-type": "text/event-stream"})])
    with pytest.raises(tl.BadRequestError, match="Tool choice is required") as info:
        client(0, fake).stream("x").final()
    assert info.value.code == "tool_use_failed"


def test_early_exit_closes_the_response_over_a_real_socket() -> None:
    with serve(FakeProvider(["word " * 200])) as server:
        llm = tl.openai_compatible(base_url=server.base_url).model("m").build()
        with llm, llm.stream("x") as stream:
            first = next(iter(stream))
        assert first
        with pytest.raises(tl.StreamClosedError, match="closed before it finished"):
            _ = stream.completion
        with pytest.raises(tl.StreamClosedError):
            stream.final()


async def test_async_early_exit_and_cancellation_close_the_response() -> None:
    import asyncio

    with serve(FakeProvider(["word " * 400, "word " * 400])) as server:
        llm = tl.openai_compatible(base_url=server.base_url).model("m").build()
        async with llm:
            async with llm.astream("x") as stream:
                async for _delta in stream:
                    break  # early exit: __aexit__ closes the response
            got_one = asyncio.Event()

            async def consume() -> None:
                async with llm.astream("y") as s:
                    async for _ in s:
                        got_one.set()
                        await asyncio.sleep(10)

            task = asyncio.create_task(consume())
            await asyncio.wait_for(got_one.wait(), 10)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
        assert server.provider.calls == 2


class Scores(BaseModel):
    by_name: dict[str, int]
    span: tuple[int, int]


@pytest.mark.parametrize("index", range(4), ids=PROVIDERS)
def test_streamed_items_are_restored_from_rewritten_schemas(index: int) -> None:
    fake = FakeProvider()  # auto mode answers in the dialect's own (rewritten) shape
    stream = client(index, fake).stream("x", schema=list[Scores])
    items = list(stream.items())
    assert items and all(isinstance(i, Scores) for i in items)
    assert all(isinstance(i.by_name, dict) and isinstance(i.span, tuple) for i in items)
    assert stream.final() == items
