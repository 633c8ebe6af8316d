"""Azure OpenAI and Vertex AI against the recorded real traffic.

Vertex AI requests against the recorded real traffic (``google_vertex`` in the corpus): a
client built with ``.vertex(project=, location=)`` sends to the recorded host and path (the
recordings use the ``v1beta1`` surface of the google-genai SDK; we use ``v1``, the GA surface
with the same paths), and the recorded answer comes back through the whole client."""

from __future__ import annotations

import re
from typing import Any

import httpx
import orjson
import pytest
from _corpus import case_id, load_cases

import typedllm as tl
from typedllm._catalog import GEMINI_MODELS
from typedllm._wire import WireResponse
from typedllm.codecs import azure_openai, openai_chat

_PATH = re.compile(
    r"/v1beta1/projects/(?P<project>[^/]+)/locations/(?P<location>[^/]+)"
    r"/publishers/google/models/(?P<model>[^/:]+):generateContent"
)

CASES = [
    c
    for c in load_cases(lambda c: c["provider"] == "google_vertex")
    if not c["stream"]
    and c["response"]["status"] == 200
    and (m := _PATH.fullmatch(c["request"]["path"])) is not None
    and m["model"] in GEMINI_MODELS
    and not c["request"].get("body", {}).get("tools")
]


def test_there_are_regional_and_global_recordings() -> None:
    locations = {_PATH.fullmatch(c["request"]["path"])["location"] for c in CASES}  # type: ignore[index]
    assert "global" in locations and len(locations) >= 2


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_vertex_request_goes_where_the_recording_went(case: dict[str, Any]) -> None:
    match = _PATH.fullmatch(case["request"]["path"])
    assert match is not None
    sent: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, content=orjson.dumps(case["response"]["body"]))

    llm = (
        tl.gemini()
        .model(match["model"])  # type: ignore[call-overload]
        .vertex(project=match["project"], location=match["location"])
        .token_provider(lambda: "ya29.recorded")
        .max_retries(0)
        .transport(httpx.MockTransport(handle))
        .build()
    )
    body = case["response"]["body"]
    candidate = (body.get("candidates") or [{}])[0]
    if candidate.get("finishReason") != "STOP":  # Model Armor blocks (prompt or answer)
        with pytest.raises(tl.RefusalError):
            llm.completion("hello")
        completion = None
    else:
        completion = llm.completion("hello")
    request = sent[0]
    assert request.url.host == case["request"]["host"]
    assert request.url.path == case["request"]["path"].replace("/v1beta1/", "/v1/", 1)
    assert request.headers["authorization"] == "Bearer ya29.recorded"
    if completion is not None:
        parts = candidate["content"].get("parts", [])
        texts = [p["text"] for p in parts if "text" in p and not p.get("thought")]
        assert completion.output == "".join(texts)


# -- Azure OpenAI: the azure codec decodes every recorded Chat Completions answer as the OpenAI
# codec does (the content filter is the only difference, and no recording is filtered) --

CHAT = load_cases(
    lambda c: c["api"] == "chat_completions" and c["response"]["status"] < 300 and not c["stream"]
)
CHAT_STREAMS = load_cases(lambda c: c["api"] == "chat_completions" and "sse" in c["response"])


def _wire(case: dict[str, Any]) -> WireResponse:
    r = case["response"]
    headers = {k.lower(): v for k, v in r["headers"].items()}
    return WireResponse(r["status"], headers, orjson.dumps(r["body"]))


def _outcome(decode: Any, provider: str, response: WireResponse) -> Any:
    try:
        return decode(provider, response)
    except tl.TypedLLMError as error:
        return (type(error), str(error))


def test_there_are_recorded_chat_answers_and_streams() -> None:
    assert len(CHAT) >= 30 and len(CHAT_STREAMS) >= 10


@pytest.mark.parametrize("case", CHAT, ids=case_id)
def test_azure_decodes_recorded_chat_answers_like_openai(case: dict[str, Any]) -> None:
    if "body" not in case["response"]:
        pytest.skip("no recorded body")
    response = _wire(case)
    ours = _outcome(azure_openai.decode, "azure_openai", response)
    theirs = _outcome(openai_chat.decode, "azure_openai", response)
    assert ours == theirs


@pytest.mark.parametrize("case", CHAT_STREAMS, ids=case_id)
def test_azure_decodes_recorded_chat_streams_like_openai(case: dict[str, Any]) -> None:
    body = case["response"]["sse"].encode()

    def replay(new_stream: Any) -> Any:
        decoder = new_stream("azure_openai")
        try:
            for start in range(0, len(body), 97):
                decoder.feed(body[start : start + 97])
            decoder.flush()
            return decoder.result(None)
        except tl.TypedLLMError as error:
            return (type(error), str(error))

    assert replay(azure_openai.new_stream) == replay(openai_chat.new_stream)
