"""Accepted: stream()/astream() are typed by the schema like complete()."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from pydantic import BaseModel
from typing_extensions import assert_type

import typedllm as tl


class City(BaseModel):
    name: str


def sync_streams(llm: tl.Client) -> None:
    text = llm.stream("x")
    assert_type(text, tl.Stream[str, str])
    assert_type(iter(text), Iterator[str])
    assert_type(text.final(), str)
    assert_type(text.completion, tl.Completion[str])
    typed = llm.stream("x", schema=City)
    assert_type(typed, tl.Stream[tl.Partial[City], City])
    for partial in typed:
        assert_type(partial, tl.Partial[City])
        assert_type(partial.data, Any)
    assert_type(typed.final(), City)
    many = llm.stream("x", schema=list[City])
    assert_type(many.final(), list[City])
    assert_type(many.items(), Iterator[City])
    for city in many.items():
        assert_type(city, City)
    assert_type(llm.stream("x", schema=list[int]).items(), Iterator[int])
    assert_type(llm.stream("x", schema=list[City | None]).items(), Iterator[City | None])
    with llm.stream("x", schema=list[City]) as cities:
        assert_type(cities, tl.Stream[tl.Partial[list[City]], list[City]])
        assert_type(cities.items(), Iterator[City])
    with llm.stream("x", schema=City | None) as maybe:
        assert_type(maybe.final(), City | None)


async def async_streams(llm: tl.Client) -> None:
    text = llm.astream("x")
    assert_type(text, tl.AsyncStream[str, str])
    assert_type(text.__aiter__(), AsyncIterator[str])
    assert_type(await text.final(), str)
    async with llm.astream("x", schema=City) as typed:
        async for partial in typed:
            assert_type(partial, tl.Partial[City])
        assert_type(await typed.final(), City)
    async with llm.astream("x", schema=list[City]) as many:
        assert_type(many.items(), AsyncIterator[City])
        async for city in many.items():
            assert_type(city, City)
