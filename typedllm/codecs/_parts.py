"""Helpers the wire codecs share for content parts and tools (pure)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from typing import Any, cast

from .._errors import ConfigurationError
from .._jsonutil import NotJSON, as_dict, as_list, loads_exact
from .._messages import AudioPart, Citation, DocumentPart, ImagePart, Message, Part, ToolCall
from .._options import CallOptions, ToolDefinition
from ..schema import Dialect, apply_dialect

__all__ = [
    "b64",
    "call_arguments",
    "data_url",
    "json_headers",
    "json_or_text",
    "put_options",
    "synthetic_call_id",
    "tool_name_for",
    "tool_schema",
    "unsupported",
    "url_citations",
]


def b64(data: bytes) -> str:
    """Standard base64 text of ``data``."""
    return base64.b64encode(data).decode("ascii")


def data_url(part: ImagePart | DocumentPart | AudioPart) -> str:
    """The part's URL, or a ``data:`` URL of its bytes."""
    if part.url is not None:
        return part.url
    assert part.data is not None
    return f"data:{part.media_type};base64,{b64(part.data)}"


def call_arguments(call: ToolCall) -> dict[str, Any]:
    """A tool call's arguments as a JSON object (wires that send arguments as objects).

    Arguments that are not a JSON object (a model that produced invalid JSON) cannot be sent
    without losing them: they are a :class:`~typedllm.ConfigurationError`."""
    if not call.arguments.strip():
        return {}
    try:
        value = loads_exact(call.arguments)
    except NotJSON:
        value = None
    if not isinstance(value, dict):
        raise ConfigurationError(
            f"tool call {call.id!r} ({call.name}) has arguments that are not a JSON object: "
            f"{call.arguments[:200]!r}; this wire sends arguments as an object"
        )
    return cast(dict[str, Any], value)


def json_or_text(text: str) -> Any:
    """``text`` parsed when it is a JSON object or array, else ``text`` itself."""
    stripped = text.strip()
    if stripped[:1] in ("{", "["):
        try:
            return loads_exact(stripped)
        except NotJSON:
            pass
    return text


def tool_name_for(messages: Sequence[Message], index: int) -> str:
    """The tool name of the tool result ``messages[index]``: its own ``name``, else the name of
    the call with its id in an earlier assistant message."""
    result = messages[index]
    if result.name:
        return result.name
    for message in reversed(messages[:index]):
        for call in message.tool_calls:
            if call.id == result.tool_call_id:
                return call.name
    raise ConfigurationError(
        f"tool result for call {result.tool_call_id!r}: no earlier assistant message has a "
        "call with that id; pass name= to tl.tool_result()"
    )


def synthetic_call_id(response_id: str | None, index: int, name: str, arguments: str) -> str:
    """A stable id for a tool call the provider gave none (Gemini), so that results can answer
    it by id: the same answer always gets the same ids."""
    digest = hashlib.sha256(f"{response_id}:{index}:{name}:{arguments}".encode()).hexdigest()
    return f"call_{digest[:20]}"


def tool_schema(tool: ToolDefinition, dialect: Dialect) -> dict[str, Any]:
    """A tool's parameter schema in ``dialect`` (its root stays an object)."""
    params: Mapping[str, Any] = tool.parameters
    if "type" not in params and "properties" not in params and "$ref" not in params:
        params = {"type": "object", "properties": {}, **params}
    emitted, _changes = apply_dialect(params, dialect)
    return emitted


def json_headers(stream: bool) -> dict[str, str]:
    """The content headers of a JSON request whose answer is JSON, or an SSE stream."""
    return {
        "content-type": "application/json",
        "accept": "text/event-stream" if stream else "application/json",
    }


def put_options(target: dict[str, Any], options: CallOptions, fields: Mapping[str, str]) -> None:
    """Copy the set option fields into ``target`` under the wire's names (``stop`` as a
    list)."""
    for name, wire_name in fields.items():
        value = getattr(options, name)
        if value is None or (name == "stop" and not value):
            continue
        target[wire_name] = list(value) if name == "stop" else value


def unsupported(wire: str, part: Part, how: str) -> ConfigurationError:
    """The error for a part a wire cannot send."""
    return ConfigurationError(f"{wire} cannot take {type(part).__name__} {how}")


def url_citations(annotations: Any) -> tuple[Citation, ...]:
    """The ``url_citation`` annotations of an OpenAI answer text: nested under
    ``url_citation`` (Chat Completions) or flat (Responses ``output_text``)."""
    out: list[Citation] = []
    for raw in as_list(annotations):
        annotation = as_dict(raw)
        if annotation.get("type") != "url_citation":
            continue
        cite = as_dict(annotation.get("url_citation")) or annotation
        start, end = cite.get("start_index"), cite.get("end_index")
        out.append(
            Citation(
                url=cite.get("url") if isinstance(cite.get("url"), str) else None,
                title=cite.get("title") if isinstance(cite.get("title"), str) else None,
                start=start if isinstance(start, int) else None,
                end=end if isinstance(end, int) else None,
                source="url_citation",
                raw=annotation,
            )
        )
    return tuple(out)
