"""Rejected: builders constructed directly start in their initial state (TypeVar defaults),
so every gate still applies."""

from __future__ import annotations

import typedllm as tl

tl.OpenAIBuilder().build()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.OpenAIBuilder().temperature(0.5)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.OpenAIBuilder().reasoning_effort("high")  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.OpenAICompatibleBuilder().build()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.AnthropicBuilder().build()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.GeminiBuilder().build()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
