"""The automatic tool loop, written once as a generator and driven sync or async.

The loop (:func:`tool_loop`) decides; it yields effects and receives their results:

* :class:`Ask` -- one ordinary call of the completer's primitive (``_completion`` or
  ``_acompletion``): the driver sends back the :class:`~typedllm.Completion`, or the
  :class:`~typedllm.PendingToolCallsError` a schema call raises when the model called tools;
* :class:`Run` -- run these validated calls: the sync driver runs them one after the other
  (a tool with a timeout in a worker thread it stops waiting for), the async driver runs them
  concurrently (``asyncio.gather``; sync tools through ``asyncio.to_thread``);
* :class:`Decide` -- calls that require approval: the driver asks the ``approve=`` callback,
  or raises :class:`~typedllm.ApprovalRequired` with the loop's state;
* :class:`Stepped` -- a step is finished (its calls answered): the streaming drivers
  (:mod:`._streaming`) hand it out as events, the others send ``None`` back.

Because each step is one primitive call, the loop works for every client and every wrapper
(fallback, router, breaker) on every wire.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import time
from collections.abc import Coroutine, Generator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, Union

import orjson

from .._call import Call
from .._completion import Completion
from .._errors import ConfigurationError, PendingToolCallsError
from .._events import Hook, ToolExecuted, emit, new_call
from .._messages import Message, Part, ToolCall, tool_result
from .._options import CallOptions, ToolChoice, ToolDefinition
from .._usage import Usage
from ._approval import (
    ApproveCallback,
    PendingApproval,
    ToolDecision,
    ToolLoopState,
    as_decision,
)
from ._errors import ApprovalRequired, ToolLoopLimitError
from ._steps import ToolRun, ToolStep
from ._tool import Tool, result_parts, serialize_result

__all__ = [
    "LoopSettings",
    "Steps",
    "adecide",
    "arun_jobs",
    "arun_loop",
    "decide",
    "hooks_of",
    "run_jobs",
    "run_loop",
    "settings_for",
]

MAX_TOOL_ERRORS = 3
"""Consecutive failed calls of one tool (invalid arguments, an exception, a timeout, an
unknown name) after which the loop stops with :class:`~typedllm.ToolLoopLimitError`."""

AnyTool = Union[Tool[..., Any], ToolDefinition]


class Steps(Protocol):
    """What the loop needs of a completer: its two primitives (every ``tl.Completer`` has
    them; a protocol here keeps the loop apart from the typed call surface)."""

    def _completion(self, call: Call) -> Completion[Any]: ...

    def _acompletion(self, call: Call) -> Coroutine[Any, Any, Completion[Any]]: ...


@dataclass(frozen=True, slots=True)
class LoopSettings:
    """How one loop runs (what the caller passed)."""

    tools: Mapping[str, AnyTool]
    tool_choice: ToolChoice | None = None
    max_steps: int = 10
    run_tools: bool = True
    max_tokens_total: int | None = None
    max_cost: float | None = None
    record: bool = True
    """Whether the caller wants the record (``completion``) rather than the output
    (``complete``): in manual mode under a schema, ``complete`` raises the pending calls."""
    model_info: Any = None

    def definitions(self) -> tuple[ToolDefinition, ...]:
        """What the model is offered."""
        return tuple(t.definition if isinstance(t, Tool) else t for t in self.tools.values())


def settings_for(
    completer: Steps,
    tools: Sequence[AnyTool],
    *,
    tool_choice: ToolChoice | None,
    max_steps: int,
    run_tools: bool,
    max_tokens_total: int | None,
    max_cost: float | None,
    record: bool,
) -> LoopSettings:
    """Check the caller's arguments and make the loop's settings."""
    if isinstance(tools, (Tool, ToolDefinition, str)) or not hasattr(tools, "__iter__"):
        raise ConfigurationError("tools= takes a sequence of tools (wrap one tool in a list)")
    by_name: dict[str, AnyTool] = {}
    for t in tools:
        if not isinstance(t, (Tool, ToolDefinition)):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(
                "tools= takes tl.tool functions (tl.Tool) or tl.ToolDefinition values, "
                f"got {type(t).__name__}"
            )
        if t.name in by_name:
            raise ConfigurationError(f"two tools are named {t.name!r}: tool names must be unique")
        by_name[t.name] = t
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 1:  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(f"max_steps must be a positive int, got {max_steps!r}")
    if max_tokens_total is not None and (
        isinstance(max_tokens_total, bool)
        or not isinstance(max_tokens_total, int)  # pyright: ignore[reportUnnecessaryIsInstance]
        or max_tokens_total < 1
    ):
        raise ConfigurationError(
            f"max_tokens_total must be a positive int, got {max_tokens_total!r}"
        )
    if max_cost is not None and (
        isinstance(max_cost, bool) or not isinstance(max_cost, (int, float)) or max_cost <= 0  # pyright: ignore[reportUnnecessaryIsInstance]
    ):
        raise ConfigurationError(f"max_cost must be a positive number, got {max_cost!r}")
    if tool_choice not in (None, "auto", "required", "none") and tool_choice not in by_name:
        raise ConfigurationError(
            f"tool_choice {tool_choice!r} is not one of the tools offered ({sorted(by_name)})"
        )
    return LoopSettings(
        by_name,
        tool_choice,
        max_steps,
        run_tools,
        max_tokens_total,
        max_cost,
        record,
        getattr(completer, "model_info", None),
    )


# -- effects --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ask:
    """Call the model once."""

    call: Call


@dataclass(frozen=True, slots=True)
class Job:
    """One validated call to run."""

    tool: Tool[..., Any]
    arguments: Mapping[str, Any]
    call_id: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What running a job gave: the text for the model, or the error."""

    result: str
    error: str | None
    seconds: float
    parts: tuple[Part, ...] = ()


@dataclass(frozen=True, slots=True)
class Run:
    """Run these jobs (concurrently where the driver can)."""

    jobs: tuple[Job, ...]


@dataclass(frozen=True, slots=True)
class Decide:
    """Ask for decisions on these calls (or pause with ``state``)."""

    pending: tuple[PendingApproval, ...]
    state: ToolLoopState


@dataclass(frozen=True, slots=True)
class Stepped:
    """A step is recorded: every call of it has its result (a report, nothing to do)."""

    step: ToolStep


Effect = Union[Ask, Run, Decide, Stepped]


# -- the decisions --------------------------------------------------------------------------


@dataclass(slots=True)
class _Record:
    """The loop's progress (mutable while it runs)."""

    messages: tuple[Message, ...]
    steps: list[ToolStep] = field(default_factory=list[ToolStep])
    usage: Usage = field(default_factory=Usage)
    cost: float | None = 0.0
    model_calls: int = 0
    failures: dict[str, int] = field(default_factory=dict[str, int])

    def add(self, usage: Usage, cost: float | None) -> None:
        self.usage = self.usage + usage
        self.cost = None if cost is None or self.cost is None else self.cost + cost


def _limit(record: _Record, limit: str, message: str) -> ToolLoopLimitError:
    return ToolLoopLimitError(
        message, limit=limit, steps=record.steps, usage=record.usage, messages=record.messages
    )


def _check_budget(settings: LoopSettings, record: _Record) -> None:
    """Before another model call: the steps and the budget left."""
    if record.model_calls >= settings.max_steps:
        raise _limit(
            record,
            "max_steps",
            f"the model still called tools after {record.model_calls} model call(s) "
            f"(max_steps={settings.max_steps})",
        )
    spent = record.usage.total_tokens
    if settings.max_tokens_total is not None and spent >= settings.max_tokens_total:
        raise _limit(
            record,
            "max_tokens_total",
            f"the tool loop used {spent} tokens (max_tokens_total={settings.max_tokens_total})",
        )
    if (
        settings.max_cost is not None
        and record.cost is not None
        and record.cost >= settings.max_cost
    ):
        raise _limit(
            record,
            "max_cost",
            f"the tool loop cost {record.cost:.6f} USD (max_cost={settings.max_cost})",
        )


def _options(settings: LoopSettings, base: CallOptions | None, first: bool) -> CallOptions:
    """The options of one step: the tools offered, and the tool choice (a forced choice only
    on the first call, or the model could never answer: ``required`` means "call one or more
    functions", a named tool "call exactly this one", as OpenAI's function-calling guide says,
    quoted in https://community.openai.com/t/tool-choice-auto-sending-content-and-tool-calls/1199283/2)."""
    base = base or CallOptions()
    extra = tuple(t for t in (base.tools or ()) if t.name not in settings.tools)
    choice = settings.tool_choice if settings.tool_choice is not None else base.tool_choice
    if not first and choice is not None and choice != "none":
        choice = "auto"
    return replace(base, tools=settings.definitions() + extra, tool_choice=choice)


def _cost_of(settings: LoopSettings, usage: Usage) -> float | None:
    info = settings.model_info
    cost: float | None = info.cost(usage) if info is not None else None
    return cost


def _problems(exc: Exception) -> str:
    """Pydantic's errors in a line the model can act on (where, what)."""
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError):
        return str(exc)
    shown: list[str] = []
    for e in exc.errors()[:10]:
        where = ".".join(str(p) for p in e.get("loc", ())) or "(arguments)"
        shown.append(f"{where}: {e.get('msg', '')}")
    return "; ".join(shown)


def _error_run(call: ToolCall, error: str, arguments: Mapping[str, Any] | None = None) -> ToolRun:
    return ToolRun(call, arguments, error, error)


def tool_loop(
    settings: LoopSettings,
    call: Call,
    state: ToolLoopState | None = None,
    decisions: Mapping[str, ToolDecision | bool] | None = None,
) -> Generator[Effect, Any, Completion[Any]]:
    """The loop: model call, tool runs, model call ... until the answer."""
    if state is None:
        from .._flow import caller_messages

        record = _Record(caller_messages(call.prompt))
    else:
        record = _Record(
            state.messages,
            list(state.steps),
            state.usage,
            state.cost,
            state.model_calls,
            dict(state.failures),
        )
        yield from _finish_step(
            settings,
            record,
            state.runs,
            state.pending,
            decisions or {},
            state.step_usage,
            state.step_cost,
        )
    while True:
        _check_budget(settings, record)
        options = _options(settings, call.options, record.model_calls == 0)
        answer = yield Ask(Call(record.messages, call.schema, call.has_schema, options))
        record.model_calls += 1
        if isinstance(answer, PendingToolCallsError):
            pending_error = answer
            completion: Completion[Any] = _pending_completion(pending_error)
            calls = pending_error.tool_calls
            usage = pending_error.usage or Usage()
            cost, message = _cost_of(settings, usage), completion.message
        else:
            completion = answer
            calls = completion.tool_calls
            if call.has_schema or not calls:
                return _final(record, completion)
            usage, cost, message = completion.usage, completion.cost, completion.message
        assert message is not None
        record.add(usage, cost)
        record.messages = (*record.messages, message)
        manual = not settings.run_tools or any(_unrunnable(settings, call, c) for c in calls)
        if manual:
            if isinstance(answer, PendingToolCallsError) and not settings.record:
                raise answer
            return _final(record, completion, counted=True)
        yield from _start_step(settings, record, calls, usage, cost)


def _pending_completion(error: PendingToolCallsError) -> Completion[Any]:
    """The record of a schema call the model answered with tool calls (manual mode): its
    ``output`` is ``None``, its ``tool_calls`` the calls."""
    attempts = error.attempts
    message = error.answer if isinstance(error.answer, Message) else None
    return Completion(
        output=None,
        raw_text=error.raw_text,
        usage=error.usage or Usage(),
        finish_reason="tool_calls",
        model=None,
        request_id=attempts[-1].request_id if attempts else None,
        attempts=attempts,
        tool_calls=tuple(error.tool_calls),
        message=message,
    )


def _unrunnable(settings: LoopSettings, call: Call, tool_call: ToolCall) -> bool:
    """Whether ``tool_call`` is to a tool offered without a function (a bare definition):
    the loop cannot run it, so it returns the calls like manual mode."""
    offered = settings.tools.get(tool_call.name)
    if offered is not None:
        return not isinstance(offered, Tool)
    extra = call.options.tools if call.options is not None else None
    return any(t.name == tool_call.name for t in extra or ())


def _final(
    record: _Record, completion: Completion[Any], *, counted: bool = False
) -> Completion[Any]:
    """The answer with the whole loop's record: every step, the usage and cost of every model
    call, the whole transcript."""
    if not counted:
        record.add(completion.usage, completion.cost)
    messages = record.messages
    if completion.message is not None and (not messages or messages[-1] is not completion.message):
        messages = (*messages, completion.message)
    return replace(
        completion,
        usage=record.usage,
        cost=record.cost,
        steps=tuple(record.steps),
        messages=messages,
    )


def _start_step(
    settings: LoopSettings,
    record: _Record,
    calls: Sequence[ToolCall],
    usage: Usage,
    cost: float | None,
) -> Generator[Effect, Any, None]:
    """Validate the step's calls, run those that need no approval, ask about the others."""
    runs: list[ToolRun] = []
    jobs: list[tuple[ToolCall, Job]] = []
    pending: list[PendingApproval] = []
    for tool_call in calls:
        found = settings.tools.get(tool_call.name)
        if not isinstance(found, Tool):
            known = ", ".join(sorted(settings.tools))
            runs.append(
                _error_run(tool_call, f"unknown tool {tool_call.name!r}; the tools are: {known}")
            )
            continue
        try:
            arguments = found.validate(tool_call.arguments)
        except Exception as exc:
            runs.append(
                _error_run(
                    tool_call,
                    f"invalid arguments for {found.name}: {_problems(exc)}. "
                    "Call the tool again with corrected arguments.",
                )
            )
            continue
        if found.needs_approval(arguments):
            pending.append(PendingApproval(tool_call, found.name, found.dump(arguments)))
        else:
            jobs.append((tool_call, Job(found, arguments, tool_call.id)))
    runs.extend((yield from _run(settings, jobs)))
    yield from _finish_step(settings, record, tuple(runs), tuple(pending), None, usage, cost)


def _run(
    settings: LoopSettings, jobs: Sequence[tuple[ToolCall, Job]]
) -> Generator[Effect, Any, list[ToolRun]]:
    if not jobs:
        return []
    outcomes: Sequence[Outcome] = yield Run(tuple(job for _, job in jobs))
    return [
        ToolRun(
            tool_call, job.tool.dump(job.arguments), o.result, o.error, o.seconds, parts=o.parts
        )
        for (tool_call, job), o in zip(jobs, outcomes, strict=True)
    ]


def _finish_step(
    settings: LoopSettings,
    record: _Record,
    runs: tuple[ToolRun, ...],
    pending: tuple[PendingApproval, ...],
    decisions: Mapping[str, ToolDecision | bool] | None,
    usage: Usage,
    cost: float | None,
) -> Generator[Effect, Any, None]:
    """Apply the decisions on the pending calls, then answer every call of the step."""
    if pending:
        if decisions is None:
            state = ToolLoopState(
                messages=record.messages,
                pending=pending,
                runs=runs,
                step_usage=usage,
                step_cost=cost,
                steps=tuple(record.steps),
                usage=record.usage,
                cost=record.cost,
                model_calls=record.model_calls,
                failures=dict(record.failures),
            )
            decisions = yield Decide(pending, state)
            assert decisions is not None
        runs = runs + tuple((yield from _decided(settings, pending, decisions)))
    message = record.messages[-1]
    order = {c.id: i for i, c in enumerate(message.tool_calls)}
    ordered = tuple(sorted(runs, key=lambda r: order.get(r.call.id, len(order))))
    results = tuple(
        tool_result(r.call.id, r.parts or r.result, is_error=r.error is not None, name=r.call.name)
        for r in ordered
    )
    record.messages = (*record.messages, *results)
    record.steps.append(ToolStep(message, ordered, usage, cost))
    yield Stepped(record.steps[-1])
    for run in ordered:
        name = run.call.name
        if run.error is None or run.decision == "rejected":
            record.failures[name] = 0
            continue
        record.failures[name] = record.failures.get(name, 0) + 1
        if record.failures[name] >= MAX_TOOL_ERRORS:
            raise _limit(
                record,
                "tool_errors",
                f"tool {name!r} failed {record.failures[name]} times in a row; "
                f"last error: {run.error}",
            )


def _decided(
    settings: LoopSettings,
    pending: tuple[PendingApproval, ...],
    decisions: Mapping[str, ToolDecision | bool],
) -> Generator[Effect, Any, list[ToolRun]]:
    runs: list[ToolRun] = []
    jobs: list[tuple[ToolCall, Job]] = []
    kinds: dict[str, str] = {}
    for p in pending:
        if p.call.id not in decisions:
            raise ConfigurationError(
                f"no decision for the pending call {p.call.id} ({p.name}): decide on every "
                f"pending call ({[q.call.id for q in pending]})"
            )
        decision = as_decision(decisions[p.call.id])
        found = settings.tools.get(p.name)
        if not isinstance(found, Tool):
            raise ConfigurationError(
                f"resume needs the tool {p.name!r} again: pass it in tools= (a tl.tool)"
            )
        if decision.action == "reject":
            runs.append(
                ToolRun(
                    p.call,
                    p.arguments,
                    f"the call was rejected: {decision.reason}",
                    decision.reason,
                    decision="rejected",
                )
            )
            continue
        raw = p.arguments if decision.action == "approve" else (decision.arguments or {})
        try:
            arguments = found.validate(raw)
        except Exception as exc:
            raise ConfigurationError(
                f"the arguments for {p.name} ({p.call.id}) are invalid: {_problems(exc)}"
            ) from None
        kinds[p.call.id] = "approved" if decision.action == "approve" else "edited"
        jobs.append((p.call, Job(found, arguments, p.call.id)))
    done = yield from _run(settings, jobs)
    runs.extend(replace(r, decision=kinds[r.call.id]) for r in done)  # type: ignore[arg-type]
    return runs


# -- drivers --------------------------------------------------------------------------------


def _failure(exc: BaseException, tool: Tool[..., Any]) -> str:
    if isinstance(exc, (TimeoutError, concurrent.futures.TimeoutError, asyncio.TimeoutError)):
        return f"{tool.name} timed out after {tool.timeout} s"
    return f"{tool.name} raised {type(exc).__name__}: {exc}"


def _call_sync(job: Job) -> Any:
    value = job.tool.invoke(job.arguments)
    if inspect.isawaitable(value):

        async def wait() -> Any:
            return await value

        value = asyncio.run(wait())
    return value


def _run_sync(job: Job) -> Outcome:
    """Run one job in this thread, or (with a timeout, or an async tool) in a worker thread
    we stop waiting for when the time is up."""
    start = time.perf_counter()
    try:
        if job.tool.timeout is None and not job.tool.is_async:
            value = _call_sync(job)
        else:
            pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="typedllm-tool")
            try:
                value = pool.submit(_call_sync, job).result(job.tool.timeout)
            finally:
                pool.shutdown(wait=False)
        text, parts = serialize_result(value), result_parts(value)
    except Exception as exc:
        error = _failure(exc, job.tool)
        return Outcome(error, error, time.perf_counter() - start)
    return Outcome(text, None, time.perf_counter() - start, parts)


async def _run_async(job: Job) -> Outcome:
    start = time.perf_counter()
    try:
        if job.tool.is_async:
            awaitable: Any = job.tool.invoke(job.arguments)
        else:
            awaitable = asyncio.to_thread(_call_sync, job)
        if job.tool.timeout is not None:
            value = await asyncio.wait_for(awaitable, job.tool.timeout)
        else:
            value = await awaitable
        text, parts = serialize_result(value), result_parts(value)
    except Exception as exc:
        error = _failure(exc, job.tool)
        return Outcome(error, error, time.perf_counter() - start)
    return Outcome(text, None, time.perf_counter() - start, parts)


def run_loop(
    completer: Steps,
    loop: Generator[Effect, Any, Completion[Any]],
    approve: ApproveCallback | None,
) -> Completion[Any]:
    """Drive ``loop`` synchronously: tools run one after the other."""
    sent: Any = None
    while True:
        try:
            effect = loop.send(sent)
        except StopIteration as stop:
            result: Completion[Any] = stop.value
            return result
        if isinstance(effect, Ask):
            try:
                sent = completer._completion(effect.call)  # pyright: ignore[reportPrivateUsage]
            except PendingToolCallsError as exc:
                sent = exc
        elif isinstance(effect, Run):
            sent = run_jobs(effect, hooks_of(completer))
        elif isinstance(effect, Stepped):
            sent = None
        else:
            sent = decide(effect, approve)


def hooks_of(completer: object) -> tuple[Hook, ...]:
    """The event hooks of the client under ``completer`` (through wrappers that hold one
    ``inner`` completer); none for completers that choose among several (fallbacks)."""
    while hasattr(completer, "inner"):
        completer = getattr(completer, "inner")  # noqa: B009 - duck-typed ClientWrapper
    config = getattr(completer, "config", None)
    hooks: Any = getattr(config, "hooks", ())
    return tuple(hooks)


def _report(hooks: tuple[Hook, ...], job: Job, outcome: Outcome, started: float) -> None:
    """Tell the hooks (OpenTelemetry's tool spans among them) that a tool ran."""
    if not hooks:
        return
    call = new_call("tools", job.tool.name, "execute_tool")
    emit(
        hooks,
        ToolExecuted(
            call,
            job.tool.name,
            job.call_id,
            orjson.dumps(job.tool.dump(job.arguments)).decode(),
            outcome.result,
            outcome.error,
            started,
            outcome.seconds,
        ),
    )


def run_jobs(effect: Run, hooks: tuple[Hook, ...] = ()) -> tuple[Outcome, ...]:
    """Run a step's jobs one after the other (the sync drivers), reporting each to
    ``hooks``."""
    outcomes: list[Outcome] = []
    for job in effect.jobs:
        started = time.time()
        outcome = _run_sync(job)
        _report(hooks, job, outcome, started)
        outcomes.append(outcome)
    return tuple(outcomes)


async def arun_jobs(effect: Run, hooks: tuple[Hook, ...] = ()) -> tuple[Outcome, ...]:
    """Run a step's jobs concurrently (the async drivers), reporting each to ``hooks``."""

    async def one(job: Job) -> Outcome:
        started = time.time()
        outcome = await _run_async(job)
        _report(hooks, job, outcome, started)
        return outcome

    return tuple(await asyncio.gather(*(one(job) for job in effect.jobs)))


def decide(effect: Decide, approve: ApproveCallback | None) -> dict[str, ToolDecision]:
    """The decisions of a sync ``approve`` callback, or the pause
    (:class:`~typedllm.ApprovalRequired`) without one."""
    if approve is None:
        raise ApprovalRequired(effect.pending, effect.state)
    decisions: dict[str, ToolDecision] = {}
    for p in effect.pending:
        value = approve(p)
        if inspect.isawaitable(value):
            close = getattr(value, "close", None)
            if callable(close):
                close()  # a coroutine never awaited would warn
            raise ConfigurationError(
                "an async approve= callback needs the async methods (acomplete, "
                "acompletion, aresume, astream, aresume_stream)"
            )
        decisions[p.call.id] = as_decision(value)
    return decisions


async def adecide(effect: Decide, approve: ApproveCallback | None) -> dict[str, ToolDecision]:
    """The decisions of an ``approve`` callback (sync or async), or the pause."""
    if approve is None:
        raise ApprovalRequired(effect.pending, effect.state)
    decisions: dict[str, ToolDecision] = {}
    for p in effect.pending:
        value = approve(p)
        if inspect.isawaitable(value):
            value = await value
        decisions[p.call.id] = as_decision(value)
    return decisions


async def arun_loop(
    completer: Steps,
    loop: Generator[Effect, Any, Completion[Any]],
    approve: ApproveCallback | None,
) -> Completion[Any]:
    """Drive ``loop`` asynchronously: the calls of a step run concurrently."""
    sent: Any = None
    while True:
        try:
            effect = loop.send(sent)
        except StopIteration as stop:
            result: Completion[Any] = stop.value
            return result
        if isinstance(effect, Ask):
            try:
                sent = await completer._acompletion(effect.call)  # pyright: ignore[reportPrivateUsage]
            except PendingToolCallsError as exc:
                sent = exc
        elif isinstance(effect, Run):
            sent = await arun_jobs(effect, hooks_of(completer))
        elif isinstance(effect, Stepped):
            sent = None
        else:
            sent = await adecide(effect, approve)
