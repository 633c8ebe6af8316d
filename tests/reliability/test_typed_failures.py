"""Every failure is a typed ``TypedLLMError`` naming the problem, through the public API:
answers that are not answers, bodies that are not JSON, numbers past Python's limits, bodies
that do not decompress, prompts and schemas of the wrong kind."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

import typedllm as tl

NO_RETRY = tl.RetryPolicy(max_attempts=1)


def _transport(
    body: bytes | str, status: int = 200, headers: dict[str, str] | None = None
) -> httpx.MockTransport:
    content = body.encode() if isinstance(body, str) else body

    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            status, content=content, headers=headers or {"content-type": "application/json"}
        )

    return httpx.MockTransport(handle)


def client(wire: str, body: bytes | str, **kwargs: Any) -> tl.Client:
    transport = _transport(body, **kwargs)
    if wire == "openai":
        return (
            tl.openai()
            .model("gpt-4o-mini")
            .api_key("sk-test")
            .transport(transport)
            .retry_policy(NO_RETRY)
            .build()
        )
    if wire == "anthropic":
        return (
            tl.anthropic()
            .model("claude-sonnet-4-5")
            .api_key("sk-ant-test")
            .transport(transport)
            .retry_policy(NO_RETRY)
            .build()
        )
    return (
        tl.gemini()
        .model("gemini-2.5-flash")
        .api_key("g-test")
        .transport(transport)
        .retry_policy(NO_RETRY)
        .build()
    )


# -- a 200 that is not an answer -----------------------------------------------------------

NOT_ANSWERS = [
    ("openai", "{}", "no `choices`"),
    ("openai", '{"choices": []}', "`choices` is empty"),
    ("openai", '{"choices": {}}', "`choices` is an object, not a list"),
    ("openai", '{"choices": "x"}', "`choices` is a string"),
    ("openai", '{"choices": [1]}', "`choices[0]` is a number"),
    ("openai", '{"choices": [{"message": null, "finish_reason": "stop"}]}', "message` is missing"),
    ("openai", '{"choices": [{"finish_reason": "stop"}]}', "`choices[0].message` is missing"),
    (
        "openai",
        '{"choices": [{"message": {"role": "assistant", "content": 5}}]}',
        "`choices[0].message.content` is a number",
    ),
    (
        "openai",
        '{"choices": [{"message": {"role": "assistant", "content": {"a": 1}}}]}',
        "`choices[0].message.content` is an object",
    ),
    ("openai", "[]", "the body is a list"),
    ("openai", "null", "the body is null"),
    ("gemini", "{}", "no `candidates` and no `promptFeedback.blockReason`"),
    ("gemini", '{"candidates": []}', "no `candidates`"),
    ("gemini", '{"candidates": [{}]}', "has no `content` and no `finishReason`"),
    ("gemini", '{"candidates": [{"content": {}}]}', "has no parts and no `finishReason`"),
    ("gemini", '{"candidates": [{"content": {"parts": 5}}]}', "parts that are a number"),
    ("gemini", '{"candidates": [7]}', "`candidates[0]` is a number"),
    ("gemini", '"text"', "the body is a string"),
    ("anthropic", "{}", "`content` is missing"),
    ("anthropic", '{"type": "message", "content": null}', "`content` is missing"),
    ("anthropic", '{"type": "message", "content": 5}', "`content` is a number"),
    ("anthropic", '{"type": "message", "content": [5]}', "`content[0]` is not a typed block"),
    (
        "anthropic",
        '{"type": "message", "content": [{"type": "text", "text": 5}]}',
        "`content[0].text` is a number",
    ),
]


@pytest.mark.parametrize(("wire", "body", "named"), NOT_ANSWERS)
def test_a_body_that_is_not_an_answer_is_a_protocol_error(wire: str, body: str, named: str) -> None:
    with pytest.raises(tl.ProtocolError) as caught:
        client(wire, body).complete("hi")
    error = caught.value
    assert named in str(error)
    assert error.status_code == 200
    assert error.provider == wire


@pytest.mark.parametrize("wire", ["openai", "anthropic", "gemini"])
def test_not_an_answer_in_a_stream_flow_too(wire: str) -> None:
    # completion() and async share the decoder; the async path raises the same error.
    import asyncio

    with pytest.raises(tl.ProtocolError):
        asyncio.run(client(wire, "{}").acomplete("hi"))


def test_real_empty_answers_stay_answers() -> None:
    # Shapes the services really send: Anthropic's empty content after a tool result, Gemini's
    # candidate cut off before any part, a blocked Gemini prompt (a refusal, not a protocol
    # error), an OpenAI tool call with null content.
    assert client("anthropic", '{"type": "message", "content": [], "stop_reason": "end_turn"}')
    empty = client(
        "anthropic", '{"type": "message", "content": [], "stop_reason": "end_turn"}'
    ).complete("hi")
    assert empty == ""
    with pytest.raises(tl.TruncatedOutputError):
        client(
            "gemini",
            '{"candidates": [{"content": {"role": "model"}, "finishReason": "MAX_TOKENS"}]}',
        ).complete("hi")
    with pytest.raises(tl.RefusalError):
        client("gemini", '{"promptFeedback": {"blockReason": "SAFETY"}}').complete("hi")
    calls = client(
        "openai",
        '{"choices": [{"message": {"role": "assistant", "content": null, "tool_calls": [{"id": '
        '"c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]}, '
        '"finish_reason": "tool_calls"}]}',
    ).completion("hi")
    assert calls.tool_calls[0].name == "f"


# -- a 200 that is not JSON keeps its status -------------------------------------------------


@pytest.mark.parametrize("wire", ["openai", "anthropic", "gemini"])
def test_an_html_page_under_200_keeps_its_status(wire: str) -> None:
    page = "<html><body>Sign in to the hotel wifi</body></html>"
    llm = client(wire, page, headers={"content-type": "text/html; charset=utf-8"})
    with pytest.raises(tl.ProtocolError) as caught:
        llm.complete("hi")
    error = caught.value
    assert not isinstance(error, tl.InternalServerError)
    assert error.status_code == 200
    assert "text/html" in str(error) and "not JSON" in str(error)
    assert error.body is not None and "hotel wifi" in error.body


def test_an_html_page_under_an_error_status_is_that_status() -> None:
    llm = client("openai", "<html>bad gateway</html>", status=502)
    with pytest.raises(tl.InternalServerError) as caught:
        llm.complete("hi")
    assert caught.value.status_code == 502


# -- numbers past Python's limits ------------------------------------------------------------

MILLION = "9" * 1_000_000


def _answer(content: str) -> str:
    import json

    return json.dumps(
        {
            "choices": [
                {"message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
            ]
        }
    )


@pytest.mark.parametrize("mode", ["strict", "json_object", "prompt"])
@pytest.mark.parametrize("schema", [int, Decimal, list[int]])
def test_a_million_digit_number_in_an_answer_is_a_validation_error(mode: str, schema: Any) -> None:
    llm = (
        tl.openai()
        .model("gpt-4o-mini")
        .api_key("sk-test")
        .structured_output(mode)  # type: ignore[arg-type]
        .transport(_transport(_answer('here: {"result": ' + MILLION + "}")))
        .build()
    )
    with pytest.raises(tl.OutputValidationError):
        llm.complete("hi", schema=schema)


@pytest.mark.parametrize("mode", ["json_object", "prompt"])
def test_a_million_digit_number_in_a_stream_is_a_validation_error(mode: str) -> None:
    from typedllm.testing import FakeProvider

    fake = FakeProvider(['{"result": [' + MILLION + "]}"])
    llm = (
        tl.openai()
        .model("gpt-4o-mini")
        .api_key("sk-test")
        .structured_output(mode)  # type: ignore[arg-type]
        .transport(fake)
        .build()
    )
    with pytest.raises(tl.OutputValidationError), llm.stream("hi", schema=list[int]) as stream:
        for _ in stream:
            pass
        stream.final()


def test_a_number_beyond_64_bits_in_the_body_is_read() -> None:
    # orjson refuses integers past 64 bits; the body is still JSON and still an answer.
    import json

    body = json.loads(_answer("ok"))
    body["usage"] = {"prompt_tokens": 10**30, "completion_tokens": 1, "total_tokens": 2}
    done = client("openai", json.dumps(body)).completion("hi")
    assert done.output == "ok"
    assert done.usage.input_tokens == 10**30


def test_a_million_digit_number_in_the_body_is_a_protocol_error() -> None:
    body = _answer("ok")[:-1] + ', "usage": {"prompt_tokens": ' + MILLION + "}}"
    with pytest.raises(tl.ProtocolError) as caught:
        client("openai", body).complete("hi")
    assert "number too long" in str(caught.value)


# -- bodies that do not decompress -------------------------------------------------------------


def test_a_gzip_body_that_does_not_decode_is_a_protocol_error() -> None:
    llm = client(
        "openai",
        b"this is not gzip",
        headers={"content-type": "application/json", "content-encoding": "gzip"},
    )
    with pytest.raises(tl.ProtocolError) as caught:
        llm.complete("hi")
    assert "api.openai.com" in str(caught.value)
    assert "could not be decoded" in str(caught.value)


def test_a_gzip_body_that_decodes_is_read() -> None:
    llm = client(
        "openai",
        gzip.compress(_answer("zipped").encode()),
        headers={"content-type": "application/json", "content-encoding": "gzip"},
    )
    assert llm.complete("hi") == "zipped"


def test_a_bad_gzip_body_is_not_retried() -> None:
    calls: list[int] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, content=b"nope", headers={"content-encoding": "gzip"})

    llm = (
        tl.openai()
        .model("gpt-4o-mini")
        .api_key("sk-test")
        .transport(httpx.MockTransport(handle))
        .retry_policy(tl.RetryPolicy(backoff_base=0))
        .build()
    )
    with pytest.raises(tl.ProtocolError):
        llm.complete("hi")
    assert len(calls) == 1


# -- prompts and schemas of the wrong kind ---------------------------------------------------


class Invoice(BaseModel):
    number: int


def _never_sent() -> tl.Client:
    def handle(request: httpx.Request) -> httpx.Response:
        raise AssertionError("nothing must be sent")

    return (
        tl.openai()
        .model("gpt-4o-mini")
        .api_key("sk-test")
        .transport(httpx.MockTransport(handle))
        .build()
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda llm: llm.complete("hi", schema=Invoice(number=1)),
        lambda llm: llm.complete("hi", schema=5),
        lambda llm: llm.complete("hi", schema={"type": "object"}),
        lambda llm: llm.stream("hi", schema=Invoice(number=1)),
    ],
)
def test_a_schema_instance_says_pass_the_type(call: Callable[[Any], Any]) -> None:
    with pytest.raises(tl.SchemaError, match="pass the type, not an instance"):
        call(_never_sent())


def test_bytes_as_a_prompt_is_a_configuration_error() -> None:
    with pytest.raises(tl.ConfigurationError, match="bytes"):
        _never_sent().complete(b"hi")  # type: ignore[call-overload]


def test_a_lone_surrogate_names_its_message() -> None:
    with pytest.raises(tl.ConfigurationError, match=r"message 1 \(user\).*surrogate"):
        _never_sent().complete([tl.system("be brief"), tl.user("a\ud800b")])
    with pytest.raises(tl.ConfigurationError, match="surrogate"):
        _never_sent().complete("a\udfffb")


# -- streams: a body that holds no event is not an empty answer ----------------------------


def _streamed(llm: tl.Client) -> str:
    with llm.stream("hi") as stream:
        return "".join(stream)


@pytest.mark.parametrize("wire", ["openai", "anthropic", "gemini"])
@pytest.mark.parametrize(
    ("body", "kind"), [("", "text/event-stream"), ("<html>portal</html>", "text/html")]
)
def test_a_stream_without_events_is_a_protocol_error(wire: str, body: str, kind: str) -> None:
    llm = client(wire, body, headers={"content-type": kind})
    with pytest.raises(tl.ProtocolError, match="no stream event") as caught:
        _streamed(llm)
    assert caught.value.status_code == 200
    assert kind in str(caught.value)


def test_a_whole_json_answer_to_a_stream_request_is_handed_out() -> None:
    # Some OpenAI-compatible servers ignore ``stream: true`` and answer one JSON document.
    llm = client("openai", _answer("all at once"))
    with llm.stream("hi") as stream:
        assert list(stream) == ["all at once"]
        assert stream.final() == "all at once"


def test_a_whole_json_answer_to_a_structured_stream_validates() -> None:
    class City(BaseModel):
        name: str

    llm = client("openai", _answer('{"name": "Oslo"}'))
    with llm.stream("hi", schema=City) as stream:
        partials = list(stream)
        assert stream.final() == City(name="Oslo")
    assert partials and partials[-1].data == {"name": "Oslo"}


def test_a_json_error_body_under_200_to_a_stream_request_is_typed() -> None:
    body = '{"error": {"message": "model overloaded", "type": "server_error", "code": 503}}'
    with pytest.raises(tl.InternalServerError, match="model overloaded"):
        _streamed(client("openai", body))


@pytest.mark.parametrize("wire", ["openai", "anthropic", "gemini"])
def test_a_json_body_that_is_not_an_answer_to_a_stream_request(wire: str) -> None:
    with pytest.raises(tl.ProtocolError, match="not a usable answer"):
        _streamed(client(wire, "{}"))


# -- redirects are not answers ---------------------------------------------------------------


@pytest.mark.parametrize("wire", ["openai", "anthropic", "gemini"])
@pytest.mark.parametrize("stream", [False, True])
def test_a_redirect_is_a_status_error_naming_where(wire: str, stream: bool) -> None:
    llm = client(
        wire,
        "<html>moved</html>",
        status=307,
        headers={"content-type": "text/html", "location": "https://user:pw@login.example/sso"},
    )
    with pytest.raises(tl.APIStatusError) as caught:
        if stream:
            _streamed(llm)
        else:
            llm.complete("hi")
    error = caught.value
    assert error.status_code == 307
    assert not isinstance(error, tl.InternalServerError)  # not retried as a server error
    assert "redirected the request to https://user:***@login.example/sso" in str(error)


@pytest.mark.parametrize("as_text", [False, True])
def test_long_integers_stay_exact_in_bodies_events_and_arguments(as_text: bool) -> None:
    from typedllm._jsonutil import loads_exact

    for number in (2**63 - 1, 2**64, 10**25 + 7, -(10**30) - 1):
        text = f'{{"id": {number}, "name": "ünïcode", "n": [1, 2.5]}}'
        value = loads_exact(text if as_text else text.encode())
        assert value == {"id": number, "name": "ünïcode", "n": [1, 2.5]}
        assert type(value["id"]) is int
