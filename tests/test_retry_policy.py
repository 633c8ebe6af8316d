"""The transport retry policy: validation, the delay it computes, and how flows follow it
(driven by hand: every Sleep is recorded, nothing sleeps)."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from typing import Any

import pytest
from _drive import Answer, drive_complete, drive_stream, fake_answer
from pydantic import BaseModel

import typedllm as tl
from typedllm._retry import DEFAULT_RETRY_STATUSES
from typedllm._wire import TransportFailure, WireRequest, WireResponse
from typedllm.testing import FakeProvider, FakeReply

NO_WAIT = tl.RetryPolicy(backoff_base=0)


def llm_for(fake: FakeProvider, policy: tl.RetryPolicy | None = NO_WAIT, **opts: Any) -> tl.Client:
    builder: Any = tl.openai().model("gpt-4o-mini").api_key("sk-test").transport(fake)
    if policy is not None:
        builder = builder.retry_policy(policy)
    for name, value in opts.items():
        builder = getattr(builder, name)(value)
    built: tl.Client = builder.build()
    return built


# -- validation ------------------------------------------------------------------------------


def test_defaults() -> None:
    policy = tl.RetryPolicy()
    assert policy.max_attempts == 3
    assert policy.max_retries == 2
    assert policy.backoff_base == 0.5
    assert policy.backoff_cap == 8.0
    assert policy.retry_after_cap == 60.0
    assert policy.deadline is None
    assert policy.retry_connection_errors is True
    assert {408, 409, 429, 500, 502, 503, 504, 529} <= policy.statuses
    assert not {400, 401, 403, 404, 422} & policy.statuses
    assert policy.statuses == DEFAULT_RETRY_STATUSES


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_attempts": 0},
        {"max_attempts": -1},
        {"max_attempts": 1.5},
        {"max_attempts": True},
        {"max_attempts": "3"},
        {"backoff_base": -0.1},
        {"backoff_base": math.nan},
        {"backoff_base": "1"},
        {"backoff_cap": -1},
        {"retry_after_cap": -1},
        {"retry_after_cap": math.nan},
        {"jitter": -0.01},
        {"jitter": 1.01},
        {"jitter": math.nan},
        {"deadline": 0},
        {"deadline": -5},
        {"deadline": math.nan},
    ],
)
def test_invalid_policies(kwargs: dict[str, Any]) -> None:
    with pytest.raises(tl.ConfigurationError):
        tl.RetryPolicy(**kwargs)


@pytest.mark.parametrize("kwargs", [{"jitter": "x"}, {"deadline": "5"}])
def test_wrongly_typed_jitter_and_deadline_are_configuration_errors(
    kwargs: dict[str, Any],
) -> None:
    with pytest.raises(tl.ConfigurationError):
        tl.RetryPolicy(**kwargs)


def test_statuses_become_a_frozenset_and_the_policy_is_frozen() -> None:
    policy = tl.RetryPolicy(statuses=[500, 418])  # type: ignore[arg-type]
    assert policy.statuses == frozenset({500, 418})
    assert isinstance(policy.statuses, frozenset)
    with pytest.raises(AttributeError):
        policy.max_attempts = 9  # type: ignore[misc]


def test_retries_status_table_and_server_hint() -> None:
    policy = tl.RetryPolicy()
    assert policy.retries_status(503, {})
    assert policy.retries_status(429, {})
    assert not policy.retries_status(400, {})
    assert not policy.retries_status(503, {"x-should-retry": "false"})
    assert policy.retries_status(400, {"x-should-retry": "true"})
    assert policy.retries_status(503, {"x-should-retry": "maybe"})


# -- delay() -----------------------------------------------------------------------------------


def test_backoff_doubles_and_is_capped() -> None:
    policy = tl.RetryPolicy(max_attempts=10, backoff_base=1.0, backoff_cap=5.0, jitter=0)
    delays = [policy.delay(i, kind="status") for i in range(8)]
    assert delays == [1.0, 2.0, 4.0, 5.0, 5.0, 5.0, 5.0, 5.0]


def test_no_attempts_left_is_none() -> None:
    policy = tl.RetryPolicy(max_attempts=3, jitter=0)
    assert policy.delay(0, kind="status") == 0.5
    assert policy.delay(1, kind="status") == 1.0
    assert policy.delay(2, kind="status") is None
    assert tl.RetryPolicy(max_attempts=1).delay(0, kind="status") is None


def test_jitter_stays_within_bounds() -> None:
    policy = tl.RetryPolicy(max_attempts=20, backoff_base=1.0, backoff_cap=100.0, jitter=0.25)
    rng = random.Random(1234)
    for index in range(6):
        full = 2.0**index
        for _ in range(50):
            delay = policy.delay(index, kind="status", rng=rng)
            assert delay is not None
            assert full * 0.75 <= delay <= full


def test_jitter_is_reproducible_with_a_seeded_random() -> None:
    policy = tl.RetryPolicy(max_attempts=5, backoff_base=2.0, jitter=0.5)
    expected_factor = 1.0 - 0.5 * random.Random(7).random()
    assert policy.delay(1, kind="status", rng=random.Random(7)) == pytest.approx(
        4.0 * expected_factor
    )
    first = [policy.backoff(i, random.Random(99)) for i in range(3)]
    second = [policy.backoff(i, random.Random(99)) for i in range(3)]
    assert first == second


def test_full_jitter_can_reach_zero_but_never_exceeds_the_backoff() -> None:
    policy = tl.RetryPolicy(max_attempts=5, backoff_base=1.0, jitter=1.0)
    rng = random.Random(0)
    samples = [policy.backoff(0, rng) for _ in range(200)]
    assert all(0.0 <= s <= 1.0 for s in samples)
    assert min(samples) < 0.1


def test_retry_after_is_honoured_exactly() -> None:
    policy = tl.RetryPolicy(jitter=0.5)
    assert policy.delay(0, kind="status", retry_after=3.0, rng=random.Random(1)) == 3.0
    assert policy.delay(0, kind="status", retry_after=0.0) == 0.0
    assert policy.delay(0, kind="status", retry_after=60.0) == 60.0  # at the cap


def test_retry_after_above_the_cap_fails_at_once() -> None:
    policy = tl.RetryPolicy(retry_after_cap=10.0)
    assert policy.delay(0, kind="status", retry_after=10.5) is None
    assert policy.delay(0, kind="status", retry_after=3600) is None
    assert policy.delay(0, kind="status", retry_after=10.0) == 10.0


def test_deadline_bounds_the_wait() -> None:
    policy = tl.RetryPolicy(max_attempts=5, backoff_base=1.0, jitter=0, deadline=10.0)
    assert policy.delay(0, kind="status", elapsed=0.0) == 1.0
    assert policy.delay(0, kind="status", elapsed=8.5) == 1.0
    assert policy.delay(0, kind="status", elapsed=9.0) is None  # would end at the deadline
    assert policy.delay(0, kind="status", elapsed=9.5) is None
    assert policy.delay(0, kind="status", retry_after=5.0, elapsed=6.0) is None
    assert policy.delay(0, kind="status", retry_after=5.0, elapsed=4.0) == 5.0


def test_connection_retries_off() -> None:
    policy = tl.RetryPolicy(retry_connection_errors=False, jitter=0)
    assert policy.delay(0, kind="connection") is None
    assert policy.delay(0, kind="status") == 0.5
    assert tl.RetryPolicy(jitter=0).delay(0, kind="connection") == 0.5


# -- through the complete flow ---------------------------------------------------------------


def test_retry_after_beyond_the_cap_fails_after_one_request_without_sleeping() -> None:
    fake = FakeProvider([FakeReply.error(429, "slow down", retry_after=3600), "never"])
    error, trace = drive_complete(llm_for(fake, tl.RetryPolicy()), "hi", fake)
    assert isinstance(error, tl.RateLimitError)
    assert error.retry_after == 3600
    assert len(trace.requests) == 1
    assert trace.sleeps == []


def test_retry_after_within_the_cap_is_slept() -> None:
    fake = FakeProvider([FakeReply.error(429, retry_after=2), "done"])
    result, trace = drive_complete(llm_for(fake, tl.RetryPolicy()), "hi", fake)
    assert result.output == "done"
    assert trace.sleeps == [2.0]
    assert len(trace.requests) == 2


def test_retry_after_ms_header() -> None:
    fake = FakeProvider([FakeReply.error(503, headers={"retry-after-ms": "1500"}), "done"])
    result, trace = drive_complete(llm_for(fake, tl.RetryPolicy()), "hi", fake)
    assert result.output == "done"
    assert trace.sleeps == [1.5]


def test_should_retry_false_stops_a_retry_of_a_500() -> None:
    fake = FakeProvider([FakeReply.error(500, headers={"x-should-retry": "false"}), "never"])
    error, trace = drive_complete(llm_for(fake), "hi", fake)
    assert isinstance(error, tl.InternalServerError)
    assert error.status_code == 500
    assert len(trace.requests) == 1
    assert trace.sleeps == []


def test_should_retry_true_retries_a_400() -> None:
    fake = FakeProvider([FakeReply.error(400, headers={"x-should-retry": "true"}), "done"])
    result, trace = drive_complete(llm_for(fake), "hi", fake)
    assert result.output == "done"
    assert len(trace.requests) == 2
    assert trace.sleeps == [0.0]


def test_a_400_is_not_retried() -> None:
    fake = FakeProvider([FakeReply.error(400, "bad"), "never"])
    error, trace = drive_complete(llm_for(fake), "hi", fake)
    assert isinstance(error, tl.BadRequestError)
    assert len(trace.requests) == 1


@pytest.mark.parametrize("attempts", [1, 2, 3, 5])
def test_max_attempts_is_the_exact_request_count(attempts: int) -> None:
    fake = FakeProvider([FakeReply.error(503)] * (attempts + 2))
    policy = tl.RetryPolicy(max_attempts=attempts, backoff_base=0)
    error, trace = drive_complete(llm_for(fake, policy), "hi", fake)
    assert isinstance(error, tl.InternalServerError)
    assert len(trace.requests) == attempts
    assert len(trace.sleeps) == attempts - 1
    assert fake.remaining == 2


def test_success_on_the_last_attempt() -> None:
    fake = FakeProvider([FakeReply.error(502), FakeReply.error(529), "finally"])
    result, trace = drive_complete(llm_for(fake), "hi", fake)
    assert result.output == "finally"
    assert len(trace.requests) == 3


def test_backoff_sleeps_follow_the_policy() -> None:
    fake = FakeProvider([FakeReply.error(500)] * 4 + ["ok"])
    policy = tl.RetryPolicy(max_attempts=5, backoff_base=1.0, backoff_cap=3.0, jitter=0)
    result, trace = drive_complete(llm_for(fake, policy), "hi", fake)
    assert result.output == "ok"
    assert trace.sleeps == [1.0, 2.0, 3.0, 3.0]


def test_jittered_sleeps_are_within_bounds() -> None:
    fake = FakeProvider([FakeReply.error(500)] * 2 + ["ok"])
    policy = tl.RetryPolicy(max_attempts=3, backoff_base=1.0, jitter=0.5)
    _result, trace = drive_complete(llm_for(fake, policy), "hi", fake)
    assert len(trace.sleeps) == 2
    assert 0.5 <= trace.sleeps[0] <= 1.0
    assert 1.0 <= trace.sleeps[1] <= 2.0


def test_custom_statuses() -> None:
    policy = tl.RetryPolicy(statuses=frozenset({418}), backoff_base=0)
    fake = FakeProvider([FakeReply.error(418, "teapot"), "ok"])
    result, trace = drive_complete(llm_for(fake, policy), "hi", fake)
    assert result.output == "ok"
    assert len(trace.requests) == 2
    fake = FakeProvider([FakeReply.error(500), "never"])
    error, trace = drive_complete(llm_for(fake, policy), "hi", fake)
    assert isinstance(error, tl.InternalServerError)
    assert len(trace.requests) == 1


@pytest.mark.parametrize("retries", [0, 1, 4])
def test_max_retries_maps_to_max_attempts(retries: int) -> None:
    fake = FakeProvider([FakeReply.error(503)] * (retries + 3))
    llm = llm_for(fake, NO_WAIT, max_retries=retries)
    assert llm.config.retry.max_attempts == retries + 1
    assert llm.config.max_retries == retries
    error, trace = drive_complete(llm, "hi", fake)
    assert isinstance(error, tl.InternalServerError)
    assert len(trace.requests) == retries + 1


def test_max_retries_keeps_the_rest_of_the_policy() -> None:
    policy = tl.RetryPolicy(backoff_base=2.0, retry_after_cap=5.0, deadline=30.0)
    llm = llm_for(FakeProvider(), policy, max_retries=7)
    assert llm.config.retry == tl.RetryPolicy(
        max_attempts=8, backoff_base=2.0, retry_after_cap=5.0, deadline=30.0
    )


def test_deadline_stops_retries() -> None:
    fake = FakeProvider([FakeReply.error(500)] * 10)
    policy = tl.RetryPolicy(max_attempts=10, backoff_base=1.0, jitter=0)
    llm = llm_for(fake, policy, deadline=2.5)
    assert llm.config.retry.deadline == 2.5
    assert llm.config.retry.max_attempts == 10
    error, trace = drive_complete(llm, "hi", fake)
    assert isinstance(error, tl.InternalServerError)
    # sleep 1s (ends at 1.0 < 2.5); the next wait of 2s would end at 3.0 >= 2.5
    assert trace.sleeps == [1.0]
    assert len(trace.requests) == 2


def test_deadline_counts_the_time_spent_in_requests() -> None:
    fake = FakeProvider([FakeReply.error(500)] * 5 + ["ok"])
    now = [0.0]
    answer = fake_answer(fake)

    def slow(request: WireRequest) -> WireResponse | TransportFailure:
        now[0] += 4.0  # every request takes 4 s
        return answer(request)

    policy = tl.RetryPolicy(max_attempts=6, backoff_base=0.5, jitter=0, deadline=10.0)
    error, trace = drive_complete(llm_for(fake, policy), "hi", slow, clock=lambda: now[0])
    assert isinstance(error, tl.InternalServerError)
    # t=4 fail, sleep 0.5 (ends 4.5); t=8.5 fail, sleep 1 (ends 9.5 < 10); t=13.5 fail: stop
    assert len(trace.requests) == 3
    assert trace.sleeps == [0.5, 1.0]


def test_builder_rejects_bad_retry_settings() -> None:
    builder = tl.openai().model("gpt-4o-mini")
    with pytest.raises(tl.ConfigurationError, match="RetryPolicy"):
        builder.retry_policy({"max_attempts": 2})  # type: ignore[arg-type]
    with pytest.raises(tl.ConfigurationError, match="deadline"):
        builder.deadline(0)
    with pytest.raises(tl.ConfigurationError, match="deadline"):
        builder.deadline(True)
    with pytest.raises(tl.ConfigurationError, match="max_retries"):
        builder.max_retries(-1)


# -- connection failures -----------------------------------------------------------------------


def scripted(fake: FakeProvider, failures: Iterator[TransportFailure | None]) -> Answer:
    answer = fake_answer(fake)

    def respond(request: WireRequest) -> WireResponse | TransportFailure:
        failure = next(failures, None)
        return failure if failure is not None else answer(request)

    return respond


def test_connection_errors_are_retried() -> None:
    fake = FakeProvider(["ok"])
    failures = iter([TransportFailure("connect", "refused"), TransportFailure("timeout", "slow")])
    result, trace = drive_complete(llm_for(fake), "hi", scripted(fake, failures))
    assert result.output == "ok"
    assert len(trace.requests) == 3
    assert fake.calls == 1


def test_connection_retries_off_raise_at_once() -> None:
    fake = FakeProvider(["never"])
    policy = tl.RetryPolicy(retry_connection_errors=False, backoff_base=0)
    failures = iter([TransportFailure("connect", "refused")])
    error, trace = drive_complete(llm_for(fake, policy), "hi", scripted(fake, failures))
    assert isinstance(error, tl.APIConnectionError)
    assert not isinstance(error, tl.APITimeoutError)
    assert "api.openai.com" in str(error)
    assert len(trace.requests) == 1


def test_timeouts_exhaust_the_attempts() -> None:
    fake = FakeProvider(["never"])
    failures = iter([TransportFailure("timeout", "read timed out")] * 3)
    error, trace = drive_complete(llm_for(fake), "hi", scripted(fake, failures))
    assert isinstance(error, tl.APITimeoutError)
    assert len(trace.requests) == 3
    assert fake.calls == 0


# -- re-asks are a separate budget -----------------------------------------------------------


class Pet(BaseModel):
    name: str
    age: int


def test_reasks_do_not_use_transport_attempts() -> None:
    fake = FakeProvider([{"name": "Rex"}, {"name": "Rex", "age": 2}])
    policy = tl.RetryPolicy(max_attempts=1)
    result, trace = drive_complete(llm_for(fake, policy), "pet?", fake, schema=Pet)
    assert result.output == Pet(name="Rex", age=2)
    assert len(trace.requests) == 2
    assert len(result.attempts) == 2


def test_each_reask_round_has_its_own_transport_budget() -> None:
    fake = FakeProvider(
        [FakeReply.error(500), {"name": "Rex"}, FakeReply.error(500), {"name": "Rex", "age": 2}]
    )
    result, trace = drive_complete(llm_for(fake), "pet?", fake, schema=Pet)
    assert result.output.age == 2
    assert len(trace.requests) == 4
    assert len(trace.sleeps) == 2


# -- through the stream flow -------------------------------------------------------------------


def test_stream_retries_a_500_before_anything_is_delivered() -> None:
    fake = FakeProvider([FakeReply.error(500), "streamed answer"])
    result, trace = drive_stream(llm_for(fake), "hi", fake)
    assert result.output == "streamed answer"
    assert len(trace.requests) == 2
    assert trace.sleeps == [0.0]
    assert "".join(v for kind, v in trace.emitted if kind == "update") == "streamed answer"


def test_stream_fails_at_once_on_a_long_retry_after() -> None:
    fake = FakeProvider([FakeReply.error(429, retry_after=3600), "never"])
    error, trace = drive_stream(llm_for(fake, tl.RetryPolicy()), "hi", fake)
    assert isinstance(error, tl.RateLimitError)
    assert len(trace.requests) == 1
    assert trace.sleeps == []


def test_stream_max_attempts() -> None:
    fake = FakeProvider([FakeReply.error(503)] * 4)
    policy = tl.RetryPolicy(max_attempts=2, backoff_base=0)
    error, trace = drive_stream(llm_for(fake, policy), "hi", fake)
    assert isinstance(error, tl.InternalServerError)
    assert len(trace.requests) == 2


def test_builder_retry_settings_compose_after_the_policy() -> None:
    llm = (
        tl.openai()
        .model("gpt-4o-mini")
        .api_key("k")
        .retry_policy(tl.RetryPolicy(backoff_base=2.0, jitter=0))
        .deadline(5)
        .max_retries(1)
        .build()
    )
    assert llm.config.retry == tl.RetryPolicy(
        max_attempts=2, backoff_base=2.0, jitter=0, deadline=5.0
    )


def test_the_repr_is_compact() -> None:
    text = repr(tl.RetryPolicy())
    assert "5xx" in text and "408, 409, 429" in text and len(text) < 250
