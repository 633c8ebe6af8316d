"""The tool loop as a stream: the same decisions (:func:`~._loop.tool_loop`), driven so that
each model call is an ordinary stream of the completer (``_stream`` / ``_astream``).

The drivers here differ from :func:`~._loop.run_loop` only in how they perform an
:class:`~._loop.Ask` (stream it, passing its deltas on) and that they turn what they see into
:mod:`._stream_events` events. What they produce are the ``(kind, value)`` pairs of a relay
stream (:class:`~typedllm._relay.RelayStream`): ``("update", delta_or_partial)``,
``("item", list_item)`` as a plain stream has, plus ``("event", ToolEvent)``.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from .._call import Call
from .._completion import Completion
from .._errors import PendingToolCallsError
from .._messages import ToolCall
from ._loop import (
    Ask,
    Effect,
    LoopSettings,
    Run,
    Stepped,
    adecide,
    arun_jobs,
    decide,
    hooks_of,
    run_jobs,
)
from ._stream_events import (
    StepFinished,
    ToolCallDelta,
    ToolCallDone,
    ToolCallStarted,
    ToolEvent,
    ToolResultEvent,
)
from ._tool import Tool

if TYPE_CHECKING:
    from .._relay import AsyncEvents, Events, Finish
    from .._streams import AsyncStream, Stream
    from ._approval import ApproveCallback

__all__ = ["StreamSteps", "astream_loop", "stream_loop"]

Loop = Generator[Effect, Any, Completion[Any]]


class StreamSteps(Protocol):
    """What the streamed loop needs of a completer: its two stream primitives (every
    ``tl.Completer`` has them; a protocol keeps the loop apart from the call surface)."""

    def _stream(self, call: Call) -> Stream[Any, Any]: ...

    def _astream(self, call: Call) -> AsyncStream[Any, Any]: ...


class _Step:
    """What one model call's stream showed of its tool calls (to start each call once).

    The wire's channel of a call (a content-block or output-item index) is not its position
    among the step's calls; positions are given in order of first sight, as the decoders
    number the calls."""

    def __init__(self, number: int) -> None:
        self.number = number
        self.positions: dict[int, int] = {}

    def pieces(self, piece: tuple[int, str, str, str]) -> list[ToolEvent]:
        """The events of one piece of a call's arguments (its start the first time)."""
        channel, call_id, name, text = piece
        out: list[ToolEvent] = []
        index = self.positions.get(channel)
        if index is None:
            index = self.positions[channel] = len(self.positions)
            out.append(ToolCallStarted(call_id, name, index, self.number))
        if text:
            out.append(ToolCallDelta(call_id, name, index, text, self.number))
        return out

    def done(self, settings: LoopSettings, calls: Sequence[ToolCall]) -> list[ToolEvent]:
        """The end of the model call: every call complete. A call no piece of streamed (a
        wire that sends whole arguments, like Gemini) is started here, its arguments one
        delta."""
        out: list[ToolEvent] = []
        seen = len(self.positions)
        for index, call in enumerate(calls):
            if index >= seen:
                out.append(ToolCallStarted(call.id, call.name, index, self.number))
                if call.arguments:
                    out.append(
                        ToolCallDelta(call.id, call.name, index, call.arguments, self.number)
                    )
            out.append(ToolCallDone(call, _validated(settings, call), self.number))
        return out


def _validated(settings: LoopSettings, call: ToolCall) -> Any:
    """The call's arguments as the tool validates them (``None`` if they do not)."""
    found = settings.tools.get(call.name)
    if not isinstance(found, Tool):
        return None
    try:
        return found.dump(found.validate(call.arguments))
    except Exception:  # the loop sends the model the error; the event just has no arguments
        return None


def _stepped(effect: Stepped, number: int) -> list[ToolEvent]:
    out: list[ToolEvent] = [ToolResultEvent(run, number) for run in effect.step.runs]
    out.append(StepFinished(number, effect.step))
    return out


def _answered(stream: Any, error: PendingToolCallsError | None) -> tuple[Any, Sequence[ToolCall]]:
    """What the loop is sent for one model call, and the calls it made."""
    if error is not None:
        return error, error.tool_calls
    completion: Completion[Any] = stream.completion
    return completion, completion.tool_calls


def stream_loop(
    completer: StreamSteps,
    settings: LoopSettings,
    loop: Loop,
    approve: ApproveCallback | None,
    first_step: int,
) -> Callable[[Finish], Events]:
    """The relay of a sync tool stream (for :class:`~typedllm._relay.RelayStream`)."""

    def relay(finish: Finish) -> Events:
        from .._relay import events_of

        number = first_step
        sent: Any = None
        while True:
            try:
                effect = loop.send(sent)
            except StopIteration as stop:
                finish(stop.value)
                return
            if isinstance(effect, Ask):
                step = _Step(number)
                stream = completer._stream(effect.call)._with_schema(effect.call.schema)  # pyright: ignore[reportPrivateUsage]
                pending: PendingToolCallsError | None = None
                events = events_of(stream)
                try:
                    for kind, value in events:
                        if kind == "tool":
                            for event in step.pieces(value):
                                yield ("event", event)
                        else:
                            yield (kind, value)
                except PendingToolCallsError as exc:  # a schema call answered with calls
                    pending = exc
                finally:
                    events.close()
                sent, calls = _answered(stream, pending)
                for event in step.done(settings, calls):
                    yield ("event", event)
            elif isinstance(effect, Run):
                sent = run_jobs(effect, hooks_of(completer))
            elif isinstance(effect, Stepped):
                for event in _stepped(effect, number):
                    yield ("event", event)
                number += 1
                sent = None
            else:
                sent = decide(effect, approve)

    return relay


def astream_loop(
    completer: StreamSteps,
    settings: LoopSettings,
    loop: Loop,
    approve: ApproveCallback | None,
    first_step: int,
) -> Callable[[Finish], AsyncEvents]:
    """The relay of an async tool stream (for :class:`~typedllm._relay.AsyncRelayStream`):
    the calls of a step run concurrently, an async ``approve`` callback is awaited."""

    async def relay(finish: Finish) -> AsyncEvents:
        from .._relay import aevents_of

        number = first_step
        sent: Any = None
        while True:
            try:
                effect = loop.send(sent)
            except StopIteration as stop:
                finish(stop.value)
                return
            if isinstance(effect, Ask):
                step = _Step(number)
                stream = completer._astream(effect.call)._with_schema(effect.call.schema)  # pyright: ignore[reportPrivateUsage]
                pending: PendingToolCallsError | None = None
                events = aevents_of(stream)
                try:
                    async for kind, value in events:
                        if kind == "tool":
                            for event in step.pieces(value):
                                yield ("event", event)
                        else:
                            yield (kind, value)
                except PendingToolCallsError as exc:
                    pending = exc
                finally:
                    await events.aclose()
                sent, calls = _answered(stream, pending)
                for event in step.done(settings, calls):
                    yield ("event", event)
            elif isinstance(effect, Run):
                sent = await arun_jobs(effect, hooks_of(completer))
            elif isinstance(effect, Stepped):
                for event in _stepped(effect, number):
                    yield ("event", event)
                number += 1
                sent = None
            else:
                sent = await adecide(effect, approve)

    return relay
