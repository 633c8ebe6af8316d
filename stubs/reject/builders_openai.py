"""Rejected: misuse of the OpenAI builder. One misuse per line; each line carries the mypy code
and the pyright rules it must trigger (an ignore that is no longer needed fails the check)."""

from __future__ import annotations

import typedllm as tl

# -- build() needs a model --
tl.openai().build()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().api_key("k").timeout(5).max_tokens(10).build()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().structured_output("prompt").system("s").build()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]

# -- model names: catalog only --
tl.openai().model("gpt-4o-minii")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.openai().model("GPT-4o")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.openai().model("claude-sonnet-4-5")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.openai().model("gemini-2.5-flash")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.openai().model("llama3.1:8b")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.openai().model(42)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.openai().model()  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]

# -- like= only takes listed names --
tl.openai().model("ft:gpt-4o-mini:acme::x", like="gpt-9")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.openai().model("ft:gpt-4o-mini:acme::x", like="gpt-4o-minii")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.openai().model("claude-sonnet-4-5", like="claude-sonnet-4-5")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.openai().model("x", like=None)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]

# -- reasoning models take no temperature/top_p --
tl.openai().model("o1").temperature(0.7)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("o3").temperature(0.7)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("o3-mini").temperature(0.7)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("o4-mini").top_p(0.5)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("gpt-5").temperature(1.0)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("gpt-5-mini").top_p(0.5)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("gpt-5-nano").temperature(0)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("gpt-5.1").top_p(1)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("gpt-5.4").temperature(0.2)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("gpt-6.1-sol").temperature(0.3)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("gpt-5.6-terra").top_p(0.5)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("gpt-5.6-sol").reasoning_effort("max").temperature(0)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("o3-2025-04-16").temperature(0)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("gpt-5-2025-08-07").top_p(0.1)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("o3").reasoning_effort("high").temperature(0.2)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("x", like="o3").temperature(0.1)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("x", like="gpt-5").top_p(0.1)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]

# -- chat models take no reasoning effort --
tl.openai().model("gpt-4o").reasoning_effort("high")  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("gpt-4o-mini").reasoning_effort("minimal")  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("gpt-4.1").reasoning_effort("medium")  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("gpt-4.1-mini").reasoning_effort("low")  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("gpt-4.1-nano").reasoning_effort("low")  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("gpt-4o-2024-08-06").reasoning_effort("high")  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("gpt-4o").temperature(0).reasoning_effort("high")  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("ft:gpt-4o-mini:acme::x", like="gpt-4o-mini").reasoning_effort("low")  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]

# -- reasoning effort levels --
tl.openai().model("o3").reasoning_effort("extreme")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("o4-mini").reasoning_effort("HIGH")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("gpt-5").reasoning_effort(3)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("gpt-5.4").reasoning_effort("minimal")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("gpt-5.4-mini").reasoning_effort("max")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("gpt-5.5").reasoning_effort("minimal")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("gpt-5.6-sol").reasoning_effort("minimal")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("gpt-5.1").reasoning_effort("xhigh")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("gpt-6.1-sol").reasoning_effort("none")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("gpt-6-luna").reasoning_effort("minimal")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]

# -- family options need a model --
tl.openai().temperature(0.5)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().top_p(0.5)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().reasoning_effort("low")  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]

# -- common options: argument types --
tl.openai().model("gpt-4o").structured_output("yaml")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().structured_output("tool")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("gpt-4o").timeout("5")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("gpt-4o").max_tokens(1.5)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("o3").api_key(None)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().header("x-a")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
tl.openai().seed("1")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]

# -- a builder's state is part of its type --
_chat_as_reasoning: tl.OpenAIBuilder[tl.ReasoningModel] = tl.openai().model("gpt-4o")  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
_reasoning_as_chat: tl.OpenAIBuilder[tl.ChatModel] = tl.openai().model("o3")  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
_start_as_chat: tl.OpenAIBuilder[tl.ChatModel] = tl.openai()  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
_builder_as_client: tl.Client = tl.openai().model("gpt-4o")  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]

# -- builders are values: each branch keeps its own state --
base = tl.openai().api_key("k")
chat = base.model("gpt-4o")
reasoning = base.model("o3")
chat.reasoning_effort("high")  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
reasoning.temperature(0.1)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
base.build()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
base.temperature(0.1)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]


def either_family(name: tl.OpenAIModelName, any_name: str) -> None:
    tl.openai().model(any_name)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
    tl.openai().model(name).temperature(0.1)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
    tl.openai().model(name).reasoning_effort("high")  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
