"""Accepted: the OpenAI Responses API on the builder (type-checked only, never executed)."""

from __future__ import annotations

import pydantic
from typing_extensions import assert_type

import typedllm as tl


class City(pydantic.BaseModel):
    name: str


# -- .api() keeps the type state --

assert_type(tl.openai().api("responses"), tl.OpenAIBuilder[tl.NoModel])
assert_type(tl.openai().model("gpt-4o").api("responses"), tl.OpenAIBuilder[tl.ChatModel])
assert_type(tl.openai().model("gpt-4o").api("chat"), tl.OpenAIBuilder[tl.ChatModel])
assert_type(
    tl.openai().api("responses").model("gpt-4.1").temperature(0.2),
    tl.OpenAIBuilder[tl.ChatModel],
)
assert_type(
    tl.openai().model("o3").api("responses").reasoning_effort("high"),
    tl.OpenAIBuilder[tl.ReasoningLowMediumHigh],
)

# -- the Responses-only models are typed names --

assert_type(tl.openai().model("gpt-5-pro"), tl.OpenAIBuilder[tl.ReasoningHigh])
assert_type(tl.openai().model("gpt-5-pro-2025-10-06"), tl.OpenAIBuilder[tl.ReasoningHigh])
assert_type(
    tl.openai().model("gpt-5-pro").reasoning_effort("high"), tl.OpenAIBuilder[tl.ReasoningHigh]
)
assert_type(tl.openai().model("o3-pro"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])
assert_type(tl.openai().model("o1-pro"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])
assert_type(tl.openai().model("gpt-5-codex"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])
assert_type(tl.openai().model("my-pro", like="gpt-5-pro"), tl.OpenAIBuilder[tl.ReasoningHigh])

# -- reasoning summaries on every reasoning state; store on any --

assert_type(
    tl.openai().model("o3").reasoning_summary("auto"), tl.OpenAIBuilder[tl.ReasoningLowMediumHigh]
)
assert_type(
    tl.openai().model("gpt-5").reasoning_summary("concise").reasoning_effort("minimal"),
    tl.OpenAIBuilder[tl.ReasoningMinimalLowMediumHigh],
)
assert_type(
    tl.openai().model("gpt-5.1").reasoning_summary("detailed"),
    tl.OpenAIBuilder[tl.ReasoningNoneLowMediumHigh],
)
assert_type(
    tl.openai().model("gpt-5-pro").reasoning_summary("auto").store(False),
    tl.OpenAIBuilder[tl.ReasoningHigh],
)
assert_type(tl.openai().store(True), tl.OpenAIBuilder[tl.NoModel])
assert_type(tl.openai().model("gpt-5-pro").build(), tl.Client)
assert_type(tl.openai().model("gpt-4o").api("responses").store(True).build(), tl.Client)

# -- previous_response_id per call --

llm = tl.openai().model("gpt-5-pro").build()
first = llm.completion("Plan a trip", schema=City)
assert_type(first, tl.Completion[City])
assert_type(first.response_id, str | None)
options = tl.CallOptions(previous_response_id=first.response_id)
assert_type(options.previous_response_id, str | None)
assert_type(llm.complete("And back?", schema=City, options=options), City)
