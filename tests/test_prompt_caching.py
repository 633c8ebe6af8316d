"""Prompt caching: Anthropic breakpoints (user-placed, automatic, TTLs, the 4-breakpoint and
TTL-order rules), OpenAI's cache key and retention, Gemini's cached contents, and cache usage
and cost on every wire that reports them."""

from __future__ import annotations

from typing import Any

import pytest

import typedllm as tl
from typedllm._catalog import lookup
from typedllm.codecs import anthropic as anthropic_codec
from typedllm.codecs import gemini as gemini_codec
from typedllm.codecs import openai_chat, openai_responses
from typedllm.testing import FakeProvider, FakeReply

WEATHER = tl.ToolDefinition(
    "weather", "The weather in a city", {"type": "object", "properties": {"city": {}}}
)


@pytest.fixture(autouse=True)
def _no_env_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def anthropic_body(
    fake: FakeProvider, messages: list[tl.Message], cache: Any = None, **call: Any
) -> dict[str, Any]:
    builder: Any = tl.anthropic().model("claude-sonnet-4-5").api_key("sk-ant-test").transport(fake)
    if cache is not None:
        builder = builder.prompt_cache(*cache[:1], ttl=cache[1] if len(cache) > 1 else None)
    client: tl.Client = builder.build()
    client.complete(messages, options=tl.CallOptions(**call) if call else None)
    body: dict[str, Any] = fake.requests[-1].json
    return body


def controls(body: dict[str, Any]) -> list[tuple[str, Any]]:
    """Where the breakpoints are: (place, cache_control) in render order."""
    found: list[tuple[str, Any]] = []
    for tool in body.get("tools") or ():
        if "cache_control" in tool:
            found.append((f"tool:{tool['name']}", tool["cache_control"]))
    system = body.get("system")
    if isinstance(system, list):
        for i, block in enumerate(system):
            if "cache_control" in block:
                found.append((f"system:{i}", block["cache_control"]))
    for m, message in enumerate(body["messages"]):
        content = message["content"]
        if isinstance(content, list):
            for b, block in enumerate(content):
                if "cache_control" in block:
                    found.append((f"message:{m}:{b}", block["cache_control"]))
    return found


CONVERSATION = [
    tl.system("You are a long, stable system prompt."),
    tl.user("First question"),
    tl.assistant("First answer"),
    tl.user("Second question"),
]


def test_user_cache_points_mark_the_block_before_them_with_their_ttl() -> None:
    fake = FakeProvider()
    body = anthropic_body(
        fake,
        [
            tl.Message("system", ["Stable instructions", tl.cache_point("1h")]),
            tl.user(["A long document", tl.CachePoint(), "The question"]),
        ],
    )
    assert controls(body) == [
        ("system:0", {"type": "ephemeral", "ttl": "1h"}),
        ("message:0:0", {"type": "ephemeral"}),
    ]


def test_no_breakpoints_without_cache_points_or_auto() -> None:
    fake = FakeProvider()
    assert controls(anthropic_body(fake, CONVERSATION, tools=(WEATHER,))) == []


def test_auto_marks_tools_system_and_the_conversation() -> None:
    fake = FakeProvider()
    body = anthropic_body(fake, CONVERSATION, cache=("auto",), tools=(WEATHER,))
    control = {"type": "ephemeral"}
    assert controls(body) == [
        ("tool:weather", control),
        ("system:0", control),
        ("message:0:0", control),  # the user turn before the last
        ("message:2:0", control),  # the last message
    ]
    assert body["system"] == [
        {"type": "text", "text": "You are a long, stable system prompt.", "cache_control": control}
    ]


def test_auto_ttl_is_sent_on_every_automatic_breakpoint() -> None:
    fake = FakeProvider()
    body = anthropic_body(fake, CONVERSATION, cache=("auto", "1h"))
    assert [c for _, c in controls(body)] == [{"type": "ephemeral", "ttl": "1h"}] * 3


def test_auto_keeps_within_four_breakpoints_next_to_the_users_own() -> None:
    fake = FakeProvider()
    messages = [
        tl.Message("system", ["Rules", tl.CachePoint(), "More rules", tl.CachePoint()]),
        tl.user(["Doc", tl.CachePoint(), "Question"]),
        tl.assistant("Answer"),
        tl.user("Follow-up"),
    ]
    body = anthropic_body(fake, messages, cache=("auto",), tools=(WEATHER,))
    places = [p for p, _ in controls(body)]
    assert len(places) == 4
    assert places == ["tool:weather", "system:0", "system:1", "message:0:0"]


def test_auto_off_keeps_only_the_users_breakpoints() -> None:
    fake = FakeProvider()
    body = anthropic_body(fake, [tl.user(["Doc", tl.CachePoint()])], cache=("off",))
    assert [p for p, _ in controls(body)] == ["message:0:0"]


def test_more_than_four_user_breakpoints_is_an_error_before_sending() -> None:
    fake = FakeProvider()
    parts: list[Any] = []
    for i in range(5):
        parts += [f"chunk {i}", tl.CachePoint()]
    with pytest.raises(tl.ConfigurationError, match="at most 4 prompt-cache breakpoints"):
        anthropic_body(fake, [tl.user(parts)])
    assert fake.requests == []


def test_a_longer_ttl_after_a_shorter_one_is_an_error() -> None:
    fake = FakeProvider()
    messages = [
        tl.Message("system", ["Rules", tl.cache_point("5m")]),
        tl.user(["Doc", tl.cache_point("1h"), "Question"]),
    ]
    with pytest.raises(tl.ConfigurationError, match="1h TTL cannot follow"):
        anthropic_body(fake, messages)
    assert fake.requests == []


def test_prompt_cache_rejects_unknown_modes_and_ttls() -> None:
    builder: Any = tl.anthropic().model("claude-sonnet-4-5")
    with pytest.raises(tl.ConfigurationError, match="'auto' or 'off'"):
        builder.prompt_cache("always")
    with pytest.raises(tl.ConfigurationError, match="'5m' or '1h'"):
        builder.prompt_cache("auto", ttl="10m")


def test_auto_cache_on_bedrock_body_too() -> None:
    fake = FakeProvider()
    client = (
        tl.anthropic()
        .model("claude-sonnet-4-5")
        .bedrock("us-east-1")
        .aws_credentials("AKIDEXAMPLE", "secret")
        .prompt_cache("auto")
        .transport(fake)
        .build()
    )
    client.complete([tl.system("Stable"), tl.user("Hi")])
    body = fake.requests[-1].json
    assert body["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert body["messages"][0]["content"][0]["cache_control"] == {"type": "ephemeral"}


# -- OpenAI -----------------------------------------------------------------------------------


@pytest.mark.parametrize("api", ["chat", "responses"])
def test_openai_cache_key_and_retention(api: str) -> None:
    fake = FakeProvider()
    builder: Any = tl.openai().model("gpt-4o").api_key("sk-test").transport(fake)
    if api == "responses":
        builder = builder.api("responses")
    client: tl.Client = builder.build()
    client.complete("Hi", options=tl.CallOptions(cache_key="tenant-7", cache_retention="24h"))
    body = fake.requests[-1].json
    assert body["prompt_cache_key"] == "tenant-7"
    assert body["prompt_cache_retention"] == "24h"


def test_cache_retention_is_validated_and_openai_only() -> None:
    with pytest.raises(tl.ConfigurationError, match="'in_memory' or '24h'"):
        tl.CallOptions(cache_retention="1h")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    fake = FakeProvider()
    client = tl.anthropic().model("claude-sonnet-4-5").api_key("k").transport(fake).build()
    with pytest.raises(tl.ConfigurationError, match="prompt_cache_retention"):
        client.complete("Hi", options=tl.CallOptions(cache_retention="24h"))
    assert fake.requests == []


# -- Gemini -----------------------------------------------------------------------------------


def test_gemini_cached_content_option_goes_in_the_body() -> None:
    fake = FakeProvider()
    client = tl.gemini().model("gemini-2.5-flash").api_key("g-test").transport(fake).build()
    client.complete("Hi", options=tl.CallOptions(cached_content="cachedContents/abc123"))
    assert fake.requests[-1].json["cachedContent"] == "cachedContents/abc123"


def test_cached_content_is_gemini_only() -> None:
    fake = FakeProvider()
    client = tl.openai().model("gpt-4o").api_key("sk").transport(fake).build()
    with pytest.raises(tl.ConfigurationError, match="Gemini cached content"):
        client.complete("Hi", options=tl.CallOptions(cached_content="cachedContents/x"))
    with pytest.raises(tl.ConfigurationError, match="non-empty"):
        tl.CallOptions(cached_content="")


# -- usage: cache reads and writes apart, on every wire -------------------------------------


def test_anthropic_usage_reports_reads_and_writes_apart() -> None:
    usage = anthropic_codec.decode_usage(
        {
            "input_tokens": 10,
            "cache_creation_input_tokens": 2000,
            "cache_read_input_tokens": 5000,
            "output_tokens": 7,
        }
    )
    assert (usage.input_tokens, usage.cache_read_tokens, usage.cache_write_tokens) == (
        7010,
        5000,
        2000,
    )


def test_openai_chat_usage_reports_cached_tokens() -> None:
    usage = openai_chat.decode_usage(
        {
            "prompt_tokens": 2006,
            "completion_tokens": 300,
            "prompt_tokens_details": {"cached_tokens": 1920},
        }
    )
    assert (usage.input_tokens, usage.cache_read_tokens, usage.cache_write_tokens) == (
        2006,
        1920,
        0,
    )


def test_deepseek_usage_reports_cache_hits() -> None:
    usage = openai_chat.decode_usage(
        {
            "prompt_tokens": 100,
            "completion_tokens": 5,
            "prompt_cache_hit_tokens": 64,
            "prompt_cache_miss_tokens": 36,
        }
    )
    assert usage.cache_read_tokens == 64


def test_openai_responses_usage_reports_cached_tokens() -> None:
    usage = openai_responses.decode_usage(
        {"input_tokens": 3000, "output_tokens": 10, "input_tokens_details": {"cached_tokens": 2048}}
    )
    assert usage.cache_read_tokens == 2048


def test_gemini_usage_reports_implicit_cache_hits() -> None:
    usage = gemini_codec.decode_usage(
        {"promptTokenCount": 4000, "candidatesTokenCount": 12, "cachedContentTokenCount": 3000}
    )
    assert (usage.input_tokens, usage.cache_read_tokens) == (4000, 3000)


def test_bedrock_usage_reports_reads_and_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    body = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5",
        "content": [{"type": "text", "text": "ok"}],
        "stop_reason": "end_turn",
        "usage": {
            "input_tokens": 3,
            "cache_creation_input_tokens": 100,
            "cache_read_input_tokens": 200,
            "output_tokens": 2,
        },
    }
    fake = FakeProvider([FakeReply.raw(200, body)])
    client = (
        tl.anthropic()
        .model("claude-sonnet-4-5")
        .bedrock("us-east-1")
        .aws_credentials("AKIDEXAMPLE", "secret")
        .transport(fake)
        .build()
    )
    usage = client.completion("Hi").usage
    assert (usage.cache_read_tokens, usage.cache_write_tokens) == (200, 100)


# -- cost with the catalog's cache prices ----------------------------------------------------


def test_anthropic_completion_cost_uses_cache_read_and_write_prices() -> None:
    info = lookup("anthropic", "claude-sonnet-4-5")
    assert info is not None and info.cache_write_price and info.cached_input_price
    body = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5",
        "content": [{"type": "text", "text": "ok"}],
        "stop_reason": "end_turn",
        "usage": {
            "input_tokens": 1_000,
            "cache_creation_input_tokens": 10_000,
            "cache_read_input_tokens": 100_000,
            "output_tokens": 500,
        },
    }
    fake = FakeProvider([FakeReply.raw(200, body)])
    client = tl.anthropic().model("claude-sonnet-4-5").api_key("k").transport(fake).build()
    done = client.completion("Hi")
    expected = (
        1_000 * info.input_price  # type: ignore[operator]
        + 10_000 * info.cache_write_price
        + 100_000 * info.cached_input_price
        + 500 * info.output_price  # type: ignore[operator]
    ) / 1_000_000
    assert done.cost == pytest.approx(expected)
    # Without the cache discount the same tokens would cost more.
    uncached = (111_000 * info.input_price + 500 * info.output_price) / 1_000_000  # type: ignore[operator]
    assert done.cost is not None and done.cost < uncached


def test_openai_completion_cost_uses_the_cached_input_price() -> None:
    info = lookup("openai", "gpt-4o")
    assert info is not None and info.cached_input_price is not None
    body = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "gpt-4o",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}
        ],
        "usage": {
            "prompt_tokens": 10_000,
            "completion_tokens": 100,
            "prompt_tokens_details": {"cached_tokens": 8_000},
        },
    }
    fake = FakeProvider([FakeReply.raw(200, body)])
    client = tl.openai().model("gpt-4o").api_key("sk").transport(fake).build()
    done = client.completion("Hi")
    expected = (
        2_000 * info.input_price  # type: ignore[operator]
        + 8_000 * info.cached_input_price
        + 100 * info.output_price  # type: ignore[operator]
    ) / 1_000_000
    assert done.usage.cache_read_tokens == 8_000
    assert done.cost == pytest.approx(expected)


# -- Gemini explicit cached contents (create, use, delete) through the fake ---------------


def gemini_client(fake: FakeProvider) -> tl.Client:
    return tl.gemini().model("gemini-2.5-flash").api_key("g-test").transport(fake).build()


def test_create_use_and_delete_a_gemini_cached_content() -> None:
    fake = FakeProvider()
    client = gemini_client(fake)
    manual = "A very long product manual. " * 50
    cache = tl.create_cache(
        client,
        [tl.system("Answer from the manual."), tl.user(manual)],
        ttl=600,
        display_name="manual",
        tools=(WEATHER,),
    )
    created = fake.requests[-1]
    assert created.method == "POST" and created.path.endswith("/cachedContents")
    assert created.json["model"] == "models/gemini-2.5-flash"
    assert created.json["ttl"] == "600s"
    assert created.json["systemInstruction"] == {"parts": [{"text": "Answer from the manual."}]}
    assert created.json["contents"][0]["parts"][0]["text"] == manual
    assert created.json["tools"][0]["functionDeclarations"][0]["name"] == "weather"
    assert cache.name.startswith("cachedContents/") and cache.display_name == "manual"
    assert cache.model == "gemini-2.5-flash" and cache.token_count > 100
    assert cache.expire_time is not None and cache.create_time is not None
    assert (cache.expire_time - cache.create_time).total_seconds() == 600

    client.complete("What does the manual say?", options=cache.options)
    assert fake.requests[-1].json["cachedContent"] == cache.name

    again = tl.get_cache(client, cache.name)
    assert again == cache
    assert cache.refresh().name == cache.name

    cache.delete()
    assert fake.requests[-1].method == "DELETE"
    with pytest.raises(tl.APIStatusError) as gone:
        tl.get_cache(client, cache.name)
    assert gone.value.status_code == 403


def test_create_cache_validates_before_sending() -> None:
    fake = FakeProvider()
    client = gemini_client(fake)
    with pytest.raises(tl.ConfigurationError, match="positive number of seconds"):
        tl.create_cache(client, "text", ttl=0)
    with pytest.raises(tl.ConfigurationError, match="cachedContents/"):
        tl.get_cache(client, "abc")
    openai = tl.openai().model("gpt-4o").api_key("sk").transport(fake).build()
    with pytest.raises(tl.ConfigurationError, match="cached contents are Gemini's"):
        tl.create_cache(openai, "text", ttl=60)
    assert fake.requests == []


def test_a_timedelta_ttl() -> None:
    import datetime as dt

    fake = FakeProvider()
    tl.create_cache(gemini_client(fake), "Cached words", ttl=dt.timedelta(hours=1))
    assert fake.requests[-1].json["ttl"] == "3600s"


def test_async_create_get_and_delete() -> None:
    import asyncio

    async def run() -> None:
        fake = FakeProvider()
        client = gemini_client(fake)
        cache = await tl.acreate_cache(client, "Cached words", ttl=120)
        assert fake.requests[-1].json["ttl"] == "120s"
        assert (await tl.aget_cache(client, cache.name)) == cache
        assert (await cache.arefresh()).token_count == cache.token_count
        await cache.adelete()
        assert fake.caches.items == {}
        await client.aclose()

    asyncio.run(run())


def test_a_streamed_anthropic_answer_reports_cache_reads_and_writes() -> None:
    import httpx
    import orjson

    events = [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": "msg_1",
                    "type": "message",
                    "role": "assistant",
                    "model": "claude-sonnet-4-5",
                    "content": [],
                    "usage": {
                        "input_tokens": 4,
                        "cache_creation_input_tokens": 300,
                        "cache_read_input_tokens": 1200,
                        "output_tokens": 1,
                    },
                },
            },
        ),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
        (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "text_delta", "text": "ok"},
            },
        ),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn"},
                "usage": {"output_tokens": 2},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    sse = b"".join(
        b"event: " + name.encode() + b"\ndata: " + orjson.dumps(data) + b"\n\n"
        for name, data in events
    )

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=sse)

    client = (
        tl.anthropic()
        .model("claude-sonnet-4-5")
        .api_key("k")
        .transport(httpx.MockTransport(handler))
        .build()
    )
    stream = client.stream("Hi")
    assert "".join(stream) == "ok"
    usage = stream.completion.usage
    assert (usage.cache_read_tokens, usage.cache_write_tokens, usage.output_tokens) == (
        1200,
        300,
        2,
    )
    assert usage.input_tokens == 1504


def test_a_tool_can_carry_its_own_breakpoint() -> None:
    fake = FakeProvider()

    @tl.tool(cache="1h")
    def lookup_order(order_id: str) -> str:
        """Find an order."""
        return order_id

    plain = tl.ToolDefinition("ping", "Ping", {"type": "object", "properties": {}})
    marked = tl.ToolDefinition("pong", "Pong", {"type": "object", "properties": {}}, cache=True)
    body = anthropic_body(fake, CONVERSATION, tools=(plain, lookup_order.definition, marked))
    assert controls(body) == [
        ("tool:lookup_order", {"type": "ephemeral", "ttl": "1h"}),
        ("tool:pong", {"type": "ephemeral"}),
    ]
    # Counted with the others: four on tools and one more is refused before sending.
    many = tuple(
        tl.ToolDefinition(f"t{i}", "", {"type": "object", "properties": {}}, cache=True)
        for i in range(5)
    )
    with pytest.raises(tl.ConfigurationError, match="at most 4"):
        anthropic_body(fake, CONVERSATION, tools=many)
    # Other wires ignore the marker.
    openai_fake = FakeProvider()
    llm = tl.openai().model("gpt-4o-mini").api_key("sk-test").transport(openai_fake).build()
    llm.complete("hi", options=tl.CallOptions(tools=(marked,)))
    assert "cache_control" not in str(openai_fake.requests[-1].json)
    with pytest.raises(tl.ConfigurationError, match="cache takes"):
        tl.ToolDefinition("bad", cache="2h")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
