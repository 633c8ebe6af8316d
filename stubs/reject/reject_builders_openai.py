"""Rejected: every misuse of the OpenAI builder is a type error (one per line)."""

from __future__ import annotations

import typedllm as tl

tl.openai().build()  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
tl.openai().api_key("k").timeout(5).build()  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
tl.openai().model("gpt-4o-minii")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.openai().model("claude-sonnet-4-5")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.openai().model("gemini-2.5-flash")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.openai().model("ft:gpt-4o-mini:acme::x", like="gpt-9")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.openai().model("o3").temperature(0.7)  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
tl.openai().model("o4-mini").top_p(0.5)  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
tl.openai().model("gpt-5").temperature(1.0)  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
tl.openai().model("o3-2025-04-16").temperature(0)  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
tl.openai().model("x", like="o3").temperature(0.1)  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
tl.openai().model("gpt-4o").reasoning_effort("high")  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
tl.openai().model("gpt-4.1-mini").reasoning_effort("low")  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
tl.openai().model("o3").reasoning_effort("extreme")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().temperature(0.5)  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
tl.openai().reasoning_effort("low")  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
tl.openai().model("gpt-4o").structured_output("yaml")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("gpt-4o").timeout("5")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]

# A branch keeps its own state: the chat branch cannot take a reasoning effort.
base = tl.openai().api_key("k")
chat = base.model("gpt-4o")
reasoning = base.model("o3")
chat.reasoning_effort("high")  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
reasoning.temperature(0.1)  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
base.build()  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
