"""Gemini: builder gates at run time, the generateContent wire through the fake, output errors."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

import typedllm as tl
from typedllm.testing import FakeProvider, FakeReply


class City(BaseModel):
    name: str
    population: int
    nickname: str | None = None


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)


def build(fake: FakeProvider, model: Any = "gemini-2.5-flash") -> Any:
    return tl.gemini().model(model).api_key("AIza-test").transport(fake)


def test_key_from_either_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(tl.ConfigurationError, match="GEMINI_API_KEY or GOOGLE_API_KEY"):
        tl.gemini().model("gemini-2.5-flash").build()
    monkeypatch.setenv("GOOGLE_API_KEY", "g-key")
    key = tl.gemini().model("gemini-2.5-flash").build().config.api_key
    assert key is not None and key.get() == "g-key"


def test_thinking_only_on_thinking_models_at_runtime() -> None:
    untyped: Any = tl.gemini().model("gemini-2.0-flash")
    with pytest.raises(tl.ConfigurationError, match="thinking"):
        untyped.thinking(budget_tokens=1024)
    with pytest.raises(tl.ConfigurationError, match="between 128 and 32768"):
        tl.gemini().model("gemini-2.5-pro").thinking(budget_tokens=0)
    tl.gemini().model("gemini-2.5-flash").thinking(budget_tokens=0).temperature(0.2)


def test_request_shape() -> None:
    fake = FakeProvider(["Bonjour"])
    llm = (
        build(fake)
        .thinking(budget_tokens=1024)
        .temperature(0.5)
        .top_p(0.9)
        .max_tokens(256)
        .system("Be kind.")
        .build()
    )
    assert llm.complete([tl.user("hi"), tl.assistant("hey"), tl.user("again")]) == "Bonjour"
    req = fake.requests[0]
    assert req.path == "/v1beta/models/gemini-2.5-flash:generateContent"
    assert req.headers["x-goog-api-key"] == "***"
    body = req.json
    assert body["systemInstruction"] == {"parts": [{"text": "Be kind."}]}
    assert [c["role"] for c in body["contents"]] == ["user", "model", "user"]
    config = body["generationConfig"]
    assert config == {
        "candidateCount": 1,
        "temperature": 0.5,
        "topP": 0.9,
        "maxOutputTokens": 256,
        "thinkingConfig": {"thinkingBudget": 1024, "includeThoughts": True},
    }


def test_structured_output_uses_response_json_schema() -> None:
    fake = FakeProvider()
    assert isinstance(build(fake).build().complete("x", schema=City), City)
    config = fake.requests[0].json["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert config["responseJsonSchema"]["properties"]["population"]["type"] == "integer"


def test_legacy_models_use_the_openapi_response_schema() -> None:
    fake = FakeProvider()
    assert isinstance(
        build(fake, "gemini-1.5-flash").build().complete("x", schema=list[City]), list
    )
    schema = fake.requests[0].json["generationConfig"]["responseSchema"]
    assert schema["type"] == "ARRAY"
    assert schema["items"]["properties"]["nickname"]["nullable"] is True


def test_thought_parts_are_separate_from_the_answer() -> None:
    body = {
        "candidates": [
            {
                "content": {
                    "role": "model",
                    "parts": [
                        {"text": "Thinking about cities...", "thought": True},
                        {"text": '{"name": "Rome", "population": 2800000}'},
                    ],
                },
                "finishReason": "STOP",
            }
        ],
        "usageMetadata": {
            "promptTokenCount": 7,
            "candidatesTokenCount": 12,
            "thoughtsTokenCount": 30,
        },
        "modelVersion": "gemini-2.5-flash",
        "responseId": "resp-1",
    }
    rec = build(FakeProvider([FakeReply.raw(200, body)])).build().completion("x", schema=City)
    assert rec.output == City(name="Rome", population=2800000)
    assert rec.reasoning == "Thinking about cities..."
    assert rec.usage == tl.Usage(input_tokens=7, output_tokens=42, reasoning_tokens=30)
    assert rec.model == "gemini-2.5-flash"


@pytest.mark.parametrize("reason", ["SAFETY", "PROHIBITED_CONTENT", "RECITATION"])
def test_blocked_answers_are_refusals(reason: str) -> None:
    body = {
        "candidates": [{"finishReason": reason, "index": 0}],
        "usageMetadata": {"promptTokenCount": 3},
    }
    with pytest.raises(tl.RefusalError, match=reason):
        build(FakeProvider([FakeReply.raw(200, body)])).build().complete("x", schema=City)


def test_blocked_prompt_is_a_refusal() -> None:
    body = {"promptFeedback": {"blockReason": "SAFETY"}, "usageMetadata": {"promptTokenCount": 3}}
    with pytest.raises(tl.RefusalError, match="blockReason SAFETY"):
        build(FakeProvider([FakeReply.raw(200, body)])).build().complete("x")


def test_max_tokens_is_truncation() -> None:
    with pytest.raises(tl.TruncatedOutputError):
        build(FakeProvider([FakeReply.truncated('{"name": ')])).build().complete("x", schema=City)


def test_errors_are_typed() -> None:
    fake = FakeProvider([FakeReply.error(400, "API key not valid")])
    with pytest.raises(tl.BadRequestError) as info:
        build(fake).max_retries(0).build().complete("x")
    assert info.value.code == "INVALID_ARGUMENT" and info.value.provider == "gemini"


def test_vertex_base_url_and_bearer_token() -> None:
    fake = FakeProvider(["ok"])
    llm = tl.gemini().model("gemini-2.5-pro").vertex(project="p1", location="europe-west4")
    assert llm.api_key("ya29.token").transport(fake).build().complete("x") == "ok"
    req = fake.requests[0]
    prefix = "/v1/projects/p1/locations/europe-west4/publishers/google"
    assert req.path == f"{prefix}/models/gemini-2.5-pro:generateContent"
    assert req.headers["authorization"] == "***" and "x-goog-api-key" not in req.headers
