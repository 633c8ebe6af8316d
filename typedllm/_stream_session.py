"""One streaming call, without I/O: request, incremental decoding, partial values, final check.

The sync and async stream objects (:mod:`typedllm._streams`) only move bytes into
:meth:`StreamSession.feed`; everything else -- SSE decoding, the wire's event rules, the
incremental JSON parser, refusal/truncation checks and validation -- happens here, once.
Streaming calls do not re-ask: an answer that does not validate raises
:class:`~typedllm.OutputValidationError` at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, get_args, get_origin

from ._config import ClientConfig
from ._errors import APIStatusError, OutputValidationError, scrub_secret
from ._flow import Codec, build_messages, check_output
from ._jsonutil import as_dict
from ._messages import Attempt, Completion, Prompt
from ._output import ValidationFailure, adapter_for, parse_output
from ._wire import WireRequest, WireResponse
from .codecs._base import ChatRequest, OutputSpec
from .codecs._stream import StreamState
from .schema import WRAP_KEY
from .streaming import IncrementalJSON, JSONStreamError, SSEDecoder

__all__ = ["Partial", "StreamSession"]

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


class StreamSession:
    """The pure state machine of one streaming call."""

    def __init__(
        self, config: ClientConfig, codec: Codec, prompt: Prompt, schema: Any, *, has_schema: bool
    ) -> None:
        self.config = config
        self.codec = codec
        self.schema = schema
        self.spec: OutputSpec | None = codec.output_spec(config, schema) if has_schema else None
        self.request: WireRequest = codec.encode_stream(
            config, ChatRequest(build_messages(config, prompt), self.spec)
        )
        self.state = StreamState()
        self._sse = SSEDecoder()
        self._json = IncrementalJSON() if self.spec is not None else None
        self._json_failed = False
        self._items_seen = 0
        self._item_adapter = self._list_item_adapter()

    def _list_item_adapter(self) -> Any:
        if self.schema is None or get_origin(self.schema) is not list:
            return None
        (item,) = get_args(self.schema) or (Any,)
        return adapter_for(item)

    def error_for(self, response: WireResponse) -> APIStatusError:
        """The typed error for an error status at the start of the stream."""
        key = self.config.api_key.get() if self.config.api_key is not None else None
        return scrub_secret(self.codec.decode_error(self.config.provider, response), key)

    def start(self, headers: dict[str, str]) -> None:
        """The response headers arrived (status < 400)."""
        from .codecs._base import request_id_of

        self.state.request_id = request_id_of(headers)

    def _answer_channel(self, channel: str | int) -> bool:
        if self.spec is not None and self.spec.mode == "tool":
            return (
                isinstance(channel, int)
                and self.state.call_name(channel) == self.spec.compiled.name
            )
        return channel == "text"

    def feed(self, chunk: bytes) -> Iterator[Any]:
        """Bytes in; out: text deltas (no schema) or ``Partial`` views (with a schema), each
        produced just after its event is applied (so a live ``Partial`` shows that moment)."""
        return self._events(self._sse.decode(chunk))

    def flush(self) -> Iterator[Any]:
        """The end of the body."""
        return self._events(self._sse.flush())

    def _apply(self, event: Any) -> list[Any]:
        try:
            return self.codec.stream_event(self.config.provider, event, self.state)
        except APIStatusError as error:  # an error sent inside the stream
            key = self.config.api_key.get() if self.config.api_key is not None else None
            raise scrub_secret(error, key) from None

    def _events(self, events: list[Any]) -> Iterator[Any]:
        for event in events:
            for channel, text in self._apply(event):
                if not self._answer_channel(channel):
                    continue
                if self._json is None:
                    yield text
                elif not self._json_failed:
                    try:
                        self._json.feed(text)
                    except JSONStreamError:
                        self._json_failed = True  # e.g. prose around JSON: validated at the end
                        continue
                    if self._json.started:
                        yield Partial(self._json_value())

    def _json_value(self) -> Any:
        assert self._json is not None
        value = self._json.value
        if self.spec is not None and self.spec.compiled.wrapped:
            return as_dict(value).get(WRAP_KEY)
        return value

    def new_items(self) -> list[Any]:
        """List items completed since the last call, validated (``list[M]`` schemas only)."""
        if self._json is None or self._item_adapter is None:
            return []
        done = self._json.completed_items[self._items_seen :]
        self._items_seen += len(done)
        return [self._item_adapter.validate_python(self._restore_item(item)) for item in done]

    def _restore_item(self, item: Any) -> Any:
        """Undo the dialect's rewrites (dict pairs, tuple objects ...) on one list item."""
        assert self.spec is not None
        compiled = self.spec.compiled
        if not compiled.rewrites:
            return item
        if compiled.wrapped:
            return as_dict(compiled.restore({WRAP_KEY: [item]})).get(WRAP_KEY, [item])[0]
        restored: Any = compiled.restore([item])
        return restored[0]

    def finish(self) -> Completion[Any]:
        """Check and validate the complete answer."""
        decoded = self.state.decoded()
        if self.spec is not None and self.spec.mode == "tool":
            for call in decoded.tool_calls:
                if call.name == self.spec.compiled.name:
                    finish = (
                        "stop" if decoded.finish_reason == "tool_calls" else decoded.finish_reason
                    )
                    from dataclasses import replace

                    decoded = replace(decoded, text=call.arguments, finish_reason=finish)
        attempt = Attempt(decoded.text, decoded.usage, decoded.finish_reason, decoded.request_id)
        compiled = self.spec.compiled if self.spec is not None else None
        check_output(decoded, decoded.usage, [attempt], compiled)
        if compiled is None:
            output: Any = decoded.text or ""
        else:
            assert self.spec is not None
            try:
                output = parse_output(
                    decoded.text, compiled, self.schema, lenient=not self.spec.enforced
                )
            except ValidationFailure as failure:
                raise OutputValidationError(
                    f"the streamed answer did not validate: {failure.message}",
                    errors=failure.errors,
                    raw_text=decoded.text,
                    usage=decoded.usage,
                    attempts=[attempt],
                    schema=compiled.schema,
                    schema_changes=compiled.changes,
                ) from None
        return Completion(
            output=output,
            raw_text=decoded.text,
            usage=decoded.usage,
            finish_reason=decoded.finish_reason,
            model=decoded.model,
            request_id=decoded.request_id,
            attempts=(attempt,),
            reasoning=decoded.reasoning,
            tool_calls=decoded.tool_calls,
        )
