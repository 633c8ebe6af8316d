"""Azure OpenAI: deployment and v1 URLs, api-key and Entra ID auth, the content filter.

Shapes from Microsoft's documentation:
* REST reference (deployment URL, ``api-version``, ``api-key``):
  https://learn.microsoft.com/azure/ai-services/openai/reference
* v1 API (``/openai/v1/``, deployment name as ``model``, no ``api-version``):
  https://learn.microsoft.com/azure/ai-foundry/openai/api-version-lifecycle
* content filtering (HTTP 400 ``content_filter`` with ``innererror.content_filter_result``;
  HTTP 200 ``finish_reason: "content_filter"`` with ``content_filter_results``):
  https://learn.microsoft.com/azure/ai-services/openai/concepts/content-filter
"""

from __future__ import annotations

import asyncio
import pickle
import time
from collections.abc import Callable
from typing import Any

import httpx
import orjson
import pytest

import typedllm as tl
from typedllm.hosts import Secret, Token
from typedllm.testing import FakeProvider

ENDPOINT = "https://my-res.openai.azure.com"
KEY = "azure-key-0123456789abcdef"

SAFE = {"filtered": False, "severity": "safe"}


def answer(text: str | None = "ok", finish: str = "stop", filters: Any = None) -> dict[str, Any]:
    """A chat completion as Azure returns it (with its prompt and answer filter results)."""
    choice: dict[str, Any] = {
        "index": 0,
        "finish_reason": finish,
        "message": {"role": "assistant", "content": text},
        "content_filter_results": filters
        or {"hate": SAFE, "self_harm": SAFE, "sexual": SAFE, "violence": SAFE},
    }
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-4o-mini-2024-07-18",
        "prompt_filter_results": [
            {
                "prompt_index": 0,
                "content_filter_results": {
                    "hate": SAFE,
                    "self_harm": SAFE,
                    "sexual": SAFE,
                    "violence": SAFE,
                },
            }
        ],
        "choices": [choice],
        "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7},
    }


# The 400 a filtered prompt gets (the documented shape: code, message, innererror).
FILTERED_PROMPT = {
    "error": {
        "message": "The response was filtered due to the prompt triggering Azure OpenAI's "
        "content management policy. Please modify your prompt and retry.",
        "type": None,
        "param": "prompt",
        "code": "content_filter",
        "status": 400,
        "innererror": {
            "code": "ResponsibleAIPolicyViolation",
            "content_filter_result": {
                "hate": {"filtered": True, "severity": "medium"},
                "jailbreak": {"filtered": False, "detected": False},
                "self_harm": SAFE,
                "sexual": SAFE,
                "violence": SAFE,
            },
        },
    }
}


class Recorder:
    """An ``httpx.MockTransport`` that records requests and answers from a list."""

    def __init__(self, *replies: httpx.Response | dict[str, Any]) -> None:
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if isinstance(reply, httpx.Response):
            return reply
        return httpx.Response(200, json=reply)

    def body(self, index: int = 0) -> Any:
        return orjson.loads(self.requests[index].content)


def azure(recorder: Recorder) -> tl.AzureOpenAIBuilder[tl.ChatModel]:
    return (
        tl.azure_openai()
        .model("gpt-4o-mini")
        .endpoint(ENDPOINT)
        .api_key(KEY)
        .max_retries(0)
        .transport(recorder.transport)
    )


@pytest.fixture(autouse=True)
def _no_azure_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", "OPENAI_API_VERSION"):
        monkeypatch.delenv(name, raising=False)


# -- URLs ------------------------------------------------------------------------------------


def test_deployment_url_with_the_ga_api_version_and_the_api_key_header() -> None:
    rec = Recorder(answer("hello"))
    llm = azure(rec).deployment("prod-mini").build()
    assert llm.complete("hi") == "hello"
    request = rec.requests[0]
    assert request.method == "POST"
    assert request.url.host == "my-res.openai.azure.com"
    assert request.url.path == "/openai/deployments/prod-mini/chat/completions"
    assert dict(request.url.params) == {"api-version": "2024-10-21"}
    assert request.headers["api-key"] == KEY
    assert "authorization" not in request.headers
    body = rec.body()
    assert body["model"] == "prod-mini"
    assert body["messages"] == [{"role": "user", "content": "hi"}]


def test_the_deployment_defaults_to_the_model_name_and_the_version_can_be_set() -> None:
    rec = Recorder(answer())
    azure(rec).api_version("2025-04-01-preview").build().complete("hi")
    url = rec.requests[0].url
    assert url.path == "/openai/deployments/gpt-4o-mini/chat/completions"
    assert url.params["api-version"] == "2025-04-01-preview"


def test_v1_url_has_the_deployment_in_the_body_and_no_api_version() -> None:
    rec = Recorder(answer())
    azure(rec).deployment("my-4o").v1().build().complete("hi")
    url = rec.requests[0].url
    assert str(url) == f"{ENDPOINT}/openai/v1/chat/completions"
    assert rec.body()["model"] == "my-4o"
    assert rec.requests[0].headers["api-key"] == KEY


def test_v1_sends_only_an_explicit_api_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_VERSION", "2024-10-21")  # for dated URLs only
    rec = Recorder(answer())
    azure(rec).v1().build().complete("a")
    azure(rec).v1().api_version("preview").build().complete("b")
    assert "api-version" not in rec.requests[0].url.params
    assert rec.requests[1].url.params["api-version"] == "preview"


@pytest.mark.parametrize(
    ("endpoint", "url"),
    [
        (ENDPOINT + "/", f"{ENDPOINT}/openai/deployments/gpt-4o-mini/chat/completions"),
        (ENDPOINT + "/openai", f"{ENDPOINT}/openai/deployments/gpt-4o-mini/chat/completions"),
        (ENDPOINT + "/openai/v1/", f"{ENDPOINT}/openai/v1/chat/completions"),
    ],
)
def test_a_copied_base_url_is_understood(endpoint: str, url: str) -> None:
    rec = Recorder(answer())
    azure(rec).endpoint(endpoint).build().complete("hi")
    assert str(rec.requests[0].url.copy_with(query=None)) == url


def test_streaming_uses_the_same_deployment_path() -> None:
    chunks = [
        {"choices": [], "id": "", "model": "", "object": "", "prompt_filter_results": []},
        {
            "id": "c1",
            "model": "gpt-4o-mini",
            "choices": [{"index": 0, "delta": {"content": "Hel"}, "content_filter_results": {}}],
        },
        {"id": "c1", "choices": [{"index": 0, "delta": {"content": "lo"}}]},
        {"id": "c1", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
    ]
    rec = Recorder(sse(chunks))
    with azure(rec).deployment("d1").build().stream("hi") as stream:
        pieces = list(stream)
    assert "".join(pieces) == "Hello"
    request = rec.requests[0]
    assert request.url.path == "/openai/deployments/d1/chat/completions"
    assert request.url.params["api-version"] == "2024-10-21"
    assert rec.body()["stream"] is True


def test_the_fake_provider_serves_azure_paths() -> None:
    fake = FakeProvider(["offline"], api_key=KEY)
    llm = tl.azure_openai().model("gpt-4o").deployment("dep").endpoint(ENDPOINT)
    assert llm.api_key(KEY).transport(fake).build().complete("hi") == "offline"
    assert fake.requests[0].path == "/openai/deployments/dep/chat/completions"
    assert fake.requests[0].headers["api-key"] == "***"  # recorded redacted


# -- environment and configuration errors -----------------------------------------------------


def test_endpoint_key_and_version_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://env-res.openai.azure.com/")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "env-key-123456")
    monkeypatch.setenv("OPENAI_API_VERSION", "2024-06-01")
    rec = Recorder(answer())
    llm = tl.azure_openai().model("gpt-4.1").transport(rec.transport).build()
    llm.complete("hi")
    request = rec.requests[0]
    assert request.url.host == "env-res.openai.azure.com"
    assert request.url.params["api-version"] == "2024-06-01"
    assert request.headers["api-key"] == "env-key-123456"
    # A key from the environment pickles as the variable's name, never its value.
    # (the recording transport holds the request: pickle a client without it)
    assert b"env-key-123456" not in pickle.dumps(tl.azure_openai().model("gpt-4.1").build())


def test_missing_endpoint_and_missing_credentials_are_named() -> None:
    with pytest.raises(tl.ConfigurationError, match="AZURE_OPENAI_ENDPOINT"):
        tl.azure_openai().model("gpt-4o").api_key("k").build()
    with pytest.raises(tl.ConfigurationError, match=r"AZURE_OPENAI_API_KEY.*azure_ad_token"):
        tl.azure_openai().model("gpt-4o").endpoint(ENDPOINT).build()
    both = tl.azure_openai().model("gpt-4o").endpoint(ENDPOINT).api_key("k")
    with pytest.raises(tl.ConfigurationError, match="not both"):
        both.azure_ad_token_provider(lambda: "t").build()


def test_bad_values_are_configuration_errors() -> None:
    b = tl.azure_openai()
    with pytest.raises(tl.ConfigurationError, match="deployment"):
        b.deployment("../other/chat")
    with pytest.raises(tl.ConfigurationError, match="api-version"):
        b.api_version("2024-10-21&x=1")
    with pytest.raises(tl.ConfigurationError, match="http"):
        b.endpoint("my-res.openai.azure.com")
    with pytest.raises(tl.ConfigurationError, match="callable"):
        b.azure_ad_token_provider("token")  # type: ignore[arg-type]
    with pytest.raises(tl.ConfigurationError, match="unknown OpenAI model"):
        b.model("my-deployment")  # type: ignore[call-overload]
    with pytest.raises(tl.ConfigurationError, match="deployment"):
        # An unlisted name that cannot be a deployment needs .deployment().
        b.model("ft:gpt-4o-mini:acme::x", like="gpt-4o-mini").endpoint(ENDPOINT).api_key(
            "k"
        ).build()


def test_reasoning_models_are_gated_at_run_time_and_send_system_messages() -> None:
    untyped: Any = tl.azure_openai().model("o3")
    with pytest.raises(tl.ConfigurationError, match="temperature"):
        untyped.temperature(0.5)
    rec = Recorder(answer())
    llm = (
        tl.azure_openai()
        .model("o4-mini")
        .reasoning_effort("low")
        .endpoint(ENDPOINT)
        .api_key(KEY)
        .system("be brief")
        .max_tokens(100)
        .transport(rec.transport)
        .build()
    )
    llm.complete("hi")
    body = rec.body()
    assert body["reasoning_effort"] == "low"
    assert body["max_completion_tokens"] == 100
    assert body["messages"][0] == {"role": "system", "content": "be brief"}
    assert "temperature" not in body


def test_top_k_is_refused_before_sending() -> None:
    rec = Recorder(answer())
    with pytest.raises(tl.ConfigurationError, match="top_k"):
        azure(rec).build().complete("hi", options=tl.CallOptions(top_k=5))
    assert rec.requests == []


def test_structured_output_is_strict_json_schema() -> None:
    rec = Recorder(answer('{"city": "Paris"}'))
    from pydantic import BaseModel

    class City(BaseModel):
        city: str

    assert azure(rec).build().complete("x", schema=City) == City(city="Paris")
    response_format = rec.body()["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["strict"] is True


# -- Microsoft Entra ID -----------------------------------------------------------------------


class Tokens:
    """A token provider: a new token per call, expiring ``lifetime`` seconds later."""

    def __init__(self, lifetime: float) -> None:
        self.lifetime = lifetime
        self.calls = 0

    def __call__(self) -> Token:
        self.calls += 1
        return Token(Secret(f"entra-{self.calls}"), expires_at=time.time() + self.lifetime)


def entra(rec: Recorder, provider: Callable[[], Any]) -> tl.Client:
    return (
        tl.azure_openai()
        .model("gpt-4o-mini")
        .endpoint(ENDPOINT)
        .azure_ad_token_provider(provider)
        .transport(rec.transport)
        .build()
    )


def test_entra_token_is_a_bearer_and_no_api_key_is_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "unused-key")
    rec = Recorder(answer())
    entra(rec, lambda: "plain-entra-token").complete("hi")
    headers = rec.requests[0].headers
    assert headers["authorization"] == "Bearer plain-entra-token"
    assert "api-key" not in headers


def test_a_string_provider_is_asked_for_every_request() -> None:
    # azure-identity's get_bearer_token_provider returns strings and caches them itself.
    calls: list[int] = []

    def provider() -> str:
        calls.append(1)
        return f"str-token-{len(calls)}"

    rec = Recorder(answer())
    llm = entra(rec, provider)
    llm.complete("a")
    llm.complete("b")
    assert [r.headers["authorization"] for r in rec.requests] == [
        "Bearer str-token-1",
        "Bearer str-token-2",
    ]


def test_a_token_is_reused_until_it_nears_its_expiry() -> None:
    long_lived, short_lived = Tokens(3600), Tokens(30)  # 30 s: inside the 60 s margin
    rec = Recorder(answer())
    llm = entra(rec, long_lived)
    llm.complete("a")
    llm.complete("b")
    assert long_lived.calls == 1
    llm = entra(rec, short_lived)
    llm.complete("c")
    llm.complete("d")
    assert short_lived.calls == 2
    auth = [r.headers["authorization"] for r in rec.requests]
    assert auth == ["Bearer entra-1", "Bearer entra-1", "Bearer entra-1", "Bearer entra-2"]


def test_an_async_token_provider_is_awaited_by_the_async_client() -> None:
    calls: list[int] = []

    async def provider() -> Token:
        calls.append(1)
        await asyncio.sleep(0)
        return Token(Secret(f"async-{len(calls)}"), expires_at=time.time() + 10)

    rec = Recorder(answer())
    llm = entra(rec, provider)

    async def main() -> None:
        await llm.acomplete("a")
        await llm.acomplete("b")

    asyncio.run(main())
    assert [r.headers["authorization"] for r in rec.requests] == [
        "Bearer async-1",
        "Bearer async-2",
    ]
    with pytest.raises(tl.ConfigurationError, match="async"):
        entra(rec, provider).complete("sync call with an async provider")


def test_secrets_stay_out_of_reprs_errors_and_pickles() -> None:
    echo = httpx.Response(401, json={"error": {"code": "401", "message": f"bad key {KEY}"}})
    rec = Recorder(echo)
    builder = azure(rec)
    llm = builder.build()
    assert KEY not in repr(builder) and KEY not in repr(llm)
    with pytest.raises(tl.AuthenticationError) as info:
        llm.complete("hi")
    assert KEY not in str(info.value) and KEY not in repr(info.value.body)
    assert KEY not in pickle.dumps(info.value).decode("latin-1")
    with pytest.raises(tl.SecretPicklingError):
        pickle.dumps(llm)  # an explicit key is never written in clear

    token = "entra-secret-token-value"
    rec = Recorder(httpx.Response(403, json={"error": {"message": f"token {token} denied"}}))
    client = entra(rec, lambda: token)
    with pytest.raises(tl.PermissionDeniedError) as denied:
        client.complete("hi")
    assert token not in str(denied.value) and token not in repr(client)
    assert token not in repr(client.config.auth)


def test_a_client_with_a_fetched_token_pickles_without_it() -> None:
    rec = Recorder(answer())
    client = tl.azure_openai().model("gpt-4o-mini").endpoint(ENDPOINT)
    client = client.azure_ad_token_provider(picklable_provider).transport(rec.transport).build()
    client.complete("hi")
    assert rec.requests[0].headers["authorization"] == "Bearer pickled-token-value"
    data = pickle.dumps(client.config.auth)
    assert b"pickled-token-value" not in data
    assert pickle.loads(data).source.source is picklable_provider


def picklable_provider() -> str:
    return "pickled-token-value"


# -- the content filter -----------------------------------------------------------------------


def test_a_filtered_answer_is_a_refusal_naming_the_categories() -> None:
    filters = {
        "hate": SAFE,
        "self_harm": SAFE,
        "sexual": SAFE,
        "violence": {"filtered": True, "severity": "medium"},
    }
    rec = Recorder(answer(None, "content_filter", filters))
    with pytest.raises(tl.RefusalError) as info:
        azure(rec).build().complete("hi")
    assert "content filter" in info.value.refusal
    assert "violence (medium)" in info.value.refusal
    assert "hate" not in info.value.refusal


def test_a_filtered_prompt_400_is_a_refusal_and_is_not_retried() -> None:
    rec = Recorder(httpx.Response(400, json=FILTERED_PROMPT))
    llm = azure(rec).max_retries(3).build()
    with pytest.raises(tl.RefusalError) as info:
        llm.complete("hi")
    assert "blocked the prompt" in info.value.refusal
    assert "hate (medium)" in info.value.refusal
    assert "jailbreak" not in info.value.refusal
    assert len(rec.requests) == 1


def test_a_jailbreak_400_names_the_shield() -> None:
    body = {
        "error": {
            "message": "The response was filtered due to the prompt triggering Azure OpenAI's "
            "content management policy.",
            "code": "content_filter",
            "innererror": {
                "code": "ResponsibleAIPolicyViolation",
                "content_filter_result": {"jailbreak": {"detected": True, "filtered": True}},
            },
        }
    }
    rec = Recorder(httpx.Response(400, json=body))

    async def main() -> None:
        await azure(rec).build().acomplete("hi")

    with pytest.raises(tl.RefusalError, match="jailbreak"):
        asyncio.run(main())


def test_other_400s_stay_bad_requests() -> None:
    body = {"error": {"code": "DeploymentNotFound", "message": "no such deployment"}}
    rec = Recorder(httpx.Response(404, json=body), httpx.Response(400, json={"error": {}}))
    with pytest.raises(tl.NotFoundError) as info:
        azure(rec).build().complete("hi")
    assert info.value.code == "DeploymentNotFound"
    with pytest.raises(tl.BadRequestError):
        azure(rec).build().complete("hi")


def sse(chunks: list[dict[str, Any]]) -> httpx.Response:
    data = b"".join(b"data: " + orjson.dumps(c) + b"\n\n" for c in chunks) + b"data: [DONE]\n\n"
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=data)


def test_a_stream_stopped_by_the_filter_is_a_refusal_naming_the_categories() -> None:
    filtered = {"hate": SAFE, "sexual": {"filtered": True, "severity": "high"}}
    chunks = [
        {"choices": [], "id": "", "model": "", "prompt_filter_results": []},
        {"id": "c", "choices": [{"index": 0, "delta": {"content": "Once"}}]},
        {
            "id": "c",
            "choices": [
                {
                    "index": 0,
                    "delta": {},
                    "finish_reason": "content_filter",
                    "content_filter_results": filtered,
                }
            ],
        },
    ]
    rec = Recorder(sse(chunks))
    with pytest.raises(tl.RefusalError) as info, azure(rec).build().stream("hi") as stream:
        for _ in stream:
            pass
    assert "sexual (high)" in info.value.refusal


def test_other_hosts_keep_the_generic_content_filter_refusal() -> None:
    fake = httpx.MockTransport(lambda r: httpx.Response(200, json=answer(None, "content_filter")))
    llm = tl.openai_compatible(base_url="http://127.0.0.1:1/v1").model("m").transport(fake)
    with pytest.raises(tl.RefusalError) as info:
        llm.build().complete("hi")
    assert info.value.refusal == "the provider's content filter stopped the answer"
    error = httpx.MockTransport(lambda r: httpx.Response(400, json=FILTERED_PROMPT))
    openai = tl.openai().model("gpt-4o").api_key("k").max_retries(0).transport(error).build()
    with pytest.raises(tl.BadRequestError):
        openai.complete("hi")


def test_a_filtered_prompt_on_a_stream_is_a_refusal() -> None:
    rec = Recorder(httpx.Response(400, json=FILTERED_PROMPT))

    async def main() -> None:
        async with azure(rec).build().astream("hi") as stream:
            async for _ in stream:
                pass

    with pytest.raises(tl.RefusalError, match=r"hate \(medium\)"):
        asyncio.run(main())
    assert len(rec.requests) == 1


def test_the_output_limit_field_follows_the_api() -> None:
    # The GA 2024-10-21 spec has only max_tokens; the v1 API is OpenAI's (max_completion_tokens).
    rec = Recorder(answer())
    azure(rec).max_tokens(50).build().complete("dated")
    azure(rec).max_tokens(50).v1().build().complete("v1")
    assert rec.body(0)["max_tokens"] == 50 and "max_completion_tokens" not in rec.body(0)
    assert rec.body(1)["max_completion_tokens"] == 50 and "max_tokens" not in rec.body(1)


def test_the_specs_spelling_of_the_filter_error_is_read_too() -> None:
    # azure-rest-api-specs, inference/stable/2024-10-21: error.inner_error.content_filter_results
    body = {
        "error": {
            "code": "content_filter",
            "message": "filtered",
            "inner_error": {
                "code": "ResponsibleAIPolicyViolation",
                "content_filter_results": {"self_harm": {"filtered": True, "severity": "low"}},
            },
        }
    }
    rec = Recorder(httpx.Response(400, json=body))
    with pytest.raises(tl.RefusalError, match=r"self_harm \(low\)"):
        azure(rec).build().complete("hi")
