"""``block_network()``: make sure a test suite never reaches a real provider.

Inside the block, every request through httpx's real transports (what typedllm uses unless a
test transport is configured) to a host that is not a loopback address raises
:class:`NetworkBlockedError`, so a misconfigured test fails loudly instead of spending money.
Loopback hosts stay reachable for :func:`~typedllm.testing.serve`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Generator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import httpx

__all__ = ["NetworkBlockedError", "block_network"]


class NetworkBlockedError(AssertionError):
    """A request tried to leave the machine while the network was blocked."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _check(request: httpx.Request) -> None:
    if not _is_loopback(request.url.host):
        raise NetworkBlockedError(
            f"blocked a real network request to {request.url.host} "
            "(typedllm.testing.block_network); use FakeProvider or serve() in tests"
        )


@contextmanager
def block_network() -> Generator[None, None, None]:
    """Block non-loopback HTTP requests made through httpx for the duration of the block.

    >>> from typedllm.testing import block_network
    >>> with block_network():  # doctest: +SKIP
    ...     run_my_pipeline()
    """
    sync_original = httpx.HTTPTransport.handle_request
    async_original = httpx.AsyncHTTPTransport.handle_async_request

    def sync_guard(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        _check(request)
        return sync_original(self, request)

    async def async_guard(self: httpx.AsyncHTTPTransport, request: httpx.Request) -> httpx.Response:
        _check(request)
        return await async_original(self, request)

    patches: list[Any] = [
        mock.patch.object(httpx.HTTPTransport, "handle_request", sync_guard),
        mock.patch.object(httpx.AsyncHTTPTransport, "handle_async_request", async_guard),
    ]
    for patch in patches:
        patch.start()
    try:
        yield
    finally:
        for patch in reversed(patches):
            patch.stop()
