"""Anthropic: builder gates at run time, the Messages wire through the fake, output errors."""

from __future__ import annotations

from typing import Any

import pytest
from _drive import drive_complete
from pydantic import BaseModel

import typedllm as tl
from typedllm.testing import FakeProvider, FakeReply


class City(BaseModel):
    name: str
    population: int


class Node(BaseModel):
    value: int
    children: list[Node] = []


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)


def build(fake: FakeProvider, model: Any = "claude-sonnet-4-5", **opts: Any) -> tl.Client:
    builder: Any = tl.anthropic().model(model).api_key("sk-ant-test").transport(fake)
    for name, value in opts.items():
        builder = (
            builder.thinking(budget_tokens=value)
            if name == "thinking"
            else getattr(builder, name)(value)
        )
    client: tl.Client = builder.build()
    return client


def test_missing_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(tl.ConfigurationError, match="ANTHROPIC_API_KEY"):
        tl.anthropic().model("claude-haiku-4-5").build()
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-env")
    key = tl.anthropic().model("claude-haiku-4-5").build().config.api_key
    assert key is not None and key.get() == "sk-ant-env"


def test_thinking_only_on_thinking_models_at_runtime() -> None:
    untyped: Any = tl.anthropic().model("claude-3-5-haiku-latest")
    with pytest.raises(tl.ConfigurationError, match="extended thinking"):
        untyped.thinking(budget_tokens=2048)
    tl.anthropic().model("claude-3-7-sonnet-latest").thinking(budget_tokens=2048)


def test_thinking_and_temperature_exclude_each_other_in_either_order() -> None:
    a: Any = tl.anthropic().model("claude-sonnet-4-5").thinking(budget_tokens=2048)
    with pytest.raises(tl.ConfigurationError, match="thinking"):
        a.temperature(0.5)
    b: Any = tl.anthropic().model("claude-sonnet-4-5").temperature(0.5)
    with pytest.raises(tl.ConfigurationError, match="thinking"):
        b.thinking(budget_tokens=2048)


def test_thinking_budget_rules() -> None:
    with pytest.raises(tl.ConfigurationError, match="1024"):
        tl.anthropic().model("claude-sonnet-4-5").thinking(budget_tokens=100)
    with pytest.raises(tl.ConfigurationError, match="greater than the thinking budget"):
        tl.anthropic().model("claude-sonnet-4-5").thinking(budget_tokens=4000).max_tokens(
            2000
        ).api_key("k").build()
    auto = (
        tl.anthropic().model("claude-sonnet-4-5").thinking(budget_tokens=10000).api_key("k").build()
    )
    assert auto.config.max_tokens is not None and auto.config.max_tokens > 10000


def test_unknown_models_and_like() -> None:
    untyped: Any = tl.anthropic()
    with pytest.raises(tl.ConfigurationError):
        untyped.model("gpt-4o")
    llm = (
        tl.anthropic()
        .model("claude-sonnet-4-6-preview", like="claude-sonnet-4-5")
        .api_key("k")
        .build()
    )
    assert llm.model_info.thinking and llm.model == "claude-sonnet-4-6-preview"


def test_text_request_shape() -> None:
    fake = FakeProvider(["Hello!"])
    llm = build(fake, system="Be brief.", temperature=0.3, top_k=5)
    assert (
        llm.complete(
            [tl.system("Also polite."), tl.user("hi"), tl.assistant("yo"), tl.user("again")]
        )
        == "Hello!"
    )
    req = fake.requests[0]
    assert req.path == "/v1/messages"
    assert req.headers["anthropic-version"] == "2023-06-01"
    assert req.headers["x-api-key"] == "***"
    body = req.json
    # Several system messages stay apart (system blocks), never silently joined.
    assert body["system"] == [
        {"type": "text", "text": "Be brief."},
        {"type": "text", "text": "Also polite."},
    ]
    assert body["messages"] == [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "yo"},
        {"role": "user", "content": "again"},
    ]
    assert body["max_tokens"] == 8192
    assert (body["temperature"], body["top_k"]) == (0.3, 5)


def test_structured_output_uses_native_format() -> None:
    fake = FakeProvider()
    city = build(fake).complete("x", schema=City)
    assert isinstance(city, City)
    req = fake.requests[0]
    assert "anthropic-beta" not in req.headers
    fmt = req.json["output_config"]["format"]
    assert fmt["type"] == "json_schema" and fmt["schema"]["additionalProperties"] is False
    assert "tools" not in req.json


def test_models_without_native_format_use_a_forced_tool() -> None:
    fake = FakeProvider()
    city = build(fake, model="claude-3-5-haiku-latest").complete("x", schema=City)
    assert isinstance(city, City)
    body = fake.requests[0].json
    assert body["tool_choice"] == {
        "type": "tool",
        "name": "City",
        "disable_parallel_tool_use": True,
    }
    assert body["tools"][0]["input_schema"]["properties"]["population"]["type"] == "integer"
    assert "anthropic-beta" not in fake.requests[0].headers


def test_recursive_types_fall_back_to_the_tool_route() -> None:
    fake = FakeProvider()
    node = build(fake).complete("x", schema=Node)
    assert isinstance(node, Node)
    assert "tools" in fake.requests[0].json and "output_config" not in fake.requests[0].json


def test_thinking_with_tool_route_does_not_force_the_tool() -> None:
    fake = FakeProvider()
    llm = build(fake, model="claude-sonnet-4-0", thinking=2048)
    assert isinstance(llm.complete("x", schema=City), City)
    body = fake.requests[0].json
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 2048}
    assert body["tool_choice"] == {"type": "auto"}
    assert "City tool" in body["system"]
    assert "temperature" not in body


def test_thinking_blocks_are_exposed_on_the_record() -> None:
    body = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5",
        "content": [
            {"type": "thinking", "thinking": "Let me count.", "signature": "sig"},
            {"type": "text", "text": '{"name": "Oslo", "population": 700000}'},
        ],
        "stop_reason": "end_turn",
        "usage": {"input_tokens": 10, "output_tokens": 20, "cache_read_input_tokens": 5},
    }
    fake = FakeProvider([FakeReply.raw(200, body, {"request-id": "req_abc"})])
    rec = build(fake, thinking=2048).completion("x", schema=City)
    assert rec.output == City(name="Oslo", population=700000)
    assert rec.reasoning == "Let me count."
    assert rec.request_id == "req_abc"
    assert rec.usage == tl.Usage(input_tokens=15, output_tokens=20, cached_input_tokens=5)


def test_refusal_and_truncation() -> None:
    with pytest.raises(tl.RefusalError):
        build(FakeProvider([FakeReply.refusal("No.")])).complete("x", schema=City)
    with pytest.raises(tl.TruncatedOutputError):
        build(FakeProvider([FakeReply.truncated('{"name": "Os')])).complete("x", schema=City)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, tl.BadRequestError),
        (401, tl.AuthenticationError),
        (404, tl.NotFoundError),
        (429, tl.RateLimitError),
        (529, tl.InternalServerError),
    ],
)
def test_errors_are_typed(status: int, cls: type[tl.APIStatusError]) -> None:
    fake = FakeProvider([FakeReply.error(status, "nope", headers={"request-id": "req_err"})])
    with pytest.raises(cls) as info:
        build(fake, max_retries=0).complete("x")
    assert info.value.request_id == "req_err" and info.value.provider == "anthropic"
    assert "nope" in str(info.value)


def test_overloaded_529_is_retried() -> None:
    fake = FakeProvider([FakeReply.error(529, "Overloaded"), "fine"])
    result, trace = drive_complete(build(fake), "x", fake)
    assert result.output == "fine"
    assert fake.calls == 2 and len(trace.sleeps) == 1


def test_beta_headers_are_sent() -> None:
    fake = FakeProvider(["ok"])
    llm = tl.anthropic().model("claude-haiku-4-5").beta("structured-outputs-2025-11-13", "x-1")
    assert llm.api_key("k").transport(fake).build().complete("x") == "ok"
    assert fake.requests[0].headers["anthropic-beta"] == "structured-outputs-2025-11-13,x-1"


async def test_async_structured_call() -> None:
    fake = FakeProvider()
    async with build(fake) as llm:
        assert isinstance(await llm.acomplete("x", schema=list[City]), list)


def test_user_tools_beside_the_answer_tool_route() -> None:
    """The caller's tools and the answer tool are offered together: the model may call either,
    and the answer tool's input is the answer (the fake answers with the named answer tool)."""
    weather = tl.ToolDefinition("get_weather", "Weather", {"type": "object", "properties": {}})
    fake = FakeProvider()
    llm = tl.anthropic().model("claude-3-5-haiku-latest").api_key("k").transport(fake).build()

    class City(BaseModel):
        name: str

    city = llm.complete("x", schema=City, options=tl.CallOptions(tools=(weather,)))
    assert isinstance(city, City)
    body = fake.requests[0].json
    assert [t["name"] for t in body["tools"]] == ["get_weather", "City"]
    assert "tool_choice" not in body or body["tool_choice"]["type"] != "tool"
    assert "calling the City tool" in str(body["system"])
