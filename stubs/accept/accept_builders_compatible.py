"""Accepted: OpenAI-compatible builder."""

from __future__ import annotations

from typing_extensions import assert_type

import typedllm as tl

start = tl.openai_compatible(base_url="http://127.0.0.1:8000/v1")
assert_type(start, tl.OpenAICompatibleBuilder[tl.NoModel])
assert_type(
    tl.openai_compatible("http://x/v1", api_key_env="GROQ_API_KEY"),
    tl.OpenAICompatibleBuilder[tl.NoModel],
)

chosen = start.model("Qwen/Qwen2.5-7B-Instruct")
assert_type(chosen, tl.OpenAICompatibleBuilder[tl.CompatibleModel])
assert_type(chosen.temperature(0.3).top_p(0.9), tl.OpenAICompatibleBuilder[tl.CompatibleModel])
assert_type(chosen.reasoning_effort("high"), tl.OpenAICompatibleBuilder[tl.CompatibleModel])
assert_type(
    chosen.structured_output("json_object").max_tokens(10).system("s"),
    tl.OpenAICompatibleBuilder[tl.CompatibleModel],
)
assert_type(start.api_key("k").model("any"), tl.OpenAICompatibleBuilder[tl.CompatibleModel])


def built() -> None:
    assert_type(chosen.build(), tl.Client)
