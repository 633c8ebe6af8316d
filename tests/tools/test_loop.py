"""The tool loop end to end through the fake, on every wire, sync and async."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import orjson
import pytest
from _wires import WIRES, client, script, tool_calls, tool_results
from pydantic import BaseModel

import typedllm as tl
from typedllm.testing import FakeProvider, FakeReply


class Weather(BaseModel):
    city: str
    temperature: int


@tl.tool
def get_weather(city: str, unit: str = "C") -> dict[str, Any]:
    """Current weather in a city.

    Args:
        city: the city name.
        unit: C or F.
    """
    return {"city": city, "temperature": 21 if city == "Paris" else 12, "unit": unit}


@tl.tool
async def get_time(city: str) -> str:
    """The local time in a city."""
    return f"12:00 in {city}"


FINAL = '{"city": "Paris", "temperature": 21}'


@pytest.mark.parametrize("wire", WIRES)
def test_loop_runs_tools_and_returns_the_typed_answer(wire: str) -> None:
    fake = script([tool_calls(wire, [("call_1", "get_weather", {"city": "Paris"})]), FINAL])
    llm = client(wire, fake)
    result = llm.complete("Weather in Paris?", tools=[get_weather], schema=Weather)
    assert result == Weather(city="Paris", temperature=21)
    assert len(fake.requests) == 2
    # The tool was offered in the wire's shape, and its result sent back answering the call.
    first = orjson.dumps(fake.requests[0].json).decode()
    assert "get_weather" in first and "the city name" in first
    (key, text), *rest = tool_results(wire, fake.requests[1].json)
    assert not rest
    assert key in ("call_1", "get_weather")
    assert '"temperature":21' in text and '"unit":"C"' in text


@pytest.mark.parametrize("wire", WIRES)
def test_async_loop_without_schema(wire: str) -> None:
    fake = script(
        [
            tool_calls(wire, [("c1", "get_time", {"city": "Oslo"})]),
            "It is noon in Oslo.",
        ]
    )
    llm = client(wire, fake)
    completion = asyncio.run(llm.acompletion("Time in Oslo?", tools=[get_time, get_weather]))
    assert completion.output == "It is noon in Oslo."
    (step,) = completion.steps
    (run,) = step.runs
    assert run.ok and run.result == "12:00 in Oslo" and run.arguments == {"city": "Oslo"}
    assert step.tool_calls[0].name == "get_time"
    assert "12:00 in Oslo" in tool_results(wire, fake.requests[1].json)[0][1]


def test_record_transcript_usage_and_continuation() -> None:
    fake = script(
        [
            tool_calls("openai", [("c1", "get_weather", {"city": "Paris"})]),
            tool_calls("openai", [("c2", "get_weather", {"city": "Rome", "unit": "F"})]),
            "Paris 21, Rome 12.",
            "Bye.",
        ]
    )
    llm = client("openai", fake)
    c = llm.completion("Compare", tools=[get_weather])
    assert c.output == "Paris 21, Rome 12."
    assert [s.runs[0].arguments for s in c.steps] == [
        {"city": "Paris", "unit": "C"},
        {"city": "Rome", "unit": "F"},
    ]
    assert all(s.usage.total_tokens > 0 for s in c.steps)
    final_usage = c.usage.total_tokens - sum(s.usage.total_tokens for s in c.steps)
    assert final_usage > 0  # the final call's tokens are in the total too
    roles = [m.role for m in c.messages]
    assert roles == ["user", "assistant", "tool", "assistant", "tool", "assistant"]
    assert c.messages[2].tool_call_id == "c1" and not c.messages[2].is_error
    # The transcript continues the conversation.
    again = llm.complete([*c.messages, tl.user("thanks")])
    assert again == "Bye."
    assert len(fake.requests[3].json["messages"]) == 7


def test_parallel_calls_run_concurrently_in_async() -> None:
    both_started = threading.Event()
    started: list[str] = []

    @tl.tool
    async def slow_a(x: int) -> int:
        """A."""
        started.append("a")
        for _ in range(5000):  # only finishes once the other one started (or fails in ~5 s)
            if len(started) == 2:
                both_started.set()
                return x
            await asyncio.sleep(0.001)
        raise AssertionError("sync_b did not start while slow_a ran")

    @tl.tool
    def sync_b(x: int) -> int:
        """B (sync: runs in a worker thread)."""
        started.append("b")
        assert both_started.wait(5), "slow_a and sync_b did not overlap"
        return x * 2

    fake = script(
        [tool_calls("openai", [("a", "slow_a", {"x": 1}), ("b", "sync_b", {"x": 2})]), "done"]
    )
    llm = client("openai", fake)
    c = asyncio.run(llm.acompletion("go", tools=[slow_a, sync_b]))
    assert c.output == "done"
    assert [r.result for r in c.steps[0].runs] == ["1", "4"]
    assert sorted(started) == ["a", "b"]
    # Results go back in the order of the calls.
    assert [k for k, _ in tool_results("openai", fake.requests[1].json)] == ["a", "b"]


def test_sync_runs_calls_in_order() -> None:
    order: list[int] = []

    @tl.tool
    def record(n: int) -> int:
        """Record n."""
        order.append(n)
        return n

    calls = [(f"c{n}", "record", {"n": n}) for n in (3, 1, 2)]
    fake = script([tool_calls("anthropic", calls), "ok"])
    assert client("anthropic", fake).complete("x", tools=[record]) == "ok"
    assert order == [3, 1, 2]


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
def test_invalid_arguments_are_repaired_on_the_next_step(wire: str) -> None:
    fake = script(
        [
            tool_calls(wire, [("c1", "get_weather", {"town": "Paris"})]),
            tool_calls(wire, [("c2", "get_weather", {"city": "Paris"})]),
            FINAL,
        ]
    )
    c = client(wire, fake).completion("x", tools=[get_weather], schema=Weather)
    assert c.output.temperature == 21
    bad, good = c.steps
    assert bad.runs[0].error is not None and "city" in bad.runs[0].error
    assert bad.runs[0].arguments is None
    assert "Field required" in bad.runs[0].result and "town" in bad.runs[0].result
    assert good.runs[0].ok
    error_message = c.messages[2]
    assert error_message.role == "tool" and error_message.is_error
    sent = tool_results(wire, fake.requests[1].json)[0][1]
    assert "invalid arguments" in sent


def test_tool_exception_goes_back_as_an_error_result() -> None:
    @tl.tool
    def divide(a: int, b: int) -> float:
        """Divide."""
        return a / b

    fake = script(
        [
            tool_calls("gemini", [("c1", "divide", {"a": 1, "b": 0})]),
            tool_calls("gemini", [("c2", "divide", {"a": 1, "b": 2})]),
            "0.5",
        ]
    )
    c = client("gemini", fake).completion("x", tools=[divide])
    assert c.output == "0.5"
    assert c.steps[0].runs[0].error == "divide raised ZeroDivisionError: division by zero"
    assert c.steps[1].runs[0].result == "0.5"
    assert "ZeroDivisionError" in tool_results("gemini", fake.requests[1].json)[0][1]


def test_a_tool_failing_three_times_in_a_row_stops_the_loop() -> None:
    @tl.tool
    def broken() -> str:
        """Always fails."""
        raise RuntimeError("disk on fire")

    fake = script([tool_calls("openai", [(f"c{i}", "broken", {})]) for i in range(3)])
    with pytest.raises(tl.ToolLoopLimitError, match="disk on fire") as info:
        client("openai", fake).complete("x", tools=[broken])
    assert info.value.limit == "tool_errors"
    assert len(info.value.steps) == 3 and fake.calls == 3


def test_unknown_tool_is_an_error_result() -> None:
    fake = script([tool_calls("openai", [("c1", "nope", {})]), "sorry"])
    c = client("openai", fake).completion("x", tools=[get_weather])
    assert c.output == "sorry"
    assert "unknown tool 'nope'" in (c.steps[0].runs[0].error or "")
    assert "get_weather" in tool_results("openai", fake.requests[1].json)[0][1]


def test_max_steps() -> None:
    fake = FakeProvider(
        responder=lambda body: tool_calls("openai", [("c", "get_weather", {"city": "Rome"})])
    )
    with pytest.raises(tl.ToolLoopLimitError, match="max_steps=3") as info:
        client("openai", fake).complete("x", tools=[get_weather], max_steps=3)
    assert info.value.limit == "max_steps"
    assert fake.calls == 3 and len(info.value.steps) == 3
    assert info.value.usage is not None and info.value.usage.total_tokens == 45
    assert info.value.messages[-1].role == "tool"


def test_token_budget() -> None:
    fake = FakeProvider(
        responder=lambda body: tool_calls("openai", [("c", "get_weather", {"city": "Rome"})])
    )
    with pytest.raises(tl.ToolLoopLimitError) as info:
        client("openai", fake).complete("x", tools=[get_weather], max_tokens_total=40)
    assert info.value.limit == "max_tokens_total"
    assert fake.calls == 3  # 15 + 15 + 15 >= 40: no fourth call


def test_cost_budget_uses_catalog_prices() -> None:
    fake = FakeProvider(
        responder=lambda body: tool_calls("openai", [("c", "get_weather", {"city": "Rome"})])
    )
    with pytest.raises(tl.ToolLoopLimitError) as info:
        client("openai", fake).complete("x", tools=[get_weather], max_cost=1e-9)
    assert info.value.limit == "max_cost"
    assert fake.calls == 1


def test_timeout_sync_and_async() -> None:
    release = threading.Event()

    @tl.tool(timeout=0.05)
    def hang() -> str:
        """Hangs."""
        release.wait(5)
        return "late"

    @tl.tool(timeout=0.05)
    async def ahang() -> str:
        """Hangs too."""
        await asyncio.sleep(5)
        return "late"

    try:
        fake = script([tool_calls("openai", [("c1", "hang", {})]), "gave up"])
        c = client("openai", fake).completion("x", tools=[hang])
        assert c.steps[0].runs[0].error == "hang timed out after 0.05 s"
        fake = script(
            [tool_calls("openai", [("c1", "ahang", {}), ("c2", "get_time", {"city": "A"})]), "ok"]
        )
        c = asyncio.run(client("openai", fake).acompletion("x", tools=[ahang, get_time]))
        assert [r.error for r in c.steps[0].runs] == ["ahang timed out after 0.05 s", None]
    finally:
        release.set()


def test_manual_mode_returns_the_calls() -> None:
    ran: list[str] = []

    @tl.tool
    def act(x: str) -> str:
        """Act."""
        ran.append(x)
        return x

    fake = script([tool_calls("openai", [("c1", "act", {"x": "1"})])] * 3)
    llm = client("openai", fake)
    c = llm.completion("x", tools=[act], run_tools=False)
    assert [t.name for t in c.tool_calls] == ["act"] and c.steps == () and not ran
    typed = llm.completion("x", tools=[act], run_tools=False, schema=Weather)
    assert typed.output is None and typed.tool_calls[0].arguments == '{"x":"1"}'
    assert typed.messages[-1].tool_calls == typed.tool_calls
    with pytest.raises(tl.PendingToolCallsError):
        llm.complete("x", tools=[act], run_tools=False, schema=Weather)


def test_bare_definition_calls_are_returned() -> None:
    lookup = tl.ToolDefinition("lookup", "Look up", {"type": "object", "properties": {}})
    fake = script(
        [
            tool_calls("openai", [("c1", "get_weather", {"city": "Paris"})]),
            tool_calls("openai", [("c2", "lookup", {})]),
        ]
    )
    c = client("openai", fake).completion("x", tools=[get_weather, lookup])
    assert len(c.steps) == 1 and c.tool_calls[0].name == "lookup"
    names = [t["function"]["name"] for t in fake.requests[0].json["tools"]]
    assert names == ["get_weather", "lookup"]


def test_tool_choice_applies_to_the_first_call_only() -> None:
    fake = script([tool_calls("openai", [("c1", "get_weather", {"city": "Paris"})]), "ok"])
    client("openai", fake).complete("x", tools=[get_weather], tool_choice="get_weather")
    assert fake.requests[0].json["tool_choice"]["function"]["name"] == "get_weather"
    assert fake.requests[1].json["tool_choice"] == "auto"
    with pytest.raises(tl.ConfigurationError, match="not one of the tools"):
        client("openai", fake).complete("x", tools=[get_weather], tool_choice="other")


def test_the_loop_works_through_a_fallback() -> None:
    down = FakeProvider([FakeReply.error(503, "down")] * 10)
    up = script([tool_calls("anthropic", [("c1", "get_weather", {"city": "Paris"})]), FINAL])
    first = tl.openai().model("gpt-4o-mini").api_key("k").max_retries(0).transport(down).build()
    fb = tl.fallback(first, client("anthropic", up))
    assert fb.complete("x", tools=[get_weather], schema=Weather).temperature == 21
    assert up.calls == 2


def test_answer_tool_name_collision_is_refused() -> None:
    @tl.tool(name="Weather")
    def clash() -> str:
        """Named like the schema."""
        return ""

    fake = script([FINAL])
    tool_route = tl.anthropic().model("claude-sonnet-4-0").api_key("k").transport(fake).build()
    with pytest.raises(tl.ConfigurationError, match="answer tool"):
        tool_route.complete("x", tools=[clash], schema=Weather)
    assert fake.calls == 0


def test_user_tools_next_to_the_answer_tool_route() -> None:
    fake = script(
        [
            tool_calls("anthropic", [("c1", "get_weather", {"city": "Paris"})]),
            tool_calls("anthropic", [("c2", "Weather", {"city": "Paris", "temperature": 21})]),
        ]
    )
    llm = tl.anthropic().model("claude-sonnet-4-0").api_key("k").transport(fake).build()
    assert llm.complete("x", tools=[get_weather], schema=Weather).temperature == 21
    offered = [t["name"] for t in fake.requests[0].json["tools"]]
    assert offered == ["get_weather", "Weather"]


def test_argument_checks() -> None:
    llm = client("openai", script([]))
    with pytest.raises(tl.ConfigurationError, match="sequence"):
        llm.complete("x", tools=get_weather)  # type: ignore[arg-type]
    with pytest.raises(tl.ConfigurationError, match="unique"):
        llm.complete("x", tools=[get_weather, get_weather])
    with pytest.raises(tl.ConfigurationError, match="max_steps"):
        llm.complete("x", tools=[get_weather], max_steps=0)
    with pytest.raises(tl.ConfigurationError, match="unique"):  # checked before streaming
        llm.stream("x", tools=[get_weather, get_weather])
    with pytest.raises(tl.ConfigurationError, match="max_steps"):
        llm.astream("x", tools=[get_weather], schema=Weather, max_steps=0)
    with pytest.raises(tl.ConfigurationError, match=r"tl\.tool"):
        llm.complete("x", tools=[len])  # type: ignore[list-item]


def test_sync_loop_calls_async_tools() -> None:
    fake = script([tool_calls("ollama", [("", "get_time", {"city": "Rome"})]), "noon"])
    start = time.perf_counter()
    c = client("ollama", fake).completion("x", tools=[get_time])
    assert c.output == "noon" and c.steps[0].runs[0].result == "12:00 in Rome"
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("wire", ["openai", "anthropic", "gemini"])
def test_text_next_to_the_calls_does_not_stop_the_loop(wire: str) -> None:
    """Models often say something before calling ("I'll check"): under a schema that text
    is not an answer, so the calls run instead of a re-ask."""
    preamble = tool_calls(wire, [("c1", "get_weather", {"city": "Paris"})], text="I'll check.")
    fake = script([preamble, FINAL])
    c = client(wire, fake).completion("x", tools=[get_weather], schema=Weather)
    assert c.output.temperature == 21 and len(c.steps) == 1 and fake.calls == 2
    assert c.steps[0].message.content == "I'll check."


def test_schema_call_with_tool_calls_and_text_raises_pending_without_the_loop() -> None:
    preamble = tool_calls("openai", [("c1", "get_weather", {"city": "Paris"})], text="Let me see")
    fake = script([preamble])
    offered = tl.CallOptions(tools=(get_weather.definition,))
    with pytest.raises(tl.PendingToolCallsError) as info:
        client("openai", fake).complete("x", schema=Weather, options=offered)
    assert info.value.raw_text == "Let me see" and fake.calls == 1
    assert info.value.tool_calls[0].name == "get_weather"


def test_the_loop_works_through_a_router_and_a_breaker() -> None:
    fake = script(
        [
            tool_calls("gemini", [("c1", "get_weather", {"city": "Paris"})]),
            FINAL,
            tool_calls("openai", [("c2", "get_time", {"city": "Rome"})]),
            "noon",
        ]
    )
    router = tl.Router(default=[client("gemini", fake)])
    c = router.completion("x", tools=[get_weather], schema=Weather)
    assert c.output.temperature == 21 and len(c.steps) == 1
    assert c.answered_by is not None and "gemini" in c.answered_by
    guarded = tl.BreakerClient(client("openai", fake), tl.CircuitBreaker(3))
    assert asyncio.run(guarded.acomplete("x", tools=[get_time])) == "noon"
    assert fake.calls == 4


PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 16


@tl.tool
def chart(title: str) -> list[Any]:
    """Draw a chart."""
    return [f"the chart {title}", tl.image(PNG, media_type="image/png")]


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
def test_a_tool_returning_media_sends_it_as_parts(wire: str) -> None:
    fake = script([tool_calls(wire, [("c1", "chart", {"title": "sales"})]), "a rising line"])
    c = client(wire, fake).completion("x", tools=[chart])
    run = c.steps[0].runs[0]
    assert run.result == "the chart sales"
    assert [type(p).__name__ for p in run.parts] == ["TextPart", "ImagePart"]
    tool_message = c.messages[2]
    assert isinstance(tool_message.parts[1], tl.ImagePart)
    sent = orjson.dumps(fake.requests[1].json).decode()
    assert "the chart sales" in sent and "iVBORw0KGgo" in sent  # the PNG, base64
