"""Token usage and the attempts of a call (leaf values: the error hierarchy refers to them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ._records import positional_maker

__all__ = ["Attempt", "FinishReason", "Usage", "make_attempt", "make_usage"]

FinishReason = Literal["stop", "length", "tool_calls", "content_filter", "refusal", "other"]
"""Why the model stopped, normalised across providers (``"other"`` keeps unknown reasons)."""


@dataclass(frozen=True, slots=True, init=False)
class Usage:
    """Token counts reported by the provider (0 when the provider did not report a count).

    Attributes:
        input_tokens: every input token, cache reads and cache writes included.
        output_tokens: every output token, reasoning tokens included.
        cache_read_tokens: input tokens read from the provider's prompt cache (also
            ``cached_input_tokens``, the first stage's name, as a keyword and an attribute).
        reasoning_tokens: output tokens spent on reasoning (thinking).
        cache_write_tokens: input tokens written to the prompt cache (Anthropic).
    """

    input_tokens: int
    output_tokens: int
    cache_read_tokens: int
    reasoning_tokens: int
    cache_write_tokens: int

    def __init__(
        self,
        input_tokens: int = 0,
        output_tokens: int = 0,
        cache_read_tokens: int = 0,
        reasoning_tokens: int = 0,
        cache_write_tokens: int = 0,
        *,
        cached_input_tokens: int | None = None,
    ) -> None:
        object.__setattr__(self, "input_tokens", input_tokens)
        object.__setattr__(self, "output_tokens", output_tokens)
        reads = cache_read_tokens if cached_input_tokens is None else cached_input_tokens
        object.__setattr__(self, "cache_read_tokens", reads)
        object.__setattr__(self, "reasoning_tokens", reasoning_tokens)
        object.__setattr__(self, "cache_write_tokens", cache_write_tokens)

    @property
    def cached_input_tokens(self) -> int:
        """Input tokens read from the prompt cache (the same as ``cache_read_tokens``)."""
        return self.cache_read_tokens

    @property
    def total_tokens(self) -> int:
        """Input plus output tokens."""
        return self.input_tokens + self.output_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cache_read_tokens + other.cache_read_tokens,
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


make_usage = positional_maker(Usage)
"""``Usage(input, output, cache_read, reasoning, cache_write)``, built fast (all five ints)."""
make_attempt = positional_maker(Attempt)
"""``Attempt(raw_text, usage, finish_reason, request_id, errors)``, built fast."""
