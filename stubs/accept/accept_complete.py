"""Accepted: complete()/acomplete() infer the result from the schema."""

from __future__ import annotations

import dataclasses
import enum
from typing import Literal

from pydantic import BaseModel
from typing_extensions import TypedDict, assert_type

import typedllm as tl


class Invoice(BaseModel):
    number: str
    total: float


class Movie(TypedDict):
    title: str
    year: int


@dataclasses.dataclass
class Point:
    x: float
    y: float


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


def sync_calls(llm: tl.Client) -> None:
    assert_type(llm.complete("x"), str)
    assert_type(llm.complete("x", schema=Invoice), Invoice)
    assert_type(llm.complete("x", schema=list[Invoice]), list[Invoice])
    assert_type(llm.complete("x", schema=Invoice | None), Invoice | None)
    assert_type(llm.complete("x", schema=Movie), Movie)
    assert_type(llm.complete("x", schema=Point), Point)
    assert_type(llm.complete("x", schema=bool), bool)
    assert_type(llm.complete("x", schema=int), int)
    assert_type(llm.complete("x", schema=Literal["a", "b"]), Literal["a", "b"])
    assert_type(llm.complete("x", schema=Color), Color)
    assert_type(llm.complete("x", schema=dict[str, int]), dict[str, int])
    assert_type(llm.complete("x", schema=tuple[int, str]), tuple[int, str])
    assert_type(llm.complete([tl.system("s"), tl.user("u"), tl.assistant("a")]), str)
    assert_type(llm.complete((tl.user("u"),), schema=Invoice), Invoice)


async def async_calls(llm: tl.Client) -> None:
    assert_type(await llm.acomplete("x"), str)
    assert_type(await llm.acomplete("x", schema=Invoice), Invoice)
    assert_type(await llm.acomplete("x", schema=list[Invoice]), list[Invoice])
    assert_type(await llm.acomplete("x", schema=Invoice | None), Invoice | None)
    assert_type(await llm.acomplete("x", schema=Movie), Movie)
    assert_type(await llm.acomplete("x", schema=Literal["a", "b"]), Literal["a", "b"])


def context_managers(llm: tl.Client) -> None:
    with llm as same:
        assert_type(same, tl.Client)


async def async_context_managers(llm: tl.Client) -> None:
    async with llm as same:
        assert_type(same, tl.Client)
