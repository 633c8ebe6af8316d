"""Observation events of a call, and the ``typedllm`` logger.

Flows report what happens as frozen event values to the hooks of the client (``builder
.on_event(hook)``): a hook is any callable taking one event. Every event carries the
:class:`CallInfo` of its call, so concurrent calls can be told apart.

====================== ==============================================================
event                  when
====================== ==============================================================
:class:`RequestSent`   a request is about to go out (each attempt, each re-ask)
:class:`ResponseReceived` the status and headers of a response arrived
:class:`RetryScheduled` a transport failure will be retried after ``delay`` seconds
:class:`Reasked`       an answer failed validation and is sent back with the errors
:class:`FirstByte`     the first bytes of a streamed answer arrived
:class:`Finished`      the call produced its result (usage summed over every attempt)
:class:`Failed`        the call raised ``error``
====================== ==============================================================

The ``typedllm`` logger logs retries and re-asks at ``INFO`` and requests at ``DEBUG``; it
never logs a header value, a body or a credential. Hooks are called synchronously in the flow
(in both the sync and the async client): keep them quick. An exception in a hook propagates.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Union
from urllib.parse import urlsplit, urlunsplit

from ._completion import Completion, FinishReason, Usage
from ._records import positional_maker

if TYPE_CHECKING:
    from ._messages import Message
    from ._options import CallOptions

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
    "emit",
    "logger",
    "new_call",
    "safe_url",
]

logger = logging.getLogger("typedllm")
_ids = itertools.count(1)

Operation = Literal["complete", "stream", "list_models", "batch", "execute_tool"]
"""What a call does: a completion, a stream, a model listing, a batch API request (the
last two are plain HTTP requests: they report requests, responses and retries only), or the
run of one tool by the tool loop (reported once, with :class:`ToolExecuted`)."""


@dataclass(frozen=True, slots=True)
class CallInfo:
    """Which call an event belongs to."""

    id: int
    provider: str
    model: str
    operation: Operation


_make_call_info = positional_maker(CallInfo)


def new_call(provider: str, model: str, operation: Operation) -> CallInfo:
    """A fresh :class:`CallInfo` (ids are unique within the process)."""
    return _make_call_info(next(_ids), provider, model, operation)


def safe_url(url: str) -> str:
    """``url`` without userinfo or query string (both may hold credentials)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))


@dataclass(frozen=True, slots=True)
class RequestSent:
    """A request is about to be sent (``attempt`` counts transport attempts from 1, ``round``
    counts re-asks from 0).

    ``messages`` and ``options`` are what this round sends (the system prompt first, the
    call's merged options); both are empty/``None`` for requests that are not completions
    (model listings, batch requests). Their content is the caller's: handle it with care
    (OpenTelemetry records it only with ``capture_content=True``)."""

    call: CallInfo
    method: str
    url: str
    attempt: int
    round: int = 0
    stream: bool = False
    messages: tuple[Message, ...] = field(default=(), repr=False, compare=False)
    options: CallOptions | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class ResponseReceived:
    """A response's status and headers arrived."""

    call: CallInfo
    status: int
    headers: Mapping[str, str] = field(repr=False)
    request_id: str | None
    elapsed: float


@dataclass(frozen=True, slots=True)
class RetryScheduled:
    """A failure will be retried after ``delay`` seconds.

    ``attempt`` is the number (from 1) of the transport attempt that failed; ``reason`` is
    ``"status"`` (then ``status`` is set) or ``"connection"`` / ``"timeout"``.
    """

    call: CallInfo
    attempt: int
    reason: Literal["status", "connection", "timeout"]
    delay: float
    status: int | None
    error: Exception = field(repr=False)


@dataclass(frozen=True, slots=True)
class Reasked:
    """The answer of round ``round`` did not validate; it is sent back with ``errors``."""

    call: CallInfo
    round: int
    errors: Sequence[Any] = field(repr=False)


@dataclass(frozen=True, slots=True)
class FirstByte:
    """The first bytes of a streamed body arrived, ``elapsed`` seconds into the call."""

    call: CallInfo
    elapsed: float


@dataclass(frozen=True, slots=True)
class Finished:
    """The call succeeded; ``attempts`` counts answer rounds (the first answer plus re-asks;
    always 1 for streams), ``usage`` and ``cost`` are summed over them; ``completion`` is the
    result itself (the response's model and id, the answer)."""

    call: CallInfo
    usage: Usage
    finish_reason: FinishReason | None
    cost: float | None
    elapsed: float
    attempts: int
    completion: Completion[Any] | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Failed:
    """The call raised ``error`` (a stream closed early reports a
    :class:`~typedllm.StreamClosedError`)."""

    call: CallInfo
    error: BaseException
    elapsed: float


@dataclass(frozen=True, slots=True)
class ToolExecuted:
    """The tool loop ran one tool call: ``started`` is a ``time.time()`` timestamp,
    ``seconds`` how long it ran, ``error`` why it failed (``None`` when it returned);
    ``arguments`` (JSON) and ``result`` are what the model sent and will read back."""

    call: CallInfo
    name: str
    call_id: str
    arguments: str = field(repr=False)
    result: str = field(repr=False)
    error: str | None
    started: float
    seconds: float


Event = Union[
    RequestSent,
    ResponseReceived,
    RetryScheduled,
    Reasked,
    FirstByte,
    Finished,
    Failed,
    ToolExecuted,
]
"""Any observation event."""

Hook = Callable[[Event], object]
"""A subscriber: called with every event of every call of the client."""


def _log(event: Event) -> None:
    if isinstance(event, RetryScheduled):
        if logger.isEnabledFor(logging.INFO):
            why = f"HTTP {event.status}" if event.status is not None else event.reason
            logger.info(
                "retrying %s %s call #%d in %.2fs (%s, attempt %d)",
                event.call.provider,
                event.call.model,
                event.call.id,
                event.delay,
                why,
                event.attempt,
            )
    elif isinstance(event, Reasked):
        if logger.isEnabledFor(logging.INFO):
            logger.info(
                "re-asking %s %s call #%d: the answer had %d validation error(s)",
                event.call.provider,
                event.call.model,
                event.call.id,
                len(event.errors),
            )
    elif isinstance(event, RequestSent):
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s call #%d: %s %s (attempt %d%s)",
                event.call.provider,
                event.call.id,
                event.method,
                event.url,
                event.attempt,
                ", stream" if event.stream else "",
            )
    elif isinstance(event, ResponseReceived) and logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "%s call #%d: HTTP %d after %.3fs (request id %s)",
            event.call.provider,
            event.call.id,
            event.status,
            event.elapsed,
            event.request_id,
        )


def emit(hooks: Sequence[Hook], event: Event) -> None:
    """Log ``event`` and hand it to every hook."""
    _log(event)
    for hook in hooks:
        hook(event)
