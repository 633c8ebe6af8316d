"""Rejected: OpenAI-compatible builder misuse."""

from __future__ import annotations

import typedllm as tl

tl.openai_compatible(base_url="http://127.0.0.1:8000/v1").build()  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
tl.openai_compatible(base_url="http://127.0.0.1:8000/v1").temperature(0.1)  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
tl.openai_compatible(base_url="http://127.0.0.1:8000/v1").model(42)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai_compatible()  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
