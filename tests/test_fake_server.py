"""The fake provider on a loopback socket, and its CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from pydantic import BaseModel

import typedllm as tl
from typedllm.testing import FakeProvider, FakeReply, serve

ROOT = Path(__file__).resolve().parents[1]


class City(BaseModel):
    name: str
    population: int


def test_loopback_server_round_trip_sync_and_async() -> None:
    with serve() as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        llm = tl.openai_compatible(base_url=server.base_url).model("fake").build()
        with llm:
            city = llm.complete("x", schema=City)
        assert isinstance(city, City)
        assert server.provider.requests[0].json["model"] == "fake"

        import asyncio

        async def go() -> City:
            async with llm:
                return await llm.acomplete("y", schema=City)

        assert isinstance(asyncio.run(go()), City)


def test_scripted_server_and_exhaustion() -> None:
    with serve(FakeProvider([FakeReply.error(404, "no such model")])) as server:
        llm = tl.openai().model("gpt-4o").api_key("k").base_url(server.base_url).build()
        with llm, pytest.raises(tl.NotFoundError, match="no such model"):
            llm.complete("x")


def test_server_refuses_non_loopback_addresses() -> None:
    from typedllm.testing import FakeServer

    with pytest.raises(ValueError, match="loopback"):
        FakeServer(FakeProvider(), host="0.0.0.0")


def test_cli_serves_and_stops_by_itself() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    proc = subprocess.Popen(
        [sys.executable, "-m", "typedllm.testing", "--port", str(port), "--duration", "20"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert f"127.0.0.1:{port}" in line
        deadline = time.monotonic() + 10
        while True:
            try:
                r = httpx.post(
                    f"http://127.0.0.1:{port}/v1/chat/completions",
                    json={"model": "m", "messages": [{"role": "user", "content": "hi"}]},
                )
                break
            except httpx.ConnectError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert r.status_code == 200
        assert r.json()["choices"][0]["message"]["content"] == "[fake answer] hi"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()
