"""Accepted: Anthropic and Gemini builder states (extended thinking vs sampling)."""

from __future__ import annotations

from typing_extensions import assert_type

import typedllm as tl

a = tl.anthropic()
assert_type(a, tl.AnthropicBuilder[tl.NoModel, tl.Neutral])
assert_type(a.model("claude-sonnet-4-5"), tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral])
assert_type(a.model("claude-3-7-sonnet-latest"), tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral])
assert_type(a.model("claude-opus-4-1"), tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral])
assert_type(a.model("claude-haiku-4-5"), tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral])
assert_type(a.model("claude-sonnet-4-20250514"), tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral])
assert_type(a.model("claude-3-5-haiku-latest"), tl.AnthropicBuilder[tl.StandardModel, tl.Neutral])
# The 2026 refresh: the Claude 4.6, 5 and 5.5 lines and Fable 5.1 think (adaptive thinking).
assert_type(a.model("claude-opus-5-5"), tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral])
assert_type(a.model("claude-sonnet-5-5"), tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral])
assert_type(a.model("claude-haiku-5-5"), tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral])
assert_type(a.model("claude-fable-5-1"), tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral])
assert_type(a.model("claude-opus-5"), tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral])
assert_type(a.model("claude-sonnet-5"), tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral])
assert_type(a.model("claude-opus-4-6"), tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral])
assert_type(a.model("claude-sonnet-4-6"), tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral])
assert_type(
    a.model("claude-next", like="claude-sonnet-4-5"),
    tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral],
)

thinking = a.model("claude-sonnet-4-5").thinking(budget_tokens=2048).max_tokens(4096)
assert_type(thinking, tl.AnthropicBuilder[tl.ThinkingModel, tl.ThinkingOn])
assert_type(
    thinking.thinking(budget_tokens=4096), tl.AnthropicBuilder[tl.ThinkingModel, tl.ThinkingOn]
)
sampled = a.model("claude-sonnet-4-5").temperature(0.2).top_p(0.9).top_k(10)
assert_type(sampled, tl.AnthropicBuilder[tl.ThinkingModel, tl.TemperatureSet])
assert_type(
    a.model("claude-3-5-haiku-latest").temperature(0),
    tl.AnthropicBuilder[tl.StandardModel, tl.TemperatureSet],
)
assert_type(
    a.api_key("k").anthropic_version("2023-06-01").beta("x").model("claude-haiku-4-5"),
    tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral],
)

g = tl.gemini()
assert_type(g, tl.GeminiBuilder[tl.NoModel])
assert_type(g.model("gemini-2.5-flash"), tl.GeminiBuilder[tl.ThinkingModel])
assert_type(g.model("gemini-3.8-flash"), tl.GeminiBuilder[tl.ThinkingModel])
assert_type(g.model("gemini-3.1-pro-preview"), tl.GeminiBuilder[tl.ThinkingModel])
assert_type(g.model("gemini-3.5-flash-lite"), tl.GeminiBuilder[tl.ThinkingModel])
assert_type(
    g.model("gemini-2.5-pro").thinking(budget_tokens=1024), tl.GeminiBuilder[tl.ThinkingModel]
)
assert_type(
    g.model("gemini-2.5-flash").thinking(budget_tokens=0).temperature(0.3),
    tl.GeminiBuilder[tl.ThinkingModel],
)
assert_type(
    g.model("gemini-2.0-flash").temperature(0.3).top_p(0.5), tl.GeminiBuilder[tl.StandardModel]
)
assert_type(g.model("gemini-exp", like="gemini-2.0-flash"), tl.GeminiBuilder[tl.StandardModel])
assert_type(g.vertex(project="p").model("gemini-2.5-pro"), tl.GeminiBuilder[tl.ThinkingModel])


def built() -> None:
    assert_type(thinking.build(), tl.Client)
    assert_type(sampled.build(), tl.Client)
    assert_type(a.model("claude-3-5-haiku-latest").build(), tl.Client)
    assert_type(g.model("gemini-2.5-flash").thinking(budget_tokens=512).build(), tl.Client)
    assert_type(g.model("gemini-2.0-flash").build(), tl.Client)
