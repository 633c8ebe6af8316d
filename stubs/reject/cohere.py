"""Rejected: Cohere builder misuse (one per line, see the other reject files)."""

from __future__ import annotations

import typedllm as tl

# -- build() needs a model --
tl.cohere().build()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]

# -- catalog names only; like= only listed names --
tl.cohere().model("command-a")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.cohere().model("gpt-4o")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.cohere().model("x", like="command-z")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]

# -- thinking only on reasoning models --
tl.cohere().model("command-a-03-2025").thinking(budget_tokens=2048)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.cohere().model("command-r7b-12-2024").no_thinking()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]

# -- sampling and thinking need a model first --
tl.cohere().temperature(0.5)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.cohere().thinking()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]

# -- thinking takes a keyword budget --
tl.cohere().model("command-a-reasoning-08-2025").thinking(2048)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
