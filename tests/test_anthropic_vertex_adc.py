"""Claude on Vertex AI without a token provider: Application Default Credentials through
google-auth (a fake ``google.auth`` in ``sys.modules``, as for Gemini on Vertex AI in
test_vertex_auth.py), the project and location from the environment, and the error naming
the extra when google-auth is absent."""

from __future__ import annotations

import sys

import httpx
import pytest
from test_vertex_auth import FakeGoogle

import typedllm as tl
from typedllm.hosts import CLOUD_PLATFORM_SCOPE
from typedllm.testing import FakeProvider


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "ANTHROPIC_VERTEX_PROJECT_ID",
        "GOOGLE_CLOUD_PROJECT",
        "CLOUD_ML_REGION",
        "GOOGLE_CLOUD_LOCATION",
        "ANTHROPIC_API_KEY",
    ):
        monkeypatch.delenv(name, raising=False)


class Recording:
    def __init__(self) -> None:
        self.fake = FakeProvider(["ok"] * 5)
        self.requests: list[httpx.Request] = []
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.fake.handle_request(request)


def test_adc_is_the_default_auth_of_claude_on_vertex(monkeypatch: pytest.MonkeyPatch) -> None:
    google = FakeGoogle(lifetime=3600).install(monkeypatch)
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "env-proj")
    monkeypatch.setenv("GOOGLE_CLOUD_LOCATION", "us-east5")
    rec = Recording()
    builder = tl.anthropic().vertex().model("claude-haiku-4-5").max_retries(0)
    llm = builder.transport(rec.transport).build()
    assert llm.complete("a") == "ok"
    assert llm.complete("b") == "ok"
    assert [r.headers["authorization"] for r in rec.requests] == ["Bearer ya29.adc-1"] * 2
    assert google.default_calls == [{"scopes": [CLOUD_PLATFORM_SCOPE], "quota_project_id": None}]
    url = rec.requests[0].url
    assert url.host == "us-east5-aiplatform.googleapis.com"
    assert url.path.startswith("/v1/projects/env-proj/locations/us-east5/publishers/anthropic/")
    assert url.path.endswith(":rawPredict")


def test_adc_tokens_are_refreshed_on_streams_too(monkeypatch: pytest.MonkeyPatch) -> None:
    FakeGoogle(lifetime=30).install(monkeypatch)  # inside TokenAuth's 60 s margin
    rec = Recording()
    llm = tl.anthropic().vertex("p").model("claude-haiku-4-5").transport(rec.transport).build()
    assert llm.complete("a") == "ok"
    with llm.stream("b") as stream:
        assert "".join(stream) == "ok"
    assert [r.headers["authorization"] for r in rec.requests] == [
        "Bearer ya29.adc-1",
        "Bearer ya29.adc-2",
    ]
    assert rec.requests[1].url.path.endswith(":streamRawPredict")


def test_a_token_provider_still_wins_over_adc(monkeypatch: pytest.MonkeyPatch) -> None:
    google = FakeGoogle().install(monkeypatch)
    rec = Recording()
    builder = tl.anthropic().vertex("p", token_provider=lambda: "ya29.mine")
    builder.model("claude-haiku-4-5").transport(rec.transport).build().complete("x")
    assert rec.requests[0].headers["authorization"] == "Bearer ya29.mine"
    assert google.default_calls == []


def test_without_google_auth_the_error_names_every_way(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("google", "google.auth"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(tl.ConfigurationError) as info:
        tl.anthropic().vertex("p").model("claude-haiku-4-5").build()
    message = str(info.value)
    assert "Claude on Vertex AI needs an OAuth access token" in message
    assert ".vertex(token_provider=<callable>)" in message
    assert "pip install 'typedllm[google]'" in message
