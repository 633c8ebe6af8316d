"""Rejected: Bedrock and Vertex AI misuse (one per line, see the other reject files)."""

from __future__ import annotations

import typedllm as tl

b = tl.anthropic().bedrock("us-east-1")
v = tl.anthropic().vertex("my-project")

# -- model ids: listed ones, or like= --
b.model("anthropic.claude-sonet-4-5-20250929-v1:0")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
b.model("us.anthropic.claude-sonnet-4-6")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
v.model("claude-sonnet-4-5@2025")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]

# -- the same gates as on the Anthropic API --
b.build()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
b.model("anthropic.claude-3-5-haiku-20241022-v1:0").thinking(budget_tokens=2048)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
v.model("claude-3-haiku@20240307").thinking(budget_tokens=2048)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
b.model("us.anthropic.claude-sonnet-4-5-20250929-v1:0").thinking(budget_tokens=2048).temperature(0.5)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
v.model("claude-sonnet-4-5@20250929").temperature(0.5).thinking(budget_tokens=2048)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]

# -- arguments --
tl.anthropic().bedrock(42)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.anthropic().aws_credentials("AKID")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
tl.anthropic().vertex("p", token_provider="ya29.token")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.anthropic().vertex("p", "us-east5")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
