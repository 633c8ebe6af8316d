"""Accepted: OpenAI builder states and transitions (type-checked only, never executed)."""

from __future__ import annotations

from typing import Literal, TypeVar

import httpx
from typing_extensions import assert_type

import typedllm as tl
from typedllm.testing import FakeProvider

S = TypeVar("S")

# -- the start state --

start = tl.openai()
assert_type(start, tl.OpenAIBuilder[tl.NoModel])

# -- every catalogued chat model gives a chat-model builder --

assert_type(start.model("gpt-4o"), tl.OpenAIBuilder[tl.ChatModel])
assert_type(start.model("gpt-4o-2024-08-06"), tl.OpenAIBuilder[tl.ChatModel])
assert_type(start.model("gpt-4o-2024-11-20"), tl.OpenAIBuilder[tl.ChatModel])
assert_type(start.model("gpt-4o-2024-05-13"), tl.OpenAIBuilder[tl.ChatModel])
assert_type(start.model("gpt-4o-mini"), tl.OpenAIBuilder[tl.ChatModel])
assert_type(start.model("gpt-4o-mini-2024-07-18"), tl.OpenAIBuilder[tl.ChatModel])
assert_type(start.model("gpt-4.1"), tl.OpenAIBuilder[tl.ChatModel])
assert_type(start.model("gpt-4.1-2025-04-14"), tl.OpenAIBuilder[tl.ChatModel])
assert_type(start.model("gpt-4.1-mini"), tl.OpenAIBuilder[tl.ChatModel])
assert_type(start.model("gpt-4.1-mini-2025-04-14"), tl.OpenAIBuilder[tl.ChatModel])
assert_type(start.model("gpt-4.1-nano"), tl.OpenAIBuilder[tl.ChatModel])
assert_type(start.model("gpt-4.1-nano-2025-04-14"), tl.OpenAIBuilder[tl.ChatModel])
assert_type(start.model("gpt-4-turbo"), tl.OpenAIBuilder[tl.ChatModel])
assert_type(start.model("gpt-4-turbo-2024-04-09"), tl.OpenAIBuilder[tl.ChatModel])
assert_type(start.model("gpt-3.5-turbo"), tl.OpenAIBuilder[tl.ChatModel])
assert_type(start.model("gpt-3.5-turbo-0125"), tl.OpenAIBuilder[tl.ChatModel])

# -- every catalogued reasoning model gives a reasoning-model builder --

assert_type(start.model("o1"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])
assert_type(start.model("o1-2024-12-17"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])
assert_type(start.model("o3"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])
assert_type(start.model("o3-2025-04-16"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])
assert_type(start.model("o3-mini"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])
assert_type(start.model("o3-mini-2025-01-31"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])
assert_type(start.model("o4-mini"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])
assert_type(start.model("o4-mini-2025-04-16"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])
assert_type(start.model("gpt-5"), tl.OpenAIBuilder[tl.ReasoningMinimalLowMediumHigh])
assert_type(start.model("gpt-5-2025-08-07"), tl.OpenAIBuilder[tl.ReasoningMinimalLowMediumHigh])
assert_type(start.model("gpt-5-mini"), tl.OpenAIBuilder[tl.ReasoningMinimalLowMediumHigh])
assert_type(
    start.model("gpt-5-mini-2025-08-07"), tl.OpenAIBuilder[tl.ReasoningMinimalLowMediumHigh]
)
assert_type(start.model("gpt-5-nano"), tl.OpenAIBuilder[tl.ReasoningMinimalLowMediumHigh])
assert_type(
    start.model("gpt-5-nano-2025-08-07"), tl.OpenAIBuilder[tl.ReasoningMinimalLowMediumHigh]
)
assert_type(start.model("gpt-5.1"), tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHigh])
assert_type(start.model("gpt-5.1-2025-11-13"), tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHigh])
# The 2026 refresh: GPT-5.2 to 5.5 take none..xhigh, GPT-5.6 adds max.
assert_type(start.model("gpt-5.2"), tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhigh])
assert_type(start.model("gpt-5.4"), tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhigh])
assert_type(start.model("gpt-5.4-mini"), tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhigh])
assert_type(start.model("gpt-5.4-nano"), tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhigh])
assert_type(start.model("gpt-5.5"), tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhigh])
assert_type(start.model("gpt-5.6-sol"), tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhighMax])
assert_type(start.model("gpt-5.6-terra"), tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhighMax])
assert_type(start.model("gpt-5.6-luna"), tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhighMax])
assert_type(start.model("gpt-6-luna"), tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhighMax])
assert_type(start.model("gpt-6-sol"), tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhighMax])
# GPT-6.1 Sol dropped "none": low..max.
assert_type(start.model("gpt-6.1-sol"), tl.OpenAIBuilder[tl.ReasoningLowMediumHighXhighMax])
assert_type(
    start.model("gpt-6.1-sol").reasoning_effort("max"),
    tl.OpenAIBuilder[tl.ReasoningLowMediumHighXhighMax],
)
assert_type(
    start.model("gpt-6.1-sol").reasoning_effort("low"),
    tl.OpenAIBuilder[tl.ReasoningLowMediumHighXhighMax],
)

chat = start.model("gpt-4o-mini")
assert_type(chat, tl.OpenAIBuilder[tl.ChatModel])
reasoning = start.model("o3")
assert_type(reasoning, tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])

# -- family-specific options --

assert_type(chat.temperature(0.2), tl.OpenAIBuilder[tl.ChatModel])
assert_type(chat.temperature(1), tl.OpenAIBuilder[tl.ChatModel])
assert_type(chat.top_p(0.9), tl.OpenAIBuilder[tl.ChatModel])
assert_type(chat.temperature(0.2).top_p(0.9), tl.OpenAIBuilder[tl.ChatModel])
assert_type(start.model("gpt-4.1-nano").top_p(0.5), tl.OpenAIBuilder[tl.ChatModel])
assert_type(start.model("gpt-4o-2024-08-06").temperature(0), tl.OpenAIBuilder[tl.ChatModel])

assert_type(reasoning.reasoning_effort("low"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])
assert_type(reasoning.reasoning_effort("medium"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])
assert_type(reasoning.reasoning_effort("high"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])
assert_type(
    start.model("gpt-5").reasoning_effort("minimal"),
    tl.OpenAIBuilder[tl.ReasoningMinimalLowMediumHigh],
)
assert_type(
    start.model("gpt-5-2025-08-07").reasoning_effort("low"),
    tl.OpenAIBuilder[tl.ReasoningMinimalLowMediumHigh],
)
assert_type(start.model("o1").reasoning_effort("high"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])


def effort_from_a_variable(
    effort: Literal["low", "medium", "high"], gpt5_effort: Literal["minimal", "high"]
) -> None:
    assert_type(reasoning.reasoning_effort(effort), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])
    assert_type(
        start.model("gpt-5").reasoning_effort(gpt5_effort),
        tl.OpenAIBuilder[tl.ReasoningMinimalLowMediumHigh],
    )


# -- each model takes the effort levels the catalog lists for it --

assert_type(
    start.model("gpt-5-mini").reasoning_effort("minimal"),
    tl.OpenAIBuilder[tl.ReasoningMinimalLowMediumHigh],
)
assert_type(
    start.model("gpt-5.1").reasoning_effort("none"), tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHigh]
)
assert_type(
    start.model("gpt-5.1-2025-11-13").reasoning_effort("high"),
    tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHigh],
)
assert_type(
    start.model("o4-mini").reasoning_effort("medium"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh]
)
assert_type(
    start.model("gpt-5.4").reasoning_effort("xhigh"),
    tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhigh],
)
assert_type(
    start.model("gpt-5.2").reasoning_effort("none"),
    tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhigh],
)
assert_type(
    start.model("gpt-5.6-sol").reasoning_effort("max"),
    tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhighMax],
)
assert_type(
    start.model("gpt-5.6-terra").reasoning_effort("xhigh"),
    tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhighMax],
)
assert_type(
    start.model("gpt-5.9", like="gpt-5").reasoning_effort("minimal"),
    tl.OpenAIBuilder[tl.ReasoningMinimalLowMediumHigh],
)
# Every effort-set state is a ReasoningModel of its levels, and a ReasoningModel (levels
# unknown) and a ModelChosen: functions can take any of these.
_o3_any: tl.OpenAIBuilder[tl.ReasoningModel] = start.model("o3")
_o3_low: tl.OpenAIBuilder[tl.ReasoningModel[Literal["low"]]] = start.model("o3")
_gpt5_levels: tl.OpenAIBuilder[tl.ReasoningModel[Literal["minimal", "low"]]] = start.model("gpt-5")
_any_chosen: tl.OpenAIBuilder[tl.ModelChosen] = start.model("gpt-4o")


# -- like=: an unlisted name borrows the family of a listed one --

ft = start.model("ft:gpt-4o-mini:acme::x", like="gpt-4o-mini")
assert_type(ft, tl.OpenAIBuilder[tl.ChatModel])
assert_type(ft.temperature(0.1).top_p(0.5), tl.OpenAIBuilder[tl.ChatModel])
assert_type(start.model("gpt-4o-2099-01-01", like="gpt-4o"), tl.OpenAIBuilder[tl.ChatModel])
assert_type(start.model("my-deployment", like="gpt-4.1-mini"), tl.OpenAIBuilder[tl.ChatModel])
assert_type(start.model("o3-2026-01-01", like="o3"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])
assert_type(start.model("gpt-5.9", like="gpt-5.1"), tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHigh])
assert_type(
    start.model("gpt-5.9", like="gpt-5.4"), tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhigh]
)
assert_type(
    start.model("gpt-5.9", like="gpt-5.6-sol"),
    tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhighMax],
)
assert_type(start.model("x", like="o3-2025-04-16"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])
assert_type(
    start.model("o5", like="o4-mini").reasoning_effort("high"),
    tl.OpenAIBuilder[tl.ReasoningLowMediumHigh],
)


def like_from_variables(name: str, like: tl.OpenAIChatModelName) -> None:
    assert_type(start.model(name, like=like), tl.OpenAIBuilder[tl.ChatModel])
    assert_type(
        start.model(name, like="gpt-5-mini"), tl.OpenAIBuilder[tl.ReasoningMinimalLowMediumHigh]
    )


# -- names from typed variables --


def names_from_variables(
    chat_name: tl.OpenAIChatModelName,
    reasoning_name: tl.OpenAIReasoningModelName,
    any_name: tl.OpenAIModelName,
) -> None:
    assert_type(start.model(chat_name), tl.OpenAIBuilder[tl.ChatModel])
    # Any reasoning model: a union of the effort-set states; the levels they share apply.
    some_reasoning = start.model(reasoning_name)
    assert_type(
        some_reasoning,
        tl.OpenAIBuilder[tl.ReasoningLowMediumHigh]
        | tl.OpenAIBuilder[tl.ReasoningMinimalLowMediumHigh]
        | tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHigh]
        | tl.OpenAIBuilder[tl.ReasoningHigh]
        | tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhigh]
        | tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhighMax]
        | tl.OpenAIBuilder[tl.ReasoningLowMediumHighXhighMax],
    )
    assert_type(
        some_reasoning.reasoning_effort("high"),  # the one level every reasoning model takes
        tl.OpenAIBuilder[tl.ReasoningLowMediumHigh]
        | tl.OpenAIBuilder[tl.ReasoningMinimalLowMediumHigh]
        | tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHigh]
        | tl.OpenAIBuilder[tl.ReasoningHigh]
        | tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhigh]
        | tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhighMax]
        | tl.OpenAIBuilder[tl.ReasoningLowMediumHighXhighMax],
    )
    # Either family: the builder is a union; only the common options and build() apply.
    either = start.model(any_name)
    assert_type(
        either,
        tl.OpenAIBuilder[tl.ChatModel]
        | tl.OpenAIBuilder[tl.ReasoningLowMediumHigh]
        | tl.OpenAIBuilder[tl.ReasoningMinimalLowMediumHigh]
        | tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHigh]
        | tl.OpenAIBuilder[tl.ReasoningHigh]
        | tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhigh]
        | tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhighMax]
        | tl.OpenAIBuilder[tl.ReasoningLowMediumHighXhighMax],
    )
    assert_type(
        either.max_tokens(10),
        tl.OpenAIBuilder[tl.ChatModel]
        | tl.OpenAIBuilder[tl.ReasoningLowMediumHigh]
        | tl.OpenAIBuilder[tl.ReasoningMinimalLowMediumHigh]
        | tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHigh]
        | tl.OpenAIBuilder[tl.ReasoningHigh]
        | tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhigh]
        | tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHighXhighMax]
        | tl.OpenAIBuilder[tl.ReasoningLowMediumHighXhighMax],
    )
    assert_type(either.build(), tl.Client)


# -- lists of builders of both families build (mypy joins them to their common base) --


def mixed_lists() -> None:
    builders = [tl.openai().model("gpt-4o"), tl.openai().model("o3")]
    assert_type([b.build() for b in builders], list[tl.Client])
    reasoners = [tl.openai().model("o3"), tl.openai().model("gpt-5"), tl.openai().model("gpt-5.1")]
    assert_type([b.build() for b in reasoners], list[tl.Client])
    tuned = [
        tl.openai().model("gpt-4o").temperature(0),
        tl.openai().model("o3").reasoning_effort("low"),
    ]
    assert_type([b.max_tokens(10).build() for b in tuned], list[tl.Client])
    gemini = [tl.gemini().model("gemini-2.5-flash"), tl.gemini().model("gemini-2.0-flash")]
    assert_type([b.build() for b in gemini], list[tl.Client])
    claude = [
        tl.anthropic().model("claude-sonnet-4-5").thinking(budget_tokens=2048),
        tl.anthropic().model("claude-3-5-haiku-latest").temperature(0),
    ]
    assert_type([b.build() for b in claude], list[tl.Client])


# -- common options keep the state, in every state --


def common_options_keep_any_state(b: tl.OpenAIBuilder[S]) -> None:
    assert_type(b.api_key("sk-test"), tl.OpenAIBuilder[S])
    assert_type(b.base_url("https://proxy.example/v1"), tl.OpenAIBuilder[S])
    assert_type(b.timeout(30), tl.OpenAIBuilder[S])
    assert_type(b.timeout(2.5), tl.OpenAIBuilder[S])
    assert_type(b.max_retries(3), tl.OpenAIBuilder[S])
    assert_type(b.max_reasks(0), tl.OpenAIBuilder[S])
    assert_type(b.max_tokens(256), tl.OpenAIBuilder[S])
    assert_type(b.system("Be brief."), tl.OpenAIBuilder[S])
    assert_type(b.seed(7), tl.OpenAIBuilder[S])
    assert_type(b.header("x-team", "search"), tl.OpenAIBuilder[S])
    assert_type(b.transport(FakeProvider()), tl.OpenAIBuilder[S])
    assert_type(
        b.transport(httpx.MockTransport(lambda r: httpx.Response(200))), tl.OpenAIBuilder[S]
    )
    assert_type(b.http_client(httpx.Client()), tl.OpenAIBuilder[S])
    assert_type(b.async_http_client(httpx.AsyncClient()), tl.OpenAIBuilder[S])
    assert_type(b.structured_output("strict"), tl.OpenAIBuilder[S])
    assert_type(b.structured_output("json_schema"), tl.OpenAIBuilder[S])
    assert_type(b.structured_output("json_object"), tl.OpenAIBuilder[S])
    assert_type(b.structured_output("prompt"), tl.OpenAIBuilder[S])


def common_options_in_concrete_states() -> None:
    # No model yet.
    assert_type(start.api_key("k"), tl.OpenAIBuilder[tl.NoModel])
    assert_type(start.base_url("https://proxy.example/v1"), tl.OpenAIBuilder[tl.NoModel])
    assert_type(start.timeout(3).max_retries(1).max_reasks(2), tl.OpenAIBuilder[tl.NoModel])
    assert_type(start.max_tokens(100).system("s").seed(1), tl.OpenAIBuilder[tl.NoModel])
    assert_type(start.header("a", "b").transport(FakeProvider()), tl.OpenAIBuilder[tl.NoModel])
    assert_type(start.structured_output("json_object"), tl.OpenAIBuilder[tl.NoModel])
    # Chat model.
    assert_type(chat.api_key("k").base_url("https://x/v1"), tl.OpenAIBuilder[tl.ChatModel])
    assert_type(chat.timeout(3).max_retries(1).max_reasks(2), tl.OpenAIBuilder[tl.ChatModel])
    assert_type(chat.max_tokens(100).system("s").seed(1), tl.OpenAIBuilder[tl.ChatModel])
    assert_type(chat.header("a", "b").transport(FakeProvider()), tl.OpenAIBuilder[tl.ChatModel])
    assert_type(chat.structured_output("prompt"), tl.OpenAIBuilder[tl.ChatModel])
    # Reasoning model.
    assert_type(
        reasoning.api_key("k").base_url("https://x/v1"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh]
    )
    assert_type(
        reasoning.timeout(3).max_retries(1).max_reasks(2),
        tl.OpenAIBuilder[tl.ReasoningLowMediumHigh],
    )
    assert_type(
        reasoning.max_tokens(100).system("s").seed(1), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh]
    )
    assert_type(
        reasoning.header("a", "b").transport(FakeProvider()),
        tl.OpenAIBuilder[tl.ReasoningLowMediumHigh],
    )
    assert_type(reasoning.structured_output("strict"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])


# -- any order: options before the model survive it; options interleave --

assert_type(
    tl.openai().api_key("k").base_url("https://proxy.example/v1").timeout(5).model("gpt-4o"),
    tl.OpenAIBuilder[tl.ChatModel],
)
assert_type(
    tl.openai().structured_output("prompt").system("s").model("o4-mini"),
    tl.OpenAIBuilder[tl.ReasoningLowMediumHigh],
)
assert_type(
    tl.openai().model("gpt-4.1").max_tokens(10).temperature(0).seed(1).top_p(1).header("a", "b"),
    tl.OpenAIBuilder[tl.ChatModel],
)
assert_type(
    tl.openai().model("gpt-5").timeout(9).reasoning_effort("low").max_reasks(0).api_key("k"),
    tl.OpenAIBuilder[tl.ReasoningMinimalLowMediumHigh],
)

# Choosing a model again switches the family (the family-specific options are reset).
assert_type(chat.temperature(0.5).model("o3"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])
assert_type(reasoning.reasoning_effort("high").model("gpt-4o"), tl.OpenAIBuilder[tl.ChatModel])

# -- builders are values: one base branches into several states --

base = tl.openai().api_key("k").transport(FakeProvider()).timeout(30)
assert_type(base, tl.OpenAIBuilder[tl.NoModel])
fast = base.model("gpt-4o-mini").temperature(0)
smart = base.model("o3").reasoning_effort("high")
tuned = base.model("ft:gpt-4o:acme::y", like="gpt-4o").top_p(0.9)
assert_type(fast, tl.OpenAIBuilder[tl.ChatModel])
assert_type(smart, tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])
assert_type(tuned, tl.OpenAIBuilder[tl.ChatModel])
assert_type(base, tl.OpenAIBuilder[tl.NoModel])


# -- build() gives a Client in every model state (never called: it needs a key) --


def built() -> None:
    assert_type(chat.build(), tl.Client)
    assert_type(reasoning.build(), tl.Client)
    assert_type(chat.temperature(0).top_p(0.5).build(), tl.Client)
    assert_type(reasoning.reasoning_effort("low").build(), tl.Client)
    assert_type(ft.build(), tl.Client)
    assert_type(tl.openai().model("o3-2026-01-01", like="o3").build(), tl.Client)
    assert_type(base.model("gpt-4o").build(), tl.Client)
    assert_type(base.model("gpt-5-nano").max_tokens(5).build(), tl.Client)
    assert_type(fast.build(), tl.Client)
    assert_type(smart.build(), tl.Client)
    assert_type(
        tl.openai().model("gpt-4o").api_key("k").structured_output("prompt").build(), tl.Client
    )
