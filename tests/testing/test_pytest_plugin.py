"""The opt-in pytest fixtures, used the way a user's conftest would."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

import typedllm as tl
from typedllm.testing import FakeProvider, FakeServer, NetworkBlockedError

pytest_plugins = ["typedllm.testing.pytest_plugin"]


class Pet(BaseModel):
    name: str


def test_fake_provider_fixture(fake_provider: FakeProvider) -> None:
    llm = tl.openai().model("gpt-4o-mini").api_key("k").transport(fake_provider).build()
    assert isinstance(llm.complete("x", schema=Pet), Pet)
    assert fake_provider.calls == 1


def test_fake_server_fixture(fake_server: FakeServer) -> None:
    with tl.openai_compatible(base_url=fake_server.base_url).model("m").build() as llm:
        assert isinstance(llm.complete("x", schema=Pet), Pet)
    assert fake_server.provider.calls == 1


@pytest.mark.usefixtures("no_network")
def test_no_network_fixture() -> None:
    with (
        tl.openai().model("gpt-4o-mini").api_key("k").max_retries(0).build() as llm,
        pytest.raises(NetworkBlockedError),
    ):
        llm.complete("x")
