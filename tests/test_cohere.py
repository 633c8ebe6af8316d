"""Cohere v2 chat: the builder, request shapes, decoding (answers, tools, reasoning, usage),
streams at any chunk boundary, typed errors, and sync/async calls through the fake provider.

Fixtures under ``tests/data/cohere/`` are written from Cohere's documented shapes (see the
README there); no recordings of Cohere exist in the conformance corpus.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

import pytest
from _drive import drive_complete, drive_stream
from pydantic import BaseModel

import typedllm as tl
from typedllm._catalog import COHERE_MODELS
from typedllm._catalog._codegen import DATA_DIR, load_models
from typedllm._wire import WireResponse
from typedllm.codecs import get_codec
from typedllm.codecs.cohere import decode, decode_usage, new_stream
from typedllm.testing import FakeProvider, FakeReply

DATA = Path(__file__).parent / "data" / "cohere"
SSE = {"content-type": "text/event-stream"}


class City(BaseModel):
    name: str
    population: int


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("CO_API_KEY", "COHERE_API_KEY", "CO_API_URL"):
        monkeypatch.delenv(var, raising=False)


def fixture(name: str) -> bytes:
    return (DATA / name).read_bytes()


def build(fake: FakeProvider, model: Any = "command-a-03-2025", **opts: Any) -> tl.Client:
    builder: Any = tl.cohere().model(model).api_key("co-test-key").transport(fake)
    for name, value in opts.items():
        builder = getattr(builder, name)(value)
    client: tl.Client = builder.build()
    return client


def ok(body: bytes, request_id: str = "req-1") -> WireResponse:
    return WireResponse(200, {"content-type": "application/json", "x-request-id": request_id}, body)


# -- builder and host -------------------------------------------------------------------------


def test_key_from_either_variable_as_a_bearer_token(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(tl.ConfigurationError, match="CO_API_KEY or COHERE_API_KEY"):
        tl.cohere().model("command-a-03-2025").build()
    monkeypatch.setenv("COHERE_API_KEY", "co-second")
    fake = FakeProvider(["hi"], api_key="co-second")
    assert tl.cohere().model("command-r7b-12-2024").transport(fake).build().complete("x") == "hi"
    monkeypatch.setenv("CO_API_KEY", "co-first")  # the Cohere SDKs' variable wins
    key = tl.cohere().model("command-r7b-12-2024").build().config.api_key
    assert key is not None and key.get() == "co-first"
    assert "co-first" not in repr(tl.cohere().model("command-r7b-12-2024").build().config)


def test_wrong_key_is_an_authentication_error() -> None:
    fake = FakeProvider(["hi"], api_key="right")
    with pytest.raises(tl.AuthenticationError):
        build(fake, max_retries=0).complete("x")


def test_base_url_default_env_and_override(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeProvider()
    build(fake).complete("x")
    llm = build(fake)
    assert llm.config.base_url == "https://api.cohere.com"
    assert fake.requests[0].path == "/v2/chat"
    assert fake.requests[0].headers["accept"] == "application/json"
    monkeypatch.setenv("CO_API_URL", "https://proxy.example/cohere/v2/")
    assert build(fake).config.base_url == "https://proxy.example/cohere"
    explicit = build(fake, base_url="https://eu.example/v1")
    assert explicit.config.base_url == "https://eu.example"
    explicit.complete("x")
    assert fake.requests[-1].path == "/v2/chat"


def test_unlisted_models_need_like() -> None:
    untyped: Any = tl.cohere()
    with pytest.raises(tl.ConfigurationError, match="unknown Cohere model"):
        untyped.model("command-z-99")
    llm = (
        tl.cohere()
        .model("my-finetune-abc", like="command-r-08-2024")
        .api_key("k")
        .transport(FakeProvider(["ok"]))
        .build()
    )
    assert llm.config.model == "my-finetune-abc" and llm.complete("x") == "ok"


def test_sampling_ranges_are_checked() -> None:
    model = tl.cohere().model("command-a-03-2025")
    with pytest.raises(tl.ConfigurationError, match="between 0 and 1"):
        model.temperature(1.5)
    with pytest.raises(tl.ConfigurationError, match=r"0\.01 and 0\.99"):
        model.top_p(1.0)
    with pytest.raises(tl.ConfigurationError, match="between 0 and 500"):
        model.top_k(501)
    with pytest.raises(tl.ConfigurationError, match="between 0 and 500"):
        model.top_k(-1)


def test_top_k_takes_cohere_documented_range() -> None:
    """https://docs.cohere.com/v2/reference/chat: ``k`` from 0 (k-sampling off, the default)
    to 500."""
    fake = FakeProvider(["ok", "ok", "ok"])
    model = tl.cohere().model("command-a-03-2025").api_key("co-test").transport(fake)
    for k in (0, 1, 500):
        assert model.top_k(k).build().complete("hi") == "ok"
    sent = [r.json.get("k") for r in fake.requests]
    assert sent == [None, 1, 500]  # 0 sends no k: the API's default, sampling off
    assert model.top_k(40).top_k(0).build().config.defaults.top_k is None


def test_thinking_only_on_reasoning_models() -> None:
    untyped: Any = tl.cohere().model("command-a-03-2025")
    with pytest.raises(tl.ConfigurationError, match="does not support thinking"):
        untyped.thinking(budget_tokens=2000)
    with pytest.raises(tl.ConfigurationError, match="does not support thinking"):
        untyped.no_thinking()
    with pytest.raises(tl.ConfigurationError, match="positive int"):
        tl.cohere().model("command-a-reasoning-08-2025").thinking(budget_tokens=0)
    with pytest.raises(tl.ConfigurationError, match="greater than the thinking budget"):
        tl.cohere().model("command-a-reasoning-08-2025").thinking(budget_tokens=5000).max_tokens(
            4000
        ).api_key("k").build()


@pytest.mark.parametrize(
    ("configure", "expected"),
    [
        (lambda b: b, None),
        (lambda b: b.thinking(), {"type": "enabled"}),
        (lambda b: b.thinking(budget_tokens=2048), {"type": "enabled", "token_budget": 2048}),
        (lambda b: b.no_thinking(), {"type": "disabled"}),
    ],
    ids=["default", "on", "budget", "off"],
)
def test_thinking_request_field(configure: Any, expected: dict[str, Any] | None) -> None:
    fake = FakeProvider(["ok"])
    builder = tl.cohere().model("command-a-reasoning-08-2025").api_key("k").transport(fake)
    configure(builder).build().complete("x")
    assert fake.requests[0].json.get("thinking") == expected


# -- request shapes ---------------------------------------------------------------------------


def test_text_request_shape_and_sampling_names() -> None:
    fake = FakeProvider(["ok"])
    llm = (
        tl.cohere()
        .model("command-r-plus-08-2024")
        .temperature(0.2)
        .top_p(0.9)
        .top_k(40)
        .max_tokens(300)
        .stop("END", "###")
        .seed(7)
        .system("Be brief.")
        .api_key("k")
        .transport(fake)
        .build()
    )
    assert llm.complete([tl.system("Answer in English."), tl.user("Capital of Norway?")]) == "ok"
    body = fake.requests[0].json
    assert body == {
        "model": "command-r-plus-08-2024",
        "messages": [
            {"role": "system", "content": "Be brief.\n\nAnswer in English."},
            {"role": "user", "content": "Capital of Norway?"},
        ],
        "stream": False,
        "temperature": 0.2,
        "p": 0.9,
        "k": 40,
        "max_tokens": 300,
        "stop_sequences": ["END", "###"],
        "seed": 7,
    }


def test_schema_goes_in_response_format_json_schema() -> None:
    fake = FakeProvider()
    city = build(fake).complete("Largest city of Norway?", schema=City)
    assert isinstance(city, City)
    fmt = fake.requests[0].json["response_format"]
    assert fmt["type"] == "json_object"
    assert fmt["json_schema"]["required"] == ["name", "population"]
    assert fmt["json_schema"]["properties"]["population"]["type"] == "integer"


def test_non_object_roots_are_wrapped_and_unwrapped() -> None:
    fake = FakeProvider([{"result": [{"name": "Oslo", "population": 1}]}])
    cities = build(fake).complete("x", schema=list[City])
    assert cities == [City(name="Oslo", population=1)]
    assert fake.requests[0].json["response_format"]["json_schema"]["required"] == ["result"]


def test_images_are_image_url_parts() -> None:
    fake = FakeProvider(["a cat"])
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 16
    build(fake, "command-a-vision-07-2025").complete(
        [tl.user(["What is this?", tl.image(png, media_type="image/png")])]
    )
    content = fake.requests[0].json["messages"][0]["content"]
    assert content[0] == {"type": "text", "text": "What is this?"}
    assert content[1]["type"] == "image_url"
    assert content[1]["image_url"]["url"].startswith("data:image/png;base64,")


def test_documents_and_images_on_text_models_are_refused_clearly() -> None:
    llm = build(FakeProvider(["x"]))
    with pytest.raises(tl.ConfigurationError, match="does not take documents"):
        llm.complete([tl.user(["Read", tl.document(b"%PDF-1.4 x")])])
    with pytest.raises(tl.ConfigurationError, match="image"):
        llm.complete([tl.user(["See", tl.image(b"\x89PNG\r\n\x1a\n0000", media_type="image/png")])])


WEATHER = tl.ToolDefinition(
    "get_weather",
    "Current weather in a city",
    {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)
TIME = tl.ToolDefinition("get_time", "Local time", strict=True)


def test_tools_and_tool_choice() -> None:
    fake = FakeProvider(["a", "b", "c", "d"])
    llm = build(fake)
    llm.complete("x", options=tl.CallOptions(tools=(WEATHER,)))
    llm.complete("x", options=tl.CallOptions(tools=(WEATHER, TIME), tool_choice="required"))
    llm.complete("x", options=tl.CallOptions(tools=(WEATHER,), tool_choice="none"))
    llm.complete("x", options=tl.CallOptions(tools=(WEATHER, TIME), tool_choice="get_weather"))
    first, required, none, named = (r.json for r in fake.requests)
    assert first["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "description": "Current weather in a city",
                "parameters": WEATHER.parameters,
            },
        }
    ]
    assert "tool_choice" not in first and "strict_tools" not in first
    assert required["tool_choice"] == "REQUIRED" and required["strict_tools"] is True
    assert none["tool_choice"] == "NONE"
    # Cohere cannot name one tool: only the named tool is offered, and a call is required.
    assert [t["function"]["name"] for t in named["tools"]] == ["get_weather"]
    assert named["tool_choice"] == "REQUIRED"
    with pytest.raises(tl.ConfigurationError, match="names no offered tool"):
        llm.complete("x", options=tl.CallOptions(tools=(WEATHER,), tool_choice="nope"))


def test_a_tool_round_trip_keeps_ids_plan_and_results() -> None:
    calls_body = fixture("chat_tool_calls.json")
    fake = FakeProvider([FakeReply.raw(200, calls_body), "Oslo 4 C, Bergen 9 C."])
    llm = build(fake)
    first = llm.completion("Weather in Oslo and Bergen?", options=tl.CallOptions(tools=(WEATHER,)))
    assert [c.name for c in first.tool_calls] == ["get_weather", "get_weather"]
    assert first.reasoning == "I will look up the weather in Oslo and in Bergen."
    results = [
        tl.tool_result(first.tool_calls[0].id, '{"temp_c": 4}'),
        tl.tool_result(first.tool_calls[1].id, "station offline", is_error=True),
    ]
    answer = llm.complete([*first.messages, *results], options=tl.CallOptions(tools=(WEATHER,)))
    assert answer == "Oslo 4 C, Bergen 9 C."
    sent = fake.requests[1].json["messages"]
    assert sent[1] == {
        "role": "assistant",
        "tool_plan": "I will look up the weather in Oslo and in Bergen.",
        "tool_calls": [
            {
                "id": "get_weather_a1b2c3d4e5f6",
                "type": "function",
                "function": {"name": "get_weather", "arguments": '{"city":"Oslo"}'},
            },
            {
                "id": "get_weather_f6e5d4c3b2a1",
                "type": "function",
                "function": {"name": "get_weather", "arguments": '{"city":"Bergen"}'},
            },
        ],
    }
    assert sent[2] == {
        "role": "tool",
        "tool_call_id": "get_weather_a1b2c3d4e5f6",
        "content": '{"temp_c": 4}',
    }
    assert sent[3]["content"] == "Error: station offline"


def test_other_providers_reasoning_is_not_sent_to_cohere() -> None:
    fake = FakeProvider(["ok"])
    foreign = tl.Message("assistant", [tl.ReasoningPart("hidden", provider="anthropic"), "Hi"])
    build(fake).complete([tl.user("a"), foreign, tl.user("b")])
    assert fake.requests[0].json["messages"][1] == {"role": "assistant", "content": "Hi"}


# -- decoding ---------------------------------------------------------------------------------


def test_decode_text_with_citations_and_billed_usage() -> None:
    decoded = decode("cohere", ok(fixture("chat_text.json")))
    assert decoded.text == "Oslo is the capital of Norway."
    assert decoded.finish_reason == "stop" and decoded.raw_finish_reason == "COMPLETE"
    assert decoded.response_id == "0c1e5a3f-7d2b-4b8e-9a61-2f4d8c0b7e11"
    assert decoded.request_id == "req-1"
    # billed units are what Cohere charges; usage.tokens adds tokens Cohere inserts itself.
    assert (decoded.usage.input_tokens, decoded.usage.output_tokens) == (12, 9)
    (part,) = decoded.parts
    assert isinstance(part, tl.TextPart)
    (citation,) = part.citations
    assert (citation.cited_text, citation.start, citation.end) == ("Oslo", 0, 4)
    assert citation.title == "Norway facts" and citation.source == "document:doc:0"


def test_usage_falls_back_to_tokens_and_counts_cache_reads() -> None:
    usage = decode_usage({"tokens": {"input_tokens": 50, "output_tokens": 5}, "cached_tokens": 20})
    assert (usage.input_tokens, usage.output_tokens, usage.cache_read_tokens) == (50, 5, 20)
    assert decode_usage(None) == tl.Usage()


def test_cost_is_computed_from_billed_units() -> None:
    fake = FakeProvider([FakeReply.raw(200, fixture("chat_json.json"))])
    completion = build(fake).completion("x", schema=City)
    assert completion.output == City(name="Oslo", population=709037)
    assert completion.usage.input_tokens == 40 and completion.usage.output_tokens == 15
    expected = (40 * 2.5 + 15 * 10.0) / 1_000_000  # command-a-03-2025: $2.50 / $10 per 1M
    assert completion.cost == pytest.approx(expected)


def test_reasoning_content_is_kept_apart_and_sent_back() -> None:
    fake = FakeProvider([FakeReply.raw(200, fixture("chat_reasoning.json")), "ok"])
    llm = build(fake, "command-a-reasoning-08-2025")
    completion = llm.completion("riddle")
    assert completion.output == "Each brother has 3 sisters."
    assert completion.reasoning is not None and completion.reasoning.startswith("Alice has 2")
    llm.complete([*completion.messages, tl.user("and Alice?")])
    assistant = fake.requests[1].json["messages"][1]
    assert assistant["content"][0]["type"] == "thinking"
    assert assistant["content"][1] == {"type": "text", "text": "Each brother has 3 sisters."}


def test_truncation_and_refusal_are_typed_output_errors() -> None:
    fake = FakeProvider([FakeReply.raw(200, fixture("chat_max_tokens.json"))])
    with pytest.raises(tl.TruncatedOutputError):
        build(fake).complete("x", schema=City)
    with pytest.raises(tl.TruncatedOutputError):
        build(FakeProvider([FakeReply.truncated('{"name": "Os')])).complete("x", schema=City)
    with pytest.raises(tl.RefusalError, match="ERROR_TOXIC"):
        build(FakeProvider([FakeReply.refusal("No.")])).complete("x", schema=City)


@pytest.mark.parametrize(
    "body",
    [b"[]", b'{"id": "x"}', b'{"message": "oops"}', b'{"message": {"content": 3}}'],
    ids=["list", "no-message", "message-string", "content-number"],
)
def test_bodies_that_are_not_answers_are_protocol_errors(body: bytes) -> None:
    with pytest.raises(tl.ProtocolError, match="not a usable answer"):
        decode("cohere", ok(body))


# -- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status", "cls", "text"),
    [
        ("error_400.json", 400, tl.BadRequestError, "at least 1 token"),
        ("error_401.json", 401, tl.AuthenticationError, "invalid api token"),
        ("error_429.json", 429, tl.RateLimitError, "Trial key"),
    ],
)
def test_error_bodies_are_typed(
    name: str, status: int, cls: type[tl.APIStatusError], text: str
) -> None:
    headers = {"content-type": "application/json", "x-request-id": "req-err"}
    fake = FakeProvider([FakeReply.raw(status, fixture(name), headers)])
    with pytest.raises(cls, match=text) as info:
        build(fake, max_retries=0).complete("x")
    assert info.value.status_code == status and info.value.request_id == "req-err"
    assert info.value.provider == "cohere" and "co-test-key" not in str(info.value)


def test_429_is_retried_after_retry_after() -> None:
    fake = FakeProvider([FakeReply.error(429, "slow down", retry_after=2), "fine"])
    result, trace = drive_complete(build(fake), "x", fake)
    assert result.output == "fine"
    assert fake.calls == 2 and trace.sleeps == [2.0]


@pytest.mark.parametrize("status", [402, 499])
def test_payment_and_cancelled_are_not_retried(status: int) -> None:
    fake = FakeProvider([FakeReply.error(status, "no"), "fine"])
    result, _trace = drive_complete(build(fake), "x", fake)
    assert isinstance(result, tl.APIStatusError) and result.status_code == status
    assert fake.calls == 1


# -- streaming --------------------------------------------------------------------------------


def _decode_stream(body: bytes, size: int) -> Any:
    decoder = new_stream("cohere")
    for start in range(0, len(body), size):
        decoder.feed(body[start : start + size])
    decoder.flush()
    assert decoder.done
    return decoder.result("req-s")


@pytest.mark.parametrize(
    "name", ["stream_text.sse", "stream_tool_calls.sse", "stream_reasoning.sse"]
)
def test_streams_decode_the_same_at_any_chunk_boundary(name: str) -> None:
    body = fixture(name)
    whole = _decode_stream(body, len(body))
    for size in (1, 2, 3, 5, 8, 13, 64, 333):
        assert _decode_stream(body, size) == whole, size
    assert whole.request_id == "req-s" and whole.response_id is not None


def test_stream_text_citations_and_usage() -> None:
    decoded = _decode_stream(fixture("stream_text.sse"), 17)
    assert decoded.text == "Oslo is the capital of Norway."
    assert decoded.finish_reason == "stop"
    assert (decoded.usage.input_tokens, decoded.usage.output_tokens) == (12, 9)
    assert decoded.parts[0].citations[0].cited_text == "Oslo"


def test_stream_tool_calls_and_plan() -> None:
    decoded = _decode_stream(fixture("stream_tool_calls.sse"), 11)
    (call,) = decoded.tool_calls
    assert call.id == "get_weather_0a1b2c3d4e5f" and call.name == "get_weather"
    assert json.loads(call.arguments) == {"city": "Oslo"}
    assert decoded.reasoning == "I will check the weather in Oslo."
    assert decoded.finish_reason == "tool_calls"


def test_stream_reasoning_is_not_answer_text() -> None:
    decoded = _decode_stream(fixture("stream_reasoning.sse"), 9)
    assert decoded.text == "Each brother has 3 sisters."
    assert decoded.reasoning == "Alice has 2 sisters; a brother has 3."


def test_stream_through_the_public_api() -> None:
    fake = FakeProvider([FakeReply.raw(200, fixture("stream_text.sse"), SSE)])
    with build(fake).stream("x") as stream:
        deltas = list(stream)
    assert "".join(deltas) == "Oslo is the capital of Norway." and len(deltas) == 7
    assert stream.completion.usage.output_tokens == 9
    assert fake.requests[0].json["stream"] is True
    assert fake.requests[0].headers["accept"] == "text/event-stream"


def test_streamed_tool_calls_through_the_flow() -> None:
    fake = FakeProvider([FakeReply.raw(200, fixture("stream_tool_calls.sse"), SSE)])
    options = tl.CallOptions(tools=(WEATHER,))
    completion, trace = drive_stream(build(fake), "x", fake, options=options, chunk_size=5)
    assert trace.chunks_read > 10
    assert [c.name for c in completion.tool_calls] == ["get_weather"]


def test_error_at_the_end_of_a_stream_is_a_server_error() -> None:
    fake = FakeProvider([FakeReply.raw(200, fixture("stream_error.sse"), SSE)])
    stream = build(fake, max_retries=0).stream("x")
    with pytest.raises(tl.InternalServerError, match="internal error while generating"):
        list(stream)


def test_fake_streams_structured_answers() -> None:
    fake = FakeProvider([{"name": "Oslo", "population": 700000}])
    stream = build(fake).stream("x", schema=City)
    partials = list(stream)
    assert len(partials) > 1
    assert stream.final() == City(name="Oslo", population=700000)


# -- async ------------------------------------------------------------------------------------


async def test_async_calls_and_streams() -> None:
    fake = FakeProvider()
    async with build(fake) as llm:
        city = await llm.acomplete("x", schema=City)
        assert isinstance(city, City)
        text = await llm.acomplete("hello there")
        assert text == "[fake answer] hello there"
        stream = llm.astream("stream this")
        pieces = [piece async for piece in stream]
    assert "".join(pieces) == "[fake answer] stream this"
    assert [r.json["stream"] for r in fake.requests] == [False, False, True]


# -- registry, catalog ------------------------------------------------------------------------


def test_codec_is_registered() -> None:
    assert get_codec("cohere-chat").name == "cohere-chat"
    assert build(FakeProvider()).config.wire == "cohere-chat"


def test_catalog_names_match_the_data_file() -> None:
    data = json.loads((DATA_DIR / "cohere.json").read_text())
    assert data["as_of"] and data["sources"]
    models = load_models("cohere")
    assert set(COHERE_MODELS) == {m["name"] for m in models}
    assert set(get_args(tl.CohereThinkingModelName)) == {"command-a-reasoning-08-2025"}
    assert "command-a-03-2025" in get_args(tl.CohereStandardModelName)
    assert COHERE_MODELS["command-a-reasoning-08-2025"].thinking
    assert COHERE_MODELS["command-a-vision-07-2025"].vision
    for info in COHERE_MODELS.values():
        assert info.context_window and info.max_output_tokens


def test_the_command_line_knows_cohere() -> None:
    from typedllm.cli._models import catalog_rows
    from typedllm.cli._spec import build_client, parse_model

    assert {r.name for r in catalog_rows("cohere")} == set(COHERE_MODELS)
    offline = build_client(parse_model("fake:command-r7b-12-2024"))
    assert offline.config.wire == "cohere-chat"
    assert isinstance(offline.complete("x", schema=City), City)
    with pytest.raises(tl.ConfigurationError, match="CO_API_KEY"):
        build_client(parse_model("cohere:command-a-03-2025"))


def test_models_without_json_schema_get_json_mode_and_instructions() -> None:
    from dataclasses import replace

    from typedllm.codecs._base import ChatRequest
    from typedllm.codecs.cohere import encode_body, output_spec
    from typedllm.testing._cohere_wire import schema_of_request

    config = build(FakeProvider()).config
    json_mode = replace(
        config, model_info=replace(config.model_info, structured_output="json_object")
    )
    spec = output_spec(json_mode, City)
    assert spec.mode == "json_object" and not spec.enforced
    request = ChatRequest((tl.system("Be brief."), tl.user("Oslo?")), spec)
    body = encode_body(json_mode, request)
    assert body["response_format"] == {"type": "json_object"}
    (system, _user) = body["messages"]
    assert system["content"].startswith("Be brief.\n\nRespond with a single JSON object")
    found = schema_of_request(body)
    assert found is not None and found["required"] == ["name", "population"]
    native = output_spec(config, City)
    assert native.mode == "json_schema"
    assert "response_format" not in encode_body(config, ChatRequest((tl.user("x"),)))
