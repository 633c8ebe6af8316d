"""The async behaviour of a client on both async drivers (httpx, the default, and aiohttp),
against real loopback sockets; then what only the aiohttp driver has (its configuration, one
session per event loop).

The aiohttp cases skip when aiohttp is not installed (``pip install 'typedllm[aiohttp]'``);
the httpx cases always run.
"""

from __future__ import annotations

import asyncio
import gc
import gzip
import pickle
import socket
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel
from reliability._servers import LoopbackServer, chat_answer, respond, trickle

import typedllm as tl
from typedllm._client import prefer_aiohttp
from typedllm.events import RetryScheduled
from typedllm.testing import FakeProvider, FakeReply, serve

HAS_AIOHTTP = tl.aiohttp_available()
needs_aiohttp = pytest.mark.skipif(
    not HAS_AIOHTTP, reason="aiohttp is not installed (pip install 'typedllm[aiohttp]')"
)
DRIVERS = ["httpx", pytest.param("aiohttp", marks=needs_aiohttp)]


class City(BaseModel):
    name: str
    population: int


@pytest.fixture(params=DRIVERS)
def driver(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


def _client(url: str, driver: str, **settings: Any) -> tl.Client:
    builder: Any = (
        tl.openai_compatible(url).model("m").api_key("sk-local-key").async_driver(driver)  # type: ignore[arg-type]
    )
    for name, value in settings.items():
        if name == "api_key":
            builder = builder.api_key(value[0], picklable=value[1])
        else:
            builder = getattr(builder, name)(value)
    client: tl.Client = builder.build()
    return client


def _no_retries() -> tl.RetryPolicy:
    return tl.RetryPolicy(max_attempts=1)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def hold() -> Iterator[tuple[LoopbackServer, threading.Event]]:
    """A server that sends a stream's head and first event, then waits: ``closed`` is set
    when the client closes the connection."""
    closed = threading.Event()
    holder: list[LoopbackServer] = []

    def handle(conn: socket.socket, raw: bytes) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
            b"transfer-encoding: chunked\r\n\r\n"
        )
        event = b'data: {"choices": [{"index": 0, "delta": {"content": "a"}}]}\n\n'
        conn.sendall(f"{len(event):x}\r\n".encode() + event + b"\r\n")
        conn.settimeout(0.1)
        while not holder[0].stopping:
            try:
                if conn.recv(1) == b"":
                    closed.set()
                    return
            except TimeoutError:
                continue

    server = LoopbackServer(handle)
    holder.append(server)
    try:
        yield server, closed
    finally:
        server.close()


# -- the same behaviour on both drivers --------------------------------------------------------


async def test_complete_text_and_schema(driver: str) -> None:
    with serve() as server:
        async with _client(server.base_url, driver) as llm:
            assert await llm.acomplete("hi") == "[fake answer] hi"
            city = await llm.acomplete("a city", schema=City)
            done = await llm.acompletion("again", schema=City)
    assert isinstance(city, City)
    assert isinstance(done.output, City) and done.usage.input_tokens
    first = server.provider.requests[0]
    assert first.json["model"] == "m"
    assert first.headers["authorization"] == "***"  # sent (and redacted in the record)
    assert server.provider.calls == 3


async def test_stream_text_and_items(driver: str) -> None:
    with serve() as server:
        async with _client(server.base_url, driver) as llm:
            async with llm.astream("stream this prompt back to me") as stream:
                deltas = [d async for d in stream]
            assert len(deltas) > 1
            assert "".join(deltas) == "[fake answer] stream this prompt back to me"
            async with llm.astream("cities", schema=list[City]) as cities:
                items = [c async for c in cities.items()]
            async with llm.astream("a city", schema=City) as one:
                final = await one.final()
    assert items and all(isinstance(c, City) for c in items)
    assert isinstance(final, City)
    assert all(r.json["stream"] is True for r in server.provider.requests)


@pytest.mark.parametrize("stream", [False, True], ids=["complete", "stream"])
async def test_500_and_429_are_retried(driver: str, stream: bool) -> None:
    script = [FakeReply.error(500, "boom"), FakeReply.error(429, "slow", retry_after=0.01), "ok"]
    retries: list[RetryScheduled] = []

    def hook(event: object) -> None:
        if isinstance(event, RetryScheduled):
            retries.append(event)

    policy = tl.RetryPolicy(max_attempts=3, backoff_base=0.001)
    with serve(FakeProvider(script)) as server:
        async with _client(server.base_url, driver, retry_policy=policy, on_event=hook) as llm:
            if stream:
                async with llm.astream("hi") as s:
                    text = "".join([d async for d in s])
            else:
                text = await llm.acomplete("hi")
    assert text == "ok"
    assert [r.status for r in retries] == [500, 429]
    assert retries[1].delay == pytest.approx(0.01)  # the Retry-After was read
    assert server.provider.calls == 3


async def test_a_retry_budget_ends_in_the_typed_status_error(driver: str) -> None:
    script = [FakeReply.error(429, "slow", retry_after=0), FakeReply.error(429, "still slow")]
    policy = tl.RetryPolicy(max_attempts=2, backoff_base=0)
    with serve(FakeProvider(script)) as server:
        async with _client(server.base_url, driver, retry_policy=policy) as llm:
            with pytest.raises(tl.RateLimitError, match="still slow"):
                await llm.acomplete("hi")
    assert server.provider.calls == 2


@pytest.mark.parametrize("stream", [False, True], ids=["complete", "stream"])
async def test_a_silent_server_is_a_timeout_naming_the_host(driver: str, stream: bool) -> None:
    holder: list[LoopbackServer] = []

    def handle(conn: socket.socket, raw: bytes) -> None:
        while not holder[0].stopping:
            time.sleep(0.02)

    server = LoopbackServer(handle)
    holder.append(server)
    try:
        llm = _client(server.url, driver, timeout=0.3, retry_policy=_no_retries())
        started = time.monotonic()
        async with llm:
            with pytest.raises(tl.APITimeoutError) as caught:
                if stream:
                    async with llm.astream("hi") as s:
                        [d async for d in s]
                else:
                    await llm.acomplete("hi")
        assert time.monotonic() - started < 2.5
    finally:
        server.close()
    error = caught.value
    assert error.timeout == pytest.approx(0.3)
    assert error.deadline is False
    assert "127.0.0.1" in str(error) and "0.3s" in str(error)


@pytest.mark.parametrize("stream", [False, True], ids=["body", "stream"])
async def test_a_trickling_server_cannot_outlast_the_deadline(driver: str, stream: bool) -> None:
    holder: list[LoopbackServer] = []

    def handle(conn: socket.socket, raw: bytes) -> None:
        trickle(holder[0], conn, stream=stream)

    server = LoopbackServer(handle)
    holder.append(server)
    try:
        llm = _client(server.url, driver, timeout=10, deadline=0.8)
        started = time.monotonic()
        async with llm:
            with pytest.raises(tl.APITimeoutError) as caught:
                if stream:
                    async with llm.astream("hi") as s:
                        async for _ in s:
                            pass
                else:
                    await llm.acomplete("hi")
        took = time.monotonic() - started
    finally:
        server.close()
    assert took < 2.5, f"the call took {took:.1f}s against a 0.8s deadline"
    assert caught.value.deadline is True
    assert "deadline of 0.8s" in str(caught.value)
    assert server.requests == 1  # a passed deadline is not retried


async def test_a_refused_connection_names_the_host(driver: str) -> None:
    port = _closed_port()
    retries: list[RetryScheduled] = []
    policy = tl.RetryPolicy(max_attempts=2, backoff_base=0)
    llm = _client(
        f"http://127.0.0.1:{port}/v1", driver, retry_policy=policy, on_event=retries.append
    )
    async with llm:
        with pytest.raises(tl.APIConnectionError) as caught:
            await llm.acomplete("hi")
    error = caught.value
    assert not isinstance(error, tl.APITimeoutError)
    assert error.host in (f"127.0.0.1:{port}", "127.0.0.1")
    assert f"127.0.0.1:{port}" in str(error)
    assert "sk-local-key" not in str(error)
    assert [e.reason for e in retries if isinstance(e, RetryScheduled)] == ["connection"]


async def test_a_connection_reset_mid_body_is_a_connection_error(driver: str) -> None:
    def handle(conn: socket.socket, raw: bytes) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"
        )
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        conn.close()  # with SO_LINGER 0: a reset

    server = LoopbackServer(handle)
    try:
        async with _client(server.url, driver, retry_policy=_no_retries()) as llm:
            with pytest.raises(tl.APIConnectionError) as caught:
                await llm.acomplete("hi")
    finally:
        server.close()
    assert not isinstance(caught.value, tl.APITimeoutError)
    assert "127.0.0.1" in str(caught.value)


async def test_cancelling_a_stream_closes_the_response(
    driver: str, hold: tuple[LoopbackServer, threading.Event]
) -> None:
    server, closed = hold
    first = asyncio.Event()

    async def consume(llm: tl.Client) -> None:
        async with llm.astream("hi") as s:
            async for _ in s:
                first.set()

    async with _client(server.url, driver, retry_policy=_no_retries()) as llm:
        task = asyncio.create_task(consume(llm))
        await asyncio.wait_for(first.wait(), 5)
        assert not closed.is_set()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        for _ in range(100):  # the server sees the connection close
            if closed.is_set():
                break
            await asyncio.sleep(0.02)
    assert closed.is_set()


async def test_leaving_a_stream_early_closes_the_response(
    driver: str, hold: tuple[LoopbackServer, threading.Event]
) -> None:
    server, closed = hold
    async with _client(server.url, driver, retry_policy=_no_retries()) as llm:
        async with llm.astream("hi") as s:
            async for delta in s:
                assert delta == "a"
                break
        for _ in range(100):
            if closed.is_set():
                break
            await asyncio.sleep(0.02)
    assert closed.is_set()


async def test_a_body_that_does_not_decompress_is_a_protocol_error(driver: str) -> None:
    def handle(conn: socket.socket, raw: bytes) -> None:
        respond(conn, 200, b"this is not gzip", headers={"content-encoding": "gzip"})

    server = LoopbackServer(handle)
    try:
        llm = _client(server.url, driver, retry_policy=tl.RetryPolicy(backoff_base=0))
        async with llm:
            with pytest.raises(tl.ProtocolError) as caught:
                await llm.acomplete("hi")
    finally:
        server.close()
    assert "could not be decoded" in str(caught.value)
    assert "127.0.0.1" in str(caught.value)
    assert server.requests == 1  # not retried


async def test_a_gzip_body_is_decompressed(driver: str) -> None:
    def handle(conn: socket.socket, raw: bytes) -> None:
        respond(
            conn, 200, gzip.compress(chat_answer("zipped")), headers={"content-encoding": "gzip"}
        )

    server = LoopbackServer(handle)
    try:
        async with _client(server.url, driver) as llm:
            assert await llm.acomplete("hi") == "zipped"
    finally:
        server.close()


async def test_redirects_are_not_followed(driver: str) -> None:
    def handle(conn: socket.socket, raw: bytes) -> None:
        respond(conn, 307, b"{}", headers={"location": "/elsewhere"})

    server = LoopbackServer(handle)
    try:
        async with _client(server.url, driver, retry_policy=_no_retries()) as llm:
            with pytest.raises(tl.APIStatusError) as caught:
                await llm.acomplete("hi")
    finally:
        server.close()
    # The flow sees the 307 itself (a status error naming where it pointed): nobody followed.
    assert caught.value.status_code == 307
    assert "HTTP 307" in str(caught.value) and "/elsewhere" in str(caught.value)
    assert server.requests == 1


async def test_concurrent_calls_share_the_connections(driver: str) -> None:
    with serve() as server:
        async with _client(server.base_url, driver) as llm:
            answers = await asyncio.gather(*(llm.acomplete(f"q{i}") for i in range(40)))
    assert answers == [f"[fake answer] q{i}" for i in range(40)]


# -- choosing the driver -------------------------------------------------------------------------


def test_the_default_async_driver_is_httpx() -> None:
    llm = tl.openai_compatible("http://127.0.0.1:1/v1").model("m").build()
    assert llm.config.async_driver == "httpx"
    assert type(llm._async()).__name__ == "AsyncDriver"


def test_an_unknown_driver_name_is_refused() -> None:
    with pytest.raises(tl.ConfigurationError, match="'httpx' or 'aiohttp'"):
        tl.openai_compatible("http://127.0.0.1:1/v1").async_driver("requests")  # type: ignore[arg-type]


def test_aiohttp_missing_is_a_clear_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "aiohttp", None)  # import aiohttp now fails
    assert tl.aiohttp_available() is False
    builder = tl.openai_compatible("http://127.0.0.1:1/v1").model("m")
    with pytest.raises(tl.ConfigurationError, match=r"pip install 'typedllm\[aiohttp\]'"):
        builder.async_driver("aiohttp")
    llm = builder.build()
    with pytest.raises(tl.ConfigurationError, match="needs aiohttp"):
        tl.with_async_driver(llm, "aiohttp")
    assert prefer_aiohttp(llm) is llm  # the automatic choice falls back to httpx


@needs_aiohttp
def test_aiohttp_refuses_httpx_only_objects_in_either_order() -> None:
    import httpx

    base = tl.openai_compatible("http://127.0.0.1:1/v1").model("m")
    fake = FakeProvider()
    with pytest.raises(tl.ConfigurationError, match=r"\.transport\(\)"):
        base.async_driver("aiohttp").transport(fake).build()
    with pytest.raises(tl.ConfigurationError, match=r"\.transport\(\)"):
        base.transport(fake).async_driver("aiohttp").build()
    client = httpx.AsyncClient()
    with pytest.raises(tl.ConfigurationError, match=r"\.async_http_client\(\)"):
        base.async_http_client(client).async_driver("aiohttp").build()
    with pytest.raises(tl.ConfigurationError, match=r"\.transport\(\)"):
        tl.with_async_driver(base.transport(fake).build(), "aiohttp")
    # A sync-only httpx client is fine: the async side does not use it.
    with httpx.Client() as sync_client:
        assert base.http_client(sync_client).async_driver("aiohttp").build()
    # Back to httpx keeps the transport working.
    assert base.transport(fake).async_driver("aiohttp").async_driver("httpx").build()


@needs_aiohttp
async def test_with_async_driver_makes_a_copy_on_aiohttp() -> None:
    with serve() as server:
        llm = _client(server.base_url, "httpx")
        fast = tl.with_async_driver(llm, "aiohttp")
        assert fast is not llm
        assert fast.config.async_driver == "aiohttp"
        assert llm.config.async_driver == "httpx"
        assert fast.config.host == llm.config.host and fast.model == llm.model
        async with fast:
            assert await fast.acomplete("x") == "[fake answer] x"
            assert type(fast._async()).__name__ == "AiohttpDriver"
        back = tl.with_async_driver(fast, "httpx")
        assert back.config.async_driver == "httpx"
        # The automatic choice: a plain client moves, a fake-transport client or another
        # completer stays.
        assert prefer_aiohttp(llm).config.async_driver == "aiohttp"
        on_fake = tl.openai_compatible(server.base_url).model("m").transport(FakeProvider()).build()
        assert prefer_aiohttp(on_fake) is on_fake
        assert prefer_aiohttp(fast) is fast
        breaker = tl.CircuitBreaker().wrap(llm)
        assert prefer_aiohttp(breaker) is breaker


@needs_aiohttp
def test_the_driver_choice_survives_pickling_and_sync_calls_use_httpx() -> None:
    with serve() as server:
        llm = _client(server.base_url, "aiohttp", api_key=("sk-local-key", True))
        copy = pickle.loads(pickle.dumps(llm))
        assert copy.config.async_driver == "aiohttp"
        with copy:
            assert copy.complete("sync") == "[fake answer] sync"  # the sync side is httpx


@needs_aiohttp
def test_one_session_per_loop_closed_when_the_loop_ends() -> None:
    """A client used under several ``asyncio.run`` calls gets a session per loop, and each
    is closed when its loop shuts down even though the client is never closed (no
    "Unclosed client session" warning: the suite turns warnings into errors)."""
    with serve() as server:
        llm = _client(server.base_url, "aiohttp")
        seen: list[Any] = []

        async def call() -> str:
            answer = await llm.acomplete("x")
            sessions = list(llm._async().sessions())  # type: ignore[union-attr]
            assert len(sessions) == 1
            seen.append(sessions[0])
            return answer

        assert asyncio.run(call()) == "[fake answer] x"
        assert asyncio.run(call()) == "[fake answer] x"
        assert seen[0] is not seen[1]
        assert all(s.closed for s in seen)
        driver: Any = llm._async()
        assert len(driver._sessions) == 1  # the first loop's entry was dropped
        seen.clear()  # the sessions go: nothing warns when they are collected
        gc.collect()


@needs_aiohttp
async def test_aclose_closes_the_loops_session_and_refuses_new_calls() -> None:
    with serve() as server:
        llm = _client(server.base_url, "aiohttp")
        await llm.acomplete("x")
        driver: Any = llm._async()
        (session,) = driver.sessions()
        await llm.aclose()
        assert session.closed
        assert list(driver.sessions()) == []
        with pytest.raises(tl.ClientClosedError):
            await llm.acomplete("y")
