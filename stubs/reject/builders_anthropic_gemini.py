"""Rejected: Anthropic and Gemini builder misuse (one per line, see the other reject files)."""

from __future__ import annotations

import typedllm as tl

# -- build() needs a model --
tl.anthropic().build()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.gemini().build()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]

# -- catalog names only; like= only listed names --
tl.anthropic().model("claude-sonet-4-5")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.anthropic().model("gpt-4o")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.anthropic().model("x", like="claude-9")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.gemini().model("gemini-2.5-flashh")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.gemini().model("o3")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.anthropic().model("claude-opus-5.5")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.anthropic().model("gpt-5.6-sol")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.gemini().model("gemini-3.8-pro")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]

# -- extended thinking only on models that have it --
tl.anthropic().model("claude-3-5-haiku-latest").thinking(budget_tokens=2048)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.anthropic().model("claude-3-haiku-20240307").thinking(budget_tokens=2048)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.gemini().model("gemini-2.0-flash").thinking(budget_tokens=1024)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.gemini().model("gemini-1.5-pro").thinking(budget_tokens=1024)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]

# -- thinking and temperature exclude each other, in either order --
tl.anthropic().model("claude-sonnet-4-5").thinking(budget_tokens=2048).temperature(0.5)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.anthropic().model("claude-sonnet-4-5").temperature(0.5).thinking(budget_tokens=2048)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.anthropic().model("claude-3-7-sonnet-latest").top_p(0.9).thinking(budget_tokens=2048)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.anthropic().model("claude-opus-4-1").thinking(budget_tokens=2048).top_k(5)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.anthropic().model("claude-opus-5-5").thinking(budget_tokens=2048).temperature(0.5)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]

# -- sampling and thinking need a model first --
tl.anthropic().temperature(0.5)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.anthropic().thinking(budget_tokens=2048)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.gemini().temperature(0.5)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]

# -- thinking takes a keyword budget --
tl.anthropic().model("claude-sonnet-4-5").thinking(2048)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
