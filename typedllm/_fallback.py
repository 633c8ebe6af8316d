"""Fallback: try clients in order, moving on when one fails with an error that says "not now".

Theory of operation. A :class:`Fallback` holds an ordered list of completers and a tuple of
error types (``on``). A call goes to the first client; if it raises one of the ``on`` types, or
a :class:`~typedllm.CircuitOpenError` (an open breaker always means "skip me"), the next client
gets the same call, and so on. Any other error (a 400, an authentication failure, an answer that
does not validate) is raised at once as it is: another provider would most likely fail the
same way, and hiding it would hide a bug. When every client failed, :class:`AllFailedError`
carries each client's label and error, with the last error as ``__cause__``.

Streams fall back only before their first event: the relay pulls the first event of a
client's stream inside the fallback, and only once that event exists does it hand it on; after
that the caller has seen output from this client, so a later error propagates unchanged.

Each result records the client that answered in :attr:`Completion.answered_by
<typedllm.Completion.answered_by>` (a nested fallback's more precise label is kept). Each
client still emits its own hook events.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, ClassVar

from ._completion import Completion
from ._errors import (
    AllFailedError,
    APIConnectionError,
    CircuitOpenError,
    ConfigurationError,
    InternalServerError,
    RateLimitError,
)
from ._labels import label_of
from ._protocol import Call, Completer
from ._relay import (
    AsyncEvents,
    AsyncRelayStream,
    Events,
    Finish,
    RelayStream,
    aevents_of,
    events_of,
)
from ._streams import AsyncStream, Stream

__all__ = [
    "TRANSIENT_ERRORS",
    "ErrorTypes",
    "Fallback",
    "check_completers",
    "error_types",
    "fallback",
]

ErrorTypes = tuple[type[BaseException], ...]

TRANSIENT_ERRORS: ErrorTypes = (RateLimitError, InternalServerError, APIConnectionError)
"""The errors that say "this client cannot answer right now": rate limits (429), server errors
(5xx, 529) and connection failures (timeouts included, :class:`~typedllm.APITimeoutError` is an
:class:`~typedllm.APIConnectionError`). The default ``on`` of :func:`fallback`,
:class:`~typedllm.CircuitBreaker` and :class:`~typedllm.Router`."""


def error_types(on: object, what: str = "on") -> ErrorTypes:
    """Check an ``on=`` argument: an exception class or a tuple of them."""
    items: tuple[object, ...] = on if isinstance(on, tuple) else (on,)  # pyright: ignore[reportUnknownVariableType]
    for item in items:
        if not (isinstance(item, type) and issubclass(item, BaseException)):
            raise ConfigurationError(
                f"{what}= takes exception classes (e.g. tl.RateLimitError), got {item!r}"
            )
    return items  # type: ignore[return-value]  # every item was checked above


def check_completers(clients: Sequence[object], what: str) -> tuple[Completer, ...]:
    for client in clients:
        if not isinstance(client, Completer):
            raise ConfigurationError(
                f"{what} takes clients (built with a builder's .build()) or other completers, "
                f"got {client!r}"
            )
    return tuple(clients)  # type: ignore[arg-type]  # every client was checked above


class _Tries:
    """What one call went through across the clients: the failures fallen back on, in order."""

    __slots__ = ("errors", "labels", "on")

    def __init__(self, on: ErrorTypes) -> None:
        self.on = on
        self.labels: list[str] = []
        self.errors: list[BaseException] = []

    def absorb(self, label: str, error: BaseException) -> bool:
        """Record ``error`` and say whether to try the next client (else: raise it)."""
        if not isinstance(error, (CircuitOpenError, *self.on)):
            return False
        self.labels.append(label)
        self.errors.append(error)
        return True

    def exhausted(self) -> AllFailedError:
        error = AllFailedError(self.labels, self.errors)
        error.__cause__ = error.last
        return error

    @staticmethod
    def answered(completion: Completion[Any], label: str) -> Completion[Any]:
        if completion.answered_by is not None:  # a nested fallback or router knows better
            return completion
        return dataclasses.replace(completion, answered_by=label)


class Fallback(Completer):
    """A completer that tries its clients in order (make one with :func:`fallback`).

    It has the typed surface of every client (``complete(prompt, schema=T) -> T``,
    ``completion``, ``stream`` and their async twins), is stateless and thread-safe, and
    pickles when its clients do.

    Attributes:
        clients: the clients, in the order they are tried.
        on: the error types that move on to the next client.
    """

    __slots__ = ("_labels", "clients", "on")

    TRANSIENT_ERRORS: ClassVar[ErrorTypes] = TRANSIENT_ERRORS
    """The default ``on``: extend it with ``on=(*tl.Fallback.TRANSIENT_ERRORS, MyError)``."""

    def __init__(self, clients: Sequence[Completer], *, on: ErrorTypes = TRANSIENT_ERRORS) -> None:
        self.clients = check_completers(clients, "fallback()")
        if not self.clients:
            raise ConfigurationError("fallback() needs at least one client")
        self.on = error_types(on)
        self._labels = tuple(label_of(c) for c in self.clients)

    @property
    def label(self) -> str:
        """``fallback(<label>, <label>, ...)``."""
        return f"fallback({', '.join(self._labels)})"

    def __repr__(self) -> str:
        clients = ", ".join(repr(c) for c in self.clients)
        on = ", ".join(t.__name__ for t in self.on)
        return f"Fallback([{clients}], on=({on}))"

    def _candidates(self) -> zip[tuple[str, Completer]]:
        return zip(self._labels, self.clients, strict=True)

    # -- the primitives ----------------------------------------------------------------------

    def _completion(self, call: Call) -> Completion[Any]:
        tries = _Tries(self.on)
        for label, client in self._candidates():
            try:
                completion = client._completion(call)  # pyright: ignore[reportPrivateUsage]
            except Exception as error:
                if not tries.absorb(label, error):
                    raise
                continue
            return tries.answered(completion, label)
        raise tries.exhausted()

    async def _acompletion(self, call: Call) -> Completion[Any]:
        tries = _Tries(self.on)
        for label, client in self._candidates():
            try:
                completion = await client._acompletion(call)  # pyright: ignore[reportPrivateUsage]
            except Exception as error:
                if not tries.absorb(label, error):
                    raise
                continue
            return tries.answered(completion, label)
        raise tries.exhausted()

    def _stream(self, call: Call) -> Stream[Any, Any]:
        def relay(finish: Finish) -> Events:
            tries = _Tries(self.on)
            for label, client in self._candidates():
                stream: Stream[Any, Any] | None = None
                try:
                    stream = client._stream(call)  # pyright: ignore[reportPrivateUsage]
                    first = next(events_of(stream), None)  # opens the stream: may fail
                except Exception as error:
                    if stream is not None:
                        stream.close()
                    if not tries.absorb(label, error):
                        raise
                    continue
                try:  # committed to this client: the caller is about to see its output
                    if first is not None:
                        yield first
                        yield from events_of(stream)
                finally:
                    stream.close()
                finish(tries.answered(stream.completion, label))
                return
            raise tries.exhausted()

        return RelayStream(relay)

    def _astream(self, call: Call) -> AsyncStream[Any, Any]:
        async def relay(finish: Finish) -> AsyncEvents:
            tries = _Tries(self.on)
            for label, client in self._candidates():
                stream: AsyncStream[Any, Any] | None = None
                try:
                    stream = client._astream(call)  # pyright: ignore[reportPrivateUsage]
                    first = await anext(aevents_of(stream), None)
                except Exception as error:
                    if stream is not None:
                        await stream.aclose()
                    if not tries.absorb(label, error):
                        raise
                    continue
                try:
                    if first is not None:
                        yield first
                        async for event in aevents_of(stream):
                            yield event
                finally:
                    await stream.aclose()
                finish(tries.answered(stream.completion, label))
                return
            raise tries.exhausted()

        return AsyncRelayStream(relay)


def fallback(primary: Completer, *others: Completer, on: ErrorTypes = TRANSIENT_ERRORS) -> Fallback:
    """A client that tries ``primary``, then each of ``others`` in turn, when a call fails with
    one of the ``on`` errors (default ``Fallback.TRANSIENT_ERRORS``: rate limits, server errors,
    connection failures and timeouts) or a breaker is open.

    Other errors are raised at once; when every client failed, :class:`~typedllm.AllFailedError`
    holds each failure. Streams fall back only before their first event. The result's
    ``answered_by`` names the client that answered::

        llm = tl.fallback(openai_client, anthropic_client)
        invoice = llm.complete("...", schema=Invoice)      # -> Invoice, as with one client
        llm.completion("...").answered_by                  # 'anthropic:claude-haiku-4-5'
    """
    return Fallback((primary, *others), on=on)
