"""The tool loop streamed: each model call is a stream, the tools run between them, and
``stream.events()`` yields typed tool events; approval pauses the stream and
``resume_stream`` continues it as a new one. Through the fake on four wires, sync and async."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from _wires import client
from pydantic import BaseModel

import typedllm as tl
from typedllm.testing import FakeProvider, FakeReply

STREAM_WIRES = ("openai", "anthropic", "gemini", "responses")

paid: list[dict[str, Any]] = []


class Weather(BaseModel):
    city: str
    temperature: int


@tl.tool
def get_weather(city: str) -> dict[str, Any]:
    """The current weather in a city.

    Args:
        city: the city's name.
    """
    return {"city": city, "temperature": 21 if city == "Paris" else 25}


@tl.tool
def explode(reason: str) -> str:
    """A tool that always fails.

    Args:
        reason: why.
    """
    raise RuntimeError(f"boom: {reason}")


@tl.tool(requires_approval=lambda args: args["amount"] > 100)
def pay(amount: int, to: str) -> str:
    """Pay someone.

    Args:
        amount: in euros.
        to: the payee.
    """
    paid.append({"amount": amount, "to": to})
    return f"paid {amount} to {to}"


@pytest.fixture(autouse=True)
def _clear() -> None:
    paid.clear()


def kinds(events: list[Any]) -> list[str]:
    """The event sequence, consecutive text deltas and argument deltas folded into one."""
    out: list[str] = []
    for e in events:
        name = "text" if isinstance(e, str) else type(e).__name__
        if name in ("text", "ToolCallDelta", "Partial") and out and out[-1] == name:
            continue
        out.append(name)
    return out


def weather_script() -> FakeProvider:
    return FakeProvider(
        [
            FakeReply.tool_call("get_weather", {"city": "Paris"}, text="Checking."),
            FakeReply.of_text("It is 21 degrees in Paris."),
        ]
    )


EXPECTED = [
    "text",
    "ToolCallStarted",
    "ToolCallDelta",
    "ToolCallDone",
    "ToolResultEvent",
    "StepFinished",
    "text",
]


def check_weather_run(events: list[Any], completion: tl.Completion[str]) -> None:
    assert kinds(events) == EXPECTED
    assert "".join(e for e in events if isinstance(e, str)) == (
        "Checking.It is 21 degrees in Paris."
    )
    started = next(e for e in events if isinstance(e, tl.ToolCallStarted))
    done = next(e for e in events if isinstance(e, tl.ToolCallDone))
    result = next(e for e in events if isinstance(e, tl.ToolResultEvent))
    finished = next(e for e in events if isinstance(e, tl.StepFinished))
    assert started.name == "get_weather" and started.index == 0 and started.step == 0
    pieces = "".join(e.arguments for e in events if isinstance(e, tl.ToolCallDelta))
    assert pieces == done.call.arguments
    assert done.call.id and done.call.id == result.run.call.id
    assert done.arguments == {"city": "Paris"}
    assert result.ok and '"temperature":21' in result.run.result.replace(" ", "")
    assert finished.record is completion.steps[0]
    assert completion.output == "It is 21 degrees in Paris."
    assert len(completion.steps) == 1
    step_tokens = completion.steps[0].usage.total_tokens
    assert step_tokens > 0 and completion.usage.total_tokens > step_tokens  # summed


@pytest.mark.parametrize("wire", STREAM_WIRES)
def test_sync_event_order(wire: str) -> None:
    fake = weather_script()
    llm = client(wire, fake)
    with llm.stream("Weather in Paris?", tools=[get_weather]) as stream:
        events = list(stream.events())
    check_weather_run(events, stream.completion)
    assert len(fake.requests) == 2
    for request in fake.requests:  # every model call of the loop was a streamed call
        if wire == "gemini":
            assert "streamGenerateContent" in request.path
        else:
            assert request.json["stream"] is True


@pytest.mark.parametrize("wire", STREAM_WIRES)
def test_async_event_order(wire: str) -> None:
    async def run() -> tuple[list[Any], tl.Completion[str]]:
        llm = client(wire, weather_script())
        async with llm.astream("Weather in Paris?", tools=[get_weather]) as stream:
            events = [e async for e in stream.events()]
        return events, stream.completion

    events, completion = asyncio.run(run())
    check_weather_run(events, completion)


def test_plain_iteration_yields_only_text() -> None:
    llm = client("openai", weather_script())
    stream = llm.stream("Weather in Paris?", tools=[get_weather])
    deltas = list(stream)
    assert all(isinstance(d, str) for d in deltas)
    assert "".join(deltas) == "Checking.It is 21 degrees in Paris."
    assert len(stream.completion.steps) == 1


def test_events_of_a_stream_without_tools_are_its_deltas() -> None:
    llm = client("anthropic", FakeProvider([FakeReply.of_text("Hello there")]))
    with llm.stream("Hi") as stream:
        events = list(stream.events())
    assert events and all(isinstance(e, str) for e in events)
    assert "".join(events) == "Hello there" == stream.final()


@pytest.mark.parametrize("wire", STREAM_WIRES)
def test_schema_answer_partials_after_parallel_calls(wire: str) -> None:
    fake = FakeProvider(
        [
            FakeReply.tool_calls(
                [("get_weather", {"city": "Paris"}), ("get_weather", {"city": "Rome"})]
            ),
            FakeReply.of_json({"city": "Rome", "temperature": 25}),
        ]
    )
    llm = client(wire, fake)
    with llm.stream("Warmer of Paris and Rome?", tools=[get_weather], schema=Weather) as stream:
        events = list(stream.events())
        assert stream.final() == Weather(city="Rome", temperature=25)
    partials = [e for e in events if isinstance(e, tl.Partial)]
    assert partials and kinds(events)[-1] == "Partial"
    first_partial = events.index(partials[0])
    assert all(not isinstance(e, tl.Partial) for e in events[:first_partial])
    assert isinstance(events[first_partial - 1], tl.StepFinished)
    done = [e for e in events if isinstance(e, tl.ToolCallDone)]
    assert [d.arguments for d in done] == [{"city": "Paris"}, {"city": "Rome"}]
    starts = [e for e in events if isinstance(e, tl.ToolCallStarted)]
    assert [s.index for s in starts] == [0, 1]
    results = [e.run.result.replace(" ", "") for e in events if isinstance(e, tl.ToolResultEvent)]
    assert '"temperature":21' in results[0] and '"temperature":25' in results[1]
    # no answer-tool call surfaces as a tool event on the tool route
    assert {s.name for s in starts} == {"get_weather"}
    assert stream.completion.output.temperature == 25


def test_schema_stream_iteration_yields_partials_only() -> None:
    fake = FakeProvider(
        [
            FakeReply.tool_call("get_weather", {"city": "Paris"}),
            FakeReply.of_json({"city": "Paris", "temperature": 21}),
        ]
    )
    llm = client("anthropic", fake)
    stream = llm.stream("Paris?", tools=[get_weather], schema=Weather)
    updates = list(stream)
    assert updates and all(isinstance(u, tl.Partial) for u in updates)
    assert updates[-1].get("temperature") == 21
    assert stream.completion.output == Weather(city="Paris", temperature=21)


def pay_script() -> FakeProvider:
    return FakeProvider(
        [
            FakeReply.tool_calls(
                [("get_weather", {"city": "Paris"}), ("pay", {"amount": 500, "to": "bob"})]
            ),
            FakeReply.of_text("Paid bob."),
        ]
    )


@pytest.mark.parametrize("wire", ["openai", "gemini"])
def test_approval_pauses_and_resumes_as_a_new_stream(wire: str) -> None:
    fake = pay_script()
    llm = client(wire, fake)
    seen: list[Any] = []
    with (
        pytest.raises(tl.ApprovalRequired) as info,
        llm.stream("Pay bob 500", tools=[pay, get_weather]) as stream,
    ):
        for event in stream.events():
            seen.append(event)
    assert [type(e).__name__ for e in seen if isinstance(e, tl.ToolCallDone)] == [
        "ToolCallDone"
    ] * 2
    assert not any(isinstance(e, tl.ToolResultEvent) for e in seen)  # the step is not over
    assert paid == [] and len(fake.requests) == 1
    (pending,) = info.value.pending
    assert pending.name == "pay" and pending.arguments == {"amount": 500, "to": "bob"}

    state = tl.ToolLoopState.from_json(info.value.state.to_json())  # e.g. another process
    resumed = llm.resume_stream(
        state, {pending.call.id: tl.ToolDecision.approve()}, tools=[pay, get_weather]
    )
    events = list(resumed.events())
    assert kinds(events) == ["ToolResultEvent", "ToolResultEvent", "StepFinished", "text"]
    results = [e for e in events if isinstance(e, tl.ToolResultEvent)]
    assert [r.run.call.name for r in results] == ["get_weather", "pay"]
    assert results[1].run.decision == "approved" and results[1].run.result == "paid 500 to bob"
    assert paid == [{"amount": 500, "to": "bob"}]
    assert resumed.completion.output == "Paid bob."
    assert len(resumed.completion.steps) == 1 and len(fake.requests) == 2


def test_async_resume_stream_with_a_rejection() -> None:
    fake = pay_script()
    llm = client("anthropic", fake)

    async def run() -> tuple[list[Any], tl.Completion[str]]:
        with pytest.raises(tl.ApprovalRequired) as info:
            async with llm.astream("Pay bob 500", tools=[pay, get_weather]) as stream:
                async for _ in stream.events():
                    pass
        (pending,) = info.value.pending
        resumed = llm.aresume_stream(
            info.value.state,
            {pending.call.id: tl.ToolDecision.reject("not today")},
            tools=[pay, get_weather],
        )
        events = [e async for e in resumed.events()]
        return events, resumed.completion

    events, completion = asyncio.run(run())
    rejected = [e for e in events if isinstance(e, tl.ToolResultEvent) and not e.ok]
    assert len(rejected) == 1 and rejected[0].run.decision == "rejected"
    assert "not today" in rejected[0].run.result
    assert paid == [] and completion.output == "Paid bob."


def test_approve_callbacks_keep_the_stream_going() -> None:
    llm = client("responses", pay_script())
    with llm.stream("Pay", tools=[pay, get_weather], approve=lambda p: True) as stream:
        assert "".join(stream) == "Paid bob."
    assert paid == [{"amount": 500, "to": "bob"}]

    async def edit(p: tl.PendingApproval) -> tl.ToolDecision:
        await asyncio.sleep(0)
        return tl.ToolDecision.edit({"amount": 50, "to": p.arguments["to"]})

    async def run() -> str:
        llm = client("openai", pay_script())
        stream = llm.astream("Pay", tools=[pay, get_weather], approve=edit)
        return await stream.final()

    assert asyncio.run(run()) == "Paid bob."
    assert paid[-1] == {"amount": 50, "to": "bob"}


def test_async_callback_in_a_sync_stream_is_a_clear_error() -> None:
    async def yes(p: tl.PendingApproval) -> bool:
        return True

    llm = client("openai", pay_script())
    with pytest.raises(tl.ConfigurationError, match="astream"):
        llm.stream("Pay", tools=[pay, get_weather], approve=yes).final()


@pytest.mark.parametrize("wire", STREAM_WIRES)
def test_tool_error_and_invalid_arguments_in_the_stream(wire: str) -> None:
    fake = FakeProvider(
        [
            FakeReply.tool_calls([("explode", {"reason": "test"}), ("get_weather", {"town": "x"})]),
            FakeReply.of_text("Sorry."),
        ]
    )
    llm = client(wire, fake)
    with llm.stream("Try", tools=[explode, get_weather]) as stream:
        events = list(stream.events())
    done = [e for e in events if isinstance(e, tl.ToolCallDone)]
    assert done[0].arguments == {"reason": "test"} and done[1].arguments is None
    results = [e for e in events if isinstance(e, tl.ToolResultEvent)]
    assert [r.ok for r in results] == [False, False]
    assert results[0].run.error is not None and "boom: test" in results[0].run.error
    assert results[1].run.error is not None and "invalid arguments" in results[1].run.error
    assert stream.completion.output == "Sorry."


def test_max_steps_ends_the_stream_after_the_steps_it_streamed() -> None:
    fake = FakeProvider([FakeReply.tool_call("get_weather", {"city": "Paris"})] * 3)
    llm = client("openai", fake)
    seen: list[Any] = []
    with pytest.raises(tl.ToolLoopLimitError) as info:
        for event in llm.stream("x", tools=[get_weather], max_steps=2).events():
            seen.append(event)
    assert info.value.limit == "max_steps"
    assert [e.step for e in seen if isinstance(e, tl.StepFinished)] == [0, 1]
    assert len(fake.requests) == 2


def test_repeated_tool_errors_stop_an_async_stream() -> None:
    fake = FakeProvider([FakeReply.tool_call("explode", {"reason": "again"})] * 5)

    async def run() -> list[Any]:
        seen: list[Any] = []
        with pytest.raises(tl.ToolLoopLimitError) as info:
            async for event in client("gemini", fake).astream("x", tools=[explode]).events():
                seen.append(event)
        assert info.value.limit == "tool_errors"
        return seen

    seen = asyncio.run(run())
    assert sum(isinstance(e, tl.ToolResultEvent) and not e.ok for e in seen) == 3


def test_manual_mode_streams_the_calls_without_running_them() -> None:
    llm = client("anthropic", weather_script())
    with llm.stream("Weather?", tools=[get_weather], run_tools=False) as stream:
        events = list(stream.events())
    assert kinds(events) == ["text", "ToolCallStarted", "ToolCallDelta", "ToolCallDone"]
    (call,) = stream.completion.tool_calls
    assert call.name == "get_weather" and stream.completion.steps == ()


def test_closing_early_leaves_no_result() -> None:
    llm = client("openai", weather_script())
    stream = llm.stream("Weather?", tools=[get_weather])
    for event in stream.events():
        if isinstance(event, tl.ToolCallStarted):
            break
    stream.close()
    with pytest.raises(tl.StreamClosedError):
        stream.final()


def test_bad_tool_arguments_fail_before_streaming() -> None:
    llm = client("openai", weather_script())
    with pytest.raises(tl.ConfigurationError, match="unique"):
        llm.stream("x", tools=[get_weather, get_weather])
    with pytest.raises(tl.ConfigurationError, match="ToolLoopState"):
        llm.resume_stream("nope", {}, tools=[get_weather])  # type: ignore[arg-type]


def test_through_a_fallback_and_on_ollama() -> None:
    # Each step is one ordinary stream of the completer, so wrappers relay the tool events.
    broken = (
        tl.openai()
        .model("gpt-4o-mini")
        .api_key("sk-test")
        .retry_policy(tl.RetryPolicy(max_attempts=1))
        .transport(FakeProvider([FakeReply.error(500)] * 3))
        .build()
    )
    llm = tl.fallback(broken, client("anthropic", weather_script()))
    with llm.stream("Weather in Paris?", tools=[get_weather]) as stream:
        events = list(stream.events())
    check_weather_run(events, stream.completion)

    with client("ollama", weather_script()).stream("Weather?", tools=[get_weather]) as local:
        events = list(local.events())
    check_weather_run(events, local.completion)


def test_async_close_early_leaves_no_result() -> None:
    async def run() -> None:
        stream = client("gemini", weather_script()).astream("Weather?", tools=[get_weather])
        async for event in stream.events():
            if isinstance(event, tl.ToolCallDone):
                break
        await stream.aclose()
        with pytest.raises(tl.StreamClosedError):
            await stream.final()

    asyncio.run(run())
