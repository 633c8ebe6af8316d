"""block_network() stops real requests and lets loopback and fake transports through."""

from __future__ import annotations

import asyncio

import pytest

import typedllm as tl
from typedllm.testing import FakeProvider, NetworkBlockedError, block_network, serve


def test_real_hosts_are_blocked_sync_and_async() -> None:
    llm = tl.openai().model("gpt-4o-mini").api_key("sk-test").max_retries(0).build()
    with block_network(), llm:
        with pytest.raises(NetworkBlockedError, match=r"api\.openai\.com"):
            llm.complete("x")

        async def go() -> None:
            async with llm:
                await llm.acomplete("x")

        with pytest.raises(NetworkBlockedError):
            asyncio.run(go())


def test_fake_transport_and_loopback_servers_still_work() -> None:
    with block_network():
        fake = tl.openai().model("gpt-4o-mini").api_key("k").transport(FakeProvider(["hi"])).build()
        assert fake.complete("x") == "hi"
        with (
            serve(FakeProvider(["loop"])) as server,
            tl.openai_compatible(base_url=server.base_url).model("m").build() as llm,
        ):
            assert llm.complete("x") == "loop"


def test_the_block_is_lifted_afterwards() -> None:
    import httpx

    original = httpx.HTTPTransport.handle_request
    with block_network():
        assert httpx.HTTPTransport.handle_request is not original
    assert httpx.HTTPTransport.handle_request is original
