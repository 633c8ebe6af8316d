"""Hosts (where requests go) and auth steps (how they are authenticated), apart from wires."""

from __future__ import annotations

import dataclasses
import gc
import pickle
import warnings
from typing import Any

import httpx
import pytest
from _drive import drive_complete

import typedllm as tl
from typedllm._wire import EncodedRequest, Secret, WireRequest
from typedllm.hosts import (
    Auth,
    HeaderAuth,
    Host,
    Token,
    TokenAuth,
    api_key_header,
    bearer,
    join_url,
)
from typedllm.testing import FakeProvider, FakeReply

AZURE_STYLE = "https://h/openai/v1?api-version=2024-10-21"


class Recording(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Delegates to a fake provider and records the real (unredacted) requests."""

    def __init__(self, inner: FakeProvider) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.inner.handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    def authorization(self, index: int) -> str | None:
        return self.requests[index].headers.get("authorization")


# -- join_url ----------------------------------------------------------------------------------


def test_join_url_keeps_the_base_query_after_the_path() -> None:
    url = join_url("https://x.example/openai/v1?api-version=2024-10-21", "/chat/completions")
    assert url == "https://x.example/openai/v1/chat/completions?api-version=2024-10-21"


def test_join_url_merges_extra_query_parameters() -> None:
    url = join_url("https://x.example/v1?api-version=X", "/models/m:stream", [("alt", "sse")])
    assert url == "https://x.example/v1/models/m:stream?api-version=X&alt=sse"
    assert join_url("https://x.example/v1", "/p", [("a", "1"), ("b", "2")]) == (
        "https://x.example/v1/p?a=1&b=2"
    )


def test_join_url_slashes() -> None:
    assert join_url("https://x.example/v1/", "/chat") == "https://x.example/v1/chat"
    assert join_url("https://x.example/v1", "chat") == "https://x.example/v1/chat"
    assert join_url("https://x.example", "/v1/messages") == "https://x.example/v1/messages"
    assert join_url("https://x.example/v1/", "") == "https://x.example/v1"


def test_join_url_drops_a_fragment_and_keeps_the_port() -> None:
    assert join_url("http://127.0.0.1:8080/v1?a=1#frag", "/p") == "http://127.0.0.1:8080/v1/p?a=1"


# -- Host --------------------------------------------------------------------------------------


def encoded(operation: str = "chat", path: str = "/chat/completions", **kw: Any) -> EncodedRequest:
    return EncodedRequest(operation, path, b'{"x": 1}', **kw)


def test_host_needs_an_http_base_url() -> None:
    with pytest.raises(tl.ConfigurationError, match="http"):
        Host("bad", "ftp://example.com")
    with pytest.raises(tl.ConfigurationError, match="http"):
        Host("bad", "example.com/v1")


def test_host_path_override_per_operation_with_the_model() -> None:
    host = Host(
        "azure",
        "https://res.openai.azure.com?api-version=2024-10-21",
        paths=(("chat", "/openai/deployments/{model}/chat/completions"),),
    )
    assert host.path_for("chat", "/chat/completions", "gpt4o-prod") == (
        "/openai/deployments/gpt4o-prod/chat/completions"
    )
    assert host.path_for("embeddings", "/embeddings", "gpt4o-prod") == "/embeddings"
    request = host.prepare(encoded(), "gpt4o-prod")
    assert request.url == (
        "https://res.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions"
        "?api-version=2024-10-21"
    )
    assert request.method == "POST"
    assert request.body == b'{"x": 1}'


def test_host_query_and_wire_query_are_both_added() -> None:
    host = Host("h", "https://h.example/v1?base=1", query=(("host", "2"),))
    request = host.prepare(encoded(query=(("wire", "3"),)), "m")
    assert request.url == "https://h.example/v1/chat/completions?base=1&host=2&wire=3"


def test_host_headers_win_over_the_wires_case_insensitively() -> None:
    host = Host("h", "https://h.example", headers=(("Accept", "text/plain"),))
    request = host.prepare(encoded(headers={"Accept": "application/json", "X-Wire": "w"}), "m")
    assert request.headers["accept"] == "text/plain"
    assert request.headers["x-wire"] == "w"
    assert "Accept" not in request.headers


def test_host_secret_headers_are_sent_but_not_shown() -> None:
    host = Host("h", "https://h.example").with_headers({"api-key": "sk-HOST-1", "X-Org": "acme"})
    assert isinstance(dict(host.headers)["api-key"], Secret)
    assert dict(host.headers)["X-Org"] == "acme"
    assert host.secrets() == ("sk-HOST-1",)
    request = host.prepare(encoded(), "m")
    assert request.headers["api-key"] == "sk-HOST-1"
    assert "sk-HOST-1" not in repr(host)
    assert "sk-HOST-1" not in repr(request)
    assert "api-key" in repr(host)


def test_host_repr_masks_a_password_in_the_base_url() -> None:
    host = Host("h", "https://user:pw-SECRET@h.example/v1")
    assert "pw-SECRET" not in repr(host)
    assert "user:***@h.example" in repr(host)


def test_a_chat_path_override_also_places_streamed_requests() -> None:
    base = tl.openai().model("gpt-4o-mini").api_key("k").build()
    host = Host(
        "azure",
        "https://res.openai.azure.com?api-version=2024-10-21",
        paths=(("chat", "/openai/deployments/{model}/chat/completions"),),
    )
    llm = tl.Client(dataclasses.replace(base.config, host=host))
    expected = (
        "https://res.openai.azure.com/openai/deployments/gpt-4o-mini/chat/completions"
        "?api-version=2024-10-21"
    )
    assert llm.request_for("x").url == expected
    assert llm.request_for("x", stream=True).url == expected


# -- compatible hosts with a query string in the base URL -------------------------------------


def test_compatible_base_url_query_is_kept() -> None:
    fake = FakeProvider(["ok"])
    llm = tl.openai_compatible(base_url=AZURE_STYLE).model("m").transport(fake).build()
    expected = "https://h/openai/v1/chat/completions?api-version=2024-10-21"
    assert llm.request_for("x").url == expected
    assert llm.request_for("x", stream=True).url == expected
    assert fake.calls == 0
    result, trace = drive_complete(llm, "x", fake)
    assert result.output == "ok"
    assert trace.requests[0].url == expected
    assert fake.requests[0].path == "/openai/v1/chat/completions"


def test_compatible_base_url_query_reaches_the_wire() -> None:
    inner = FakeProvider(["ok"])
    recording = Recording(inner)
    llm = tl.openai_compatible(base_url=AZURE_STYLE).model("m").transport(recording).build()
    assert llm.complete("x") == "ok"
    sent = recording.requests[0].url
    assert sent.path == "/openai/v1/chat/completions"
    assert sent.params["api-version"] == "2024-10-21"
    assert inner.requests[0].path == "/openai/v1/chat/completions"


def test_gemini_stream_query_follows_the_base_query() -> None:
    llm = (
        tl.gemini()
        .model("gemini-2.5-flash")
        .api_key("g")
        .base_url("https://proxy.example/v1beta?tenant=t1")
        .build()
    )
    assert llm.request_for("x", stream=True).url == (
        "https://proxy.example/v1beta/models/gemini-2.5-flash:streamGenerateContent"
        "?tenant=t1&alt=sse"
    )


# -- header secrets ------------------------------------------------------------------------------


def test_builder_header_with_a_credential_is_a_secret() -> None:
    fake = FakeProvider(["ok"])
    builder = (
        tl.openai_compatible(base_url=AZURE_STYLE)
        .model("m")
        .header("api-key", "sk-HEADER-456")
        .header("X-Team", "core")
        .transport(fake)
    )
    llm = builder.build()
    for text in (repr(builder), repr(llm), repr(llm.config), repr(llm.config.host), str(llm)):
        assert "sk-HEADER-456" not in text
    assert "sk-HEADER-456" in llm.config.secrets()
    request = llm.request_for("x")
    assert request.headers["api-key"] == "sk-HEADER-456"
    assert request.headers["x-team"] == "core"
    assert "sk-HEADER-456" not in repr(request)
    llm.complete("x")
    assert fake.requests[0].headers["api-key"] == "***"
    assert fake.requests[0].headers["x-team"] == "core"


def test_an_echoed_header_secret_is_scrubbed_from_the_error() -> None:
    fake = FakeProvider([FakeReply.error(400, "header api-key=sk-HEADER-456 is not valid")])
    llm = (
        tl.openai_compatible(base_url=AZURE_STYLE)
        .model("m")
        .header("api-key", "sk-HEADER-456")
        .transport(fake)
        .build()
    )
    with pytest.raises(tl.BadRequestError) as info:
        llm.complete("x")
    error = info.value
    assert "sk-HEADER-456" not in str(error)
    assert "sk-HEADER-456" not in repr(error)
    assert "sk-HEADER-456" not in repr(error.body)
    assert "***" in error.message
    assert error.body["error"]["message"] == "header api-key=*** is not valid"


def test_an_echoed_api_key_is_scrubbed_from_the_error() -> None:
    fake = FakeProvider([FakeReply.error(401, "Incorrect API key provided: sk-APIKEY-999.")])
    llm = tl.openai().model("gpt-4o-mini").api_key("sk-APIKEY-999").transport(fake).build()
    with pytest.raises(tl.AuthenticationError) as info:
        llm.complete("x")
    assert "sk-APIKEY-999" not in str(info.value)
    assert "sk-APIKEY-999" not in repr(info.value.body)


def test_an_echoed_per_call_credential_header_is_scrubbed() -> None:
    fake = FakeProvider([FakeReply.error(400, "bad header sk-PERCALL-789 given")])
    llm = tl.openai().model("gpt-4o-mini").api_key("sk-test").transport(fake).build()
    with pytest.raises(tl.BadRequestError) as info:
        llm.complete("x", options=tl.CallOptions(extra_headers={"api-key": "sk-PERCALL-789"}))
    assert "sk-PERCALL-789" not in str(info.value)
    assert "sk-PERCALL-789" not in repr(info.value.body)


def test_call_options_repr_hides_credential_headers() -> None:
    options = tl.CallOptions(extra_headers={"api-key": "sk-PERCALL-789", "x-trace": "t"})
    assert "sk-PERCALL-789" not in repr(options)


def test_builder_repr_masks_a_password_in_the_base_url() -> None:
    builder = tl.openai_compatible(base_url="https://user:hunter2-pw@h.example/v1").model("m")
    assert "hunter2-pw" not in repr(builder.build())
    assert "hunter2-pw" not in repr(builder)


# -- static auth steps --------------------------------------------------------------------------


def request() -> WireRequest:
    return WireRequest("POST", "https://h.example/v1", {"content-type": "application/json"})


def test_bearer() -> None:
    auth = bearer("sk-BEARER-1")
    out = auth.apply(request())
    assert out.headers["authorization"] == "Bearer sk-BEARER-1"
    assert out.headers["content-type"] == "application/json"
    assert auth.secrets() == ("sk-BEARER-1",)
    assert "sk-BEARER-1" not in repr(auth)
    assert bearer(Secret("sk-BEARER-1")) == auth


def test_api_key_header() -> None:
    auth = api_key_header("x-api-key", "ant-KEY-2")
    out = auth.apply(request())
    assert out.headers["x-api-key"] == "ant-KEY-2"
    assert "authorization" not in out.headers
    assert "ant-KEY-2" not in repr(auth)
    assert auth.secrets() == ("ant-KEY-2",)


def test_header_auth_with_a_prefix_replaces_a_same_named_header() -> None:
    auth = HeaderAuth("Authorization", Secret("tok-3"), "Token ")
    out = auth.apply(WireRequest("POST", "https://h", {"authorization": "Bearer stale"}))
    assert dict(out.headers) == {"Authorization": "Token tok-3"}


def test_header_auth_runs_as_a_flow_without_effects() -> None:
    steps = bearer("k-1234").auth_flow(request())
    with pytest.raises(StopIteration) as done:
        next(steps)
    assert done.value.value.headers["authorization"] == "Bearer k-1234"


def test_the_base_auth_step_leaves_the_request_alone() -> None:
    original = request()
    assert Auth().apply(original) is original
    assert Auth().secrets() == ()


def test_provider_builders_use_their_auth_steps() -> None:
    openai = tl.openai().model("gpt-4o-mini").api_key("sk-o").build().request_for("x")
    anthropic = tl.anthropic().model("claude-haiku-4-5").api_key("sk-a").build().request_for("x")
    gemini = tl.gemini().model("gemini-2.5-flash").api_key("g-k").build().request_for("x")
    assert openai.headers["authorization"] == "Bearer sk-o"
    assert anthropic.headers["x-api-key"] == "sk-a"
    assert "authorization" not in anthropic.headers
    assert gemini.headers["x-goog-api-key"] == "g-k"


def test_compatible_host_without_a_key_sends_no_credential() -> None:
    llm = tl.openai_compatible(base_url="http://127.0.0.1:9/v1").model("m").build()
    assert llm.config.auth is None
    assert "authorization" not in llm.request_for("x").headers


# -- TokenAuth ----------------------------------------------------------------------------------


def token_client(auth: Auth, transport: Any) -> tl.Client:
    base = tl.openai().model("gpt-4o-mini").api_key("unused-key").transport(transport).build()
    return tl.Client(dataclasses.replace(base.config, auth=auth))


class Counter:
    """A token source handing out tok-1, tok-2 ... and counting its calls."""

    def __init__(self, expires_in: float | None = None, clock: Any = None) -> None:
        self.calls = 0
        self.expires_in = expires_in
        self.clock = clock

    def __call__(self) -> str | Token:
        self.calls += 1
        value = f"tok-{self.calls}"
        if self.expires_in is None:
            return value
        return Token(Secret(value), expires_at=self.clock() + self.expires_in)


def test_a_token_is_fetched_once_and_cached() -> None:
    source = Counter()
    recording = Recording(FakeProvider(["a", "b", "c"]))
    llm = token_client(TokenAuth(source), recording)
    for prompt in ("a", "b", "c"):
        llm.complete(prompt)
    assert source.calls == 1
    assert [recording.authorization(i) for i in range(3)] == ["Bearer tok-1"] * 3
    assert recording.inner.requests[0].headers["authorization"] == "***"


class _Clock:
    def __init__(self, now: list[float]) -> None:
        self.now = now

    def time(self) -> float:
        return self.now[0]


def test_a_token_without_expiry_is_never_refreshed(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr("typedllm.hosts._auth.time", _Clock(now))
    source = Counter()
    recording = Recording(FakeProvider(["a", "b"]))
    llm = token_client(TokenAuth(source), recording)
    llm.complete("a")
    now[0] += 10**9
    llm.complete("b")
    assert source.calls == 1


def test_a_token_is_refreshed_within_the_margin(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr("typedllm.hosts._auth.time", _Clock(now))
    source = Counter(expires_in=100.0, clock=lambda: now[0])
    recording = Recording(FakeProvider(["a", "b", "c", "d"]))
    llm = token_client(TokenAuth(source, refresh_margin=60.0), recording)
    llm.complete("a")  # fetch tok-1, expires at 1100
    now[0] = 1039.0
    llm.complete("b")  # 1039 < 1100 - 60: still fresh
    now[0] = 1040.0
    llm.complete("c")  # within the margin: fetch tok-2 (expires at 1140)
    now[0] = 1079.0
    llm.complete("d")
    assert source.calls == 2
    assert [recording.authorization(i) for i in range(4)] == [
        "Bearer tok-1",
        "Bearer tok-1",
        "Bearer tok-2",
        "Bearer tok-2",
    ]


def test_retries_reuse_a_fresh_token() -> None:
    source = Counter()
    fake = FakeProvider([FakeReply.error(500), "ok"])
    auth = TokenAuth(source)
    llm = tl.Client(
        dataclasses.replace(token_client(auth, fake).config, retry=tl.RetryPolicy(backoff_base=0))
    )
    result, trace = drive_complete(llm, "x", fake)
    assert result.output == "ok"
    assert source.calls == 1
    assert [r.headers["authorization"] for r in trace.requests] == ["Bearer tok-1"] * 2


def test_token_auth_custom_header_and_prefix() -> None:
    recording = Recording(FakeProvider(["ok"]))
    auth = TokenAuth(lambda: "raw-token", header="x-access-token", prefix="")
    token_client(auth, recording).complete("x")
    assert recording.requests[0].headers["x-access-token"] == "raw-token"


async def test_an_async_source_works_with_the_async_client() -> None:
    calls: list[int] = []

    async def source() -> str:
        calls.append(1)
        return "async-tok"

    recording = Recording(FakeProvider(["a", "b"]))
    llm = token_client(TokenAuth(source), recording)
    assert await llm.acomplete("a") == "a"
    assert await llm.acomplete("b") == "b"
    assert len(calls) == 1
    assert recording.authorization(0) == "Bearer async-tok"
    assert recording.authorization(1) == "Bearer async-tok"


async def test_a_sync_source_works_with_the_async_client() -> None:
    source = Counter()
    recording = Recording(FakeProvider(["a"]))
    llm = token_client(TokenAuth(source), recording)
    assert await llm.acomplete("a") == "a"
    assert source.calls == 1
    assert recording.authorization(0) == "Bearer tok-1"


async def test_an_async_token_source_works_with_an_async_stream() -> None:
    async def source() -> Token:
        return Token(Secret("stream-tok"))

    recording = Recording(FakeProvider(["streamed"]))
    llm = token_client(TokenAuth(source), recording)
    async with llm.astream("x") as stream:
        assert await stream.final() == "streamed"
    assert recording.authorization(0) == "Bearer stream-tok"


def test_an_async_source_in_the_sync_client_is_a_configuration_error() -> None:
    async def source() -> str:
        return "never"

    fake = FakeProvider(["never"])
    llm = token_client(TokenAuth(source), fake)

    def call() -> None:
        with pytest.raises(tl.ConfigurationError, match="async"):
            llm.complete("x")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        call()
        gc.collect()
    assert fake.calls == 0


def test_an_async_source_in_the_sync_client_leaves_no_unawaited_coroutine() -> None:
    async def source() -> str:
        return "never"

    llm = token_client(TokenAuth(source), FakeProvider(["never"]))

    def call() -> None:
        with pytest.raises(tl.ConfigurationError):
            llm.complete("x")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
        gc.collect()
    assert [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)] == []


@pytest.mark.parametrize("value", ["", 42, None, Token(Secret(""))])
def test_a_source_without_a_token_is_a_configuration_error(value: Any) -> None:
    fake = FakeProvider(["never"])
    llm = token_client(TokenAuth(lambda: value), fake)
    with pytest.raises(tl.ConfigurationError, match="no token"):
        llm.complete("x")
    assert fake.calls == 0


def test_request_for_needs_a_fetched_token() -> None:
    source = Counter()
    llm = token_client(TokenAuth(source), FakeProvider(["ok"]))
    with pytest.raises(tl.ConfigurationError, match="FetchToken"):
        llm.request_for("x")
    assert source.calls == 0
    llm.complete("x")
    assert llm.request_for("x").headers["authorization"] == "Bearer tok-1"
    assert source.calls == 1


def test_an_echoed_token_is_scrubbed_from_the_error() -> None:
    fake = FakeProvider([FakeReply.error(401, "token tok-ECHOED-55 has expired")])
    llm = token_client(TokenAuth(lambda: "tok-ECHOED-55"), fake)
    with pytest.raises(tl.AuthenticationError) as info:
        llm.complete("x")
    assert "tok-ECHOED-55" not in str(info.value)
    assert "tok-ECHOED-55" not in repr(info.value.body)


def test_a_cached_token_is_not_pickled_or_shown() -> None:
    auth = TokenAuth(Counter())
    llm = token_client(auth, FakeProvider(["ok"]))
    llm.complete("x")
    assert auth.secrets() == ("tok-1",)
    assert "tok-1" not in repr(auth)
    restored = pickle.loads(pickle.dumps(auth))
    assert restored.secrets() == ()
    assert restored.refresh_margin == auth.refresh_margin


def test_token_values_are_secrets() -> None:
    token = Token(Secret("tok-VALUE-1"), expires_at=5.0)
    assert "tok-VALUE-1" not in repr(token)
    assert token.value.get() == "tok-VALUE-1"


def test_a_bare_flag_in_the_base_query_is_kept_as_written() -> None:
    from typedllm.hosts import join_url

    url = join_url("https://h.example/v1?flag&a=1", "/chat/completions", [("alt", "sse")])
    assert url == "https://h.example/v1/chat/completions?flag&a=1&alt=sse"


def test_an_auth_step_on_the_builder_replaces_the_api_key() -> None:
    from typedllm.hosts import TokenAuth

    tokens = iter(["tok-1", "tok-2"])
    fake = FakeProvider(["a", "b"], api_key="tok-1")
    llm = tl.openai().model("gpt-4o").auth(TokenAuth(lambda: next(tokens))).transport(fake).build()
    assert llm.complete("x") == "a" and llm.complete("y") == "b"  # fetched once, then cached
    assert fake.calls == 2
    with pytest.raises(tl.ConfigurationError, match="Auth step"):
        tl.openai().auth("sk-not-a-step")  # type: ignore[arg-type]


async def test_an_async_token_source_on_the_builder() -> None:
    from typedllm.hosts import TokenAuth

    async def fetch() -> str:
        return "tok-async"

    fake = FakeProvider(["ok"], api_key="tok-async")
    llm = tl.anthropic().model("claude-haiku-4-5").auth(TokenAuth(fetch)).transport(fake).build()
    assert await llm.acomplete("x") == "ok"
