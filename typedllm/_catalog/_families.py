"""Model-family profiles: what a model can do, from its name, on any host.

Hosts such as Groq, OpenRouter, vLLM or a local llama.cpp serve open-weight models under
names no catalog lists (``meta-llama/Llama-3.3-70B-Instruct-Turbo``,
``accounts/fireworks/models/deepseek-r1``, ``qwen3:8b``). A profile matched by a name pattern
says what such a model accepts, so an unlisted model behaves right without ``like=``:

* ``reasoning``: the model thinks before answering;
* ``temperature``: whether it accepts sampling options (``deepseek-reasoner`` and OpenAI's
  o-series do not; open-weight reasoners such as DeepSeek-R1, QwQ and gpt-oss do);
* ``reasoning_text``: where the thinking comes back (``reasoning_content`` or ``reasoning``
  fields, ``<think>`` tags in the text, Mistral ``thinking`` parts); the chat codec decodes
  every form, this is what to expect;
* ``tools`` and ``vision`` (``None``: unknown, nothing is gated).

Patterns are matched against the last path segment of the name, lower-cased (vendor prefixes
such as ``openai/`` or ``accounts/fireworks/models/`` are dropped), first match wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ._model import ModelInfo

__all__ = [
    "ALL_EFFORTS",
    "FAMILY_PROFILES",
    "FamilyProfile",
    "ReasoningText",
    "model_info_for",
    "profile_for",
]

ReasoningText = Literal["reasoning_content", "reasoning", "think_tags", "thinking_parts", "none"]
"""Where a model's reasoning text comes back on the Chat Completions wire."""

ALL_EFFORTS: tuple[str, ...] = ("none", "minimal", "low", "medium", "high", "xhigh")
"""Every reasoning effort level: what a model of unknown efforts is allowed to ask for."""


@dataclass(frozen=True, slots=True)
class FamilyProfile:
    """What one model family can do (see the module docstring).

    Attributes:
        family: the profile's name (``"deepseek-reasoner"``, ``"llama"`` ...).
        pattern: the regular expression matched against the model's base name.
        reasoning: whether the model reasons before answering.
        temperature: whether it accepts temperature/top_p/top_k.
        reasoning_text: where its reasoning text comes back.
        tools: whether it calls tools.
        vision: whether it takes images (``None``: unknown, not gated).
        reasoning_efforts: the ``reasoning_effort`` levels it accepts (``None``: unknown, all
            are let through for the host to judge).
    """

    family: str
    pattern: str
    reasoning: bool = False
    temperature: bool = True
    reasoning_text: ReasoningText = "none"
    tools: bool = True
    vision: bool | None = None
    reasoning_efforts: tuple[str, ...] | None = None

    def matches(self, base_name: str) -> bool:
        """Whether ``base_name`` (lower-case, no vendor prefix) is of this family."""
        return _compiled(self.pattern).search(base_name) is not None


_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    compiled = _CACHE.get(pattern)
    if compiled is None:
        compiled = _CACHE[pattern] = re.compile(pattern)
    return compiled


_LMH = ("low", "medium", "high")

# Order matters: specific names before the families that contain them.
FAMILY_PROFILES: tuple[FamilyProfile, ...] = (
    # DeepSeek's hosted reasoner ignores sampling options ("temperature, top_p ... are not
    # supported" in its reasoning-model guide) and answers with `reasoning_content`.
    FamilyProfile(
        "deepseek-reasoner",
        r"^deepseek-reasoner",
        reasoning=True,
        temperature=False,
        reasoning_text="reasoning_content",
        vision=False,
        reasoning_efforts=(),
    ),
    # The open weights of R1 (and its distills) sample normally (0.6 is the recommended
    # temperature); hosts return the thinking in a field or as a leading <think> block.
    FamilyProfile(
        "deepseek-r1",
        r"deepseek-r1|r1-distill|r1-1776",
        reasoning=True,
        reasoning_text="think_tags",
        vision=False,
    ),
    FamilyProfile("deepseek", r"^deepseek", vision=False),
    FamilyProfile(
        "gpt-oss",
        r"^gpt-oss",
        reasoning=True,
        reasoning_text="reasoning",
        vision=False,
        reasoning_efforts=_LMH,
    ),
    # OpenAI's reasoning models through a router (OpenRouter's `openai/o1`): no sampling.
    FamilyProfile(
        "openai-reasoning",
        r"^(o1|o3|o4)(-|$)|^gpt-5(?!.*-chat)",
        reasoning=True,
        temperature=False,
        reasoning_text="none",
        reasoning_efforts=_LMH,
    ),
    FamilyProfile("qwq", r"^qwq", reasoning=True, reasoning_text="think_tags", vision=False),
    # Qwen3 instruct-2507 checkpoints are non-thinking; the others think by default.
    FamilyProfile("qwen3-instruct", r"^qwen3.*instruct", vision=None),
    FamilyProfile("qwen3", r"^qwen3", reasoning=True, reasoning_text="think_tags"),
    FamilyProfile("qwen-vl", r"^qwen.*-vl", vision=True),
    FamilyProfile("qwen", r"^qwen"),
    FamilyProfile(
        "magistral", r"^magistral", reasoning=True, reasoning_text="thinking_parts", vision=None
    ),
    FamilyProfile("pixtral", r"^pixtral", vision=True),
    FamilyProfile("mistral", r"^(mistral|mixtral|ministral|codestral|devstral|open-mistral)"),
    FamilyProfile("llama-vision", r"llama-?4|llama-3\.2-\d+b-vision|vision", vision=True),
    FamilyProfile("llama", r"llama"),
    FamilyProfile("gemma", r"^gemma"),
    FamilyProfile(
        "phi-reasoning", r"^phi-4.*reasoning", reasoning=True, reasoning_text="think_tags"
    ),
    FamilyProfile("phi", r"^phi"),
    # GLM-4.5 and later think by default (`thinking: {"type": "enabled"}`) and return
    # `reasoning_content`; the `v` models see images.
    FamilyProfile(
        "glm-vision",
        r"^glm-[\d.]+v",
        reasoning=True,
        reasoning_text="reasoning_content",
        vision=True,
    ),
    FamilyProfile(
        "glm", r"^glm-(4\.[5-9]|[5-9])", reasoning=True, reasoning_text="reasoning_content"
    ),
    FamilyProfile("glm-chat", r"^glm"),
    FamilyProfile(
        "kimi-thinking", r"^kimi.*thinking", reasoning=True, reasoning_text="reasoning_content"
    ),
    FamilyProfile("kimi", r"^(kimi|moonshot)"),
    FamilyProfile(
        "command-reasoning", r"^command.*reasoning", reasoning=True, reasoning_text="none"
    ),
    FamilyProfile("command", r"^command"),
    FamilyProfile(
        "grok-mini",
        r"^grok-3-mini",
        reasoning=True,
        reasoning_text="reasoning_content",
        reasoning_efforts=("low", "high"),
    ),
    FamilyProfile("grok", r"^grok"),
    FamilyProfile(
        "gemini-thinking",
        r"^gemini-(2\.5|[3-9])",
        reasoning=True,
        reasoning_text="none",
        vision=True,
        reasoning_efforts=("none", "low", "medium", "high"),
    ),
    FamilyProfile("gemini", r"^gemini", vision=True),
    FamilyProfile("claude", r"^claude", vision=True),
    FamilyProfile(
        "hunyuan-thinking",
        r"^hunyuan-(t1|a13b)",
        reasoning=True,
        reasoning_text="reasoning_content",
    ),
    FamilyProfile("hunyuan", r"^hunyuan"),
    FamilyProfile(
        "doubao-seed", r"^doubao-seed", reasoning=True, reasoning_text="reasoning_content"
    ),
    FamilyProfile("doubao", r"^doubao"),
    FamilyProfile(
        "longcat-thinking",
        r"^longcat.*thinking",
        reasoning=True,
        reasoning_text="reasoning_content",
    ),
    FamilyProfile("longcat", r"^longcat"),
    # Perplexity's reasoning models put their thinking in a leading <think> block.
    FamilyProfile(
        "sonar-reasoning",
        r"^sonar-(reasoning|deep-research)",
        reasoning=True,
        reasoning_text="think_tags",
    ),
    FamilyProfile("sonar", r"^sonar"),
)


def base_name(name: str) -> str:
    """The part of a model name that names the model: the last path segment, lower-cased,
    without an Ollama-style ``:tag`` (``accounts/fireworks/models/DeepSeek-R1`` ->
    ``deepseek-r1``)."""
    last = name.rsplit("/", 1)[-1].lower()
    return (
        last.split(":", 1)[0]
        if ":" in last and not last.endswith(":free")
        else last.removesuffix(":free")
    )


def profile_for(name: str) -> FamilyProfile | None:
    """The family profile of a model name, or ``None`` when no pattern matches."""
    base = base_name(name)
    for profile in FAMILY_PROFILES:
        if profile.matches(base):
            return profile
    return None


def model_info_for(name: str, provider: str) -> ModelInfo:
    """A catalog record for an unlisted model on ``provider``, from its family profile.

    A model without a profile is ``family="compatible"``: capabilities unknown, nothing gated.
    A profile's unknowns stay permissive (all effort levels; every input modality when
    ``vision`` is unknown) so that only what is known is gated."""
    profile = profile_for(name)
    if profile is None:
        return ModelInfo(
            name=name, provider=provider, family="compatible", reasoning_efforts=ALL_EFFORTS
        )
    if profile.vision is None:
        modalities: tuple[str, ...] = ("text", "image", "pdf", "audio")
    else:
        modalities = ("text", "image") if profile.vision else ("text",)
    efforts = ALL_EFFORTS if profile.reasoning_efforts is None else profile.reasoning_efforts
    return ModelInfo(
        name=name,
        provider=provider,
        family="reasoning" if profile.reasoning else "chat",
        temperature=profile.temperature,
        tools=profile.tools,
        vision=bool(profile.vision),
        reasoning_efforts=efforts,
        modalities_in=modalities,
    )
