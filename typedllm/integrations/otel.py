"""OpenTelemetry traces and metrics of every call, following the GenAI semantic conventions.

>>> import typedllm as tl
>>> from typedllm.integrations import otel
>>> llm = otel.instrument(tl.openai().model("gpt-4o-mini")).build()  # doctest: +SKIP

:func:`instrument` adds an :class:`OTelHook` to a builder's (or a client's) hooks; the hook
turns the call events (:mod:`typedllm.events`) into:

* one ``CLIENT`` span per call, named ``chat {model}``, with ``gen_ai.operation.name``,
  ``gen_ai.provider.name`` (and the older ``gen_ai.system``), ``gen_ai.request.*`` (model,
  temperature, top_p, top_k, max_tokens, seed, stop sequences), ``gen_ai.response.model`` /
  ``.id`` / ``.finish_reasons``, ``gen_ai.usage.input_tokens`` / ``output_tokens``,
  ``server.address`` / ``server.port`` and, on failure, ``error.type``;
* one child span per HTTP attempt (named by its method, like an HTTP client span) with the
  status code, ``http.request.resend_count`` for retries and ``error.type`` when it failed;
* span events on the call span for each retry (``typedllm.retry``: attempt, reason, delay,
  status), each re-ask (``typedllm.reask``) and a stream's first chunk
  (``typedllm.first_chunk``);
* the histograms ``gen_ai.client.token.usage`` (``{token}``, by ``gen_ai.token.type``),
  ``gen_ai.client.operation.duration`` (``s``) and, for streams,
  ``gen_ai.client.operation.time_to_first_chunk`` (``s``).

Prompts and answers (``gen_ai.input.messages``, ``gen_ai.output.messages``) and exception
messages are recorded only with ``capture_content=True``: they are the user's data. Header
values, keys and URL query strings are never recorded.

The conventions followed (status: development):
https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/ and
https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-metrics/ (span name
``{gen_ai.operation.name} {gen_ai.request.model}``, kind ``CLIENT``, one span covering every
retry of the logical operation; the histograms' units and advised bucket boundaries).

Only ``opentelemetry-api`` is imported (``pip install 'typedllm[otel]'``), and only when a hook
is made; without it :func:`instrument` returns its argument unchanged and an
:class:`OTelHook` does nothing. Spans and metrics go to the global providers unless providers
are given.

Tool execution: a tools loop (or the user's own) wraps each tool run in
:meth:`OTelHook.tool_span`, an ``execute_tool {name}`` span.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Generator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import orjson

from .._errors import ConfigurationError
from .._events import (
    CallInfo,
    Event,
    Failed,
    Finished,
    FirstByte,
    Reasked,
    RequestSent,
    ResponseReceived,
    RetryScheduled,
    ToolExecuted,
)
from .._messages import (
    AudioPart,
    DocumentPart,
    ImagePart,
    Message,
    ReasoningPart,
    RefusalPart,
    TextPart,
    ToolCall,
)

if TYPE_CHECKING:
    from .._builders._base import BaseBuilder
    from .._client import Client
    from .._completion import Completion

__all__ = ["OTelHook", "ToolSpan", "available", "instrument"]

SCHEMA_URL = "https://opentelemetry.io/schemas/1.37.0"
"""The semantic-conventions version the attribute names follow."""

TOKEN_BUCKETS = (1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304)
"""Advised bucket boundaries of ``gen_ai.client.token.usage`` (the conventions' list)."""

DURATION_BUCKETS = (0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48)
"""Advised bucket boundaries (seconds) of the duration and time-to-first-chunk histograms."""

# ``gen_ai.provider.name`` well-known values for the providers typedllm names otherwise; any
# other provider (a compatible host) is reported under its own name.
_PROVIDER_NAMES = {
    "gemini": "gcp.gemini",
    "gemini_openai": "gcp.gemini",
    "azure_openai": "azure.ai.openai",
    "mistral": "mistral_ai",
    "xai": "x_ai",
}

_CHAT_OPERATIONS = ("complete", "stream")

B = TypeVar("B", bound="BaseBuilder | Client")


def _api() -> tuple[Any, Any] | None:
    """The ``opentelemetry.trace`` and ``opentelemetry.metrics`` modules, or ``None`` when
    ``opentelemetry-api`` is not installed."""
    try:
        trace = importlib.import_module("opentelemetry.trace")
        metrics = importlib.import_module("opentelemetry.metrics")
    except ImportError:
        return None
    return trace, metrics


def available() -> bool:
    """Whether ``opentelemetry-api`` is installed (``pip install 'typedllm[otel]'``)."""
    return _api() is not None


def provider_name(call: CallInfo, url: str = "") -> str:
    """The ``gen_ai.provider.name`` of a call (Claude on Bedrock is ``aws.bedrock``, models
    on Vertex AI ``gcp.vertex_ai``: the URL says which cloud serves them)."""
    host = urlsplit(url).hostname or ""
    if "bedrock" in host and host.endswith("amazonaws.com"):
        return "aws.bedrock"
    if host.endswith("aiplatform.googleapis.com"):
        return "gcp.vertex_ai"
    return _PROVIDER_NAMES.get(call.provider, call.provider)


def _server(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    if not parts.hostname:
        return {}
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return {"server.address": parts.hostname, "server.port": port}


def _part_json(part: object) -> dict[str, Any] | None:
    """A content part in the conventions' message-part shape (media as type and media type
    only: their bytes are never recorded)."""
    if isinstance(part, TextPart):
        return {"type": "text", "content": part.text}
    if isinstance(part, ToolCall):
        return {"type": "tool_call", "id": part.id, "name": part.name, "arguments": part.arguments}
    if isinstance(part, ReasoningPart):
        return {"type": "reasoning", "content": part.text}
    if isinstance(part, RefusalPart):
        return {"type": "refusal", "content": part.text}
    if isinstance(part, (ImagePart, DocumentPart, AudioPart)):
        kind = {ImagePart: "image", DocumentPart: "document", AudioPart: "audio"}[type(part)]
        shown: dict[str, Any] = {"type": kind, "mime_type": part.media_type}
        if part.url is not None and not part.url.startswith("data:"):
            shown["uri"] = part.url
        return shown
    return None


def _message_json(message: Message) -> dict[str, Any]:
    parts = [p for p in map(_part_json, message.parts) if p is not None]
    if message.role == "tool":
        text = "".join(p.get("content", "") for p in parts if p["type"] == "text")
        parts = [{"type": "tool_call_response", "id": message.tool_call_id, "response": text}]
    return {"role": message.role, "parts": parts}


def input_messages(messages: Sequence[Message]) -> str:
    """``gen_ai.input.messages``: the messages sent (system messages included), as JSON."""
    return orjson.dumps([_message_json(m) for m in messages]).decode()


def output_messages(completion: Completion[Any]) -> str:
    """``gen_ai.output.messages``: the answer, as JSON."""
    parts: list[dict[str, Any]] = []
    if completion.message is not None:
        parts = [p for p in map(_part_json, completion.message.parts) if p is not None]
    elif completion.raw_text:
        parts = [{"type": "text", "content": completion.raw_text}]
    answer: dict[str, Any] = {"role": "assistant", "parts": parts}
    if completion.finish_reason is not None:
        answer["finish_reason"] = completion.finish_reason
    return orjson.dumps([answer]).decode()


def error_type(error: BaseException) -> str:
    """``error.type`` of a failure: the typedllm error's class name (low cardinality)."""
    return type(error).__name__


@dataclass(slots=True)
class _CallState:
    """The open spans of one call."""

    span: Any
    common: dict[str, Any]
    """The attributes every metric point of the call carries."""
    attempt: Any = None
    attempt_failed: bool = False
    attempt_answered: bool = False
    stream: bool = False
    extra: dict[str, Any] = field(default_factory=dict[str, Any])


class ToolSpan:
    """The span of one tool execution (see :meth:`OTelHook.tool_span`)."""

    __slots__ = ("_capture", "_span")

    def __init__(self, span: Any, capture: bool) -> None:
        self._span = span
        self._capture = capture

    def set_result(self, result: object) -> None:
        """Record the tool's result (``gen_ai.tool.call.result``; only with
        ``capture_content=True``)."""
        if self._span is not None and self._capture:
            self._span.set_attribute("gen_ai.tool.call.result", _text(result))


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    try:
        return orjson.dumps(value, default=str).decode()
    except TypeError:
        return repr(value)


class OTelHook:
    """A call-event hook (``builder.on_event(OTelHook())``) that records OpenTelemetry spans
    and metrics following the GenAI semantic conventions (see the module's documentation).

    Args:
        tracer_provider: where spans go (default: the global tracer provider).
        meter_provider: where metrics go (default: the global meter provider).
        capture_content: record prompts, answers, tool arguments/results and exception
            messages (off by default: they are the user's data).

    Without ``opentelemetry-api`` installed the hook does nothing. Pickled (a client shipped
    to workers), it becomes a hook on the receiving process's global providers.
    """

    def __init__(
        self,
        *,
        tracer_provider: Any = None,
        meter_provider: Any = None,
        capture_content: bool = False,
    ) -> None:
        if not isinstance(capture_content, bool):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError("capture_content must be True or False")
        self._capture = capture_content
        self._lock = threading.Lock()
        self._calls: dict[int, _CallState] = {}
        api = _api()
        self._trace: Any = None
        if api is None:
            return
        trace, metrics = api
        from .. import __version__

        self._trace = trace
        self._tracer: Any = trace.get_tracer(
            "typedllm", __version__, tracer_provider, schema_url=SCHEMA_URL
        )
        meter = metrics.get_meter("typedllm", __version__, meter_provider, schema_url=SCHEMA_URL)
        self._tokens: Any = _histogram(
            meter,
            "gen_ai.client.token.usage",
            "{token}",
            "Number of input and output tokens used.",
            TOKEN_BUCKETS,
        )
        self._duration: Any = _histogram(
            meter,
            "gen_ai.client.operation.duration",
            "s",
            "GenAI operation duration.",
            DURATION_BUCKETS,
        )
        self._first_chunk: Any = _histogram(
            meter,
            "gen_ai.client.operation.time_to_first_chunk",
            "s",
            "Time until the first chunk of a streamed answer arrived.",
            DURATION_BUCKETS,
        )

    @property
    def capture_content(self) -> bool:
        """Whether prompts and answers are recorded."""
        return self._capture

    @property
    def enabled(self) -> bool:
        """Whether ``opentelemetry-api`` is installed (else the hook does nothing)."""
        return self._trace is not None

    def __repr__(self) -> str:
        return f"OTelHook(capture_content={self._capture!r}, enabled={self.enabled!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restored_hook, (self._capture,))

    # -- events --------------------------------------------------------------------------------

    def __call__(self, event: Event) -> None:
        """Record ``event`` (calls that are not completions or streams are ignored)."""
        if self._trace is None:
            return
        if isinstance(event, ToolExecuted):
            self._tool_executed(event)
            return
        if event.call.operation not in _CHAT_OPERATIONS:
            return
        with self._lock:
            if isinstance(event, RequestSent):
                self._sent(event)
            elif isinstance(event, ResponseReceived):
                self._received(event)
            elif isinstance(event, RetryScheduled):
                self._retry(event)
            elif isinstance(event, Reasked):
                self._reasked(event)
            elif isinstance(event, FirstByte):
                self._first_byte(event)
            elif isinstance(event, Finished):
                self._finished(event)
            else:
                self._failed(event)

    def _tool_executed(self, event: ToolExecuted) -> None:
        """An ``execute_tool {name}`` span over the run the tool loop reported (its own start
        and end times), with ``error.type`` when the tool failed."""
        trace = self._trace
        assert trace is not None
        start = int(event.started * 1e9)
        attributes = self._tool_attributes(event.name, event.call_id or None, event.arguments)
        if event.error is not None:
            attributes["error.type"] = "ToolError"
        elif self._capture:
            attributes["gen_ai.tool.call.result"] = event.result
        span = self._tracer.start_span(
            f"execute_tool {event.name}",
            kind=trace.SpanKind.INTERNAL,
            attributes=attributes,
            start_time=start,
        )
        if event.error is not None:
            message = event.error if self._capture else "ToolError"
            span.set_status(trace.Status(trace.StatusCode.ERROR, message))
        span.end(end_time=start + int(event.seconds * 1e9))

    def _tool_attributes(
        self, name: str, call_id: str | None, arguments: str | None
    ) -> dict[str, Any]:
        attributes: dict[str, Any] = {
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": name,
            "gen_ai.tool.type": "function",
        }
        if call_id is not None:
            attributes["gen_ai.tool.call.id"] = call_id
        if arguments is not None and self._capture:
            attributes["gen_ai.tool.call.arguments"] = arguments
        return attributes

    def _start_call(self, call: CallInfo, url: str, start: int | None = None) -> _CallState:
        provider = provider_name(call, url)
        common: dict[str, Any] = {
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": provider,
            "gen_ai.request.model": call.model,
            **_server(url),
        }
        attributes = {**common, "gen_ai.system": provider}
        span = self._tracer.start_span(
            f"chat {call.model}",
            kind=self._trace.SpanKind.CLIENT,
            attributes=attributes,
            start_time=start,
        )
        state = _CallState(span, common, stream=call.operation == "stream")
        self._calls[call.id] = state
        return state

    def _end_attempt(self, state: _CallState) -> None:
        if state.attempt is not None:
            state.attempt.end()
            state.attempt = None
            state.attempt_failed = False
            state.attempt_answered = False

    def _sent(self, event: RequestSent) -> None:
        state = self._calls.get(event.call.id)
        if state is None:
            state = self._start_call(event.call, event.url)
            options = event.options
            if options is not None:
                params = {
                    "gen_ai.request.temperature": options.temperature,
                    "gen_ai.request.top_p": options.top_p,
                    "gen_ai.request.top_k": options.top_k,
                    "gen_ai.request.max_tokens": options.max_tokens,
                    "gen_ai.request.seed": options.seed,
                    "gen_ai.request.stop_sequences": list(options.stop) if options.stop else None,
                }
                state.span.set_attributes({k: v for k, v in params.items() if v is not None})
        self._end_attempt(state)
        if self._capture and event.messages:
            # Each re-ask round sends the longer conversation: the span keeps the last one.
            state.span.set_attribute("gen_ai.input.messages", input_messages(event.messages))
        attributes: dict[str, Any] = {
            "http.request.method": event.method,
            "url.full": event.url,  # safe_url: no userinfo, no query string
            "typedllm.attempt": event.attempt,
            "typedllm.round": event.round,
            "gen_ai.request.model": event.call.model,
            **_server(event.url),
        }
        if event.attempt > 1:
            attributes["http.request.resend_count"] = event.attempt - 1
        context = self._trace.set_span_in_context(state.span)
        state.attempt = self._tracer.start_span(
            event.method, context=context, kind=self._trace.SpanKind.CLIENT, attributes=attributes
        )

    def _received(self, event: ResponseReceived) -> None:
        state = self._calls.get(event.call.id)
        if state is None or state.attempt is None:
            return
        state.attempt_answered = True
        state.attempt.set_attribute("http.response.status_code", event.status)
        if event.request_id:
            state.attempt.set_attribute("typedllm.request_id", event.request_id)
        if event.status >= 400:
            self._fail_attempt(state, str(event.status))

    def _fail_attempt(self, state: _CallState, kind: str) -> None:
        if state.attempt is None or state.attempt_failed:
            return
        state.attempt_failed = True
        state.attempt.set_attribute("error.type", kind)
        state.attempt.set_status(self._trace.Status(self._trace.StatusCode.ERROR, kind))

    def _retry(self, event: RetryScheduled) -> None:
        state = self._calls.get(event.call.id)
        if state is None:
            return
        kind = str(event.status) if event.status is not None else error_type(event.error)
        self._fail_attempt(state, kind)
        self._end_attempt(state)
        attributes: dict[str, Any] = {
            "typedllm.attempt": event.attempt,
            "typedllm.retry.reason": event.reason,
            "typedllm.retry.delay": event.delay,
            "error.type": kind,
        }
        if event.status is not None:
            attributes["http.response.status_code"] = event.status
        state.span.add_event("typedllm.retry", attributes)

    def _reasked(self, event: Reasked) -> None:
        state = self._calls.get(event.call.id)
        if state is not None:
            attributes = {"typedllm.round": event.round, "typedllm.errors": len(event.errors)}
            state.span.add_event("typedllm.reask", attributes)

    def _first_byte(self, event: FirstByte) -> None:
        state = self._calls.get(event.call.id)
        if state is None:
            return
        state.span.add_event("typedllm.first_chunk", {"typedllm.elapsed": event.elapsed})
        state.span.set_attribute("typedllm.time_to_first_chunk", event.elapsed)
        self._first_chunk.record(event.elapsed, state.common)

    def _finished(self, event: Finished) -> None:
        state = self._calls.pop(event.call.id, None)
        if state is None:
            return
        self._end_attempt(state)
        span, common = state.span, dict(state.common)
        completion = event.completion
        usage = event.usage
        attributes: dict[str, Any] = {
            "gen_ai.usage.input_tokens": usage.input_tokens,
            "gen_ai.usage.output_tokens": usage.output_tokens,
            "typedllm.attempts": event.attempts,
        }
        if usage.cache_read_tokens:
            attributes["gen_ai.usage.cache_read.input_tokens"] = usage.cache_read_tokens
        if usage.cache_write_tokens:
            attributes["gen_ai.usage.cache_creation.input_tokens"] = usage.cache_write_tokens
        if event.finish_reason is not None:
            attributes["gen_ai.response.finish_reasons"] = [event.finish_reason]
        if event.cost is not None:
            attributes["typedllm.cost"] = event.cost
        if completion is not None:
            if completion.model:
                attributes["gen_ai.response.model"] = completion.model
                common["gen_ai.response.model"] = completion.model
            response_id = completion.response_id or completion.request_id
            if response_id:
                attributes["gen_ai.response.id"] = response_id
            if self._capture:
                attributes["gen_ai.output.messages"] = output_messages(completion)
        span.set_attributes(attributes)
        span.end()
        self._tokens.record(usage.input_tokens, {**common, "gen_ai.token.type": "input"})
        self._tokens.record(usage.output_tokens, {**common, "gen_ai.token.type": "output"})
        self._duration.record(event.elapsed, common)

    def _failed(self, event: Failed) -> None:
        state = self._calls.pop(event.call.id, None)
        if state is None:  # failed before any request went out (a bad prompt, option ...)
            start = time.time_ns() - int(event.elapsed * 1e9)
            state = self._start_call(event.call, "", start)
            del self._calls[event.call.id]
        kind = error_type(event.error)
        if state.attempt is not None:
            # An attempt that got no answer failed with the call (a connection error, a
            # timeout); one answered with an error status is marked already; one answered
            # with a success (then refused, truncated, invalid) did its part.
            if not state.attempt_answered:
                self._fail_attempt(state, kind)
            self._end_attempt(state)
        span = state.span
        span.set_attribute("error.type", kind)
        description = f"{kind}: {event.error}" if self._capture else kind
        span.set_status(self._trace.Status(self._trace.StatusCode.ERROR, description))
        if self._capture:
            span.record_exception(event.error)
        span.end()
        self._duration.record(event.elapsed, {**state.common, "error.type": kind})

    # -- tools ---------------------------------------------------------------------------------

    @contextmanager
    def tool_span(
        self, name: str, *, call_id: str | None = None, arguments: str | None = None
    ) -> Generator[ToolSpan, None, None]:
        """An ``execute_tool {name}`` span around one tool run (the hook point of a tools
        loop of your own; typedllm's loop reports its runs as :class:`ToolExecuted` events,
        which become these spans): ``gen_ai.tool.name``, ``gen_ai.tool.call.id``,
        ``error.type`` when the block raises; the arguments and (via
        :meth:`ToolSpan.set_result`) the result only with ``capture_content=True``.

        >>> hook = OTelHook()
        >>> with hook.tool_span("get_weather", call_id="call_1") as tool:
        ...     tool.set_result({"temperature": 21})
        """
        if self._trace is None:
            yield ToolSpan(None, False)
            return
        attributes = self._tool_attributes(name, call_id, arguments)
        span = self._tracer.start_span(
            f"execute_tool {name}", kind=self._trace.SpanKind.INTERNAL, attributes=attributes
        )
        try:
            yield ToolSpan(span, self._capture)
        except BaseException as error:
            kind = error_type(error)
            span.set_attribute("error.type", kind)
            span.set_status(self._trace.Status(self._trace.StatusCode.ERROR, kind))
            raise
        finally:
            span.end()


def _histogram(meter: Any, name: str, unit: str, description: str, buckets: Any) -> Any:
    """A histogram with the advised buckets (``opentelemetry-api`` 1.23+ takes them; older
    versions do not know the argument)."""
    try:
        return meter.create_histogram(
            name, unit=unit, description=description, explicit_bucket_boundaries_advisory=buckets
        )
    except TypeError:
        return meter.create_histogram(name, unit=unit, description=description)


def _restored_hook(capture_content: bool) -> OTelHook:
    return OTelHook(capture_content=capture_content)


def instrument(
    target: B,
    *,
    tracer_provider: Any = None,
    meter_provider: Any = None,
    capture_content: bool = False,
) -> B:
    """``target`` (a builder or a client) with an :class:`OTelHook` added to its hooks: a new
    builder, or a new client sharing the configuration (the original is unchanged).

    Without ``opentelemetry-api`` installed, ``target`` itself is returned.
    """
    from .._builders._base import BaseBuilder
    from .._client import Client

    if not isinstance(target, (BaseBuilder, Client)):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(
            f"instrument takes a typedllm builder or client, got {type(target).__name__}"
        )
    if not available():
        return target
    hook = OTelHook(
        tracer_provider=tracer_provider,
        meter_provider=meter_provider,
        capture_content=capture_content,
    )
    if isinstance(target, BaseBuilder):
        return target.on_event(hook)
    config = target.config
    if any(isinstance(h, OTelHook) for h in config.hooks):
        raise ConfigurationError("this client is already instrumented with an OTelHook")
    client: Any = Client(replace(config, hooks=(*config.hooks, hook)))
    result: B = client
    return result
