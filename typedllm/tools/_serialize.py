"""Messages, tool runs and steps as JSON values and back (for a paused loop's state).

Every part type is kept exactly: text with citations and signatures, media as base64,
reasoning with its signature and redacted data, tool calls with their signatures, opaque
provider parts as they came. Each part is ``{"type": <kind>, ...its fields}``.
"""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Mapping
from typing import Any, cast

from .._errors import ConfigurationError
from .._messages import (
    AudioPart,
    CachePoint,
    Citation,
    DocumentPart,
    ImagePart,
    Message,
    OpaquePart,
    Part,
    ReasoningPart,
    RefusalPart,
    TextPart,
    ToolCall,
)
from .._usage import Usage
from ._steps import ToolRun, ToolStep

__all__ = [
    "message_from_json",
    "message_to_json",
    "step_from_json",
    "step_to_json",
    "usage_from_json",
    "usage_to_json",
]

_KINDS: dict[str, type[Any]] = {
    "text": TextPart,
    "image": ImagePart,
    "document": DocumentPart,
    "audio": AudioPart,
    "cache_point": CachePoint,
    "reasoning": ReasoningPart,
    "refusal": RefusalPart,
    "tool_call": ToolCall,
    "opaque": OpaquePart,
}
_NAMES = {cls: kind for kind, cls in _KINDS.items()}


def _part_to_json(part: Part) -> dict[str, Any]:
    out: dict[str, Any] = {"type": _NAMES[type(part)]}
    for f in dataclasses.fields(part):
        value = getattr(part, f.name)
        if value is None:
            continue
        if isinstance(value, bytes):
            value = base64.b64encode(value).decode("ascii")
        elif f.name == "citations":
            value = [dataclasses.asdict(c) for c in cast("tuple[Citation, ...]", value)]
        elif isinstance(value, Mapping):
            value = dict(cast("Mapping[str, Any]", value))
        out[f.name] = value
    return out


def _part_from_json(data: Mapping[str, Any]) -> Part:
    kind = data.get("type")
    cls = _KINDS.get(str(kind))
    if cls is None:
        raise ConfigurationError(f"tool loop state: unknown message part type {kind!r}")
    values = {k: v for k, v in data.items() if k != "type"}
    if "data" in values and cls in (ImagePart, DocumentPart, AudioPart):
        values["data"] = base64.b64decode(values["data"])
    if "citations" in values:
        values["citations"] = tuple(Citation(**c) for c in values["citations"])
    part: Part = cls(**values)
    return part


def message_to_json(message: Message) -> dict[str, Any]:
    """``message`` as a JSON value."""
    out: dict[str, Any] = {
        "role": message.role,
        "parts": [_part_to_json(p) for p in message.parts],
    }
    if message.tool_call_id is not None:
        out["tool_call_id"] = message.tool_call_id
    if message.name is not None:
        out["name"] = message.name
    if message.is_error:
        out["is_error"] = True
    return out


def message_from_json(data: Mapping[str, Any]) -> Message:
    """The message :func:`message_to_json` wrote."""
    parts = tuple(_part_from_json(p) for p in data.get("parts", ()))
    role = data.get("role")
    if role == "tool":
        return Message(
            "tool",
            parts,
            tool_call_id=str(data.get("tool_call_id") or ""),
            name=data.get("name"),
            is_error=bool(data.get("is_error", False)),
        )
    if role not in ("system", "user", "assistant"):
        raise ConfigurationError(f"tool loop state: unknown message role {role!r}")
    return Message(role, parts)


def usage_to_json(usage: Usage) -> dict[str, int]:
    """``usage`` as a JSON value."""
    return {
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "cache_read_tokens": usage.cache_read_tokens,
        "reasoning_tokens": usage.reasoning_tokens,
        "cache_write_tokens": usage.cache_write_tokens,
    }


def usage_from_json(data: Mapping[str, Any]) -> Usage:
    """The usage :func:`usage_to_json` wrote."""
    return Usage(**{k: int(v) for k, v in data.items()})


def run_to_json(run: ToolRun) -> dict[str, Any]:
    """``run`` as a JSON value."""
    return {
        "call": _part_to_json(run.call),
        "arguments": None if run.arguments is None else dict(run.arguments),
        "result": run.result,
        "error": run.error,
        "seconds": run.seconds,
        "decision": run.decision,
        "parts": [_part_to_json(p) for p in run.parts],
    }


def run_from_json(data: Mapping[str, Any]) -> ToolRun:
    """The run :func:`run_to_json` wrote."""
    call = _part_from_json(data["call"])
    if not isinstance(call, ToolCall):
        raise ConfigurationError("tool loop state: a run's call is not a tool call")
    return ToolRun(
        call,
        data.get("arguments"),
        str(data.get("result", "")),
        data.get("error"),
        float(data.get("seconds", 0.0)),
        data.get("decision"),
        tuple(_part_from_json(p) for p in data.get("parts", ())),
    )


def step_to_json(step: ToolStep) -> dict[str, Any]:
    """``step`` as a JSON value."""
    return {
        "message": message_to_json(step.message),
        "runs": [run_to_json(r) for r in step.runs],
        "usage": usage_to_json(step.usage),
        "cost": step.cost,
    }


def step_from_json(data: Mapping[str, Any]) -> ToolStep:
    """The step :func:`step_to_json` wrote."""
    return ToolStep(
        message_from_json(data["message"]),
        tuple(run_from_json(r) for r in data.get("runs", ())),
        usage_from_json(data.get("usage", {})),
        data.get("cost"),
    )
