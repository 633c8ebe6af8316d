"""tl.CircuitBreaker: the state machine on a fake clock, sync and async calls and streams,
inside a fallback, thread and task safety, pickling and reprs."""

from __future__ import annotations

import asyncio
import pickle
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from _reliability import (
    SECRET,
    FakeClock,
    Scripted,
    Streams,
    errors,
    openai_client,
    sse,
    text_stream,
)

import typedllm as tl
from typedllm.testing import FakeProvider, FakeReply


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def call(mode: str, llm: tl.Completer) -> Any:
    """``llm.complete("x")`` in ``mode``; the error raised, if any, is returned."""
    try:
        if mode == "sync":
            return llm.complete("x")
        return asyncio.run(llm.acomplete("x"))
    except Exception as error:
        return error


def breaker(clock: FakeClock, threshold: int = 3, **kwargs: Any) -> tl.CircuitBreaker:
    return tl.CircuitBreaker(threshold, cooldown=30, clock=clock, **kwargs)


# -- the state machine --------------------------------------------------------------------------


def test_it_opens_after_n_consecutive_failures_and_fails_fast(mode: str) -> None:
    clock = FakeClock()
    fake = errors(500, 503, 500)
    cb = breaker(clock)
    llm = cb.wrap(openai_client(fake))
    for n in range(3):
        assert cb.state == "closed" and cb.failures == n
        assert isinstance(call(mode, llm), tl.InternalServerError)
    assert cb.state == "open"
    clock.advance(10)
    error = call(mode, llm)
    assert isinstance(error, tl.CircuitOpenError)
    assert (error.client, error.retry_in, error.failures) == ("openai:gpt-4o-mini", 20.0, 3)
    assert "openai:gpt-4o-mini" in str(error) and "20.0 s" in str(error)
    assert fake.calls == 3  # nothing was sent while open


def test_a_success_resets_the_count(mode: str) -> None:
    cb = breaker(FakeClock())
    fake = FakeProvider([FakeReply.error(500), FakeReply.error(500), "ok", FakeReply.error(500)])
    llm = cb.wrap(openai_client(fake))
    results = [call(mode, llm) for _ in range(4)]
    assert results[2] == "ok"
    assert (cb.state, cb.failures) == ("closed", 1)


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (FakeReply.error(400), tl.BadRequestError),
        (FakeReply.error(401), tl.AuthenticationError),
        (FakeReply.refusal(), tl.RefusalError),
    ],
)
def test_errors_that_prove_the_provider_answers_are_not_failures(
    mode: str, reply: FakeReply, error: type[Exception]
) -> None:
    cb = breaker(FakeClock(), threshold=2)
    fake = FakeProvider([FakeReply.error(500), reply, FakeReply.error(500)])
    llm = cb.wrap(openai_client(fake))
    outcomes = [type(call(mode, llm)) for _ in range(3)]
    assert outcomes == [tl.InternalServerError, error, tl.InternalServerError]
    assert (cb.state, cb.failures) == ("closed", 1)  # the middle answer reset the count


def test_on_chooses_what_counts_as_a_failure(mode: str) -> None:
    cb = breaker(FakeClock(), threshold=1, on=(tl.BadRequestError,))
    llm = cb.wrap(openai_client(errors(500, 400)))
    assert isinstance(call(mode, llm), tl.InternalServerError)
    assert cb.state == "closed"
    assert isinstance(call(mode, llm), tl.BadRequestError)
    assert cb.state == "open"


def test_the_window_forgets_old_failures(mode: str) -> None:
    clock = FakeClock()
    cb = breaker(clock, threshold=2, window=10)
    llm = cb.wrap(openai_client(errors(500, 500, 500)))
    call(mode, llm)
    clock.advance(11)
    assert cb.failures == 0  # the first failure is out of the window
    call(mode, llm)
    assert cb.state == "closed" and cb.failures == 1
    clock.advance(5)
    call(mode, llm)
    assert cb.state == "open"


def test_half_open_probe_success_closes(mode: str) -> None:
    clock = FakeClock()
    cb = breaker(clock, threshold=1)
    fake = FakeProvider([FakeReply.error(429), "recovered", "again"])
    llm = cb.wrap(openai_client(fake))
    assert isinstance(call(mode, llm), tl.RateLimitError)
    clock.advance(29.9)
    assert cb.state == "open" and isinstance(call(mode, llm), tl.CircuitOpenError)
    clock.advance(0.1)
    assert cb.state == "half_open"
    assert call(mode, llm) == "recovered"
    assert cb.state == "closed"
    assert call(mode, llm) == "again"
    assert fake.calls == 3


def test_half_open_probe_failure_reopens_for_a_full_cooldown(mode: str) -> None:
    clock = FakeClock()
    cb = breaker(clock, threshold=1)
    fake = errors(500, 500)
    llm = cb.wrap(openai_client(fake))
    call(mode, llm)
    clock.advance(30)
    assert isinstance(call(mode, llm), tl.InternalServerError)  # the probe
    assert cb.state == "open"
    error = call(mode, llm)
    assert isinstance(error, tl.CircuitOpenError) and error.retry_in == 30.0
    assert fake.calls == 2


def test_reset_closes_the_circuit() -> None:
    cb = breaker(FakeClock(), threshold=1)
    llm = cb.wrap(openai_client(FakeProvider([FakeReply.error(500), "ok"])))
    call("sync", llm)
    assert cb.state == "open"
    cb.reset()
    assert (cb.state, cb.failures) == ("closed", 0)
    assert llm.complete("x") == "ok"


def test_a_cancelled_probe_gives_its_turn_to_the_next_call() -> None:
    clock = FakeClock()
    cb = breaker(clock, threshold=1)

    def interrupted(call: tl.Call) -> str:
        raise KeyboardInterrupt

    llm = cb.wrap(Scripted(interrupted))
    for_opening = cb.wrap(openai_client(errors(500)))
    call("sync", for_opening)
    clock.advance(30)
    with pytest.raises(KeyboardInterrupt):
        llm.complete("x")
    assert cb.state == "half_open"  # no verdict: still waiting for a probe
    assert cb.wrap(Scripted(lambda c: "fine")).complete("x") == "fine"
    assert cb.state == "closed"


# -- streams -------------------------------------------------------------------------------------


def read(mode: str, llm: tl.Completer, take: int | None = None) -> tuple[list[str], Any]:
    async def run() -> tuple[list[str], Any]:
        got: list[str] = []
        try:
            async with llm.astream("x") as s:
                async for delta in s:
                    got.append(delta)
                    if take is not None and len(got) >= take:
                        return got, None
            return got, s.completion
        except Exception as error:
            return got, error

    if mode == "async":
        return asyncio.run(run())
    got: list[str] = []
    try:
        with llm.stream("x") as s:
            for delta in s:
                got.append(delta)
                if take is not None and len(got) >= take:
                    return got, None
        return got, s.completion
    except Exception as error:
        return got, error


def test_stream_failures_open_and_a_streamed_probe_closes(mode: str) -> None:
    clock = FakeClock()
    cb = breaker(clock, threshold=2)
    transport = Streams(
        [httpx.ReadError("reset")],
        [sse({"content": "a"}), httpx.ReadError("reset mid-answer")],
        text_stream("back"),
    )
    llm = cb.wrap(openai_client(transport))
    assert isinstance(read(mode, llm)[1], tl.APIConnectionError)
    got, error = read(mode, llm)
    assert got == ["a"] and isinstance(error, tl.APIConnectionError)
    assert cb.state == "open"
    assert isinstance(read(mode, llm)[1], tl.CircuitOpenError)
    assert len(transport.logs) == 2
    clock.advance(30)
    got, done = read(mode, llm)
    assert got == ["back"] and done.output == "back"
    assert cb.state == "closed"


def test_a_stream_is_admitted_when_first_read() -> None:
    clock = FakeClock()
    cb = breaker(clock, threshold=1)
    transport = Streams(text_stream("late"))
    created = cb.wrap(openai_client(transport)).stream("x")  # created while closed ...
    call("sync", cb.wrap(openai_client(errors(500))))  # ... then the circuit opens
    with pytest.raises(tl.CircuitOpenError):
        list(created)
    assert transport.logs == []


async def test_an_async_stream_is_admitted_when_first_read() -> None:
    clock = FakeClock()
    cb = breaker(clock, threshold=1)
    transport = Streams(text_stream("late"))
    created = cb.wrap(openai_client(transport)).astream("x")
    with pytest.raises(tl.InternalServerError):
        await cb.wrap(openai_client(errors(500))).acomplete("x")
    with pytest.raises(tl.CircuitOpenError):
        await created.final()
    assert transport.logs == []


def test_a_probe_stream_closed_after_its_first_event_is_a_success(mode: str) -> None:
    clock = FakeClock()
    cb = breaker(clock, threshold=1)
    call(mode, cb.wrap(openai_client(errors(500))))
    clock.advance(30)
    body = Streams([sse({"content": "a"}), sse({"content": "b"}), sse({}, finish="stop")])
    got, _ = read(mode, cb.wrap(openai_client(body)), take=1)
    assert got == ["a"] and body.logs[0]["closed"]
    assert cb.state == "closed"


def test_a_probe_stream_closed_before_any_event_gives_no_verdict() -> None:
    clock = FakeClock()
    cb = breaker(clock, threshold=1)
    call("sync", cb.wrap(openai_client(errors(500))))
    clock.advance(30)
    llm = cb.wrap(openai_client(Streams(text_stream("never read"))))
    with llm.stream("x") as s:
        pass  # never iterated: never admitted
    assert cb.state == "half_open"
    assert isinstance(s, tl.Stream)


# -- inside a fallback ---------------------------------------------------------------------------


def test_an_open_breaker_makes_the_fallback_skip_at_once(mode: str) -> None:
    clock = FakeClock()
    cb = breaker(clock, threshold=1)
    primary = errors(429)
    second = FakeProvider(["b1", "b2"])
    llm = tl.fallback(cb.wrap(openai_client(primary)), openai_client(second, "gpt-4o"))
    assert call(mode, llm) == "b1"  # the 429 opened the breaker
    assert cb.state == "open"
    result = llm.completion("x") if mode == "sync" else asyncio.run(llm.acompletion("x"))
    assert (result.output, result.answered_by) == ("b2", "openai:gpt-4o")
    assert primary.calls == 1  # skipped without a request


def test_every_breaker_open_is_all_failed_with_circuit_errors(mode: str) -> None:
    clock = FakeClock()
    a, b = breaker(clock, threshold=1), breaker(clock, threshold=1)
    llm = tl.fallback(
        a.wrap(openai_client(errors(500))), b.wrap(openai_client(errors(500), "gpt-4o"))
    )
    first = call(mode, llm)
    assert [type(e) for e in first.errors] == [tl.InternalServerError, tl.InternalServerError]
    second = call(mode, llm)
    assert isinstance(second, tl.AllFailedError)
    assert [type(e) for e in second.errors] == [tl.CircuitOpenError, tl.CircuitOpenError]
    assert [e.client for e in second.errors] == ["openai:gpt-4o-mini", "openai:gpt-4o"]


def test_an_open_breaker_skips_a_stream_too(mode: str) -> None:
    clock = FakeClock()
    cb = breaker(clock, threshold=1)
    call(mode, cb.wrap(openai_client(errors(503))))
    llm = tl.fallback(
        cb.wrap(openai_client(Streams(text_stream("never")))),
        openai_client(Streams(text_stream("second")), "gpt-4o"),
    )
    got, done = read(mode, llm)
    assert got == ["second"] and done.answered_by == "openai:gpt-4o"


# -- threads and tasks ---------------------------------------------------------------------------


def test_failures_are_counted_exactly_under_many_threads() -> None:
    cb = tl.CircuitBreaker(failure_threshold=10_000, clock=FakeClock())

    def fail(call: tl.Call) -> str:
        raise tl.InternalServerError("down", provider="p", status_code=500)

    llm = cb.wrap(Scripted(fail))

    def worker(_: int) -> int:
        raised = 0
        for _ in range(25):
            try:
                llm.complete("x")
            except tl.InternalServerError:
                raised += 1
        return raised

    with ThreadPoolExecutor(max_workers=32) as pool:
        assert sum(pool.map(worker, range(64))) == 1600
    assert cb.failures == 1600  # no lost update


def test_exactly_one_probe_among_many_threads() -> None:
    clock = FakeClock()
    cb = tl.CircuitBreaker(failure_threshold=1, cooldown=5, clock=clock)
    opener = cb.wrap(openai_client(errors(500)))
    with pytest.raises(tl.InternalServerError):
        opener.complete("x")
    clock.advance(5)
    inside = threading.Event()
    release = threading.Event()

    def slow(call: tl.Call) -> str:
        inside.set()
        assert release.wait(10)
        return "probe ok"

    probe_client = Scripted(slow)
    llm = cb.wrap(probe_client)
    results: list[Any] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            value: Any = llm.complete("x")
        except tl.CircuitOpenError as error:
            value = error
        with lock:
            results.append(value)

    first = threading.Thread(target=worker)
    first.start()
    assert inside.wait(10)
    others = [threading.Thread(target=worker) for _ in range(40)]
    for t in others:
        t.start()
    for t in others:
        t.join()
    release.set()
    first.join()
    assert probe_client.calls == 1
    assert results.count("probe ok") == 1
    rejected = [r for r in results if isinstance(r, tl.CircuitOpenError)]
    assert len(rejected) == 40 and all(r.retry_in == 0.0 for r in rejected)
    assert cb.state == "closed"


class _Gate(tl.Completer):
    """An async completer that waits for ``release`` before answering."""

    def __init__(self) -> None:
        self.calls = 0
        self.release = asyncio.Event()

    def _completion(self, call: tl.Call) -> tl.Completion[Any]:
        raise NotImplementedError

    async def _acompletion(self, call: tl.Call) -> tl.Completion[Any]:
        self.calls += 1
        await self.release.wait()
        return tl.Completion("ok", "ok", tl.Usage(), "stop", None, None)

    def _stream(self, call: tl.Call) -> tl.Stream[Any, Any]:
        raise NotImplementedError

    def _astream(self, call: tl.Call) -> tl.AsyncStream[Any, Any]:
        raise NotImplementedError


async def test_exactly_one_probe_among_many_tasks() -> None:
    clock = FakeClock()
    cb = tl.CircuitBreaker(failure_threshold=1, cooldown=5, clock=clock)
    with pytest.raises(tl.InternalServerError):
        await cb.wrap(openai_client(errors(500))).acomplete("x")
    clock.advance(5)
    gate = _Gate()
    llm = cb.wrap(gate)
    tasks = [asyncio.ensure_future(llm.acomplete("x")) for _ in range(30)]
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    gate.release.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert gate.calls == 1
    assert results.count("ok") == 1
    assert sum(isinstance(r, tl.CircuitOpenError) for r in results) == 29
    assert cb.state == "closed"


# -- construction, pickling, repr ------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"failure_threshold": 0},
        {"failure_threshold": True},
        {"failure_threshold": 2.5},
        {"cooldown": -1},
        {"window": 0},
        {"on": ("RateLimitError",)},
    ],
)
def test_bad_settings_are_configuration_errors(kwargs: dict[str, Any]) -> None:
    with pytest.raises(tl.ConfigurationError):
        tl.CircuitBreaker(**kwargs)


def test_wrap_takes_a_client() -> None:
    with pytest.raises(tl.ConfigurationError, match="takes a client"):
        tl.CircuitBreaker().wrap("gpt-4o")  # type: ignore[arg-type]


def test_circuit_open_error_pickles_with_all_its_fields() -> None:
    error = tl.CircuitOpenError("openai:gpt-4o", 12.5, 4)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is tl.CircuitOpenError
    assert (copy.client, copy.retry_in, copy.failures) == ("openai:gpt-4o", 12.5, 4)
    assert str(copy) == str(error)
    probing = pickle.loads(pickle.dumps(tl.CircuitOpenError("c", 0.0)))
    assert "a probe call is in flight" in str(probing)


def _ok(call: tl.Call) -> str:
    return "ok"


def _rate_limited(call: tl.Call) -> str:
    raise tl.RateLimitError("slow down", provider="p", status_code=429)


def test_a_breaker_pickles_its_settings_and_starts_closed() -> None:
    cb = tl.CircuitBreaker(2, window=60, cooldown=7, on=(tl.RateLimitError,))
    llm = cb.wrap(Scripted(_ok))
    with pytest.raises(tl.RateLimitError):
        cb.wrap(Scripted(_rate_limited)).complete("x")
    assert cb.failures == 1
    copy = pickle.loads(pickle.dumps(llm))
    assert isinstance(copy, tl.BreakerClient)
    assert (copy.breaker.failure_threshold, copy.breaker.window) == (2, 60.0)
    assert (copy.breaker.cooldown, copy.breaker.on) == (7.0, (tl.RateLimitError,))
    assert copy.breaker.failures == 0 and copy.breaker.state == "closed"
    assert copy.complete("x") == "ok"


def test_repr_shows_the_inner_client_but_no_secret() -> None:
    llm = tl.CircuitBreaker(3, cooldown=10).wrap(openai_client(FakeProvider([])))
    text = repr(llm)
    assert SECRET not in text
    assert text == (
        "BreakerClient(Client(provider='openai', model='gpt-4o-mini', "
        "base_url='https://api.openai.com/v1'), breaker=CircuitBreaker(failure_threshold=3, "
        "window=None, cooldown=10.0, state='closed'))"
    )
