"""Batching within the providers' limits (order kept, usage summed), concurrency of the async
batches, input validation, retries, deadlines and typed errors through the fake provider."""

from __future__ import annotations

import asyncio
import math
import pickle
import threading
import time
from typing import Any, Literal

import httpx
import orjson
import pytest

import typedllm as tl
from typedllm._embeddings import estimate_tokens, plan_batches
from typedllm.testing import FakeProvider, FakeReply
from typedllm.testing._embeddings_wire import fake_vector

NO_WAIT = tl.RetryPolicy(backoff_base=0)


def _openai(fake: Any, **kw: Any) -> tl.EmbeddingBuilder:
    builder = tl.openai().api_key("sk-test").embedding_model("text-embedding-3-small")
    builder = builder.dimensions(kw.pop("dimensions", 8)).transport(fake)
    return builder


def test_batches_split_by_the_item_limit_keep_order_and_sum_usage() -> None:
    fake = FakeProvider()
    texts = [f"text number {i}" for i in range(25)]
    result = _openai(fake).batch_size(10).build().embed(texts)
    assert [len(r.json["input"]) for r in fake.requests] == [10, 10, 5]
    assert [t for r in fake.requests for t in r.json["input"]] == texts
    assert result.vectors == [fake_vector(t, 8) for t in texts]  # input order
    expected = sum(math.ceil(len(t) / 4) for t in texts)  # the fake's token count
    assert result.usage.input_tokens == expected
    assert result.requests == 3
    assert result.cost == pytest.approx(expected * 0.02 / 1_000_000)


def test_provider_item_limit_caps_the_batch_size() -> None:
    fake = FakeProvider()
    builder = tl.cohere().api_key("k").embedding_model("embed-english-v3.0").transport(fake)
    builder.batch_size(500).build().embed([f"t{i}" for i in range(100)])
    assert [len(r.json["texts"]) for r in fake.requests] == [96, 4]  # Cohere: 96 per call


def test_gemini_batches_at_100() -> None:
    fake = FakeProvider()
    builder = tl.gemini().api_key("k").embedding_model("gemini-embedding-001").dimensions(128)
    result = builder.transport(fake).build().embed([f"t{i}" for i in range(150)])
    assert [len(r.json["requests"]) for r in fake.requests] == [100, 50]
    assert len(result) == 150


def test_token_limit_splits_batches() -> None:
    fake = FakeProvider()
    texts = ["x" * 300] * 5  # 100 estimated tokens each
    _openai(fake).batch_tokens(250).build().embed(texts)
    assert [len(r.json["input"]) for r in fake.requests] == [2, 2, 1]


def test_plan_batches_puts_an_oversized_text_alone() -> None:
    texts = ["a", "b" * 3000, "c"]
    assert plan_batches(texts, 10, 100) == [(0, 1), (1, 2), (2, 3)]
    assert plan_batches(texts, 10, None) == [(0, 3)]
    assert plan_batches(["a"] * 5, 2, None) == [(0, 2), (2, 4), (4, 5)]
    assert estimate_tokens("abc") == 1 and estimate_tokens("é" * 3) == 2


class _Slow(httpx.AsyncBaseTransport):
    """Answers after a pause, counting the requests in flight at once."""

    def __init__(self) -> None:
        self.fake = FakeProvider()
        self.active = 0
        self.peak = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.active += 1
        self.peak = max(self.peak, self.active)
        await asyncio.sleep(0.02)
        self.active -= 1
        return await self.fake.handle_async_request(request)


def test_async_batches_run_concurrently_within_the_limit() -> None:
    slow = _Slow()
    texts = [f"t{i}" for i in range(40)]
    embedder = _openai(slow).batch_size(4).max_concurrency(3).build()
    result = asyncio.run(embedder.aembed(texts))
    assert slow.peak == 3  # 10 batches, at most 3 at a time, and more than one at once
    assert result.vectors == [fake_vector(t, 8) for t in texts]
    assert result.requests == 10


def test_embed_one_and_aembed_one() -> None:
    embedder = _openai(FakeProvider()).build()
    assert embedder.embed_one("hello") == fake_vector("hello", 8)
    assert asyncio.run(embedder.aembed_one("hello")) == fake_vector("hello", 8)


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ([], "empty list"),
        ("one text", "single str"),
        (["ok", ""], "text 1 is empty"),
        (["ok", "fine", "  "], "text 2 is empty"),
        (["ok", 3], "text 1 is a int"),
        (b"bytes", "list of strings"),
        (None, "list of strings"),
    ],
)
def test_bad_inputs_are_configuration_errors_naming_the_item(texts: Any, message: str) -> None:
    fake = FakeProvider()
    embedder = _openai(fake).build()
    with pytest.raises(tl.ConfigurationError, match=message):
        embedder.embed(texts)
    with pytest.raises(tl.ConfigurationError, match=message):
        asyncio.run(embedder.aembed(texts))
    assert fake.requests == []  # nothing sent


def test_embed_one_refuses_a_list() -> None:
    with pytest.raises(tl.ConfigurationError, match="embed_one"):
        _openai(FakeProvider()).build().embed_one(["a"])  # type: ignore[arg-type]


def test_retry_on_429_then_success() -> None:
    fake = FakeProvider([FakeReply.error(429, "slow down"), FakeReply()])
    events: list[Any] = []
    embedder = _openai(fake).retry_policy(NO_WAIT).on_event(events.append).build()
    result = embedder.embed(["a"])
    assert fake.calls == 2 and len(result) == 1
    kinds = [type(e).__name__ for e in events]
    assert "RetryScheduled" in kinds and kinds[-1] == "Finished"


def test_typed_errors_per_provider() -> None:
    cases = [
        (_openai, tl.AuthenticationError, 401),
        (_openai, tl.BadRequestError, 400),
    ]
    for make, error, status in cases:
        fake = FakeProvider([FakeReply.error(status, "nope")])
        with pytest.raises(error, match="nope"):
            make(fake).retry_policy(NO_WAIT).build().embed(["a"])
    for builder in (
        tl.gemini().api_key("k").embedding_model("gemini-embedding-001"),
        tl.cohere().api_key("k").embedding_model("embed-v4.0"),
        tl.ollama().embedding_model("nomic-embed-text"),
    ):
        fake = FakeProvider([FakeReply.error(404, "model not found")])
        with pytest.raises(tl.NotFoundError, match="model not found"):
            builder.transport(fake).build().embed(["a"])


def test_exhausted_retries_raise_the_last_error() -> None:
    fake = FakeProvider([FakeReply.error(503, "busy")] * 3)
    with pytest.raises(tl.InternalServerError):
        _openai(fake).retry_policy(NO_WAIT).build().embed(["a"])
    assert fake.calls == 3  # the default policy: 3 attempts


def test_a_bad_answer_is_a_protocol_error_without_the_key() -> None:
    fake = FakeProvider([FakeReply.raw(200, {"data": [], "echo": "sk-secret-key"})])
    builder = tl.openai().api_key("sk-secret-key").embedding_model("text-embedding-3-small")
    with pytest.raises(tl.ProtocolError) as info:
        builder.transport(fake).build().embed(["a"])
    assert "sk-secret-key" not in str(info.value) and "sk-secret-key" not in repr(info.value)


class _Hang(httpx.BaseTransport):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        time.sleep(0.3)
        raise httpx.ReadTimeout("timed out", request=request)


def test_deadline_bounds_the_call() -> None:
    embedder = _openai(_Hang()).deadline(0.2).build()
    started = time.monotonic()
    with pytest.raises(tl.APITimeoutError):
        embedder.embed(["a"])
    assert time.monotonic() - started < 2.0


def test_scripted_vectors_are_returned() -> None:
    fake = FakeProvider([FakeReply.of_json([[1.0, 0.0], [0.0, 1.0]])])
    result = _openai(fake).build().embed(["a", "b"])
    assert result.vectors == [[1.0, 0.0], [0.0, 1.0]] and result.dimensions == 2


def test_fake_vectors_are_deterministic_and_unit_normalised() -> None:
    first = _openai(FakeProvider(), dimensions=64).build().embed(["same", "other"])
    second = _openai(FakeProvider(), dimensions=64).build().embed(["same", "other"])
    assert first.vectors == second.vectors
    assert first.vectors[0] != first.vectors[1]
    for vector in first.vectors:
        assert math.isclose(sum(v * v for v in vector), 1.0, rel_tol=1e-9)


def test_fake_gemini_embed_content_single() -> None:
    fake = FakeProvider()
    request = httpx.Request(
        "POST",
        "https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:embedContent",
        content=orjson.dumps({"content": {"parts": [{"text": "hi"}]}, "outputDimensionality": 5}),
    )
    body = orjson.loads(fake.handle_request(request).read())
    assert body == {"embedding": {"values": fake_vector("hi", 5)}}


def test_embedder_pickles_as_configuration() -> None:
    fake = FakeProvider()
    embedder = (
        tl.openai()
        .api_key("sk-test", picklable=True)
        .embedding_model("text-embedding-3-small")
        .dimensions(8)
        .transport(fake)
        .build()
    )
    copy = pickle.loads(pickle.dumps(embedder))
    assert copy.embed(["a"]).vectors == embedder.embed(["a"]).vectors
    assert copy.dimensions == 8 and "sk-test" not in repr(copy)


def test_explicit_key_refuses_to_pickle() -> None:
    embedder = _openai(FakeProvider()).build()
    with pytest.raises(tl.SecretPicklingError):
        pickle.dumps(embedder)


def test_closed_embedder_refuses_calls() -> None:
    with _openai(FakeProvider()).build() as embedder:
        embedder.embed(["a"])
    with pytest.raises(tl.ClientClosedError):
        embedder.embed(["a"])


def test_sync_calls_from_threads_share_one_embedder() -> None:
    embedder = _openai(FakeProvider()).build()
    out: dict[int, list[float]] = {}

    def work(i: int) -> None:
        out[i] = embedder.embed_one(f"t{i}")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == {i: fake_vector(f"t{i}", 8) for i in range(4)}


def test_failure_is_reported_to_the_hooks() -> None:
    events: list[Any] = []
    fake = FakeProvider([FakeReply.error(400, "bad input")])
    with pytest.raises(tl.BadRequestError):
        _openai(fake).on_event(events.append).build().embed(["a"])
    failed = [e for e in events if type(e).__name__ == "Failed"]
    assert len(failed) == 1 and isinstance(failed[0].error, tl.BadRequestError)


class _SlowSync(httpx.BaseTransport):
    def __init__(self) -> None:
        self.fake = FakeProvider()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        time.sleep(0.15)
        return self.fake.handle_request(request)


def test_deadline_bounds_all_batches_together() -> None:
    slow = _SlowSync()
    embedder = _openai(slow).batch_size(1).deadline(0.4).build()
    with pytest.raises(tl.APITimeoutError):
        embedder.embed([f"t{i}" for i in range(10)])  # 10 x 0.15 s > 0.4 s
    assert slow.fake.calls < 10


@pytest.mark.parametrize("driver", ["httpx", "aiohttp"])
def test_async_drivers_embed_over_a_loopback_server(driver: Literal["httpx", "aiohttp"]) -> None:
    if driver == "aiohttp":
        pytest.importorskip("aiohttp", reason="pip install 'typedllm[aiohttp]'")
    from typedllm.testing import serve

    with serve() as server:
        embedder = (
            tl.openai_compatible(server.base_url)
            .embedding_model("local-embedder")
            .async_driver(driver)
            .batch_size(2)
            .build()
        )

        async def main() -> tl.Embeddings:
            async with embedder:
                return await embedder.aembed(["a", "b", "c"])

        result = asyncio.run(main())
    assert result.vectors == [fake_vector(t, 16) for t in "abc"] and result.requests == 2
