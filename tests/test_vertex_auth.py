"""Gemini on Vertex AI: project/location (arguments or environment), regional and global
hosts, OAuth tokens from a provider, and Application Default Credentials through google-auth.

google-auth is optional: most tests put a fake ``google.auth`` module in ``sys.modules``, so
they run without it; one test runs the real library against a token endpoint on 127.0.0.1
(skipped without ``pip install 'typedllm[google]'``).

Vertex endpoints: https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/inference
ADC: https://cloud.google.com/docs/authentication/application-default-credentials
"""

from __future__ import annotations

import asyncio
import datetime as dt
import http.server
import json
import pickle
import sys
import threading
import time
import types
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import typedllm as tl
from typedllm.hosts import CLOUD_PLATFORM_SCOPE, GoogleADC, Secret, Token, TokenAuth
from typedllm.testing import FakeProvider

PREFIX = "/v1/projects/{project}/locations/{location}/publishers/google/models"


class Recording:
    """The fake provider behind a transport that keeps the real (unredacted) requests."""

    def __init__(self, replies: int = 10) -> None:
        self.fake = FakeProvider(["ok"] * replies)
        self.requests: list[httpx.Request] = []
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.fake.handle_request(request)

    def bearers(self) -> list[str]:
        return [r.headers.get("authorization", "") for r in self.requests]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION", "GEMINI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)


def gemini() -> tl.GeminiBuilder[tl.ThinkingModel]:
    return tl.gemini().model("gemini-2.5-flash").max_retries(0)


# -- URLs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "host"),
    [
        ("us-central1", "us-central1-aiplatform.googleapis.com"),
        ("europe-west4", "europe-west4-aiplatform.googleapis.com"),
        ("global", "aiplatform.googleapis.com"),
    ],
)
def test_regional_and_global_hosts(location: str, host: str) -> None:
    rec = Recording()
    llm = gemini().vertex(project="my-proj", location=location).token_provider(lambda: "tok")
    assert llm.transport(rec.transport).build().complete("hi") == "ok"
    url = rec.requests[0].url
    assert url.host == host
    path = PREFIX.format(project="my-proj", location=location)
    assert url.path == f"{path}/gemini-2.5-flash:generateContent"
    assert "key" not in url.params


def test_streaming_goes_to_stream_generate_content_with_sse() -> None:
    rec = Recording()
    llm = gemini().vertex(project="p1", location="global").token_provider(lambda: "tok")
    with llm.transport(rec.transport).build().stream("hi") as stream:
        assert "".join(stream) == "ok"
    url = rec.requests[0].url
    assert url.path == f"{PREFIX.format(project='p1', location='global')}/gemini-2.5-flash" + (
        ":streamGenerateContent"
    )
    assert url.params["alt"] == "sse"


def test_project_and_location_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "env-proj")
    monkeypatch.setenv("GOOGLE_CLOUD_LOCATION", "asia-northeast1")
    rec = Recording()
    gemini().vertex().token_provider(lambda: "t").transport(rec.transport).build().complete("x")
    url = rec.requests[0].url
    assert url.host == "asia-northeast1-aiplatform.googleapis.com"
    assert url.path.startswith("/v1/projects/env-proj/locations/asia-northeast1/")
    # Arguments win over the environment; the location alone defaults to us-central1.
    monkeypatch.delenv("GOOGLE_CLOUD_LOCATION")
    rec = Recording()
    llm = gemini().vertex(project="arg-proj").token_provider(lambda: "t")
    llm.transport(rec.transport).build().complete("x")
    assert rec.requests[0].url.path.startswith("/v1/projects/arg-proj/locations/us-central1/")


def test_bad_projects_and_locations_are_configuration_errors() -> None:
    with pytest.raises(tl.ConfigurationError, match="GOOGLE_CLOUD_PROJECT"):
        gemini().vertex()
    with pytest.raises(tl.ConfigurationError, match="location"):
        gemini().vertex(project="p", location="us-central1/../../x")
    with pytest.raises(tl.ConfigurationError, match="project"):
        gemini().vertex(project="a/b")
    with pytest.raises(tl.ConfigurationError, match="callable"):
        gemini().token_provider("ya29.token")  # type: ignore[arg-type]


# -- token providers -------------------------------------------------------------------------


class Tokens:
    def __init__(self, lifetime: float) -> None:
        self.lifetime = lifetime
        self.calls = 0

    def __call__(self) -> Token:
        self.calls += 1
        return Token(Secret(f"ya29.p-{self.calls}"), expires_at=time.time() + self.lifetime)


def test_a_token_provider_is_a_refreshed_bearer() -> None:
    rec = Recording()
    short = Tokens(30)  # inside TokenAuth's 60 s margin: fetched again every call
    llm = gemini().vertex(project="p").token_provider(short).transport(rec.transport).build()
    llm.complete("a")
    llm.complete("b")
    long = Tokens(3600)
    llm = gemini().vertex(project="p").auth(TokenAuth(long)).transport(rec.transport).build()
    llm.complete("c")
    llm.complete("d")
    assert rec.bearers() == ["Bearer ya29.p-1", "Bearer ya29.p-2"] + ["Bearer ya29.p-1"] * 2
    assert "x-goog-api-key" not in rec.requests[0].headers
    assert (short.calls, long.calls) == (2, 1)


def test_an_async_token_provider_with_the_async_client() -> None:
    async def provider() -> str:
        await asyncio.sleep(0)
        return "ya29.async"

    rec = Recording()
    llm = gemini().vertex(project="p").token_provider(provider).transport(rec.transport).build()
    assert asyncio.run(llm.acomplete("hi")) == "ok"
    assert rec.bearers() == ["Bearer ya29.async"]
    with pytest.raises(tl.ConfigurationError, match="async"):
        llm.complete("a sync call cannot await the provider")


def test_string_tokens_are_asked_for_every_request_unless_given_to_token_auth() -> None:
    calls: list[int] = []

    def provider() -> str:
        calls.append(1)
        return f"ya29.s-{len(calls)}"

    rec = Recording()
    llm = gemini().vertex(project="p").token_provider(provider).transport(rec.transport).build()
    llm.complete("a")
    llm.complete("b")
    # A plain TokenAuth keeps a string for the client's life.
    llm = gemini().vertex(project="p").auth(TokenAuth(provider)).transport(rec.transport).build()
    llm.complete("c")
    llm.complete("d")
    assert rec.bearers() == ["Bearer ya29.s-1", "Bearer ya29.s-2"] + ["Bearer ya29.s-3"] * 2


def test_an_explicit_access_token_still_works_and_gemini_keys_are_not_tokens(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rec = Recording()
    gemini().vertex(project="p").api_key("ya29.fixed").transport(rec.transport).build().complete(
        "x"
    )
    assert rec.bearers() == ["Bearer ya29.fixed"]
    # A Gemini API key from the environment is not sent to Vertex AI as a bearer token.
    monkeypatch.setenv("GEMINI_API_KEY", "AIza-gemini-key")
    _without_google_auth(monkeypatch)
    with pytest.raises(tl.ConfigurationError, match="typedllm\\[google\\]"):
        gemini().vertex(project="p").build()


def test_the_gemini_api_keeps_its_key_header(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", "AIza-gemini-key")
    rec = Recording()
    gemini().transport(rec.transport).build().complete("x")
    assert rec.requests[0].url.host == "generativelanguage.googleapis.com"
    assert rec.requests[0].headers["x-goog-api-key"] == "AIza-gemini-key"


# -- Application Default Credentials (a fake google.auth) --------------------------------------


class FakeGoogle:
    """``google.auth`` as far as typedllm uses it: ``default()``, the transport base classes
    and credentials whose ``refresh`` issues a new token with a naive UTC expiry."""

    def __init__(self, lifetime: float = 3600, fail: Exception | None = None) -> None:
        self.lifetime = lifetime
        self.fail = fail
        self.default_calls: list[dict[str, Any]] = []
        self.refreshes: list[Any] = []
        google = types.ModuleType("google")
        google.__path__ = []
        auth = types.ModuleType("google.auth")
        auth.__path__ = []
        transport = types.ModuleType("google.auth.transport")
        exceptions = types.ModuleType("google.auth.exceptions")

        class Request:
            def __call__(self, *args: Any, **kwargs: Any) -> Any:
                raise NotImplementedError

        class Response:
            pass

        class TransportError(Exception):
            pass

        transport.Request = Request  # type: ignore[attr-defined]
        transport.Response = Response  # type: ignore[attr-defined]
        exceptions.TransportError = TransportError  # type: ignore[attr-defined]
        auth.default = self.default  # type: ignore[attr-defined]
        auth.transport = transport  # type: ignore[attr-defined]
        auth.exceptions = exceptions  # type: ignore[attr-defined]
        google.auth = auth  # type: ignore[attr-defined]
        self.modules = {
            "google": google,
            "google.auth": auth,
            "google.auth.transport": transport,
            "google.auth.exceptions": exceptions,
        }
        self.request_class = Request

    def default(
        self, scopes: list[str] | None = None, quota_project_id: str | None = None
    ) -> tuple[Any, str]:
        self.default_calls.append({"scopes": scopes, "quota_project_id": quota_project_id})
        return _FakeCredentials(self), "adc-project"

    def install(self, monkeypatch: pytest.MonkeyPatch) -> FakeGoogle:
        for name, module in self.modules.items():
            monkeypatch.setitem(sys.modules, name, module)
        return self


class _FakeCredentials:
    def __init__(self, google: FakeGoogle) -> None:
        self.google = google
        self.token: str | None = None
        self.expiry: dt.datetime | None = None

    def refresh(self, request: Any) -> None:
        if self.google.fail is not None:
            raise self.google.fail
        self.google.refreshes.append(request)
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)  # google-auth: naive UTC
        self.token = f"ya29.adc-{len(self.google.refreshes)}"
        self.expiry = now + dt.timedelta(seconds=self.google.lifetime)


def _without_google_auth(monkeypatch: pytest.MonkeyPatch) -> None:
    # A None entry makes the import fail, as when the package is not installed.
    for name in ("google", "google.auth"):
        monkeypatch.setitem(sys.modules, name, None)


def test_adc_is_the_default_auth_of_a_vertex_client(monkeypatch: pytest.MonkeyPatch) -> None:
    google = FakeGoogle(lifetime=3600).install(monkeypatch)
    rec = Recording()
    llm = gemini().vertex(project="p").transport(rec.transport).build()
    llm.complete("a")
    llm.complete("b")
    assert rec.bearers() == ["Bearer ya29.adc-1", "Bearer ya29.adc-1"]
    assert google.default_calls == [{"scopes": [CLOUD_PLATFORM_SCOPE], "quota_project_id": None}]
    # The refresh was given a google.auth.transport.Request (the httpx adapter).
    assert isinstance(google.refreshes[0], google.request_class)


def test_adc_tokens_are_refreshed_before_they_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    google = FakeGoogle(lifetime=30).install(monkeypatch)  # inside the 60 s margin
    rec = Recording()
    llm = gemini().vertex(project="p", location="global").transport(rec.transport).build()
    llm.complete("a")
    asyncio.run(llm.acomplete("b"))  # the async path runs the blocking refresh in a thread
    assert rec.bearers() == ["Bearer ya29.adc-1", "Bearer ya29.adc-2"]
    assert len(google.default_calls) == 1  # credentials are looked up once, refreshed twice


def test_the_adc_token_carries_its_expiry(monkeypatch: pytest.MonkeyPatch) -> None:
    FakeGoogle(lifetime=1200).install(monkeypatch)
    token = tl.hosts.google_adc(quota_project="billing-proj")()
    assert token.value.get() == "ya29.adc-1"
    assert token.expires_at is not None
    assert abs(token.expires_at - (time.time() + 1200)) < 5


def test_adc_failures_are_configuration_errors_with_the_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    FakeGoogle(fail=RuntimeError("invalid_grant: Bad Request\nmore detail")).install(monkeypatch)
    llm = gemini().vertex(project="p").transport(Recording().transport).build()
    with pytest.raises(tl.ConfigurationError, match="application-default login") as info:
        llm.complete("x")
    assert "invalid_grant" in str(info.value) and "more detail" not in str(info.value)


def test_without_google_auth_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    _without_google_auth(monkeypatch)
    assert not tl.hosts.google_auth_installed()
    with pytest.raises(tl.ConfigurationError, match=r"pip install 'typedllm\[google\]'"):
        gemini().vertex(project="p").build()
    with pytest.raises(tl.ConfigurationError, match=r"pip install 'typedllm\[google\]'"):
        tl.hosts.google_adc()
    # A token provider needs no google-auth.
    assert gemini().vertex(project="p").token_provider(lambda: "t").build() is not None


def test_the_adc_source_pickles_without_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    FakeGoogle().install(monkeypatch)
    rec = Recording()
    llm = gemini().vertex(project="p").transport(rec.transport).build()
    llm.complete("x")
    auth = llm.config.auth
    assert isinstance(auth, TokenAuth) and isinstance(auth.source, GoogleADC)
    data = pickle.dumps(auth)
    assert b"ya29.adc" not in data
    copy = pickle.loads(data)
    assert copy.source.scopes == (CLOUD_PLATFORM_SCOPE,)
    assert "ya29" not in repr(auth) and "ya29" not in repr(llm)


# -- the real google-auth (optional) ----------------------------------------------------------


@pytest.fixture
def token_endpoint() -> Iterator[tuple[str, list[bytes]]]:
    """An OAuth token endpoint on 127.0.0.1 that issues one-hour access tokens."""
    bodies: list[bytes] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            bodies.append(self.rfile.read(int(self.headers["content-length"])))
            payload = json.dumps({"access_token": "ya29.real-lib", "expires_in": 3600}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/token", bodies
    finally:
        server.shutdown()
        server.server_close()


def test_real_google_auth_refreshes_through_the_httpx_adapter(
    monkeypatch: pytest.MonkeyPatch, token_endpoint: tuple[str, list[bytes]]
) -> None:
    pytest.importorskip("google.auth", reason="pip install 'typedllm[google]'")
    import google.auth
    from google.oauth2.credentials import Credentials

    url, bodies = token_endpoint
    credentials = Credentials(
        None, refresh_token="1//refresh", token_uri=url, client_id="cid", client_secret="cs"
    )
    monkeypatch.setattr(google.auth, "default", lambda **kwargs: (credentials, "p"))
    token = tl.hosts.google_adc()()
    assert token.value.get() == "ya29.real-lib"
    assert token.expires_at is not None and abs(token.expires_at - (time.time() + 3600)) < 60
    assert b"grant_type=refresh_token" in bodies[0]


def test_fresh_strings_with_async_callables_and_tokens() -> None:
    class AsyncSource:
        async def __call__(self) -> str:
            return "from-object"

    async def tokens() -> Token:
        return Token(Secret("kept"), expires_at=123.0)

    async def main() -> tuple[Any, Any]:
        return await tl.hosts.fresh_strings(AsyncSource())(), await tl.hosts.fresh_strings(tokens)()

    fresh, kept = asyncio.run(main())
    assert fresh.value.get() == "from-object" and fresh.expires_at <= time.time()
    assert kept.value.get() == "kept" and kept.expires_at == 123.0
    assert tl.hosts.fresh_strings(lambda: "sync")().value.get() == "sync"
