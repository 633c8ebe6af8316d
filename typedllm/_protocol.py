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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, overload

from typing_extensions import TypeForm

from ._completion import Completion
from ._messages import Prompt
from ._options import CallOptions

if TYPE_CHECKING:
    from ._partials import Partial
    from ._streams import AsyncStream, Stream

__all__ = ["Call", "ClientWrapper", "Completer"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Call:
    """One call as the primitives receive it.

    Attributes:
        prompt: the prompt (a string or messages).
        schema: the requested type (``None`` for text).
        has_schema: whether a schema was given (``schema=None`` means text).
        options: per-call overrides of the client's defaults.
    """

    prompt: Prompt
    schema: Any = None
    has_schema: bool = False
    options: CallOptions | None = None


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
    async def _acompletion(self, call: Call) -> Completion[Any]:
        """Run ``call`` asynchronously."""

    @abstractmethod
    def _stream(self, call: Call) -> Stream[Any, Any]:
        """Start ``call`` as a synchronous stream."""

    @abstractmethod
    def _astream(self, call: Call) -> AsyncStream[Any, Any]:
        """Start ``call`` as an asynchronous stream."""

    # -- the typed surface ----------------------------------------------------------------------

    @overload
    def complete(
        self, prompt: Prompt, *, schema: None = None, options: CallOptions | None = None
    ) -> str: ...
    @overload
    def complete(
        self, prompt: Prompt, *, schema: TypeForm[T], options: CallOptions | None = None
    ) -> T: ...
    def complete(
        self, prompt: Prompt, *, schema: Any = None, options: CallOptions | None = None
    ) -> Any:
        """Ask the model; return its text, or a validated instance of ``schema``.

        ``schema`` is any pydantic-validatable type: a model, ``list[M]``, ``M | None``, a
        TypedDict, a dataclass, ``Literal[...]``, an enum, ``bool``... Raises
        :class:`~typedllm.RefusalError`, :class:`~typedllm.TruncatedOutputError` or
        :class:`~typedllm.OutputValidationError` instead of returning something invalid.
        ``options`` overrides the client's defaults for this call.

        >>> invoice = llm.complete("ACME, invoice 42, 99.50 EUR", schema=Invoice)  # doctest: +SKIP
        """
        return self._completion(Call(prompt, schema, schema is not None, options)).output

    @overload
    async def acomplete(
        self, prompt: Prompt, *, schema: None = None, options: CallOptions | None = None
    ) -> str: ...
    @overload
    async def acomplete(
        self, prompt: Prompt, *, schema: TypeForm[T], options: CallOptions | None = None
    ) -> T: ...
    async def acomplete(
        self, prompt: Prompt, *, schema: Any = None, options: CallOptions | None = None
    ) -> Any:
        """Async :meth:`complete`."""
        return (await self._acompletion(Call(prompt, schema, schema is not None, options))).output

    @overload
    def completion(
        self, prompt: Prompt, *, schema: None = None, options: CallOptions | None = None
    ) -> Completion[str]: ...
    @overload
    def completion(
        self, prompt: Prompt, *, schema: TypeForm[T], options: CallOptions | None = None
    ) -> Completion[T]: ...
    def completion(
        self, prompt: Prompt, *, schema: Any = None, options: CallOptions | None = None
    ) -> Completion[Any]:
        """Like :meth:`complete`, but return the full :class:`~typedllm.Completion` record."""
        return self._completion(Call(prompt, schema, schema is not None, options))

    @overload
    async def acompletion(
        self, prompt: Prompt, *, schema: None = None, options: CallOptions | None = None
    ) -> Completion[str]: ...
    @overload
    async def acompletion(
        self, prompt: Prompt, *, schema: TypeForm[T], options: CallOptions | None = None
    ) -> Completion[T]: ...
    async def acompletion(
        self, prompt: Prompt, *, schema: Any = None, options: CallOptions | None = None
    ) -> Completion[Any]:
        """Async :meth:`completion`."""
        return await self._acompletion(Call(prompt, schema, schema is not None, options))

    @overload
    def stream(
        self, prompt: Prompt, *, schema: None = None, options: CallOptions | None = None
    ) -> Stream[str, str]: ...
    @overload
    def stream(
        self, prompt: Prompt, *, schema: TypeForm[T], options: CallOptions | None = None
    ) -> Stream[Partial[T], T]: ...
    def stream(
        self, prompt: Prompt, *, schema: Any = None, options: CallOptions | None = None
    ) -> Stream[Any, Any]:
        """Stream the answer. Without a schema, iterate text deltas; with one, iterate
        :class:`~typedllm.Partial` snapshots; ``final()`` returns the validated result, and
        ``items()`` yields each validated item of a ``list[M]`` as soon as it is complete.

        >>> with llm.stream("Tell a story") as s:  # doctest: +SKIP
        ...     for delta in s:
        ...         print(delta, end="")
        """
        return self._stream(Call(prompt, schema, schema is not None, options))._with_schema(schema)  # pyright: ignore[reportPrivateUsage]

    @overload
    def astream(
        self, prompt: Prompt, *, schema: None = None, options: CallOptions | None = None
    ) -> AsyncStream[str, str]: ...
    @overload
    def astream(
        self, prompt: Prompt, *, schema: TypeForm[T], options: CallOptions | None = None
    ) -> AsyncStream[Partial[T], T]: ...
    def astream(
        self, prompt: Prompt, *, schema: Any = None, options: CallOptions | None = None
    ) -> AsyncStream[Any, Any]:
        """Async :meth:`stream` (``async with`` / ``async for`` / ``await s.final()``)."""
        return self._astream(Call(prompt, schema, schema is not None, options))._with_schema(schema)  # pyright: ignore[reportPrivateUsage]


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
