"""Rejected: misuse of the OpenAI-compatible builder (one misuse per line)."""

from __future__ import annotations

import typedllm as tl

start = tl.openai_compatible(base_url="http://127.0.0.1:8000/v1")

# -- build() and model-dependent options need a model --
start.build()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
start.api_key("k").timeout(3).build()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
start.temperature(0.1)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
start.top_p(0.1)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
start.reasoning_effort("high")  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]

# -- arguments --
tl.openai_compatible()  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
tl.openai_compatible(base_url=None)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai_compatible("http://x/v1", api_key_env=1)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
start.model(42)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
start.model("x", like="gpt-4o")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
start.model("x").reasoning_effort("extreme")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
start.model("x").structured_output("yaml")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
start.model("x").temperature("hot")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]

# -- a compatible builder is not an OpenAI builder --
_as_openai: tl.OpenAIBuilder[tl.ChatModel] = start.model("x")  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
_as_no_model: tl.OpenAICompatibleBuilder[tl.NoModel] = start.model("x")  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
_as_chosen: tl.OpenAICompatibleBuilder[tl.CompatibleModel] = start  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
