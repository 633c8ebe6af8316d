"""Accepted: the OpenAI-compatible host presets (type-checked only, never executed)."""

from __future__ import annotations

from typing import TypeVar

from typing_extensions import assert_type

import typedllm as tl
from typedllm.hosts import HostPreset
from typedllm.testing import FakeProvider

S = TypeVar("S")

# -- every entry starts in NoModel --

assert_type(tl.groq(), tl.HostBuilder[tl.NoModel])
assert_type(tl.mistral(), tl.HostBuilder[tl.NoModel])
assert_type(tl.deepseek(), tl.DeepSeekBuilder[tl.NoModel])
assert_type(tl.openrouter(), tl.OpenRouterBuilder[tl.NoModel])
assert_type(
    tl.openrouter(app_url="https://a.example", app_name="A"), tl.OpenRouterBuilder[tl.NoModel]
)
assert_type(tl.together(), tl.HostBuilder[tl.NoModel])
assert_type(tl.fireworks(), tl.HostBuilder[tl.NoModel])
assert_type(tl.xai(), tl.HostBuilder[tl.NoModel])
assert_type(tl.cerebras(), tl.HostBuilder[tl.NoModel])
assert_type(tl.perplexity(), tl.HostBuilder[tl.NoModel])
assert_type(tl.huggingface(), tl.HostBuilder[tl.NoModel])
assert_type(tl.gemini_openai(), tl.HostBuilder[tl.NoModel])
assert_type(tl.vllm(), tl.HostBuilder[tl.NoModel])
assert_type(tl.vllm("http://10.0.0.2:8000/v1", api_key_env="K"), tl.HostBuilder[tl.NoModel])
assert_type(tl.sglang(), tl.HostBuilder[tl.NoModel])
assert_type(tl.llamacpp(base_url="http://127.0.0.1:8081/v1"), tl.HostBuilder[tl.NoModel])
assert_type(tl.llama_cpp_python(), tl.HostBuilder[tl.NoModel])
assert_type(tl.lmstudio(), tl.HostBuilder[tl.NoModel])
assert_type(tl.litellm(), tl.HostBuilder[tl.NoModel])
assert_type(tl.dashscope(), tl.HostBuilder[tl.NoModel])
assert_type(tl.dashscope("intl"), tl.HostBuilder[tl.NoModel])
assert_type(tl.zhipu(), tl.HostBuilder[tl.NoModel])
assert_type(tl.zai(), tl.HostBuilder[tl.NoModel])
assert_type(tl.moonshot("global"), tl.HostBuilder[tl.NoModel])
assert_type(tl.hunyuan(), tl.HostBuilder[tl.NoModel])
assert_type(tl.ark(), tl.HostBuilder[tl.NoModel])
assert_type(tl.longcat(), tl.HostBuilder[tl.NoModel])
assert_type(tl.groq().preset, HostPreset)

# -- any model name; sampling and reasoning options on a model chosen by name --

chosen = tl.groq().model("llama-3.3-70b-versatile")
assert_type(chosen, tl.HostBuilder[tl.CompatibleModel])
assert_type(chosen.temperature(0), tl.HostBuilder[tl.CompatibleModel])
assert_type(chosen.top_p(0.9).top_k(40), tl.HostBuilder[tl.CompatibleModel])
assert_type(chosen.reasoning_effort("low"), tl.HostBuilder[tl.CompatibleModel])
assert_type(tl.vllm().model("Qwen/Qwen3-8B").thinking(False), tl.HostBuilder[tl.CompatibleModel])
assert_type(tl.zai().thinking(True), tl.HostBuilder[tl.NoModel])
assert_type(chosen.structured_output("json_object_schema"), tl.HostBuilder[tl.CompatibleModel])
assert_type(
    chosen.structured_output("prompt").thinking(True).temperature(0),
    tl.HostBuilder[tl.CompatibleModel],
)
assert_type(
    tl.openrouter().structured_output("strict").provider_routing(zdr=True),
    tl.OpenRouterBuilder[tl.NoModel],
)

# -- DeepSeek: the reasoner is typed --

reasoner = tl.deepseek().model("deepseek-reasoner")
assert_type(reasoner, tl.DeepSeekBuilder[tl.ReasoningModel])
assert_type(reasoner.max_tokens(1024).api_key("k"), tl.DeepSeekBuilder[tl.ReasoningModel])
chat = tl.deepseek().model("deepseek-chat")
assert_type(chat, tl.DeepSeekBuilder[tl.CompatibleModel])
assert_type(chat.temperature(0.3), tl.DeepSeekBuilder[tl.CompatibleModel])

# -- OpenRouter: routing keeps the state --

routed = tl.openrouter(app_name="A").provider_routing(order=["groq"], allow_fallbacks=False)
assert_type(routed, tl.OpenRouterBuilder[tl.NoModel])
on_model = routed.model("openai/gpt-4o-mini").temperature(0)
assert_type(on_model, tl.OpenRouterBuilder[tl.CompatibleModel])
assert_type(
    on_model.provider_routing(sort="throughput", data_collection="deny"),
    tl.OpenRouterBuilder[tl.CompatibleModel],
)

# -- common options keep any state --


def common_options_keep_any_state(b: tl.HostBuilder[S]) -> None:
    assert_type(b.api_key("k"), tl.HostBuilder[S])
    assert_type(b.base_url("http://10.0.0.2:8000/v1"), tl.HostBuilder[S])
    assert_type(b.timeout(30).max_retries(0), tl.HostBuilder[S])
    assert_type(b.max_tokens(64).seed(1).system("s"), tl.HostBuilder[S])
    assert_type(b.transport(FakeProvider()), tl.HostBuilder[S])
    assert_type(b.retry_policy(tl.RetryPolicy(max_attempts=1)), tl.HostBuilder[S])


def built() -> None:
    assert_type(chosen.build(), tl.Client)
    assert_type(reasoner.build(), tl.Client)
    assert_type(chat.temperature(0).build(), tl.Client)
    assert_type(on_model.build(), tl.Client)
    assert_type(tl.llama_cpp_python().model("m").build(), tl.Client)
