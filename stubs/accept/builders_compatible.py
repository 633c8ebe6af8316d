"""Accepted: the OpenAI-compatible builder (type-checked only, never executed)."""

from __future__ import annotations

from typing import TypeVar

from typing_extensions import assert_type

import typedllm as tl
from typedllm.testing import FakeProvider

S = TypeVar("S")

start = tl.openai_compatible(base_url="http://127.0.0.1:8000/v1")
assert_type(start, tl.OpenAICompatibleBuilder[tl.NoModel])
assert_type(tl.openai_compatible("http://x/v1"), tl.OpenAICompatibleBuilder[tl.NoModel])
assert_type(
    tl.openai_compatible("https://api.groq.com/openai/v1", api_key_env="GROQ_API_KEY"),
    tl.OpenAICompatibleBuilder[tl.NoModel],
)

# -- any model name --

chosen = start.model("Qwen/Qwen2.5-7B-Instruct")
assert_type(chosen, tl.OpenAICompatibleBuilder[tl.CompatibleModel])
assert_type(start.model("llama3.1:8b"), tl.OpenAICompatibleBuilder[tl.CompatibleModel])
assert_type(start.model("gpt-4o-minii"), tl.OpenAICompatibleBuilder[tl.CompatibleModel])
assert_type(start.model("claude-sonnet-4-5"), tl.OpenAICompatibleBuilder[tl.CompatibleModel])


def name_from_a_variable(name: str) -> None:
    assert_type(start.model(name), tl.OpenAICompatibleBuilder[tl.CompatibleModel])


# -- capabilities unknown: both sampling and reasoning options are allowed --

assert_type(chosen.temperature(0.3), tl.OpenAICompatibleBuilder[tl.CompatibleModel])
assert_type(chosen.top_p(0.9), tl.OpenAICompatibleBuilder[tl.CompatibleModel])
assert_type(chosen.reasoning_effort("minimal"), tl.OpenAICompatibleBuilder[tl.CompatibleModel])
assert_type(chosen.reasoning_effort("low"), tl.OpenAICompatibleBuilder[tl.CompatibleModel])
assert_type(chosen.reasoning_effort("medium"), tl.OpenAICompatibleBuilder[tl.CompatibleModel])
assert_type(chosen.reasoning_effort("high"), tl.OpenAICompatibleBuilder[tl.CompatibleModel])
assert_type(
    chosen.temperature(0.3).reasoning_effort("high").top_p(0.9),
    tl.OpenAICompatibleBuilder[tl.CompatibleModel],
)

# -- common options keep the state, in any order --


def common_options_keep_any_state(b: tl.OpenAICompatibleBuilder[S]) -> None:
    assert_type(b.api_key("k"), tl.OpenAICompatibleBuilder[S])
    assert_type(b.base_url("http://10.0.0.2:8000/v1"), tl.OpenAICompatibleBuilder[S])
    assert_type(b.timeout(30), tl.OpenAICompatibleBuilder[S])
    assert_type(b.max_retries(0), tl.OpenAICompatibleBuilder[S])
    assert_type(b.max_reasks(3), tl.OpenAICompatibleBuilder[S])
    assert_type(b.max_tokens(64), tl.OpenAICompatibleBuilder[S])
    assert_type(b.system("s"), tl.OpenAICompatibleBuilder[S])
    assert_type(b.seed(1), tl.OpenAICompatibleBuilder[S])
    assert_type(b.header("a", "b"), tl.OpenAICompatibleBuilder[S])
    assert_type(b.transport(FakeProvider()), tl.OpenAICompatibleBuilder[S])
    assert_type(b.structured_output("strict"), tl.OpenAICompatibleBuilder[S])
    assert_type(b.structured_output("json_schema"), tl.OpenAICompatibleBuilder[S])
    assert_type(b.structured_output("json_object"), tl.OpenAICompatibleBuilder[S])
    assert_type(b.structured_output("prompt"), tl.OpenAICompatibleBuilder[S])


assert_type(start.api_key("k").timeout(5).max_retries(1), tl.OpenAICompatibleBuilder[tl.NoModel])
assert_type(start.structured_output("json_object"), tl.OpenAICompatibleBuilder[tl.NoModel])
assert_type(start.api_key("k").model("any"), tl.OpenAICompatibleBuilder[tl.CompatibleModel])
assert_type(
    start.system("s").max_tokens(10).model("m").seed(3).header("a", "b").temperature(0),
    tl.OpenAICompatibleBuilder[tl.CompatibleModel],
)
assert_type(
    chosen.structured_output("prompt").max_reasks(0).transport(FakeProvider()),
    tl.OpenAICompatibleBuilder[tl.CompatibleModel],
)
assert_type(chosen.model("another"), tl.OpenAICompatibleBuilder[tl.CompatibleModel])

# -- builders are values --

base = start.api_key("k").timeout(10)
small = base.model("qwen2.5:0.5b").temperature(0)
thinker = base.model("deepseek-r1").reasoning_effort("high")
assert_type(small, tl.OpenAICompatibleBuilder[tl.CompatibleModel])
assert_type(thinker, tl.OpenAICompatibleBuilder[tl.CompatibleModel])
assert_type(base, tl.OpenAICompatibleBuilder[tl.NoModel])


def built() -> None:
    assert_type(chosen.build(), tl.Client)
    assert_type(small.build(), tl.Client)
    assert_type(thinker.structured_output("json_object").build(), tl.Client)
    assert_type(start.model("m").temperature(1).reasoning_effort("low").build(), tl.Client)
