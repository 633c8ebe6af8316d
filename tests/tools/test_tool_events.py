"""Every tool the loop runs is reported to the client's hooks (``tl.events.ToolExecuted``),
and the OpenTelemetry hook turns each report into an ``execute_tool {name}`` span."""

from __future__ import annotations

import asyncio
import importlib.util
import json
from typing import Any

import pytest

import typedllm as tl
from typedllm.events import Event, ToolExecuted
from typedllm.testing import FakeProvider, FakeReply


@tl.tool
def get_weather(city: str) -> dict[str, float]:
    """Current weather in a city."""
    return {"temp": 21.5}


@tl.tool
def broken(city: str) -> str:
    """Always fails."""
    raise RuntimeError("the weather service is down")


def _client(*replies: Any, hooks: tuple[Any, ...] = ()) -> tl.Client:
    builder = tl.openai().model("gpt-4o-mini").api_key("sk-test")
    for hook in hooks:
        builder = builder.on_event(hook)
    return builder.transport(FakeProvider(list(replies))).build()


def _tool_events(events: list[Event]) -> list[ToolExecuted]:
    return [e for e in events if isinstance(e, ToolExecuted)]


def test_each_tool_run_is_reported_to_the_hooks() -> None:
    events: list[Event] = []
    llm = _client(
        FakeReply.tool_calls(
            [("get_weather", {"city": "Paris"}, "c1"), ("broken", {"city": "Oslo"})]
        ),
        "It is 21.5 degrees in Paris.",
        hooks=(events.append,),
    )
    answer = llm.complete("Weather?", tools=[get_weather, broken])
    assert answer == "It is 21.5 degrees in Paris."
    ok, failed = _tool_events(events)
    assert (ok.name, ok.call_id, ok.error) == ("get_weather", "c1", None)
    assert json.loads(ok.arguments) == {"city": "Paris"}
    assert json.loads(ok.result) == {"temp": 21.5}
    assert ok.call.operation == "execute_tool" and ok.seconds >= 0 and ok.started > 0
    assert failed.name == "broken" and failed.error is not None
    assert "the weather service is down" in failed.error


def test_async_and_streamed_loops_report_their_tools_too() -> None:
    events: list[Event] = []
    llm = _client(
        FakeReply.tool_call("get_weather", {"city": "Rome"}),
        "Sunny.",
        FakeReply.tool_call("get_weather", {"city": "Lima"}),
        "Cloudy.",
        hooks=(events.append,),
    )
    assert asyncio.run(llm.acomplete("Rome?", tools=[get_weather])) == "Sunny."
    with llm.stream("Lima?", tools=[get_weather]) as stream:
        assert "".join(stream) == "Cloudy."
    assert [json.loads(e.arguments)["city"] for e in _tool_events(events)] == ["Rome", "Lima"]


@pytest.mark.skipif(
    importlib.util.find_spec("opentelemetry") is None
    or importlib.util.find_spec("opentelemetry.sdk") is None,
    reason="OpenTelemetry is optional: pip install 'typedllm[otel]'",
)
def test_opentelemetry_records_a_span_per_tool_run() -> None:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from opentelemetry.trace import StatusCode

    from typedllm.integrations import otel

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    builder = tl.openai().model("gpt-4o-mini").api_key("sk-test")
    fake = FakeProvider(
        [
            FakeReply.tool_calls(
                [("get_weather", {"city": "Paris"}, "c1"), ("broken", {"city": "x"})]
            ),
            "Done.",
        ]
    )
    llm = otel.instrument(builder.transport(fake), tracer_provider=provider).build()
    assert llm.complete("Weather?", tools=[get_weather, broken]) == "Done."
    spans = {s.name: s for s in exporter.get_finished_spans()}
    weather, failed = spans["execute_tool get_weather"], spans["execute_tool broken"]
    attributes = dict(weather.attributes or {})
    assert attributes["gen_ai.operation.name"] == "execute_tool"
    assert attributes["gen_ai.tool.call.id"] == "c1"
    assert "gen_ai.tool.call.arguments" not in attributes  # content only when opted in
    assert weather.start_time is not None and weather.end_time is not None
    assert weather.end_time >= weather.start_time
    assert dict(failed.attributes or {})["error.type"] == "ToolError"
    assert failed.status.status_code is StatusCode.ERROR
    assert sum(s.name.startswith("chat ") for s in spans.values()) >= 1
