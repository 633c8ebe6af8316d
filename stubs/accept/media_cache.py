"""Accepted: media parts (file ids), Anthropic prompt caching on every builder state, the
cache call options and Gemini cached contents."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from typing_extensions import assert_type

import typedllm as tl

assert_type(tl.image(file_id="file-1"), tl.ImagePart)
assert_type(tl.document(file_id="file_1", title="Spec"), tl.DocumentPart)
assert_type(tl.document(b"%PDF-", media_type="application/pdf"), tl.DocumentPart)
assert_type(tl.audio(b"RIFF", media_type="audio/wav"), tl.AudioPart)
assert_type(tl.cache_point("1h"), tl.CachePoint)

a = tl.anthropic().model("claude-sonnet-4-5")
assert_type(a.prompt_cache(), tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral])
assert_type(
    a.prompt_cache("auto", ttl="1h").thinking(budget_tokens=2048),
    tl.AnthropicBuilder[tl.ThinkingModel, tl.ThinkingOn],
)
assert_type(tl.anthropic().prompt_cache("off"), tl.AnthropicBuilder[tl.NoModel, tl.Neutral])

options = tl.CallOptions(cache_key="k", cache_retention="24h", cached_content="cachedContents/x")
assert_type(options.cache_retention, Literal["in_memory", "24h"] | None)
assert_type(options.cached_content, str | None)


def use(client: tl.Client) -> None:
    cache = tl.create_cache(client, "manual", ttl=dt.timedelta(minutes=5))
    assert_type(cache, tl.CachedContent)
    assert_type(cache.name, str)
    assert_type(cache.expire_time, dt.datetime | None)
    assert_type(cache.options, tl.CallOptions)
    assert_type(tl.get_cache(client, cache.name).refresh(), tl.CachedContent)
    assert_type(cache.delete(), None)
