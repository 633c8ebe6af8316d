"""tl.batch on each provider's batch API, served offline by the fake: submit, poll, results
as typed ItemResults (failures per item included), resume by id, cancel, sync and async."""

from __future__ import annotations

import asyncio
import pickle
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel

import typedllm as tl
from typedllm.testing import FakeProvider, FakeReply


class Invoice(BaseModel):
    number: int
    total: float


Build = Callable[[FakeProvider], tl.Client]


def _openai(fake: FakeProvider) -> tl.Client:
    return tl.openai().model("gpt-4o-mini").api_key("k", picklable=True).transport(fake).build()


def _anthropic(fake: FakeProvider) -> tl.Client:
    builder = tl.anthropic().model("claude-sonnet-4-5").api_key("k", picklable=True)
    return builder.transport(fake).build()


def _gemini(fake: FakeProvider) -> tl.Client:
    builder = tl.gemini().model("gemini-2.5-flash").api_key("k", picklable=True)
    return builder.transport(fake).build()


PROVIDERS = pytest.mark.parametrize(
    ("build", "provider"),
    [(_openai, "openai"), (_anthropic, "anthropic"), (_gemini, "gemini")],
    ids=["openai", "anthropic", "gemini"],
)


@PROVIDERS
def test_submit_poll_and_results_are_schema_valid_in_input_order(
    build: Build, provider: str
) -> None:
    fake = FakeProvider(batch_polls=3)
    llm = build(fake)
    texts = ["invoice 1", "invoice 2", "invoice 3"]
    job = tl.batch(llm, texts, schema=Invoice, prompt="Extract: {input}", id_of=str.upper)
    assert job.provider == provider
    assert job.last_status is not None and not job.last_status.ended
    assert [job.poll(), job.poll(), job.poll()] == [False, False, True]
    status = job.last_status
    assert status is not None and status.state == "completed"
    assert (status.total, status.succeeded, status.failed) == (3, 3, 0)

    results = job.results()
    assert [r.id for r in results] == ["INVOICE 1", "INVOICE 2", "INVOICE 3"]
    assert [r.index for r in results] == [0, 1, 2]
    assert all(isinstance(r.output, Invoice) and r.ok for r in results)
    assert results.summary.done == 3 and results.summary.failed == 0
    # Each answer is what the fake gives the same single call: the same prompt, same data.
    single = llm.complete("Extract: invoice 2", schema=Invoice)
    assert results[1].output == single
    first = results[0].completion
    assert first is not None and first.messages[0].parts[0].text == "Extract: invoice 1"  # type: ignore[attr-defined]


@PROVIDERS
def test_each_failure_is_the_typed_error_of_its_item(build: Build, provider: str) -> None:
    replies = [
        FakeReply.of_json({"number": 7, "total": 1.5}),
        FakeReply.refusal("I can't help with that."),
        FakeReply.of_json({"number": "seven"}),
        FakeReply.error(400, "this request is malformed"),
        FakeReply.truncated('{"number": 1, "to'),
    ]
    fake = FakeProvider(replies)
    job = tl.batch(build(fake), ["a", "b", "c", "d", "e"], schema=Invoice)
    results = job.wait_results(poll_interval=0)

    assert results[0].unwrap() == Invoice(number=7, total=1.5)
    assert isinstance(results[1].error, tl.RefusalError)
    assert isinstance(results[2].error, tl.OutputValidationError)
    assert '"seven"' in (results[2].error.raw_text or "")
    assert isinstance(results[3].error, tl.BadRequestError)
    assert "malformed" in str(results[3].error)
    assert isinstance(results[4].error, tl.TruncatedOutputError)
    assert [r.ok for r in results] == [True, False, False, False, False]
    assert results.summary.failed == 4
    assert results.outputs() == [Invoice(number=7, total=1.5)]
    with pytest.raises(tl.RefusalError):
        results[1].unwrap()
    # An answered but unusable item still used (and billed) tokens.
    assert results[2].usage.output_tokens > 0 and results[2].attempts == 1


@PROVIDERS
def test_a_job_resumes_by_id_in_a_fresh_client(build: Build, provider: str) -> None:
    fake = FakeProvider()
    job = tl.batch(build(fake), ["x", "y"], schema=Invoice, id_of=lambda s: f"doc/{s}")
    resumed = tl.batch_job(build(fake), job.id, schema=Invoice)
    assert resumed.last_status is None
    results = resumed.results()
    # The custom ids carried the index and the id: nothing local was needed.
    assert [(r.index, r.id) for r in results] == [(0, "doc/x"), (1, "doc/y")]
    assert results.outputs() == job.results().outputs()


@PROVIDERS
def test_a_pickled_job_resumes_with_everything_it_knew(build: Build, provider: str) -> None:
    fake = FakeProvider(batch_polls=2)
    long_id = "a-very-long-item-identifier-that-does-not-fit-in-a-custom-id-" * 2
    job = tl.batch(build(fake), ["x"], schema=Invoice, id_of=lambda _: long_id)
    # The client pickles with its transport (the fake and its jobs are copied along).
    thawed = pickle.loads(pickle.dumps(job))
    assert thawed.id == job.id
    results = thawed.wait_results(poll_interval=0)
    assert results[0].id == long_id
    assert isinstance(results[0].output, Invoice)


@PROVIDERS
def test_cancel_ends_every_unanswered_item_as_cancelled(build: Build, provider: str) -> None:
    fake = FakeProvider(batch_polls=5)
    job = tl.batch(build(fake), ["a", "b"], schema=Invoice)
    assert job.cancel().state in ("cancelling", "cancelled")
    final = job.wait(poll_interval=0)
    assert final.state == "cancelled"
    results = job.results()
    assert len(results) == 2
    for result in results:
        assert isinstance(result.error, tl.BatchItemError)
        assert result.error.reason == "cancelled"
    assert results.summary.stopped == "cancelled"


@PROVIDERS
def test_async_submit_wait_and_results(build: Build, provider: str) -> None:
    async def run() -> tuple[Any, Any]:
        fake = FakeProvider(batch_polls=2)
        llm = build(fake)
        job = await tl.abatch(llm, ["a", "b"], schema=Invoice)
        assert await job.apoll() is False
        results = await job.await_results(poll_interval=0)
        cancelled = await tl.abatch(llm, ["c"], schema=Invoice)
        await cancelled.acancel()
        await cancelled.await_done(poll_interval=0)
        return results, await cancelled.aresults()

    results, cancelled = asyncio.run(run())
    assert [type(r.output) for r in results] == [Invoice, Invoice]
    assert isinstance(cancelled[0].error, tl.BatchItemError)


@PROVIDERS
def test_results_before_the_end_and_a_wait_timeout_raise_not_ready(
    build: Build, provider: str
) -> None:
    job = tl.batch(build(FakeProvider(batch_polls=50)), ["a"], schema=Invoice)
    with pytest.raises(tl.BatchNotReadyError) as early:
        job.results()
    assert early.value.status.state in ("pending", "running")
    with pytest.raises(tl.BatchNotReadyError, match="did not end within"):
        job.wait(poll_interval=0.001, timeout=0.01)


@PROVIDERS
def test_text_batches_without_a_schema_give_strings(build: Build, provider: str) -> None:
    job = tl.batch(build(FakeProvider()), ["hello there"])
    results = job.wait_results(poll_interval=0)
    assert results.outputs() == ["[fake answer] hello there"]


@PROVIDERS
def test_costs_are_at_batch_prices(build: Build, provider: str) -> None:
    fake = FakeProvider()
    llm = build(fake)
    results = tl.batch(llm, ["a"], schema=Invoice).wait_results(poll_interval=0)
    usage = results[0].usage
    standard = llm.model_info.cost(usage)
    assert standard is not None and results[0].cost == pytest.approx(standard / 2)
    assert results.summary.cost == pytest.approx(results[0].cost)


@PROVIDERS
def test_http_failures_are_typed_errors(build: Build, provider: str) -> None:
    fake = FakeProvider(api_key="the-right-key")
    with pytest.raises(tl.AuthenticationError):
        tl.batch(build(fake), ["a"], schema=Invoice)
    with pytest.raises(tl.NotFoundError):
        tl.batch_job(build(FakeProvider()), _unknown_id(provider), schema=Invoice).status()


def _unknown_id(provider: str) -> str:
    return {"openai": "batch_nope", "anthropic": "msgbatch_nope", "gemini": "batches/nope"}[
        provider
    ]
