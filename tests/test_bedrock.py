"""Claude on Amazon Bedrock and on Vertex AI through the public API, on the fake provider:
request URL, headers and body; answers, streams, structured output, thinking; typed errors;
secrets."""

from __future__ import annotations

import json
import pickle
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

import typedllm as tl
from typedllm import (
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    PermissionDeniedError,
    RateLimitError,
    RefusalError,
    SecretPicklingError,
    TruncatedOutputError,
)
from typedllm.hosts import Token
from typedllm.testing import FakeProvider, FakeReply

SECRET = "wJalrXUtnFEMI-very-secret-key"
TOKEN = "FwoGZXIvYXdzE-session-token"


class City(BaseModel):
    name: str
    population: int


@pytest.fixture(autouse=True)
def no_aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_BEARER_TOKEN_BEDROCK",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_PROFILE",
        "ANTHROPIC_VERTEX_PROJECT_ID",
        "GOOGLE_CLOUD_PROJECT",
        "CLOUD_ML_REGION",
        "GOOGLE_CLOUD_LOCATION",
    ):
        monkeypatch.delenv(name, raising=False)


def bedrock(fake: FakeProvider, model: str = "claude-sonnet-4-5", **kwargs: Any) -> tl.Client:
    return (
        tl.anthropic()
        .bedrock("us-east-1", **kwargs)
        .aws_credentials("AKIDEXAMPLE", SECRET, TOKEN)
        .model(model)  # type: ignore[call-overload]
        .transport(fake)
        .build()
    )


def vertex(fake: FakeProvider, location: str = "us-east5") -> tl.Client:
    return (
        tl.anthropic()
        .vertex("my-project", location=location, token_provider=lambda: "ya29.access-token")
        .model("claude-sonnet-4-5")
        .transport(fake)
        .build()
    )


class Capture(httpx.BaseTransport):
    """Keeps the real httpx request (the URL exactly as sent) and answers with the fake."""

    def __init__(self, fake: FakeProvider) -> None:
        self.fake = fake
        self.sent: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        return self.fake.handle_request(request)


# -- request shape ----------------------------------------------------------------------------


def test_bedrock_request_url_headers_and_body() -> None:
    fake = FakeProvider(["ok"])
    capture = Capture(fake)
    llm = (
        tl.anthropic()
        .bedrock("eu-west-3")
        .aws_credentials("AKIDEXAMPLE", SECRET)
        .model("claude-sonnet-4-5")
        .beta("context-1m-2025-08-07")
        .transport(capture)
        .build()
    )
    assert llm.complete("hi") == "ok"
    request = capture.sent[0]
    assert request.url.raw_path == (b"/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke")
    assert request.url.host == "bedrock-runtime.eu-west-3.amazonaws.com"
    assert request.headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
    assert "/eu-west-3/bedrock/aws4_request" in request.headers["authorization"]
    assert "anthropic-version" not in request.headers
    assert "anthropic-beta" not in request.headers
    assert "x-api-key" not in request.headers
    body = json.loads(request.content)
    assert "model" not in body
    assert "stream" not in body
    assert body["anthropic_version"] == "bedrock-2023-05-31"
    assert body["anthropic_beta"] == ["context-1m-2025-08-07"]
    assert body["messages"] == [{"role": "user", "content": "hi"}]


def test_bedrock_stream_request() -> None:
    fake = FakeProvider(["streamed"])
    capture = Capture(fake)
    llm = tl.anthropic().bedrock("us-east-1", inference_profile="global")
    client = (
        llm.aws_credentials("AKID", SECRET).model("claude-haiku-4-5").transport(capture).build()
    )
    assert "".join(client.stream("hi")) == "streamed"
    request = capture.sent[0]
    assert request.url.raw_path == (
        b"/model/global.anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke-with-response-stream"
    )
    assert request.headers["accept"] == "application/vnd.amazon.eventstream"
    body = json.loads(request.content)
    assert "stream" not in body and "model" not in body


def test_vertex_request_url_headers_and_body() -> None:
    fake = FakeProvider(["ok", "streamed"])
    capture = Capture(fake)
    llm = (
        tl.anthropic()
        .vertex("my-project", location="europe-west1", token_provider=lambda: "ya29.tok")
        .model("claude-sonnet-4-5")
        .beta("some-beta")
        .transport(capture)
        .build()
    )
    assert llm.complete("hi") == "ok"
    assert "".join(llm.stream("hi")) == "streamed"
    plain, streamed = capture.sent
    assert str(plain.url) == (
        "https://europe-west1-aiplatform.googleapis.com/v1/projects/my-project/locations/"
        "europe-west1/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict"
    )
    assert str(streamed.url).endswith("claude-sonnet-4-5@20250929:streamRawPredict")
    assert plain.headers["authorization"] == "Bearer ya29.tok"
    assert plain.headers["anthropic-beta"] == "some-beta"
    assert "anthropic-version" not in plain.headers
    body = json.loads(plain.content)
    assert "model" not in body
    assert body["anthropic_version"] == "vertex-2023-10-16"
    assert json.loads(streamed.content)["stream"] is True


def test_vertex_global_location_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_VERTEX_PROJECT_ID", "env-project")
    fake = FakeProvider(["ok"])
    llm = (
        tl.anthropic()
        .vertex(token_provider=lambda: Token(_secret("ya29.t"), expires_at=None))
        .model("claude-opus-4-1")
        .transport(fake)
        .build()
    )
    assert llm.config.host.base_url == "https://aiplatform.googleapis.com"
    assert llm.complete("hi") == "ok"
    assert fake.requests[0].path == (
        "/v1/projects/env-project/locations/global/publishers/anthropic/models/"
        "claude-opus-4-1@20250805:rawPredict"
    )


def _secret(value: str) -> Any:
    from typedllm._wire import Secret

    return Secret(value)


# -- model ids --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("claude-opus-4-0", "anthropic.claude-opus-4-20250514-v1:0"),
        ("claude-3-haiku-20240307", "anthropic.claude-3-haiku-20240307-v1:0"),
        (
            "us.anthropic.claude-sonnet-4-20250514-v1:0",
            "us.anthropic.claude-sonnet-4-20250514-v1:0",
        ),
        ("anthropic.claude-haiku-4-5-20251001-v1:0", "anthropic.claude-haiku-4-5-20251001-v1:0"),
    ],
)
def test_bedrock_model_ids(given: str, sent: str) -> None:
    llm = bedrock(FakeProvider(), given)
    assert llm.config.model == sent
    assert llm.config.model_info.name == sent


def test_bedrock_ids_borrow_catalog_capabilities() -> None:
    builder = tl.anthropic().bedrock("us-east-1").aws_credentials("AKID", SECRET)
    thinking = builder.model("eu.anthropic.claude-sonnet-4-5-20250929-v1:0")
    client = thinking.thinking(budget_tokens=2048).transport(FakeProvider()).build()
    assert client.config.thinking_budget == 2048
    standard = builder.model("anthropic.claude-3-5-haiku-20241022-v1:0")
    with pytest.raises(ConfigurationError, match="does not support extended thinking"):
        standard.thinking(budget_tokens=2048)  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue]
    with pytest.raises(ConfigurationError, match="cannot be combined"):
        thinking.thinking(budget_tokens=2048).temperature(0.5)  # type: ignore[misc]  # pyright: ignore[reportCallIssue,reportArgumentType]


def test_unlisted_ids_take_like() -> None:
    builder = tl.anthropic().bedrock("us-east-1").aws_credentials("AKID", SECRET)
    client = builder.model("us.anthropic.claude-sonnet-4-6", like="claude-sonnet-4-5").build()
    assert client.config.model == "us.anthropic.claude-sonnet-4-6"
    assert client.config.host.paths[0][1] == "/model/us.anthropic.claude-sonnet-4-6/invoke"
    with pytest.raises(ConfigurationError, match="unknown Anthropic model"):
        builder.model("anthropic.claude-unknown-v1:0")  # type: ignore[call-overload]


def test_ids_of_one_platform_are_refused_on_another() -> None:
    with pytest.raises(ConfigurationError, match="Bedrock model id"):
        tl.anthropic().model("anthropic.claude-opus-4-1-20250805-v1:0").api_key("k").build()
    with pytest.raises(ConfigurationError, match="Vertex AI model name"):
        bedrock(FakeProvider(), "claude-sonnet-4-5@20250929")
    with pytest.raises(ConfigurationError, match=r"needs \.bedrock"):
        tl.anthropic().aws_credentials("AKID", SECRET).model("claude-haiku-4-5").api_key(
            "k"
        ).build()


def test_vertex_needs_a_token_and_a_project() -> None:
    with pytest.raises(ConfigurationError, match="OAuth access token"):
        tl.anthropic().vertex("p").model("claude-haiku-4-5").build()
    with pytest.raises(ConfigurationError, match="Google Cloud project"):
        tl.anthropic().vertex(token_provider=lambda: "t").model("claude-haiku-4-5").build()
    with pytest.raises(ConfigurationError, match="inference_profile"):
        tl.anthropic().bedrock("us-east-1", inference_profile="us.")


# -- answers and streams through the public API ------------------------------------------------


@pytest.fixture(params=["bedrock", "vertex"])
def platform(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value


def client_for(platform: str, fake: FakeProvider) -> tl.Client:
    return bedrock(fake) if platform == "bedrock" else vertex(fake)


def test_structured_output_sync(platform: str) -> None:
    fake = FakeProvider()
    city = client_for(platform, fake).complete("a city", schema=City)
    assert isinstance(city, City)
    sent = fake.requests[0].json
    if platform == "bedrock":  # native structured outputs on Bedrock's InvokeModel
        assert sent["output_config"]["format"]["type"] == "json_schema"
    else:  # the forced-tool route on Vertex AI
        assert sent["tool_choice"]["type"] == "tool"


async def test_structured_output_async(platform: str) -> None:
    fake = FakeProvider()
    llm = client_for(platform, fake)
    city = await llm.acomplete("a city", schema=City)
    assert isinstance(city, City)
    text = await llm.acomplete("hello")
    assert text == "[fake answer] hello"


def test_stream_sync(platform: str) -> None:
    fake = FakeProvider([FakeReply.of_text("a fairly long streamed answer")])
    chunks = list(client_for(platform, fake).stream("hi"))
    assert "".join(chunks) == "a fairly long streamed answer"
    assert len(chunks) > 1


async def test_stream_async_schema(platform: str) -> None:
    fake = FakeProvider()
    partials = [p async for p in client_for(platform, fake).astream("a city", schema=City)]
    assert partials
    final = partials[-1]
    assert isinstance(final.data, dict)
    assert set(final.data) == {"name", "population"}


def test_completion_usage_and_request_id() -> None:
    fake = FakeProvider([FakeReply(text="hello", input_tokens=11, output_tokens=3)])
    completion = bedrock(fake).completion("hi")
    assert completion.output == "hello"
    assert completion.usage.input_tokens == 11
    assert completion.usage.output_tokens == 3
    assert completion.request_id == "fake-bedrock-000000"


def test_thinking_on_bedrock() -> None:
    fake = FakeProvider()
    llm = (
        tl.anthropic()
        .bedrock("us-east-1")
        .aws_credentials("AKID", SECRET)
        .model("claude-sonnet-4-5")
        .thinking(budget_tokens=2048)
        .transport(fake)
        .build()
    )
    assert isinstance(llm.complete("a city", schema=City), City)
    sent = fake.requests[0].json
    assert sent["thinking"] == {"type": "enabled", "budget_tokens": 2048}
    assert sent["max_tokens"] > 2048


@pytest.mark.parametrize("stream", [False, True])
def test_refusal_and_truncation_are_typed(platform: str, stream: bool) -> None:
    fake = FakeProvider([FakeReply.refusal("no"), FakeReply.truncated('{"name": "Par')])
    llm = client_for(platform, fake)

    def run() -> object:
        if stream:
            return list(llm.stream("a city", schema=City))
        return llm.complete("a city", schema=City)

    with pytest.raises(RefusalError):
        run()
    with pytest.raises(TruncatedOutputError):
        run()


# -- errors -----------------------------------------------------------------------------------


def test_bedrock_error_bodies_are_typed_by_status() -> None:
    fake = FakeProvider(
        [
            FakeReply.error(400, "messages: field required"),
            FakeReply.error(403, "not allowed", error_type="AccessDeniedException"),
        ]
    )
    llm = tl.anthropic().bedrock("us-east-1").aws_credentials("AKID", SECRET)
    client = llm.model("claude-haiku-4-5").max_retries(0).transport(fake).build()
    with pytest.raises(BadRequestError) as bad:
        client.complete("hi")
    assert bad.value.code == "ValidationException"
    assert "messages: field required" in str(bad.value)
    assert bad.value.request_id == "fake-bedrock-000000"
    with pytest.raises(PermissionDeniedError) as denied:
        client.complete("hi")
    assert denied.value.code == "AccessDeniedException"


def test_throttling_is_retried_then_typed() -> None:
    fake = FakeProvider([FakeReply.error(429, "Too many requests")] * 2 + ["fine"])
    llm = tl.anthropic().bedrock("us-east-1").aws_credentials("AKID", SECRET)
    client = llm.model("claude-haiku-4-5").retry_policy(
        tl.RetryPolicy(max_attempts=3, backoff_base=0.0, backoff_cap=0.0)
    )
    assert client.transport(fake).build().complete("hi") == "fine"
    assert fake.calls == 3
    once = FakeProvider([FakeReply.error(429, "Too many requests")])
    with pytest.raises(RateLimitError) as info:
        llm.model("claude-haiku-4-5").max_retries(0).transport(once).build().complete("hi")
    assert info.value.code == "ThrottlingException"


def test_exception_inside_a_stream_is_typed() -> None:
    fake = FakeProvider(
        [FakeReply.error(429, "slow down", error_type="throttlingException"), "fine"]
    )
    llm = tl.anthropic().bedrock("us-east-1").aws_credentials("AKID", SECRET)
    client = llm.model("claude-haiku-4-5").max_retries(0).transport(fake).build()
    with pytest.raises(RateLimitError, match="slow down"):
        list(client.stream("hi"))
    assert "".join(client.stream("hi")) == "fine"
    # An error before the stream began is an HTTP error in Bedrock's shape.
    refused = FakeProvider([FakeReply.error(400, "bad input")])
    with pytest.raises(BadRequestError, match="ValidationException: bad input"):
        list(llm.model("claude-haiku-4-5").max_retries(0).transport(refused).build().stream("x"))


def test_unsigned_requests_are_refused_by_the_fake() -> None:
    fake = FakeProvider(["never"])
    llm = (
        tl.anthropic()
        .bedrock("us-east-1")
        .auth(tl.hosts.HeaderAuth("x-custom", _secret("not-a-signature")))
        .model("claude-haiku-4-5")
        .max_retries(0)
        .transport(fake)
        .build()
    )
    with pytest.raises(PermissionDeniedError, match="Missing Authentication Token"):
        llm.complete("hi")


# -- secrets ----------------------------------------------------------------------------------


def test_secrets_are_absent_from_reprs_pickles_and_errors() -> None:
    fake = FakeProvider([FakeReply.error(401, f"bad token {TOKEN} and {SECRET}")])
    llm = tl.anthropic().bedrock("us-east-1").aws_credentials("AKIDEXAMPLE", SECRET, TOKEN)
    client = llm.model("claude-haiku-4-5").max_retries(0).transport(fake).build()
    for text in (repr(llm), repr(client), repr(client.config)):
        assert SECRET not in text and TOKEN not in text
    with pytest.raises(SecretPicklingError):
        pickle.dumps(client)
    with pytest.raises(AuthenticationError) as info:
        client.complete("hi")
    shown = f"{info.value} {info.value.body!r} {info.value!r}"
    assert SECRET not in shown and TOKEN not in shown
    vertex_client = vertex(FakeProvider(["x"]))
    vertex_client.complete("hi")
    assert "ya29.access-token" not in repr(vertex_client.config)


def test_vertex_google_error_bodies_are_typed() -> None:
    google_error = {
        "error": {"code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED"}
    }
    fake = FakeProvider([FakeReply.raw(429, google_error)])
    llm = (
        tl.anthropic()
        .vertex("p", location="us-east5", token_provider=lambda: "ya29.t")
        .model("claude-haiku-4-5")
        .max_retries(0)
        .transport(fake)
        .build()
    )
    with pytest.raises(RateLimitError, match="Quota exceeded") as info:
        llm.complete("hi")
    assert info.value.code == "RESOURCE_EXHAUSTED"


async def test_vertex_async_token_provider_is_refreshed() -> None:
    calls: list[int] = []

    async def provider() -> Token:
        calls.append(1)
        # Expires inside the refresh margin: fetched again on the next call.
        return Token(_secret(f"ya29.token-{len(calls)}"), expires_at=0.0)

    fake = FakeProvider(["one", "two"])
    capture = Capture(fake)
    llm = (
        tl.anthropic()
        .vertex("p", location="us-east5", token_provider=provider)
        .model("claude-haiku-4-5")
        .async_http_client(httpx.AsyncClient(transport=_AsyncCapture(capture)))
        .build()
    )
    assert await llm.acomplete("a") == "one"
    assert await llm.acomplete("b") == "two"
    assert [r.headers["authorization"] for r in capture.sent] == [
        "Bearer ya29.token-1",
        "Bearer ya29.token-2",
    ]
    assert len(calls) == 2


class _AsyncCapture(httpx.AsyncBaseTransport):
    def __init__(self, capture: Capture) -> None:
        self.capture = capture

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return self.capture.handle_request(request)


def test_output_limits_of_cloud_ids_are_checked() -> None:
    builder = tl.anthropic().bedrock("us-east-1").max_tokens(8000)
    with pytest.raises(ConfigurationError, match="limit of 4096"):
        builder.model("anthropic.claude-3-haiku-20240307-v1:0")
    with pytest.raises(ConfigurationError, match="limit of 4096"):
        tl.anthropic().max_tokens(8000).model("claude-3-haiku@20240307")


def test_anthropic_gates_hold_on_every_platform(platform: str) -> None:
    llm = client_for(platform, FakeProvider(["x"]))
    with pytest.raises(ConfigurationError, match="between 0 and 1"):
        llm.complete("hi", options=tl.CallOptions(temperature=1.5))
    with pytest.raises(ConfigurationError, match="no request metadata"):
        llm.complete("hi", options=tl.CallOptions(metadata={"a": "b"}))


def test_batches_are_not_offered_on_the_clouds(platform: str) -> None:
    llm = client_for(platform, FakeProvider())
    with pytest.raises(ConfigurationError, match="no batch API"):
        tl.batch(llm, ["a", "b"])


DRIVERS = [
    "httpx",
    pytest.param(
        "aiohttp",
        marks=pytest.mark.skipif(
            not tl.aiohttp_available(), reason="pip install 'typedllm[aiohttp]'"
        ),
    ),
]


class VerifyingProvider(FakeProvider):
    """A fake that checks each SigV4 signature as AWS would: recomputed from the request as
    it arrived (path as sent, the signed headers, the body) with the known secret key."""

    def __init__(self) -> None:
        super().__init__()
        self.verified = 0

    def respond(
        self, method: str, url: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        from urllib.parse import urlsplit

        from typedllm.hosts._sigv4 import AwsCredentials, sign

        lower = {k.lower(): v for k, v in headers.items()}
        authz = lower.get("authorization", "")
        if authz.startswith("AWS4-HMAC-SHA256"):
            names = authz.split("SignedHeaders=")[1].split(",")[0].split(";")
            parts = urlsplit(url)
            expected = sign(
                method=method,
                path=parts.path,
                query=parts.query,
                headers=[(n, lower[n]) for n in names],
                body=body,
                credentials=AwsCredentials("AKIDEXAMPLE", _secret(SECRET)),
                region=authz.split("/")[2],
                service="bedrock",
                amz_date=lower["x-amz-date"],
            )
            if expected.authorization != authz:
                return (
                    403,
                    {"x-amzn-errortype": "InvalidSignatureException"},
                    (b'{"message": "The request signature we calculated does not match"}'),
                )
            self.verified += 1
        return super().respond(method, url, headers, body)


@pytest.mark.parametrize("driver", DRIVERS)
async def test_over_loopback_sockets(platform: str, driver: str) -> None:
    from typedllm.testing import FakeServer

    fake = VerifyingProvider()
    server = FakeServer(fake).start()
    try:
        root = f"http://127.0.0.1:{server.port}"
        builder = (
            tl.anthropic().bedrock("us-east-1").aws_credentials("AKIDEXAMPLE", SECRET)
            if platform == "bedrock"
            else tl.anthropic().vertex("p", location="us-east5", token_provider=lambda: "ya29")
        )
        llm = builder.model("claude-haiku-4-5").base_url(root).async_driver(driver).build()  # type: ignore[arg-type]
        assert isinstance(await llm.acomplete("a city", schema=City), City)
        partials = [p async for p in llm.astream("a city", schema=City)]
        assert isinstance(partials[-1].data, dict)
        assert "".join(llm.stream("plain text")).startswith("[fake answer]")
    finally:
        server.stop()
    paths = [r.path for r in fake.requests]
    if platform == "bedrock":
        assert fake.verified == 3  # every signature checks out over real sockets
        assert paths[0] == "/model/anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke"
        assert paths[1].endswith("v1%3A0/invoke-with-response-stream")
    else:
        assert paths[1].endswith("claude-haiku-4-5@20251001:streamRawPredict")
