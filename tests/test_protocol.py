"""The Completer protocol and ClientWrapper, the Completion record, request_for, and the
codec registry."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from pydantic import BaseModel

import typedllm as tl
from typedllm.codecs import FunctionCodec, _registry, codec_names, get_codec, register_codec
from typedllm.codecs import openai_chat as openai_chat_codec
from typedllm.testing import FakeProvider, FakeReply


class City(BaseModel):
    name: str
    population: int


def openai_llm(fake: FakeProvider, **opts: Any) -> tl.Client:
    builder: Any = tl.openai().model("gpt-4o-mini").api_key("sk-test").transport(fake)
    for name, value in opts.items():
        builder = getattr(builder, name)(value)
    built: tl.Client = builder.build()
    return built


# -- ClientWrapper -----------------------------------------------------------------------------


class Recorder(tl.ClientWrapper):
    """Records every call that goes through any primitive."""

    def __init__(self, inner: tl.Completer, label: str = "rec", log: list[Any] | None = None):
        super().__init__(inner)
        self.label = label
        self.log: list[Any] = log if log is not None else []

    def _completion(self, call: tl.Call) -> tl.Completion[Any]:
        self.log.append((self.label, "completion", call))
        return super()._completion(call)

    async def _acompletion(self, call: tl.Call) -> tl.Completion[Any]:
        self.log.append((self.label, "acompletion", call))
        return await super()._acompletion(call)

    def _stream(self, call: tl.Call) -> tl.Stream[Any, Any]:
        self.log.append((self.label, "stream", call))
        return super()._stream(call)

    def _astream(self, call: tl.Call) -> tl.AsyncStream[Any, Any]:
        self.log.append((self.label, "astream", call))
        return super()._astream(call)


def test_a_wrapper_sees_sync_calls_and_keeps_the_typed_surface() -> None:
    fake = FakeProvider(["plain", {"name": "Oslo", "population": 700000}, "record"])
    wrapped = Recorder(openai_llm(fake))
    assert wrapped.complete("hi") == "plain"
    city = wrapped.complete("city?", schema=City)
    assert city == City(name="Oslo", population=700000)
    completion = wrapped.completion("again", options=tl.CallOptions(seed=5))
    assert isinstance(completion, tl.Completion)
    assert completion.output == "record"
    kinds = [kind for _label, kind, _call in wrapped.log]
    assert kinds == ["completion", "completion", "completion"]
    calls = [call for _label, _kind, call in wrapped.log]
    assert calls[0] == tl.Call("hi", None, False, None)
    assert calls[1].schema is City and calls[1].has_schema is True
    assert calls[2].options == tl.CallOptions(seed=5)
    assert fake.requests[2].json["seed"] == 5


async def test_a_wrapper_sees_async_calls() -> None:
    fake = FakeProvider(["one", {"name": "Rome", "population": 2800000}])
    wrapped = Recorder(openai_llm(fake))
    assert await wrapped.acomplete("hi") == "one"
    completion = await wrapped.acompletion("city?", schema=City)
    assert completion.output.name == "Rome"
    assert [kind for _l, kind, _c in wrapped.log] == ["acompletion", "acompletion"]


def test_a_wrapper_sees_streams() -> None:
    fake = FakeProvider(["streamed text", {"name": "Lima", "population": 10}])
    wrapped = Recorder(openai_llm(fake))
    with wrapped.stream("hi") as stream:
        assert "".join(stream) == "streamed text"
    assert stream.completion.output == "streamed text"
    with wrapped.stream("city?", schema=City) as typed:
        assert typed.final() == City(name="Lima", population=10)
    assert [kind for _l, kind, _c in wrapped.log] == ["stream", "stream"]
    assert wrapped.log[1][2].schema is City


async def test_a_wrapper_sees_async_streams() -> None:
    fake = FakeProvider(["async streamed"])
    wrapped = Recorder(openai_llm(fake))
    async with wrapped.astream("hi") as stream:
        assert "".join([delta async for delta in stream]) == "async streamed"
    assert [kind for _l, kind, _c in wrapped.log] == ["astream"]


async def test_a_wrapper_of_a_wrapper() -> None:
    fake = FakeProvider(["a", "b", "c", "d"])
    log: list[Any] = []
    inner = Recorder(openai_llm(fake), "inner", log)
    outer = Recorder(inner, "outer", log)
    assert outer.complete("a") == "a"
    assert await outer.acomplete("b") == "b"
    with outer.stream("c") as stream:
        assert stream.final() == "c"
    async with outer.astream("d") as astream:
        assert await astream.final() == "d"
    assert [(label, kind) for label, kind, _call in log] == [
        ("outer", "completion"),
        ("inner", "completion"),
        ("outer", "acompletion"),
        ("inner", "acompletion"),
        ("outer", "stream"),
        ("inner", "stream"),
        ("outer", "astream"),
        ("inner", "astream"),
    ]
    # both layers see the same call value
    assert log[0][2] is log[1][2]
    assert repr(outer) == f"Recorder(Recorder({inner.inner!r}))"
    assert fake.calls == 4


def test_a_wrapper_can_change_the_call() -> None:
    class Deterministic(tl.ClientWrapper):
        def _completion(self, call: tl.Call) -> tl.Completion[Any]:
            pinned = tl.CallOptions(temperature=0).merged(call.options)
            return super()._completion(dataclasses.replace(call, options=pinned))

    fake = FakeProvider(["x", "y"])
    wrapped = Deterministic(openai_llm(fake))
    wrapped.complete("hi")
    wrapped.complete("hi", options=tl.CallOptions(temperature=0.8))
    assert fake.requests[0].json["temperature"] == 0
    assert fake.requests[1].json["temperature"] == 0.8


def test_a_fallback_wrapper() -> None:
    class Fallback(tl.ClientWrapper):
        def __init__(self, inner: tl.Completer, backup: tl.Completer) -> None:
            super().__init__(inner)
            self.backup = backup

        def _completion(self, call: tl.Call) -> tl.Completion[Any]:
            try:
                return super()._completion(call)
            except tl.APIStatusError:
                return self.backup._completion(call)

    primary_fake = FakeProvider([FakeReply.error(400, "primary down")])
    backup_fake = FakeProvider([{"name": "Bern", "population": 1}])
    llm = Fallback(openai_llm(primary_fake), openai_llm(backup_fake))
    assert llm.complete("city?", schema=City) == City(name="Bern", population=1)
    assert primary_fake.calls == 1
    assert backup_fake.calls == 1


def test_a_wrapper_overriding_only_completion_sees_complete_and_completion() -> None:
    seen: list[str] = []

    class OnlySync(tl.ClientWrapper):
        def _completion(self, call: tl.Call) -> tl.Completion[Any]:
            seen.append(str(call.prompt))
            return super()._completion(call)

    fake = FakeProvider(["1", "2"])
    wrapped = OnlySync(openai_llm(fake))
    wrapped.complete("first")
    wrapped.completion("second")
    assert seen == ["first", "second"]


# -- Completer ---------------------------------------------------------------------------------


def test_completer_is_abstract() -> None:
    with pytest.raises(TypeError, match="abstract"):
        tl.Completer()  # type: ignore[abstract]

    class Partial(tl.Completer):
        def _completion(self, call: tl.Call) -> tl.Completion[Any]:
            raise NotImplementedError

        async def _acompletion(self, call: tl.Call) -> tl.Completion[Any]:
            raise NotImplementedError

        def _stream(self, call: tl.Call) -> tl.Stream[Any, Any]:
            raise NotImplementedError

    with pytest.raises(TypeError, match="_astream"):
        Partial()  # type: ignore[abstract]


def canned(output: Any) -> tl.Completion[Any]:
    return tl.Completion(output, None, tl.Usage(), "stop", "canned", None)


class Canned(tl.Completer):
    """A completer made of the four primitives alone."""

    def __init__(self) -> None:
        self.calls: list[tl.Call] = []

    def _completion(self, call: tl.Call) -> tl.Completion[Any]:
        self.calls.append(call)
        return canned(f"sync:{call.prompt}")

    async def _acompletion(self, call: tl.Call) -> tl.Completion[Any]:
        self.calls.append(call)
        return canned(f"async:{call.prompt}")

    def _stream(self, call: tl.Call) -> tl.Stream[Any, Any]:
        raise NotImplementedError

    def _astream(self, call: tl.Call) -> tl.AsyncStream[Any, Any]:
        raise NotImplementedError


async def test_the_typed_surface_is_built_on_the_primitives() -> None:
    completer = Canned()
    assert completer.complete("a") == "sync:a"
    assert (await completer.acomplete("b")) == "async:b"
    assert completer.completion("c", schema=int).output == "sync:c"
    assert (await completer.acompletion("d")).model == "canned"
    assert [c.has_schema for c in completer.calls] == [False, False, True, False]
    assert completer.calls[2].schema is int
    assert Recorder(completer).complete("e") == "sync:e"


# -- the Completion record ---------------------------------------------------------------------


def test_completion_messages_are_the_callers_plus_the_answer() -> None:
    fake = FakeProvider(["the answer"])
    llm = openai_llm(fake, system="BUILDER SYSTEM PROMPT")
    history = [
        tl.system("caller system"),
        tl.user("question"),
        tl.assistant("earlier"),
        tl.user("q2"),
    ]
    completion = llm.completion(history)
    assert completion.message is not None
    assert completion.message.role == "assistant"
    assert completion.message.content == "the answer"
    assert completion.messages == (*history, completion.message)
    assert all("BUILDER SYSTEM PROMPT" not in m.content for m in completion.messages)
    # ... although the builder's system prompt was sent
    sent = fake.requests[0].json["messages"]
    assert sent[0] == {"role": "system", "content": "BUILDER SYSTEM PROMPT"}
    assert len(sent) == len(history) + 1


def test_completion_messages_of_a_string_prompt() -> None:
    fake = FakeProvider(["hi back"])
    completion = openai_llm(fake).completion("hi")
    assert completion.messages == (tl.user("hi"), tl.assistant("hi back"))


def test_completion_messages_after_a_reask_hold_the_final_answer() -> None:
    fake = FakeProvider([{"name": "Oslo"}, {"name": "Oslo", "population": 5}])
    completion = openai_llm(fake).completion("city?", schema=City)
    assert completion.output.population == 5
    assert len(completion.attempts) == 2
    # the caller's messages and the final answer; the failed answer and the re-ask are not kept
    assert completion.messages == (tl.user("city?"), completion.message)
    assert json.loads(completion.message.content) == {"name": "Oslo", "population": 5}


def test_the_completion_message_continues_the_conversation() -> None:
    raw = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "gpt-4o-mini",
        "choices": [
            {
                "index": 0,
                "finish_reason": "tool_calls",
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call_1",
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": '{"city":"Oslo"}'},
                        }
                    ],
                },
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }
    fake = FakeProvider([FakeReply.raw(200, raw), "It is 3C in Oslo."])
    llm = openai_llm(fake)
    tool = tl.ToolDefinition("get_weather", "w", {"type": "object", "properties": {}})
    options = tl.CallOptions(tools=(tool,))
    first = llm.completion("weather in Oslo?", options=options)
    assert first.finish_reason == "tool_calls"
    assert first.tool_calls == (tl.ToolCall("call_1", "get_weather", '{"city":"Oslo"}'),)
    assert first.message is not None and first.message.tool_calls == first.tool_calls
    history = [*first.messages, tl.tool_result("call_1", "3C")]
    second = llm.completion(history, options=options)
    assert second.output == "It is 3C in Oslo."
    sent = fake.requests[1].json["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "tool"]
    assert sent[1]["tool_calls"][0]["id"] == "call_1"
    assert sent[2] == {"role": "tool", "tool_call_id": "call_1", "content": "3C"}


def test_completion_cost_follows_the_catalog() -> None:
    fake = FakeProvider([FakeReply(text="ok", input_tokens=1000, output_tokens=500)])
    llm = openai_llm(fake)
    completion = llm.completion("hi")
    assert completion.usage.input_tokens == 1000
    assert completion.usage.output_tokens == 500
    assert completion.cost == llm.model_info.cost(completion.usage)
    assert completion.cost == pytest.approx((1000 * 0.15 + 500 * 0.6) / 1_000_000)


def test_completion_cost_sums_every_attempt() -> None:
    fake = FakeProvider(
        [
            FakeReply(text='{"name": "x"}', input_tokens=100, output_tokens=10),
            FakeReply(text='{"name": "x", "population": 1}', input_tokens=200, output_tokens=20),
        ]
    )
    llm = openai_llm(fake)
    completion = llm.completion("city?", schema=City)
    assert completion.usage == tl.Usage(300, 30)
    assert completion.cost == pytest.approx(llm.model_info.cost(300, 30))


def test_completion_cost_is_none_for_a_compatible_model() -> None:
    fake = FakeProvider(["ok"])
    llm = tl.openai_compatible(base_url="http://127.0.0.1:9/v1").model("m").transport(fake).build()
    completion = llm.completion("hi")
    assert completion.usage.total_tokens > 0
    assert completion.cost is None


def test_stream_completion_messages_and_cost() -> None:
    fake = FakeProvider(["streamed"])
    llm = openai_llm(fake, system="builder")
    with llm.stream([tl.user("hi")]) as stream:
        stream.final()
    completion = stream.completion
    assert completion.messages == (tl.user("hi"), tl.assistant("streamed"))
    assert completion.cost == llm.model_info.cost(completion.usage)


# -- request_for ------------------------------------------------------------------------------


def test_request_for_does_not_send() -> None:
    fake = FakeProvider(["never"])
    llm = openai_llm(fake, temperature=0.3)
    request = llm.request_for("Hello", options=tl.CallOptions(seed=1))
    assert fake.calls == 0
    assert request.method == "POST"
    assert request.url == "https://api.openai.com/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-test"
    assert "sk-test" not in repr(request)
    body = orjson.loads(request.body)
    assert body["messages"] == [{"role": "user", "content": "Hello"}]
    assert body["temperature"] == 0.3
    assert body["seed"] == 1
    assert "stream" not in body


def test_request_for_matches_what_complete_sends() -> None:
    fake = FakeProvider([{"name": "x", "population": 1}])
    llm = openai_llm(fake)
    request = llm.request_for("city?", schema=City)
    llm.complete("city?", schema=City)
    assert orjson.loads(request.body) == fake.requests[0].json
    assert orjson.loads(request.body)["response_format"]["type"] == "json_schema"


def test_request_for_a_stream() -> None:
    llm = openai_llm(FakeProvider())
    body = orjson.loads(llm.request_for("hi", stream=True).body)
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert llm.request_for("hi", stream=True).headers["accept"] == "text/event-stream"


# -- the codec registry --------------------------------------------------------------------------


@pytest.fixture
def registry() -> Iterator[None]:
    saved = dict(_registry._codecs)
    yield
    _registry._codecs.clear()
    _registry._codecs.update(saved)


def renamed(name: str) -> FunctionCodec:
    return dataclasses.replace(openai_chat_codec.CODEC, name=name)


def test_builtin_codecs() -> None:
    for name in ("openai-chat", "anthropic-messages", "gemini-generate-content"):
        codec = get_codec(name)
        assert codec.name == name
        assert get_codec(name) is codec
        assert name in codec_names()
    assert get_codec("openai-chat") is openai_chat_codec.CODEC


def test_an_unknown_codec_is_a_configuration_error() -> None:
    with pytest.raises(tl.ConfigurationError, match="no codec named 'carrier-pigeon'"):
        get_codec("carrier-pigeon")


@pytest.mark.usefixtures("registry")
def test_registering_a_name_twice_needs_replace() -> None:
    first = renamed("test-wire")
    register_codec(first)
    assert get_codec("test-wire") is first
    assert "test-wire" in codec_names()
    second = renamed("test-wire")
    with pytest.raises(tl.ConfigurationError, match="already registered"):
        register_codec(second)
    assert get_codec("test-wire") is first
    register_codec(second, replace=True)
    assert get_codec("test-wire") is second


@pytest.mark.usefixtures("registry")
def test_a_builtin_name_cannot_be_taken_without_replace() -> None:
    with pytest.raises(tl.ConfigurationError, match="already registered"):
        register_codec(renamed("anthropic-messages"))
    assert get_codec("anthropic-messages").name == "anthropic-messages"
    assert get_codec("anthropic-messages") is not openai_chat_codec.CODEC


@pytest.mark.usefixtures("registry")
def test_a_registered_codec_is_used_by_a_client() -> None:
    seen: list[bool] = []

    def encode(config: Any, request: Any, stream: bool) -> Any:
        seen.append(stream)
        return openai_chat_codec.encode(config, request, stream)

    register_codec(dataclasses.replace(renamed("traced-chat"), encode=encode))
    fake = FakeProvider(["through the new wire"])
    base = openai_llm(fake)
    llm = tl.Client(dataclasses.replace(base.config, wire="traced-chat"))
    assert llm.complete("hi") == "through the new wire"
    assert seen == [False]


def test_a_client_with_an_unknown_wire_fails_at_construction() -> None:
    base = openai_llm(FakeProvider())
    with pytest.raises(tl.ConfigurationError, match="no codec named"):
        tl.Client(dataclasses.replace(base.config, wire="not-a-wire"))
