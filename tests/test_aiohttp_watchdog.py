"""The aiohttp driver's watchdog (typedllm/_watchdog.py): one timer per event loop bounds the
plain exchanges whose timeout is long enough to be watched. Against real loopback sockets,
with the threshold and the tick made short so that the cases run in a fraction of a second.

Skipped when aiohttp is not installed (``pip install 'typedllm[aiohttp]'``).
"""

from __future__ import annotations

import asyncio
import socket
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from reliability._servers import LoopbackServer, chat_answer, respond

import typedllm as tl
from typedllm import _aiohttp, _watchdog

pytestmark = [
    pytest.mark.skipif(
        not tl.aiohttp_available(),
        reason="aiohttp is not installed (pip install 'typedllm[aiohttp]')",
    ),
    pytest.mark.skipif(sys.version_info < (3, 11), reason="the watchdog needs Task.uncancel"),
]

TIMEOUT = 0.3


@pytest.fixture(autouse=True)
def short_watch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Timeouts from 0.2 s on are watched, looked at every 0.05 s."""
    monkeypatch.setattr(_aiohttp, "WATCHED_FROM", 0.2)
    monkeypatch.setattr(_watchdog, "TICK", 0.05)


def _client(url: str, *, timeout: float = TIMEOUT, attempts: int = 1) -> tl.Client:
    return (
        tl.openai_compatible(url)
        .model("m")
        .api_key("sk-local-key")
        .async_driver("aiohttp")
        .timeout(timeout)
        .retry_policy(tl.RetryPolicy(max_attempts=attempts, backoff_base=0))
        .build()
    )


def _served(handler: Callable[[LoopbackServer, socket.socket, bytes], None]) -> LoopbackServer:
    holder: list[LoopbackServer] = []
    server = LoopbackServer(lambda conn, raw: handler(holder[0], conn, raw))
    holder.append(server)
    return server


@pytest.fixture
def server_of() -> Iterator[Callable[..., LoopbackServer]]:
    made: list[LoopbackServer] = []

    def make(handler: Callable[[LoopbackServer, socket.socket, bytes], None]) -> LoopbackServer:
        server = _served(handler)
        made.append(server)
        return server

    yield make
    for server in made:
        server.close()


def _silent(server: LoopbackServer, conn: socket.socket, raw: bytes) -> None:
    while not server.stopping:
        time.sleep(0.01)


def _answer(server: LoopbackServer, conn: socket.socket, raw: bytes) -> None:
    respond(conn, 200, chat_answer("hello"))


def _watchdog_of(llm: tl.Client) -> _watchdog.Watchdog:
    driver: Any = llm._async()  # pyright: ignore[reportPrivateUsage]
    [entry] = driver._sessions.values()
    watchdog: _watchdog.Watchdog = entry.watchdog
    return watchdog


async def test_a_silent_server_times_out_on_the_watchdog(server_of: Any) -> None:
    server = server_of(_silent)
    llm = _client(server.url)
    started = time.monotonic()
    async with llm:
        with pytest.raises(tl.APITimeoutError) as caught:
            await llm.acomplete("hi")
        took = time.monotonic() - started
        driver: Any = llm._async()  # pyright: ignore[reportPrivateUsage]
        # The exchange ran without aiohttp's read timer: the watchdog bounded it.
        assert [key for key in driver._timeouts if key[1] is False] == [(TIMEOUT, False)]
        assert len(_watchdog_of(llm)) == 0  # nothing left watched
        assert asyncio.current_task().cancelling() == 0  # type: ignore[union-attr]
    assert TIMEOUT <= took < TIMEOUT + 1.0
    error = caught.value
    assert error.timeout == pytest.approx(TIMEOUT) and error.deadline is False
    assert "127.0.0.1" in str(error) and "no progress" in str(error)


async def test_a_head_then_a_stalled_body_times_out(server_of: Any) -> None:
    def head_only(server: LoopbackServer, conn: socket.socket, raw: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n")
        conn.sendall(b"content-length: 500\r\n\r\n{")
        _silent(server, conn, raw)

    llm = _client(server_of(head_only).url)
    async with llm:
        with pytest.raises(tl.APITimeoutError, match="no progress"):
            await llm.acomplete("hi")


async def test_a_body_that_keeps_arriving_is_not_cut_off(server_of: Any) -> None:
    # Each byte comes well within the timeout, the whole body takes three times as long:
    # the bound is on progress, as httpx's read timeout is, not on the whole exchange.
    body = chat_answer("slow but steady")

    def trickling(server: LoopbackServer, conn: socket.socket, raw: bytes) -> None:
        head = f"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len(body)}"
        conn.sendall(head.encode() + b"\r\n\r\n")
        step = max(1, len(body) // 12)
        for start in range(0, len(body), step):
            conn.sendall(body[start : start + step])
            time.sleep(TIMEOUT * 3 / 12)

    llm = _client(server_of(trickling).url)
    started = time.monotonic()
    async with llm:
        assert await llm.acomplete("hi") == "slow but steady"
    assert time.monotonic() - started > TIMEOUT * 2  # it did take longer than the timeout


async def test_a_watched_timeout_is_retried_like_any_timeout(server_of: Any) -> None:
    calls: list[int] = []

    def first_silent(server: LoopbackServer, conn: socket.socket, raw: bytes) -> None:
        calls.append(1)
        if len(calls) == 1:
            _silent(server, conn, raw)
        else:
            _answer(server, conn, raw)

    llm = _client(server_of(first_silent).url, attempts=2)
    async with llm:
        assert await llm.acomplete("hi") == "hello"
        assert await llm.acomplete("again") == "hello"  # the task carries on, not cancelled
    assert len(calls) == 3


async def test_the_callers_cancellation_is_never_taken_for_a_timeout(server_of: Any) -> None:
    llm = _client(server_of(_silent).url, timeout=5 * TIMEOUT)
    async with llm:
        task = asyncio.ensure_future(llm.acomplete("hi"))
        await asyncio.sleep(TIMEOUT)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert len(_watchdog_of(llm)) == 0


async def test_an_outer_timeout_shorter_than_the_watch_stays_the_callers(server_of: Any) -> None:
    llm = _client(server_of(_silent).url, timeout=5 * TIMEOUT)
    async with llm:
        with pytest.raises(TimeoutError) as caught:
            async with asyncio.timeout(TIMEOUT):
                await llm.acomplete("hi")
        assert not isinstance(caught.value, tl.APITimeoutError)


async def test_an_outer_cancellation_at_the_same_time_as_the_watch_wins(server_of: Any) -> None:
    # Both fire on the same task: the watch's own cancellation is taken back, the caller's is
    # not swallowed.
    llm = _client(server_of(_silent).url)
    async with llm:
        task = asyncio.ensure_future(llm.acomplete("hi"))
        await asyncio.sleep(0.05)
        watchdog = _watchdog_of(llm)
        [watch] = list(watchdog._watches)  # pyright: ignore[reportPrivateUsage]
        watch.deadline = 0.0
        watchdog._look()  # pyright: ignore[reportPrivateUsage]  # the watch runs out: a cancel
        assert watch.expired
        task.cancel()  # and the caller cancels too, before the task runs again
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_one_stalled_request_times_out_alone(server_of: Any) -> None:
    def some_silent(server: LoopbackServer, conn: socket.socket, raw: bytes) -> None:
        if b"stall" in raw:
            _silent(server, conn, raw)
        else:
            _answer(server, conn, raw)

    llm = _client(server_of(some_silent).url)
    async with llm:
        prompts = ["ok"] * 9 + ["stall"]
        results = await asyncio.gather(*(llm.acomplete(p) for p in prompts), return_exceptions=True)
    assert results[:9] == ["hello"] * 9
    assert isinstance(results[9], tl.APITimeoutError)


async def test_short_timeouts_keep_aiohttps_own_read_timer(server_of: Any) -> None:
    llm = _client(server_of(_answer).url, timeout=0.1)  # below the watched threshold (0.2)
    async with llm:
        assert await llm.acomplete("hi") == "hello"
        driver: Any = llm._async()  # pyright: ignore[reportPrivateUsage]
        assert (0.1, True) in driver._timeouts and (0.1, False) not in driver._timeouts


async def test_the_watchdog_timer_runs_only_while_something_is_watched() -> None:
    loop = asyncio.get_running_loop()
    watchdog = _watchdog.Watchdog(loop, tick=0.01)
    watch = watchdog.watch(1.0)
    assert watch is not None and watchdog._handle is not None  # pyright: ignore[reportPrivateUsage]
    watchdog.done(watch)
    await asyncio.sleep(0.05)
    assert watchdog._handle is None  # pyright: ignore[reportPrivateUsage]
    assert len(watchdog) == 0


def test_nothing_is_watched_outside_a_task() -> None:
    loop = asyncio.new_event_loop()
    try:
        assert _watchdog.Watchdog(loop).watch(1.0) is None
    finally:
        loop.close()
