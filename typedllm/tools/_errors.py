"""The tool loop's errors (part of the hierarchy in :mod:`typedllm._errors`, defined here
so that the core's errors need nothing of the tools package)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .._errors import TypedLLMError
from .._usage import Usage

if TYPE_CHECKING:
    from ._approval import PendingApproval, ToolLoopState
    from ._steps import ToolStep

__all__ = ["ApprovalRequired", "ToolLoopLimitError"]


class ToolLoopLimitError(TypedLLMError):
    """A tool loop stopped at one of its limits before the model answered.

    Attributes:
        limit: which limit: ``"max_steps"``, ``"max_tokens_total"``, ``"max_cost"`` or
            ``"tool_errors"`` (a tool kept failing: invalid arguments, an exception, a timeout).
        steps: every tool step run so far (:class:`~typedllm.ToolStep`), oldest first.
        usage: token usage summed over every model call of the loop.
        messages: the transcript so far (to inspect it, or to continue by hand).
    """

    def __init__(
        self,
        message: str,
        *,
        limit: str,
        steps: Sequence[ToolStep] = (),
        usage: Usage | None = None,
        messages: Sequence[Any] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.limit = limit
        self.steps = tuple(steps)
        self.usage = usage
        self.messages = tuple(messages)


class ApprovalRequired(TypedLLMError):
    """The model called a tool that requires approval and no ``approve=`` callback was given:
    the loop is paused.

    Decide on each of ``pending`` (approve, reject with a reason, or edit the arguments) and
    continue with ``llm.resume(error.state, decisions, tools=[...], schema=T)``; ``state``
    serializes to JSON (``state.to_json()``), so the loop can resume in another process.

    Attributes:
        pending: the calls waiting for a decision (:class:`~typedllm.PendingApproval`).
        state: the paused loop (:class:`~typedllm.ToolLoopState`).
    """

    def __init__(self, pending: Sequence[PendingApproval], state: ToolLoopState) -> None:
        names = ", ".join(f"{p.name} ({p.call.id})" for p in pending)
        super().__init__(f"tool call(s) waiting for approval: {names}")
        self.pending = tuple(pending)
        self.state = state
