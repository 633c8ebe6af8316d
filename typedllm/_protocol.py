"""Something that completes: the typed call surface, written once, and a wrapper base.

:class:`Completer` holds the public overloads (``complete``/``acomplete``, ``completion``/
``acompletion``, ``stream``/``astream``, typed by the schema) on top of four primitives that take
one :class:`Call`. :class:`~typedllm.Client` implements the primitives with its flows;
:class:`ClientWrapper` forwards them to another completer, so fallback routing, caching,
tracing and batch helpers wrap any client and inherit the typed surface for free. Each public
method goes through one primitive: ``complete``/``completion`` through :meth:`_completion`,
``acomplete``/``acompletion`` through :meth:`_acompletion`, ``stream`` through
:meth:`_stream` and ``astream`` through :meth:`_astream`; a wrapper that must see every call
(a tracer) overrides all four::

    class Logged(tl.ClientWrapper):
        def _completion(self, call: tl.Call) -> tl.Completion[Any]:
            print("calling", call.prompt)
            return super()._completion(call)
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Coroutine, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar, overload

from typing_extensions import TypeForm

from ._call import Call, make_call
from ._completion import Completion
from ._errors import ConfigurationError
from ._messages import Prompt
from ._options import CallOptions, ToolChoice, ToolDefinition

if TYPE_CHECKING:
    from ._partials import Partial
    from ._streams import AsyncStream, Stream
    from .tools._approval import ApproveCallback, ToolDecision, ToolLoopState
    from .tools._loop import LoopSettings
    from .tools._tool import Tool

__all__ = ["Call", "ClientWrapper", "Completer"]

T = TypeVar("T")


class Completer(ABC):
    """The typed call surface of anything that completes (clients and wrappers).

    Subclasses implement :meth:`_completion`, :meth:`_acompletion`, :meth:`_stream` and
    :meth:`_astream`; every public method is defined here once.
    """

    __slots__ = ()

    # -- primitives ---------------------------------------------------------------------------

    @abstractmethod
    def _completion(self, call: Call) -> Completion[Any]:
        """Run ``call`` synchronously."""

    @abstractmethod
    def _acompletion(self, call: Call) -> Coroutine[Any, Any, Completion[Any]]:
        """Run ``call`` asynchronously (an ``async def`` override is the usual form)."""

    @abstractmethod
    def _stream(self, call: Call) -> Stream[Any, Any]:
        """Start ``call`` as a synchronous stream."""

    @abstractmethod
    def _astream(self, call: Call) -> AsyncStream[Any, Any]:
        """Start ``call`` as an asynchronous stream."""

    # -- the typed surface ----------------------------------------------------------------------

    @overload
    def complete(
        self,
        prompt: Prompt,
        *,
        schema: None = None,
        options: CallOptions | None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition] | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        run_tools: bool = True,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> str: ...

    @overload
    def complete(
        self,
        prompt: Prompt,
        *,
        schema: TypeForm[T],
        options: CallOptions | None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition] | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        run_tools: bool = True,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> T: ...

    def complete(
        self,
        prompt: Prompt,
        *,
        schema: Any = None,
        options: CallOptions | None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition] | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        run_tools: bool = True,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> Any:
        """Ask the model; return its text, or a validated instance of ``schema``.

        ``schema`` is any pydantic-validatable type: a model, ``list[M]``, ``M | None``, a
        TypedDict, a dataclass, ``Literal[...]``, an enum, ``bool``... Raises
        :class:`~typedllm.RefusalError`, :class:`~typedllm.TruncatedOutputError` or
        :class:`~typedllm.OutputValidationError` instead of returning something invalid.
        ``options`` overrides the client's defaults for this call.

        ``tools`` (:func:`typedllm.tool` functions, or bare :class:`~typedllm.ToolDefinition`
        values) runs the tool loop: the model's calls are validated and run, their results
        sent back, until the model answers (at most ``max_steps`` model calls, within
        ``max_tokens_total`` tokens and ``max_cost`` USD, else
        :class:`~typedllm.ToolLoopLimitError`). ``tool_choice`` applies to the first model
        call (``"auto"`` after it). ``run_tools=False`` returns the model's calls instead of
        running them (use :meth:`completion` to read them; with a schema, ``complete``
        raises :class:`~typedllm.PendingToolCallsError`). A tool that requires approval asks
        ``approve`` (a callback) or pauses the loop with :class:`~typedllm.ApprovalRequired`.
        See ``docs/tools.md``.

        >>> invoice = llm.complete("ACME, invoice 42, 99.50 EUR", schema=Invoice)  # doctest: +SKIP
        """

        call = make_call(prompt, schema, schema is not None, options)
        if tools is None:
            return self._completion(call).output
        return self._loop(
            call,
            False,
            tools,
            tool_choice,
            max_steps,
            run_tools,
            approve,
            max_tokens_total,
            max_cost,
        ).output

    @overload
    async def acomplete(
        self,
        prompt: Prompt,
        *,
        schema: None = None,
        options: CallOptions | None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition] | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        run_tools: bool = True,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> str: ...

    @overload
    async def acomplete(
        self,
        prompt: Prompt,
        *,
        schema: TypeForm[T],
        options: CallOptions | None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition] | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        run_tools: bool = True,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> T: ...

    async def acomplete(
        self,
        prompt: Prompt,
        *,
        schema: Any = None,
        options: CallOptions | None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition] | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        run_tools: bool = True,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> Any:
        """Async :meth:`complete`."""

        call = make_call(prompt, schema, schema is not None, options)
        if tools is None:
            return (await self._acompletion(call)).output
        return (
            await self._aloop(
                call,
                False,
                tools,
                tool_choice,
                max_steps,
                run_tools,
                approve,
                max_tokens_total,
                max_cost,
            )
        ).output

    @overload
    def completion(
        self,
        prompt: Prompt,
        *,
        schema: None = None,
        options: CallOptions | None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition] | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        run_tools: bool = True,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> Completion[str]: ...

    @overload
    def completion(
        self,
        prompt: Prompt,
        *,
        schema: TypeForm[T],
        options: CallOptions | None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition] | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        run_tools: bool = True,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> Completion[T]: ...

    def completion(
        self,
        prompt: Prompt,
        *,
        schema: Any = None,
        options: CallOptions | None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition] | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        run_tools: bool = True,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> Completion[Any]:
        """Like :meth:`complete`, but return the full :class:`~typedllm.Completion` record
        (with ``steps`` when tools ran). In manual mode (``run_tools=False``) the record's
        ``tool_calls`` are the model's calls; under a schema its ``output`` is then ``None``
        (the model has not answered yet)."""

        call = make_call(prompt, schema, schema is not None, options)
        if tools is None:
            return self._completion(call)
        return self._loop(
            call,
            True,
            tools,
            tool_choice,
            max_steps,
            run_tools,
            approve,
            max_tokens_total,
            max_cost,
        )

    @overload
    async def acompletion(
        self,
        prompt: Prompt,
        *,
        schema: None = None,
        options: CallOptions | None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition] | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        run_tools: bool = True,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> Completion[str]: ...

    @overload
    async def acompletion(
        self,
        prompt: Prompt,
        *,
        schema: TypeForm[T],
        options: CallOptions | None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition] | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        run_tools: bool = True,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> Completion[T]: ...

    async def acompletion(
        self,
        prompt: Prompt,
        *,
        schema: Any = None,
        options: CallOptions | None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition] | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        run_tools: bool = True,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> Completion[Any]:
        """Async :meth:`completion`."""

        call = make_call(prompt, schema, schema is not None, options)
        if tools is None:
            return await self._acompletion(call)
        return await self._aloop(
            call,
            True,
            tools,
            tool_choice,
            max_steps,
            run_tools,
            approve,
            max_tokens_total,
            max_cost,
        )

    @overload
    def stream(
        self,
        prompt: Prompt,
        *,
        schema: None = None,
        options: CallOptions | None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition] | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        run_tools: bool = True,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> Stream[str, str]: ...

    @overload
    def stream(
        self,
        prompt: Prompt,
        *,
        schema: TypeForm[T],
        options: CallOptions | None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition] | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        run_tools: bool = True,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> Stream[Partial[T], T]: ...

    def stream(
        self,
        prompt: Prompt,
        *,
        schema: Any = None,
        options: CallOptions | None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition] | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        run_tools: bool = True,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> Stream[Any, Any]:
        """Stream the answer. Without a schema, iterate text deltas; with one, iterate
        :class:`~typedllm.Partial` snapshots; ``final()`` returns the validated result, and
        ``items()`` yields each validated item of a ``list[M]`` as soon as it is complete.

        ``tools=`` (and the other tool-loop arguments, as in :meth:`complete`) streams the
        tool loop: each model call is streamed, the tools run between them; iterating yields
        the text deltas of every step (under a schema: the partials of the final answer),
        ``events()`` also the typed tool events (:data:`~typedllm.ToolEvent`); ``completion``
        is the whole loop's record (``steps``, summed usage). A tool that requires approval
        without ``approve=`` ends the stream with :class:`~typedllm.ApprovalRequired`:
        continue with :meth:`resume_stream`.

        >>> with llm.stream("Tell a story") as s:  # doctest: +SKIP
        ...     for delta in s:
        ...         print(delta, end="")
        """

        call = make_call(prompt, schema, schema is not None, options)
        if tools is None:
            return self._stream(call)._with_schema(schema)  # pyright: ignore[reportPrivateUsage]
        settings = self._settings(
            True, tools, tool_choice, max_steps, run_tools, max_tokens_total, max_cost
        )
        return self._tool_stream(call, settings, None, None, approve)

    @overload
    def astream(
        self,
        prompt: Prompt,
        *,
        schema: None = None,
        options: CallOptions | None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition] | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        run_tools: bool = True,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> AsyncStream[str, str]: ...

    @overload
    def astream(
        self,
        prompt: Prompt,
        *,
        schema: TypeForm[T],
        options: CallOptions | None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition] | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        run_tools: bool = True,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> AsyncStream[Partial[T], T]: ...

    def astream(
        self,
        prompt: Prompt,
        *,
        schema: Any = None,
        options: CallOptions | None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition] | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        run_tools: bool = True,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> AsyncStream[Any, Any]:
        """Async :meth:`stream` (``async with`` / ``async for`` / ``await s.final()``)."""

        call = make_call(prompt, schema, schema is not None, options)
        if tools is None:
            return self._astream(call)._with_schema(schema)  # pyright: ignore[reportPrivateUsage]
        settings = self._settings(
            True, tools, tool_choice, max_steps, run_tools, max_tokens_total, max_cost
        )
        return self._atool_stream(call, settings, None, None, approve)

    @overload
    def resume(
        self,
        state: ToolLoopState,
        decisions: Mapping[str, ToolDecision | bool],
        *,
        schema: None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition],
        options: CallOptions | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> Completion[str]: ...

    @overload
    def resume(
        self,
        state: ToolLoopState,
        decisions: Mapping[str, ToolDecision | bool],
        *,
        schema: TypeForm[T],
        tools: Sequence[Tool[..., Any] | ToolDefinition],
        options: CallOptions | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> Completion[T]: ...

    def resume(
        self,
        state: ToolLoopState,
        decisions: Mapping[str, ToolDecision | bool],
        *,
        schema: Any = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition],
        options: CallOptions | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> Completion[Any]:
        """Continue a paused tool loop (:class:`~typedllm.ApprovalRequired`) from its
        ``state``, possibly in another process (``ToolLoopState.from_json``).

        ``decisions`` maps the id of every pending call to a :class:`~typedllm.ToolDecision`
        (approve, reject with a reason the model sees, or edit the arguments), or a bool.
        Pass the same ``tools`` and ``schema`` as the paused call (they are not serialized).
        Returns the full record, like :meth:`completion`.
        """

        from .tools._loop import run_loop, tool_loop

        call, settings = self._resumed(
            state, schema, options, tools, tool_choice, max_steps, max_tokens_total, max_cost
        )
        return run_loop(self, tool_loop(settings, call, state, decisions), approve)

    @overload
    async def aresume(
        self,
        state: ToolLoopState,
        decisions: Mapping[str, ToolDecision | bool],
        *,
        schema: None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition],
        options: CallOptions | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> Completion[str]: ...

    @overload
    async def aresume(
        self,
        state: ToolLoopState,
        decisions: Mapping[str, ToolDecision | bool],
        *,
        schema: TypeForm[T],
        tools: Sequence[Tool[..., Any] | ToolDefinition],
        options: CallOptions | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> Completion[T]: ...

    async def aresume(
        self,
        state: ToolLoopState,
        decisions: Mapping[str, ToolDecision | bool],
        *,
        schema: Any = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition],
        options: CallOptions | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> Completion[Any]:
        """Async :meth:`resume` (an async ``approve`` callback works here)."""

        from .tools._loop import arun_loop, tool_loop

        call, settings = self._resumed(
            state, schema, options, tools, tool_choice, max_steps, max_tokens_total, max_cost
        )
        return await arun_loop(self, tool_loop(settings, call, state, decisions), approve)

    @overload
    def resume_stream(
        self,
        state: ToolLoopState,
        decisions: Mapping[str, ToolDecision | bool],
        *,
        schema: None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition],
        options: CallOptions | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> Stream[str, str]: ...

    @overload
    def resume_stream(
        self,
        state: ToolLoopState,
        decisions: Mapping[str, ToolDecision | bool],
        *,
        schema: TypeForm[T],
        tools: Sequence[Tool[..., Any] | ToolDefinition],
        options: CallOptions | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> Stream[Partial[T], T]: ...

    def resume_stream(
        self,
        state: ToolLoopState,
        decisions: Mapping[str, ToolDecision | bool],
        *,
        schema: Any = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition],
        options: CallOptions | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> Stream[Any, Any]:
        """Continue a paused tool loop (:class:`~typedllm.ApprovalRequired`, from
        :meth:`stream` or :meth:`completion`) as a new stream: the decided calls run first
        (their :class:`~typedllm.ToolResultEvent` and :class:`~typedllm.StepFinished` are the
        first events), then the loop streams on as :meth:`stream` does. Takes what
        :meth:`resume` takes.
        """

        call, settings = self._resumed(
            state, schema, options, tools, tool_choice, max_steps, max_tokens_total, max_cost
        )
        return self._tool_stream(call, settings, state, decisions, approve)

    @overload
    def aresume_stream(
        self,
        state: ToolLoopState,
        decisions: Mapping[str, ToolDecision | bool],
        *,
        schema: None = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition],
        options: CallOptions | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> AsyncStream[str, str]: ...

    @overload
    def aresume_stream(
        self,
        state: ToolLoopState,
        decisions: Mapping[str, ToolDecision | bool],
        *,
        schema: TypeForm[T],
        tools: Sequence[Tool[..., Any] | ToolDefinition],
        options: CallOptions | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> AsyncStream[Partial[T], T]: ...

    def aresume_stream(
        self,
        state: ToolLoopState,
        decisions: Mapping[str, ToolDecision | bool],
        *,
        schema: Any = None,
        tools: Sequence[Tool[..., Any] | ToolDefinition],
        options: CallOptions | None = None,
        tool_choice: ToolChoice | None = None,
        max_steps: int = 10,
        approve: ApproveCallback | None = None,
        max_tokens_total: int | None = None,
        max_cost: float | None = None,
    ) -> AsyncStream[Any, Any]:
        """Async :meth:`resume_stream` (an async ``approve`` callback works here)."""

        call, settings = self._resumed(
            state, schema, options, tools, tool_choice, max_steps, max_tokens_total, max_cost
        )
        return self._atool_stream(call, settings, state, decisions, approve)

    # -- the tool loop --------------------------------------------------------------------------

    def _tool_stream(
        self,
        call: Call,
        settings: LoopSettings,
        state: ToolLoopState | None,
        decisions: Mapping[str, ToolDecision | bool] | None,
        approve: ApproveCallback | None,
    ) -> Stream[Any, Any]:
        from ._relay import RelayStream
        from .tools._loop import tool_loop
        from .tools._streaming import stream_loop

        first = len(state.steps) if state is not None else 0
        loop = tool_loop(settings, call, state, decisions)
        relay = stream_loop(self, settings, loop, approve, first)
        return RelayStream(relay)._with_schema(call.schema)  # pyright: ignore[reportPrivateUsage]

    def _atool_stream(
        self,
        call: Call,
        settings: LoopSettings,
        state: ToolLoopState | None,
        decisions: Mapping[str, ToolDecision | bool] | None,
        approve: ApproveCallback | None,
    ) -> AsyncStream[Any, Any]:
        from ._relay import AsyncRelayStream
        from .tools._loop import tool_loop
        from .tools._streaming import astream_loop

        first = len(state.steps) if state is not None else 0
        loop = tool_loop(settings, call, state, decisions)
        relay = astream_loop(self, settings, loop, approve, first)
        return AsyncRelayStream(relay)._with_schema(call.schema)  # pyright: ignore[reportPrivateUsage]

    def _settings(
        self,
        record: bool,
        tools: Sequence[Tool[..., Any] | ToolDefinition],
        tool_choice: ToolChoice | None,
        max_steps: int,
        run_tools: bool,
        max_tokens_total: int | None,
        max_cost: float | None,
    ) -> LoopSettings:
        from .tools._loop import settings_for

        return settings_for(
            self,
            tools,
            tool_choice=tool_choice,
            max_steps=max_steps,
            run_tools=run_tools,
            max_tokens_total=max_tokens_total,
            max_cost=max_cost,
            record=record,
        )

    def _loop(
        self,
        call: Call,
        record: bool,
        tools: Sequence[Tool[..., Any] | ToolDefinition],
        tool_choice: ToolChoice | None,
        max_steps: int,
        run_tools: bool,
        approve: ApproveCallback | None,
        max_tokens_total: int | None,
        max_cost: float | None,
    ) -> Completion[Any]:
        from .tools._loop import run_loop, tool_loop

        settings = self._settings(
            record, tools, tool_choice, max_steps, run_tools, max_tokens_total, max_cost
        )
        return run_loop(self, tool_loop(settings, call), approve)

    async def _aloop(
        self,
        call: Call,
        record: bool,
        tools: Sequence[Tool[..., Any] | ToolDefinition],
        tool_choice: ToolChoice | None,
        max_steps: int,
        run_tools: bool,
        approve: ApproveCallback | None,
        max_tokens_total: int | None,
        max_cost: float | None,
    ) -> Completion[Any]:
        from .tools._loop import arun_loop, tool_loop

        settings = self._settings(
            record, tools, tool_choice, max_steps, run_tools, max_tokens_total, max_cost
        )
        return await arun_loop(self, tool_loop(settings, call), approve)

    def _resumed(
        self,
        state: ToolLoopState,
        schema: Any,
        options: CallOptions | None,
        tools: Sequence[Tool[..., Any] | ToolDefinition],
        tool_choice: ToolChoice | None,
        max_steps: int,
        max_tokens_total: int | None,
        max_cost: float | None,
    ) -> tuple[Call, LoopSettings]:
        from .tools._approval import ToolLoopState

        if not isinstance(state, ToolLoopState):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(
                "resume takes the ToolLoopState of an ApprovalRequired error "
                f"(or ToolLoopState.from_json(text)), got {type(state).__name__}"
            )
        settings = self._settings(
            True, tools, tool_choice, max_steps, True, max_tokens_total, max_cost
        )
        # A forced choice applied to the first model call, which already happened.
        if settings.tool_choice not in (None, "none"):
            settings = replace(settings, tool_choice="auto")
        return Call(state.messages, schema, schema is not None, options), settings


class ClientWrapper(Completer):
    """A completer that forwards every call to ``inner``: subclass it and override the
    primitives you need (fallback, caching, tracing ...)."""

    __slots__ = ("inner",)

    def __init__(self, inner: Completer) -> None:
        self.inner = inner

    def _completion(self, call: Call) -> Completion[Any]:
        return self.inner._completion(call)  # pyright: ignore[reportPrivateUsage]

    async def _acompletion(self, call: Call) -> Completion[Any]:
        return await self.inner._acompletion(call)  # pyright: ignore[reportPrivateUsage]

    def _stream(self, call: Call) -> Stream[Any, Any]:
        return self.inner._stream(call)  # pyright: ignore[reportPrivateUsage]

    def _astream(self, call: Call) -> AsyncStream[Any, Any]:
        return self.inner._astream(call)  # pyright: ignore[reportPrivateUsage]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.inner!r})"
