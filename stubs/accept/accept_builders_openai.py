"""Accepted: OpenAI builder states and transitions."""

from __future__ import annotations

from typing_extensions import assert_type

import typedllm as tl
from typedllm.testing import FakeProvider

start = tl.openai()
assert_type(start, tl.OpenAIBuilder[tl.NoModel])
assert_type(start.api_key("k").timeout(3).max_retries(1), tl.OpenAIBuilder[tl.NoModel])

chat = start.model("gpt-4o-mini")
assert_type(chat, tl.OpenAIBuilder[tl.ChatModel])
for name_chat in [
    start.model("gpt-4o"),
    start.model("gpt-4.1"),
    start.model("gpt-4.1-mini"),
    start.model("gpt-4.1-nano"),
    start.model("gpt-4o-2024-08-06"),
]:
    assert_type(name_chat, tl.OpenAIBuilder[tl.ChatModel])

reasoning = start.model("o3")
assert_type(reasoning, tl.OpenAIBuilder[tl.ReasoningModel])
for name_reasoning in [
    start.model("o1"),
    start.model("o3-mini"),
    start.model("o4-mini"),
    start.model("gpt-5"),
    start.model("gpt-5-mini"),
    start.model("gpt-5-nano"),
    start.model("gpt-5.1"),
    start.model("o3-2025-04-16"),
    start.model("gpt-5-2025-08-07"),
]:
    assert_type(name_reasoning, tl.OpenAIBuilder[tl.ReasoningModel])

# Sampling options on chat models, in any order with the common options.
assert_type(chat.temperature(0.2).top_p(0.9), tl.OpenAIBuilder[tl.ChatModel])
assert_type(chat.max_tokens(100).temperature(0).seed(1), tl.OpenAIBuilder[tl.ChatModel])
assert_type(
    chat.system("be brief").header("x-a", "b").structured_output("json_schema"),
    tl.OpenAIBuilder[tl.ChatModel],
)

# Reasoning effort on reasoning models.
for effort in [
    reasoning.reasoning_effort("minimal"),
    reasoning.reasoning_effort("low"),
    reasoning.reasoning_effort("medium"),
    reasoning.reasoning_effort("high"),
]:
    assert_type(effort, tl.OpenAIBuilder[tl.ReasoningModel])

# like= borrows the family of a listed model.
assert_type(
    start.model("ft:gpt-4o-mini:acme::x", like="gpt-4o-mini"), tl.OpenAIBuilder[tl.ChatModel]
)
assert_type(start.model("o3-2026-01-01", like="o3"), tl.OpenAIBuilder[tl.ReasoningModel])
assert_type(
    start.model("ft:gpt-4o-mini:acme::x", like="gpt-4o-mini").temperature(0.1),
    tl.OpenAIBuilder[tl.ChatModel],
)

# Options set before the model survive the model choice.
assert_type(
    tl.openai().api_key("k").base_url("https://proxy.example/v1").model("gpt-4o"),
    tl.OpenAIBuilder[tl.ChatModel],
)

# Builders are values: one base branches into several states.
base = tl.openai().api_key("k").transport(FakeProvider())
assert_type(base.model("gpt-4o").temperature(1), tl.OpenAIBuilder[tl.ChatModel])
assert_type(base.model("o4-mini").reasoning_effort("high"), tl.OpenAIBuilder[tl.ReasoningModel])
assert_type(base, tl.OpenAIBuilder[tl.NoModel])


def built() -> None:
    assert_type(chat.build(), tl.Client)
    assert_type(reasoning.reasoning_effort("low").build(), tl.Client)
    assert_type(tl.openai().model("o3", like="o3").build(), tl.Client)
