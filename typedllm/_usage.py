"""Token usage and the attempts of a call (leaf values: the error hierarchy refers to them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Attempt", "FinishReason", "Usage"]

FinishReason = Literal["stop", "length", "tool_calls", "content_filter", "refusal", "other"]
"""Why the model stopped, normalised across providers (``"other"`` keeps unknown reasons)."""


@dataclass(frozen=True, slots=True)
class Usage:
    """Token counts reported by the provider (0 when the provider did not report a count).

    Attributes:
        input_tokens: every input token, cache reads and cache writes included.
        output_tokens: every output token, reasoning tokens included.
        cached_input_tokens: input tokens read from the provider's prompt cache.
        reasoning_tokens: output tokens spent on reasoning (thinking).
        cache_write_tokens: input tokens written to the prompt cache (Anthropic).
    """

    input_tokens: int = 0
    output_tokens: int = 0
    cached_input_tokens: int = 0
    reasoning_tokens: int = 0
    cache_write_tokens: int = 0

    @property
    def cache_read_tokens(self) -> int:
        """Input tokens read from the prompt cache (the same as ``cached_input_tokens``)."""
        return self.cached_input_tokens

    @property
    def total_tokens(self) -> int:
        """Input plus output tokens."""
        return self.input_tokens + self.output_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cached_input_tokens + other.cached_input_tokens,
            self.reasoning_tokens + other.reasoning_tokens,
            self.cache_write_tokens + other.cache_write_tokens,
        )


@dataclass(frozen=True, slots=True)
class Attempt:
    """One request/answer round of a ``complete`` call (the first try or a re-ask)."""

    raw_text: str | None
    usage: Usage
    finish_reason: FinishReason | None
    request_id: str | None
    errors: tuple[Any, ...] = ()
    """Validation errors of this attempt (empty when it validated)."""
