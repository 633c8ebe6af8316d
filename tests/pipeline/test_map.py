"""tl.map / tl.amap: results in input order or as completed, typed failures collected per
item, concurrency, prompts from records, budgets, progress, rate limits and pauses."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Sequence
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

import typedllm as tl
from typedllm.pipeline import Progress, RateLimiter
from typedllm.testing import FakeProvider, FakeReply


class City(BaseModel):
    name: str
    population: int


def fake_client(fake: FakeProvider, **retry: Any) -> tl.Client:
    return (
        tl.openai()
        .model("gpt-4o-mini")
        .api_key("sk-test")
        .transport(fake)
        .retry_policy(tl.RetryPolicy(backoff_base=0, **retry))
        .build()
    )


class Echo(tl.Completer):
    """A completer that answers the prompt back after ``delay`` seconds, records how many
    calls were in flight at once, and fails the prompts in ``fail`` with ``error``."""

    def __init__(self, delay: float = 0.0, fail: dict[str, Exception] | None = None) -> None:
        self.delay = delay
        self.fail = fail or {}
        self.in_flight = 0
        self.peak = 0
        self.started: list[tuple[str, float]] = []

    def _completion(self, call: tl.Call) -> tl.Completion[Any]:
        raise AssertionError("map runs the async primitive")

    async def _acompletion(self, call: tl.Call) -> tl.Completion[Any]:
        prompt = str(call.prompt)
        self.started.append((prompt, time.monotonic()))
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
            if prompt in self.fail:
                raise self.fail[prompt]
            usage = tl.Usage(input_tokens=10, output_tokens=5)
            return tl.Completion(
                prompt.upper(), prompt.upper(), usage, "stop", "m", None, cost=0.01
            )
        finally:
            self.in_flight -= 1

    def _stream(self, call: tl.Call) -> Any:
        raise AssertionError("not streamed")

    def _astream(self, call: tl.Call) -> Any:
        raise AssertionError("not streamed")


# -- results ---------------------------------------------------------------------------------


def test_map_returns_typed_results_in_input_order() -> None:
    fake = FakeProvider()
    results = tl.map(
        fake_client(fake), [f"city {i}" for i in range(12)], schema=City, concurrency=4
    )
    assert len(results) == 12
    assert [r.index for r in results] == list(range(12))
    assert all(isinstance(r.output, City) for r in results)
    assert all(r.ok and r.error is None and r.attempts == 1 for r in results)
    assert [r.id for r in results] == [str(i) for i in range(12)]
    assert all(r.usage.total_tokens > 0 for r in results)
    summary = results.summary
    assert (summary.total, summary.done, summary.failed, summary.skipped) == (12, 12, 0, 0)
    assert summary.usage.total_tokens == sum(r.usage.total_tokens for r in results)
    assert summary.cost == pytest.approx(sum(r.cost or 0 for r in results))
    assert len(fake.requests) == 12
    assert results.outputs() == [r.output for r in results]


async def test_amap_text_and_concurrency_bound() -> None:
    echo = Echo(delay=0.02)
    results = await tl.amap(echo, [f"p{i}" for i in range(20)], concurrency=5)
    assert [r.output for r in results] == [f"P{i}" for i in range(20)]
    assert echo.peak == 5


def test_one_failure_is_collected_and_the_run_goes_on() -> None:
    fake = FakeProvider(["ok 0", FakeReply.error(400, "bad item"), "ok 2", FakeReply.refusal()])
    results = tl.map(fake_client(fake), ["a", "b", "c", "d"], concurrency=1)
    assert [r.ok for r in results] == [True, False, True, False]
    assert isinstance(results[1].error, tl.BadRequestError)
    assert isinstance(results[3].error, tl.RefusalError)
    assert results[1].output is None
    with pytest.raises(tl.BadRequestError):
        results[1].unwrap()
    assert results[0].unwrap() == "ok 0"
    assert [e.index for e in results.errors()] == [1, 3]
    assert results.summary.failed == 2 and results.summary.done == 2


def test_on_error_raise_stops_scheduling() -> None:
    echo = Echo(fail={"p2": tl.BadRequestError("no", provider="x", status_code=400)})
    with pytest.raises(tl.BadRequestError):
        tl.map(echo, [f"p{i}" for i in range(50)], concurrency=1, on_error="raise")
    assert len(echo.started) == 3


def test_output_errors_keep_their_usage_and_attempts() -> None:
    fake = FakeProvider(['{"name": 1}', '{"name": 2}'])
    llm = tl.openai().model("gpt-4o-mini").api_key("sk-test").transport(fake).max_reasks(1).build()
    [result] = tl.map(llm, ["x"], schema=City)
    assert isinstance(result.error, tl.OutputValidationError)
    assert result.attempts == 2
    assert result.usage.total_tokens > 0
    assert result.cost is not None and result.cost > 0


# -- inputs ------------------------------------------------------------------------------------


@dataclasses.dataclass
class Doc:
    key: str
    text: str


def test_records_through_a_template_and_an_id() -> None:
    echo = Echo()
    records = [{"key": "a", "text": "one"}, Doc("b", "two"), City(name="c", population=3)]
    results = tl.map(
        echo,
        records,
        prompt="extract: {text}",
        id_of=lambda r: r["key"] if isinstance(r, dict) else getattr(r, "key", "city"),
    )
    assert results[0].output == "EXTRACT: ONE"
    assert results[1].output == "EXTRACT: TWO"
    # The third record has no `text`: that item's configuration error, not the run's.
    assert isinstance(results[2].error, tl.ConfigurationError)
    assert "{text}" in str(results[2].error)
    assert [r.id for r in results[:2]] == ["a", "b"]


def test_string_inputs_through_input_and_a_function() -> None:
    echo = Echo()
    assert tl.map(echo, ["x"], prompt="say {input}!")[0].output == "SAY X!"
    assert tl.map(echo, ["x"], prompt=lambda s: f"<{s}>")[0].output == "<X>"
    messages = [tl.system("be brief"), tl.user("hello")]
    fake = FakeProvider(["hi"])
    assert tl.map(fake_client(fake), [messages])[0].output == "hi"
    assert fake.requests[0].json["messages"][0] == {"role": "system", "content": "be brief"}


def test_a_record_without_prompt_is_an_item_error() -> None:
    [result] = tl.map(Echo(), [{"text": "x"}])
    assert isinstance(result.error, tl.ConfigurationError)
    assert "prompt=" in str(result.error)


def test_a_generator_is_read_lazily() -> None:
    read: list[int] = []

    def source() -> Any:
        for i in range(10):
            read.append(i)
            yield f"p{i}"

    results = tl.map(Echo(), source(), concurrency=2)
    assert len(results) == 10 and results.summary.total == 10
    assert read == list(range(10))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"concurrency": 0},
        {"concurrency": True},
        {"on_error": "ignore"},
        {"max_cost": -1},
        {"rate_limit": 60},
        {"progress": 3},
        {"options": {"temperature": 0}},
    ],
)
def test_bad_arguments_are_configuration_errors(kwargs: dict[str, Any]) -> None:
    with pytest.raises(tl.ConfigurationError):
        tl.map(Echo(), ["x"], **kwargs)


def test_a_non_client_is_refused() -> None:
    with pytest.raises(tl.ConfigurationError, match="client"):
        tl.map("not a client", ["x"])  # type: ignore[arg-type]


# -- as completed ----------------------------------------------------------------------------


def test_map_as_completed_yields_every_item_with_its_index() -> None:
    results = list(
        tl.map_as_completed(Echo(delay=0.01), [f"p{i}" for i in range(9)], concurrency=3)
    )
    assert sorted(r.index for r in results) == list(range(9))
    assert all(r.output == f"P{r.index}" for r in results)


async def test_amap_as_completed_and_leaving_early_cancels_the_rest() -> None:
    echo = Echo(delay=0.01)
    seen = []
    async for result in tl.amap_as_completed(echo, [f"p{i}" for i in range(100)], concurrency=2):
        seen.append(result)
        if len(seen) == 3:
            break
    await asyncio.sleep(0.05)
    assert len(echo.started) < 10


def test_leaving_the_sync_iterator_early_stops_the_run() -> None:
    echo = Echo(delay=0.01)
    for n, _ in enumerate(tl.map_as_completed(echo, [f"p{i}" for i in range(200)], concurrency=2)):
        if n == 2:
            break
    assert len(echo.started) < 20


async def test_sync_map_inside_a_running_loop() -> None:
    # A notebook calls tl.map with a loop already running: it runs on its own thread.
    results = tl.map(Echo(), ["a", "b"])
    assert [r.output for r in results] == ["A", "B"]


# -- budgets and progress ----------------------------------------------------------------------


def test_a_cost_budget_stops_scheduling() -> None:
    results = tl.map(Echo(), [f"p{i}" for i in range(10)], concurrency=1, max_cost=0.03)
    assert len(results) == 3  # 0.01 each: the fourth is not scheduled
    summary = results.summary
    assert summary.stopped == "cost_budget"
    assert summary.skipped == 7
    assert "stopped: cost budget" in str(summary)


def test_a_token_budget_stops_scheduling() -> None:
    results = tl.map(Echo(), [f"p{i}" for i in range(10)], concurrency=1, max_tokens=30)
    assert len(results) == 2  # 15 tokens each
    assert results.summary.stopped == "token_budget"


def test_progress_is_reported_after_each_item() -> None:
    seen: list[Progress] = []
    tl.map(Echo(), [f"p{i}" for i in range(5)], concurrency=1, progress=seen.append)
    assert [p.finished for p in seen] == [1, 2, 3, 4, 5]
    last = seen[-1]
    assert (last.total, last.done, last.failed, last.in_flight) == (5, 5, 0, 0)
    assert last.cost == pytest.approx(0.05)
    assert last.usage.total_tokens == 75
    assert last.rate > 0 and last.eta == 0


def test_progress_eta_and_rate() -> None:
    p = Progress(10, 3, 1, 2, 0, tl.Usage(), None, elapsed=2.0)
    assert p.finished == 4 and p.rate == 2.0 and p.eta == 3.0
    assert Progress(None, 1, 0, 0, 0, tl.Usage(), None, 1.0).eta is None


# -- rate limits -------------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_requests_per_minute() -> None:
    clock = FakeClock()
    limiter = RateLimiter(tl.RateLimit(requests_per_minute=60), clock=clock, sleep=clock.sleep)
    for _ in range(60):
        await limiter.acquire(0)
    assert clock.now == 0.0  # a minute's allowance, at once
    await limiter.acquire(0)
    assert clock.now == pytest.approx(1.0)  # then one per second


async def test_tokens_per_minute_with_settlement() -> None:
    clock = FakeClock()
    limiter = RateLimiter(tl.RateLimit(tokens_per_minute=600), clock=clock, sleep=clock.sleep)
    await limiter.acquire(500)
    limiter.settle(500, 100)  # it used less than estimated: the difference comes back
    await limiter.acquire(500)
    assert clock.now == 0.0
    limiter.settle(500, 1100)  # it used more: the bucket is 600 below empty
    await limiter.acquire(100)  # 700 tokens to refill at 10 per second
    assert clock.now == pytest.approx(70.0)


async def test_a_pause_stops_every_acquirer() -> None:
    clock = FakeClock()
    limiter = RateLimiter(tl.RateLimit(requests_per_minute=1000), clock=clock, sleep=clock.sleep)
    limiter.pause(5.0)
    await asyncio.gather(limiter.acquire(0), limiter.acquire(0))
    assert clock.now == pytest.approx(5.0)
    assert limiter.pauses == 1


def test_bad_rate_limits() -> None:
    for bad in (0, -1, float("nan"), True, "10"):
        with pytest.raises(tl.ConfigurationError):
            tl.RateLimit(requests_per_minute=bad)  # type: ignore[arg-type]


def test_a_429_pauses_every_worker() -> None:
    limited = tl.RateLimitError("slow", provider="x", status_code=429, retry_after=0.3)
    echo = Echo(delay=0.0, fail={"p0": limited})
    results = tl.map(
        echo,
        [f"p{i}" for i in range(6)],
        concurrency=3,
        rate_limit=tl.RateLimit(requests_per_minute=10_000),
    )
    assert isinstance(results[0].error, tl.RateLimitError)
    first = dict(echo.started)["p0"]
    later = [t for p, t in echo.started if p not in ("p0", "p1", "p2")]
    assert later and min(later) >= first + 0.29


def test_a_429_retried_inside_the_client_pauses_the_others() -> None:
    times: list[float] = []
    fake = FakeProvider([FakeReply.error(429, retry_after=0.3), "a", "b", "c"])

    class Timed(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            times.append(time.monotonic())
            return await fake.handle_async_request(request)

    llm = (
        tl.openai()
        .model("gpt-4o-mini")
        .api_key("sk-test")
        .transport(Timed())
        .retry_policy(tl.RetryPolicy(backoff_base=0))
        .build()
    )
    results = tl.map(
        llm, ["x", "y", "z"], concurrency=1, rate_limit=tl.RateLimit(requests_per_minute=10_000)
    )
    assert all(r.ok for r in results)
    assert len(times) == 4
    assert times[1] - times[0] >= 0.29  # the client's own retry waited
    assert times[2] - times[0] >= 0.29  # and so did the next item


def _durations(results: Sequence[tl.ItemResult[Any]]) -> list[float]:
    return [r.seconds for r in results]


def test_item_seconds_are_measured() -> None:
    results = tl.map(Echo(delay=0.05), ["a", "b"], concurrency=2)
    assert all(d >= 0.04 for d in _durations(results))


def test_a_journal_path_makes_a_rerun_skip_what_is_done(tmp_path: Any) -> None:
    path = tmp_path / "run.db"
    fake = FakeProvider(["a", FakeReply.error(400, "bad"), "c"])
    first = tl.map(fake_client(fake), ["x", "y", "z"], concurrency=1, journal=path)
    assert [r.ok for r in first] == [True, False, True]
    again = FakeProvider(["never"])
    second = tl.map(fake_client(again), ["x", "y", "z"], concurrency=1, journal=str(path))
    assert [r.cached for r in second] == [True, True, True]
    assert [r.output for r in second] == ["a", None, "c"]
    assert isinstance(second[1].error, tl.BadRequestError)
    assert again.calls == 0 and second.summary.cached == 3
    retried = FakeProvider(["b"])
    third = tl.map(fake_client(retried), ["x", "y", "z"], journal=path, retry_failed=True)
    assert [r.output for r in third] == ["a", "b", "c"] and retried.calls == 1


def test_a_changed_prompt_is_a_new_item(tmp_path: Any) -> None:
    path = tmp_path / "run.db"
    tl.map(fake_client(FakeProvider(["a"])), ["x"], journal=path)
    fake = FakeProvider(["b"])
    [result] = tl.map(fake_client(fake), ["x"], prompt="now {input}", journal=path)
    assert result.output == "b" and not result.cached and fake.calls == 1


def test_an_unknown_option_is_named() -> None:
    with pytest.raises(tl.ConfigurationError, match="concurency"):
        tl.map(Echo(), ["x"], concurency=3)  # type: ignore[call-overload]


def test_a_plain_client_runs_on_aiohttp_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip(
        "aiohttp", reason="the aiohttp driver is optional: pip install 'typedllm[aiohttp]'"
    )
    from typedllm import _aiohttp
    from typedllm.testing import serve

    made: list[str] = []
    original = _aiohttp.AiohttpDriver.for_config

    def spy(config: Any) -> Any:
        made.append(config.async_driver)
        return original(config)

    monkeypatch.setattr(_aiohttp.AiohttpDriver, "for_config", staticmethod(spy))
    with serve() as server:
        llm = tl.openai_compatible(server.base_url).model("fake").build()
        results = tl.map(llm, ["a", "b", "c"], schema=City)
        again = tl.map(llm, ["d"], schema=City)
    assert all(r.ok for r in [*results, *again])
    assert made == ["aiohttp"]  # made once: the client keeps it for the next runs
    assert llm.config.async_driver == "httpx"  # the caller's client is untouched


async def test_successive_runs_reuse_the_clients_connections() -> None:
    pytest.importorskip(
        "aiohttp", reason="the aiohttp driver is optional: pip install 'typedllm[aiohttp]'"
    )
    from typedllm._client import pipeline_client
    from typedllm.testing import serve

    with serve() as server:
        llm = tl.openai_compatible(server.base_url).model("fake").build()
        first = await tl.amap(llm, ["a", "b", "c"], schema=City, concurrency=2)
        driver = llm._pipeline()  # pyright: ignore[reportPrivateUsage]
        sessions: list[Any] = list(driver.sessions())  # type: ignore[union-attr]
        [session] = sessions
        connector = session.connector
        pooled = sum(len(c) for c in connector._conns.values())
        assert 1 <= pooled <= 2  # the run's connections stay open, for the next run
        second = await tl.amap(llm, ["d", "e"], schema=City, concurrency=2)
        assert driver.sessions() == [session]  # the same pool, no new session
        assert sum(len(c) for c in connector._conns.values()) == pooled  # none opened
        # Under a rate limit the run calls a copy with its hook: on the same driver.
        limited = await tl.amap(
            llm, ["f"], schema=City, rate_limit=tl.RateLimit(requests_per_minute=600)
        )
        assert driver.sessions() == [session]
        await llm.aclose()  # closes the pipeline's connections with the client's own
        assert session.closed and driver.sessions() == []
        with pytest.raises(tl.ClientClosedError):
            await tl.amap(llm, ["g"], schema=City)
    assert all(r.ok for r in [*first, *second, *limited])
    fast = tl.openai_compatible(server.base_url).model("fake").async_driver("aiohttp").build()
    assert pipeline_client(fast) == (fast, None)  # already on aiohttp, nothing added: itself
    observe, owned = pipeline_client(fast, (print,))
    assert owned is None and observe is not fast and observe.config.hooks == (print,)
    assert observe._async() is fast._async()  # pyright: ignore[reportPrivateUsage]


def test_a_client_with_a_transport_keeps_httpx() -> None:
    # An httpx transport (the fake) cannot move to aiohttp: the run keeps the client's driver.
    fake = FakeProvider()
    results = tl.map(fake_client(fake), ["a", "b"], schema=City)
    assert all(r.ok for r in results) and fake.calls == 2


async def test_a_rate_limiter_is_shared_between_runs() -> None:
    clock = FakeClock()
    limiter = RateLimiter(tl.RateLimit(requests_per_minute=4), clock=clock, sleep=clock.sleep)
    await tl.amap(Echo(), ["a", "b", "c"], rate_limit=limiter)
    assert clock.now == 0.0  # three of the minute's four requests
    await tl.amap(Echo(), ["d", "e"], rate_limit=limiter)
    assert clock.now == pytest.approx(15.0)  # the fifth waits for a refill: 60 s / 4


def test_completions_are_kept_only_when_asked() -> None:
    slim = tl.map(fake_client(FakeProvider()), ["a"], schema=City)
    assert slim[0].completion is None and slim[0].attempts == 1 and slim[0].usage.total_tokens
    full = tl.map(fake_client(FakeProvider()), ["a"], schema=City, keep_completions=True)
    completion = full[0].completion
    assert completion is not None and completion.output == full[0].output
    assert completion.finish_reason == "stop" and completion.raw is not None


def test_the_typed_options_are_the_options_map_takes() -> None:
    from typedllm.pipeline import _map

    assert set(_map.MapOptions.__annotations__) == set(_map._OPTION_NAMES)  # pyright: ignore[reportPrivateUsage]


def test_without_aiohttp_each_run_has_connections_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An httpx client's connections belong to the loop that opened them, and the sync map
    # runs on a loop of its own: the run uses a copy and closes it, never the caller's driver.
    from typedllm import _client
    from typedllm.testing import serve

    monkeypatch.setattr(_client, "_aiohttp_possible", lambda config: False)
    with serve() as server:
        llm = tl.openai_compatible(server.base_url).model("fake").build()
        first = tl.map(llm, ["a", "b"], schema=City)
        second = tl.map(llm, ["c"], schema=City)
        assert llm._async_driver is None and llm._pipeline_driver is None  # pyright: ignore[reportPrivateUsage]
        runner, owned = _client.pipeline_client(llm)
        assert owned is runner and runner is not llm
    assert all(r.ok for r in [*first, *second])
