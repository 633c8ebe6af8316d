"""Accepted: the Ollama native builder (type-checked only, never executed)."""

from __future__ import annotations

from typing import TypeVar

from typing_extensions import assert_type

import typedllm as tl
from typedllm.testing import FakeProvider

S = TypeVar("S")

start = tl.ollama()
assert_type(start, tl.OllamaBuilder[tl.NoModel])

# -- any model name --

chosen = start.model("llama3.2")
assert_type(chosen, tl.OllamaBuilder[tl.CompatibleModel])
assert_type(start.model("qwen3:8b"), tl.OllamaBuilder[tl.CompatibleModel])
assert_type(start.model("hf.co/org/model-GGUF:Q4_K_M"), tl.OllamaBuilder[tl.CompatibleModel])


def name_from_a_variable(name: str) -> None:
    assert_type(start.model(name), tl.OllamaBuilder[tl.CompatibleModel])


# -- sampling and thinking once a model is chosen --

assert_type(chosen.temperature(0.3), tl.OllamaBuilder[tl.CompatibleModel])
assert_type(chosen.temperature(1), tl.OllamaBuilder[tl.CompatibleModel])
assert_type(chosen.top_p(0.9), tl.OllamaBuilder[tl.CompatibleModel])
assert_type(chosen.top_k(40), tl.OllamaBuilder[tl.CompatibleModel])
assert_type(chosen.think(True), tl.OllamaBuilder[tl.CompatibleModel])
assert_type(chosen.think(False), tl.OllamaBuilder[tl.CompatibleModel])
assert_type(chosen.think("low"), tl.OllamaBuilder[tl.CompatibleModel])
assert_type(chosen.think("medium"), tl.OllamaBuilder[tl.CompatibleModel])
assert_type(chosen.think("high"), tl.OllamaBuilder[tl.CompatibleModel])
assert_type(
    chosen.temperature(0).think(True).top_k(1).top_p(0.5),
    tl.OllamaBuilder[tl.CompatibleModel],
)

# -- server options keep the state, in any order --


def options_keep_any_state(b: tl.OllamaBuilder[S]) -> None:
    assert_type(b.num_ctx(8192), tl.OllamaBuilder[S])
    assert_type(b.keep_alive("5m"), tl.OllamaBuilder[S])
    assert_type(b.keep_alive(300), tl.OllamaBuilder[S])
    assert_type(b.keep_alive(-1), tl.OllamaBuilder[S])
    assert_type(b.keep_alive(2.5), tl.OllamaBuilder[S])
    assert_type(b.options(repeat_penalty=1.1, num_gpu=1, mirostat=2), tl.OllamaBuilder[S])
    assert_type(b.options(penalize_newline=True, stop_words=["a"]), tl.OllamaBuilder[S])
    assert_type(b.structured_output("format"), tl.OllamaBuilder[S])
    assert_type(b.structured_output("json"), tl.OllamaBuilder[S])
    assert_type(b.structured_output("prompt"), tl.OllamaBuilder[S])
    assert_type(b.base_url("http://gpu-box:11434"), tl.OllamaBuilder[S])
    assert_type(b.base_url("gpu-box"), tl.OllamaBuilder[S])
    assert_type(b.api_key("k"), tl.OllamaBuilder[S])
    assert_type(b.timeout(30), tl.OllamaBuilder[S])
    assert_type(b.max_retries(0), tl.OllamaBuilder[S])
    assert_type(b.max_tokens(64), tl.OllamaBuilder[S])
    assert_type(b.seed(1), tl.OllamaBuilder[S])
    assert_type(b.stop("###"), tl.OllamaBuilder[S])
    assert_type(b.system("s"), tl.OllamaBuilder[S])
    assert_type(b.transport(FakeProvider()), tl.OllamaBuilder[S])


assert_type(start.num_ctx(4096).keep_alive("1h"), tl.OllamaBuilder[tl.NoModel])
assert_type(start.num_ctx(4096).model("m"), tl.OllamaBuilder[tl.CompatibleModel])
assert_type(chosen.model("another"), tl.OllamaBuilder[tl.CompatibleModel])

# -- builders are values --

base = start.num_ctx(8192).keep_alive("10m")
small = base.model("qwen2.5:0.5b").temperature(0)
thinker = base.model("gpt-oss:20b").think("high")
assert_type(base, tl.OllamaBuilder[tl.NoModel])
assert_type(small, tl.OllamaBuilder[tl.CompatibleModel])
assert_type(thinker, tl.OllamaBuilder[tl.CompatibleModel])


def built() -> None:
    assert_type(chosen.build(), tl.Client)
    assert_type(small.build(), tl.Client)
    assert_type(thinker.structured_output("json").build(), tl.Client)
