"""The provider-neutral message and result model (frozen values).

Codecs translate these to and from each provider's wire format; nothing here knows HTTP.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

__all__ = [
    "Attempt",
    "Completion",
    "FinishReason",
    "Message",
    "Prompt",
    "Role",
    "ToolCall",
    "Usage",
    "assistant",
    "system",
    "user",
]

T_co = TypeVar("T_co", covariant=True)

Role = Literal["system", "user", "assistant"]

FinishReason = Literal["stop", "length", "tool_calls", "content_filter", "refusal", "other"]
"""Why the model stopped, normalised across providers (``"other"`` keeps unknown reasons)."""


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A function call the model asked for: ``arguments`` is the raw JSON text it produced."""

    id: str
    name: str
    arguments: str


@dataclass(frozen=True, slots=True)
class Message:
    """One chat message. Build them with :func:`system`, :func:`user` and :func:`assistant`."""

    role: Role
    content: str
    tool_calls: tuple[ToolCall, ...] = ()

    def __post_init__(self) -> None:
        if self.role not in ("system", "user", "assistant"):
            raise ValueError(f"unknown message role {self.role!r}")
        if not isinstance(self.content, str):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"message content must be str, got {type(self.content).__name__}")


def system(content: str) -> Message:
    """A system (instructions) message. Reasoning models receive it as a developer message."""
    return Message("system", content)


def user(content: str) -> Message:
    """A user message."""
    return Message("user", content)


def assistant(content: str) -> Message:
    """An assistant message (a previous answer of the model, for few-shot or history)."""
    return Message("assistant", content)


Prompt = str | Sequence[Message]
"""What ``complete`` accepts: a plain user prompt, or a sequence of messages."""


@dataclass(frozen=True, slots=True)
class Usage:
    """Token counts reported by the provider (0 when the provider did not report a count)."""

    input_tokens: int = 0
    output_tokens: int = 0
    cached_input_tokens: int = 0
    reasoning_tokens: int = 0

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
