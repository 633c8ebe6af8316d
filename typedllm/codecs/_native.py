"""Provider-native tools in each wire's shape (pure): one function per wire.

Each function takes the call's :class:`~typedllm.NativeTool` values and returns that wire's
tool entries, raising :class:`~typedllm.ConfigurationError` for a tool or an option the wire
has no field for (nothing is dropped silently). :func:`check_native_tools` is the gate run
before a request is built: the wire, then the model (from the catalog).

References (read 2026-12-02):

* OpenAI Responses: https://platform.openai.com/docs/guides/tools-web-search,
  https://platform.openai.com/docs/guides/tools-file-search,
  https://platform.openai.com/docs/guides/tools-code-interpreter and the ``include`` values
  of https://platform.openai.com/docs/api-reference/responses/create;
* OpenAI Chat Completions: ``web_search_options`` of the search-preview models,
  https://platform.openai.com/docs/guides/tools-web-search?api-mode=chat;
* Anthropic: https://platform.claude.com/docs/en/agents-and-tools/tool-use/web-search-tool
  (``web_search_20250305``), .../web-fetch-tool (``web_fetch_20250910``, beta
  ``web-fetch-2025-09-10``), .../code-execution-tool (``code_execution_20250825``, beta
  ``code-execution-2025-08-25``);
* Gemini: https://ai.google.dev/gemini-api/docs/google-search (``google_search``, with
  ``timeRangeFilter``), https://ai.google.dev/gemini-api/docs/code-execution,
  https://ai.google.dev/gemini-api/docs/url-context. The body uses the camelCase field names
  (``googleSearch``), as the rest of this codec and the recorded requests do; the API takes
  both spellings.
"""

from __future__ import annotations

from typing import Any

from .._catalog import ModelInfo
from .._errors import ConfigurationError
from .._native_tools import (
    CodeExecution,
    FileSearch,
    GoogleSearch,
    NativeTool,
    UrlContext,
    WebFetch,
    WebSearch,
)

__all__ = [
    "ANTHROPIC_BETAS",
    "anthropic_betas",
    "anthropic_tools",
    "chat_web_search_options",
    "check_native_tools",
    "gemini_tools",
    "responses_includes",
    "responses_tools",
]

ANTHROPIC_BETAS: dict[type[NativeTool], str] = {
    WebFetch: "web-fetch-2025-09-10",
    CodeExecution: "code-execution-2025-08-25",
}
"""The ``anthropic-beta`` header value each Anthropic server tool version needs."""

_WIRES: dict[str, tuple[type[NativeTool], ...]] = {
    "openai-responses": (WebSearch, FileSearch, CodeExecution),
    "anthropic-messages": (WebSearch, WebFetch, CodeExecution),
    "anthropic-bedrock": (WebSearch, WebFetch, CodeExecution),
    "anthropic-vertex": (WebSearch, WebFetch, CodeExecution),
    "gemini-generate-content": (WebSearch, GoogleSearch, CodeExecution, UrlContext),
    "openai-chat": (WebSearch,),
}

_ELSEWHERE: dict[type[NativeTool], str] = {
    WebSearch: "OpenAI Responses (.api('responses')), Anthropic and Gemini",
    WebFetch: "Anthropic (tl.UrlContext() is Gemini's counterpart)",
    CodeExecution: "OpenAI Responses (.api('responses')), Anthropic and Gemini",
    FileSearch: "the OpenAI Responses API (.api('responses'))",
    GoogleSearch: "Gemini (tl.WebSearch() is the portable web search)",
    UrlContext: "Gemini (tl.WebFetch() is Anthropic's counterpart)",
}


def _no_option(wire: str, tool: NativeTool, *names: str) -> None:
    """Options the wire cannot express are an error, never dropped."""
    set_ = [n for n in names if getattr(tool, n) not in (None, ())]
    if set_:
        raise ConfigurationError(
            f"{wire} has no {', '.join(set_)} option for {type(tool).__name__}"
        )


# -- OpenAI Responses ---------------------------------------------------------------------


def responses_tools(tools: tuple[NativeTool, ...]) -> list[dict[str, Any]]:
    """Responses ``tools`` entries."""
    out: list[dict[str, Any]] = []
    wire = "the OpenAI Responses API"
    for tool in tools:
        if isinstance(tool, WebSearch):
            _no_option(wire, tool, "max_uses", "blocked_domains")
            entry: dict[str, Any] = {"type": "web_search"}
            if tool.context_size is not None:
                entry["search_context_size"] = tool.context_size
            if tool.user_location is not None:
                entry["user_location"] = tool.user_location.as_wire()
            if tool.allowed_domains:
                entry["filters"] = {"allowed_domains": list(tool.allowed_domains)}
            if tool.external_web_access is not None:
                entry["external_web_access"] = tool.external_web_access
            out.append(entry)
        elif isinstance(tool, FileSearch):
            entry = {"type": "file_search", "vector_store_ids": list(tool.vector_store_ids)}
            if tool.max_num_results is not None:
                entry["max_num_results"] = tool.max_num_results
            out.append(entry)
        elif isinstance(tool, CodeExecution):
            container: Any
            if tool.container is not None:
                container = tool.container
            else:
                container = {"type": "auto"}
                if tool.file_ids:
                    container["file_ids"] = list(tool.file_ids)
                if tool.memory_limit is not None:
                    container["memory_limit"] = tool.memory_limit
            out.append({"type": "code_interpreter", "container": container})
        else:
            raise _unsupported(wire, tool)
    return out


def responses_includes(tools: tuple[NativeTool, ...]) -> list[str]:
    """The ``include`` values that make the Responses API return the tools' results (search
    sources, file-search hits, code-interpreter output), which are left out by default."""
    wanted: dict[type[NativeTool], str] = {
        WebSearch: "web_search_call.action.sources",
        FileSearch: "file_search_call.results",
        CodeExecution: "code_interpreter_call.outputs",
    }
    return [wanted[type(t)] for t in tools if type(t) in wanted]


# -- OpenAI Chat Completions --------------------------------------------------------------


def chat_web_search_options(tools: tuple[NativeTool, ...]) -> dict[str, Any]:
    """Chat Completions ``web_search_options`` (search-preview models only)."""
    wire = "OpenAI Chat Completions"
    options: dict[str, Any] = {}
    for tool in tools:
        if not isinstance(tool, WebSearch):
            raise _unsupported(wire, tool)
        _no_option(wire, tool, "max_uses", "allowed_domains", "blocked_domains")
        _no_option(wire, tool, "external_web_access")
        if tool.context_size is not None:
            options["search_context_size"] = tool.context_size
        if tool.user_location is not None:
            location = tool.user_location.as_wire()
            del location["type"]
            options["user_location"] = {"type": "approximate", "approximate": location}
    return options


# -- Anthropic ------------------------------------------------------------------------------


def anthropic_tools(tools: tuple[NativeTool, ...]) -> list[dict[str, Any]]:
    """Anthropic server-tool entries (``type`` is the tool version, ``name`` fixed)."""
    out: list[dict[str, Any]] = []
    wire = "Anthropic"
    for tool in tools:
        if isinstance(tool, WebSearch):
            _no_option(wire, tool, "context_size", "external_web_access")
            entry: dict[str, Any] = {"type": "web_search_20250305", "name": "web_search"}
            if tool.max_uses is not None:
                entry["max_uses"] = tool.max_uses
            if tool.allowed_domains:
                entry["allowed_domains"] = list(tool.allowed_domains)
            if tool.blocked_domains:
                entry["blocked_domains"] = list(tool.blocked_domains)
            if tool.user_location is not None:
                entry["user_location"] = tool.user_location.as_wire()
            out.append(entry)
        elif isinstance(tool, WebFetch):
            entry = {"type": "web_fetch_20250910", "name": "web_fetch"}
            if tool.max_uses is not None:
                entry["max_uses"] = tool.max_uses
            if tool.allowed_domains:
                entry["allowed_domains"] = list(tool.allowed_domains)
            if tool.blocked_domains:
                entry["blocked_domains"] = list(tool.blocked_domains)
            if tool.citations is not None:
                entry["citations"] = {"enabled": tool.citations}
            if tool.max_content_tokens is not None:
                entry["max_content_tokens"] = tool.max_content_tokens
            out.append(entry)
        elif isinstance(tool, CodeExecution):
            _no_option(wire, tool, "container", "file_ids", "memory_limit")
            out.append({"type": "code_execution_20250825", "name": "code_execution"})
        else:
            raise _unsupported(wire, tool)
    return out


def anthropic_betas(tools: tuple[NativeTool, ...]) -> tuple[str, ...]:
    """The betas the server tools need, in order."""
    return tuple(ANTHROPIC_BETAS[type(t)] for t in tools if type(t) in ANTHROPIC_BETAS)


# -- Gemini ---------------------------------------------------------------------------------


def gemini_tools(tools: tuple[NativeTool, ...]) -> list[dict[str, Any]]:
    """Gemini ``tools`` entries, one per built-in tool."""
    out: list[dict[str, Any]] = []
    wire = "Gemini"
    for tool in tools:
        if isinstance(tool, WebSearch):
            names = ("max_uses", "allowed_domains", "blocked_domains", "user_location")
            _no_option(wire, tool, *names, "context_size", "external_web_access")
            out.append({"googleSearch": {}})
        elif isinstance(tool, GoogleSearch):
            search: dict[str, Any] = {}
            if tool.time_range is not None:
                start, end = tool.time_range
                search["timeRangeFilter"] = {"startTime": start, "endTime": end}
            out.append({"googleSearch": search})
        elif isinstance(tool, CodeExecution):
            _no_option(wire, tool, "container", "file_ids", "memory_limit")
            out.append({"codeExecution": {}})
        elif isinstance(tool, UrlContext):
            out.append({"urlContext": {}})
        else:
            raise _unsupported(wire, tool)
    if sum(1 for entry in out if "googleSearch" in entry) > 1:
        raise ConfigurationError("give Gemini one of tl.WebSearch() or tl.GoogleSearch()")
    return out


# -- gates ----------------------------------------------------------------------------------


def _unsupported(wire: str, tool: NativeTool) -> ConfigurationError:
    where = _ELSEWHERE.get(type(tool), "other wires")
    return ConfigurationError(f"{wire} has no {type(tool).__name__} tool; it is offered by {where}")


def check_native_tools(
    wire: str, model: str, info: ModelInfo, tools: tuple[NativeTool, ...], provider: str = "openai"
) -> None:
    """Refuse native tools the wire or the model does not have (before anything is sent)."""
    if not tools:
        return
    if wire == "openai-chat" and provider != "openai":
        # OpenAI-compatible hosts have server tools of their own shapes (OpenRouter's
        # ``openrouter:web_search`` ...), not OpenAI's ``web_search_options``.
        raise ConfigurationError(
            f"{provider} takes no typedllm native tools; send its own tool fields with "
            "CallOptions(extra_body=...)"
        )
    supported = _WIRES.get(wire)
    if supported is None:
        names = ", ".join(type(t).__name__ for t in tools)
        raise ConfigurationError(
            f"the {wire} wire has no provider-native tools ({names}); they are offered by "
            "OpenAI Responses, Anthropic and Gemini clients"
        )
    for tool in tools:
        if not isinstance(tool, supported):
            raise _unsupported(wire, tool)
    known = info.family != "compatible"
    if known and not info.tools:
        raise ConfigurationError(f"{model} does not support tools (native tools included)")
    if wire == "openai-chat" and "search" not in model:
        # Chat Completions searches only with the search-preview models.
        raise ConfigurationError(
            f"{model} cannot search the web on Chat Completions (only the *-search-preview "
            "models can); use the Responses API: tl.openai().api('responses')"
        )
    listed = info.native_tools if known else None
    for tool in tools:
        if listed is not None and tool.kind not in listed:
            has = ", ".join(listed) or "none"
            raise ConfigurationError(
                f"{model} has no {type(tool).__name__} tool (its native tools, from the "
                f"catalog: {has})"
            )
