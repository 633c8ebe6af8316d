"""client.list_models() / alist_models(): each provider's models endpoint through the fake
provider (pagination, auth, retries, catalog marks) and httpx.MockTransport (exact URLs)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import orjson
import pytest

import typedllm as tl
from typedllm._catalog import ANTHROPIC_MODELS, COHERE_MODELS, GEMINI_MODELS, OPENAI_MODELS
from typedllm.testing import FakeProvider
from typedllm.testing._models_routes import OLLAMA_MODELS, PAGE_SIZE

KEY = "sk-LIST-SECRET-77"

BUILDERS: dict[str, Callable[[], Any]] = {
    "openai": lambda: tl.openai().model("gpt-4o-mini").api_key(KEY),
    "anthropic": lambda: tl.anthropic().model("claude-sonnet-4-5").api_key(KEY),
    "gemini": lambda: tl.gemini().model("gemini-2.5-flash").api_key(KEY),
    "cohere": lambda: tl.cohere().model("command-a-03-2025").api_key(KEY),
    "ollama": lambda: tl.ollama().model("llama3.2"),
}
CATALOGS: dict[str, Any] = {
    "openai": OPENAI_MODELS,
    "anthropic": ANTHROPIC_MODELS,
    "gemini": GEMINI_MODELS,
    "cohere": COHERE_MODELS,
}


def pages(count: int, paginated: bool) -> int:
    return -(-count // PAGE_SIZE) if paginated else 1


@pytest.mark.parametrize("provider", ["openai", "anthropic", "gemini", "cohere"])
def test_every_catalog_model_is_listed_and_marked(provider: str) -> None:
    fake = FakeProvider()
    llm = BUILDERS[provider]().transport(fake).build()
    listed = llm.list_models()
    catalog = CATALOGS[provider]
    assert [m.id for m in listed] == list(catalog)  # every page, in order, none twice
    assert all(isinstance(m, tl.ListedModel) for m in listed)
    assert all(m.in_catalog and m.catalog is catalog[m.id] for m in listed)
    assert all(m.provider == provider for m in listed)
    paginated = provider in ("anthropic", "gemini", "cohere")
    assert fake.calls == pages(len(catalog), paginated)
    assert all(r.method == "GET" for r in fake.requests)


def test_ollama_lists_its_local_models_which_the_catalog_does_not_know() -> None:
    fake = FakeProvider()
    listed = BUILDERS["ollama"]().transport(fake).build().list_models()
    assert [m.id for m in listed] == list(OLLAMA_MODELS)
    assert not any(m.in_catalog for m in listed) and listed[0].catalog is None
    assert listed[0].created == 1_735_689_600.0  # modified_at, RFC 3339 with nanoseconds
    assert fake.requests[0].path == "/api/tags"


def test_unknown_models_are_marked_as_such() -> None:
    fake = FakeProvider(models=["gpt-4o-mini", "ft:gpt-4o-mini:acme:2025"])
    listed = BUILDERS["openai"]().transport(fake).build().list_models()
    known, custom = listed
    assert known.in_catalog and known.catalog is not None
    assert known.context_window == known.catalog.context_window
    assert (custom.id, custom.in_catalog, custom.catalog) == (
        "ft:gpt-4o-mini:acme:2025",
        False,
        None,
    )
    assert custom.owned_by == "system" and custom.created == 1_735_689_600.0


def test_the_models_request_carries_the_clients_auth_and_headers() -> None:
    fake = FakeProvider()
    BUILDERS["anthropic"]().header("x-team", "search").transport(fake).build().list_models()
    first = fake.requests[0]
    assert first.path == "/v1/models"
    assert first.headers["anthropic-version"] == "2023-06-01"
    assert first.headers["x-api-key"] == "***"  # sent (redacted in the record)
    assert first.headers["x-team"] == "search"


@pytest.mark.parametrize("provider", ["openai", "anthropic", "gemini", "cohere"])
def test_a_wrong_key_is_the_typed_authentication_error(provider: str) -> None:
    llm = BUILDERS[provider]().transport(FakeProvider(api_key="the-right-key")).build()
    with pytest.raises(tl.AuthenticationError) as caught:
        llm.list_models()
    assert KEY not in str(caught.value)


def test_retryable_failures_are_retried_per_the_policy() -> None:
    fake = FakeProvider()
    seen: list[int] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        seen.append(1)
        if len(seen) == 1:
            return httpx.Response(503, json={"error": {"message": "overloaded"}})
        return fake.handle_request(request)

    events: list[tl.events.Event] = []
    llm = (
        BUILDERS["openai"]()
        .transport(httpx.MockTransport(flaky))
        .retry_policy(tl.RetryPolicy(backoff_base=0))
        .on_event(events.append)
        .build()
    )
    assert len(llm.list_models()) == len(OPENAI_MODELS)
    assert len(seen) == 2
    retries = [e for e in events if isinstance(e, tl.events.RetryScheduled)]
    assert [(r.status, r.call.operation) for r in retries] == [(503, "list_models")]


def test_async_listing_follows_pages_too() -> None:
    fake = FakeProvider()
    llm = BUILDERS["gemini"]().transport(fake).build()

    async def main() -> list[tl.ListedModel]:
        async with llm:
            return await llm.alist_models()

    listed = asyncio.run(main())
    assert [m.id for m in listed] == list(GEMINI_MODELS)
    assert all(not m.id.startswith("models/") for m in listed)
    assert fake.calls == pages(len(GEMINI_MODELS), True)


def recording(bodies: list[dict[str, Any]]) -> tuple[httpx.MockTransport, list[httpx.URL]]:
    urls: list[httpx.URL] = []

    def answer(request: httpx.Request) -> httpx.Response:
        urls.append(request.url)
        return httpx.Response(200, json=bodies[len(urls) - 1])

    return httpx.MockTransport(answer), urls


def test_gemini_pages_are_requested_with_the_page_token() -> None:
    transport, urls = recording(
        [
            {"models": [{"name": "models/gemini-2.5-flash"}], "nextPageToken": "tok2"},
            {"models": [{"name": "models/tuned-x", "inputTokenLimit": 32768}]},
        ]
    )
    listed = BUILDERS["gemini"]().transport(transport).build().list_models()
    assert [str(u) for u in urls] == [
        "https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000",
        "https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000&pageToken=tok2",
    ]
    assert [(m.id, m.in_catalog, m.context_window) for m in listed] == [
        ("gemini-2.5-flash", True, GEMINI_MODELS["gemini-2.5-flash"].context_window),
        ("tuned-x", False, 32768),
    ]


def test_anthropic_pages_are_requested_after_the_last_id() -> None:
    transport, urls = recording(
        [
            {"data": [{"id": "a"}], "has_more": True, "last_id": "a"},
            {"data": [{"id": "b", "created_at": "2025-05-14T00:00:00Z"}], "has_more": False},
        ]
    )
    listed = BUILDERS["anthropic"]().transport(transport).build().list_models()
    assert urls[1].params["after_id"] == "a" and urls[1].params["limit"] == "1000"
    assert [m.id for m in listed] == ["a", "b"]
    assert listed[1].created == 1_747_180_800.0


def test_cohere_pages_follow_next_page_token() -> None:
    transport, urls = recording(
        [
            {"models": [{"name": "command-a-03-2025"}], "next_page_token": "p2"},
            {"models": [{"name": "embed-v4.0", "context_length": 128000}]},
        ]
    )
    listed = BUILDERS["cohere"]().transport(transport).build().list_models()
    assert str(urls[0]) == "https://api.cohere.com/v1/models?page_size=1000"
    assert urls[1].params["page_token"] == "p2"
    assert [(m.id, m.context_window) for m in listed][1] == ("embed-v4.0", 128000)


def test_a_compatible_host_lists_below_its_base_url_with_its_context_window() -> None:
    transport, urls = recording(
        [{"object": "list", "data": [{"id": "Qwen/Qwen3-8B", "max_model_len": 40960}]}]
    )
    llm = tl.vllm("http://127.0.0.1:8000/v1").model("Qwen/Qwen3-8B").transport(transport).build()
    (listed,) = llm.list_models()
    assert str(urls[0]) == "http://127.0.0.1:8000/v1/models"
    assert (listed.id, listed.context_window, listed.in_catalog) == ("Qwen/Qwen3-8B", 40960, False)


def test_azure_deployment_urls_list_below_the_resource_with_the_api_version() -> None:
    transport, urls = recording([{"object": "list", "data": [{"id": "gpt-4o", "created_at": 1}]}])
    llm = (
        tl.azure_openai()
        .model("gpt-4o")
        .endpoint("https://acme.openai.azure.com")
        .api_key(KEY)
        .transport(transport)
        .build()
    )
    (listed,) = llm.list_models()
    assert urls[0].path == "/openai/models" and "api-version" in urls[0].params
    assert listed.in_catalog  # Azure serves OpenAI's models under their names
    assert listed.created == 1.0


def test_cloud_hosted_models_are_a_clear_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", "bedrock-api-key")
    llm = (
        tl.anthropic()
        .model("claude-sonnet-4-5")
        .bedrock("us-east-1")
        .transport(FakeProvider())
        .build()
    )
    with pytest.raises(tl.ConfigurationError, match="list_models is not available"):
        llm.list_models()


def test_a_body_that_is_not_json_is_a_protocol_error() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(200, text="<html>proxy</html>"))
    llm = BUILDERS["openai"]().transport(transport).build()
    with pytest.raises(tl.ProtocolError, match="not a JSON object"):
        llm.list_models()


def test_a_page_token_that_repeats_is_a_protocol_error_not_a_loop() -> None:
    body = orjson.dumps({"models": [{"name": "models/x"}], "nextPageToken": "same"})
    transport = httpx.MockTransport(lambda r: httpx.Response(200, content=body))
    llm = BUILDERS["gemini"]().transport(transport).build()
    with pytest.raises(tl.ProtocolError, match="same next-page token"):
        llm.list_models()


def test_the_loopback_fake_server_serves_the_models_endpoints() -> None:
    from typedllm.testing import serve

    with serve() as server:
        llm = tl.openai_compatible(server.base_url + "/v1").model("m").build()
        with llm:
            listed = llm.list_models()
    assert [m.id for m in listed] == list(OPENAI_MODELS)
