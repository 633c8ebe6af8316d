"""An error event that arrives in the same chunk as text before it: the text is handed out
first, then the typed error is raised (nothing delivered is lost)."""

from __future__ import annotations

import asyncio

import pytest

import typedllm as tl
from typedllm.codecs.openai_chat import new_stream
from typedllm.testing import FakeProvider, FakeReply

CHUNK = (
    'data: {"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,'
    '"delta":{"role":"assistant","content":"Hello, "},"finish_reason":null}]}\n\n'
    'data: {"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,'
    '"delta":{"content":"wor"},"finish_reason":null}]}\n\n'
    'data: {"error":{"message":"upstream went away","code":502}}\n\n'
)


def _client() -> tl.Client:
    reply = FakeReply.raw(200, CHUNK, {"content-type": "text/event-stream"})
    fake = FakeProvider([reply])
    return tl.openai_compatible("http://127.0.0.1:9/v1").model("m").transport(fake).build()


def test_the_deltas_before_the_error_are_handed_out_first() -> None:
    seen: list[str] = []
    with (
        pytest.raises(tl.APIStatusError, match="upstream went away") as raised,
        _client().stream("hi") as stream,
    ):
        seen.extend(stream)
    assert "".join(seen) == "Hello, wor"
    assert raised.value.status_code == 502


def test_the_same_in_async() -> None:
    async def run() -> list[str]:
        seen: list[str] = []
        with pytest.raises(tl.APIStatusError, match="upstream went away"):
            async with _client().astream("hi") as stream:
                async for delta in stream:
                    seen.append(delta)
        return seen

    assert "".join(asyncio.run(run())) == "Hello, wor"


def test_the_decoder_keeps_the_error_for_after_the_deltas() -> None:
    decoder = new_stream("host")
    deltas = decoder.feed(CHUNK.encode())
    assert [text for _, text in deltas] == ["Hello, ", "wor"]
    with pytest.raises(tl.APIStatusError, match="upstream went away"):
        decoder.raise_pending()
    decoder.raise_pending()  # raised once only
    only_error = new_stream("host")
    with pytest.raises(tl.APIStatusError):  # no delta before it: raised at once, as before
        only_error.feed(b'data: {"error":{"message":"x","code":500}}\n\n')
