"""Observation events of a call (see :mod:`typedllm._events` for when each is reported).

Subscribe with a builder's ``.on_event(hook)``; a hook is any callable taking one event::

    def log_retries(event: tl.events.Event) -> None:
        if isinstance(event, tl.events.RetryScheduled):
            print(f"retry in {event.delay:.1f}s: {event.reason} {event.status}")

    llm = tl.openai().model("gpt-4o-mini").on_event(log_retries).build()
"""

from ._events import (
    CallInfo,
    Event,
    Failed,
    Finished,
    FirstByte,
    Hook,
    Operation,
    Reasked,
    RequestSent,
    ResponseReceived,
    RetryScheduled,
    ToolExecuted,
)

__all__ = [
    "CallInfo",
    "Event",
    "Failed",
    "Finished",
    "FirstByte",
    "Hook",
    "Operation",
    "Reasked",
    "RequestSent",
    "ResponseReceived",
    "RetryScheduled",
    "ToolExecuted",
]
