"""Rejected: model listing and instrumentation misuse (one per line, see the other reject
files)."""

from __future__ import annotations

import typedllm as tl
from typedllm.integrations import otel

llm = tl.openai().model("gpt-4o-mini").build()

# -- listed models are read-only records --
llm.list_models()[0].id = "other"  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue]

# -- instrument takes a builder or a client --
otel.instrument("gpt-4o-mini")  # type: ignore[type-var]  # pyright: ignore[reportArgumentType]

# -- capture_content is keyword-only --
otel.OTelHook(None, None, True)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
