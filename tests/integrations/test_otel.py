"""OpenTelemetry spans and metrics of calls (typedllm.integrations.otel), recorded with the SDK's
in-memory exporter and reader on the fake provider."""

from __future__ import annotations

import asyncio
import json
import pickle
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

import typedllm as tl
from typedllm.integrations import otel
from typedllm.testing import FakeProvider, FakeReply

pytest.importorskip(
    "opentelemetry.sdk", reason="OpenTelemetry is optional: pip install 'typedllm[otel]'"
)

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from opentelemetry.trace import SpanKind, StatusCode

KEY = "sk-OTEL-SECRET-4242"


class Pet(BaseModel):
    name: str
    age: int


class Telemetry:
    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader])

    def spans(self) -> list[ReadableSpan]:
        return list(self.exporter.get_finished_spans())

    def call_spans(self) -> list[ReadableSpan]:
        return [s for s in self.spans() if s.name.startswith("chat ")]

    def attempt_spans(self) -> list[ReadableSpan]:
        return [s for s in self.spans() if s.name in ("POST", "GET")]

    def points(self, name: str) -> list[Any]:
        data = self.reader.get_metrics_data()
        found: list[Any] = []
        assert data is not None
        for resource in data.resource_metrics:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    if metric.name == name:
                        found.extend(metric.data.data_points)
        return found


@pytest.fixture
def telemetry() -> Iterator[Telemetry]:
    t = Telemetry()
    yield t
    t.tracer_provider.shutdown()
    t.meter_provider.shutdown()


def client(t: Telemetry, fake: FakeProvider, *, capture: bool = False, **opts: Any) -> tl.Client:
    builder: Any = (
        tl.openai()
        .model("gpt-4o-mini")
        .api_key(KEY)
        .transport(fake)
        .retry_policy(tl.RetryPolicy(backoff_base=0))
    )
    for name, value in opts.items():
        builder = getattr(builder, name)(value)
    instrumented = otel.instrument(
        builder,
        tracer_provider=t.tracer_provider,
        meter_provider=t.meter_provider,
        capture_content=capture,
    )
    llm: tl.Client = instrumented.build()
    return llm


def test_a_call_is_one_client_span_with_the_conventions_attributes(telemetry: Telemetry) -> None:
    llm = client(telemetry, FakeProvider(["Paris"]), temperature=0.2, max_tokens=50)
    assert llm.complete("Capital of France?") == "Paris"
    (span,) = telemetry.call_spans()
    assert span.name == "chat gpt-4o-mini"
    assert span.kind is SpanKind.CLIENT
    attrs = dict(span.attributes or {})
    assert attrs["gen_ai.operation.name"] == "chat"
    assert attrs["gen_ai.provider.name"] == "openai"
    assert attrs["gen_ai.system"] == "openai"
    assert attrs["gen_ai.request.model"] == "gpt-4o-mini"
    assert attrs["gen_ai.request.temperature"] == 0.2
    assert attrs["gen_ai.request.max_tokens"] == 50
    assert attrs["server.address"] == "api.openai.com"
    assert attrs["server.port"] == 443
    assert attrs["gen_ai.response.model"]
    assert attrs["gen_ai.response.id"]
    assert attrs["gen_ai.response.finish_reasons"] == ("stop",)
    assert isinstance(attrs["gen_ai.usage.input_tokens"], int)
    assert attrs["gen_ai.usage.output_tokens"] > 0
    assert span.status.status_code is StatusCode.UNSET
    (attempt,) = telemetry.attempt_spans()
    assert attempt.parent is not None and attempt.parent.span_id == span.context.span_id
    assert attempt.attributes is not None
    assert attempt.attributes["http.response.status_code"] == 200
    assert attempt.attributes["url.full"] == "https://api.openai.com/v1/chat/completions"
    assert "http.request.resend_count" not in attempt.attributes


def test_each_retry_is_an_attempt_span_under_the_one_call_span(telemetry: Telemetry) -> None:
    fake = FakeProvider([FakeReply.error(500, "overloaded"), "ok"])
    llm = client(telemetry, fake)
    assert llm.complete("hi") == "ok"
    (call,) = telemetry.call_spans()
    first, second = sorted(telemetry.attempt_spans(), key=lambda s: s.start_time or 0)
    for attempt in (first, second):
        assert attempt.parent is not None and attempt.parent.span_id == call.context.span_id
    assert first.status.status_code is StatusCode.ERROR
    assert first.attributes is not None and first.attributes["error.type"] == "500"
    assert first.attributes["http.response.status_code"] == 500
    assert second.attributes is not None and second.attributes["http.request.resend_count"] == 1
    assert second.status.status_code is StatusCode.UNSET
    (retry,) = [e for e in call.events if e.name == "typedllm.retry"]
    assert retry.attributes is not None
    assert retry.attributes["typedllm.retry.reason"] == "status"
    assert retry.attributes["http.response.status_code"] == 500
    assert call.status.status_code is StatusCode.UNSET  # the call succeeded in the end


def test_a_failed_call_has_error_type_on_its_span_and_duration(telemetry: Telemetry) -> None:
    llm = client(telemetry, FakeProvider([FakeReply.error(400, "bad request")]))
    with pytest.raises(tl.BadRequestError):
        llm.complete("hi")
    (call,) = telemetry.call_spans()
    assert call.status.status_code is StatusCode.ERROR
    assert call.attributes is not None and call.attributes["error.type"] == "BadRequestError"
    assert not call.events  # the exception's message is content: not recorded by default
    (attempt,) = telemetry.attempt_spans()
    assert attempt.attributes is not None and attempt.attributes["error.type"] == "400"
    (duration,) = telemetry.points("gen_ai.client.operation.duration")
    assert duration.attributes["error.type"] == "BadRequestError"
    assert duration.count == 1
    assert not telemetry.points("gen_ai.client.token.usage")


def test_a_call_refused_before_sending_still_gets_a_failed_span(telemetry: Telemetry) -> None:
    llm = client(telemetry, FakeProvider(["never"]))
    with pytest.raises(tl.ConfigurationError):
        llm.complete([])  # no messages
    (call,) = telemetry.call_spans()
    assert call.attributes is not None and call.attributes["error.type"] == "ConfigurationError"
    assert not telemetry.attempt_spans()


def test_token_usage_and_duration_histograms(telemetry: Telemetry) -> None:
    llm = client(telemetry, FakeProvider(["one two three"]))
    completion = llm.completion("count")
    tokens = telemetry.points("gen_ai.client.token.usage")
    by_type = {p.attributes["gen_ai.token.type"]: p for p in tokens}
    assert set(by_type) == {"input", "output"}
    assert by_type["input"].sum == completion.usage.input_tokens
    assert by_type["output"].sum == completion.usage.output_tokens
    for point in tokens:
        assert point.attributes["gen_ai.operation.name"] == "chat"
        assert point.attributes["gen_ai.provider.name"] == "openai"
        assert point.attributes["gen_ai.request.model"] == "gpt-4o-mini"
        assert point.attributes["server.address"] == "api.openai.com"
    assert 1024 in by_type["input"].explicit_bounds  # the conventions' advised buckets
    (duration,) = telemetry.points("gen_ai.client.operation.duration")
    assert duration.count == 1 and duration.sum >= 0
    assert "error.type" not in duration.attributes


def test_a_stream_reports_time_to_first_chunk(telemetry: Telemetry) -> None:
    llm = client(telemetry, FakeProvider(["streamed answer"]))
    with llm.stream("hi") as stream:
        text = "".join(stream)
    assert text == "streamed answer"
    (call,) = telemetry.call_spans()
    assert call.attributes is not None and call.attributes["gen_ai.operation.name"] == "chat"
    (first,) = [e for e in call.events if e.name == "typedllm.first_chunk"]
    assert first.attributes is not None and first.attributes["typedllm.elapsed"] >= 0
    (ttfc,) = telemetry.points("gen_ai.client.operation.time_to_first_chunk")
    assert ttfc.count == 1
    assert call.attributes["gen_ai.usage.output_tokens"] > 0


def test_a_stream_closed_early_ends_its_span_as_failed(telemetry: Telemetry) -> None:
    llm = client(telemetry, FakeProvider(["a long streamed answer with many words"]))
    stream = llm.stream("hi")
    next(iter(stream))
    stream.close()
    (call,) = telemetry.call_spans()
    assert call.attributes is not None and call.attributes["error.type"] == "StreamClosedError"


def test_reasks_are_span_events_and_rounds_of_attempts(telemetry: Telemetry) -> None:
    fake = FakeProvider(['{"name": "Rex"}', {"name": "Rex", "age": 3}])
    llm = client(telemetry, fake)
    assert llm.complete("pet", schema=Pet) == Pet(name="Rex", age=3)
    (call,) = telemetry.call_spans()
    (reask,) = [e for e in call.events if e.name == "typedllm.reask"]
    assert reask.attributes is not None and reask.attributes["typedllm.errors"] >= 1
    rounds = sorted((s.attributes or {})["typedllm.round"] for s in telemetry.attempt_spans())
    assert rounds == [0, 1]
    assert call.attributes is not None and call.attributes["typedllm.attempts"] == 2


def test_content_is_not_recorded_by_default(telemetry: Telemetry) -> None:
    llm = client(telemetry, FakeProvider(["the secret answer"]), system="Be terse.")
    llm.complete("my private question")
    dumped = _dump(telemetry.spans())
    assert "my private question" not in dumped
    assert "the secret answer" not in dumped
    assert "Be terse." not in dumped


def test_content_is_recorded_when_asked(telemetry: Telemetry) -> None:
    llm = client(telemetry, FakeProvider(["the answer"]), capture=True, system="Be terse.")
    llm.complete("my question")
    (call,) = telemetry.call_spans()
    assert call.attributes is not None
    sent = json.loads(str(call.attributes["gen_ai.input.messages"]))
    assert sent == [
        {"role": "system", "parts": [{"type": "text", "content": "Be terse."}]},
        {"role": "user", "parts": [{"type": "text", "content": "my question"}]},
    ]
    answered = json.loads(str(call.attributes["gen_ai.output.messages"]))
    assert answered == [
        {
            "role": "assistant",
            "parts": [{"type": "text", "content": "the answer"}],
            "finish_reason": "stop",
        }
    ]


def test_no_secret_reaches_spans_or_metrics(telemetry: Telemetry) -> None:
    fake = FakeProvider([FakeReply.error(429, f"rate limited for key {KEY}"), "ok"])
    llm = client(telemetry, fake, capture=True)
    llm.complete("hi")
    dumped = _dump(telemetry.spans())
    assert KEY not in dumped
    assert "authorization" not in dumped.lower()
    metrics = telemetry.reader.get_metrics_data()
    assert metrics is not None and KEY not in metrics.to_json()


def test_async_calls_are_traced_too(telemetry: Telemetry) -> None:
    llm = client(telemetry, FakeProvider(["one", "two"]))

    async def main() -> list[str]:
        async with llm:
            return list(await asyncio.gather(llm.acomplete("a"), llm.acomplete("b")))

    assert sorted(asyncio.run(main())) == ["one", "two"]
    calls = telemetry.call_spans()
    assert len(calls) == 2
    assert len({s.context.trace_id for s in calls}) == 2  # concurrent calls stay apart
    assert len(telemetry.attempt_spans()) == 2


def test_a_call_span_is_a_child_of_the_callers_span(telemetry: Telemetry) -> None:
    llm = client(telemetry, FakeProvider(["ok"]))
    tracer = telemetry.tracer_provider.get_tracer("app")
    with tracer.start_as_current_span("handle request") as parent:
        llm.complete("hi")
    (call,) = telemetry.call_spans()
    assert call.parent is not None
    assert call.parent.span_id == parent.get_span_context().span_id


def test_instrument_a_built_client_leaves_the_original_alone(telemetry: Telemetry) -> None:
    fake = FakeProvider(["a", "b"])
    plain = tl.openai().model("gpt-4o-mini").api_key(KEY).transport(fake).build()
    traced = otel.instrument(
        plain, tracer_provider=telemetry.tracer_provider, meter_provider=telemetry.meter_provider
    )
    assert traced is not plain and isinstance(traced, tl.Client)
    plain.complete("x")
    assert not telemetry.spans()
    traced.complete("y")
    assert len(telemetry.call_spans()) == 1
    with pytest.raises(tl.ConfigurationError, match="already instrumented"):
        otel.instrument(traced)
    with pytest.raises(tl.ConfigurationError, match="builder or client"):
        otel.instrument("not a client")  # type: ignore[type-var]  # pyright: ignore[reportArgumentType]


def test_without_the_api_instrument_is_a_no_op(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(otel, "_api", lambda: None)
    builder = tl.openai().model("gpt-4o-mini").api_key(KEY).transport(FakeProvider(["ok"]))
    assert otel.instrument(builder) is builder
    hook = otel.OTelHook()
    assert not hook.enabled
    llm = builder.on_event(hook).build()
    assert llm.complete("hi") == "ok"  # the hook ignores every event
    with hook.tool_span("lookup") as tool:
        tool.set_result("nothing recorded")


def test_other_operations_are_ignored(telemetry: Telemetry) -> None:
    hook = otel.OTelHook(tracer_provider=telemetry.tracer_provider)
    call = tl.events.CallInfo(1, "openai", "gpt-4o-mini", "list_models")
    hook(tl.events.RequestSent(call, "GET", "https://api.openai.com/v1/models", 1))
    assert not telemetry.spans()


def test_tool_span_hook_point(telemetry: Telemetry) -> None:
    hook = otel.OTelHook(tracer_provider=telemetry.tracer_provider, capture_content=True)
    with hook.tool_span("get_weather", call_id="call_1", arguments='{"city": "Oslo"}') as tool:
        tool.set_result({"temperature": 21})
    with pytest.raises(KeyError), hook.tool_span("broken"):
        raise KeyError("x")
    ok, broken = sorted(telemetry.spans(), key=lambda s: s.start_time or 0)
    assert ok.name == "execute_tool get_weather"
    assert ok.attributes is not None
    assert ok.attributes["gen_ai.operation.name"] == "execute_tool"
    assert ok.attributes["gen_ai.tool.call.id"] == "call_1"
    assert ok.attributes["gen_ai.tool.call.arguments"] == '{"city": "Oslo"}'
    assert json.loads(str(ok.attributes["gen_ai.tool.call.result"])) == {"temperature": 21}
    assert broken.status.status_code is StatusCode.ERROR
    assert broken.attributes is not None and broken.attributes["error.type"] == "KeyError"


def test_the_hook_pickles_onto_the_global_providers() -> None:
    hook = otel.OTelHook(capture_content=True)
    copy = pickle.loads(pickle.dumps(hook))
    assert isinstance(copy, otel.OTelHook) and copy.capture_content
    assert "OTelHook(capture_content=True" in repr(copy)


def test_provider_names_follow_the_conventions() -> None:
    call = tl.events.CallInfo(1, "anthropic", "claude", "complete")
    bedrock = "https://bedrock-runtime.us-east-1.amazonaws.com/model/x/invoke"
    assert otel.provider_name(call, bedrock) == "aws.bedrock"
    assert otel.provider_name(call, "https://api.anthropic.com/v1/messages") == "anthropic"
    gemini = tl.events.CallInfo(1, "gemini", "gemini-2.5-flash", "complete")
    assert otel.provider_name(gemini) == "gcp.gemini"
    vertex = "https://us-central1-aiplatform.googleapis.com/v1/projects/p/x"
    assert otel.provider_name(gemini, vertex) == "gcp.vertex_ai"


def _dump(spans: list[ReadableSpan]) -> str:
    return "\n".join(span.to_json() for span in spans)


def test_an_instrumented_client_pickles_with_its_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)  # an env key travels as the variable's name
    llm = otel.instrument(tl.openai().model("gpt-4o-mini"), capture_content=True).build()
    copy = pickle.loads(pickle.dumps(llm))
    hooks = [h for h in copy.config.hooks if isinstance(h, otel.OTelHook)]
    assert len(hooks) == 1 and hooks[0].capture_content
    assert KEY.encode() not in pickle.dumps(llm)
