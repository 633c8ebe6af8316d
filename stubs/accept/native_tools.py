"""Accepted: provider-native tools and their typed results (type-checked only, never executed)."""

from __future__ import annotations

from typing_extensions import assert_type

import typedllm as tl

# -- the tools are typed values; CallOptions and the builders take them --

search = tl.WebSearch(max_uses=3, allowed_domains=("example.org",), context_size="low")
assert_type(search, tl.WebSearch)
assert_type(search.user_location, tl.UserLocation | None)
assert_type(tl.FileSearch(vector_store_ids=("vs_1",)).max_num_results, int | None)
assert_type(
    tl.GoogleSearch(time_range=("2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z")).time_range,
    tuple[str, str] | None,
)
tools: tuple[tl.NativeTool, ...] = (
    search,
    tl.WebFetch(citations=True),
    tl.CodeExecution(),
    tl.UrlContext(),
)
options = tl.CallOptions(native_tools=tools)
assert_type(options.native_tools, tuple[tl.NativeTool, ...] | None)
assert_type(
    tl.openai().model("gpt-4.1").api("responses").native_tools(tl.WebSearch(), tl.CodeExecution()),
    tl.OpenAIBuilder[tl.ChatModel],
)
assert_type(
    tl.anthropic().model("claude-sonnet-4-5").native_tools(tl.WebFetch()),
    tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral],
)

# -- results: a base type, narrowed by isinstance --

llm = tl.gemini().model("gemini-2.5-flash").native_tools(tl.GoogleSearch()).build()
completion = llm.completion("What happened today?")
results = completion.native_results
assert_type(results, tuple[tl.NativeToolResult, ...])
for result in results:
    assert_type(result.name, str)
    assert_type(result.error, str | None)
    if isinstance(result, tl.WebSearchResult):
        assert_type(result.queries, tuple[str, ...])
        assert_type(result.sources, tuple[tl.SearchSource, ...])
        assert_type(result.sources[0].url, str)
    elif isinstance(result, tl.CodeExecutionResult):
        assert_type(result.stdout, str)
        assert_type(result.return_code, int | None)
    elif isinstance(result, tl.WebFetchResult):
        assert_type(result.content, str | None)
    elif isinstance(result, tl.FileSearchResult):
        assert_type(result.hits, tuple[tl.FileSearchHit, ...])
    elif isinstance(result, tl.UrlContextResult):
        assert_type(result.urls, tuple[tl.UrlRetrieval, ...])
