"""What a stream hands out while it runs (pure): text deltas, :class:`Partial` views of a
structured answer, and the validated items of a ``list[M]`` answer as each one completes.

:class:`PartialTracker` follows the answer channel of one streamed attempt (the text, or the
arguments of the answer tool on the tool route) through the linear-time incremental JSON
parser.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, get_args, get_origin

from ._errors import OutputValidationError
from ._jsonutil import as_dict
from ._output import adapter_for, format_errors
from .codecs._base import Delta, OutputSpec, StreamDecoder
from .schema import WRAP_KEY
from .streaming import IncrementalJSON, JSONStreamError

__all__ = ["Partial", "PartialTracker"]

T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True, slots=True)
class Partial(Generic[T_co]):
    """A snapshot of a structured answer still being written.

    ``data`` is the JSON value so far -- objects and arrays as soon as they open, strings,
    numbers and booleans only once complete, so a field that is not finished is absent, never
    wrong. It is *not* a ``T``: validation happens once, on the complete answer
    (``stream.final()``). ``data`` is a live view, updated in place as the stream continues:
    copy it to keep it. It has the shape the provider was asked for: where the schema dialect
    rewrote a construct (``dict[str, X]`` as key/value pairs on strict providers), the partial
    shows the rewritten form; ``final()`` and ``items()`` return the restored, validated values.
    """

    data: Any

    def get(self, key: str, default: Any = None) -> Any:
        """A top-level field if it is complete (or an open object/array)."""
        return as_dict(self.data).get(key, default)


class PartialTracker:
    """Turns one attempt's deltas into what the caller iterates."""

    def __init__(self, spec: OutputSpec | None, schema: Any) -> None:
        self._spec = spec
        self._json = IncrementalJSON() if spec is not None else None
        self._failed = False
        self._seen = 0
        self._item_adapter: Any = None
        if schema is not None and get_origin(schema) is list:
            (item,) = get_args(schema) or (Any,)
            self._item_adapter = adapter_for(item)

    def _answer_channel(self, channel: str | int, decoder: StreamDecoder) -> bool:
        tool = self._spec.answer_tool if self._spec is not None else None
        if tool is not None:
            return isinstance(channel, int) and decoder.call_name(channel) == tool
        return channel == "text"

    def updates(self, delta: Delta, decoder: StreamDecoder) -> Iterator[Any]:
        """Text deltas (no schema) or ``Partial`` views (with a schema), each produced right
        after its delta is applied (so a live ``Partial`` shows that moment)."""
        channel, text = delta
        if not self._answer_channel(channel, decoder):
            return
        if self._json is None:
            yield text
            return
        if self._failed:
            return
        try:
            self._json.feed(text)
        except JSONStreamError:
            self._failed = True  # e.g. prose around JSON: validated at the end
            return
        if self._json.started:
            yield Partial(self._value())

    def _value(self) -> Any:
        assert self._json is not None
        value = self._json.value
        if self._spec is not None and self._spec.compiled.wrapped:
            return as_dict(value).get(WRAP_KEY)
        return value

    def new_items(self) -> list[Any]:
        """List items completed since the last call, validated (``list[M]`` schemas only).

        An item that does not validate is an :class:`~typedllm.OutputValidationError`."""
        if self._json is None or self._item_adapter is None:
            return []
        done = self._json.completed_items[self._seen :]
        out: list[Any] = []
        for item in done:
            self._seen += 1
            out.append(self._validate_item(item, self._seen - 1))
        return out

    def _validate_item(self, item: Any, index: int) -> Any:
        import pydantic

        try:
            return self._item_adapter.validate_python(self._restore_item(item))
        except pydantic.ValidationError as exc:
            errors = tuple(
                {"loc": (index, *e["loc"]), "msg": e["msg"], "type": e["type"]}
                for e in exc.errors(include_url=False, include_context=False, include_input=False)
            )
            raise OutputValidationError(
                f"list item {index} of the streamed answer did not validate:\n"
                + format_errors(errors),
                errors=errors,
                raw_text=None,
            ) from None

    def _restore_item(self, item: Any) -> Any:
        """Undo the dialect's rewrites (dict pairs, tuple objects ...) on one list item."""
        assert self._spec is not None
        compiled = self._spec.compiled
        if not compiled.rewrites:
            return item
        if compiled.wrapped:
            return as_dict(compiled.restore({WRAP_KEY: [item]})).get(WRAP_KEY, [item])[0]
        restored: Any = compiled.restore([item])
        return restored[0]
