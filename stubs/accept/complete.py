"""Accepted: complete()/acomplete() infer the result from the schema (type-checked only)."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Sequence
from typing import Literal, Optional

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


Answer = Literal["a", "b"]


def prompts(llm: tl.Client, history: list[tl.Message], seq: Sequence[tl.Message]) -> None:
    assert_type(llm.complete("x"), str)
    assert_type(llm.complete("x", schema=None), str)
    assert_type(llm.complete([tl.system("s"), tl.user("u"), tl.assistant("a")]), str)
    assert_type(llm.complete([tl.user("u")], schema=Invoice), Invoice)
    assert_type(llm.complete((tl.system("s"), tl.user("u")), schema=Invoice), Invoice)
    assert_type(llm.complete(history), str)
    assert_type(llm.complete(seq, schema=bool), bool)
    assert_type(llm.complete(prompt="x", schema=int), int)


def sync_schemas(llm: tl.Client) -> None:
    assert_type(llm.complete("x", schema=Invoice), Invoice)
    assert_type(llm.complete("x", schema=list[Invoice]), list[Invoice])
    assert_type(llm.complete("x", schema=Invoice | None), Invoice | None)
    assert_type(llm.complete("x", schema=Optional[Invoice]), Optional[Invoice])
    assert_type(llm.complete("x", schema=Movie), Movie)
    assert_type(llm.complete("x", schema=Point), Point)
    assert_type(llm.complete("x", schema=bool), bool)
    assert_type(llm.complete("x", schema=int), int)
    assert_type(llm.complete("x", schema=float), float)
    assert_type(llm.complete("x", schema=str), str)
    assert_type(llm.complete("x", schema=Literal["a", "b"]), Literal["a", "b"])
    assert_type(llm.complete("x", schema=Answer), Literal["a", "b"])
    assert_type(llm.complete("x", schema=Color), Color)
    assert_type(llm.complete("x", schema=dict[str, int]), dict[str, int])
    assert_type(llm.complete("x", schema=tuple[int, str]), tuple[int, str])
    assert_type(llm.complete("x", schema=list[Movie]), list[Movie])
    assert_type(llm.complete("x", schema=dict[str, list[Point]]), dict[str, list[Point]])
    assert_type(llm.complete("x", schema=Invoice | Movie), Invoice | Movie)


async def async_schemas(llm: tl.Client) -> None:
    assert_type(await llm.acomplete("x"), str)
    assert_type(await llm.acomplete([tl.user("u")]), str)
    assert_type(await llm.acomplete("x", schema=Invoice), Invoice)
    assert_type(await llm.acomplete("x", schema=list[Invoice]), list[Invoice])
    assert_type(await llm.acomplete("x", schema=Invoice | None), Invoice | None)
    assert_type(await llm.acomplete("x", schema=Movie), Movie)
    assert_type(await llm.acomplete("x", schema=Point), Point)
    assert_type(await llm.acomplete("x", schema=bool), bool)
    assert_type(await llm.acomplete("x", schema=int), int)
    assert_type(await llm.acomplete("x", schema=Literal["a", "b"]), Literal["a", "b"])
    assert_type(await llm.acomplete("x", schema=Color), Color)
    assert_type(await llm.acomplete("x", schema=dict[str, int]), dict[str, int])
    assert_type(await llm.acomplete("x", schema=tuple[int, str]), tuple[int, str])


def messages() -> None:
    assert_type(tl.system("s"), tl.Message)
    assert_type(tl.user("u"), tl.Message)
    assert_type(tl.assistant("a"), tl.Message)
    assert_type(tl.user("u").role, Literal["system", "user", "assistant", "tool"])
    assert_type(tl.user("u").content, str)


def client_surface(llm: tl.Client) -> None:
    assert_type(llm.model, str)
    assert_type(llm.model_info, tl.ModelInfo)
    assert_type(llm.close(), None)
    with llm as same:
        assert_type(same, tl.Client)


async def async_client_surface(llm: tl.Client) -> None:
    assert_type(await llm.aclose(), None)
    async with llm as same:
        assert_type(same, tl.Client)


def end_to_end() -> None:
    llm = tl.openai().model("gpt-4o-mini").temperature(0).build()
    assert_type(llm.complete("ACME, invoice 42, 99.50 EUR", schema=Invoice), Invoice)
    thinker = tl.openai().model("o4-mini").reasoning_effort("high").build()
    assert_type(thinker.complete("x", schema=list[Movie]), list[Movie])
