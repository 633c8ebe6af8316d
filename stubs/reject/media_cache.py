"""Rejected: unknown prompt-cache modes and TTLs, unknown OpenAI cache retentions."""

from __future__ import annotations

import typedllm as tl

a = tl.anthropic().model("claude-sonnet-4-5")
a.prompt_cache("always")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
a.prompt_cache("auto", ttl="10m")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.CallOptions(cache_retention="1h")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.cache_point("2h")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
