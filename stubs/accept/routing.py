"""Accepted: fallback, circuit breakers and routers keep the typed surface of a client
(``complete(prompt, schema=T) -> T``), and their errors and records are typed."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel
from typing_extensions import assert_type

import typedllm as tl


class Invoice(BaseModel):
    number: str


def fallbacks(primary: tl.Client, secondary: tl.Client) -> None:
    llm = tl.fallback(primary, secondary)
    assert_type(llm, tl.Fallback)
    assert_type(llm.complete("x"), str)
    assert_type(llm.complete("x", schema=Invoice), Invoice)
    assert_type(llm.complete("x", schema=list[Invoice]), list[Invoice])
    assert_type(llm.complete("x", schema=Invoice | None), Invoice | None)
    rec = llm.completion("x", schema=Invoice)
    assert_type(rec, tl.Completion[Invoice])
    assert_type(rec.answered_by, str | None)
    assert_type(llm.stream("x"), tl.Stream[str, str])
    assert_type(llm.stream("x", schema=Invoice), tl.Stream[tl.Partial[Invoice], Invoice])
    assert_type(llm.stream("x", schema=Invoice).completion.answered_by, str | None)
    custom = tl.fallback(primary, secondary, on=(tl.RateLimitError, tl.BadRequestError))
    assert_type(custom.on, tuple[type[BaseException], ...])
    extended = tl.fallback(primary, on=(*tl.Fallback.TRANSIENT_ERRORS, tl.ProtocolError))
    assert_type(extended.clients, tuple[tl.Completer, ...])
    nested = tl.fallback(llm, tl.CircuitBreaker().wrap(secondary))
    assert_type(nested.complete("x", schema=Invoice), Invoice)


async def async_fallbacks(primary: tl.Client, secondary: tl.Client) -> None:
    llm = tl.fallback(primary, secondary)
    assert_type(await llm.acomplete("x", schema=Invoice), Invoice)
    assert_type(await llm.acompletion("x"), tl.Completion[str])
    assert_type(llm.astream("x", schema=Invoice), tl.AsyncStream[tl.Partial[Invoice], Invoice])


def breakers(client: tl.Client, clock: Callable[[], float]) -> None:
    breaker = tl.CircuitBreaker(3, window=60.0, cooldown=30.0, clock=clock)
    guarded = breaker.wrap(client)
    assert_type(guarded, tl.BreakerClient)
    assert_type(guarded.complete("x", schema=Invoice), Invoice)
    assert_type(guarded.breaker.state, tl.BreakerState)
    assert_type(breaker.failures, int)
    assert_type(tl.CircuitBreaker(on=(tl.RateLimitError,)), tl.CircuitBreaker)


def routers(cheap: tl.Client, vision: tl.Client, choose: Callable[[tl.Call], tl.Completer]) -> None:
    router = tl.Router(
        [tl.Rule.keywords("invoice", to=vision), tl.Rule(lambda call: call.has_schema, cheap)],
        default=[cheap, vision],
    )
    assert_type(router.complete("x"), str)
    assert_type(router.complete("x", schema=Invoice), Invoice)
    assert_type(router.completion("x", schema=list[Invoice]).output, list[Invoice])
    assert_type(router.candidates(tl.Call("x")), tuple[tl.Completer, ...])
    assert_type(tl.Router(choose=choose).complete("x", schema=Invoice), Invoice)
    assert_type(tl.fallback(router, cheap).complete("x", schema=Invoice), Invoice)
    assert_type(tl.estimate_tokens([tl.user("x")]), int)
    assert_type(tl.prompt_text("x"), str)


def errors(error: tl.AllFailedError, opened: tl.CircuitOpenError, none: tl.NoRouteError) -> None:
    assert_type(error.clients, tuple[str, ...])
    assert_type(error.errors, tuple[BaseException, ...])
    assert_type(error.last, BaseException | None)
    assert_type(opened.client, str)
    assert_type(opened.retry_in, float)
    assert_type(none.reasons, tuple[str, ...])
