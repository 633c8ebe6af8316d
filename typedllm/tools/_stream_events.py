"""What a tool stream hands out besides the answer: typed events of the tool loop.

``stream.events()`` on a stream started with ``tools=`` yields, in order, per step: the
model's text deltas (or nothing under a schema until the final answer), for each tool call a
:class:`ToolCallStarted`, its :class:`ToolCallDelta` pieces and a :class:`ToolCallDone` once
the model has written it; then, once the tools ran, one :class:`ToolResultEvent` per call
and a :class:`StepFinished`. The final answer's deltas (text or ``Partial[T]``) come last.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Union

from .._messages import ToolCall
from ._steps import ToolRun, ToolStep

__all__ = [
    "StepFinished",
    "ToolCallDelta",
    "ToolCallDone",
    "ToolCallStarted",
    "ToolEvent",
    "ToolResultEvent",
]


@dataclass(frozen=True, slots=True)
class ToolCallStarted:
    """The model began writing a tool call.

    Attributes:
        id: the call's id (``""`` on a wire that sends none while streaming; the
            :class:`ToolCallDone` of the call has the final one).
        name: the tool's name.
        index: the call's position among the step's calls.
        step: the step's number (``0`` is the first model call; ``completion.steps[step]``).
    """

    id: str
    name: str
    index: int
    step: int


@dataclass(frozen=True, slots=True)
class ToolCallDelta:
    """A piece of a tool call's JSON arguments, as the model writes them.

    Attributes:
        id: the call's id so far (see :class:`ToolCallStarted`).
        name: the tool's name.
        index: the call's position among the step's calls.
        arguments: this piece of the arguments' JSON text.
        step: the step's number.
    """

    id: str
    name: str
    index: int
    arguments: str
    step: int


@dataclass(frozen=True, slots=True)
class ToolCallDone:
    """The model finished a tool call (before the tool runs).

    Attributes:
        call: the complete call (its id, the tool name, the raw JSON arguments).
        arguments: the arguments validated by the tool's signature, as JSON values; ``None``
            when they do not validate (the model gets the error back), the tool is unknown,
            or it is a bare :class:`~typedllm.ToolDefinition` (nothing to validate with).
        step: the step's number.
    """

    call: ToolCall
    arguments: Mapping[str, Any] | None
    step: int


@dataclass(frozen=True, slots=True)
class ToolResultEvent:
    """A tool call was answered: the tool's result, or the error the model is sent
    (invalid arguments, an exception, a timeout, a rejection).

    Attributes:
        run: the record of the call (:class:`~typedllm.ToolRun`: ``result``, ``error``,
            validated ``arguments``, ``seconds``, the human ``decision``).
        step: the step's number.
    """

    run: ToolRun
    step: int

    @property
    def ok(self) -> bool:
        """Whether the tool ran and returned a result."""
        return self.run.error is None


@dataclass(frozen=True, slots=True)
class StepFinished:
    """A step is over: every call of it has its result, the next model call follows.

    Attributes:
        step: the step's number.
        record: the step's record (:class:`~typedllm.ToolStep`, also in
            ``completion.steps``), with its usage and cost.
    """

    step: int
    record: ToolStep


ToolEvent = Union[ToolCallStarted, ToolCallDelta, ToolCallDone, ToolResultEvent, StepFinished]
"""The events of the tool loop ``stream.events()`` yields besides the answer's deltas."""
