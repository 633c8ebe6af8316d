"""The call's deadline bounds the whole call (retries included), even against a server that
trickles one byte or one event at a time and so never trips a read timeout."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from _servers import LoopbackServer, trickle

import typedllm as tl


@pytest.fixture(params=[False, True], ids=["body", "stream"])
def trickling(request: pytest.FixtureRequest) -> Iterator[tuple[LoopbackServer, bool]]:
    stream: bool = request.param
    holder: list[LoopbackServer] = []

    def handle(conn: socket.socket, raw: bytes) -> None:
        trickle(holder[0], conn, stream=stream)

    server = LoopbackServer(handle)
    holder.append(server)
    try:
        yield server, stream
    finally:
        server.close()


def _client(url: str, deadline: float) -> tl.Client:
    return (
        tl.openai_compatible(url)
        .model("m")
        .api_key("sk-local-key")
        .timeout(10)
        .deadline(deadline)
        .build()
    )


def test_a_trickling_server_cannot_outlast_the_deadline(
    trickling: tuple[LoopbackServer, bool],
) -> None:
    server, stream = trickling
    llm = _client(server.url, 1.0)
    started = time.monotonic()
    with pytest.raises(tl.APITimeoutError) as caught:
        if stream:
            with llm.stream("hi") as s:
                for _ in s:
                    pass
        else:
            llm.complete("hi")
    took = time.monotonic() - started
    assert took < 3.0, f"the call took {took:.1f}s against a 1s deadline"
    error = caught.value
    assert error.deadline is True
    assert error.timeout == 1.0
    assert "deadline of 1s" in str(error) and "127.0.0.1" in str(error)
    assert server.requests == 1  # a passed deadline is never retried


async def test_a_trickling_server_cannot_outlast_the_deadline_async(
    trickling: tuple[LoopbackServer, bool],
) -> None:
    server, stream = trickling
    llm = _client(server.url, 1.0)
    started = time.monotonic()
    with pytest.raises(tl.APITimeoutError) as caught:
        if stream:
            async with llm.astream("hi") as s:
                async for _ in s:
                    pass
        else:
            await llm.acomplete("hi")
    took = time.monotonic() - started
    assert took < 3.0, f"the call took {took:.1f}s against a 1s deadline"
    assert caught.value.deadline is True


def test_a_stalled_read_is_cut_at_the_deadline_not_at_the_read_timeout() -> None:
    # The server sends the head and then nothing: the read timeout (10 s) must not be what
    # ends the call when the deadline (1 s) is sooner.
    def handle(conn: socket.socket, raw: bytes) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
            b"transfer-encoding: chunked\r\n\r\n"
        )
        event = b'data: {"choices": [{"index": 0, "delta": {"content": "a"}}]}\n\n'
        conn.sendall(f"{len(event):x}\r\n".encode() + event + b"\r\n")
        while not server.stopping:
            time.sleep(0.05)

    server = LoopbackServer(handle)
    try:
        llm = _client(server.url, 1.0)
        started = time.monotonic()
        with pytest.raises(tl.APITimeoutError) as caught, llm.stream("hi") as s:
            for _ in s:
                pass
        assert time.monotonic() - started < 3.0
        assert caught.value.deadline is True
    finally:
        server.close()


def test_deadline_and_retry_policy_in_either_order() -> None:
    policy = tl.RetryPolicy(max_attempts=5)
    first = tl.openai().model("gpt-4o-mini").api_key("k").deadline(9).retry_policy(policy).build()
    second = tl.openai().model("gpt-4o-mini").api_key("k").retry_policy(policy).deadline(9).build()
    assert first.config.retry == second.config.retry
    assert first.config.retry.deadline == 9.0 and first.config.retry.max_attempts == 5
    # A policy with its own deadline is the one that counts.
    own = tl.RetryPolicy(deadline=3)
    third = tl.openai().model("gpt-4o-mini").api_key("k").deadline(9).retry_policy(own).build()
    assert third.config.retry.deadline == 3.0
