"""pytest fixtures for code that uses typedllm (opt in from a ``conftest.py``)::

    pytest_plugins = ["typedllm.testing.pytest_plugin"]

    def test_extract(fake_provider):
        llm = tl.openai().model("gpt-4o-mini").api_key("test").transport(fake_provider).build()
        ...

* ``fake_provider``: a fresh auto-mode :class:`~typedllm.testing.FakeProvider`;
* ``fake_server``: the same on a loopback port (``fake_server.base_url``), stopped afterwards;
* ``no_network``: fails the test if anything tries to reach a non-loopback host.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._fake import FakeProvider
from ._network import block_network
from ._server import FakeServer, serve

__all__ = ["fake_provider", "fake_server", "no_network"]


@pytest.fixture
def fake_provider() -> FakeProvider:
    """A fresh auto-mode fake provider (plug it in with ``.transport(fake_provider)``)."""
    return FakeProvider()


@pytest.fixture
def fake_server(fake_provider: FakeProvider) -> Iterator[FakeServer]:
    """``fake_provider`` served on 127.0.0.1 for the duration of the test."""
    with serve(fake_provider) as server:
        yield server


@pytest.fixture
def no_network() -> Iterator[None]:
    """Block every request that would leave the machine during the test."""
    with block_network():
        yield
