"""Model-family profiles: capabilities of unlisted models from their names, on any host."""

from __future__ import annotations

import pytest

import typedllm as tl
from typedllm._catalog._families import (
    ALL_EFFORTS,
    FAMILY_PROFILES,
    base_name,
    model_info_for,
    profile_for,
)


@pytest.mark.parametrize(
    ("name", "base"),
    [
        ("accounts/fireworks/models/DeepSeek-R1", "deepseek-r1"),
        ("meta-llama/Llama-3.3-70B-Instruct-Turbo", "llama-3.3-70b-instruct-turbo"),
        ("qwen3:8b", "qwen3"),
        ("google/gemini-2.0-flash-exp:free", "gemini-2.0-flash-exp"),
        ("gpt-oss-120b", "gpt-oss-120b"),
    ],
)
def test_base_name_drops_vendor_prefixes_and_tags(name: str, base: str) -> None:
    assert base_name(name) == base


@pytest.mark.parametrize(
    ("name", "family", "reasoning", "temperature", "text"),
    [
        ("deepseek-reasoner", "deepseek-reasoner", True, False, "reasoning_content"),
        ("deepseek-chat", "deepseek", False, True, "none"),
        ("deepseek-ai/DeepSeek-R1", "deepseek-r1", True, True, "think_tags"),
        ("deepseek-r1-distill-llama-70b", "deepseek-r1", True, True, "think_tags"),
        ("openai/gpt-oss-120b", "gpt-oss", True, True, "reasoning"),
        ("openai/o1", "openai-reasoning", True, False, "none"),
        ("openai/gpt-5-mini", "openai-reasoning", True, False, "none"),
        ("openai/gpt-4o", None, False, True, "none"),
        ("Qwen/QwQ-32B", "qwq", True, True, "think_tags"),
        ("qwen/qwen3-32b", "qwen3", True, True, "think_tags"),
        ("qwen3-30b-a3b-instruct-2507", "qwen3-instruct", False, True, "none"),
        ("Qwen/Qwen2.5-VL-72B-Instruct", "qwen-vl", False, True, "none"),
        ("qwen-plus", "qwen", False, True, "none"),
        ("magistral-medium-latest", "magistral", True, True, "thinking_parts"),
        ("mistral-large-latest", "mistral", False, True, "none"),
        ("pixtral-12b-latest", "pixtral", False, True, "none"),
        ("meta-llama/llama-4-scout-17b-16e-instruct", "llama-vision", False, True, "none"),
        ("llama-3.3-70b-versatile", "llama", False, True, "none"),
        ("google/gemma-3-27b-it", "gemma", False, True, "none"),
        ("microsoft/phi-4-reasoning-plus", "phi-reasoning", True, True, "think_tags"),
        ("phi-4", "phi", False, True, "none"),
        ("glm-4.6", "glm", True, True, "reasoning_content"),
        ("glm-4.5v", "glm-vision", True, True, "reasoning_content"),
        ("glm-4-plus", "glm-chat", False, True, "none"),
        ("kimi-k2-thinking", "kimi-thinking", True, True, "reasoning_content"),
        ("moonshotai/Kimi-K2-Instruct", "kimi", False, True, "none"),
        ("command-a-reasoning-08-2025", "command-reasoning", True, True, "none"),
        ("command-r-plus", "command", False, True, "none"),
        ("grok-3-mini", "grok-mini", True, True, "reasoning_content"),
        ("grok-4-0709", "grok", False, True, "none"),
        ("gemini-2.5-flash", "gemini-thinking", True, True, "none"),
        ("hunyuan-t1-latest", "hunyuan-thinking", True, True, "reasoning_content"),
        ("doubao-seed-1-6-251015", "doubao-seed", True, True, "reasoning_content"),
        ("LongCat-Flash-Thinking", "longcat-thinking", True, True, "reasoning_content"),
        ("LongCat-Flash-Chat", "longcat", False, True, "none"),
        ("sonar-reasoning-pro", "sonar-reasoning", True, True, "think_tags"),
        ("my-own-finetune", None, False, True, "none"),
    ],
)
def test_profiles_by_name(
    name: str, family: str | None, reasoning: bool, temperature: bool, text: str
) -> None:
    profile = profile_for(name)
    assert (profile.family if profile else None) == family
    info = model_info_for(name, "somehost")
    assert info.name == name and info.provider == "somehost"
    assert info.reasoning is reasoning
    assert info.temperature is temperature
    if profile is not None:
        assert profile.reasoning_text == text
    else:
        assert info.family == "compatible"


def test_every_pattern_is_reachable() -> None:
    """A profile shadowed by an earlier, broader pattern would never apply."""
    samples = {
        "deepseek-reasoner": "deepseek-reasoner",
        "deepseek-r1": "deepseek-r1",
        "deepseek": "deepseek-v3",
        "gpt-oss": "gpt-oss-20b",
        "openai-reasoning": "o3",
        "qwq": "qwq-plus",
        "qwen3-instruct": "qwen3-235b-a22b-instruct-2507",
        "qwen3": "qwen3-8b",
        "qwen-vl": "qwen2.5-vl-7b",
        "qwen": "qwen2.5-7b",
        "magistral": "magistral-small",
        "pixtral": "pixtral-large",
        "mistral": "mixtral-8x7b",
        "llama-vision": "llama-3.2-11b-vision-instruct",
        "llama": "llama3.1-8b",
        "gemma": "gemma-2-9b-it",
        "phi-reasoning": "phi-4-mini-reasoning",
        "phi": "phi-3.5-mini",
        "glm-vision": "glm-4.5v",
        "glm": "glm-5",
        "glm-chat": "glm-4-air",
        "kimi-thinking": "kimi-k2-thinking-turbo",
        "kimi": "moonshot-v1-8k",
        "command-reasoning": "command-a-reasoning",
        "command": "command-a-03-2025",
        "grok-mini": "grok-3-mini-fast",
        "grok": "grok-2",
        "gemini-thinking": "gemini-3-pro-preview",
        "gemini": "gemini-2.0-flash",
        "claude": "claude-sonnet-4.5",
        "hunyuan-thinking": "hunyuan-a13b",
        "hunyuan": "hunyuan-turbos-latest",
        "doubao-seed": "doubao-seed-1-6-flash",
        "doubao": "doubao-1-5-pro-32k",
        "longcat-thinking": "longcat-flash-thinking",
        "longcat": "longcat-flash-lite",
        "sonar-reasoning": "sonar-deep-research",
        "sonar": "sonar-pro",
    }
    assert set(samples) == {p.family for p in FAMILY_PROFILES}
    for family, name in samples.items():
        found = profile_for(name)
        assert found is not None and found.family == family, (name, found)


def test_unknowns_stay_permissive_and_knowns_gate() -> None:
    unknown_vision = model_info_for("llama-3.3-70b", "groq")
    assert (
        "image" in unknown_vision.modalities_in and unknown_vision.reasoning_efforts == ALL_EFFORTS
    )
    text_only = model_info_for("deepseek-chat", "deepseek")
    assert text_only.modalities_in == ("text",)
    efforts = model_info_for("gpt-oss-120b", "groq")
    assert efforts.reasoning_efforts == ("low", "medium", "high")


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def test_profiles_gate_the_builders_at_run_time() -> None:
    with pytest.raises(tl.ConfigurationError, match="reasoning_effort='minimal'"):
        tl.groq().model("openai/gpt-oss-20b").reasoning_effort("minimal")
    assert tl.groq().model("openai/gpt-oss-20b").reasoning_effort("high") is not None
    llm = tl.deepseek().model("deepseek-chat").api_key("sk-abcdef").build()
    with pytest.raises(tl.ConfigurationError, match="images"):
        llm.request_for([tl.user(["what is this?", tl.image(PNG, media_type="image/png")])])
    # The same image to an open model of unknown vision is let through.
    vllm = tl.vllm().model("llama-3.3-70b").build()
    assert vllm.request_for([tl.user(["what?", tl.image(PNG, media_type="image/png")])])


def test_openai_compatible_uses_the_profiles() -> None:
    base = tl.openai_compatible("http://127.0.0.1:9/v1")
    assert base.model("deepseek-reasoner").build().model_info.reasoning
    with pytest.raises(tl.ConfigurationError, match="top_p"):
        base.model("o3-mini").top_p(0.5)
    assert base.model("qwen2.5:7b").temperature(0.2).build().model_info.family == "chat"
