"""Rejected: the type contract holes of issue 16 (one misuse per line, see the other reject
files). A misuse whose call returns ``Never`` sits in a function of its own, so the lines after
it stay reachable (and checked)."""

from __future__ import annotations

from typing import Literal

import httpx
from pydantic import BaseModel

import typedllm as tl
from typedllm.testing import FakeProvider


class City(BaseModel):
    name: str


# -- reasoning_effort takes only the levels the model accepts --
tl.openai().model("o3").reasoning_effort("minimal")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("o3").reasoning_effort("none")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("o1").reasoning_effort("xhigh")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("o4-mini-2025-04-16").reasoning_effort("minimal")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("gpt-5").reasoning_effort("none")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("gpt-5-nano").reasoning_effort("xhigh")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("gpt-5.1").reasoning_effort("minimal")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("o5", like="o3").reasoning_effort("minimal")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("o3").max_tokens(10).reasoning_effort("minimal")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def effort_levels(
    name: tl.OpenAIReasoningModelName,
    unknown: tl.OpenAIBuilder[tl.ReasoningModel],
    low_only: tl.OpenAIBuilder[tl.ReasoningModel[Literal["low"]]],
    level: tl.ReasoningEffort,
) -> None:
    tl.openai().model(name).reasoning_effort("minimal")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    tl.openai().model("o3").reasoning_effort(level)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    unknown.reasoning_effort("low")  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
    low_only.reasoning_effort("high")  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
    _o3_as_gpt5: tl.OpenAIBuilder[tl.ReasoningMinimalLowMediumHigh] = tl.openai().model("o3")  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _o3_as_minimal: tl.OpenAIBuilder[tl.ReasoningModel[Literal["minimal"]]] = tl.openai().model("o3")  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]


# -- items() only on a list[...] schema, and typed by its item --
def stream_items(llm: tl.Client) -> None:
    llm.stream("x", schema=City).items()  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
    llm.stream("x").items()  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
    llm.stream("x", schema=list[City] | None).items()  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
    llm.stream("x", schema=dict[str, City]).items()  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
    llm.astream("x", schema=City).items()  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
    _name: str = next(llm.stream("x", schema=list[City]).items())  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    for city in llm.stream("x", schema=list[City]).items():
        city.population  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]


# -- like= with a listed name --
def like_listed_openai() -> None:
    tl.openai().model("o3", like="gpt-4o")  # type: ignore[deprecated]  # pyright: ignore[reportDeprecated]


def like_listed_same() -> None:
    tl.openai().model("gpt-4o", like="gpt-4o")  # type: ignore[deprecated]  # pyright: ignore[reportDeprecated]


def like_listed_anthropic() -> None:
    tl.anthropic().model("claude-sonnet-4-5", like="claude-3-5-haiku-latest")  # type: ignore[deprecated]  # pyright: ignore[reportDeprecated]


def like_listed_gemini() -> None:
    tl.gemini().model("gemini-2.0-flash", like="gemini-2.5-flash")  # type: ignore[deprecated]  # pyright: ignore[reportDeprecated]


# -- explicit type arguments do not skip the gates --
tl.OpenAIBuilder[tl.ReasoningLowMediumHigh]().build()  # type: ignore[misc]  # pyright: ignore[reportGeneralTypeIssues]
tl.OpenAIBuilder[tl.ChatModel]().temperature(0.7)  # type: ignore[misc]  # pyright: ignore[reportGeneralTypeIssues]
tl.OpenAIBuilder[tl.ModelChosen]().build()  # type: ignore[misc]  # pyright: ignore[reportGeneralTypeIssues]
tl.GeminiBuilder[tl.ThinkingModel]().build()  # type: ignore[misc]  # pyright: ignore[reportGeneralTypeIssues]
tl.AnthropicBuilder[tl.ThinkingModel, tl.ThinkingOn]().build()  # type: ignore[misc]  # pyright: ignore[reportGeneralTypeIssues]
tl.OpenAICompatibleBuilder[tl.CompatibleModel]().build()  # type: ignore[misc]  # pyright: ignore[reportGeneralTypeIssues]

# -- transports and HTTP clients are typed --
tl.openai().transport("http://localhost")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().transport(httpx.Client())  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().http_client(httpx.AsyncClient())  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().async_http_client(httpx.Client())  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().http_client(object())  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]

# -- FakeProvider takes a list of replies --
FakeProvider("Paris")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
FakeProvider({"name": "Paris"})  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
FakeProvider(b"Paris")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


# -- a mixed list of builders builds, but nothing family-specific applies --
def mixed_lists() -> None:
    builders = [tl.openai().model("gpt-4o"), tl.openai().model("o3")]
    for b in builders:
        b.temperature(0.5)  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
    for b in builders:
        b.reasoning_effort("low")  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
    [tl.openai(), tl.openai().model("o3")][0].build()  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
