"""The fake provider's provider-native tools: plausible, deterministic results in each wire's
real shape, added to an answer when the request switches a tool on.

A search finds one page under ``https://example.com/search`` for the last user text (and the
answer cites it), a fetch reads the first URL of the prompt, code execution "runs" a one-line
program that prints the prompt's length. Nothing is fetched or run: this is for testing code
that reads ``Completion.native_results`` and continues conversations, offline.
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from .._jsonutil import as_dict, as_list

__all__ = ["anthropic_native", "chat_annotations", "gemini_native", "responses_native"]

_URL = re.compile(r"https?://[^\s\"'<>)]+")


def _query(prompt: str) -> str:
    words = prompt.split()
    return " ".join(words[:8]) or "fake query"


def _search_url(query: str) -> str:
    return "https://example.com/search?q=" + urllib.parse.quote_plus(query)


def _fetch_url(prompt: str) -> str:
    found = _URL.search(prompt)
    return found.group(0) if found else "https://example.com/"


def _code(prompt: str) -> tuple[str, str]:
    return f"print(len({prompt[:40]!r}))", f"{len(prompt[:40])}\n"


# -- Anthropic ------------------------------------------------------------------------------


def anthropic_native(body: dict[str, Any], prompt: str, index: int) -> list[dict[str, Any]]:
    """``server_tool_use`` blocks and their results for the request's server tools."""
    kinds = [str(as_dict(t).get("type", "")) for t in as_list(body.get("tools"))]
    blocks: list[dict[str, Any]] = []
    for n, kind in enumerate(kinds):
        tool_id = f"srvtoolu_fake{index:06d}{n:02d}"
        if kind.startswith("web_search_"):
            query = _query(prompt)
            blocks.append(_use(tool_id, "web_search", {"query": query}))
            result = {
                "type": "web_search_result",
                "url": _search_url(query),
                "title": f"Fake result for {query}",
                "encrypted_content": "fake-encrypted-content",
                "page_age": None,
            }
            blocks.append(_result("web_search_tool_result", tool_id, [result]))
        elif kind.startswith("web_fetch_"):
            url = _fetch_url(prompt)
            document = {
                "type": "document",
                "source": {
                    "type": "text",
                    "media_type": "text/plain",
                    "data": f"[fake page] {url}",
                },
                "title": "Fake page",
            }
            fetched = {
                "type": "web_fetch_result",
                "url": url,
                "retrieved_at": "2025-01-01T00:00:00Z",
                "content": document,
            }
            blocks.append(_use(tool_id, "web_fetch", {"url": url}))
            blocks.append(_result("web_fetch_tool_result", tool_id, fetched))
        elif kind.startswith("code_execution_"):
            code, output = _code(prompt)
            command = f"python -c {code!r}"
            ran: dict[str, Any] = {
                "type": "bash_code_execution_result",
                "stdout": output,
                "stderr": "",
                "return_code": 0,
                "content": [],
            }
            blocks.append(_use(tool_id, "bash_code_execution", {"command": command}))
            blocks.append(_result("bash_code_execution_tool_result", tool_id, ran))
    return blocks


def anthropic_citations(blocks: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """``web_search_result_location`` citations of the answer text for the found pages."""
    out: list[dict[str, Any]] = []
    for block in blocks:
        if block.get("type") != "web_search_tool_result":
            continue
        for result in as_list(block.get("content")):
            found = as_dict(result)
            out.append(
                {
                    "type": "web_search_result_location",
                    "url": found.get("url"),
                    "title": found.get("title"),
                    "cited_text": text[:80],
                    "encrypted_index": "fake-index",
                }
            )
    return out


def _use(tool_id: str, name: str, tool_input: dict[str, Any]) -> dict[str, Any]:
    return {"type": "server_tool_use", "id": tool_id, "name": name, "input": tool_input}


def _result(kind: str, tool_id: str, content: Any) -> dict[str, Any]:
    return {"type": kind, "tool_use_id": tool_id, "content": content}


# -- OpenAI Responses -----------------------------------------------------------------------


def responses_native(body: dict[str, Any], prompt: str, index: int) -> list[dict[str, Any]]:
    """``web_search_call`` / ``file_search_call`` / ``code_interpreter_call`` output items."""
    items: list[dict[str, Any]] = []
    for n, raw in enumerate(as_list(body.get("tools"))):
        tool = as_dict(raw)
        kind = tool.get("type")
        item_id = f"{index:06d}{n:02d}"
        query = _query(prompt)
        if kind == "web_search":
            action = {
                "type": "search",
                "query": query,
                "queries": [query],
                "sources": [{"type": "url", "url": _search_url(query)}],
            }
            items.append(_item("web_search_call", f"ws_fake{item_id}", action=action))
        elif kind == "file_search":
            stores = [str(s) for s in as_list(tool.get("vector_store_ids"))]
            hit = {
                "file_id": "file-fake000001",
                "filename": "fake.txt",
                "score": 0.9,
                "text": f"[fake file text] {query}",
                "attributes": {"vector_store_id": stores[0] if stores else None},
            }
            items.append(
                _item("file_search_call", f"fs_fake{item_id}", queries=[query], results=[hit])
            )
        elif kind == "code_interpreter":
            code, output = _code(prompt)
            items.append(
                _item(
                    "code_interpreter_call",
                    f"ci_fake{item_id}",
                    code=code,
                    container_id="cntr_fake000001",
                    outputs=[{"type": "logs", "logs": output}],
                )
            )
    return items


def responses_annotations(items: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """``url_citation`` annotations of the answer text for the pages the searches found."""
    out: list[dict[str, Any]] = []
    for item in items:
        for source in as_list(as_dict(item.get("action")).get("sources")):
            url = as_dict(source).get("url")
            out.append(
                {
                    "type": "url_citation",
                    "start_index": 0,
                    "end_index": len(text),
                    "url": url,
                    "title": "Fake search result",
                }
            )
    return out


def _item(kind: str, item_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": item_id, "type": kind, "status": "completed", **fields}


# -- OpenAI Chat Completions ----------------------------------------------------------------


def chat_annotations(body: dict[str, Any], text: str) -> list[dict[str, Any]]:
    """The ``url_citation`` annotations of a search-preview model's answer (a request with
    ``web_search_options``)."""
    if "web_search_options" not in body or not text:
        return []
    users = [as_dict(m) for m in as_list(body.get("messages")) if as_dict(m).get("role") == "user"]
    content = users[-1].get("content") if users else ""
    prompt = content if isinstance(content, str) else ""
    citation = {
        "start_index": 0,
        "end_index": len(text),
        "url": _search_url(_query(prompt)),
        "title": "Fake search result",
    }
    return [{"type": "url_citation", "url_citation": citation}]


# -- Gemini ---------------------------------------------------------------------------------


def gemini_native(
    body: dict[str, Any], prompt: str, text: str
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The parts to put before the answer text (code execution) and the candidate metadata
    (``groundingMetadata``, ``urlContextMetadata``) for the request's built-in tools."""
    parts: list[dict[str, Any]] = []
    metadata: dict[str, Any] = {}
    for raw in as_list(body.get("tools")):
        tool = as_dict(raw)
        if "googleSearch" in tool or "google_search" in tool:
            query = _query(prompt)
            metadata["groundingMetadata"] = {
                "webSearchQueries": [query],
                "searchEntryPoint": {"renderedContent": "<div>[fake search suggestions]</div>"},
                "groundingChunks": [{"web": {"uri": _search_url(query), "title": "example.com"}}],
                "groundingSupports": [
                    {
                        "segment": {"startIndex": 0, "endIndex": len(text), "text": text},
                        "groundingChunkIndices": [0],
                    }
                ],
            }
        elif "codeExecution" in tool or "code_execution" in tool:
            code, output = _code(prompt)
            parts.append({"executableCode": {"language": "PYTHON", "code": code}})
            parts.append({"codeExecutionResult": {"outcome": "OUTCOME_OK", "output": output}})
        elif "urlContext" in tool or "url_context" in tool:
            metadata["urlContextMetadata"] = {
                "urlMetadata": [
                    {
                        "retrievedUrl": _fetch_url(prompt),
                        "urlRetrievalStatus": "URL_RETRIEVAL_STATUS_SUCCESS",
                    }
                ]
            }
    return parts, metadata
