"""Observation events reported to ``.on_event`` hooks, and the ``typedllm`` logger."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from _drive import drive_complete, drive_stream, fake_answer
from pydantic import BaseModel

import typedllm as tl
from typedllm._wire import TransportFailure, WireRequest, WireResponse
from typedllm.events import (
    CallInfo,
    Event,
    Failed,
    Finished,
    FirstByte,
    Reasked,
    RequestSent,
    ResponseReceived,
    RetryScheduled,
)
from typedllm.testing import FakeProvider, FakeReply

KEY = "sk-SECRET-123"


class Pet(BaseModel):
    name: str
    age: int


def observed(
    fake: FakeProvider, *, key: str = KEY, policy: tl.RetryPolicy | None = None, **opts: Any
) -> tuple[tl.Client, list[Event]]:
    events: list[Event] = []
    builder: Any = (
        tl.openai()
        .model("gpt-4o-mini")
        .api_key(key)
        .transport(fake)
        .on_event(events.append)
        .retry_policy(policy or tl.RetryPolicy(backoff_base=0))
    )
    for name, value in opts.items():
        builder = getattr(builder, name)(value)
    llm: tl.Client = builder.build()
    return llm, events


def kinds(events: list[Event]) -> list[type]:
    return [type(e) for e in events]


def ids(events: list[Event]) -> set[int]:
    return {e.call.id for e in events}


# -- complete ------------------------------------------------------------------------------


def test_a_successful_call() -> None:
    fake = FakeProvider(["hello"])
    llm, events = observed(fake)
    completion = llm.completion("hi")
    assert kinds(events) == [RequestSent, ResponseReceived, Finished]
    sent, received, finished = events
    assert isinstance(sent, RequestSent)
    assert sent.method == "POST"
    assert sent.url == "https://api.openai.com/v1/chat/completions"
    assert (sent.attempt, sent.round, sent.stream) == (1, 0, False)
    assert isinstance(received, ResponseReceived)
    assert received.status == 200
    assert received.request_id == "req_fake_000000"
    assert received.elapsed >= 0
    assert received.headers["x-request-id"] == "req_fake_000000"
    assert isinstance(finished, Finished)
    assert finished.usage == completion.usage
    assert finished.usage.total_tokens > 0
    assert finished.cost == completion.cost
    assert finished.cost is not None and finished.cost > 0
    assert finished.finish_reason == "stop"
    assert finished.attempts == 1
    assert len(ids(events)) == 1
    call = sent.call
    assert call == CallInfo(call.id, "openai", "gpt-4o-mini", "complete")


def test_every_event_of_a_call_shares_its_call_info_and_calls_differ() -> None:
    fake = FakeProvider(["a", "b", "c"])
    llm, events = observed(fake)
    llm.complete("one")
    first = list(events)
    events.clear()
    llm.complete("two")
    second = list(events)
    events.clear()
    llm.completion("three")
    third = list(events)
    for batch in (first, second, third):
        assert len({e.call for e in batch}) == 1
    call_ids = [first[0].call.id, second[0].call.id, third[0].call.id]
    assert len(set(call_ids)) == 3
    assert call_ids == sorted(call_ids)


def test_a_retry_is_reported() -> None:
    fake = FakeProvider([FakeReply.error(503, "overloaded"), "done"])
    llm, events = observed(fake)
    result, trace = drive_complete(llm, "hi", fake)
    assert result.output == "done"
    assert kinds(events) == [
        RequestSent,
        ResponseReceived,
        RetryScheduled,
        RequestSent,
        ResponseReceived,
        Finished,
    ]
    retry = events[2]
    assert isinstance(retry, RetryScheduled)
    assert retry.reason == "status"
    assert retry.status == 503
    assert retry.delay == 0.0 == trace.sleeps[0]
    assert retry.attempt == 1
    assert isinstance(retry.error, tl.InternalServerError)
    assert isinstance(events[1], ResponseReceived) and events[1].status == 503
    second = events[3]
    assert isinstance(second, RequestSent) and second.attempt == 2 and second.round == 0
    finished = events[-1]
    assert isinstance(finished, Finished)
    assert finished.attempts == 1  # one answer round; transport attempts are RequestSent's
    assert len(ids(events)) == 1


def test_retry_delay_in_the_event_is_the_one_slept() -> None:
    fake = FakeProvider([FakeReply.error(429, retry_after=4), "done"])
    llm, events = observed(fake, policy=tl.RetryPolicy())
    _result, trace = drive_complete(llm, "hi", fake)
    (retry,) = [e for e in events if isinstance(e, RetryScheduled)]
    assert retry.delay == 4.0
    assert trace.sleeps == [4.0]
    assert retry.status == 429
    assert isinstance(retry.error, tl.RateLimitError)


@pytest.mark.parametrize(("kind", "reason"), [("connect", "connection"), ("timeout", "timeout")])
def test_connection_retries_are_reported(kind: Any, reason: str) -> None:
    fake = FakeProvider(["done"])
    llm, events = observed(fake)
    answer = fake_answer(fake)
    failures: Iterator[TransportFailure] = iter([TransportFailure(kind, "boom")])

    def respond(request: WireRequest) -> WireResponse | TransportFailure:
        return next(failures, None) or answer(request)

    result, _trace = drive_complete(llm, "hi", respond)
    assert result.output == "done"
    assert kinds(events) == [RequestSent, RetryScheduled, RequestSent, ResponseReceived, Finished]
    retry = events[1]
    assert isinstance(retry, RetryScheduled)
    assert retry.reason == reason
    assert retry.status is None
    assert isinstance(retry.error, tl.APIConnectionError)


def test_no_retry_event_when_the_policy_gives_up() -> None:
    fake = FakeProvider([FakeReply.error(429, retry_after=3600)])
    llm, events = observed(fake, policy=tl.RetryPolicy())
    error, _trace = drive_complete(llm, "hi", fake)
    assert isinstance(error, tl.RateLimitError)
    assert kinds(events) == [RequestSent, ResponseReceived, Failed]
    failed = events[-1]
    assert isinstance(failed, Failed)
    assert failed.error is error


def test_a_reask_is_reported() -> None:
    fake = FakeProvider([{"name": "Rex"}, {"name": "Rex", "age": 3}])
    llm, events = observed(fake)
    completion = llm.completion("pet?", schema=Pet)
    assert completion.output == Pet(name="Rex", age=3)
    assert kinds(events) == [
        RequestSent,
        ResponseReceived,
        Reasked,
        RequestSent,
        ResponseReceived,
        Finished,
    ]
    reasked = events[2]
    assert isinstance(reasked, Reasked)
    assert reasked.round == 0
    assert len(reasked.errors) == 1
    assert reasked.errors[0]["loc"] == ("age",)
    again = events[3]
    assert isinstance(again, RequestSent)
    assert (again.round, again.attempt) == (1, 1)
    finished = events[-1]
    assert isinstance(finished, Finished)
    assert finished.attempts == 2
    assert finished.usage == completion.usage
    assert finished.usage == completion.attempts[0].usage + completion.attempts[1].usage
    assert finished.cost == completion.cost
    assert finished.cost == llm.model_info.cost(completion.usage)
    assert len(ids(events)) == 1


def test_exhausted_reasks_end_in_failed() -> None:
    fake = FakeProvider([{"name": "Rex"}, {"name": "Rex"}])
    llm, events = observed(fake)
    with pytest.raises(tl.OutputValidationError) as info:
        llm.complete("pet?", schema=Pet)
    assert kinds(events).count(Reasked) == 1
    assert isinstance(events[-1], Failed)
    assert events[-1].error is info.value
    assert Finished not in kinds(events)


def test_an_error_status_ends_in_failed() -> None:
    fake = FakeProvider([FakeReply.error(401, "bad key")])
    llm, events = observed(fake)
    with pytest.raises(tl.AuthenticationError) as info:
        llm.complete("hi")
    assert kinds(events) == [RequestSent, ResponseReceived, Failed]
    failed = events[-1]
    assert isinstance(failed, Failed)
    assert failed.error is info.value
    assert failed.elapsed >= 0
    assert len(ids(events)) == 1


def test_a_gate_error_ends_in_failed_without_a_request() -> None:
    fake = FakeProvider(["never"])
    llm, events = observed(fake)
    with pytest.raises(tl.ConfigurationError):
        llm.complete("hi", options=tl.CallOptions(top_k=3))
    assert kinds(events) == [Failed]
    assert isinstance(events[0].error, tl.ConfigurationError)  # type: ignore[union-attr]
    assert fake.calls == 0


async def test_async_calls_report_the_same_events() -> None:
    fake = FakeProvider([FakeReply.error(500), "async answer"])
    llm, events = observed(fake)
    completion = await llm.acompletion("hi")
    assert completion.output == "async answer"
    assert kinds(events) == [
        RequestSent,
        ResponseReceived,
        RetryScheduled,
        RequestSent,
        ResponseReceived,
        Finished,
    ]
    assert len(ids(events)) == 1
    assert events[0].call.operation == "complete"


# -- stream -------------------------------------------------------------------------------------


def test_a_stream_reports_first_byte() -> None:
    fake = FakeProvider(["a streamed answer"])
    llm, events = observed(fake)
    with llm.stream("hi") as stream:
        text = "".join(stream)
    assert text == "a streamed answer"
    assert kinds(events) == [RequestSent, ResponseReceived, FirstByte, Finished]
    sent = events[0]
    assert isinstance(sent, RequestSent)
    assert sent.stream is True
    assert sent.call.operation == "stream"
    first = events[2]
    assert isinstance(first, FirstByte)
    assert first.elapsed >= 0
    finished = events[-1]
    assert isinstance(finished, Finished)
    assert finished.usage == stream.completion.usage
    assert finished.cost == stream.completion.cost
    assert finished.attempts == 1
    assert len(ids(events)) == 1


def test_a_retried_stream() -> None:
    fake = FakeProvider([FakeReply.error(503), "after retry"])
    llm, events = observed(fake)
    result, trace = drive_stream(llm, "hi", fake)
    assert result.output == "after retry"
    assert kinds(events) == [
        RequestSent,
        ResponseReceived,
        RetryScheduled,
        RequestSent,
        ResponseReceived,
        FirstByte,
        Finished,
    ]
    retry = events[2]
    assert isinstance(retry, RetryScheduled) and retry.status == 503
    assert [e.attempt for e in events if isinstance(e, RequestSent)] == [1, 2]
    assert trace.sleeps == [0.0]
    assert len(ids(events)) == 1


def test_a_failed_stream() -> None:
    fake = FakeProvider([FakeReply.error(403, "denied")])
    llm, events = observed(fake)
    with pytest.raises(tl.PermissionDeniedError) as info, llm.stream("hi") as stream:
        list(stream)
    assert kinds(events) == [RequestSent, ResponseReceived, Failed]
    assert events[-1].error is info.value  # type: ignore[union-attr]


def test_a_stream_gate_error_is_reported() -> None:
    fake = FakeProvider(["never"])
    llm, events = observed(fake)
    with pytest.raises(tl.ConfigurationError):
        llm.stream("hi", options=tl.CallOptions(top_k=1))
    assert kinds(events) == [Failed]
    assert events[0].call.operation == "stream"


async def test_an_async_stream_reports_events() -> None:
    fake = FakeProvider(["async stream"])
    llm, events = observed(fake)
    async with llm.astream("hi") as stream:
        text = "".join([delta async for delta in stream])
    assert text == "async stream"
    assert kinds(events) == [RequestSent, ResponseReceived, FirstByte, Finished]
    assert len(ids(events)) == 1


def test_streams_and_completes_have_distinct_ids() -> None:
    fake = FakeProvider(["x", "y"])
    llm, events = observed(fake)
    llm.complete("a")
    with llm.stream("b") as stream:
        list(stream)
    complete_ids = {e.call.id for e in events if e.call.operation == "complete"}
    stream_ids = {e.call.id for e in events if e.call.operation == "stream"}
    assert len(complete_ids) == 1
    assert len(stream_ids) == 1
    assert complete_ids != stream_ids


# -- hooks ------------------------------------------------------------------------------------


def test_several_hooks_are_called_in_order() -> None:
    seen: list[tuple[str, type]] = []
    fake = FakeProvider(["ok"])
    llm = (
        tl.openai()
        .model("gpt-4o-mini")
        .api_key("k")
        .transport(fake)
        .on_event(lambda e: seen.append(("first", type(e))))
        .on_event(lambda e: seen.append(("second", type(e))))
        .build()
    )
    llm.complete("hi")
    assert seen[:2] == [("first", RequestSent), ("second", RequestSent)]
    assert len(seen) == 6


def test_hooks_belong_to_the_builder_branch() -> None:
    fake = FakeProvider(["a", "b"])
    seen: list[Event] = []
    base = tl.openai().model("gpt-4o-mini").api_key("k").transport(fake)
    observed_llm = base.on_event(seen.append).build()
    quiet = base.build()
    quiet.complete("quiet")
    assert seen == []
    observed_llm.complete("loud")
    assert len(seen) == 3


def test_an_exception_in_a_hook_propagates() -> None:
    class HookError(Exception):
        pass

    def hook(event: Event) -> None:
        if isinstance(event, RequestSent):
            raise HookError("from the hook")

    fake = FakeProvider(["never"])
    llm = tl.openai().model("gpt-4o-mini").api_key("k").transport(fake).on_event(hook).build()
    with pytest.raises(HookError):
        llm.complete("hi")
    assert fake.calls == 0


def test_on_event_takes_a_callable() -> None:
    with pytest.raises(tl.ConfigurationError, match="callable"):
        tl.openai().on_event("not callable")  # type: ignore[arg-type]


def test_events_are_frozen() -> None:
    fake = FakeProvider(["ok"])
    llm, events = observed(fake)
    llm.complete("hi")
    with pytest.raises(AttributeError):
        events[0].call = None  # type: ignore[misc]


def test_request_url_in_events_has_no_query_or_userinfo() -> None:
    fake = FakeProvider(["ok"])
    events: list[Event] = []
    llm = (
        tl.openai_compatible(base_url="https://user:pw-XYZ@h.example/v1?api-version=1&sig=SIG-42")
        .model("m")
        .transport(fake)
        .on_event(events.append)
        .build()
    )
    llm.complete("hi")
    sent = events[0]
    assert isinstance(sent, RequestSent)
    assert sent.url == "https://h.example/v1/chat/completions"


# -- the logger ------------------------------------------------------------------------------


def test_retries_and_reasks_are_logged_at_info(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeProvider([FakeReply.error(500), {"name": "Rex"}, {"name": "Rex", "age": 1}])
    llm, _events = observed(fake)
    with caplog.at_level(logging.INFO, logger="typedllm"):
        drive_complete(llm, "pet?", fake, schema=Pet)
    records = [r for r in caplog.records if r.name == "typedllm"]
    assert {r.levelno for r in records} == {logging.INFO}
    messages = [r.getMessage() for r in records]
    assert len(messages) == 2
    assert "retrying openai gpt-4o-mini" in messages[0]
    assert "HTTP 500" in messages[0]
    assert "re-asking openai gpt-4o-mini" in messages[1]
    assert "1 validation error" in messages[1]


def test_requests_are_logged_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeProvider(["ok"])
    llm, _events = observed(fake)
    with caplog.at_level(logging.DEBUG, logger="typedllm"):
        llm.complete("hi")
    records = [r for r in caplog.records if r.name == "typedllm"]
    assert [r.levelno for r in records] == [logging.DEBUG, logging.DEBUG]
    assert "POST https://api.openai.com/v1/chat/completions" in records[0].getMessage()
    assert "HTTP 200" in records[1].getMessage()


def test_nothing_is_logged_at_info_for_a_plain_call(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeProvider(["ok"])
    llm, _events = observed(fake)
    with caplog.at_level(logging.INFO, logger="typedllm"):
        llm.complete("hi")
    assert [r for r in caplog.records if r.name == "typedllm"] == []


def _all_text(records: list[logging.LogRecord], events: list[Event]) -> list[str]:
    texts: list[str] = []
    for record in records:
        texts += [record.getMessage(), str(record.msg), repr(record.args)]
    for event in events:
        texts += [repr(event), str(event)]
        error = getattr(event, "error", None)
        if error is not None:
            texts += [repr(error), str(error), repr(getattr(error, "body", None))]
    return texts


def test_no_secret_header_or_body_in_logs_or_events(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeProvider(
        [
            FakeReply.error(
                500,
                f"upstream rejected key {KEY} for PROMPT-BODY-555",
                headers={"x-custom-trace": "HDRVALUE-777"},
            ),
            FakeReply.of_json({"name": "ANSWER-BODY-666"}),
            FakeReply.of_json({"name": "ANSWER-BODY-666", "age": 2}),
        ]
    )
    llm, events = observed(fake, system="SYSTEM-BODY-444")
    with caplog.at_level(logging.DEBUG, logger="typedllm"):
        result, _trace = drive_complete(llm, "PROMPT-BODY-555", fake, schema=Pet)
        failing = FakeProvider([FakeReply.error(401, f"Incorrect API key provided: {KEY}")])
        bad, bad_events = observed(failing)
        error, _ = drive_complete(bad, "PROMPT-BODY-555", failing)
    assert result.output.age == 2
    assert isinstance(error, tl.AuthenticationError)
    records = [r for r in caplog.records if r.name == "typedllm"]
    assert len(records) >= 8
    texts = _all_text(records, events + bad_events)
    for text in texts:
        assert KEY not in text
        assert "HDRVALUE-777" not in text
        assert "SYSTEM-BODY-444" not in text
        assert "ANSWER-BODY-666" not in text
    log_texts = _all_text(records, [])
    for text in log_texts:
        assert "PROMPT-BODY-555" not in text
    # the echoed key was scrubbed from the errors the events carry
    assert "***" in str(error)


def test_the_api_key_is_not_in_a_logged_stream(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeProvider([FakeReply.error(503, f"bad {KEY}"), "STREAM-BODY-888"])
    llm, events = observed(fake)
    with caplog.at_level(logging.DEBUG, logger="typedllm"):
        result, _trace = drive_stream(llm, "hi", fake)
    assert result.output == "STREAM-BODY-888"
    records = [r for r in caplog.records if r.name == "typedllm"]
    assert any(r.levelno == logging.INFO for r in records)
    for text in _all_text(records, events):
        assert KEY not in text
        assert "STREAM-BODY-888" not in text


def test_a_stream_closed_early_reports_a_stream_closed_failure() -> None:
    seen: list[tl.events.Event] = []
    fake = FakeProvider(["word " * 50])
    llm = tl.openai().model("gpt-4o").api_key("k").transport(fake).on_event(seen.append).build()
    with llm.stream("x") as stream:
        next(iter(stream))
    failed = [e for e in seen if isinstance(e, tl.events.Failed)]
    assert len(failed) == 1 and isinstance(failed[0].error, tl.StreamClosedError)
    assert not any(isinstance(e, tl.events.Finished) for e in seen)
