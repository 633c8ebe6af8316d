"""What provider-native tools did, as typed values (pure; read from an answer's parts).

The answer message keeps each provider block as received (an :class:`~typedllm.OpaquePart`:
Anthropic ``server_tool_use`` and its ``*_tool_result``, Responses ``web_search_call`` /
``file_search_call`` / ``code_interpreter_call`` items, Gemini ``executableCode`` /
``codeExecutionResult`` / ``toolCall`` / ``toolResponse`` parts and the candidate's
``groundingMetadata`` / ``urlContextMetadata``), so the conversation can be continued.
:func:`native_results` reads them into :class:`NativeToolResult` values: one per tool use,
a call and its result joined by their id.

Shapes: https://platform.claude.com/docs/en/agents-and-tools/tool-use/web-search-tool,
https://platform.claude.com/docs/en/agents-and-tools/tool-use/web-fetch-tool,
https://platform.claude.com/docs/en/agents-and-tools/tool-use/code-execution-tool,
https://platform.openai.com/docs/api-reference/responses/object (output items),
https://ai.google.dev/gemini-api/docs/google-search (grounding metadata),
https://ai.google.dev/gemini-api/docs/code-execution and
https://ai.google.dev/gemini-api/docs/url-context.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._jsonutil import as_dict, as_list
from ._messages import OpaquePart, Part

__all__ = [
    "CodeExecutionResult",
    "FileSearchHit",
    "FileSearchResult",
    "NativeToolResult",
    "SearchSource",
    "UrlContextResult",
    "UrlRetrieval",
    "WebFetchResult",
    "WebSearchResult",
    "native_results",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class NativeToolResult:
    """One use of a provider-native tool.

    Attributes:
        name: the provider's name for it (``web_search``, ``bash_code_execution``,
            ``web_search_call``, ``googleSearch`` ...).
        id: the provider's id of the tool use, when it gives one.
        error: the provider's error code or message when the tool failed.
        raw: the provider's blocks, as received.

    Tools typedllm does not model (Anthropic's tool search ...) come as this base type.
    """

    name: str
    id: str | None = None
    error: str | None = None
    raw: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class SearchSource:
    """A page a web search found: its URL and title (and age, when reported)."""

    url: str
    title: str | None = None
    page_age: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WebSearchResult(NativeToolResult):
    """A web search: the queries it ran and the pages it found.

    ``rendered_content`` is Gemini's search-suggestions HTML (``searchEntryPoint``), which
    Google's terms ask applications to display with grounded answers.
    """

    queries: tuple[str, ...] = ()
    sources: tuple[SearchSource, ...] = ()
    rendered_content: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class WebFetchResult(NativeToolResult):
    """A fetched page or PDF: where from, when, and its text (``None`` for binary PDFs)."""

    url: str | None = None
    title: str | None = None
    retrieved_at: str | None = None
    content: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeExecutionResult(NativeToolResult):
    """Code the provider ran and what it printed.

    Attributes:
        code: the code (or the shell command, for Anthropic's bash execution).
        language: ``python``, ``bash`` ... when known.
        stdout, stderr: the output (OpenAI's logs and Gemini's output are ``stdout``).
        return_code: the exit code (Anthropic), when reported.
        outcome: Gemini's outcome (``OUTCOME_OK``, ``OUTCOME_FAILED`` ...).
        files: ids or URLs of files and images the code produced.
    """

    code: str | None = None
    language: str | None = None
    stdout: str = ""
    stderr: str = ""
    return_code: int | None = None
    outcome: str | None = None
    files: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FileSearchHit:
    """A chunk of a file that a file search returned."""

    file_id: str | None
    filename: str | None = None
    score: float | None = None
    text: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class FileSearchResult(NativeToolResult):
    """An OpenAI file search: its queries and hits (hits need the ``file_search_call.results``
    include, which typedllm asks for)."""

    queries: tuple[str, ...] = ()
    hits: tuple[FileSearchHit, ...] = ()


@dataclass(frozen=True, slots=True)
class UrlRetrieval:
    """One URL Gemini's URL context tool read, and its status
    (``URL_RETRIEVAL_STATUS_SUCCESS`` ...)."""

    url: str
    status: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UrlContextResult(NativeToolResult):
    """The URLs Gemini read with the URL context tool."""

    urls: tuple[UrlRetrieval, ...] = ()


# -- reading ----------------------------------------------------------------------------------


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _error(content: Any) -> str | None:
    """Anthropic's ``*_tool_result_error`` / ``*_tool_error`` content, as its error code."""
    data = as_dict(content)
    kind = str(data.get("type") or "")
    if kind.endswith("_error"):
        return str(data.get("error_code") or kind)
    return None


_ANTHROPIC_RESULTS = frozenset(
    {
        "web_search_tool_result",
        "web_fetch_tool_result",
        "code_execution_tool_result",
        "bash_code_execution_tool_result",
        "text_editor_code_execution_tool_result",
    }
)


def _anthropic(use: Mapping[str, Any] | None, result: Mapping[str, Any]) -> NativeToolResult:
    kind = str(result.get("type"))
    tool_input = as_dict((use or {}).get("input"))
    name = str((use or {}).get("name") or kind.removesuffix("_tool_result"))
    raw = (dict(use), dict(result)) if use is not None else (dict(result),)
    content: Any = result.get("content")
    common: dict[str, Any] = {
        "name": name,
        "id": _str(result.get("tool_use_id")),
        "error": _error(content),
        "raw": raw,
    }
    if kind == "web_search_tool_result":
        query = _str(tool_input.get("query"))
        sources = tuple(
            SearchSource(str(r["url"]), _str(r.get("title")), _str(r.get("page_age")))
            for r in map(as_dict, as_list(content))
            if r.get("type") == "web_search_result" and isinstance(r.get("url"), str)
        )
        return WebSearchResult(**common, queries=(query,) if query else (), sources=sources)
    if kind == "web_fetch_tool_result":
        fetched = as_dict(content)
        document = as_dict(fetched.get("content"))
        source = as_dict(document.get("source"))
        text = _str(source.get("data")) if source.get("type") == "text" else None
        return WebFetchResult(
            **common,
            url=_str(fetched.get("url")) or _str(tool_input.get("url")),
            title=_str(document.get("title")),
            retrieved_at=_str(fetched.get("retrieved_at")),
            content=text,
        )
    # code_execution_tool_result (python), bash_code_execution_tool_result (a shell command),
    # text_editor_code_execution_tool_result (a file edit in the sandbox).
    out = as_dict(content)
    language = {"code_execution_tool_result": "python", "bash_code_execution_tool_result": "bash"}
    code = _str(tool_input.get("code")) or _str(tool_input.get("command"))
    files = tuple(
        str(f["file_id"]) for f in map(as_dict, as_list(out.get("content"))) if f.get("file_id")
    )
    stdout = _str(out.get("stdout"))
    if stdout is None and kind == "text_editor_code_execution_tool_result":
        stdout = _str(out.get("content"))
    return CodeExecutionResult(
        **common,
        code=code,
        language=language.get(kind, "text_editor"),
        stdout=stdout or "",
        stderr=_str(out.get("stderr")) or "",
        return_code=_int(out.get("return_code")),
        files=files,
    )


def _responses(item: Mapping[str, Any]) -> NativeToolResult | None:
    kind = item.get("type")
    common: dict[str, Any] = {
        "name": str(kind),
        "id": _str(item.get("id")),
        "error": "failed" if item.get("status") == "failed" else None,
        "raw": (dict(item),),
    }
    if kind == "web_search_call":
        action = as_dict(item.get("action"))
        queries = [q for q in as_list(action.get("queries")) if isinstance(q, str) and q]
        query = _str(action.get("query"))
        if query and query not in queries:
            queries.insert(0, query)
        sources = [
            SearchSource(str(s["url"]), _str(s.get("title")))
            for s in map(as_dict, as_list(action.get("sources")))
            if isinstance(s.get("url"), str)
        ]
        if action.get("type") == "open_page" and isinstance(action.get("url"), str):
            sources.append(SearchSource(action["url"]))
        return WebSearchResult(**common, queries=tuple(queries), sources=tuple(sources))
    if kind == "file_search_call":
        hits = tuple(
            FileSearchHit(
                _str(r.get("file_id")),
                _str(r.get("filename")),
                float(r["score"]) if isinstance(r.get("score"), (int, float)) else None,
                _str(r.get("text")),
            )
            for r in map(as_dict, as_list(item.get("results")))
        )
        asked = tuple(q for q in as_list(item.get("queries")) if isinstance(q, str))
        return FileSearchResult(**common, queries=asked, hits=hits)
    if kind == "code_interpreter_call":
        outputs = [as_dict(o) for o in as_list(item.get("outputs"))]
        logs = "".join(str(o.get("logs") or "") for o in outputs if o.get("type") == "logs")
        images = tuple(str(o["url"]) for o in outputs if o.get("type") == "image" and o.get("url"))
        return CodeExecutionResult(
            **common, code=_str(item.get("code")), language="python", stdout=logs, files=images
        )
    return None


_RESPONSES_ITEMS = frozenset({"web_search_call", "file_search_call", "code_interpreter_call"})


def _gemini_search(metadata: Mapping[str, Any]) -> WebSearchResult:
    queries = tuple(
        q for q in as_list(metadata.get("webSearchQueries")) if isinstance(q, str) and q
    )
    sources = tuple(
        SearchSource(str(web["uri"]), _str(web.get("title")))
        for web in (
            as_dict(as_dict(c).get("web")) for c in as_list(metadata.get("groundingChunks"))
        )
        if isinstance(web.get("uri"), str)
    )
    entry = as_dict(metadata.get("searchEntryPoint"))
    return WebSearchResult(
        name="googleSearch",
        queries=queries,
        sources=sources,
        rendered_content=_str(entry.get("renderedContent")),
        raw=(dict(metadata),),
    )


def _gemini(parts: list[Mapping[str, Any]]) -> list[NativeToolResult]:
    out: list[NativeToolResult] = []
    grounding: WebSearchResult | None = None
    pending_code: Mapping[str, Any] | None = None
    searches: dict[str, int] = {}  # a toolCall's id -> its index in ``out``
    for data in parts:
        if "executableCode" in data:
            pending_code = data
        elif "codeExecutionResult" in data:
            code = as_dict((pending_code or {}).get("executableCode"))
            result = as_dict(data["codeExecutionResult"])
            outcome = _str(result.get("outcome"))
            failed = outcome not in (None, "OUTCOME_OK")
            out.append(
                CodeExecutionResult(
                    name="codeExecution",
                    id=_str(result.get("id")) or _str(code.get("id")),
                    error=outcome if failed else None,
                    code=_str(code.get("code")),
                    language=(_str(code.get("language")) or "").lower() or None,
                    stdout="" if failed else _str(result.get("output")) or "",
                    stderr=_str(result.get("output")) or "" if failed else "",
                    outcome=outcome,
                    raw=tuple(dict(p) for p in (pending_code, data) if p is not None),
                )
            )
            pending_code = None
        elif "toolCall" in data:
            call = as_dict(data["toolCall"])
            args = as_dict(call.get("args"))
            queries = tuple(q for q in as_list(args.get("queries")) if isinstance(q, str))
            kind = str(call.get("toolType") or "toolCall")
            result_id = _str(call.get("id"))
            record: NativeToolResult = (
                WebSearchResult(name=kind, id=result_id, queries=queries, raw=(dict(data),))
                if "SEARCH" in kind
                else NativeToolResult(name=kind, id=result_id, raw=(dict(data),))
            )
            if result_id is not None:
                searches[result_id] = len(out)
            out.append(record)
        elif "toolResponse" in data:
            response = as_dict(data["toolResponse"])
            position = searches.get(str(response.get("id")))
            if position is not None:
                before = out[position]
                out[position] = _replace_raw(before, (*_raw_of(before), dict(data)))
        elif "groundingMetadata" in data:
            grounding = _gemini_search(as_dict(data["groundingMetadata"]))
        elif "urlContextMetadata" in data:
            metadata = as_dict(data["urlContextMetadata"])
            urls = tuple(
                UrlRetrieval(str(u["retrievedUrl"]), _str(u.get("urlRetrievalStatus")))
                for u in map(as_dict, as_list(metadata.get("urlMetadata")))
                if isinstance(u.get("retrievedUrl"), str)
            )
            out.append(UrlContextResult(name="urlContext", urls=urls, raw=(dict(metadata),)))
    if grounding is not None:
        # The grounding metadata describes the searches of the whole answer: it completes the
        # first search call (Gemini 3 reports the calls too), or stands for the searches.
        first = next((i for i, r in enumerate(out) if isinstance(r, WebSearchResult)), None)
        if first is None:
            out.insert(0, grounding)
        else:
            searched = out[first]
            assert isinstance(searched, WebSearchResult)
            queries = searched.queries + tuple(
                q for q in grounding.queries if q not in searched.queries
            )
            out[first] = WebSearchResult(
                name=searched.name,
                id=searched.id,
                queries=queries,
                sources=grounding.sources,
                rendered_content=grounding.rendered_content,
                raw=(*_raw_of(searched), *_raw_of(grounding)),
            )
    return out


def _raw_of(result: NativeToolResult) -> tuple[Any, ...]:
    raw: Any = result.raw
    if isinstance(raw, tuple):
        items: tuple[Any, ...] = raw  # pyright: ignore[reportUnknownVariableType]
        return items
    return ()


def _replace_raw(result: NativeToolResult, raw: tuple[Any, ...]) -> NativeToolResult:
    from dataclasses import replace

    return replace(result, raw=raw)


def native_results(parts: Sequence[Part]) -> tuple[NativeToolResult, ...]:
    """The native tool uses among an answer's parts, in order (see the module docstring)."""
    out: list[NativeToolResult] = []
    uses: dict[str, Mapping[str, Any]] = {}
    gemini: list[Mapping[str, Any]] = []
    for part in parts:
        if not isinstance(part, OpaquePart):
            continue
        data = part.data
        kind = data.get("type")
        if kind == "server_tool_use":
            uses[str(data.get("id"))] = data
        elif kind in _ANTHROPIC_RESULTS:
            out.append(_anthropic(uses.pop(str(data.get("tool_use_id")), None), data))
        elif kind in _RESPONSES_ITEMS:
            item = _responses(data)
            if item is not None:
                out.append(item)
        elif isinstance(kind, str) and kind.endswith("_tool_result"):
            # Another Anthropic server tool (tool search ...): kept as the generic record.
            use = uses.pop(str(data.get("tool_use_id")), None)
            name = str((use or {}).get("name") or kind.removesuffix("_tool_result"))
            raw = (dict(use), dict(data)) if use is not None else (dict(data),)
            out.append(
                NativeToolResult(
                    name=name,
                    id=_str(data.get("tool_use_id")),
                    error=_error(data.get("content")),
                    raw=raw,
                )
            )
        elif kind is None:
            gemini.append(data)
    # A server tool use without its result yet (a turn paused with ``pause_turn``): what it
    # was asked to do.
    for use in uses.values():
        name = str(use.get("name") or "")
        query = _str(as_dict(use.get("input")).get("query"))
        raw = (dict(use),)
        if name == "web_search":
            out.append(
                WebSearchResult(
                    name=name, id=_str(use.get("id")), queries=(query,) if query else (), raw=raw
                )
            )
        else:
            out.append(NativeToolResult(name=name, id=_str(use.get("id")), raw=raw))
    return tuple(out + _gemini(gemini))
