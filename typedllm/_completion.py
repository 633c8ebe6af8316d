"""What a call returns: token usage, the attempts made, and the :class:`Completion` record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from ._messages import Citation, Message, TextPart, ToolCall

__all__ = ["Attempt", "Completion", "FinishReason", "Usage"]

T_co = TypeVar("T_co", covariant=True)

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


@dataclass(frozen=True, slots=True)
class Completion(Generic[T_co]):
    """The full record of one ``complete`` call.

    Attributes:
        output: the validated result (``str`` when no schema was given).
        raw_text: the model's final text (the JSON it produced, for structured output).
        usage: token usage summed over every attempt (re-asks included).
        finish_reason: why the model stopped on the final attempt.
        model: the model name the provider reported.
        request_id: the provider's request id of the final attempt.
        raw: the parsed JSON body of the final response.
        attempts: every attempt, oldest first (more than one when re-asks happened).
        reasoning: reasoning text the provider returned, if any.
        tool_calls: tool calls the model made on the final attempt.
        message: the model's answer as an assistant message, every part kept (text with its
            citations, reasoning with its signature, tool calls): append it to the history
            to continue the conversation.
        messages: the conversation so far: the messages sent, then ``message``.
        cost: the price in USD of every attempt, from the model catalog (``None`` when the
            model's prices are not known).
        response_id: the provider's id of the final answer.
    """

    output: T_co
    raw_text: str | None
    usage: Usage
    finish_reason: FinishReason | None
    model: str | None
    request_id: str | None
    raw: Any = field(repr=False, default=None)
    attempts: tuple[Attempt, ...] = ()
    reasoning: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    message: Message | None = field(default=None, repr=False)
    messages: tuple[Message, ...] = field(default=(), repr=False)
    cost: float | None = None
    response_id: str | None = None

    @property
    def citations(self) -> tuple[Citation, ...]:
        """Every citation attached to the answer's text."""
        if self.message is None:
            return ()
        return tuple(c for p in self.message.parts if isinstance(p, TextPart) for c in p.citations)
