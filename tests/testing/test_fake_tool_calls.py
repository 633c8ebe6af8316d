"""The fake provider scripts tool calls and has an auto tool mode, on every wire: the rendered
answers decode through the real codecs into the expected ``ToolCall``s (streamed too), and
their shapes match the recorded ones of ../shared/conformance."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel

import typedllm as tl
from typedllm.testing import FakeProvider, FakeReply, FakeToolCall, serve
from typedllm.testing._server import main

CONFORMANCE = Path(__file__).resolve().parents[2] / ".." / "shared" / "conformance"

WEATHER = tl.ToolDefinition(
    "get_weather",
    "Current weather in a city",
    {
        "type": "object",
        "properties": {
            "city": {"type": "string", "minLength": 2},
            "days": {"type": "integer", "minimum": 1, "maximum": 5},
            "unit": {"type": "string", "enum": ["c", "f"]},
        },
        "required": ["city", "days", "unit"],
    },
)
CLOCK = tl.ToolDefinition(
    "get_time",
    "The time in a zone",
    {"type": "object", "properties": {"zone": {"type": "string"}}, "required": ["zone"]},
)
TOOLS = tl.CallOptions(tools=(WEATHER, CLOCK))


class Report(BaseModel):
    summary: str
    score: int


def _bedrock(fake: FakeProvider) -> tl.Client:
    builder: Any = tl.anthropic().bedrock("us-east-1").aws_credentials("AKIDEXAMPLE", "s3cr3t")
    return builder.model("claude-sonnet-4-5").transport(fake).build()  # type: ignore[no-any-return]


def _vertex(fake: FakeProvider) -> tl.Client:
    builder: Any = tl.anthropic().vertex("p", location="us-east5", token_provider=lambda: "ya")
    return builder.model("claude-sonnet-4-5").transport(fake).build()  # type: ignore[no-any-return]


WIRES: dict[str, Callable[[FakeProvider], tl.Client]] = {
    "chat": lambda f: tl.openai().model("gpt-4o-mini").api_key("k").transport(f).build(),
    "responses": lambda f: (
        tl.openai().model("gpt-4o").api("responses").api_key("k").transport(f).build()
    ),
    "anthropic": lambda f: (
        tl.anthropic().model("claude-sonnet-4-5").api_key("k").transport(f).build()
    ),
    "bedrock": _bedrock,
    "vertex": _vertex,
    "gemini": lambda f: tl.gemini().model("gemini-2.5-flash").api_key("k").transport(f).build(),
    "ollama": lambda f: tl.ollama().model("llama3.2").transport(f).build(),
    "cohere": lambda f: tl.cohere().model("command-a-03-2025").api_key("k").transport(f).build(),
}
# The id the fake makes for the first call of the first request, per wire (Ollama sends none:
# the client makes a stable one).
FIRST_ID = {
    "chat": "call_fake000000_0",
    "responses": "call_fake000000_0",
    "anthropic": "toolu_fake000000_0",
    "bedrock": "toolu_fake000000_0",
    "vertex": "toolu_fake000000_0",
    "gemini": "fake000000_0",
    "cohere": "get_weather_fake000000_0",
}


def _run(client: tl.Client, prompt: Any, stream: bool, **kw: Any) -> tl.Completion[Any]:
    if not stream:
        return client.completion(prompt, **kw)
    with client.stream(prompt, **kw) as s:
        s.final()
        return s.completion


def _args(call: tl.ToolCall) -> Any:
    return json.loads(call.arguments)


# -- scripted calls ---------------------------------------------------------------------------


@pytest.mark.parametrize("stream", [False, True], ids=["body", "stream"])
@pytest.mark.parametrize("wire", sorted(WIRES))
def test_scripted_parallel_calls_decode(wire: str, stream: bool) -> None:
    reply = FakeReply.tool_calls(
        [
            ("get_weather", {"city": "Paris", "days": 2, "unit": "c"}),
            ("get_time", '{"zone": "CET"}', "my-call-7"),
        ],
        text="Let me look.",
    )
    fake = FakeProvider([reply])
    done = _run(WIRES[wire](fake), "Weather and time in Paris?", stream, options=TOOLS)
    calls = done.tool_calls
    assert [c.name for c in calls] == ["get_weather", "get_time"]
    assert [_args(c) for c in calls] == [{"city": "Paris", "days": 2, "unit": "c"}, {"zone": "CET"}]
    assert calls[1].id == "my-call-7"
    if wire in FIRST_ID:
        assert calls[0].id == FIRST_ID[wire]
    assert calls[0].id and calls[0].id != calls[1].id
    if wire == "cohere":  # the text before calls is Cohere's tool plan (reasoning)
        assert done.reasoning == "Let me look."
    else:
        assert done.output == "Let me look."
    assert done.finish_reason in ("tool_calls", "stop")  # Gemini says STOP for calls
    if wire not in ("gemini", "responses"):
        assert done.finish_reason == "tool_calls"


@pytest.mark.parametrize("stream", [False, True], ids=["body", "stream"])
@pytest.mark.parametrize("wire", sorted(WIRES))
def test_a_call_under_a_schema_is_pending(wire: str, stream: bool) -> None:
    fake = FakeProvider([FakeReply.tool_call("get_time", {"zone": "UTC"})])
    with pytest.raises(tl.PendingToolCallsError) as info:
        _run(WIRES[wire](fake), "What time is it?", stream, schema=Report, options=TOOLS)
    (call,) = info.value.tool_calls
    assert (call.name, _args(call)) == ("get_time", {"zone": "UTC"})


@pytest.mark.parametrize("wire", sorted(WIRES))
def test_generated_ids_are_deterministic(wire: str) -> None:
    def ids() -> list[str]:
        fake = FakeProvider([FakeReply.tool_call("get_time", {"zone": "UTC"})] * 2)
        client = WIRES[wire](fake)
        return [client.completion("t?", options=TOOLS).tool_calls[0].id for _ in range(2)]

    first = ids()
    assert first == ids()  # the same script, the same ids
    # Ollama sends no ids: the client derives a stable one from the call (the same call
    # twice gets the same id); elsewhere each request's calls get their own.
    assert len(set(first)) == (1 if wire == "ollama" else 2)


def test_invalid_argument_text_reaches_a_string_wire_as_is() -> None:
    fake = FakeProvider([FakeReply.tool_call("get_time", '{"zone": ')])
    (call,) = WIRES["chat"](fake).completion("t?", options=TOOLS).tool_calls
    assert call.arguments == '{"zone": '


def test_invalid_argument_text_on_an_object_wire_is_a_clear_error() -> None:
    fake = FakeProvider([FakeReply.tool_call("get_time", "not json")])
    with pytest.raises(tl.ConfigurationError, match="sends arguments as a JSON object"):
        WIRES["anthropic"](fake).completion("t?", options=TOOLS)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: FakeReply.tool_calls([]), "non-empty list"),
        (lambda: FakeReply.tool_call("f", 3), "a dict or a JSON string"),  # type: ignore[arg-type]
        (lambda: FakeReply.tool_calls([("", {})]), "non-empty name"),
        (lambda: FakeReply.tool_calls(["f"]), "(name, arguments)"),  # type: ignore[list-item]
        (lambda: FakeProvider(tools="yes"), "tools=..."),  # type: ignore[arg-type]
    ],
)
def test_bad_scripts_are_configuration_errors(build: Callable[[], Any], message: str) -> None:
    with pytest.raises(tl.ConfigurationError) as info:
        build()
    assert message in str(info.value)


def test_fake_tool_call_values_are_accepted() -> None:
    reply = FakeReply.tool_calls([FakeToolCall("get_time", '{"zone":"UTC"}', "c1")])
    (call,) = WIRES["chat"](FakeProvider([reply])).completion("t?", options=TOOLS).tool_calls
    assert (call.id, call.name, call.arguments) == ("c1", "get_time", '{"zone":"UTC"}')


# -- auto tool mode ---------------------------------------------------------------------------


def _results(done: tl.Completion[Any]) -> list[tl.Message]:
    return [
        *done.messages,
        *(tl.tool_result(c.id, f'{{"{c.name}": "ok"}}', name=c.name) for c in done.tool_calls),
    ]


@pytest.mark.parametrize("stream", [False, True], ids=["body", "stream"])
@pytest.mark.parametrize("wire", sorted(WIRES))
def test_auto_mode_calls_then_answers(wire: str, stream: bool) -> None:
    fake = FakeProvider(tools="auto")
    client = WIRES[wire](fake)
    first = _run(client, "Weather in Paris?", stream, options=TOOLS)
    (call,) = first.tool_calls
    assert call.name == "get_weather"  # the first offered tool
    jsonschema.validate(_args(call), dict(WEATHER.parameters))
    second = _run(client, _results(first), stream, options=TOOLS)
    assert second.tool_calls == ()
    assert second.output == 'Weather in Paris? (tool results: {"get_weather": "ok"})'.join(
        ["[fake answer] ", ""]
    )


@pytest.mark.parametrize("wire", sorted(WIRES))
def test_all_mode_calls_every_tool_with_valid_arguments(wire: str) -> None:
    client = WIRES[wire](FakeProvider(tools="all"))
    calls = client.completion("Weather and time?", options=TOOLS).tool_calls
    assert [c.name for c in calls] == ["get_weather", "get_time"]
    for call, tool in zip(calls, (WEATHER, CLOCK), strict=True):
        jsonschema.validate(_args(call), dict(tool.parameters))
    assert len({c.id for c in calls}) == 2


@pytest.mark.parametrize("wire", sorted(WIRES))
def test_auto_mode_under_a_schema_calls_then_answers_the_schema(wire: str) -> None:
    client = WIRES[wire](FakeProvider(tools="auto"))
    with pytest.raises(tl.PendingToolCallsError) as info:
        client.completion("Rate Paris", schema=Report, options=TOOLS)
    assert info.value.answer is not None
    messages = [
        tl.user("Rate Paris"),
        info.value.answer,
        *(tl.tool_result(c.id, "sunny", name=c.name) for c in info.value.tool_calls),
    ]
    report = client.complete(messages, schema=Report, options=TOOLS)
    assert isinstance(report, Report)


@pytest.mark.parametrize("wire", sorted(WIRES))
def test_auto_mode_is_deterministic(wire: str) -> None:
    def once() -> tuple[tl.ToolCall, ...]:
        return WIRES[wire](FakeProvider(tools="all")).completion("q", options=TOOLS).tool_calls

    assert [c.arguments for c in once()] == [c.arguments for c in once()]


@pytest.mark.parametrize("wire", sorted(WIRES))
def test_default_auto_mode_does_not_call_tools(wire: str) -> None:
    done = WIRES[wire](FakeProvider()).completion("Weather in Paris?", options=TOOLS)
    assert done.tool_calls == () and done.output == "[fake answer] Weather in Paris?"


@pytest.mark.parametrize("wire", sorted(set(WIRES) - {"ollama"}))  # Ollama has no tool_choice
def test_a_named_tool_choice_is_the_tool_called(wire: str) -> None:
    options = tl.CallOptions(tools=(WEATHER, CLOCK), tool_choice="get_time")
    (call,) = WIRES[wire](FakeProvider(tools="all")).completion("q", options=options).tool_calls
    assert call.name == "get_time"
    jsonschema.validate(_args(call), dict(CLOCK.parameters))


@pytest.mark.parametrize("wire", sorted(WIRES))
def test_tool_choice_none_answers_text(wire: str) -> None:
    options = tl.CallOptions(tools=(WEATHER,), tool_choice="none")
    done = WIRES[wire](FakeProvider(tools="auto")).completion("Hi", options=options)
    assert done.tool_calls == () and done.output == "[fake answer] Hi"


@pytest.mark.parametrize("wire", sorted(set(WIRES) - {"ollama"}))
def test_tool_choice_required_calls(wire: str) -> None:
    options = tl.CallOptions(tools=(WEATHER,), tool_choice="required")
    (call,) = WIRES[wire](FakeProvider(tools="auto")).completion("Hi", options=options).tool_calls
    assert call.name == "get_weather"


@pytest.mark.parametrize("wire", ["chat", "anthropic"])
def test_all_mode_respects_parallel_tool_calls_false(wire: str) -> None:
    options = tl.CallOptions(tools=(WEATHER, CLOCK), parallel_tool_calls=False)
    calls = WIRES[wire](FakeProvider(tools="all")).completion("q", options=options).tool_calls
    assert [c.name for c in calls] == ["get_weather"]


def test_a_new_user_question_after_results_starts_a_new_turn() -> None:
    client = WIRES["chat"](FakeProvider(tools="auto"))
    first = client.completion("Weather?", options=TOOLS)
    answered = client.completion(_results(first), options=TOOLS)
    again = client.completion([*answered.messages, tl.user("And tomorrow?")], options=TOOLS)
    assert [c.name for c in again.tool_calls] == ["get_weather"]


def test_scripted_replies_win_over_the_tool_mode() -> None:
    done = WIRES["chat"](FakeProvider(["plain"], tools="auto")).completion("q", options=TOOLS)
    assert done.output == "plain" and done.tool_calls == ()


# -- the loopback server ----------------------------------------------------------------------


def test_serve_takes_the_tool_mode() -> None:
    with serve(tools="auto") as server:
        llm = tl.openai_compatible(base_url=server.base_url).model("m").build()
        with llm:
            (call,) = llm.completion("q", options=TOOLS).tool_calls
    assert call.name == "get_weather"
    jsonschema.validate(_args(call), dict(WEATHER.parameters))
    with pytest.raises(ValueError, match="FakeProvider"), serve(FakeProvider(), tools="auto"):
        pass  # pragma: no cover


def test_the_cli_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--port", "0", "--duration", "0", "--tools", "all"]) == 0
    assert "tools=all" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--port", "0", "--duration", "0", "--tools", "sometimes"])
    assert "invalid choice" in capsys.readouterr().err


# -- shapes against the recordings ------------------------------------------------------------


def _recorded(path: str) -> dict[str, Any]:
    file = CONFORMANCE / path
    if not file.exists():
        pytest.skip(f"conformance corpus not available at {file}")
    loaded: dict[str, Any] = json.loads(file.read_text(encoding="utf-8"))
    return loaded["response"]


def _answer(fake: FakeProvider, path: str, body: dict[str, Any]) -> bytes:
    status, _headers, payload = fake.respond(
        "POST",
        f"http://fake.local{path}",
        {"content-type": "application/json"},
        json.dumps(body).encode(),
    )
    assert status == 200, payload
    return payload


def _sse(text: str) -> list[dict[str, Any]]:
    lines = [line.removeprefix("data:").strip() for line in text.splitlines()]
    return [json.loads(d) for d in lines if d.startswith("{")]


def _two_calls() -> FakeProvider:
    reply = FakeReply.tool_calls([("get_weather", {"city": "Oslo"}), ("get_time", {"zone": "Z"})])
    return FakeProvider([reply] * 2)


def test_chat_completions_shapes_match_the_recordings() -> None:
    fake = _two_calls()
    body = {"model": "m", "messages": [{"role": "user", "content": "q"}]}
    ours = json.loads(_answer(fake, "/v1/chat/completions", body))["choices"][0]
    recorded = _recorded(
        "openai/tool_call/chat_completions__openai-python__completions__"
        "test_parse_multiple_pydantic_tools__i0.json"
    )["body"]["choices"][0]
    assert ours["finish_reason"] == recorded["finish_reason"] == "tool_calls"
    assert ours["message"]["content"] is recorded["message"]["content"] is None
    for mine, theirs in zip(
        ours["message"]["tool_calls"], recorded["message"]["tool_calls"], strict=True
    ):
        assert mine.keys() == theirs.keys() and mine["function"].keys() == theirs["function"].keys()
        assert isinstance(mine["function"]["arguments"], str)
    chunks = _sse(_answer(fake, "/v1/chat/completions", {**body, "stream": True}).decode())
    real = _sse(
        _recorded(
            "openai/stream_tool_call/chat_completions__llm__openai-chat__llm_chat_stream_tool__i0.json"
        )["sse"]
    )

    def call_deltas(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            d["tool_calls"][0]
            for e in events
            for d in (c["delta"] for c in e["choices"])
            if d.get("tool_calls")
        ]

    mine_deltas, real_deltas = call_deltas(chunks), call_deltas(real)
    assert mine_deltas[0].keys() == real_deltas[0].keys()  # index, id, type, function
    assert mine_deltas[0]["function"] == {"name": "get_weather", "arguments": ""}
    assert mine_deltas[1].keys() == real_deltas[1].keys() == {"index", "function"}
    assert {d["index"] for d in mine_deltas} == {0, 1}
    finish = [c["finish_reason"] for e in chunks for c in e["choices"] if c.get("finish_reason")]
    assert finish == ["tool_calls"]


def test_responses_shapes_match_the_recordings() -> None:
    fake = _two_calls()
    body = {"model": "m", "input": "q"}
    ours = json.loads(_answer(fake, "/v1/responses", body))["output"]
    recorded = _recorded(
        "openai/tool_call/responses__llm__openai-responses__function_call__i0.json"
    )
    (theirs,) = recorded["body"]["output"]
    assert [o["type"] for o in ours] == ["function_call", "function_call"]
    assert all(o.keys() == theirs.keys() for o in ours)
    events = _sse(_answer(fake, "/v1/responses", {**body, "stream": True}).decode())
    real = _sse(
        _recorded(
            "openai/stream_tool_call/responses__llm__openai-responses__bot_tool_stream__i0.json"
        )["sse"]
    )

    def kinds(events: list[dict[str, Any]]) -> list[str]:
        out: list[str] = []
        for event in events:
            if not out or out[-1] != event["type"]:
                out.append(event["type"])
        return out

    one_call = kinds(real)
    assert kinds(events) == one_call[:-1] + one_call[2:-1] + one_call[-1:]
    by_type = {e["type"]: e for e in real}
    for event in events:
        assert set(event) <= set(by_type[event["type"]]) | {"obfuscation"}, event["type"]
    added = next(e for e in events if e["type"] == "response.output_item.added")
    assert added["item"]["arguments"] == "" and added["item"]["status"] == "in_progress"


def test_anthropic_shapes_match_the_recordings() -> None:
    fake = _two_calls()
    body = {"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": "q"}]}
    ours = json.loads(_answer(fake, "/v1/messages", body))
    recorded = _recorded("anthropic/tool_call/anthropic_messages__ellmer__anthropic-tool__i0.json")
    theirs = recorded["body"]["content"][0]
    assert ours["stop_reason"] == recorded["body"]["stop_reason"] == "tool_use"
    assert all(set(b) <= set(theirs) and b["type"] == "tool_use" for b in ours["content"])
    assert ours["content"][0]["input"] == {"city": "Oslo"}
    events = _sse(_answer(fake, "/v1/messages", {**body, "stream": True}).decode())
    real = _sse(
        _recorded(
            "anthropic/stream_tool_call/anthropic_messages__anthropic-sdk-python__"
            "TestSyncRunTools__771c64ff__i0.json"
        )["sse"]
    )
    real_start = next(e for e in real if e["type"] == "content_block_start")
    starts = [e for e in events if e["type"] == "content_block_start"]
    assert [s["index"] for s in starts] == [0, 1]
    assert all(set(s["content_block"]) <= set(real_start["content_block"]) for s in starts)
    assert all(s["content_block"]["input"] == {} for s in starts)
    deltas = [e["delta"] for e in events if e["type"] == "content_block_delta"]
    assert {d["type"] for d in deltas} == {"input_json_delta"}
    stop = [e["delta"]["stop_reason"] for e in events if e["type"] == "message_delta"]
    assert stop == [next(e for e in real if e["type"] == "message_delta")["delta"]["stop_reason"]]


def test_gemini_shapes_match_the_recordings() -> None:
    fake = _two_calls()
    body = {"contents": [{"role": "user", "parts": [{"text": "q"}]}]}
    path = "/v1beta/models/gemini-2.5-flash:generateContent"
    ours = json.loads(_answer(fake, path, body))["candidates"][0]
    recorded = _recorded("google/tool_call/gemini_generate_content__ellmer__google-tool__i0.json")
    theirs = recorded["body"]["candidates"][0]
    assert ours["finishReason"] == theirs["finishReason"] == "STOP"
    for part in ours["content"]["parts"]:
        assert part["functionCall"].keys() == theirs["content"]["parts"][0]["functionCall"].keys()
        assert isinstance(part["functionCall"]["args"], dict)
    stream_path = path.replace(":generateContent", ":streamGenerateContent?alt=sse")
    chunks = _sse(_answer(fake, stream_path, body).decode())
    whole = [
        p["functionCall"]["name"]
        for c in chunks
        for p in c["candidates"][0].get("content", {}).get("parts", [])
        if "functionCall" in p
    ]
    assert whole == ["get_weather", "get_time"]  # each call arrives whole, as recorded


def test_ollama_stream_shape_matches_the_recording() -> None:
    fake = _two_calls()
    body = {"model": "m", "messages": [{"role": "user", "content": "q"}]}
    lines = [json.loads(line) for line in _answer(fake, "/api/chat", body).splitlines()]
    recorded = _recorded(
        "ollama/stream_tool_call/ollama_chat__llm__ollama-chat__llm_function_multiple__i0.json"
    )["ndjson"]
    real = [json.loads(line) for line in recorded.splitlines() if line.strip()]

    def calls(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [c for line in lines for c in line["message"].get("tool_calls", [])]

    mine, theirs = calls(lines), calls(real)
    assert (
        mine[0].keys() == theirs[0].keys()
        and mine[0]["function"].keys() == theirs[0]["function"].keys()
    )
    assert mine[1]["function"].keys() == theirs[1]["function"].keys()  # index on later calls
    assert isinstance(mine[0]["function"]["arguments"], dict)
    assert lines[-1]["done"] is True and lines[-1]["done_reason"] == real[-1]["done_reason"]


def test_cohere_shapes_follow_the_documentation() -> None:
    # No Cohere recording exists; https://docs.cohere.com/v2/docs/tool-use-streaming
    fake = _two_calls()
    body = {"model": "m", "messages": [{"role": "user", "content": "q"}], "stream": False}
    ours = json.loads(_answer(fake, "/v2/chat", body))
    assert ours["finish_reason"] == "TOOL_CALL"
    call = ours["message"]["tool_calls"][0]
    assert call.keys() == {"id", "type", "function"}
    assert isinstance(call["function"]["arguments"], str)
    events = _sse(_answer(fake, "/v2/chat", {**body, "stream": True}).decode())
    kinds = [e["type"] for e in events]
    assert kinds[0] == "message-start" and kinds[-1] == "message-end"
    assert kinds.count("tool-call-start") == kinds.count("tool-call-end") == 2


# -- async and dynamic replies ----------------------------------------------------------------


@pytest.mark.parametrize("wire", ["chat", "anthropic", "gemini"])
def test_auto_mode_over_the_async_transport(wire: str) -> None:
    import asyncio

    client = WIRES[wire](FakeProvider(tools="auto"))

    async def loop() -> tuple[tl.Completion[str], tl.Completion[str]]:
        first = await client.acompletion("Weather?", options=TOOLS)
        return first, await client.acompletion(_results(first), options=TOOLS)

    first, second = asyncio.run(loop())
    assert [c.name for c in first.tool_calls] == ["get_weather"]
    assert second.tool_calls == () and "tool results" in second.output


def test_a_responder_can_answer_with_tool_calls() -> None:
    def respond(body: dict[str, Any]) -> FakeReply:
        asked = [t["function"]["name"] for t in body.get("tools", [])]
        return FakeReply.tool_call(asked[-1], {"zone": "UTC"})

    done = WIRES["chat"](FakeProvider(responder=respond)).completion("q", options=TOOLS)
    assert [c.name for c in done.tool_calls] == ["get_time"]


def test_a_fake_in_tool_mode_pickles() -> None:
    import pickle

    copy = pickle.loads(pickle.dumps(FakeProvider(tools="all")))
    calls = WIRES["chat"](copy).completion("q", options=TOOLS).tool_calls
    assert [c.name for c in calls] == ["get_weather", "get_time"]
