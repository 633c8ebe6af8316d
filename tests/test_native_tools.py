"""Provider-native tools: typed options, request shapes per wire (against the providers'
documentation), gates, typed results from documented answer shapes, streaming, continuing a
conversation, and the fake provider.

Documentation the shapes follow (read 2026-12-02):
* https://platform.openai.com/docs/guides/tools-web-search, .../tools-file-search,
  .../tools-code-interpreter (Responses ``tools`` entries and ``include`` values);
* https://platform.openai.com/docs/guides/tools-web-search?api-mode=chat (``web_search_options``);
* https://platform.claude.com/docs/en/agents-and-tools/tool-use/web-search-tool,
  .../web-fetch-tool, .../code-execution-tool (tool versions, betas, result blocks);
* https://ai.google.dev/gemini-api/docs/google-search, .../code-execution, .../url-context.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from typing import Any

import orjson
import pytest
from typing_extensions import TypedDict

import typedllm as tl
from typedllm._wire import WireResponse
from typedllm.codecs import ChatRequest
from typedllm.codecs import anthropic as anthropic_codec
from typedllm.codecs import gemini as gemini_codec
from typedllm.codecs import openai_responses as responses_codec
from typedllm.testing import FakeProvider, FakeReply


class Answer(TypedDict):
    """A structured answer."""

    city: str


PROMPT = "Summarize https://example.org/news for me"


def _responses(fake: Any = None, *tools: tl.NativeTool) -> Any:
    builder = tl.openai().model("gpt-4.1").api("responses").api_key("sk-test")
    builder = builder.transport(fake) if fake is not None else builder
    return (builder.native_tools(*tools) if tools else builder).build()


def _anthropic(fake: Any = None, *tools: tl.NativeTool) -> Any:
    builder = tl.anthropic().model("claude-sonnet-4-5").api_key("k")
    builder = builder.transport(fake) if fake is not None else builder
    return (builder.native_tools(*tools) if tools else builder).build()


def _gemini(fake: Any = None, *tools: tl.NativeTool) -> Any:
    builder = tl.gemini().model("gemini-2.5-flash").api_key("k")
    builder = builder.transport(fake) if fake is not None else builder
    return (builder.native_tools(*tools) if tools else builder).build()


def _body(client: Any, *tools: tl.NativeTool, **options: Any) -> dict[str, Any]:
    wire = client.request_for(
        [tl.user(PROMPT)], options=tl.CallOptions(native_tools=tools, **options)
    )
    body: dict[str, Any] = orjson.loads(wire.body)
    return body


def _no_ids(results: tuple[tl.NativeToolResult, ...]) -> list[tl.NativeToolResult]:
    return [dataclasses.replace(r, id=None) for r in results]


# -- typed options ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: tl.WebSearch(allowed_domains=("a.com",), blocked_domains=("b.com",)), "not both"),
        (lambda: tl.WebSearch(max_uses=0), "positive int"),
        (lambda: tl.WebSearch(context_size="huge"), "context_size"),  # type: ignore[arg-type]
        (lambda: tl.WebSearch(allowed_domains="a.com"), "sequence"),  # type: ignore[arg-type]
        (lambda: tl.WebSearch(user_location="Paris"), "UserLocation"),  # type: ignore[arg-type]
        (lambda: tl.UserLocation(country=""), "non-empty"),
        (lambda: tl.WebFetch(max_content_tokens=-1), "positive int"),
        (lambda: tl.FileSearch(), "at least one vector store"),
        (lambda: tl.FileSearch(vector_store_ids=("vs",), max_num_results=51), "at most 50"),
        (lambda: tl.CodeExecution(container="cntr_1", file_ids=("f",)), "new container"),
        (lambda: tl.GoogleSearch(time_range=("2025-01-01T00:00:00Z",)), "start, end"),  # type: ignore[arg-type]
        (lambda: tl.CallOptions(native_tools=(tl.WebSearch(), tl.WebSearch())), "once"),
        (lambda: tl.CallOptions(native_tools=tl.WebSearch()), "sequence"),  # type: ignore[arg-type]
        (lambda: tl.CallOptions(native_tools=("web_search",)), "tl.WebSearch()"),  # type: ignore[arg-type]
        (lambda: tl.CallOptions(native_tools=(tl.NativeTool(),)), "tl.WebSearch()"),
    ],
)
def test_bad_native_tool_options_are_configuration_errors(make: Any, message: str) -> None:
    with pytest.raises(tl.ConfigurationError, match=message):
        make()


def test_native_tools_are_frozen_hashable_values_and_sequences_become_tuples() -> None:
    search = tl.WebSearch(allowed_domains=["a.com"])  # type: ignore[arg-type]
    assert search.allowed_domains == ("a.com",)
    assert {search, tl.WebSearch(allowed_domains=("a.com",))} == {search}
    with pytest.raises(dataclasses.FrozenInstanceError):
        search.max_uses = 3  # type: ignore[misc]
    options = tl.CallOptions(native_tools=[tl.WebSearch(), tl.CodeExecution()])  # type: ignore[arg-type]
    assert options.native_tools == (tl.WebSearch(), tl.CodeExecution())
    assert "native_tools=" in repr(options)


# -- request shapes ---------------------------------------------------------------------------


def test_responses_tool_entries_and_includes() -> None:
    location = tl.UserLocation(city="Paris", country="FR", timezone="Europe/Paris")
    body = _body(
        _responses(),
        tl.WebSearch(context_size="low", user_location=location, allowed_domains=("lemonde.fr",)),
        tl.FileSearch(vector_store_ids=("vs_1", "vs_2"), max_num_results=5),
        tl.CodeExecution(file_ids=("file-1",), memory_limit="4g"),
    )
    assert body["tools"] == [
        {
            "type": "web_search",
            "search_context_size": "low",
            "user_location": {
                "type": "approximate",
                "city": "Paris",
                "country": "FR",
                "timezone": "Europe/Paris",
            },
            "filters": {"allowed_domains": ["lemonde.fr"]},
        },
        {"type": "file_search", "vector_store_ids": ["vs_1", "vs_2"], "max_num_results": 5},
        {
            "type": "code_interpreter",
            "container": {"type": "auto", "file_ids": ["file-1"], "memory_limit": "4g"},
        },
    ]
    assert body["include"] == [
        "web_search_call.action.sources",
        "file_search_call.results",
        "code_interpreter_call.outputs",
    ]
    reuse = _body(_responses(), tl.CodeExecution(container="cntr_abc"))
    assert reuse["tools"] == [{"type": "code_interpreter", "container": "cntr_abc"}]


def test_responses_native_tools_follow_function_tools_and_take_tool_choice() -> None:
    weather = tl.ToolDefinition("weather", "Weather in a city", {"type": "object"})
    body = _body(_responses(), tl.WebSearch(), tools=(weather,), tool_choice="required")
    assert [t["type"] for t in body["tools"]] == ["function", "web_search"]
    assert body["tool_choice"] == "required"
    # "required" with only native tools is a valid request too (the model must search).
    only = _body(_responses(), tl.WebSearch(), tool_choice="required")
    assert only["tool_choice"] == "required" and only["tools"] == [{"type": "web_search"}]


def test_anthropic_server_tool_entries_and_betas() -> None:
    client = tl.anthropic().model("claude-sonnet-4-5").api_key("k").beta("files-api-2025-04-14")
    wire = client.build().request_for(
        [tl.user(PROMPT)],
        options=tl.CallOptions(
            native_tools=(
                tl.WebSearch(
                    max_uses=3,
                    blocked_domains=("spam.example",),
                    user_location=tl.UserLocation(city="Austin", region="Texas", country="US"),
                ),
                tl.WebFetch(max_uses=2, allowed_domains=("example.org",), citations=True),
                tl.CodeExecution(),
            )
        ),
    )
    body = orjson.loads(wire.body)
    assert body["tools"] == [
        {
            "type": "web_search_20250305",
            "name": "web_search",
            "max_uses": 3,
            "blocked_domains": ["spam.example"],
            "user_location": {
                "type": "approximate",
                "city": "Austin",
                "region": "Texas",
                "country": "US",
            },
        },
        {
            "type": "web_fetch_20250910",
            "name": "web_fetch",
            "max_uses": 2,
            "allowed_domains": ["example.org"],
            "citations": {"enabled": True},
        },
        {"type": "code_execution_20250825", "name": "code_execution"},
    ]
    assert wire.headers["anthropic-beta"] == (
        "files-api-2025-04-14,web-fetch-2025-09-10,code-execution-2025-08-25"
    )
    # Web search is generally available: no beta header.
    plain = _anthropic().request_for(
        [tl.user("hi")], options=tl.CallOptions(native_tools=(tl.WebSearch(),))
    )
    assert "anthropic-beta" not in plain.headers


def test_anthropic_tool_route_with_server_tools_is_not_forced() -> None:
    """A forced answer tool would keep the model from searching first: tool_choice is auto
    and the instruction asks for the answer tool (the same route as with thinking)."""
    client = tl.anthropic().model("claude-3-5-haiku-latest").api_key("k").build()
    wire = client.request_for(
        [tl.user("Where?")], schema=Answer, options=tl.CallOptions(native_tools=(tl.WebSearch(),))
    )
    body = orjson.loads(wire.body)
    assert body["tool_choice"] == {"type": "auto"}
    assert [t["name"] for t in body["tools"]] == ["web_search", "Answer"]
    assert "calling the Answer tool" in json.dumps(body["system"])


def test_anthropic_on_bedrock_sends_the_betas_in_the_body() -> None:
    config = _anthropic().config
    wire = dataclasses.replace(
        config.wire_options, platform="bedrock", version="bedrock-2023-05-31"
    )
    request = ChatRequest(
        (tl.user("hi"),), None, tl.CallOptions(native_tools=(tl.CodeExecution(),))
    )
    body = anthropic_codec.encode_body(dataclasses.replace(config, wire_options=wire), request)
    assert body["anthropic_beta"] == ["code-execution-2025-08-25"]
    assert body["tools"] == [{"type": "code_execution_20250825", "name": "code_execution"}]


def test_gemini_builtin_tool_entries() -> None:
    body = _body(
        _gemini(),
        tl.GoogleSearch(time_range=("2025-01-01T00:00:00Z", "2025-06-30T00:00:00Z")),
        tl.CodeExecution(),
        tl.UrlContext(),
    )
    assert body["tools"] == [
        {
            "googleSearch": {
                "timeRangeFilter": {
                    "startTime": "2025-01-01T00:00:00Z",
                    "endTime": "2025-06-30T00:00:00Z",
                }
            }
        },
        {"codeExecution": {}},
        {"urlContext": {}},
    ]
    assert "toolConfig" not in body
    assert _body(_gemini(), tl.WebSearch())["tools"] == [{"googleSearch": {}}]


def test_chat_completions_web_search_options_on_search_preview_models() -> None:
    llm = tl.openai().model("gpt-4o-search-preview", like="gpt-4o").api_key("k").build()
    body = _body(
        llm,
        tl.WebSearch(context_size="high", user_location=tl.UserLocation(country="GB")),
    )
    assert body["web_search_options"] == {
        "search_context_size": "high",
        "user_location": {"type": "approximate", "approximate": {"country": "GB"}},
    }
    assert "tools" not in body


# -- gates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("client", "tool", "message"),
    [
        (_anthropic, tl.FileSearch(vector_store_ids=("vs",)), "Responses"),
        (_anthropic, tl.UrlContext(), "Gemini"),
        (_anthropic, tl.WebSearch(context_size="low"), "context_size"),
        (_anthropic, tl.CodeExecution(container="cntr_1"), "container"),
        (_responses, tl.WebFetch(), "Anthropic"),
        (_responses, tl.GoogleSearch(), "Gemini"),
        (_responses, tl.WebSearch(max_uses=1), "max_uses"),
        (_responses, tl.WebSearch(blocked_domains=("x.com",)), "blocked_domains"),
        (_gemini, tl.WebFetch(), "UrlContext"),
        (_gemini, tl.FileSearch(vector_store_ids=("vs",)), "Responses"),
        (_gemini, tl.WebSearch(allowed_domains=("a.com",)), "allowed_domains"),
    ],
)
def test_a_tool_or_option_the_wire_lacks_is_refused_before_sending(
    client: Any, tool: tl.NativeTool, message: str
) -> None:
    fake = FakeProvider()
    llm = client(fake)
    with pytest.raises(tl.ConfigurationError, match=message):
        llm.complete("hi", options=tl.CallOptions(native_tools=(tool,)))
    assert fake.calls == 0


def test_wires_without_native_tools_and_models_without_them_are_refused() -> None:
    search = tl.CallOptions(native_tools=(tl.WebSearch(),))
    ollama = tl.ollama().model("llama3.2").build()
    with pytest.raises(tl.ConfigurationError, match="ollama-chat wire has no provider-native"):
        ollama.request_for("hi", options=search)
    chat = tl.openai().model("gpt-4.1").api_key("k").build()
    with pytest.raises(tl.ConfigurationError, match=r"api\('responses'\)"):
        chat.request_for("hi", options=search)
    with pytest.raises(tl.ConfigurationError, match="no CodeExecution"):
        tl.openai().model("gpt-4o-search-preview", like="gpt-4o").api_key("k").build().request_for(
            "hi", options=tl.CallOptions(native_tools=(tl.CodeExecution(),))
        )
    groq = tl.groq().model("compound-beta").api_key("k").build()
    with pytest.raises(tl.ConfigurationError, match="groq takes no typedllm native tools"):
        groq.request_for("hi", options=search)
    old = tl.gemini().model("gemini-1.5-flash").api_key("k").build()
    with pytest.raises(tl.ConfigurationError, match=r"no WebSearch tool .* code_execution"):
        old.request_for("hi", options=search)
    code = orjson.loads(
        old.request_for("hi", options=tl.CallOptions(native_tools=(tl.CodeExecution(),))).body
    )
    assert code["tools"] == [{"codeExecution": {}}]  # Gemini 1.5 has code execution
    with pytest.raises(tl.ConfigurationError, match=r"one of tl\.WebSearch"):
        _gemini().request_for(
            "hi", options=tl.CallOptions(native_tools=(tl.WebSearch(), tl.GoogleSearch()))
        )


def test_call_options_replace_the_builders_native_tools() -> None:
    llm = _responses(None, tl.WebSearch())
    assert "tools" not in _body(llm)  # an empty tuple switches them off
    wire = llm.request_for("hi")
    assert orjson.loads(wire.body)["tools"] == [{"type": "web_search"}]
    other = llm.request_for("hi", options=tl.CallOptions(native_tools=(tl.CodeExecution(),)))
    assert [t["type"] for t in orjson.loads(other.body)["tools"]] == ["code_interpreter"]
    with pytest.raises(tl.ConfigurationError, match="once"):
        tl.openai().native_tools(tl.WebSearch(), tl.WebSearch())


# -- decoding documented answers --------------------------------------------------------------


def _decoded(codec: Any, provider: str, body: dict[str, Any]) -> tuple[tl.NativeToolResult, ...]:
    response = WireResponse(200, {"content-type": "application/json"}, json.dumps(body).encode())
    decoded = codec.decode(provider, response)
    message = tl.Message._trusted("assistant", decoded.parts)
    completion = tl.Completion(message.content, None, tl.Usage(), None, None, None, message=message)
    return completion.native_results


def _anthropic_body(content: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5",
        "content": content,
        "stop_reason": "end_turn",
        "usage": {"input_tokens": 1, "output_tokens": 1},
    }


def test_anthropic_search_results_errors_and_code_execution() -> None:
    results = _decoded(
        anthropic_codec,
        "anthropic",
        _anthropic_body(
            [
                {
                    "type": "server_tool_use",
                    "id": "srvtoolu_1",
                    "name": "web_search",
                    "input": {"query": "claude shannon birth date"},
                },
                {
                    "type": "web_search_tool_result",
                    "tool_use_id": "srvtoolu_1",
                    "content": [
                        {
                            "type": "web_search_result",
                            "url": "https://en.wikipedia.org/wiki/Claude_Shannon",
                            "title": "Claude Shannon - Wikipedia",
                            "encrypted_content": "encrypted-1",
                            "page_age": "April 30, 2025",
                        }
                    ],
                },
                {"type": "server_tool_use", "id": "srvtoolu_2", "name": "web_search", "input": {}},
                {
                    "type": "web_search_tool_result",
                    "tool_use_id": "srvtoolu_2",
                    "content": {
                        "type": "web_search_tool_result_error",
                        "error_code": "max_uses_exceeded",
                    },
                },
                {
                    "type": "server_tool_use",
                    "id": "srvtoolu_3",
                    "name": "code_execution",
                    "input": {"code": "print(1/0)"},
                },
                {
                    "type": "code_execution_tool_result",
                    "tool_use_id": "srvtoolu_3",
                    "content": {
                        "type": "code_execution_result",
                        "stdout": "",
                        "stderr": "ZeroDivisionError: division by zero",
                        "return_code": 1,
                    },
                },
                {
                    "type": "text",
                    "text": "Claude Shannon was born on April 30, 1916.",
                    "citations": [
                        {
                            "type": "web_search_result_location",
                            "url": "https://en.wikipedia.org/wiki/Claude_Shannon",
                            "title": "Claude Shannon - Wikipedia",
                            "encrypted_index": "index-1",
                            "cited_text": "Shannon (born April 30, 1916)",
                        }
                    ],
                },
            ]
        ),
    )
    found, failed, ran = results
    assert isinstance(found, tl.WebSearchResult)
    assert found.queries == ("claude shannon birth date",) and found.id == "srvtoolu_1"
    assert found.sources == (
        tl.SearchSource(
            "https://en.wikipedia.org/wiki/Claude_Shannon",
            "Claude Shannon - Wikipedia",
            "April 30, 2025",
        ),
    )
    assert isinstance(failed, tl.WebSearchResult) and failed.error == "max_uses_exceeded"
    assert failed.sources == ()
    assert isinstance(ran, tl.CodeExecutionResult)
    assert (ran.code, ran.language, ran.return_code) == ("print(1/0)", "python", 1)
    assert ran.stderr.startswith("ZeroDivisionError") and ran.stdout == ""


def test_responses_file_search_and_code_interpreter_items() -> None:
    body = {
        "id": "resp_1",
        "object": "response",
        "status": "completed",
        "model": "gpt-4.1",
        "output": [
            {
                "id": "fs_1",
                "type": "file_search_call",
                "status": "completed",
                "queries": ["deep research"],
                "results": [
                    {"file_id": "file-1", "filename": "notes.pdf", "score": 0.7, "text": "..."}
                ],
            },
            {
                "id": "ci_1",
                "type": "code_interpreter_call",
                "status": "completed",
                "code": "print(2 + 2)",
                "container_id": "cntr_1",
                "outputs": [
                    {"type": "logs", "logs": "4\n"},
                    {"type": "image", "url": "https://files.example/plot.png"},
                ],
            },
            {
                "id": "ws_1",
                "type": "web_search_call",
                "status": "completed",
                "action": {"type": "open_page", "url": "https://example.org/a"},
            },
            {
                "id": "msg_1",
                "type": "message",
                "role": "assistant",
                "content": [{"type": "output_text", "text": "Four.", "annotations": []}],
            },
        ],
        "usage": {"input_tokens": 1, "output_tokens": 1},
    }
    searched, ran, opened = _decoded(responses_codec, "openai", body)
    assert isinstance(searched, tl.FileSearchResult)
    assert searched.queries == ("deep research",)
    assert searched.hits == (tl.FileSearchHit("file-1", "notes.pdf", 0.7, "..."),)
    assert isinstance(ran, tl.CodeExecutionResult)
    assert (ran.code, ran.stdout, ran.files) == (
        "print(2 + 2)",
        "4\n",
        ("https://files.example/plot.png",),
    )
    assert isinstance(opened, tl.WebSearchResult)
    assert opened.sources == (tl.SearchSource("https://example.org/a"),)


def test_gemini_code_execution_and_url_context() -> None:
    body = {
        "candidates": [
            {
                "content": {
                    "role": "model",
                    "parts": [
                        {"text": "Let me compute it."},
                        {"executableCode": {"language": "PYTHON", "code": "print(sum(range(5)))"}},
                        {"codeExecutionResult": {"outcome": "OUTCOME_OK", "output": "10\n"}},
                        {"executableCode": {"language": "PYTHON", "code": "1/0"}},
                        {
                            "codeExecutionResult": {
                                "outcome": "OUTCOME_FAILED",
                                "output": "ZeroDivisionError",
                            }
                        },
                        {"text": "The sum is 10."},
                    ],
                },
                "finishReason": "STOP",
                "urlContextMetadata": {
                    "urlMetadata": [
                        {
                            "retrievedUrl": "https://example.org/a",
                            "urlRetrievalStatus": "URL_RETRIEVAL_STATUS_SUCCESS",
                        },
                        {
                            "retrievedUrl": "https://example.org/b",
                            "urlRetrievalStatus": "URL_RETRIEVAL_STATUS_ERROR",
                        },
                    ]
                },
            }
        ],
        "usageMetadata": {"promptTokenCount": 1, "candidatesTokenCount": 1},
    }
    ok, failed, urls = _decoded(gemini_codec, "gemini", body)
    assert isinstance(ok, tl.CodeExecutionResult)
    assert (ok.code, ok.language, ok.stdout, ok.outcome, ok.error) == (
        "print(sum(range(5)))",
        "python",
        "10\n",
        "OUTCOME_OK",
        None,
    )
    assert isinstance(failed, tl.CodeExecutionResult)
    assert failed.error == "OUTCOME_FAILED" and failed.stderr == "ZeroDivisionError"
    assert isinstance(urls, tl.UrlContextResult)
    assert urls.urls == (
        tl.UrlRetrieval("https://example.org/a", "URL_RETRIEVAL_STATUS_SUCCESS"),
        tl.UrlRetrieval("https://example.org/b", "URL_RETRIEVAL_STATUS_ERROR"),
    )


# -- the fake, streaming, continuing ----------------------------------------------------------

WIRES = {
    "responses": (
        _responses,
        (tl.WebSearch(), tl.FileSearch(vector_store_ids=("vs_1",)), tl.CodeExecution()),
        (tl.WebSearchResult, tl.FileSearchResult, tl.CodeExecutionResult),
    ),
    "anthropic": (
        _anthropic,
        (tl.WebSearch(), tl.WebFetch(), tl.CodeExecution()),
        (tl.WebSearchResult, tl.WebFetchResult, tl.CodeExecutionResult),
    ),
    "gemini": (
        _gemini,
        (tl.GoogleSearch(), tl.CodeExecution(), tl.UrlContext()),
        (tl.CodeExecutionResult, tl.UrlContextResult, tl.WebSearchResult),
    ),
}


@pytest.mark.parametrize("wire", sorted(WIRES))
def test_the_fake_answers_native_tools_in_the_real_shape(wire: str) -> None:
    make, tools, kinds = WIRES[wire]
    fake = FakeProvider()
    llm = make(fake, *tools)
    completion = llm.completion(PROMPT)
    results = completion.native_results
    assert sorted(type(r).__name__ for r in results) == sorted(k.__name__ for k in kinds)
    search = next(r for r in results if isinstance(r, tl.WebSearchResult))
    assert search.queries == ("Summarize https://example.org/news for me",)
    (source,) = search.sources
    assert source.url.startswith("https://example.com/search?q=Summarize")
    (citation,) = completion.citations
    assert citation.url == source.url
    code = next(r for r in results if isinstance(r, tl.CodeExecutionResult))
    assert code.stdout == f"{len(PROMPT[:40])}\n"  # the fake's program: len() of the prompt
    for result in results:
        if isinstance(result, tl.WebFetchResult):
            assert result.url == "https://example.org/news"
        if isinstance(result, tl.UrlContextResult):
            assert result.urls[0].url == "https://example.org/news"
    assert completion.output.startswith("[fake answer]")
    # Deterministic: the same request gets the same results (ids carry the call index).
    assert _no_ids(llm.completion(PROMPT).native_results) == _no_ids(results)
    # No tools asked for, none used.
    assert make(fake).completion(PROMPT).native_results == ()


@pytest.mark.parametrize("wire", sorted(WIRES))
def test_streams_assemble_the_same_results_and_citations(wire: str) -> None:
    make, tools, _ = WIRES[wire]
    llm = make(FakeProvider(), *tools)
    plain = llm.completion(PROMPT)
    with llm.stream(PROMPT) as stream:
        text = "".join(stream)
    streamed = stream.completion
    assert text == plain.output
    assert _no_ids(streamed.native_results) == _no_ids(plain.native_results)
    assert streamed.citations == plain.citations


@pytest.mark.parametrize("wire", sorted(WIRES))
def test_async_calls_decode_the_results(wire: str) -> None:
    make, tools, kinds = WIRES[wire]
    llm = make(FakeProvider(), *tools)
    completion = asyncio.run(llm.acompletion(PROMPT))
    assert len(completion.native_results) == len(kinds)


def test_continuing_after_anthropic_server_tools_sends_the_blocks_back_unchanged() -> None:
    fake = FakeProvider()
    llm = _anthropic(fake, tl.WebSearch(), tl.CodeExecution())
    first = llm.completion(PROMPT)
    answer = fake.requests[0]
    second = llm.completion([*first.messages, tl.user("Thanks. And tomorrow?")])
    assert second.output == "[fake answer] Thanks. And tomorrow?"
    sent = fake.requests[1].json["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "user"]
    blocks = sent[1]["content"]
    assert [b["type"] for b in blocks] == [
        "server_tool_use",
        "web_search_tool_result",
        "server_tool_use",
        "bash_code_execution_tool_result",
        "text",
    ]
    raw = first.raw["content"]
    assert blocks[:4] == raw[:4]  # exactly as received, encrypted content included
    assert blocks[1]["content"][0]["encrypted_content"] == "fake-encrypted-content"
    assert answer.json["tools"][0]["type"] == "web_search_20250305"


def test_continuing_after_gemini_tools_sends_parts_but_not_metadata() -> None:
    fake = FakeProvider()
    llm = _gemini(fake, tl.GoogleSearch(), tl.CodeExecution())
    first = llm.completion(PROMPT)
    llm.completion([*first.messages, tl.user("More?")])
    model_turn = fake.requests[1].json["contents"][1]
    assert model_turn["role"] == "model"
    keys = [next(iter(p)) for p in model_turn["parts"]]
    assert keys == ["executableCode", "codeExecutionResult", "text"]


def test_continuing_after_responses_tools_sends_the_answer_text() -> None:
    """The server keeps tool items (``store``; ``previous_response_id`` continues with
    them): the history sends the answer's text."""
    fake = FakeProvider()
    llm = _responses(fake, tl.WebSearch())
    first = llm.completion(PROMPT)
    llm.completion([*first.messages, tl.user("More?")])
    items = fake.requests[1].json["input"]
    assert [i.get("role") for i in items] == ["user", "assistant", "user"]
    assert items[1]["content"][0]["text"] == first.output


def test_scripted_replies_get_the_native_results_too() -> None:
    fake = FakeProvider([FakeReply.of_text("Scripted answer.")])
    completion = _anthropic(fake, tl.WebFetch()).completion("Read https://example.org/doc")
    (fetched,) = completion.native_results
    assert isinstance(fetched, tl.WebFetchResult) and fetched.url == "https://example.org/doc"
    assert completion.output == "Scripted answer."


def test_tool_choice_with_server_tools_only() -> None:
    """Anthropic's tool_choice covers server tools ("required" -> any); Gemini's applies to
    function tools only, so forcing a tool with built-in tools alone is refused."""
    body = _body(_anthropic(), tl.WebSearch(), tool_choice="required")
    assert body["tool_choice"] == {"type": "any"}
    with pytest.raises(tl.ConfigurationError, match="function tools"):
        _body(_gemini(), tl.GoogleSearch(), tool_choice="required")
    assert "toolConfig" not in _body(_gemini(), tl.GoogleSearch(), tool_choice="auto")


def test_web_search_example_runs_offline() -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if k != "ANTHROPIC_API_KEY"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, str(root / "examples" / "web_search.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "offline" in result.stdout
    assert "searched ('What is the latest stable release of Python?',): 1 sources" in result.stdout
    assert "cited: https://example.com/search?q=" in result.stdout
    assert "follow-up: [fake answer] And when was it released?" in result.stdout


def test_a_server_tool_use_without_its_result_yet_is_reported() -> None:
    """A turn paused with ``pause_turn`` may end after a ``server_tool_use``: the use is
    reported with what it asked (no sources yet)."""
    body = _anthropic_body(
        [
            {"type": "text", "text": "Let me search."},
            {
                "type": "server_tool_use",
                "id": "srvtoolu_9",
                "name": "web_search",
                "input": {"query": "python release"},
            },
            {"type": "server_tool_use", "id": "srvtoolu_10", "name": "web_fetch", "input": {}},
        ]
    )
    body["stop_reason"] = "pause_turn"
    searching, fetching = _decoded(anthropic_codec, "anthropic", body)
    assert isinstance(searching, tl.WebSearchResult)
    assert (searching.id, searching.queries, searching.sources) == (
        "srvtoolu_9",
        ("python release",),
        (),
    )
    assert type(fetching) is tl.NativeToolResult and fetching.name == "web_fetch"


def test_chat_search_preview_citations_from_the_fake_plain_and_streamed() -> None:
    fake = FakeProvider()
    llm = (
        tl.openai()
        .model("gpt-4o-search-preview", like="gpt-4o")
        .api_key("k")
        .transport(fake)
        .native_tools(tl.WebSearch())
        .build()
    )
    plain = llm.completion(PROMPT)
    (citation,) = plain.citations
    assert citation.url is not None and citation.url.startswith("https://example.com/search?q=")
    assert (citation.start, citation.end) == (0, len(plain.output))
    assert plain.native_results == ()  # chat reports no search item, only the citations
    with llm.stream(PROMPT) as stream:
        "".join(stream)
    assert stream.completion.citations == plain.citations
    assert fake.requests[0].json["web_search_options"] == {}
    assert (
        tl.openai().model("gpt-4o").api_key("k").transport(fake).build().completion("hi").citations
        == ()
    )
