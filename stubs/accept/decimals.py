"""Accepted: asking for Decimal fields as strings keeps the builder's state."""

from __future__ import annotations

from typing_extensions import assert_type

import typedllm as tl

assert_type(tl.openai().decimals("string"), tl.OpenAIBuilder[tl.NoModel])
assert_type(tl.openai().model("gpt-4o-mini").decimals("number"), tl.OpenAIBuilder[tl.ChatModel])
assert_type(tl.openai().decimals("string").model("gpt-4o-mini").build(), tl.Client)
