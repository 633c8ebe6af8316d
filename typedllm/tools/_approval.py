"""Human approval: the calls waiting for a decision, the decisions, and the paused loop's
state (JSON, so the loop can resume in another process after a restart)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Union, cast

import orjson

from .._errors import ConfigurationError
from .._messages import Message, ToolCall
from .._usage import Usage
from ._serialize import (
    message_from_json,
    message_to_json,
    run_from_json,
    run_to_json,
    step_from_json,
    step_to_json,
    usage_from_json,
    usage_to_json,
)
from ._steps import ToolRun, ToolStep

__all__ = ["ApproveCallback", "PendingApproval", "ToolDecision", "ToolLoopState"]

_STATE_VERSION = 1


@dataclass(frozen=True, slots=True)
class PendingApproval:
    """A tool call waiting for a human decision.

    Attributes:
        call: the model's call.
        name: the tool's name.
        arguments: its validated arguments, as JSON values.
    """

    call: ToolCall
    name: str
    arguments: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ToolDecision:
    """What the application decided about a pending call: make one with :meth:`approve`,
    :meth:`reject` or :meth:`edit` (``True``/``False`` are accepted as approve/reject too).

    Attributes:
        action: ``"approve"``, ``"reject"`` or ``"edit"``.
        reason: for a rejection, why (the model sees it as the tool's error).
        arguments: for an edit, the arguments to run the tool with instead.
    """

    action: Literal["approve", "reject", "edit"]
    reason: str = ""
    arguments: Mapping[str, Any] | None = None

    @classmethod
    def approve(cls) -> ToolDecision:
        """Run the call as the model made it."""
        return cls("approve")

    @classmethod
    def reject(cls, reason: str = "the user rejected this call") -> ToolDecision:
        """Do not run the call; the model is told ``reason``."""
        return cls("reject", reason=reason)

    @classmethod
    def edit(cls, arguments: Mapping[str, Any]) -> ToolDecision:
        """Run the call with these arguments instead (validated like the model's)."""
        if not isinstance(arguments, Mapping):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError("ToolDecision.edit takes a mapping of arguments")
        return cls("edit", arguments=dict(arguments))


ApproveCallback = Callable[
    [PendingApproval], Union[ToolDecision, bool, Awaitable[Union[ToolDecision, bool]]]
]
"""An in-process approver: called for each pending call, returns a decision (or a bool);
an async approver works with the async methods."""


def as_decision(value: object) -> ToolDecision:
    """A callback's or a caller's decision (``True``/``False`` or a :class:`ToolDecision`)."""
    if isinstance(value, ToolDecision):
        return value
    if isinstance(value, bool):
        return ToolDecision.approve() if value else ToolDecision.reject()
    raise ConfigurationError(
        f"a tool decision must be a tl.ToolDecision or a bool, got {type(value).__name__}"
    )


@dataclass(frozen=True, slots=True)
class ToolLoopState:
    """A paused tool loop: everything needed to continue it, except the tools and the schema
    (pass them again to ``resume``).

    Attributes:
        messages: the transcript so far; the last one is the assistant message whose calls
            are being answered.
        pending: the calls waiting for a decision.
        runs: the calls of the current step already run (those that needed no approval).
        step_usage, step_cost: usage and price of the model call of the current step.
        steps: the finished tool steps.
        usage: token usage of every model call so far.
        cost: their price in USD (``None`` when unknown).
        model_calls: how many model calls the loop made.
        failures: consecutive failures per tool name.
    """

    messages: tuple[Message, ...] = field(repr=False)
    pending: tuple[PendingApproval, ...]
    runs: tuple[ToolRun, ...] = ()
    step_usage: Usage = field(default_factory=Usage)
    step_cost: float | None = None
    steps: tuple[ToolStep, ...] = ()
    usage: Usage = field(default_factory=Usage)
    cost: float | None = None
    model_calls: int = 0
    failures: Mapping[str, int] = field(default_factory=dict[str, int])

    def to_json(self) -> str:
        """The state as JSON text (read it back with :meth:`from_json`)."""
        data = {
            "version": _STATE_VERSION,
            "messages": [message_to_json(m) for m in self.messages],
            "pending": [
                {
                    "call": run_to_json(ToolRun(p.call, None, ""))["call"],
                    "name": p.name,
                    "arguments": dict(p.arguments),
                }
                for p in self.pending
            ],
            "runs": [run_to_json(r) for r in self.runs],
            "step_usage": usage_to_json(self.step_usage),
            "step_cost": self.step_cost,
            "steps": [step_to_json(s) for s in self.steps],
            "usage": usage_to_json(self.usage),
            "cost": self.cost,
            "model_calls": self.model_calls,
            "failures": dict(self.failures),
        }
        return orjson.dumps(data).decode()

    @classmethod
    def from_json(cls, text: str | bytes) -> ToolLoopState:
        """The state :meth:`to_json` wrote."""
        try:
            loaded: Any = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise ConfigurationError(f"tool loop state is not JSON: {exc}") from None
        data: dict[str, Any] = cast("dict[str, Any]", loaded) if isinstance(loaded, dict) else {}
        if data.get("version") != _STATE_VERSION:
            raise ConfigurationError(
                f"not a tool loop state of version {_STATE_VERSION} (made by to_json())"
            )
        try:
            return cls(
                messages=tuple(message_from_json(m) for m in data["messages"]),
                pending=tuple(
                    PendingApproval(
                        run_from_json({"call": p["call"]}).call, p["name"], p["arguments"]
                    )
                    for p in data["pending"]
                ),
                runs=tuple(run_from_json(r) for r in data["runs"]),
                step_usage=usage_from_json(data["step_usage"]),
                step_cost=data["step_cost"],
                steps=tuple(step_from_json(s) for s in data["steps"]),
                usage=usage_from_json(data["usage"]),
                cost=data["cost"],
                model_calls=int(data["model_calls"]),
                failures={str(k): int(v) for k, v in data["failures"].items()},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigurationError(f"tool loop state is incomplete or damaged: {exc}") from None
