"""The record of a tool loop: one :class:`ToolStep` per model answer that called tools, one
:class:`ToolRun` per call in it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .._messages import Message, Part, ToolCall
from .._usage import Usage

__all__ = ["Decision", "ToolRun", "ToolStep"]

Decision = Literal["approved", "rejected", "edited"]
"""What a human decided about a call that required approval."""


@dataclass(frozen=True, slots=True)
class ToolRun:
    """One tool call of a step and what came of it.

    Attributes:
        call: the model's call (its id, the tool name, the raw JSON arguments).
        arguments: the validated arguments as JSON values (``None`` when they did not validate
            or the tool is unknown).
        result: the text sent back to the model (the tool's serialized return value, or the
            error message, sent as an error result: a wire without an error flag prefixes it
            with ``Error: ``).
        error: what went wrong (invalid arguments, an unknown tool, the tool's exception, a
            timeout, a rejection), else ``None``.
        seconds: how long the tool ran (0 when it did not run).
        decision: the human decision for a call that required approval, else ``None``.
        parts: the media the tool returned (images, documents, audio, with their text),
            sent as the parts of the tool result; empty for a text or JSON result.
    """

    call: ToolCall
    arguments: Mapping[str, Any] | None
    result: str
    error: str | None = None
    seconds: float = 0.0
    decision: Decision | None = None
    parts: tuple[Part, ...] = field(default=(), repr=False)

    @property
    def ok(self) -> bool:
        """Whether the tool ran and returned a result."""
        return self.error is None


@dataclass(frozen=True, slots=True)
class ToolStep:
    """One model answer that called tools, and the runs of those calls.

    Attributes:
        message: the model's assistant message (its text, reasoning and tool calls).
        runs: one :class:`ToolRun` per call, in the order the model made them.
        usage: the tokens of the model call that produced this step.
        cost: its price in USD where the model's prices are known.
    """

    message: Message = field(repr=False)
    runs: tuple[ToolRun, ...]
    usage: Usage
    cost: float | None = None

    @property
    def tool_calls(self) -> tuple[ToolCall, ...]:
        """The calls the model made in this step."""
        return self.message.tool_calls
