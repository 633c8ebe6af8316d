"""Rejected: misuse of the host presets (one misuse per line)."""

from __future__ import annotations

import typedllm as tl

# -- build() and model-dependent options need a model --
tl.groq().build()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.vllm().temperature(0.1)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.deepseek().top_p(0.5)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openrouter().reasoning_effort("high")  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]

# -- the reasoner takes no sampling options --
tl.deepseek().model("deepseek-reasoner").temperature(0.5)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.deepseek().model("deepseek-reasoner").top_p(0.9)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.deepseek().model("deepseek-reasoner").top_k(3)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]

# -- arguments --
tl.groq("https://api.groq.com/openai/v1")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
tl.vllm(8000)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.dashscope("eu")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.moonshot("cn-east")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openrouter("https://app.example")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
tl.groq().model(42)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.groq().model("m", like="gpt-4o")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
tl.groq().model("m").structured_output("yaml")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.groq().model("m").reasoning_effort("extreme")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.zai().thinking("on")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openrouter().provider_routing(sort="cheapest")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openrouter().provider_routing(data_collection=True)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]

# -- provider routing is OpenRouter's --
tl.groq().provider_routing(order=["x"])  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]

# -- a preset builder is not another builder --
_as_openai: tl.OpenAIBuilder[tl.ChatModel] = tl.groq().model("m")  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
_as_compatible: tl.OpenAICompatibleBuilder[tl.CompatibleModel] = tl.vllm().model("m")  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
_as_no_model: tl.HostBuilder[tl.NoModel] = tl.groq().model("m")  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
_reasoner_as_chat: tl.DeepSeekBuilder[tl.CompatibleModel] = tl.deepseek().model("deepseek-reasoner")  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
