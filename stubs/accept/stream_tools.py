"""Accepted: the tool loop streamed, its typed events, and resume_stream (type-checked only,
never executed)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

from pydantic import BaseModel
from typing_extensions import assert_type

import typedllm as tl


class Weather(BaseModel):
    city: str
    temperature: int


@tl.tool
def get_weather(city: str) -> Weather:
    """Current weather."""
    return Weather(city=city, temperature=21)


def describe(event: tl.ToolEvent) -> str:
    if isinstance(event, tl.ToolCallStarted):
        assert_type(event.id, str)
        assert_type(event.index, int)
        return event.name
    if isinstance(event, tl.ToolCallDelta):
        return event.arguments
    if isinstance(event, tl.ToolCallDone):
        assert_type(event.call, tl.ToolCall)
        assert_type(event.arguments, Mapping[str, Any] | None)
        return event.call.arguments
    if isinstance(event, tl.ToolResultEvent):
        assert_type(event.run, tl.ToolRun)
        assert_type(event.ok, bool)
        return event.run.result
    assert_type(event, tl.StepFinished)
    assert_type(event.record, tl.ToolStep)
    return str(event.step)


def sync_streams(llm: tl.Client) -> None:
    text = llm.stream("x", tools=[get_weather])
    assert_type(text, tl.Stream[str, str])
    assert_type(iter(text), Iterator[str])
    assert_type(text.events(), Iterator[str | tl.ToolEvent])
    for event in text.events():
        if isinstance(event, str):
            assert_type(event, str)
        else:
            describe(event)
    assert_type(text.completion.steps, tuple[tl.ToolStep, ...])
    typed = llm.stream("x", tools=[get_weather], schema=Weather, max_steps=3)
    assert_type(typed, tl.Stream[tl.Partial[Weather], Weather])
    assert_type(typed.events(), Iterator[tl.Partial[Weather] | tl.ToolEvent])
    assert_type(typed.final(), Weather)
    try:
        typed.final()
    except tl.ApprovalRequired as paused:
        again = llm.resume_stream(paused.state, {"c1": True}, tools=[get_weather])
        assert_type(again, tl.Stream[str, str])
        typed_again = llm.resume_stream(
            paused.state, {"c1": tl.ToolDecision.approve()}, tools=[get_weather], schema=Weather
        )
        assert_type(typed_again, tl.Stream[tl.Partial[Weather], Weather])
    plain = llm.stream("x")
    assert_type(plain.events(), Iterator[str | tl.ToolEvent])


async def async_streams(llm: tl.Client) -> None:
    text = llm.astream("x", tools=[get_weather])
    assert_type(text, tl.AsyncStream[str, str])
    assert_type(text.events(), AsyncIterator[str | tl.ToolEvent])
    async with llm.astream("x", tools=[get_weather], schema=Weather) as typed:
        async for event in typed.events():
            if isinstance(event, tl.Partial):
                assert_type(event, tl.Partial[Weather])
        assert_type(await typed.final(), Weather)
    state = tl.ToolLoopState.from_json("{}")
    resumed = llm.aresume_stream(state, {}, tools=[get_weather], schema=Weather)
    assert_type(resumed, tl.AsyncStream[tl.Partial[Weather], Weather])
    assert_type(await resumed.final(), Weather)
