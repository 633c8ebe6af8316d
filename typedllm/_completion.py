"""What a call returns: the :class:`Completion` record (usage and attempts: :mod:`._usage`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._messages import Citation, Message, TextPart, ToolCall
from ._records import positional_maker
from ._usage import Attempt, FinishReason, Usage

if TYPE_CHECKING:
    from ._native_results import NativeToolResult
    from .tools._steps import ToolStep

__all__ = ["Attempt", "Completion", "FinishReason", "Usage", "make_completion"]

T_co = TypeVar("T_co", covariant=True)


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
        answered_by: which client answered, when a fallback or a router chose it (its label,
            e.g. ``"anthropic:claude-haiku-4-5"``); ``None`` for a plain client.
        steps: the tool loop's steps (``tools=``), oldest first: each model answer that called
            tools and the runs of its calls; ``usage`` and ``cost`` then sum every step.
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
    answered_by: str | None = None
    steps: tuple[ToolStep, ...] = ()

    @property
    def citations(self) -> tuple[Citation, ...]:
        """Every citation attached to the answer's text."""
        if self.message is None:
            return ()
        return tuple(c for p in self.message.parts if isinstance(p, TextPart) for c in p.citations)

    @property
    def native_results(self) -> tuple[NativeToolResult, ...]:
        """What the provider-native tools did on the final attempt (web searches with their
        queries and sources, fetched pages, code runs with their output ...), in order."""
        if self.message is None:
            return ()
        from ._native_results import native_results

        return native_results(self.message.parts)


make_completion: Callable[..., Completion[Any]] = positional_maker(Completion)
"""A :class:`Completion` from all sixteen fields in declaration order, built fast (for the
flow, which has every value at hand)."""
