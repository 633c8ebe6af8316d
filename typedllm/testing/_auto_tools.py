"""The fake provider's auto tool mode: call the tools a request offers, then answer.

``FakeProvider(tools="auto")`` (or ``"all"``) reads each request in its own wire's shape:
the tools offered (name and parameters schema), the tool choice, whether calls may be
parallel, and the tool results sent since the last user message (this turn's). When tools are
offered, the choice is not ``none`` and this turn has no tool result yet, the answer is a call
with arguments generated from the tool's schema (valid by construction); once results are in,
the answer is the normal auto answer (schema-valid data under a schema, else a text that
echoes the results), so that a tool loop always ends.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from .._errors import ConfigurationError
from .._jsonutil import as_dict, as_list
from . import (
    _anthropic_wire,
    _bedrock_wire,
    _cohere_wire,
    _gemini_wire,
    _ollama_wire,
    _openai_wire,
    _responses_wire,
)
from ._instances import generate_instance
from ._replies import FakeReply

__all__ = ["TOOL_MODES", "ToolMode", "ToolTurn", "auto_tool_reply", "check_mode", "read_turn"]

ToolMode = Literal["off", "auto", "all"]
"""``off``: never call tools (the default); ``auto``: call one offered tool (the one
``tool_choice`` names, else the first); ``all``: call every offered tool at once (one when
parallel calls are turned off)."""

TOOL_MODES: tuple[ToolMode, ...] = ("off", "auto", "all")


def check_mode(mode: object) -> ToolMode:
    """``mode`` if it is a tool mode, else a :class:`~typedllm.ConfigurationError`."""
    for known in TOOL_MODES:
        if mode == known:
            return known
    raise ConfigurationError(
        f"FakeProvider(tools=...) takes one of {', '.join(map(repr, TOOL_MODES))}, got {mode!r}"
    )


@dataclass(frozen=True)
class ToolTurn:
    """What a request says about tools, wire-neutral.

    Attributes:
        tools: the caller's offered tools as ``(name, JSON schema of the arguments)``.
        choice: ``auto``, ``required``, ``none`` or the name of the tool to call.
        parallel: whether several calls may come in one answer.
        results: the tool results sent since the last user message, as text (``None``: no
            tool result in this turn yet).
        question: the last user message's text.
    """

    tools: tuple[tuple[str, dict[str, Any]], ...]
    choice: str
    parallel: bool
    results: tuple[str, ...] | None
    question: str


def _text(value: Any) -> str:
    """Text of a content value: a string, a list of parts with ``text``, else its JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(_text(as_dict(p).get("text", "")) for p in as_list(value))
    return json.dumps(value, sort_keys=True)


def _turn(entries: list[tuple[str, str]]) -> tuple[tuple[str, ...] | None, str]:
    """``(results since the last user entry or None, that user entry's text)`` from the
    conversation as ``("user" | "result", text)`` entries."""
    last_user = max((i for i, (kind, _) in enumerate(entries) if kind == "user"), default=-1)
    results = tuple(text for kind, text in entries[last_user + 1 :] if kind == "result")
    question = entries[last_user][1] if last_user >= 0 else ""
    return (results or None), question


def _function_tools(body: dict[str, Any], nested: bool) -> tuple[tuple[str, dict[str, Any]], ...]:
    """``{"type": "function", "function": {name, parameters}}`` tools (``nested``), or
    Responses' flat ``{"type": "function", name, parameters}``."""
    out: list[tuple[str, dict[str, Any]]] = []
    for raw in as_list(body.get("tools")):
        tool = as_dict(raw)
        if tool.get("type", "function") != "function":
            continue  # a provider-native tool (web search ...) is not the caller's to run
        fn = as_dict(tool.get("function")) if nested else tool
        if isinstance(fn.get("name"), str):
            out.append((fn["name"], as_dict(fn.get("parameters"))))
    return tuple(out)


def _openai_choice(raw: Any) -> str:
    if isinstance(raw, str):
        return raw
    choice = as_dict(raw)
    name = as_dict(choice.get("function")).get("name") or choice.get("name")
    return name if isinstance(name, str) else "auto"


def _chat(body: dict[str, Any]) -> ToolTurn:
    entries = [
        ("result" if m.get("role") == "tool" else "user", _text(m.get("content")))
        for m in (as_dict(m) for m in as_list(body.get("messages")))
        if m.get("role") in ("user", "tool")
    ]
    results, question = _turn(entries)
    return ToolTurn(
        _function_tools(body, nested=True),
        _openai_choice(body.get("tool_choice", "auto")),
        body.get("parallel_tool_calls") is not False,
        results,
        question,
    )


def _responses(body: dict[str, Any]) -> ToolTurn:
    raw = body.get("input")
    items = [{"role": "user", "content": raw}] if isinstance(raw, str) else as_list(raw)
    entries: list[tuple[str, str]] = []
    for item in (as_dict(i) for i in items):
        if item.get("type") == "function_call_output":
            entries.append(("result", _text(item.get("output"))))
        elif item.get("role") == "user":
            entries.append(("user", _text(item.get("content"))))
    results, question = _turn(entries)
    return ToolTurn(
        _function_tools(body, nested=False),
        _openai_choice(body.get("tool_choice", "auto")),
        body.get("parallel_tool_calls") is not False,
        results,
        question,
    )


def _anthropic(body: dict[str, Any]) -> ToolTurn:
    entries: list[tuple[str, str]] = []
    for message in (as_dict(m) for m in as_list(body.get("messages"))):
        if message.get("role") != "user":
            continue
        content = message.get("content")
        blocks = [as_dict(b) for b in as_list(content)]
        found = [_text(b.get("content")) for b in blocks if b.get("type") == "tool_result"]
        # Text after tool results shares their user message: it is still the results' turn.
        entries += [("result", r) for r in found] or [("user", _text(content))]
    results, question = _turn(entries)
    answer = _anthropic_wire.answer_tool(body)  # typedllm's own answer tool is not a tool call
    tools = tuple(
        (str(t["name"]), as_dict(t.get("input_schema")))
        for t in (as_dict(t) for t in as_list(body.get("tools")))
        if isinstance(t.get("name"), str) and "input_schema" in t and t != answer
    )
    choice = as_dict(body.get("tool_choice"))
    kind = choice.get("type", "auto")
    named = choice.get("name")
    mapped = {"any": "required", "none": "none", "tool": named if isinstance(named, str) else ""}
    return ToolTurn(
        tools,
        mapped.get(str(kind), "auto"),
        choice.get("disable_parallel_tool_use") is not True,
        results,
        question,
    )


def _function_response(raw: Any) -> str:
    """A ``functionResponse``'s result: typedllm wraps it in ``output`` (or ``error``)."""
    response = as_dict(as_dict(raw).get("response"))
    return _text(response.get("output", response.get("error", response)))


def _gemini(body: dict[str, Any]) -> ToolTurn:
    entries: list[tuple[str, str]] = []
    for content in (as_dict(c) for c in as_list(body.get("contents"))):
        if content.get("role", "user") != "user":
            continue
        parts = [as_dict(p) for p in as_list(content.get("parts"))]
        responses = [
            _function_response(p["functionResponse"]) for p in parts if "functionResponse" in p
        ]
        text = "".join(str(p.get("text", "")) for p in parts)
        entries += [("result", r) for r in responses] or [("user", text)]
    results, question = _turn(entries)
    config = as_dict(as_dict(body.get("toolConfig")).get("functionCallingConfig"))
    allowed = [n for n in as_list(config.get("allowedFunctionNames")) if isinstance(n, str)]
    tools: list[tuple[str, dict[str, Any]]] = []
    for group in as_list(body.get("tools")):
        for decl in (as_dict(d) for d in as_list(as_dict(group).get("functionDeclarations"))):
            name = decl.get("name")
            if not isinstance(name, str) or (allowed and name not in allowed):
                continue
            if isinstance(decl.get("parametersJsonSchema"), dict):
                schema = as_dict(decl["parametersJsonSchema"])
            else:  # the OpenAPI subset of the older models
                schema = as_dict(_gemini_wire.openapi_to_json_schema(decl.get("parameters")))
            tools.append((name, schema))
    mode = str(config.get("mode", "AUTO")).upper()
    choice = {"ANY": "required", "NONE": "none"}.get(mode, "auto")
    return ToolTurn(tuple(tools), choice, True, results, question)


def _role_tool_chat(body: dict[str, Any], choice: str) -> ToolTurn:
    """Ollama and Cohere: ``tool`` role messages carry the results."""
    entries = [
        ("result" if m.get("role") == "tool" else "user", _text(m.get("content")))
        for m in (as_dict(m) for m in as_list(body.get("messages")))
        if m.get("role") in ("user", "tool")
    ]
    results, question = _turn(entries)
    return ToolTurn(_function_tools(body, nested=True), choice, True, results, question)


def _ollama(body: dict[str, Any]) -> ToolTurn:
    return _role_tool_chat(body, "auto")  # Ollama has no tool choice (none: no tools sent)


def _cohere(body: dict[str, Any]) -> ToolTurn:
    # Cohere cannot name one tool: typedllm then offers only it, with REQUIRED.
    choice = {"REQUIRED": "required", "NONE": "none"}.get(str(body.get("tool_choice")), "auto")
    return _role_tool_chat(body, choice)


_READERS: dict[Any, Callable[[dict[str, Any]], ToolTurn]] = {
    _openai_wire: _chat,
    _responses_wire: _responses,
    _anthropic_wire: _anthropic,
    _bedrock_wire: _anthropic,
    _gemini_wire: _gemini,
    _ollama_wire: _ollama,
    _cohere_wire: _cohere,
}


def _schema_answer(wire: Any, body: dict[str, Any]) -> bool:
    """Whether the wire's auto answer is schema data (then it is kept as the final answer)."""
    if wire in (_anthropic_wire, _bedrock_wire):
        return _anthropic_wire._schema(body) is not None  # pyright: ignore[reportPrivateUsage]
    if wire is _gemini_wire:
        return _gemini_wire._schema(body) is not None  # pyright: ignore[reportPrivateUsage]
    if wire is _ollama_wire and body.get("format") == "json":
        return True
    schema_of: Callable[[dict[str, Any]], Any] | None = getattr(wire, "schema_of_request", None)
    return schema_of is not None and schema_of(body) is not None


def read_turn(wire: Any, body: dict[str, Any]) -> ToolTurn | None:
    """The request's tools, choice and this turn's results (``None`` for a wire without
    tools)."""
    reader = _READERS.get(wire)
    return reader(body) if reader is not None else None


def auto_tool_reply(wire: Any, body: dict[str, Any], mode: ToolMode) -> FakeReply | None:
    """The auto tool mode's answer, or ``None`` for the plain auto answer (no tools offered,
    ``tool_choice`` none or naming no offered tool, or a schema answer after the results)."""
    turn = read_turn(wire, body) if mode != "off" else None
    if turn is None or not turn.tools or turn.choice == "none":
        return None
    if turn.results is not None:
        if _schema_answer(wire, body):
            return None
        snippet = turn.question if len(turn.question) <= 200 else turn.question[:200] + "..."
        return FakeReply.of_text(
            f"[fake answer] {snippet} (tool results: {'; '.join(turn.results)})"
        )
    tools = turn.tools
    if turn.choice not in ("auto", "required"):
        tools = tuple(t for t in tools if t[0] == turn.choice)
        if not tools:
            return None
    if mode == "auto" or not turn.parallel:
        tools = tools[:1]
    seed = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:12]
    return FakeReply.tool_calls(
        [
            (name, generate_instance(schema or {"type": "object"}, seed=f"{seed}:{name}"))
            for name, schema in tools
        ]
    )
