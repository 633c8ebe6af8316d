"""Turning pipeline inputs into prompts and ids (pure).

An input is a prompt (a string, or a sequence of messages), or a record (a mapping, a
dataclass, a pydantic model, any object with attributes) turned into a prompt by ``prompt=``:

* a template string, formatted with the record's fields (``"Extract: {text}"``); ``{input}``
  is the whole input (for string inputs: the string itself);
* a function of the record returning a prompt.

An item's id is ``id_of(input)`` when given, else its index as text.
"""

from __future__ import annotations

import dataclasses
import hashlib
import string
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import orjson

from .._errors import ConfigurationError
from .._messages import Message, Prompt

__all__ = ["PromptSpec", "fields_of", "item_id", "prompt_for", "request_hash"]

PromptSpec = str | Callable[[Any], Prompt] | None
"""How an input becomes a prompt: a template, a function, or ``None`` (the input is one)."""

_FORMATTER = string.Formatter()


def fields_of(record: Any) -> Mapping[str, Any]:
    """The named fields of a record: a mapping as it is, a dataclass or a pydantic model by
    field, any other object by attribute."""
    if isinstance(record, Mapping):
        return record  # pyright: ignore[reportUnknownVariableType]
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
    dump = getattr(record, "model_dump", None)
    if callable(dump):
        dumped: Any = dump()
        if isinstance(dumped, dict):
            return dumped  # pyright: ignore[reportUnknownVariableType]
    return _Attributes(record)


class _Attributes(Mapping[str, Any]):
    """An object's attributes as a mapping (for templates over plain objects)."""

    __slots__ = ("_record",)

    def __init__(self, record: Any) -> None:
        self._record = record

    def __getitem__(self, key: str) -> Any:
        try:
            return getattr(self._record, key)
        except AttributeError:
            raise KeyError(key) from None

    def __iter__(self) -> Any:
        return iter(k for k in dir(self._record) if not k.startswith("_"))

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _TemplateFields(Mapping[str, Any]):
    """A record's fields, plus ``input`` for the whole input."""

    __slots__ = ("_fields", "_input")

    def __init__(self, value: Any) -> None:
        self._input = value
        self._fields = None if isinstance(value, str) else fields_of(value)

    def __getitem__(self, key: str) -> Any:
        if key == "input":
            return self._input
        if self._fields is None:
            raise KeyError(key)
        return self._fields[key]

    def __iter__(self) -> Any:
        yield "input"
        if self._fields is not None:
            yield from self._fields

    def __len__(self) -> int:
        return 1 + (len(self._fields) if self._fields is not None else 0)


def prompt_for(value: Any, spec: PromptSpec, index: int) -> Prompt:
    """The prompt for input number ``index``; a template field the record lacks, or an input
    that is no prompt without ``prompt=``, is a :class:`~typedllm.ConfigurationError`."""
    if spec is None:
        if isinstance(value, str) or _is_messages(value):
            return value  # type: ignore[no-any-return]
        raise ConfigurationError(
            f"input {index} is a {type(value).__name__}, not a prompt: pass prompt= (a "
            "template such as 'Extract: {text}', or a function of the record)"
        )
    if isinstance(spec, str):
        try:
            return _FORMATTER.vformat(spec, (), _TemplateFields(value))
        except KeyError as exc:
            raise ConfigurationError(
                f"the prompt template names {{{exc.args[0]}}}, which input {index} "
                f"({type(value).__name__}) does not have"
            ) from None
        except (IndexError, ValueError) as exc:
            raise ConfigurationError(f"the prompt template is invalid: {exc}") from None
    if callable(spec):
        return spec(value)
    raise ConfigurationError(f"prompt= takes a template string or a function, got {spec!r}")


def _is_messages(value: Any) -> bool:
    return (
        isinstance(value, Sequence)
        and not isinstance(value, (str, bytes))
        and bool(value)  # pyright: ignore[reportUnknownArgumentType]
        and all(isinstance(m, Message) for m in value)  # pyright: ignore[reportUnknownVariableType]
    )


def item_id(value: Any, index: int, id_of: Callable[[Any], Any] | None) -> str:
    """The id of input ``index``: ``id_of(value)`` as text, else the index."""
    if id_of is None:
        return str(index)
    given = id_of(value)
    if given is None or given == "":
        raise ConfigurationError(f"id_of gave no id for input {index}")
    return str(given)


def request_hash(parts: Sequence[Any]) -> str:
    """A stable hash of what makes a request: its URL and body (or, when the request cannot
    be built offline, the model, prompt and schema): a changed prompt is a new item."""
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else orjson.dumps(part, default=repr)
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()
