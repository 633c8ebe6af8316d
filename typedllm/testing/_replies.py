"""Scripted replies for the fake provider: what a test wants the "model" to answer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Union

import orjson

from .._errors import ConfigurationError

__all__ = ["FakeReply", "FakeToolCall", "ToolCallSpec"]


@dataclass(frozen=True)
class FakeToolCall:
    """One scripted tool call: the tool's ``name``, its ``arguments`` as JSON text and its
    ``id`` (``None``: the fake makes a deterministic one in the wire's style)."""

    name: str
    arguments: str = "{}"
    id: str | None = None

    def arguments_object(self) -> dict[str, Any]:
        """The arguments as an object, for the wires that send them so (Anthropic, Gemini,
        Ollama): there a text that is not a JSON object cannot be rendered."""
        try:
            value = orjson.loads(self.arguments)
        except orjson.JSONDecodeError:
            value = None
        if not isinstance(value, dict):
            raise ConfigurationError(
                f"fake tool call {self.name!r}: this wire sends arguments as a JSON object, "
                f"got {self.arguments[:60]!r} (script a dict, or use a wire with string "
                "arguments such as Chat Completions to test invalid arguments)"
            )
        return dict(value)  # pyright: ignore[reportUnknownArgumentType]


ToolCallSpec = Union[
    FakeToolCall,
    tuple[str, Union[Mapping[str, Any], str]],
    tuple[str, Union[Mapping[str, Any], str], Union[str, None]],
]
"""A tool call to script: a :class:`FakeToolCall`, ``(name, arguments)`` or
``(name, arguments, id)``."""


def _arguments_text(name: str, arguments: object) -> str:
    if isinstance(arguments, str):
        return arguments  # as is, even invalid JSON: tests of argument repair need that
    if isinstance(arguments, Mapping):
        return orjson.dumps(dict(arguments)).decode()  # pyright: ignore[reportUnknownArgumentType]
    raise ConfigurationError(
        f"fake tool call {name!r}: arguments must be a dict or a JSON string, "
        f"got {type(arguments).__name__}"
    )


def _as_call(spec: object) -> FakeToolCall:
    if isinstance(spec, FakeToolCall):
        return spec
    if isinstance(spec, tuple) and len(spec) in (2, 3):  # pyright: ignore[reportUnknownArgumentType]
        items: tuple[Any, ...] = spec  # pyright: ignore[reportUnknownVariableType]
        name, arguments = items[0], items[1]
        call_id = items[2] if len(items) == 3 else None
        if isinstance(name, str) and name and (call_id is None or isinstance(call_id, str)):
            return FakeToolCall(name, _arguments_text(name, arguments), call_id)
    raise ConfigurationError(
        f"a fake tool call is (name, arguments) or (name, arguments, id) with a non-empty "
        f"name, or a FakeToolCall; got {spec!r:.80}"
    )


@dataclass(frozen=True)
class FakeReply:
    """One scripted answer. Use the constructors: :meth:`of_text`, :meth:`of_json`,
    :meth:`refusal`, :meth:`truncated`, :meth:`error`, :meth:`raw`, :meth:`tool_call`,
    :meth:`tool_calls`.

    Protocol-neutral fields are rendered in the wire format of the request being answered.
    """

    text: str | None = None
    refusal_text: str | None = None
    finish_reason: str = "stop"
    status: int = 200
    error_message: str | None = None
    error_type: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict[str, str])
    raw_body: bytes | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    calls: tuple[FakeToolCall, ...] = ()

    @classmethod
    def tool_call(
        cls,
        name: str,
        arguments: Mapping[str, Any] | str | None = None,
        *,
        id: str | None = None,
        text: str | None = None,
    ) -> FakeReply:
        """The model calls the tool ``name`` with ``arguments`` (a dict, or JSON text sent as
        is: invalid JSON too, where the wire sends arguments as text). ``id`` defaults to a
        deterministic one in the wire's style; ``text`` is said alongside the call."""
        return cls.tool_calls([(name, {} if arguments is None else arguments, id)], text=text)

    @classmethod
    def tool_calls(cls, calls: Sequence[ToolCallSpec], *, text: str | None = None) -> FakeReply:
        """The model calls several tools at once (parallel calls in one answer), each
        ``(name, arguments)``, ``(name, arguments, id)`` or a :class:`FakeToolCall`; ``text``
        is said before the calls (Cohere sends it as the ``tool_plan``)."""
        if isinstance(calls, (str, bytes)) or not calls:
            raise ConfigurationError("FakeReply.tool_calls needs a non-empty list of calls")
        return cls(text=text, finish_reason="tool_calls", calls=tuple(_as_call(c) for c in calls))

    @classmethod
    def of_text(cls, text: str, *, finish_reason: str = "stop") -> FakeReply:
        """The model answers ``text``."""
        return cls(text=text, finish_reason=finish_reason)

    @classmethod
    def of_json(cls, value: Any) -> FakeReply:
        """The model answers ``value`` serialised as JSON (any JSON-able value)."""
        return cls(text=orjson.dumps(value).decode())

    @classmethod
    def refusal(cls, message: str = "I'm sorry, but I can't help with that.") -> FakeReply:
        """The model refuses (OpenAI ``message.refusal``)."""
        return cls(refusal_text=message)

    @classmethod
    def truncated(cls, text: str = '{"incomplete": ') -> FakeReply:
        """The answer is cut off by the token limit (finish reason ``length``)."""
        return cls(text=text, finish_reason="length")

    @classmethod
    def error(
        cls,
        status: int,
        message: str = "fake error",
        *,
        error_type: str | None = None,
        retry_after: float | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> FakeReply:
        """The provider answers with an HTTP error in its own error-body format."""
        h = dict(headers or {})
        if retry_after is not None:
            h["retry-after"] = str(retry_after)
        return cls(status=status, error_message=message, error_type=error_type, headers=h)

    @classmethod
    def raw(
        cls, status: int, body: bytes | str | Any, headers: Mapping[str, str] | None = None
    ) -> FakeReply:
        """Exactly this status and body (bytes/str as is, anything else as JSON)."""
        if isinstance(body, str):
            data = body.encode()
        elif isinstance(body, bytes):
            data = body
        else:
            data = orjson.dumps(body)
        return cls(status=status, raw_body=data, headers=dict(headers or {}))


@dataclass(frozen=True)
class RecordedRequest:
    """A request the fake received (credential headers redacted)."""

    method: str
    path: str
    headers: dict[str, str]
    json: Any = field(repr=False)
