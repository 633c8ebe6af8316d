"""Typed tools: functions offered to the model, the automatic tool loop, human approval.

* :func:`tool` / :meth:`Tool.from_function` make a :class:`Tool` from a typed function;
* ``llm.complete(prompt, tools=[...], schema=T)`` runs the loop (:mod:`._loop`);
  ``llm.stream(..., tools=[...])`` streams it (:mod:`._streaming`), with the typed events of
  :mod:`._stream_events` from ``stream.events()``;
* :class:`ToolStep` / :class:`ToolRun` record it (``Completion.steps``);
* a tool with ``requires_approval`` pauses the loop: :class:`~typedllm.ApprovalRequired`
  carries the :class:`PendingApproval` calls and a :class:`ToolLoopState` (JSON) to resume
  from with :class:`ToolDecision` values.
"""

from __future__ import annotations

from ._approval import ApproveCallback, PendingApproval, ToolDecision, ToolLoopState
from ._steps import Decision, ToolRun, ToolStep
from ._tool import ApprovalRule, Tool, serialize_result, tool

__all__ = [
    "ApprovalRule",
    "ApproveCallback",
    "Decision",
    "PendingApproval",
    "Tool",
    "ToolDecision",
    "ToolLoopState",
    "ToolRun",
    "ToolStep",
    "serialize_result",
    "tool",
]
