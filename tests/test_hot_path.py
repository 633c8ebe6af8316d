"""The shortcuts of the per-call hot path give exactly what the general path gives.

Throughput work (docs/throughput.md) added fast paths: a plain Chat Completions answer decoded
without the general checks, a static credential placed with the host's headers in one pass,
schema arguments and call options checked once. Each must be invisible: same records, same
errors, same headers.
"""

from __future__ import annotations

from typing import Any

import httpx
import orjson
import pydantic
import pytest
from conformance._corpus import load_cases

import typedllm as tl
from typedllm._wire import WireResponse
from typedllm.codecs import openai_chat
from typedllm.testing import FakeProvider


def _general(provider: str, response: WireResponse, monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as m:
        m.setattr(openai_chat, "_decode_plain", lambda *_: None)
        return openai_chat.decode(provider, response)


def _response(body: Any) -> WireResponse:
    return WireResponse(200, {"x-request-id": "req-1"}, orjson.dumps(body))


def _answer(message: dict[str, Any], usage: Any = None, finish: Any = "stop") -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "chatcmpl-1",
        "model": "m",
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
    }
    if usage is not None:
        body["usage"] = usage
    return body


PLAIN = {"prompt_tokens": 3, "completion_tokens": 5, "total_tokens": 8}
VARIANTS = [
    _answer({"role": "assistant", "content": "hi"}, PLAIN),
    _answer({"role": "assistant", "content": "hi", "refusal": None, "annotations": []}, PLAIN),
    _answer({"role": "assistant", "content": "<think>hmm</think>answer"}, PLAIN),
    _answer({"role": "assistant", "content": "x", "reasoning_content": "why"}, PLAIN),
    _answer({"role": "assistant", "content": None, "refusal": "no"}, PLAIN),
    _answer({"role": "assistant", "content": ""}, PLAIN, finish="length"),
    _answer({"role": "assistant", "content": "x"}, None, finish=None),
    _answer({"role": "assistant", "content": "x"}, {**PLAIN, "prompt_cache_hit_tokens": 2}),
    _answer(
        {"role": "assistant", "content": "x"},
        {**PLAIN, "prompt_tokens_details": {"cached_tokens": 1}},
    ),
    _answer(
        {"role": "assistant", "content": "x"},
        {**PLAIN, "completion_tokens_details": {"reasoning_tokens": 4}},
    ),
    _answer({"role": "assistant", "content": "x"}, PLAIN, finish="eos"),
    _answer({"role": "assistant", "content": "x"}, PLAIN, finish=7),
    _answer({"role": "assistant", "content": "x"}, {"prompt_tokens": True, "completion_tokens": 1}),
    _answer(
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
            ],
        },
        PLAIN,
        finish="tool_calls",
    ),
]


@pytest.mark.parametrize("body", VARIANTS, ids=range(len(VARIANTS)))
def test_plain_answers_decode_as_the_general_path_does(
    body: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    response = _response(body)
    assert openai_chat.decode("p", response) == _general("p", response, monkeypatch)


RECORDED = load_cases(
    lambda c: (
        c["api"] == "chat_completions"
        and not c["stream"]
        and c["response"]["status"] == 200
        and isinstance(c["response"].get("body"), dict)
        and "choices" in c["response"]["body"]
    )
)


def test_every_recorded_answer_decodes_as_the_general_path_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert len(RECORDED) >= 80
    shortcut = 0
    for case in RECORDED:
        response = _response(case["response"]["body"])
        body = orjson.loads(response.body)
        shortcut += openai_chat._decode_plain(case["provider"], response, body) is not None  # pyright: ignore[reportPrivateUsage]
        fast = openai_chat.decode(case["provider"], response)
        assert fast == _general(case["provider"], response, monkeypatch), case["id"]
    assert shortcut >= 20  # the shortcut does serve real answers


class Invoice(pydantic.BaseModel):
    number: str


def test_a_schema_instance_is_refused_every_time() -> None:
    llm = tl.openai().model("gpt-4o-mini").api_key("sk-x").transport(FakeProvider()).build()
    assert llm.complete("x", schema=Invoice).number  # the type: checked once, then cached
    for _ in range(2):
        with pytest.raises(tl.SchemaError, match="pass the type, not an instance"):
            llm.complete("x", schema=Invoice(number="1"))  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue,reportArgumentType]


def test_options_are_checked_per_call_even_with_the_same_client() -> None:
    llm = tl.openai().model("o3").api_key("sk-x").transport(FakeProvider()).build()
    assert llm.complete("x").endswith("x")
    with pytest.raises(tl.ConfigurationError, match="sampling"):
        llm.complete("x", options=tl.CallOptions(temperature=0.5))
    with pytest.raises(tl.ConfigurationError, match="sampling"):
        llm.complete("x", options=tl.CallOptions(temperature=0.5))
    assert llm.complete("y").endswith("y")


def test_a_static_credential_wins_over_the_call_headers_as_before() -> None:
    sent: list[httpx.Headers] = []
    fake = FakeProvider()

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers)
        return fake.handle_request(request)

    transport = httpx.MockTransport(handler)
    llm = tl.openai().model("gpt-4o-mini").api_key("sk-real").transport(transport).build()
    llm.complete("x")
    llm.complete("x", options=tl.CallOptions(extra_headers={"Authorization": "Bearer other"}))
    llm.complete("x", options=tl.CallOptions(extra_headers={"X-Trace": "t1"}))
    assert [h["authorization"] for h in sent] == ["Bearer sk-real"] * 3
    assert sent[2]["x-trace"] == "t1"
    assert llm.request_for("x").headers["authorization"] == "Bearer sk-real"
