"""The OpenAI Responses client: request shape, decoding of what the recordings lack (truncation,
content filter, failed responses), builder routing and gates, and the whole public API on the
fake provider (sync and async, streaming, refusals, truncation, tools, reasoning summaries,
``store``/``previous_response_id``)."""

from __future__ import annotations

import asyncio
import json
from typing import Any, cast

import orjson
import pydantic
import pytest

import typedllm as tl
from typedllm._wire import WireResponse
from typedllm.codecs import ChatRequest, OutputSpec
from typedllm.codecs.openai_responses import decode, encode_body, output_spec
from typedllm.testing import FakeProvider, FakeReply


class City(pydantic.BaseModel):
    name: str
    country: str
    population: int


def _client(fake: FakeProvider, model: str = "gpt-4o", **kw: Any) -> tl.Client:
    builder: Any = tl.openai().model(model).api_key("sk-test").transport(fake)  # type: ignore[call-overload]
    if model in ("gpt-4o", "gpt-4.1"):
        builder = builder.api("responses")
    for name, value in kw.items():
        builder = getattr(builder, name)(value)
    return cast(tl.Client, builder.build())


def _body(client: tl.Client, messages: Any, schema: Any = None, **options: Any) -> dict[str, Any]:
    spec: OutputSpec | None = output_spec(client.config, schema) if schema is not None else None
    request = ChatRequest(tuple(messages), spec, tl.CallOptions(**options))
    return encode_body(client.config, request)


# -- request shape ------------------------------------------------------------------------------


def test_conversation_becomes_instructions_and_input_items() -> None:
    llm = _client(FakeProvider())
    call = tl.ToolCall("call_1", "get_weather", '{"city":"Paris"}')
    body = _body(
        llm,
        [
            tl.system("Be brief."),
            tl.system("Answer in French."),
            tl.user("Weather in Paris?"),
            tl.assistant("Let me check.", tool_calls=[call]),
            tl.tool_result("call_1", '{"temp": 21}'),
            tl.tool_result("call_2", "boom", is_error=True),
            tl.system("Now summarise."),
            tl.user(["Look:", tl.image(b"\x89PNG\r\n\x1a\n" + b"0" * 16, detail="low")]),
        ],
    )
    assert body["model"] == "gpt-4o"
    assert body["instructions"] == "Be brief.\n\nAnswer in French."
    assert body["input"] == [
        {"role": "user", "content": "Weather in Paris?"},
        {
            "role": "assistant",
            "content": [{"type": "output_text", "text": "Let me check.", "annotations": []}],
        },
        {
            "type": "function_call",
            "call_id": "call_1",
            "name": "get_weather",
            "arguments": '{"city":"Paris"}',
        },
        {"type": "function_call_output", "call_id": "call_1", "output": '{"temp": 21}'},
        {"type": "function_call_output", "call_id": "call_2", "output": "Error: boom"},
        {"role": "system", "content": "Now summarise."},
        {
            "role": "user",
            "content": [
                {"type": "input_text", "text": "Look:"},
                {
                    "type": "input_image",
                    "image_url": "data:image/png;base64,iVBORw0KGgowMDAwMDAwMDAwMDAwMDAw",
                    "detail": "low",
                },
            ],
        },
    ]
    assert "messages" not in body and "response_format" not in body


def test_documents_by_bytes_and_url_are_input_files_and_audio_is_refused() -> None:
    llm = _client(FakeProvider())
    pdf = tl.document(b"%PDF-1.4 tiny", title="a.pdf")
    linked = tl.document("https://example.com/report.pdf")
    body = _body(llm, [tl.user(["Read", pdf, linked])])
    parts = body["input"][0]["content"]
    assert parts[1] == {
        "type": "input_file",
        "filename": "a.pdf",
        "file_data": "data:application/pdf;base64,JVBERi0xLjQgdGlueQ==",
    }
    assert parts[2] == {"type": "input_file", "file_url": "https://example.com/report.pdf"}
    with pytest.raises(tl.ConfigurationError, match="no audio input"):
        _body(llm, [tl.user(["Hear", tl.audio(b"RIFF0000WAVEfmt ", media_type="audio/wav")])])


def test_media_returned_by_a_tool_follows_the_results() -> None:
    llm = _client(FakeProvider())
    picture = tl.image("https://example.com/p.png")
    body = _body(
        llm,
        [
            tl.user("Draw"),
            tl.assistant(tool_calls=[tl.ToolCall("c1", "draw", "{}")]),
            tl.tool_result("c1", ["done", picture]),
        ],
    )
    assert body["input"][1]["type"] == "function_call"  # no empty assistant message first
    assert body["input"][2] == {"type": "function_call_output", "call_id": "c1", "output": "done"}
    assert body["input"][3]["role"] == "user"
    assert body["input"][3]["content"][1]["image_url"] == "https://example.com/p.png"


def test_options_tools_and_strict_format() -> None:
    llm = _client(FakeProvider(), "gpt-4.1", temperature=0.2, max_tokens=300)
    tool = tl.ToolDefinition("lookup", "Find a city", {"properties": {"q": {"type": "string"}}})
    strict_tool = tl.ToolDefinition.from_type("make", City, "Make a city", strict=True)
    body = _body(
        llm,
        [tl.user("x")],
        City,
        temperature=0.2,
        top_p=0.5,
        max_tokens=300,
        user="u-1",
        metadata={"k": "v"},
        cache_key="ck",
        tools=(tool, strict_tool),
        tool_choice="lookup",
        parallel_tool_calls=False,
        previous_response_id="resp_1",
        extra_body={"truncation": "auto"},
    )
    assert body["temperature"] == 0.2 and body["top_p"] == 0.5
    assert body["max_output_tokens"] == 300 and "max_tokens" not in body
    assert (body["user"], body["metadata"], body["prompt_cache_key"]) == ("u-1", {"k": "v"}, "ck")
    assert body["previous_response_id"] == "resp_1"
    assert body["truncation"] == "auto"
    assert body["parallel_tool_calls"] is False
    assert body["tool_choice"] == {"type": "function", "name": "lookup"}
    lookup, make = body["tools"]
    assert lookup["type"] == "function" and lookup["name"] == "lookup"
    assert lookup["strict"] is False  # sent: the Responses API defaults strict to true
    assert make["strict"] is True and make["parameters"]["additionalProperties"] is False
    fmt = body["text"]["format"]
    assert fmt["type"] == "json_schema" and fmt["name"] == "City" and fmt["strict"] is True
    assert fmt["schema"]["required"] == ["name", "country", "population"]
    assert "stream" not in body and "reasoning" not in body and "store" not in body


@pytest.mark.parametrize("mode", ["json_schema", "json_object", "prompt"])
def test_structured_output_modes(mode: str) -> None:
    llm = _client(FakeProvider(), structured_output=mode, system="Be exact.")
    body = _body(llm, [tl.system("Be exact."), tl.user("x")], City)
    if mode == "json_schema":
        assert body["text"]["format"]["strict"] is False
        assert body["instructions"] == "Be exact."
    else:
        assert body.get("text") == (
            {"format": {"type": "json_object"}} if mode == "json_object" else None
        )
        assert body["instructions"].startswith("Be exact.\n\nRespond with a single JSON object")
        assert '"population"' in body["instructions"]


def test_json_object_schema_is_refused_on_responses_at_build() -> None:
    """llama-cpp-python's form has no Responses counterpart: refused, not sent schema-less."""
    builder = tl.openai().model("gpt-4.1").api_key("sk-test").api("responses")
    with pytest.raises(tl.ConfigurationError, match=r"json_object_schema.*Responses API"):
        builder.structured_output("json_object_schema").build()
    with pytest.raises(tl.ConfigurationError, match="json_object_schema"):
        tl.openai().model("gpt-5-pro").api_key("sk-test").structured_output(
            "json_object_schema"
        ).build()  # served on Responses only, so it goes there by itself
    chat = tl.openai().model("gpt-4.1").api_key("sk-test").structured_output("json_object_schema")
    assert chat.build().config.wire == "openai-chat"  # Chat Completions still takes it


def test_reasoning_options_and_store_on_the_wire() -> None:
    fake = FakeProvider()
    llm = (
        tl.openai()
        .model("o4-mini")
        .api("responses")
        .reasoning_effort("high")
        .reasoning_summary("detailed")
        .store(False)
        .api_key("k")
        .transport(fake)
        .build()
    )
    llm.complete([tl.system("Think."), tl.user("2+2?")])
    sent = fake.requests[0].json
    assert sent["reasoning"] == {"effort": "high", "summary": "detailed"}
    assert sent["store"] is False
    assert sent["instructions"] == "Think."
    assert "temperature" not in sent


# -- decoding what the recordings do not have ---------------------------------------------------


def _response(**fields: Any) -> WireResponse:
    body = {
        "id": "resp_1",
        "object": "response",
        "status": "completed",
        "model": "gpt-4o-2024-08-06",
        "error": None,
        "incomplete_details": None,
        "output": [
            {
                "type": "message",
                "id": "msg_1",
                "role": "assistant",
                "content": [{"type": "output_text", "text": '{"a": ', "annotations": []}],
            }
        ],
        "usage": {"input_tokens": 5, "output_tokens": 16},
        **fields,
    }
    return WireResponse(200, {"x-request-id": "req_1"}, orjson.dumps(body))


def test_incomplete_answers_are_truncation_or_content_filter() -> None:
    cut = decode(
        "openai", _response(status="incomplete", incomplete_details={"reason": "max_output_tokens"})
    )
    assert (cut.finish_reason, cut.raw_finish_reason, cut.text) == (
        "length",
        "incomplete",
        '{"a": ',
    )
    assert cut.usage.output_tokens == 16 and cut.request_id == "req_1"
    filtered = decode(
        "openai", _response(status="incomplete", incomplete_details={"reason": "content_filter"})
    )
    assert filtered.finish_reason == "content_filter"


def test_reasoning_from_summary_or_content_and_unknown_items_skipped() -> None:
    output = [
        {"type": "web_search_call", "id": "ws_1", "status": "completed"},
        {
            "type": "reasoning",
            "id": "rs_1",
            "summary": [
                {"type": "summary_text", "text": "First."},
                {"type": "summary_text", "text": "Second."},
            ],
        },
        {"type": "reasoning", "id": "rs_2", "content": [{"type": "reasoning_text", "text": "raw"}]},
        {"type": "function_call", "call_id": "call_9", "name": "f", "arguments": ""},
    ]
    decoded = decode("openai", _response(output=output))
    reasoning = [p for p in decoded.parts if isinstance(p, tl.ReasoningPart)]
    assert [r.text for r in reasoning] == ["First.\n\nSecond.", "raw"]
    assert decoded.tool_calls == (tl.ToolCall("call_9", "f", "{}"),)
    assert decoded.finish_reason == "tool_calls" and decoded.text is None


def test_failed_response_and_error_bodies_are_typed_errors() -> None:
    failed = _response(
        status="failed", output=[], error={"code": "server_error", "message": "boom"}
    )
    with pytest.raises(tl.InternalServerError, match="boom") as info:
        decode("openai", failed)
    assert info.value.code == "server_error" and info.value.request_id == "req_1"
    limited = _response(
        status="failed", output=[], error={"code": "rate_limit_exceeded", "message": "slow"}
    )
    with pytest.raises(tl.RateLimitError):
        decode("openai", limited)
    with pytest.raises(tl.ProtocolError, match="`output` is missing"):
        decode("openai", WireResponse(200, {}, b'{"id": "resp_1", "status": "completed"}'))
    with pytest.raises(tl.ProtocolError, match="not an object"):
        decode("openai", WireResponse(200, {}, b"[1, 2]"))


# -- builder: routing and gates --------------------------------------------------------------------


def test_responses_only_models_route_to_responses_and_refuse_chat() -> None:
    for name in ("gpt-5-pro", "o3-pro", "o1-pro", "gpt-5-codex"):
        info = tl.openai().model(name).api_key("k").build().config  # type: ignore[call-overload]
        assert info.wire == "openai-responses"
        assert info.model_info.apis == ("responses",)
        assert info.model_info.input_price is not None and info.model_info.context_window
    assert tl.openai().model("gpt-4o").api_key("k").build().config.wire == "openai-chat"
    with pytest.raises(tl.ConfigurationError, match="on the Responses API only"):
        tl.openai().model("gpt-5-pro").api("chat")
    with pytest.raises(tl.ConfigurationError, match="on the Responses API only"):
        tl.openai().api("chat").model("gpt-5-pro").api_key("k").build()
    with pytest.raises(tl.ConfigurationError, match="api must be one of"):
        tl.openai().api(cast(Any, "bogus"))
    # Snapshots and like= names borrow the route.
    assert tl.openai().model("gpt-5-pro-2025-10-06").api_key("k").build().config.wire == (
        "openai-responses"
    )
    borrowed = tl.openai().model("my-pro", like="gpt-5-pro").api_key("k").build()
    assert borrowed.config.wire == "openai-responses"


def test_gpt5_pro_takes_only_high_effort() -> None:
    llm = tl.openai().model("gpt-5-pro").reasoning_effort("high").api_key("k").build()
    assert llm.config.reasoning_effort == "high"
    with pytest.raises(tl.ConfigurationError, match="does not accept reasoning_effort='low'"):
        tl.openai().model("gpt-5-pro").reasoning_effort(cast(Any, "low"))


def test_responses_options_are_gated() -> None:
    chat_model: Any = tl.openai().model("gpt-4o")
    with pytest.raises(tl.ConfigurationError, match="not a reasoning model"):
        chat_model.reasoning_summary("auto")
    with pytest.raises(tl.ConfigurationError, match="must be one of"):
        tl.openai().model("o3").reasoning_summary(cast(Any, "verbose"))
    with pytest.raises(tl.ConfigurationError, match="Responses API option"):
        tl.openai().model("o3").reasoning_summary("auto").api_key("k").build()
    with pytest.raises(tl.ConfigurationError, match="Responses API option"):
        tl.openai().model("gpt-4o").store(True).api_key("k").build()
    with pytest.raises(tl.ConfigurationError, match="store takes True or False"):
        tl.openai().store(cast(Any, "yes"))
    with pytest.raises(tl.ConfigurationError, match="no seed or stop"):
        tl.openai().model("gpt-4o").api("responses").seed(1).api_key("k").build()
    # A new model drops the summary of the old one (it depends on the model's family).
    rebuilt: Any = tl.openai().model("o3").reasoning_summary("auto").model("gpt-4o")
    assert rebuilt.api_key("k").build().config.wire_options.__class__.__name__ == (
        "OpenAIChatOptions"
    )


def test_previous_response_id_is_refused_on_other_wires() -> None:
    fake = FakeProvider()
    chat = tl.openai().model("gpt-4o").api_key("k").transport(fake).build()
    with pytest.raises(tl.ConfigurationError, match="Responses API"):
        chat.complete("x", options=tl.CallOptions(previous_response_id="resp_1"))
    assert fake.calls == 0
    with pytest.raises(tl.ConfigurationError, match="non-empty str"):
        tl.CallOptions(previous_response_id="")
    responses = _client(fake)
    with pytest.raises(tl.ConfigurationError, match="takes no stop"):
        responses.complete("x", options=tl.CallOptions(stop=("END",)))


# -- end to end on the fake provider -------------------------------------------------------------


def test_complete_with_schema_sync_and_async() -> None:
    fake = FakeProvider()
    llm = _client(fake)
    city = llm.complete("Largest city in Japan?", schema=City)
    assert isinstance(city, City)
    again = asyncio.run(llm.acomplete("Largest city in Japan?", schema=City))
    assert again == city  # the fake answers a conversation deterministically
    assert [r.path for r in fake.requests] == ["/v1/responses", "/v1/responses"]
    fmt = fake.requests[0].json["text"]["format"]
    assert fmt["strict"] is True and set(fmt["schema"]["properties"]) == set(City.model_fields)
    assert llm.complete("Hello") == "[fake answer] Hello"


def test_completion_carries_usage_response_id_and_cost() -> None:
    llm = _client(FakeProvider([FakeReply.of_text("hi")]))
    done = llm.completion("Say hi")
    assert done.output == "hi" and done.response_id == "resp_fake000000"
    assert done.usage.input_tokens >= 1 and done.usage.output_tokens >= 1
    assert done.finish_reason == "stop" and done.request_id == "req_fake_000000"
    assert done.cost is not None and done.cost > 0


def test_stream_with_partial_objects_sync_and_async() -> None:
    fake = FakeProvider(
        [FakeReply.of_json({"name": "Tokyo", "country": "Japan", "population": 37})] * 2
    )
    llm = _client(fake)
    with llm.stream("City?", schema=City) as stream:
        partials = [dict(p.data) for p in stream]  # snapshots (a partial may grow in place)
        final = stream.final()
    assert final == City(name="Tokyo", country="Japan", population=37)
    assert len(partials) > 3 and partials[-1] == final.model_dump()
    assert any(0 < len(p) < 3 for p in partials)  # objects grow field by field
    assert fake.requests[0].json["stream"] is True

    async def run() -> tuple[list[Any], City]:
        async with llm.astream("City?", schema=City) as s:
            seen = [p async for p in s]
            return seen, await s.final()

    seen, result = asyncio.run(run())
    assert result == final and seen


def test_text_stream_and_fake_event_sequence() -> None:
    fake = FakeProvider([FakeReply.of_text("Hello there, world")])
    llm = _client(fake)
    with llm.stream("Greet") as stream:
        assert "".join(stream) == "Hello there, world"
    status, headers, payload = FakeProvider().respond(
        "POST",
        "https://api.openai.com/v1/responses",
        {},
        b'{"model":"gpt-4o","input":"hi","stream":true}',
    )
    assert status == 200 and headers["content-type"] == "text/event-stream"
    events = [
        json.loads(line[6:]) for line in payload.decode().splitlines() if line.startswith("data: ")
    ]
    kinds = [e["type"] for e in events]
    deltas = kinds.count("response.output_text.delta")
    assert kinds == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
        *["response.output_text.delta"] * deltas,
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]
    assert deltas >= 2 and [e["sequence_number"] for e in events] == list(range(len(events)))


def test_refusal_is_a_refusal_error_streaming_or_not() -> None:
    llm = _client(FakeProvider([FakeReply.refusal("I can't help with that.")] * 2))
    with pytest.raises(tl.RefusalError) as info:
        llm.complete("x", schema=City)
    assert info.value.refusal == "I can't help with that."
    with pytest.raises(tl.RefusalError), llm.stream("x", schema=City) as stream:
        list(stream)


def test_truncation_is_a_truncation_error_streaming_or_not() -> None:
    llm = _client(FakeProvider([FakeReply.truncated('{"name": "To')] * 2))
    with pytest.raises(tl.TruncatedOutputError) as info:
        llm.complete("x", schema=City)
    assert info.value.raw_text == '{"name": "To'
    with pytest.raises(tl.TruncatedOutputError), llm.stream("x", schema=City) as stream:
        list(stream)


def test_errors_from_the_fake_are_typed() -> None:
    llm = _client(FakeProvider([FakeReply.error(400, "bad input")]))
    with pytest.raises(tl.BadRequestError, match="bad input"):
        llm.complete("x")
    keyed = _client(FakeProvider(api_key="right"))
    with pytest.raises(tl.AuthenticationError):
        keyed.complete("x")


def test_tool_calls_are_decoded_end_to_end() -> None:
    body = orjson.loads(_response().body)
    body["output"] = [
        {
            "type": "function_call",
            "id": "fc_1",
            "call_id": "call_abc",
            "name": "get_weather",
            "arguments": '{"city": "Paris"}',
            "status": "completed",
        }
    ]
    fake = FakeProvider([FakeReply.raw(200, body)])
    llm = _client(fake)
    weather = tl.ToolDefinition(
        "get_weather", "Weather", {"properties": {"city": {"type": "string"}}}
    )
    done = llm.completion("Weather?", options=tl.CallOptions(tools=(weather,)))
    assert done.tool_calls == (tl.ToolCall("call_abc", "get_weather", '{"city": "Paris"}'),)
    assert done.finish_reason == "tool_calls"
    assert fake.requests[0].json["tools"][0]["name"] == "get_weather"


def test_reasoning_summary_comes_back_and_previous_response_id_continues() -> None:
    fake = FakeProvider()
    pro = (
        tl.openai()
        .model("gpt-5-pro")
        .reasoning_summary("auto")
        .api_key("k")
        .transport(fake)
        .build()
    )
    first = pro.completion("Plan a trip.")
    assert first.reasoning == "[fake reasoning summary] worked it out."
    assert first.response_id == "resp_fake000000"
    second = pro.completion(
        "And back?", options=tl.CallOptions(previous_response_id=first.response_id)
    )
    sent = fake.requests[1].json
    assert sent["previous_response_id"] == "resp_fake000000"
    assert sent["input"] == [{"role": "user", "content": "And back?"}]
    assert sent["reasoning"] == {"summary": "auto"} and "temperature" not in sent
    assert second.raw["previous_response_id"] == "resp_fake000000"
    with pro.stream("Stream it") as stream:
        list(stream)
        assert stream.completion.reasoning == first.reasoning


def test_streamed_reasoning_parts_match_the_non_streaming_decoder() -> None:
    from typedllm.codecs.openai_responses import new_stream

    items = [
        {
            "type": "reasoning",
            "id": "rs_1",
            "summary": [
                {"type": "summary_text", "text": "First."},
                {"type": "summary_text", "text": "Second."},
            ],
        },
        {
            "type": "reasoning",
            "id": "rs_2",
            "summary": [{"type": "summary_text", "text": "Third."}],
        },
        {
            "type": "message",
            "id": "msg_1",
            "role": "assistant",
            "content": [{"type": "output_text", "text": "Done", "annotations": []}],
        },
    ]
    final = orjson.loads(_response(output=items).body)
    events: list[dict[str, Any]] = [{"type": "response.created", "response": {"id": "resp_1"}}]
    for position, item in enumerate(items):
        for n, part in enumerate(item.get("summary", [])):
            where = {"output_index": position, "summary_index": n, "item_id": item["id"]}
            events.append({"type": "response.reasoning_summary_part.added", **where})
            events.append(
                {"type": "response.reasoning_summary_text.delta", **where, "delta": part["text"]}
            )
        if item["type"] == "message":
            events.append(
                {"type": "response.output_text.delta", "output_index": position, "delta": "Done"}
            )
    events.append({"type": "response.completed", "response": final})
    stream = new_stream("openai")
    for event in events:
        stream.feed(f"event: {event['type']}\ndata: {json.dumps(event)}\n\n".encode())
    streamed = stream.result(None)
    whole = decode("openai", WireResponse(200, {}, orjson.dumps(final)))
    as_text = [p.text for p in whole.parts if isinstance(p, tl.ReasoningPart)]
    assert as_text == ["First.\n\nSecond.", "Third."]
    assert [p.text for p in streamed.parts if isinstance(p, tl.ReasoningPart)] == as_text
    assert streamed.text == whole.text == "Done" and streamed.finish_reason == "stop"
