"""The request template (typedllm/_request_template.py) sends exactly what the general path
sends: same URL, headers and body bytes, for every kind of client that takes one, and the
general path is kept where a template would not be exact."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

import httpx
import pytest
from pydantic import BaseModel

import typedllm as tl
from typedllm import _request_template
from typedllm.testing import FakeProvider


class Invoice(BaseModel):
    number: str
    total: float


PROMPTS = [
    "Extract the invoice.",
    'quotes " and \\ backslashes, tabs\t and\nnewlines',
    "non-ASCII: é ☃ 😀 and </script> and \u2028",
    "<think>not reasoning</think> a prompt that starts like one",
    "x" * 20_000,
    _request_template._MARKER,  # the marker itself is just a prompt
]


class Recorder:
    """An httpx transport answering like the fake provider and keeping each raw request."""

    def __init__(self) -> None:
        self.fake = FakeProvider()
        self.sent: list[tuple[str, dict[str, str], bytes]] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        headers = {k.lower(): v for k, v in request.headers.items()}
        self.sent.append((str(request.url), headers, body))
        status, answer_headers, answer = self.fake.respond(
            request.method, str(request.url), headers, body
        )
        return httpx.Response(status, headers=answer_headers, content=answer)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)


def _general_path(client: Any, prompt: str, schema: Any) -> tuple[str, dict[str, str], bytes]:
    request = (
        client.request_for(prompt, schema=schema)
        if schema is not None
        else client.request_for(prompt)
    )
    return request.url, {k.lower(): v for k, v in request.headers.items()}, request.body


def _sent(recorder: Recorder) -> tuple[str, dict[str, str], bytes]:
    url, headers, body = recorder.sent[-1]
    # httpx adds its own transport headers; the client's are what the request carries.
    for name in ("host", "accept-encoding", "connection", "user-agent", "content-length"):
        headers.pop(name, None)
    return url, headers, body


def _client(kind: str, recorder: Recorder) -> Any:
    transport = recorder.transport()
    if kind == "openai":
        return tl.openai().model("gpt-4o-mini").api_key("sk-template").transport(transport).build()
    if kind == "openai-system":
        return (
            tl.openai()
            .model("gpt-4o-mini")
            .api_key("sk-template")
            .system('Be exact. 😀 "quoted"')
            .temperature(0.2)
            .max_tokens(300)
            .header("X-Team", "pipelines")
            .transport(transport)
            .build()
        )
    if kind == "compatible":
        return (
            tl.openai_compatible("http://127.0.0.1:9/v1")
            .model("local-model")
            .api_key("sk-local")
            .transport(transport)
            .build()
        )
    if kind == "groq":  # a preset: its own host, headers and structured-output route
        return (
            tl.groq().model("llama-3.3-70b-versatile").api_key("gsk-t").transport(transport).build()
        )
    if kind == "openrouter":
        return (
            tl.openrouter()
            .model("openai/gpt-4o-mini")
            .api_key("sk-or-t")
            .transport(transport)
            .build()
        )
    raise AssertionError(kind)


KINDS = ["openai", "openai-system", "compatible", "groq", "openrouter"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("schema", [Invoice, None, list[int], Literal["a", "b"]])
def test_the_template_sends_the_general_paths_bytes(kind: str, schema: Any) -> None:
    recorder = Recorder()
    client = _client(kind, recorder)
    for prompt in PROMPTS:
        if schema is None:
            client.complete(prompt)
        else:
            client.complete(prompt, schema=schema)
        assert _sent(recorder) == _general_path(client, prompt, schema), (kind, prompt[:40])
    key = (id(client.config), schema, schema is not None)
    template = _request_template._TEMPLATES.get(key)
    assert template is not None and template.config is client.config  # the fast path ran


def test_the_async_client_takes_the_template_too() -> None:
    recorder = Recorder()
    client = (
        tl.openai().model("gpt-4o-mini").api_key("sk-t").transport(recorder.transport()).build()
    )

    async def run() -> list[Invoice]:
        return [await client.acomplete(p, schema=Invoice) for p in PROMPTS[:3]]

    results = asyncio.run(run())
    assert all(isinstance(r, Invoice) for r in results)
    for (url, headers, body), prompt in zip(recorder.sent, PROMPTS[:3], strict=True):
        for name in ("host", "accept-encoding", "connection", "user-agent", "content-length"):
            headers.pop(name, None)
        assert (url, headers, body) == _general_path(client, prompt, Invoice)


def test_a_completion_from_the_template_holds_the_real_conversation() -> None:
    recorder = Recorder()
    client = (
        tl.openai()
        .model("gpt-4o-mini")
        .api_key("sk-t")
        .system("Be exact.")
        .transport(recorder.transport())
        .build()
    )
    done = client.completion("Invoice 7, total 3.5", schema=Invoice)
    assert [m.role for m in done.messages] == ["user", "assistant"]  # the caller's, then it
    assert done.messages[0].content == "Invoice 7, total 3.5"
    assert _request_template._MARKER.encode() not in recorder.sent[-1][2]


def test_wires_hosts_and_calls_it_cannot_serve_take_the_general_path() -> None:
    recorder = Recorder()
    anthropic = (
        tl.anthropic()
        .model("claude-haiku-4-5")
        .api_key("sk-ant-t")
        .transport(recorder.transport())
        .build()
    )
    anthropic.complete("hello", schema=Invoice)
    assert _request_template._TEMPLATES.get((id(anthropic.config), Invoice, True)) is None

    seen: list[object] = []
    listened = (
        tl.openai()
        .model("gpt-4o-mini")
        .api_key("sk-t")
        .on_event(seen.append)
        .transport(recorder.transport())
        .build()
    )
    listened.complete("hello", schema=Invoice)
    # Someone listens: the events report the chat request, so no template is even made.
    assert (id(listened.config), Invoice, True) not in _request_template._TEMPLATES
    assert any(type(e).__name__ == "RequestSent" for e in seen)

    plain = tl.openai().model("gpt-4o-mini").api_key("sk-t").transport(recorder.transport()).build()
    plain.complete("hello", schema=Invoice, options=tl.CallOptions(temperature=0.5))
    assert (
        _sent(recorder)[2]
        == plain.request_for("hello", schema=Invoice, options=tl.CallOptions(temperature=0.5)).body
    )
    assert b'"temperature":0.5' in recorder.sent[-1][2]


def test_a_lone_surrogate_still_gets_the_general_paths_error() -> None:
    recorder = Recorder()
    client = (
        tl.openai().model("gpt-4o-mini").api_key("sk-t").transport(recorder.transport()).build()
    )
    client.complete("warm the template", schema=Invoice)
    with pytest.raises(tl.ConfigurationError, match="lone surrogate"):
        client.complete("bad \ud800 text", schema=Invoice)


def test_a_template_that_would_differ_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # A first request whose body depends on the text beyond holding it (here: its length)
    # fails the probe check: that configuration keeps the general path.
    def first_request(prompt: str) -> _request_template.FirstRequest:
        body = b'{"n":%d,"p":' % len(prompt) + __import__("orjson").dumps(prompt) + b"}"
        request = tl.WireRequest("POST", "http://127.0.0.1:9/v1/chat/completions", {}, body)
        return _request_template.FirstRequest(request, (), tl.CallOptions(), None)

    config = _client("openai", Recorder()).config
    assert _request_template._made(config, Invoice, first_request) is None
