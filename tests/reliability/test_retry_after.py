"""``Retry-After`` through the public API: seconds, milliseconds and HTTP dates are honoured up
to the cap; a wait above the cap fails at once with the ``RateLimitError``."""

from __future__ import annotations

import time
from email.utils import formatdate
from typing import Any

import httpx
import pytest

import typedllm as tl
from typedllm.events import RetryScheduled

OK = b'{"choices": [{"message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}]}'


def _client(
    retry_after: dict[str, str], events: list[Any], **policy: Any
) -> tuple[tl.Client, list[int]]:
    calls: list[int] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            return httpx.Response(
                429, json={"error": {"message": "slow down"}}, headers=retry_after
            )
        return httpx.Response(200, content=OK, headers={"content-type": "application/json"})

    llm = (
        tl.openai()
        .model("gpt-4o-mini")
        .api_key("sk-test")
        .transport(httpx.MockTransport(handle))
        .retry_policy(tl.RetryPolicy(**policy))
        .on_event(events.append)
        .build()
    )
    return llm, calls


def test_an_http_date_an_hour_away_fails_at_once() -> None:
    events: list[Any] = []
    later = formatdate(time.time() + 3600, usegmt=True)
    llm, calls = _client({"retry-after": later}, events)
    started = time.monotonic()
    with pytest.raises(tl.RateLimitError) as caught:
        llm.complete("hi")
    assert time.monotonic() - started < 1.0
    assert caught.value.retry_after == pytest.approx(3600, abs=5)
    assert len(calls) == 1
    assert not [e for e in events if isinstance(e, RetryScheduled)]


def test_an_http_date_in_the_past_retries_without_waiting() -> None:
    events: list[Any] = []
    llm, calls = _client({"retry-after": formatdate(time.time() - 60, usegmt=True)}, events)
    assert llm.complete("hi") == "ok"
    scheduled = [e for e in events if isinstance(e, RetryScheduled)]
    assert len(calls) == 2 and scheduled[0].delay == 0.0


@pytest.mark.parametrize(
    ("header", "expected"), [({"retry-after": "0.05"}, 0.05), ({"retry-after-ms": "30"}, 0.03)]
)
def test_a_short_wait_is_honoured(header: dict[str, str], expected: float) -> None:
    events: list[Any] = []
    llm, _calls = _client(header, events)
    assert llm.complete("hi") == "ok"
    scheduled = [e for e in events if isinstance(e, RetryScheduled)]
    assert scheduled[0].delay == pytest.approx(expected)
    assert scheduled[0].status == 429


def test_the_cap_is_configurable() -> None:
    events: list[Any] = []
    llm, calls = _client({"retry-after": "5"}, events, retry_after_cap=2.0)
    with pytest.raises(tl.RateLimitError) as caught:
        llm.complete("hi")
    assert caught.value.retry_after == 5.0
    assert len(calls) == 1


def test_the_default_cap_is_at_most_a_minute() -> None:
    assert tl.RetryPolicy().retry_after_cap <= 60.0
