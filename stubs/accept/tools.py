"""Accepted: typed tools and the tool loop (type-checked only, never executed)."""

from __future__ import annotations

from pydantic import BaseModel
from typing_extensions import assert_type

import typedllm as tl


class Weather(BaseModel):
    city: str
    temperature: int


@tl.tool
def get_weather(city: str, unit: str = "C") -> Weather:
    """Current weather."""
    return Weather(city=city, temperature=21)


@tl.tool(requires_approval=lambda args: args["amount"] > 100, timeout=5.0)
def pay(amount: int, to: str) -> dict[str, int]:
    """Pay someone."""
    return {to: amount}


@tl.tool(name="now")
async def current_time(city: str) -> str:
    """The local time."""
    return city


def tools_keep_their_signature() -> None:
    positional: tl.Tool[[str, str], Weather] = get_weather
    assert_type(positional("Paris", "F"), Weather)
    assert_type(get_weather("Paris"), Weather)
    assert_type(get_weather("Paris", unit="F"), Weather)
    assert_type(pay(5, "bob"), dict[str, int])
    assert_type(get_weather.definition, tl.ToolDefinition)
    assert_type(get_weather.name, str)

    def area(width: float, height: float) -> float:
        return width * height

    built = tl.Tool.from_function(area, description="Area")
    assert_type(built(2.0, 3.0), float)


def loops(llm: tl.Client, fb: tl.Fallback) -> None:
    assert_type(llm.complete("x", tools=[get_weather, pay]), str)
    assert_type(llm.complete("x", tools=[get_weather], schema=Weather), Weather)
    assert_type(fb.complete("x", tools=[get_weather], schema=Weather, max_steps=3), Weather)
    record = llm.completion("x", tools=[get_weather, current_time], schema=Weather)
    assert_type(record, tl.Completion[Weather])
    assert_type(record.steps, tuple[tl.ToolStep, ...])
    step = record.steps[0]
    assert_type(step.runs, tuple[tl.ToolRun, ...])
    assert_type(step.runs[0].result, str)
    assert_type(step.runs[0].error, str | None)
    assert_type(step.usage, tl.Usage)
    definition = tl.ToolDefinition("lookup")
    manual = llm.completion("x", tools=[definition, pay], run_tools=False, tool_choice="required")
    assert_type(manual.tool_calls, tuple[tl.ToolCall, ...])
    assert_type(llm.complete("x", tools=[pay], max_tokens_total=10_000, max_cost=0.5), str)


async def async_loops(llm: tl.Client) -> None:
    assert_type(await current_time("Rome"), str)
    assert_type(await llm.acomplete("x", tools=[current_time], schema=Weather), Weather)
    assert_type(await llm.acompletion("x", tools=[current_time]), tl.Completion[str])


def approvals(llm: tl.Client) -> None:
    def approve(pending: tl.PendingApproval) -> bool:
        return pending.name != "pay"

    async def aapprove(pending: tl.PendingApproval) -> tl.ToolDecision:
        return tl.ToolDecision.reject("no")

    assert_type(llm.complete("x", tools=[pay], approve=approve), str)
    try:
        llm.complete("x", tools=[pay], schema=Weather)
    except tl.ApprovalRequired as paused:
        assert_type(paused.pending, tuple[tl.PendingApproval, ...])
        text = paused.state.to_json()
        assert_type(text, str)
        state = tl.ToolLoopState.from_json(text)
        decisions = {p.call.id: tl.ToolDecision.edit({"amount": 1}) for p in paused.pending}
        done = llm.resume(state, decisions, tools=[pay], schema=Weather)
        assert_type(done, tl.Completion[Weather])
        assert_type(llm.resume(state, {"c1": True}, tools=[pay]), tl.Completion[str])
    except tl.ToolLoopLimitError as limit:
        assert_type(limit.steps, tuple[tl.ToolStep, ...])
        assert_type(limit.limit, str)
    _ = aapprove
