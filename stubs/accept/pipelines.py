"""Accepted: tl.map / tl.amap and their as-completed twins are typed by the schema."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from pydantic import BaseModel
from typing_extensions import assert_type

import typedllm as tl
from typedllm.pipeline import Progress, RunSummary


class Invoice(BaseModel):
    number: str


def on_progress(progress: Progress) -> None:
    assert_type(progress.eta, float | None)


def sync(llm: tl.Client, texts: list[str]) -> None:
    results = tl.map(llm, texts, schema=Invoice, concurrency=8, progress=on_progress)
    assert_type(results, tl.MapResults[Invoice])
    assert_type(results[0], tl.ItemResult[Invoice])
    assert_type(results[0].output, Invoice | None)
    assert_type(results[0].unwrap(), Invoice)
    assert_type(results[0].error, tl.TypedLLMError | None)
    assert_type(results.outputs(), list[Invoice])
    assert_type(results.summary, RunSummary)
    assert_type(tl.map(llm, texts), tl.MapResults[str])
    assert_type(tl.map(llm, texts, schema=list[Invoice])[0].output, list[Invoice] | None)
    records = [{"text": t} for t in texts]
    limited = tl.map(
        tl.fallback(llm),
        records,
        schema=Invoice,
        prompt="Extract: {text}",
        rate_limit=tl.RateLimit(requests_per_minute=500, tokens_per_minute=100_000),
        max_cost=2.5,
        on_error="raise",
    )
    assert_type(limited, tl.MapResults[Invoice])
    assert_type(tl.map_as_completed(llm, texts, schema=Invoice), Iterator[tl.ItemResult[Invoice]])


async def asynchronous(llm: tl.Client, texts: list[str]) -> None:
    results = await tl.amap(llm, texts, schema=Invoice, prompt=lambda t: f"Extract: {t}")
    assert_type(results, tl.MapResults[Invoice])
    stream = tl.amap_as_completed(llm, texts, schema=Invoice)
    assert_type(stream, AsyncIterator[tl.ItemResult[Invoice]])
    async for result in stream:
        assert_type(result.output, Invoice | None)
