"""The Ollama native client end to end through the public API, on the fake provider speaking
``/api/chat``: structured output (sync, async, streamed partials), thinking, truncation, tools,
typed errors with the ``ollama pull`` hint, retries, the request body, and how the server is
found (``OLLAMA_HOST`` forms)."""

from __future__ import annotations

import asyncio
import json
import pickle
from typing import Any

import pydantic
import pytest

import typedllm as tl
from typedllm._builders.ollama import ollama_base_url
from typedllm._config import OllamaOptions
from typedllm.testing import FakeProvider, FakeReply


class City(pydantic.BaseModel):
    name: str
    population: int = pydantic.Field(ge=0)


FAST = tl.RetryPolicy(max_attempts=3, backoff_base=0.0, backoff_cap=0.0)


def _client(fake: FakeProvider, **changes: Any) -> tl.Client:
    builder = tl.ollama().model(changes.pop("model", "llama3.2")).transport(fake)
    return builder.retry_policy(FAST).build()


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OLLAMA_HOST", raising=False)
    monkeypatch.delenv("OLLAMA_API_KEY", raising=False)


# -- structured output -----------------------------------------------------------------------


def test_complete_with_schema_sends_format_and_an_explicit_stream_false() -> None:
    fake = FakeProvider()
    city = _client(fake).complete("The biggest city in Peru?", schema=City)
    assert isinstance(city, City) and city.population >= 0
    (request,) = fake.requests
    assert request.method == "POST" and request.path == "/api/chat"
    body = request.json
    assert body["stream"] is False  # Ollama streams unless told not to
    assert body["format"]["type"] == "object"
    assert set(body["format"]["properties"]) == {"name", "population"}
    assert body["format"]["properties"]["population"]["minimum"] == 0
    assert body["messages"] == [{"role": "user", "content": "The biggest city in Peru?"}]


def test_acomplete_with_a_list_schema() -> None:
    fake = FakeProvider([json.dumps([{"name": "Lima", "population": 10}])])
    cities = asyncio.run(_client(fake).acomplete("cities", schema=list[City]))
    assert cities == [City(name="Lima", population=10)]
    assert fake.requests[0].json["stream"] is False
    assert fake.requests[0].json["format"]["type"] == "array"


def test_stream_yields_partial_objects_then_the_validated_result() -> None:
    fake = FakeProvider(['{"name": "Lima", "population": 10719188}'])
    with _client(fake).stream("city", schema=City) as stream:
        partials = [dict(p.data) for p in stream]
        final = stream.final()
    assert final == City(name="Lima", population=10719188)
    assert {"name": "Lima"} in partials  # seen before the population arrived
    assert partials[-1] == {"name": "Lima", "population": 10719188}
    assert fake.requests[0].json["stream"] is True


def test_text_stream_and_async_stream() -> None:
    fake = FakeProvider(["Hello there, how are you today?", "Second answer"])
    llm = _client(fake)
    with llm.stream("hi") as stream:
        deltas = list(stream)
    assert len(deltas) > 1 and "".join(deltas) == "Hello there, how are you today?"

    async def run() -> str:
        async with llm.astream("again") as s:
            return "".join([d async for d in s])

    assert asyncio.run(run()) == "Second answer"


def test_json_mode_sends_format_json_and_the_schema_in_the_instructions() -> None:
    fake = FakeProvider()
    llm = tl.ollama().model("llama2").structured_output("json").transport(fake).build()
    city = llm.complete("city", schema=City)
    assert isinstance(city, City)
    body = fake.requests[0].json
    assert body["format"] == "json"
    assert body["messages"][0]["role"] == "system"
    assert '"population"' in body["messages"][0]["content"]


# -- thinking, truncation, usage -------------------------------------------------------------


def test_think_sends_think_and_the_thinking_field_is_the_reasoning() -> None:
    fake = FakeProvider(['<think>Lima is the capital.</think>{"name": "Lima", "population": 1}'])
    llm = tl.ollama().model("qwen3").think(True).transport(fake).build()
    completion = llm.completion("city", schema=City)
    assert completion.output == City(name="Lima", population=1)
    assert completion.reasoning == "Lima is the capital."
    assert fake.requests[0].json["think"] is True


def test_streamed_thinking_lines_are_the_reasoning() -> None:
    fake = FakeProvider(["<think>a long thought about it</think>The answer"])
    llm = tl.ollama().model("deepseek-r1").think("high").transport(fake).build()
    with llm.stream("q") as stream:
        text = "".join(stream)
        completion = stream.completion
    assert text == "The answer"
    assert completion.reasoning == "a long thought about it"
    assert fake.requests[0].json["think"] == "high"


def test_in_band_think_block_without_think_is_reasoning_too() -> None:
    fake = FakeProvider(["<think>\nhmm\n</think>\n\nhello"])
    completion = _client(fake, model="qwen3").completion("Greet me")
    assert completion.output == "hello"
    assert completion.reasoning is not None and completion.reasoning.strip() == "hmm"
    assert "think" not in fake.requests[0].json


def test_done_reason_length_is_the_typed_truncation_error() -> None:
    fake = FakeProvider([FakeReply.truncated('{"name": "Li')])
    with pytest.raises(tl.TruncatedOutputError) as info:
        _client(fake).complete("city", schema=City)
    assert info.value.raw_text == '{"name": "Li'
    assert fake.calls == 1


def test_usage_comes_from_the_eval_counts() -> None:
    body = {
        "model": "llama3.2",
        "created_at": "2025-01-01T00:00:00Z",
        "message": {"role": "assistant", "content": "hi"},
        "done": True,
        "done_reason": "stop",
        "prompt_eval_count": 26,
        "eval_count": 298,
    }
    completion = _client(FakeProvider([FakeReply.raw(200, body)])).completion("x")
    assert (completion.usage.input_tokens, completion.usage.output_tokens) == (26, 298)
    assert completion.model == "llama3.2" and completion.finish_reason == "stop"


# -- tools -----------------------------------------------------------------------------------

WEATHER = tl.ToolDefinition(
    "get_weather",
    "Current weather in a city",
    {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)


def test_tool_calls_are_decoded_with_object_arguments() -> None:
    body = {
        "model": "llama3.2",
        "message": {
            "role": "assistant",
            "content": "",
            "tool_calls": [{"function": {"name": "get_weather", "arguments": {"city": "Lima"}}}],
        },
        "done": True,
        "done_reason": "stop",
    }
    fake = FakeProvider([FakeReply.raw(200, body)])
    completion = _client(fake).completion("weather?", options=tl.CallOptions(tools=(WEATHER,)))
    (call,) = completion.tool_calls
    assert (call.name, json.loads(call.arguments)) == ("get_weather", {"city": "Lima"})
    assert call.id  # a stable id, so that a tool result can answer it
    assert completion.finish_reason == "tool_calls"
    sent = fake.requests[0].json["tools"]
    assert sent == [
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "description": "Current weather in a city",
                "parameters": WEATHER.parameters,
            },
        }
    ]


def test_streamed_tool_calls_are_decoded() -> None:
    lines = [
        {
            "model": "qwen3",
            "message": {
                "role": "assistant",
                "content": "",
                "tool_calls": [
                    {"function": {"index": 0, "name": "get_weather", "arguments": {"city": "A"}}}
                ],
            },
            "done": False,
        },
        {"model": "qwen3", "message": {"role": "assistant", "content": ""}, "done": False},
        {
            "model": "qwen3",
            "message": {"role": "assistant", "content": ""},
            "done": True,
            "done_reason": "stop",
            "prompt_eval_count": 5,
            "eval_count": 7,
        },
    ]
    ndjson = "".join(json.dumps(line) + "\n" for line in lines)
    fake = FakeProvider([FakeReply.raw(200, ndjson, {"content-type": "application/x-ndjson"})])
    with _client(fake).stream("w", options=tl.CallOptions(tools=(WEATHER,))) as stream:
        list(stream)
        completion = stream.completion
    assert [(c.name, c.arguments) for c in completion.tool_calls] == [
        ("get_weather", '{"city":"A"}')
    ]
    assert completion.usage.output_tokens == 7


def test_a_conversation_with_tool_results_and_earlier_thinking() -> None:
    fake = FakeProvider(["It is sunny."])
    llm = _client(fake)
    call = tl.ToolCall("call_1", "get_weather", '{"city": "Lima"}')
    earlier = tl.Message._trusted(  # pyright: ignore[reportPrivateUsage]
        "assistant", (tl.ReasoningPart("need the weather", provider="ollama"), call)
    )
    other = tl.Message._trusted(  # pyright: ignore[reportPrivateUsage]
        "assistant", (tl.ReasoningPart("not ours", provider="anthropic"), tl.TextPart("ok"))
    )
    prompt = [
        tl.system("Be brief."),
        tl.user("Weather in Lima?"),
        earlier,
        tl.tool_result("call_1", '{"sky": "clear"}'),
        other,
        tl.user("And?"),
    ]
    assert llm.complete(prompt, options=tl.CallOptions(tools=(WEATHER,))) == "It is sunny."
    messages = fake.requests[0].json["messages"]
    assert messages[0] == {"role": "system", "content": "Be brief."}
    assert messages[2] == {
        "role": "assistant",
        "content": "",
        "thinking": "need the weather",
        "tool_calls": [{"function": {"name": "get_weather", "arguments": {"city": "Lima"}}}],
    }
    assert messages[3] == {
        "role": "tool",
        "content": '{"sky": "clear"}',
        "tool_name": "get_weather",
    }
    assert messages[4] == {"role": "assistant", "content": "ok"}  # other providers' thinking stays


def test_tool_choice_that_ollama_cannot_enforce_is_refused() -> None:
    fake = FakeProvider(["x"])
    with pytest.raises(tl.ConfigurationError, match="no tool_choice"):
        _client(fake).complete(
            "w", options=tl.CallOptions(tools=(WEATHER,), tool_choice="required")
        )
    assert fake.calls == 0
    _client(fake).complete("w", options=tl.CallOptions(tools=(WEATHER,), tool_choice="none"))
    assert "tools" not in fake.requests[0].json


def test_images_are_sent_as_base64() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    fake = FakeProvider(["a cat"])
    _client(fake).complete([tl.user(["What is this?", tl.image(png)])])
    message = fake.requests[0].json["messages"][0]
    assert message["content"] == "What is this?"
    assert message["images"] == ["iVBORw0KGgoAAAAAAAAAAAAAAAAAAAAA"]
    with pytest.raises(tl.ConfigurationError, match="by URL"):
        _client(fake).complete([tl.user(["x", tl.image("https://example.com/cat.png")])])


# -- errors ----------------------------------------------------------------------------------


def test_model_not_found_is_a_not_found_error_telling_to_pull() -> None:
    fake = FakeProvider([FakeReply.error(404)])
    with pytest.raises(tl.NotFoundError) as info:
        _client(fake, model="llama3.3:70b").complete("hi")
    error = info.value
    assert error.status_code == 404 and error.provider == "ollama"
    assert "model 'llama3.3:70b' not found" in str(error)
    assert "ollama pull llama3.3:70b" in str(error)
    assert error.body == {"error": "model 'llama3.3:70b' not found"}
    assert fake.calls == 1  # not retried


def test_model_not_found_when_streaming() -> None:
    fake = FakeProvider([FakeReply.error(404, 'model "mistral" not found, try pulling it first')])
    with (
        pytest.raises(tl.NotFoundError, match="ollama pull mistral"),
        _client(fake).stream("hi") as s,
    ):
        list(s)


def test_a_500_that_is_a_validation_error_is_not_retried() -> None:
    message = 'invalid format: "yaml"; expected "json" or a valid JSON Schema object'
    fake = FakeProvider([FakeReply.error(500, message), "never sent"])
    with pytest.raises(tl.BadRequestError) as info:
        _client(fake).complete("hi")
    assert info.value.status_code == 500 and message in str(info.value)
    assert fake.calls == 1


def test_a_plain_500_is_retried() -> None:
    fake = FakeProvider([FakeReply.error(500, "llama runner process has terminated"), "ok"])
    assert _client(fake).complete("hi") == "ok"
    assert fake.calls == 2


def test_unsupported_thinking_gets_a_hint() -> None:
    fake = FakeProvider([FakeReply.error(400, '"gemma3:1b" does not support thinking')])
    llm = tl.ollama().model("gemma3:1b").think(True).transport(fake).build()
    with pytest.raises(tl.BadRequestError, match=r"drop \.think\(\)"):
        llm.complete("hi")


def test_an_error_line_inside_the_stream_raises() -> None:
    ndjson = (
        json.dumps(
            {"model": "m", "message": {"role": "assistant", "content": "Hel"}, "done": False}
        )
        + "\n"
        + json.dumps({"error": "an error was encountered while running the model"})
        + "\n"
    )
    fake = FakeProvider([FakeReply.raw(200, ndjson, {"content-type": "application/x-ndjson"})])
    llm = tl.ollama().model("m").max_retries(0).transport(fake).build()
    with pytest.raises(tl.APIStatusError, match="while running the model"), llm.stream("hi") as s:
        list(s)


def test_fake_streams_a_request_that_does_not_say() -> None:
    status, headers, body = FakeProvider(["hello world"]).respond(
        "POST", "http://127.0.0.1:11434/api/chat", {}, b'{"model": "m", "messages": []}'
    )
    lines = [json.loads(line) for line in body.decode().splitlines()]
    assert status == 200 and headers["content-type"] == "application/x-ndjson"
    assert "".join(line["message"]["content"] for line in lines) == "hello world"
    assert lines[-1]["done"] is True and lines[-1]["done_reason"] == "stop"
    assert all(line["done"] is False for line in lines[:-1])


# -- the request body ------------------------------------------------------------------------


def test_options_keep_alive_and_per_call_overrides() -> None:
    fake = FakeProvider(["a", "b"])
    llm = (
        tl.ollama()
        .model("llama3.2")
        .temperature(0.2)
        .top_p(0.9)
        .top_k(40)
        .seed(7)
        .stop("###")
        .max_tokens(128)
        .num_ctx(8192)
        .keep_alive("10m")
        .options(repeat_penalty=1.1, num_gpu=1)
        .transport(fake)
        .build()
    )
    llm.complete("a")
    llm.complete("b", options=tl.CallOptions(temperature=1.0, max_tokens=5))
    first, second = (r.json for r in fake.requests)
    assert first["options"] == {
        "repeat_penalty": 1.1,
        "num_gpu": 1,
        "temperature": 0.2,
        "top_p": 0.9,
        "top_k": 40,
        "seed": 7,
        "stop": ["###"],
        "num_predict": 128,
        "num_ctx": 8192,
    }
    assert first["keep_alive"] == "10m"
    assert second["options"]["temperature"] == 1.0 and second["options"]["num_predict"] == 5


def test_keep_alive_in_seconds_and_unload() -> None:
    fake = FakeProvider(["a", "b"])
    tl.ollama().model("m").keep_alive(300).transport(fake).build().complete("a")
    tl.ollama().model("m").keep_alive(0).transport(fake).build().complete("b")
    assert [r.json["keep_alive"] for r in fake.requests] == [300, 0]


def test_optional_bearer_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeProvider(["hi"], api_key="ollama-secret-key")
    monkeypatch.setenv("OLLAMA_API_KEY", "ollama-secret-key")
    llm = _client(fake)
    assert llm.complete("x") == "hi"
    assert "ollama-secret-key" not in repr(llm) and "ollama-secret-key" not in repr(llm.config)
    assert fake.requests[0].headers["authorization"] != "Bearer ollama-secret-key"  # redacted
    pickle.dumps(llm)  # an environment key never enters the pickle


def test_no_key_sends_no_authorization() -> None:
    fake = FakeProvider(["hi"])
    _client(fake).complete("x")
    assert "authorization" not in fake.requests[0].headers


# -- finding the server ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "url"),
    [
        (None, "http://127.0.0.1:11434"),
        ("", "http://127.0.0.1:11434"),
        ("1.2.3.4", "http://1.2.3.4:11434"),
        (":56789", "http://127.0.0.1:56789"),
        ("1.2.3.4:56789", "http://1.2.3.4:56789"),
        ("example.com", "http://example.com:11434"),
        ("example.com:56789", "http://example.com:56789"),
        ("http://example.com", "http://example.com:80"),
        ("https://example.com", "https://example.com:443"),
        ("https://example.com:56789/path/", "https://example.com:56789/path"),
        ("0.0.0.0", "http://127.0.0.1:11434"),
        ("0.0.0.0:8080", "http://127.0.0.1:8080"),
        ("http://0.0.0.0:11434", "http://127.0.0.1:11434"),
        ("[::1]", "http://[::1]:11434"),
        ("[::]:8080", "http://[::1]:8080"),
        ("[0001:002:003:0004::1]:56789", "http://[0001:002:003:0004::1]:56789"),
        ("http://localhost:11434/api", "http://localhost:11434"),
    ],
)
def test_ollama_host_forms(host: str | None, url: str) -> None:
    assert ollama_base_url(host) == url


@pytest.mark.parametrize(
    ("host", "problem"),
    [
        ("ftp://example.com", "scheme"),
        ("example.com:port", "invalid port"),
        ("http://localhost:11434/v1", "OpenAI-compatible"),
    ],
)
def test_bad_ollama_hosts_are_refused(host: str, problem: str) -> None:
    with pytest.raises(tl.ConfigurationError, match=problem):
        ollama_base_url(host)


def test_build_reads_ollama_host_and_base_url_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    assert tl.ollama().model("m").build().config.base_url == "http://127.0.0.1:11434"
    monkeypatch.setenv("OLLAMA_HOST", "gpu-box:9999")
    assert tl.ollama().model("m").build().config.base_url == "http://gpu-box:9999"
    explicit = tl.ollama().base_url("0.0.0.0:1234").model("m").build()
    assert explicit.config.base_url == "http://127.0.0.1:1234"
    fake = FakeProvider(["hi"])
    tl.ollama().model("m").transport(fake).build().complete("x")
    assert fake.requests[0].path == "/api/chat"
    monkeypatch.setenv("OLLAMA_HOST", "unix:///run/ollama.sock")
    with pytest.raises(tl.ConfigurationError, match="OLLAMA_HOST environment variable"):
        tl.ollama().model("m").build()


# -- builder checks --------------------------------------------------------------------------


def test_builder_state_and_values() -> None:
    start = tl.ollama()
    assert isinstance(start, tl.OllamaBuilder)
    with pytest.raises(tl.ConfigurationError, match="choose a model"):
        start.build()  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue]
    built = start.model("hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M").build()
    assert built.config.wire == "ollama-chat" and built.config.provider == "ollama"
    assert built.config.model_info.family == "compatible"
    assert built.config.wire_options == OllamaOptions()
    configured = start.model("m").think("low").num_ctx(2048).keep_alive("1h").build()
    assert configured.config.wire_options == OllamaOptions(
        think="low", keep_alive="1h", num_ctx=2048
    )


@pytest.mark.parametrize(
    ("configure", "problem"),
    [
        (lambda b: b.think("extreme"), "think takes"),
        (lambda b: b.think(1), "think takes"),
        (lambda b: b.keep_alive("5 minutes"), "keep_alive"),
        (lambda b: b.keep_alive(True), "keep_alive"),
        (lambda b: b.num_ctx(0), "num_ctx"),
        (lambda b: b.num_ctx("big"), "num_ctx"),
        (lambda b: b.top_k(1.5), "top_k"),
        (lambda b: b.temperature(3), "temperature"),
        (lambda b: b.options(temperature=0.1), r"\.temperature\(\)"),
        (lambda b: b.options(num_predict=10), r"\.max_tokens\(\)"),
        (lambda b: b.options(mirostat={"a": 1}), "options take"),
        (lambda b: b.structured_output("yaml"), "structured_output"),
        (lambda b: b.model(""), "non-empty"),
        (lambda b: b.base_url("ftp://x"), "scheme"),
    ],
)
def test_bad_builder_values_are_clear_errors(configure: Any, problem: str) -> None:
    with pytest.raises(tl.ConfigurationError, match=problem):
        configure(tl.ollama().model("m"))


def test_keep_alive_durations_are_accepted() -> None:
    for duration in ("5m", "1h30m", "300ms", "-1m", "2.5s"):
        tl.ollama().keep_alive(duration)


# -- the codec's place and its shape checks --------------------------------------------------


def test_the_codec_is_registered_as_ollama_chat() -> None:
    from typedllm.codecs import codec_names, get_codec
    from typedllm.codecs import ollama as codec

    assert "ollama-chat" in codec_names()
    assert get_codec("ollama-chat") is codec.CODEC


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"model": "m", "done": True}, "`message` is missing"),
        ({"model": "m", "message": {"content": 3}, "done": True}, "`message.content` is a number"),
        ([1, 2], "not an object"),
    ],
)
def test_a_body_that_is_not_an_answer_is_a_protocol_error(body: Any, problem: str) -> None:
    fake = FakeProvider([FakeReply.raw(200, body)])
    with pytest.raises(tl.ProtocolError, match=problem):
        tl.ollama().model("m").max_retries(0).transport(fake).build().complete("x")


def test_a_streamed_call_answered_with_a_validation_500_is_not_retried() -> None:
    fake = FakeProvider([FakeReply.error(500, "invalid format: expected an object"), "never"])
    with pytest.raises(tl.BadRequestError), _client(fake).stream("hi") as s:
        list(s)
    assert fake.calls == 1


def test_prompt_mode_sends_no_format() -> None:
    fake = FakeProvider()
    llm = tl.ollama().model("m").structured_output("prompt").transport(fake).build()
    assert isinstance(llm.complete("city", schema=City), City)
    body = fake.requests[0].json
    assert "format" not in body and '"population"' in body["messages"][0]["content"]
