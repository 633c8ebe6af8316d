"""Per-call options (validation, merging, what reaches each wire) and the capability gates
that refuse a call before anything is sent."""

from __future__ import annotations

import math
from typing import Any

import pytest
from pydantic import BaseModel

import typedllm as tl
from typedllm.testing import FakeProvider

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
WAV = b"RIFF\x24\x08\x00\x00WAVEfmt \x10\x00\x00\x00"
PDF = b"%PDF-1.7\n"

WEATHER = tl.ToolDefinition(
    "get_weather",
    "Current weather in a city",
    {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)
CLOCK = tl.ToolDefinition("get_time", "The time", {"type": "object", "properties": {}})


def openai_llm(fake: FakeProvider, model: str = "gpt-4o-mini", **opts: Any) -> tl.Client:
    builder: Any = tl.openai().model(model).api_key("sk-test").transport(fake)
    for name, value in opts.items():
        builder = getattr(builder, name)(value)
    built: tl.Client = builder.build()
    return built


def anthropic_llm(fake: FakeProvider, model: str = "claude-haiku-4-5", **opts: Any) -> tl.Client:
    builder: Any = tl.anthropic().model(model).api_key("sk-ant-test").transport(fake)
    for name, value in opts.items():
        builder = getattr(builder, name)(value)
    built: tl.Client = builder.build()
    return built


def gemini_llm(fake: FakeProvider, model: str = "gemini-2.5-flash", **opts: Any) -> tl.Client:
    builder: Any = tl.gemini().model(model).api_key("gm-test").transport(fake)
    for name, value in opts.items():
        builder = getattr(builder, name)(value)
    built: tl.Client = builder.build()
    return built


def compatible_llm(fake: FakeProvider) -> tl.Client:
    return (
        tl.openai_compatible(base_url="http://127.0.0.1:9/v1")
        .model("local-model")
        .transport(fake)
        .build()
    )


# -- CallOptions validation --------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"temperature": -0.1},
        {"temperature": 2.01},
        {"temperature": math.nan},
        {"temperature": True},
        {"temperature": "0.5"},
        {"top_p": -0.01},
        {"top_p": 1.5},
        {"top_p": math.nan},
        {"top_k": 0},
        {"top_k": -3},
        {"top_k": 2.5},
        {"top_k": True},
        {"max_tokens": 0},
        {"max_tokens": -1},
        {"max_tokens": 10.0},
        {"max_tokens": False},
        {"seed": 1.5},
        {"seed": "7"},
        {"seed": True},
        {"timeout": 0},
        {"timeout": -1},
        {"timeout": math.nan},
        {"stop": 5},
        {"stop": ["ok", 3]},
        {"tool_choice": ""},
        {"tool_choice": 3},
        {"tool_choice": {"type": "function"}},
        {"tools": ["get_weather"]},
        {"tools": [WEATHER, {"name": "x"}]},
    ],
)
def test_invalid_options_are_configuration_errors(kwargs: dict[str, Any]) -> None:
    with pytest.raises(tl.ConfigurationError):
        tl.CallOptions(**kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"temperature": 0},
        {"temperature": 2},
        {"temperature": 0.7},
        {"top_p": 0.0},
        {"top_p": 1},
        {"top_k": 1},
        {"max_tokens": 1},
        {"seed": 0},
        {"seed": -5},
        {"timeout": 0.5},
    ],
)
def test_boundary_values_are_accepted(kwargs: dict[str, Any]) -> None:
    options = tl.CallOptions(**kwargs)
    ((name, value),) = kwargs.items()
    assert getattr(options, name) == value


def test_stop_as_a_string_becomes_a_tuple() -> None:
    assert tl.CallOptions(stop="END").stop == ("END",)
    assert tl.CallOptions(stop=["A", "B"]).stop == ("A", "B")  # type: ignore[arg-type]
    assert tl.CallOptions(stop=("A",)).stop == ("A",)


def test_tools_become_a_tuple_and_names_must_be_unique() -> None:
    options = tl.CallOptions(tools=[WEATHER, CLOCK])  # type: ignore[arg-type]
    assert options.tools == (WEATHER, CLOCK)
    duplicate = tl.ToolDefinition("get_weather", "another")
    with pytest.raises(tl.ConfigurationError, match="unique"):
        tl.CallOptions(tools=(WEATHER, duplicate))


def test_tools_from_an_iterator_are_kept_or_rejected() -> None:
    try:
        options = tl.CallOptions(tools=(t for t in [WEATHER]))  # type: ignore[arg-type]
    except tl.ConfigurationError:
        return
    assert options.tools == (WEATHER,)


def test_tool_definition_validation() -> None:
    with pytest.raises(tl.ConfigurationError, match="name"):
        tl.ToolDefinition("")
    with pytest.raises(tl.ConfigurationError, match="JSON Schema"):
        tl.ToolDefinition("f", "d", ["not", "a", "dict"])  # type: ignore[arg-type]
    assert tl.ToolDefinition("f").parameters == {"type": "object", "properties": {}}


def test_tool_definition_from_a_type() -> None:
    class Args(BaseModel):
        """Look up a city."""

        city: str

    tool = tl.ToolDefinition.from_type("lookup", Args, strict=True)
    assert tool.name == "lookup"
    assert tool.description == "Look up a city."
    assert tool.parameters["properties"]["city"]["type"] == "string"
    assert tool.strict is True


def test_call_options_are_frozen() -> None:
    options = tl.CallOptions(temperature=0.1)
    with pytest.raises(AttributeError):
        options.temperature = 0.5  # type: ignore[misc]


# -- merging ---------------------------------------------------------------------------------


def test_merged_with_none_is_the_same_options() -> None:
    base = tl.CallOptions(temperature=0.3)
    assert base.merged(None) is base
    assert base.merged(tl.CallOptions()) == base


def test_merged_overrides_win_and_unset_fields_keep_the_default() -> None:
    base = tl.CallOptions(temperature=0.3, top_p=0.9, stop=("A",), seed=1, max_tokens=50)
    merged = base.merged(tl.CallOptions(temperature=0.8, stop="B"))
    assert merged.temperature == 0.8
    assert merged.stop == ("B",)
    assert merged.top_p == 0.9
    assert merged.seed == 1
    assert merged.max_tokens == 50
    # the inputs are untouched
    assert base.temperature == 0.3
    assert base.stop == ("A",)


def test_merged_merges_extra_mappings_key_by_key() -> None:
    base = tl.CallOptions(
        extra_body={"a": 1, "b": 2},
        extra_headers={"x-one": "1", "x-two": "2"},
        metadata={"team": "core", "env": "dev"},
    )
    merged = base.merged(
        tl.CallOptions(
            extra_body={"b": 20, "c": 30},
            extra_headers={"x-two": "22"},
            metadata={"env": "prod"},
        )
    )
    assert merged.extra_body == {"a": 1, "b": 20, "c": 30}
    assert merged.extra_headers == {"x-one": "1", "x-two": "22"}
    assert merged.metadata == {"team": "core", "env": "prod"}
    assert base.extra_body == {"a": 1, "b": 2}


def test_merged_replaces_tools_as_a_whole() -> None:
    base = tl.CallOptions(tools=(WEATHER,), tool_choice="auto")
    merged = base.merged(tl.CallOptions(tools=(CLOCK,)))
    assert merged.tools == (CLOCK,)
    assert merged.tool_choice == "auto"


def test_merged_extra_body_from_none_default() -> None:
    merged = tl.CallOptions().merged(tl.CallOptions(extra_body={"k": "v"}))
    assert merged.extra_body == {"k": "v"}


# -- OpenAI wire -------------------------------------------------------------------------------


def test_openai_per_call_options_reach_the_body() -> None:
    fake = FakeProvider(["ok"])
    llm = openai_llm(fake)
    options = tl.CallOptions(
        temperature=0.7,
        top_p=0.9,
        stop="END",
        seed=7,
        max_tokens=100,
        user="user-1",
        metadata={"team": "core"},
        cache_key="ck-1",
        extra_body={"service_tier": "flex"},
    )
    assert llm.complete("hi", options=options) == "ok"
    body = fake.requests[0].json
    assert body["temperature"] == 0.7
    assert body["top_p"] == 0.9
    assert body["stop"] == ["END"]
    assert body["seed"] == 7
    assert body["max_completion_tokens"] == 100
    assert "max_tokens" not in body
    assert body["user"] == "user-1"
    assert body["metadata"] == {"team": "core"}
    assert body["prompt_cache_key"] == "ck-1"
    assert body["service_tier"] == "flex"


def test_openai_tools_and_tool_choice() -> None:
    fake = FakeProvider(["ok", "ok", "ok"])
    llm = openai_llm(fake)
    llm.complete(
        "hi",
        options=tl.CallOptions(tools=(WEATHER, CLOCK), tool_choice="get_weather"),
    )
    body = fake.requests[0].json
    assert [t["function"]["name"] for t in body["tools"]] == ["get_weather", "get_time"]
    assert body["tools"][0]["type"] == "function"
    assert body["tools"][0]["function"]["description"] == "Current weather in a city"
    assert body["tools"][0]["function"]["parameters"]["properties"]["city"] == {"type": "string"}
    assert body["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}
    assert "parallel_tool_calls" not in body

    llm.complete(
        "hi",
        options=tl.CallOptions(tools=(WEATHER,), tool_choice="required", parallel_tool_calls=False),
    )
    body = fake.requests[1].json
    assert body["tool_choice"] == "required"
    assert body["parallel_tool_calls"] is False

    llm.complete("hi", options=tl.CallOptions(tools=(WEATHER,)))
    body = fake.requests[2].json
    assert "tool_choice" not in body


def test_openai_strict_tool() -> None:
    fake = FakeProvider(["ok"])
    strict = tl.ToolDefinition(
        "lookup", "x", {"type": "object", "properties": {"q": {"type": "string"}}}, strict=True
    )
    openai_llm(fake).complete("hi", options=tl.CallOptions(tools=(strict,)))
    function = fake.requests[0].json["tools"][0]["function"]
    assert function["strict"] is True
    assert function["parameters"]["additionalProperties"] is False


def test_extra_body_wins_over_typedllm_fields() -> None:
    fake = FakeProvider(["ok"])
    openai_llm(fake).complete(
        "hi", options=tl.CallOptions(temperature=0.5, extra_body={"temperature": 0.1})
    )
    assert fake.requests[0].json["temperature"] == 0.1


def test_compatible_host_sends_max_tokens_and_top_k() -> None:
    fake = FakeProvider(["ok"])
    compatible_llm(fake).complete("hi", options=tl.CallOptions(max_tokens=12, top_k=40))
    body = fake.requests[0].json
    assert body["max_tokens"] == 12
    assert "max_completion_tokens" not in body
    assert body["top_k"] == 40


def test_builder_values_are_defaults_and_per_call_values_win() -> None:
    fake = FakeProvider(["a", "b"])
    builder = tl.openai().model("gpt-4o-mini").api_key("sk-test").transport(fake)
    llm = builder.temperature(0.2).seed(11).max_tokens(64).stop("STOP").build()
    llm.complete("first")
    llm.complete(
        "second", options=tl.CallOptions(temperature=0.9, stop=("HALT", "END"), max_tokens=10)
    )
    first, second = fake.requests[0].json, fake.requests[1].json
    assert first["temperature"] == 0.2
    assert first["seed"] == 11
    assert first["max_completion_tokens"] == 64
    assert first["stop"] == ["STOP"]
    assert second["temperature"] == 0.9
    assert second["stop"] == ["HALT", "END"]
    assert second["max_completion_tokens"] == 10
    assert second["seed"] == 11  # not overridden: the default stays
    assert llm.config.defaults.temperature == 0.2  # the client's defaults are unchanged


def test_extra_headers_reach_the_request_headers() -> None:
    fake = FakeProvider(["ok", "ok"])
    llm = openai_llm(fake)
    llm.complete("hi", options=tl.CallOptions(extra_headers={"X-Trace-Id": "trace-42"}))
    llm.complete("hi")
    assert fake.requests[0].headers["x-trace-id"] == "trace-42"
    assert "x-trace-id" not in fake.requests[1].headers


def test_extra_headers_cannot_replace_the_credential() -> None:
    fake = FakeProvider(["ok"], api_key="sk-test")
    llm = openai_llm(fake)
    # the auth step runs last: a stray authorization header does not win over the key
    llm.complete("hi", options=tl.CallOptions(extra_headers={"Authorization": "Bearer other"}))
    assert fake.calls == 1


def test_builder_header_is_sent() -> None:
    fake = FakeProvider(["ok"])
    llm = tl.openai().model("gpt-4o-mini").api_key("k").header("X-Org", "acme").transport(fake)
    llm.build().complete("hi")
    assert fake.requests[0].headers["x-org"] == "acme"


# -- Anthropic wire ----------------------------------------------------------------------------


def test_anthropic_per_call_options_reach_the_body() -> None:
    fake = FakeProvider(["ok"])
    llm = anthropic_llm(fake)
    llm.complete(
        "hi",
        options=tl.CallOptions(
            temperature=0.4,
            top_k=5,
            stop=("END", "STOP"),
            user="user-9",
            max_tokens=300,
            extra_body={"service_tier": "auto"},
        ),
    )
    body = fake.requests[0].json
    assert fake.requests[0].path == "/v1/messages"
    assert body["temperature"] == 0.4
    assert body["top_k"] == 5
    assert body["stop_sequences"] == ["END", "STOP"]
    assert "stop" not in body
    assert body["metadata"] == {"user_id": "user-9"}
    assert body["max_tokens"] == 300
    assert body["service_tier"] == "auto"


def test_anthropic_default_max_tokens_is_always_sent() -> None:
    fake = FakeProvider(["ok"])
    anthropic_llm(fake).complete("hi")
    assert fake.requests[0].json["max_tokens"] == 8192


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("auto", {"type": "auto"}),
        ("required", {"type": "any"}),
        ("none", {"type": "none"}),
        ("get_weather", {"type": "tool", "name": "get_weather"}),
    ],
)
def test_anthropic_tool_choice(choice: str, expected: dict[str, Any]) -> None:
    fake = FakeProvider(["ok"])
    anthropic_llm(fake).complete(
        "hi", options=tl.CallOptions(tools=(WEATHER, CLOCK), tool_choice=choice)
    )
    body = fake.requests[0].json
    assert body["tool_choice"] == expected
    assert [t["name"] for t in body["tools"]] == ["get_weather", "get_time"]
    assert body["tools"][0]["input_schema"]["properties"]["city"]["type"] == "string"
    assert body["tools"][0]["description"] == "Current weather in a city"


def test_anthropic_parallel_tool_calls_off() -> None:
    fake = FakeProvider(["ok", "ok"])
    llm = anthropic_llm(fake)
    llm.complete(
        "hi",
        options=tl.CallOptions(tools=(WEATHER,), tool_choice="required", parallel_tool_calls=False),
    )
    llm.complete("hi", options=tl.CallOptions(tools=(WEATHER,), parallel_tool_calls=False))
    assert fake.requests[0].json["tool_choice"] == {
        "type": "any",
        "disable_parallel_tool_use": True,
    }
    assert fake.requests[1].json["tool_choice"] == {
        "type": "auto",
        "disable_parallel_tool_use": True,
    }


def test_anthropic_builder_defaults_and_per_call_override() -> None:
    fake = FakeProvider(["a", "b"])
    llm = anthropic_llm(fake, temperature=0.3, stop="X")
    llm.complete("a")
    llm.complete("b", options=tl.CallOptions(temperature=0.9, stop=("Y",)))
    assert fake.requests[0].json["temperature"] == 0.3
    assert fake.requests[0].json["stop_sequences"] == ["X"]
    assert fake.requests[1].json["temperature"] == 0.9
    assert fake.requests[1].json["stop_sequences"] == ["Y"]


# -- Gemini wire -------------------------------------------------------------------------------


def test_gemini_generation_config() -> None:
    fake = FakeProvider(["ok"])
    gemini_llm(fake).complete(
        "hi",
        options=tl.CallOptions(
            temperature=0.6, top_p=0.5, top_k=20, max_tokens=77, stop="END", seed=3
        ),
    )
    request = fake.requests[0]
    assert request.path.endswith("/models/gemini-2.5-flash:generateContent")
    generation = request.json["generationConfig"]
    assert generation["temperature"] == 0.6
    assert generation["topP"] == 0.5
    assert generation["topK"] == 20
    assert generation["maxOutputTokens"] == 77
    assert generation["stopSequences"] == ["END"]
    assert generation["seed"] == 3
    assert generation["candidateCount"] == 1


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("auto", {"mode": "AUTO"}),
        ("required", {"mode": "ANY"}),
        ("none", {"mode": "NONE"}),
        ("get_time", {"mode": "ANY", "allowedFunctionNames": ["get_time"]}),
    ],
)
def test_gemini_tools_and_tool_config(choice: str, expected: dict[str, Any]) -> None:
    fake = FakeProvider(["ok"])
    gemini_llm(fake).complete(
        "hi", options=tl.CallOptions(tools=(WEATHER, CLOCK), tool_choice=choice)
    )
    body = fake.requests[0].json
    (tools,) = body["tools"]
    declarations = tools["functionDeclarations"]
    assert [d["name"] for d in declarations] == ["get_weather", "get_time"]
    assert declarations[0]["parametersJsonSchema"]["properties"]["city"]["type"] == "string"
    assert declarations[0]["description"] == "Current weather in a city"
    assert body["toolConfig"] == {"functionCallingConfig": expected}


def test_gemini_tools_without_choice_have_no_tool_config() -> None:
    fake = FakeProvider(["ok"])
    gemini_llm(fake).complete("hi", options=tl.CallOptions(tools=(WEATHER,)))
    assert "toolConfig" not in fake.requests[0].json
    assert "tools" in fake.requests[0].json


def test_gemini_builder_defaults_and_per_call_override() -> None:
    fake = FakeProvider(["a", "b"])
    llm = gemini_llm(fake, temperature=0.2)
    llm.complete("a")
    llm.complete("b", options=tl.CallOptions(temperature=1.5))
    assert fake.requests[0].json["generationConfig"]["temperature"] == 0.2
    assert fake.requests[1].json["generationConfig"]["temperature"] == 1.5


# -- capability gates: refused before anything is sent ---------------------------------------


def refused(llm: tl.Client, fake: FakeProvider, prompt: Any, match: str, **kw: Any) -> None:
    with pytest.raises(tl.ConfigurationError, match=match):
        llm.complete(prompt, **kw)
    assert fake.calls == 0


@pytest.mark.parametrize("model", ["gpt-3.5-turbo", "o3-mini"])
def test_image_on_a_model_without_vision(model: str) -> None:
    fake = FakeProvider(["never"])
    prompt = [tl.user(["What is this?", tl.image(PNG)])]
    refused(openai_llm(fake, model), fake, prompt, f"{model} does not take images")


def test_pdf_on_a_model_without_pdf_input() -> None:
    fake = FakeProvider(["never"])
    prompt = [tl.user(["Summarise", tl.document(PDF)])]
    refused(openai_llm(fake, "gpt-3.5-turbo"), fake, prompt, "documents")


def test_plain_text_document_passes_the_media_gate() -> None:
    fake = FakeProvider(["ok"])
    llm = anthropic_llm(fake)
    llm.complete([tl.user(["Summarise", tl.document(b"notes", media_type="text/plain")])])
    assert fake.calls == 1


def test_image_in_a_tool_result_is_gated_too() -> None:
    fake = FakeProvider(["never"])
    prompt = [
        tl.user("chart?"),
        tl.assistant(tool_calls=[tl.ToolCall("c1", "chart", "{}")]),
        tl.tool_result("c1", [tl.image(PNG)]),
    ]
    refused(openai_llm(fake, "gpt-3.5-turbo"), fake, prompt, "images")


def test_image_on_a_vision_model_is_sent() -> None:
    fake = FakeProvider(["a cat"])
    llm = openai_llm(fake, "gpt-4o-mini")
    assert llm.complete([tl.user(["What is this?", tl.image(PNG)])]) == "a cat"
    content = fake.requests[0].json["messages"][0]["content"]
    assert content[1]["type"] == "image_url"
    assert content[1]["image_url"]["url"].startswith("data:image/png;base64,")


def test_per_call_temperature_on_a_reasoning_model() -> None:
    fake = FakeProvider(["never"])
    llm = openai_llm(fake, "o3")
    refused(llm, fake, "hi", "o3.*sampling", options=tl.CallOptions(temperature=0.5))
    refused(llm, fake, "hi", "top_p", options=tl.CallOptions(top_p=0.5))


def test_a_thinking_model_without_a_temperature_is_refused_with_the_real_reason() -> None:
    """gemini-3.5-flash-lite is a thinking model whose catalog entry takes no temperature:
    the builder refuses it at .temperature()/.top_p(), the call at complete(), and neither
    calls it a reasoning model."""
    builder = tl.gemini().model("gemini-3.5-flash-lite").api_key("g-test")
    for method in ("temperature", "top_p"):
        with pytest.raises(tl.ConfigurationError) as caught:
            getattr(builder, method)(0.5)
        message = str(caught.value)
        assert f"({method})" in message and "catalog records no temperature" in message
        assert "thinking model" in message and "reasoning" not in message
    fake = FakeProvider(["never"])
    llm = builder.transport(fake).build()
    with pytest.raises(tl.ConfigurationError) as caught:
        llm.complete("hi", options=tl.CallOptions(temperature=0.5))
    assert "catalog records no temperature" in str(caught.value)
    assert "reasoning" not in str(caught.value) and fake.requests == []
    assert tl.gemini().model("gemini-2.5-flash").temperature(0.5).top_p(0.5) is not None


def test_top_k_on_openai() -> None:
    fake = FakeProvider(["never"])
    refused(openai_llm(fake), fake, "hi", "top_k", options=tl.CallOptions(top_k=3))


def test_temperature_above_one_on_anthropic() -> None:
    fake = FakeProvider(["never"])
    llm = anthropic_llm(fake)
    refused(llm, fake, "hi", "between 0 and 1", options=tl.CallOptions(temperature=1.5))


def test_temperature_up_to_two_on_openai_and_gemini() -> None:
    fake = FakeProvider(["ok", "ok"])
    openai_llm(fake).complete("hi", options=tl.CallOptions(temperature=1.5))
    gemini_llm(fake).complete("hi", options=tl.CallOptions(temperature=1.5))
    assert fake.calls == 2


@pytest.mark.parametrize(
    "options",
    [tl.CallOptions(temperature=0.5), tl.CallOptions(top_p=0.9), tl.CallOptions(top_k=5)],
)
def test_sampling_with_anthropic_thinking(options: tl.CallOptions) -> None:
    fake = FakeProvider(["never"])
    llm = (
        tl.anthropic()
        .model("claude-sonnet-4-5")
        .api_key("k")
        .thinking(budget_tokens=2048)
        .transport(fake)
        .build()
    )
    refused(llm, fake, "hi", "extended thinking", options=options)


@pytest.mark.parametrize("max_tokens", [1024, 2048])
def test_per_call_max_tokens_at_or_below_the_thinking_budget(max_tokens: int) -> None:
    fake = FakeProvider(["never"])
    llm = (
        tl.anthropic()
        .model("claude-sonnet-4-5")
        .api_key("k")
        .thinking(budget_tokens=2048)
        .transport(fake)
        .build()
    )
    refused(llm, fake, "hi", "thinking budget", options=tl.CallOptions(max_tokens=max_tokens))


def test_per_call_max_tokens_above_the_thinking_budget_is_sent() -> None:
    fake = FakeProvider(["ok"])
    llm = (
        tl.anthropic()
        .model("claude-sonnet-4-5")
        .api_key("k")
        .thinking(budget_tokens=2048)
        .transport(fake)
        .build()
    )
    llm.complete("hi", options=tl.CallOptions(max_tokens=2049))
    body = fake.requests[0].json
    assert body["max_tokens"] == 2049
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 2048}


@pytest.mark.parametrize(
    ("make", "limit"),
    [(openai_llm, 16384), (anthropic_llm, 64000), (gemini_llm, 65536)],
)
def test_max_tokens_above_the_model_limit(make: Any, limit: int) -> None:
    fake = FakeProvider(["ok"])
    llm = make(fake)
    refused(llm, fake, "hi", f"limit of {limit}", options=tl.CallOptions(max_tokens=limit + 1))
    llm.complete("hi", options=tl.CallOptions(max_tokens=limit))
    assert fake.calls == 1


def test_tool_choice_naming_no_offered_tool() -> None:
    fake = FakeProvider(["never"])
    options = tl.CallOptions(tools=(WEATHER,), tool_choice="get_time")
    refused(openai_llm(fake), fake, "hi", "get_time.*names no offered tool", options=options)


@pytest.mark.parametrize("choice", ["required", "get_weather"])
def test_tool_choice_without_tools(choice: str) -> None:
    fake = FakeProvider(["never"])
    refused(openai_llm(fake), fake, "hi", "tool", options=tl.CallOptions(tool_choice=choice))


@pytest.mark.parametrize("choice", ["auto", "none"])
def test_a_tool_choice_that_asks_nothing_is_fine_without_tools(choice: str) -> None:
    fake = FakeProvider(["fine"])
    assert openai_llm(fake).complete("hi", options=tl.CallOptions(tool_choice=choice)) == "fine"
    assert "tool_choice" not in fake.requests[0].json


def test_audio_on_an_anthropic_model() -> None:
    fake = FakeProvider(["never"])
    prompt = [tl.user(["Transcribe", tl.audio(WAV)])]
    refused(anthropic_llm(fake), fake, prompt, "does not take audio")


def test_audio_on_gemini_is_sent_inline() -> None:
    fake = FakeProvider(["words"])
    gemini_llm(fake).complete([tl.user(["Transcribe", tl.audio(WAV)])])
    parts = fake.requests[0].json["contents"][0]["parts"]
    assert parts[1]["inlineData"]["mimeType"] == "audio/wav"


def test_gates_apply_to_builder_defaults_merged_with_the_call() -> None:
    fake = FakeProvider(["never"])
    llm = anthropic_llm(fake, temperature=0.5)
    # the builder's 0.5 passes; the call's 1.2 replaces it and is refused
    refused(llm, fake, "hi", "between 0 and 1", options=tl.CallOptions(temperature=1.2))


def test_gates_refuse_a_stream_before_it_opens() -> None:
    fake = FakeProvider(["never"])
    llm = openai_llm(fake, "o3")
    with pytest.raises(tl.ConfigurationError, match="sampling"):
        llm.stream("hi", options=tl.CallOptions(temperature=0.1))
    assert fake.calls == 0


async def test_gates_refuse_async_calls() -> None:
    fake = FakeProvider(["never"])
    llm = openai_llm(fake)
    with pytest.raises(tl.ConfigurationError, match="top_k"):
        await llm.acomplete("hi", options=tl.CallOptions(top_k=2))
    assert fake.calls == 0


def test_gates_refuse_request_for() -> None:
    fake = FakeProvider(["never"])
    llm = openai_llm(fake, "gpt-3.5-turbo")
    with pytest.raises(tl.ConfigurationError, match="images"):
        llm.request_for([tl.user([tl.image(PNG)])])


def test_options_must_be_call_options() -> None:
    fake = FakeProvider(["never"])
    refused(openai_llm(fake), fake, "hi", "tl.CallOptions", options={"temperature": 0.1})


# -- compatible hosts: capabilities unknown, media gates skipped ----------------------------


def test_compatible_host_skips_media_gates() -> None:
    fake = FakeProvider(["ok"])
    llm = compatible_llm(fake)
    llm.complete([tl.user(["Look and listen", tl.image(PNG), tl.audio(WAV)])])
    content = fake.requests[0].json["messages"][0]["content"]
    assert [p["type"] for p in content] == ["text", "image_url", "input_audio"]
    assert content[2]["input_audio"]["format"] == "wav"


def test_compatible_host_skips_sampling_gates() -> None:
    fake = FakeProvider(["ok"])
    compatible_llm(fake).complete("hi", options=tl.CallOptions(temperature=1.9, top_k=3))
    assert fake.requests[0].json["temperature"] == 1.9


def test_compatible_host_still_checks_tool_choice() -> None:
    fake = FakeProvider(["never"])
    refused(
        compatible_llm(fake),
        fake,
        "hi",
        "names no offered tool",
        options=tl.CallOptions(tools=(WEATHER,), tool_choice="nope"),
    )


# -- builder methods for defaults ------------------------------------------------------------


@pytest.mark.parametrize("sequences", [(), ("",), ("a", 3)])
def test_builder_stop_validation(sequences: tuple[Any, ...]) -> None:
    with pytest.raises(tl.ConfigurationError, match="stop"):
        tl.openai().model("gpt-4o-mini").stop(*sequences)


def test_builder_stop_takes_several_sequences() -> None:
    fake = FakeProvider(["ok"])
    llm = tl.openai().model("gpt-4o-mini").api_key("k").stop("A", "B").transport(fake).build()
    assert llm.config.defaults.stop == ("A", "B")
    llm.complete("hi")
    assert fake.requests[0].json["stop"] == ["A", "B"]


@pytest.mark.parametrize(("name", "value"), [("", "v"), ("x-a", 1), (None, "v")])
def test_builder_header_validation(name: Any, value: Any) -> None:
    with pytest.raises(tl.ConfigurationError, match="header"):
        tl.openai().header(name, value)


def test_builder_branches_do_not_share_headers_or_stops() -> None:
    base = tl.openai().model("gpt-4o-mini").api_key("k")
    one = base.header("X-A", "1").stop("S").build()
    two = base.build()
    assert one.request_for("x").headers["x-a"] == "1"
    assert "x-a" not in two.request_for("x").headers
    assert two.config.defaults.stop is None


def test_options_a_wire_has_no_field_for_are_refused() -> None:
    fake = FakeProvider(["never"])
    metadata = tl.CallOptions(metadata={"run": "1"})
    refused(anthropic_llm(fake), fake, "hi", "use user=", options=metadata)
    gemini = tl.gemini().model("gemini-2.5-flash").api_key("k").transport(fake).build()
    refused(gemini, fake, "hi", "Gemini takes no user", options=tl.CallOptions(user="u1"))
