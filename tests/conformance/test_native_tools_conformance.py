"""Provider-native tools against recorded real traffic (``shared/conformance``).

Every recording whose request switches a native tool on (Responses ``web_search``, Anthropic
``web_fetch_20250910``, Gemini ``googleSearch``) and every recorded answer with server-tool
blocks (Anthropic ``server_tool_use`` in a stream, Gemini ``toolCall``/``toolResponse`` with
``groundingMetadata``): our request's tools equal the recorded accepted ones, the answers
decode into the typed results, and a conversation continues with the provider's blocks sent
back unchanged.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest
from _corpus import case_id, load_cases

import typedllm as tl
from typedllm._wire import WireResponse
from typedllm.codecs import ChatRequest, DecodedCompletion
from typedllm.codecs import anthropic as anthropic_codec
from typedllm.codecs import gemini as gemini_codec
from typedllm.codecs import openai_responses as responses_codec

NATIVE_REQUEST_TOOLS = ("web_search", "web_fetch_", "googleSearch", "google_search", "code_")


def _native_request(case: dict[str, Any]) -> bool:
    tools = (case["request"].get("body") or {}).get("tools") or []
    text = json.dumps(tools)
    return case["api"] in (
        "responses",
        "anthropic_messages",
        "gemini_generate_content",
    ) and any(k in text for k in NATIVE_REQUEST_TOOLS)


REQUESTS = load_cases(_native_request)


def _by_id(suffix: str) -> dict[str, Any]:
    found = load_cases(lambda c: str(c["id"]).endswith(suffix))
    assert len(found) == 1, suffix
    return found[0]


def _response(case: dict[str, Any]) -> WireResponse:
    response = case["response"]
    return WireResponse(
        response["status"], dict(response["headers"]), json.dumps(response["body"]).encode()
    )


def _replay(codec: Any, provider: str, sse: str, chunk: int) -> DecodedCompletion:
    data = sse.encode()
    decoder = codec.new_stream(provider)
    for i in range(0, len(data), chunk):
        decoder.feed(data[i : i + chunk])
    decoder.flush()
    result: DecodedCompletion = decoder.result(None)
    return result


def _completion(message: tl.Message) -> tl.Completion[str]:
    """The record a call returns for this answer message."""
    return tl.Completion(
        message.content, message.content, tl.Usage(), "stop", None, None, message=message
    )


def _tools_of(case: dict[str, Any]) -> tuple[tl.NativeTool, ...]:
    """The typed tools a user writes for the recorded request's native tools."""
    out: list[tl.NativeTool] = []
    for raw in case["request"]["body"]["tools"]:
        if raw.get("type") == "web_search":
            out.append(
                tl.WebSearch(
                    context_size=raw.get("search_context_size"),
                    external_web_access=raw.get("external_web_access"),
                )
            )
        elif str(raw.get("type", "")).startswith("web_fetch_"):
            out.append(tl.WebFetch(citations=raw.get("citations", {}).get("enabled")))
        elif "googleSearch" in raw or "google_search" in raw:
            out.append(tl.GoogleSearch())
    return tuple(out)


def _client(case: dict[str, Any]) -> tl.Client:
    api = case["api"]
    if api == "anthropic_messages":
        return tl.anthropic().model("claude-sonnet-4-5").api_key("k").build()
    if api == "gemini_generate_content":
        return tl.gemini().model("gemini-2.5-flash").api_key("k").build()
    return tl.openai().model("gpt-4.1").api("responses").api_key("k").build()


def test_the_corpus_has_native_tool_requests() -> None:
    """The recordings this file relies on are there (it must never pass by testing nothing)."""
    apis = sorted({c["api"] for c in REQUESTS})
    assert apis == ["anthropic_messages", "gemini_generate_content", "responses"], apis
    assert len(REQUESTS) >= 5


@pytest.mark.parametrize("case", REQUESTS, ids=case_id)
def test_encoded_native_tools_equal_the_recorded_request(case: dict[str, Any]) -> None:
    """Through the real path (gates, options, codec): our ``tools`` entries are the recorded
    accepted ones, key for key."""
    tools = _tools_of(case)
    assert tools, "every recorded native tool is modelled"
    wire = _client(case).request_for(
        [tl.user("What is the capital of France?")], options=tl.CallOptions(native_tools=tools)
    )
    body = orjson.loads(wire.body)
    recorded = [
        t
        for t in case["request"]["body"]["tools"]
        if t.get("type") != "function" and "functionDeclarations" not in t
    ]
    ours = body["tools"]
    if case["api"] == "gemini_generate_content":
        recorded = [
            {"googleSearch": t.get("googleSearch", t.get("google_search"))} for t in recorded
        ]
    assert ours == recorded
    if case["api"] == "anthropic_messages":
        # The documented beta for the tool version (the recording's client sent it as an
        # option, so the recorded headers do not show it).
        assert wire.headers.get("anthropic-beta") == "web-fetch-2025-09-10"


def test_responses_web_search_answer_decodes_to_a_search_and_citations() -> None:
    case = _by_id("test_openai_include_raw_annotations_non_streaming__i1")
    decoded = responses_codec.decode("openai", _response(case))
    (search,) = _completion(tl.Message._trusted("assistant", decoded.parts)).native_results
    assert isinstance(search, tl.WebSearchResult)
    assert search.id == "ws_03313d5bfbdedc9200696c4600a030819c979fe1edae4c5f2e"
    assert search.queries == ("tallest mountain in Alberta",)
    (text,) = [p for p in decoded.parts if isinstance(p, tl.TextPart)]
    (citation,) = text.citations
    assert (citation.start, citation.end) == (77, 162)
    assert citation.url is not None and citation.url.startswith("https://www.britannica.com/")
    assert citation.title == "Mount Columbia | mountain, Alberta, Canada | Britannica"
    assert text.text[citation.start : citation.end].startswith("([britannica.com]")


def test_responses_search_without_external_access_decodes() -> None:
    case = _by_id("test_openai_responses_model_web_search_tool_without_external_access__i0")
    decoded = responses_codec.decode("openai", _response(case))
    message = tl.Message._trusted("assistant", decoded.parts)
    results = _completion(message).native_results
    assert [type(r) for r in results] == [tl.WebSearchResult]
    assert results[0].queries == ("Eiffel Tower opened to the public year official",)
    assert decoded.text == message.content and message.content.startswith("1889")


def test_anthropic_web_fetch_answer_decodes_and_continues_unchanged() -> None:
    case = _by_id("anthropic-web-fetch__i0")
    decoded = anthropic_codec.decode("anthropic", _response(case))
    message = tl.Message._trusted("assistant", decoded.parts)
    (fetched,) = _completion(message).native_results
    assert isinstance(fetched, tl.WebFetchResult)
    assert fetched.id == "srvtoolu_01XeCcUgVTwi8yFDpjPKPUe5" and fetched.name == "web_fetch"
    assert fetched.url == "https://rvest.tidyverse.org/articles/starwars.html"
    assert fetched.title == "Star Wars films (static HTML)"
    assert fetched.retrieved_at == "2026-08-02T17:44:16.540847"
    assert fetched.content is not None and "The Phantom Menace" in fetched.content
    # The next turn sends both server blocks back exactly as received, then the text.
    client = _client(case)
    history = (tl.user("What's the first movie listed?"), message, tl.user("And the second?"))
    request = ChatRequest(history, None, client.config.defaults)
    body = anthropic_codec.encode_body(client.config, request)
    sent = body["messages"][1]["content"]
    recorded = case["response"]["body"]["content"]
    assert sent[:2] == recorded[:2]
    assert sent[2] == {"type": "text", "text": recorded[2]["text"]}


def test_anthropic_streamed_server_tool_is_assembled_at_any_chunking() -> None:
    """Tool search (a server tool typedllm does not model) in a real stream: its streamed
    input is assembled and it comes back as the generic record, whatever the chunking."""
    case = _by_id("test_anthropic_native_tool_search_streaming__i0")
    whole = _replay(anthropic_codec, "anthropic", case["response"]["sse"], 10**9)
    for chunk in (1, 7, 64):
        assert _replay(anthropic_codec, "anthropic", case["response"]["sse"], chunk) == whole
    message = tl.Message._trusted("assistant", whole.parts)
    (result,) = _completion(message).native_results
    assert type(result) is tl.NativeToolResult
    assert result.name == "tool_search_tool_bm25" and result.error is None
    use = next(p for p in whole.parts if isinstance(p, tl.OpaquePart))
    assert use.data["input"] == {"query": "USD EUR exchange rate currency conversion"}
    assert [c.name for c in whole.tool_calls] == ["get_exchange_rate"]


def test_gemini_streamed_google_search_decodes_calls_grounding_and_citations() -> None:
    case = _by_id("test_native_output_with_builtin_tools_stream__i0")
    sse = case["response"]["sse"]
    whole = _replay(gemini_codec, "gemini", sse, 10**9)
    assert _replay(gemini_codec, "gemini", sse, 97) == whole
    message = tl.Message._trusted("assistant", whole.parts)
    (search,) = _completion(message).native_results
    assert isinstance(search, tl.WebSearchResult)
    assert search.id == "d6vd9r5q" and search.name == "GOOGLE_SEARCH_WEB"
    assert search.queries == ("largest city in Mexico",)
    assert [s.title for s in search.sources] == ["sa.gov", "vynmsa.com", "worldatlas.com", None]
    assert search.rendered_content is not None and search.rendered_content.startswith("<style>")
    citations = [c for p in whole.parts if isinstance(p, tl.TextPart) for c in p.citations]
    assert len(citations) == 4 and {c.source for c in citations} == {"grounding"}
    assert json.loads(message.content) == {"city": "Mexico City", "country": "Mexico"}
    # Continuing: the server-side call and response go back with their signatures; the
    # candidate metadata does not (it is not content).
    client = _client(case)
    history = (tl.user("What is the largest city in Mexico?"), message, tl.user("And Canada?"))
    body = gemini_codec.encode_body(client.config, ChatRequest(history, None))
    sent = body["contents"][1]["parts"]
    kinds = [next(k for k in p if k != "thoughtSignature") for p in sent]
    assert kinds[:2] == ["toolCall", "toolResponse"] and "groundingMetadata" not in kinds
    assert all("thoughtSignature" in p for p in sent[:2])


def test_gemini_empty_grounding_metadata_is_no_result() -> None:
    case = _by_id("test_google_vertexai_count_tokens_forwards_native_tools__i1")
    decoded = gemini_codec.decode("gemini", _response(case))
    message = tl.Message._trusted("assistant", decoded.parts)
    assert _completion(message).native_results == ()
    assert message.content == "The capital of France is Paris."


def test_gemini_function_tools_and_google_search_combined_like_the_recording() -> None:
    """A function tool next to Google Search (recorded on Vertex AI): one
    ``functionDeclarations`` entry and one ``googleSearch`` entry, ``toolConfig`` from the
    tool choice; the order of ``tools`` entries carries no meaning."""
    case = _by_id(
        "test_google_vertex_tool_combination_omits_include_server_side_tool_invocations__i0"
    )
    recorded = case["request"]["body"]
    (declared,) = next(t for t in recorded["tools"] if "functionDeclarations" in t)[
        "functionDeclarations"
    ]
    tool = tl.ToolDefinition(
        declared["name"], declared["description"], declared["parametersJsonSchema"]
    )
    options = tl.CallOptions(tools=(tool,), tool_choice="auto", native_tools=(tl.WebSearch(),))
    wire = _client(case).request_for([tl.user("Where do I live?")], options=options)
    body = orjson.loads(wire.body)
    key = lambda entry: json.dumps(entry, sort_keys=True)  # noqa: E731
    assert sorted(map(key, body["tools"])) == sorted(map(key, recorded["tools"]))
    assert body["toolConfig"] == recorded["toolConfig"]
    decoded = gemini_codec.decode("gemini", _response(case))
    assert [c.name for c in decoded.tool_calls] == ["get_user_city"]
    assert _completion(tl.Message._trusted("assistant", decoded.parts)).native_results == ()
