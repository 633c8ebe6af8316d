"""Accepted: Cohere builder states (reasoning models take thinking; every model samples)."""

from __future__ import annotations

from typing_extensions import assert_type

import typedllm as tl

c = tl.cohere()
assert_type(c, tl.CohereBuilder[tl.NoModel])
assert_type(c.model("command-a-03-2025"), tl.CohereBuilder[tl.StandardModel])
assert_type(c.model("command-r7b-12-2024"), tl.CohereBuilder[tl.StandardModel])
assert_type(c.model("command-a-vision-07-2025"), tl.CohereBuilder[tl.StandardModel])
assert_type(c.model("command-a-reasoning-08-2025"), tl.CohereBuilder[tl.ThinkingModel])
assert_type(c.model("my-finetune", like="command-r-08-2024"), tl.CohereBuilder[tl.StandardModel])
assert_type(
    c.model("command-a-reasoning-next", like="command-a-reasoning-08-2025"),
    tl.CohereBuilder[tl.ThinkingModel],
)

reasoning = c.model("command-a-reasoning-08-2025")
assert_type(reasoning.thinking(), tl.CohereBuilder[tl.ThinkingModel])
assert_type(reasoning.thinking(budget_tokens=4096), tl.CohereBuilder[tl.ThinkingModel])
assert_type(reasoning.no_thinking().temperature(0.3), tl.CohereBuilder[tl.ThinkingModel])
sampled = c.model("command-a-03-2025").temperature(0.2).top_p(0.9).top_k(40).seed(1)
assert_type(sampled, tl.CohereBuilder[tl.StandardModel])
assert_type(
    c.api_key("k").base_url("https://proxy.example").model("command-r-plus-08-2024"),
    tl.CohereBuilder[tl.StandardModel],
)

name: tl.CohereModelName = "command-a-03-2025"
thinking_name: tl.CohereThinkingModelName = "command-a-reasoning-08-2025"
standard_name: tl.CohereStandardModelName = "command-r-08-2024"


def built() -> None:
    assert_type(sampled.build(), tl.Client)
    assert_type(reasoning.thinking(budget_tokens=2048).max_tokens(8000).build(), tl.Client)
    assert_type(c.model(name).build(), tl.Client)
