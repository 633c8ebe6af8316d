"""The one implementation of a ``complete`` call, shared by the sync and async clients.

A flow is a generator: it yields effects (:mod:`typedllm._wire`: send this request, sleep) and
receives their results; its return value is the call's result. Drivers
(:mod:`typedllm._transport`) only perform effects, so retries, re-asks and output checks exist
once. The data flow of one call::

    prompt -> messages (the default system prompt first; the caller's list is never mutated)
      -> options (the builder's defaults, the call's overrides) -> capability gates
      -> codec.output_spec (schema compiled for the wire, cached)
      -> codec.encode -> host.prepare (URL, headers) -> auth.auth_flow (may yield effects)
      -> Send -> WireResponse (transport retries per the RetryPolicy)
      -> codec.decode -> finish_answer (tool route, refusal/truncation, validation)
      -> Completion, or a re-ask with the validation errors

Two retry layers with separate budgets:

* transport retries (:class:`~typedllm.RetryPolicy`): connection errors, timeouts, retryable
  statuses, with backoff, ``Retry-After`` and an overall deadline;
* re-asks (``max_reasks``): an answer that does not validate is sent back with the errors.
  Refusals and truncation are never re-asked: they are typed errors at once.

Every step is reported to the client's hooks (:mod:`typedllm._events`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, TypeVar, cast

import orjson

from ._answer import InvalidAnswer, finish_answer
from ._completion import Attempt, Completion, Usage
from ._config import ClientConfig
from ._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    BadRequestError,
    ConfigurationError,
    OutputValidationError,
    ProtocolError,
    SchemaError,
    StreamClosedError,
    TransportError,
    scrub_secret,
)
from ._events import (
    CallInfo,
    Failed,
    Finished,
    Operation,
    Reasked,
    RequestSent,
    ResponseReceived,
    RetryScheduled,
    emit,
    logger,
    new_call,
    safe_url,
)
from ._gates import check_request
from ._messages import Message, Prompt, TextPart, trusted_text
from ._options import CallOptions
from ._output import ValidationFailure
from ._request_template import FirstRequest, template_for
from ._wire import (
    EncodedRequest,
    Send,
    Sleep,
    TransportFailure,
    WireRequest,
    WireResponse,
    is_sensitive_header,
)
from .codecs._base import ChatRequest, Codec, DecodedCompletion, OutputSpec, request_id_of
from .hosts import Auth, HeaderAuth

__all__ = [
    "CallContext",
    "Flow",
    "caller_messages",
    "complete_flow",
    "decode_answer",
    "failed",
    "observed",
    "prepare_call",
    "send_request",
    "transport_error",
]

Flow = Generator[Any, Any, Any]
T = TypeVar("T")
TE = TypeVar("TE", bound=TransportError)
Clock = Callable[[], float]


def caller_messages(prompt: Prompt) -> tuple[Message, ...]:
    """The caller's messages (a string is one user message); the caller's sequence is copied,
    never mutated."""
    if isinstance(prompt, str):  # the common case, built without re-checking a plain string
        parts = (trusted_text(prompt),) if prompt else ()
        return (Message._trusted("user", parts),)  # pyright: ignore[reportPrivateUsage]
    if isinstance(prompt, (bytes, bytearray)):
        raise ConfigurationError("prompt is bytes: decode it to str first")
    if not isinstance(prompt, Sequence):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(
            f"prompt must be a str or a sequence of messages, got {type(prompt).__name__}"
        )
    messages: list[Message] = []
    for m in cast("Sequence[object]", prompt):
        if not isinstance(m, Message):
            raise ConfigurationError(
                "prompt messages must be typedllm messages (tl.system/tl.user/tl.assistant/"
                f"tl.tool_result), got {type(m).__name__}"
            )
        messages.append(m)
    if not messages:
        raise ConfigurationError("prompt has no messages")
    return tuple(messages)


@dataclass(slots=True)
class CallContext:
    """What every step of one call needs."""

    config: ClientConfig
    codec: Codec
    operation: Operation
    clock: Clock
    started: float
    observed: bool = True
    """Whether anyone listens (hooks, or the logger at INFO): events are built only then."""
    extra_secrets: tuple[str, ...] = ()
    """Credentials sent by this call only (sensitive per-call headers)."""
    request: ChatRequest | None = None
    """The chat request of the current round (reported with each request; set only when
    observed)."""
    made_call: CallInfo | None = None
    """The call's :class:`CallInfo`, once :attr:`call` made it."""

    @property
    def call(self) -> CallInfo:
        """Which call this is, for its events (made when first asked for: an unobserved call
        that succeeds never needs one, and nothing of it stays alive while it is out)."""
        call = self.made_call
        if call is None:
            call = self.made_call = new_call(
                self.config.provider, self.config.model, self.operation
            )
        return call

    def for_call(self, options: CallOptions) -> CallContext:
        """This context knowing the call's own credentials (to scrub them too)."""
        headers = options.extra_headers
        if not headers:
            return self
        secrets = tuple(v for k, v in headers.items() if is_sensitive_header(k) and len(v) >= 4)
        return replace(self, extra_secrets=secrets) if secrets else self

    def elapsed(self) -> float:
        """Seconds since the call started."""
        return self.clock() - self.started

    def timeout(self, options: CallOptions) -> float:
        """The timeout of the next request (bounded by what is left of the deadline)."""
        timeout = options.timeout or self.config.timeout
        budget = self.budget()
        return timeout if budget is None else min(timeout, budget)

    def budget(self) -> float | None:
        """Seconds left before the call's deadline (``None`` without one)."""
        deadline = self.config.retry.deadline
        return None if deadline is None else max(0.001, deadline - self.elapsed())

    def past_deadline(self) -> bool:
        """Whether the call's deadline has passed."""
        deadline = self.config.retry.deadline
        return deadline is not None and self.elapsed() >= deadline

    def scrub(self, error: TE) -> TE:
        """``error`` without any credential a server echoed."""
        return scrub_secret(error, *self.config.secrets(), *self.extra_secrets)

    def emit(self, event: Any) -> None:
        """Report ``event`` to the logger and the hooks."""
        if self.observed:
            emit(self.config.hooks, event)

    def sent(
        self, request: WireRequest, attempt: int, round: int = 0, stream: bool = False
    ) -> None:
        """Report a request about to go out (the event is built only when someone listens)."""
        if self.observed:
            url = safe_url(request.url)
            chat = self.request
            messages = chat.messages if chat is not None else ()
            options = chat.options if chat is not None else None
            self.emit(
                RequestSent(
                    self.call, request.method, url, attempt + 1, round, stream, messages, options
                )
            )

    def received(self, status: int, headers: Mapping[str, str]) -> None:
        """Report a response head."""
        if self.observed:
            request_id = request_id_of(headers)
            self.emit(ResponseReceived(self.call, status, headers, request_id, self.elapsed()))


def new_context(
    config: ClientConfig, codec: Codec, operation: Operation, clock: Clock
) -> CallContext:
    """The context of a new call."""
    observed = bool(config.hooks) or logger.isEnabledFor(logging.INFO)
    return CallContext(config, codec, operation, clock, clock(), observed)


@dataclass(slots=True)
class PreparedCall:
    """The pure setup of one call: its messages, options and output spec (and the request of
    its first round)."""

    conversation: tuple[Message, ...]
    messages: tuple[Message, ...]
    options: CallOptions
    spec: OutputSpec | None
    request: ChatRequest


def prepare_call(
    config: ClientConfig,
    codec: Codec,
    prompt: Prompt,
    schema: Any,
    *,
    has_schema: bool,
    options: CallOptions | None,
) -> PreparedCall:
    """Messages, merged options, capability gates and the compiled schema of a call."""
    if options is not None and not isinstance(options, CallOptions):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(f"options must be tl.CallOptions, got {type(options).__name__}")
    if has_schema:
        _check_schema_argument(schema)
    conversation = caller_messages(prompt)
    messages = (
        (Message("system", config.system_prompt), *conversation)
        if config.system_prompt
        else conversation
    )
    merged = config.defaults.merged(options)
    spec = codec.output_spec(config, schema) if has_schema else None
    if spec is not None and merged.tools and spec.answer_tool is not None:
        _check_answer_tool(spec.answer_tool, merged.tools)
    request = ChatRequest(messages, spec, merged)
    check_request(config, request)
    return PreparedCall(conversation, messages, merged, spec, request)


def _check_answer_tool(answer_tool: str, tools: Sequence[Any]) -> None:
    """The tool route answers through a tool named after the schema: a caller's tool of the
    same name would make the answer and the tool call indistinguishable."""
    if any(t.name == answer_tool for t in tools):
        raise ConfigurationError(
            f"a tool is named {answer_tool!r}, the name of the answer tool this wire uses for "
            "schema= (the tool route): rename the tool"
        )


_VALUE_TYPES = (str, bytes, bytearray, int, float, complex, list, dict, set, frozenset, tuple)


_CHECKED_SCHEMAS: set[Any] = set()
"""Schema arguments already found to be types (the check runs once per schema)."""


def _check_schema_argument(schema: Any) -> None:
    """Refuse a value where a type is expected (``schema=Invoice(...)`` for ``Invoice``)."""
    try:
        if schema in _CHECKED_SCHEMAS:
            return
    except Exception:  # unhashable (an instance of some kind, an odd type form)
        pass
    _check_schema_value(schema)
    try:
        if len(_CHECKED_SCHEMAS) < 4096:
            _CHECKED_SCHEMAS.add(schema)
    except Exception:
        pass


def _check_schema_value(schema: Any) -> None:
    import dataclasses

    instance = isinstance(schema, _VALUE_TYPES) or (
        dataclasses.is_dataclass(schema) and not isinstance(schema, type)
    )
    if not instance and not isinstance(schema, type):
        from pydantic import BaseModel

        instance = isinstance(schema, BaseModel)
    if instance:
        name = type(cast(object, schema)).__name__
        raise SchemaError(
            f"schema= got an instance of {name} ({schema!r:.80}): pass the type, not an "
            f"instance (schema={name})"
        )


def encode_request(ctx: CallContext, request: ChatRequest, *, stream: bool) -> EncodedRequest:
    """Encode ``request``; a text that cannot be sent (a lone surrogate) is named."""
    try:
        return ctx.codec.encode(ctx.config, request, stream)
    except orjson.JSONEncodeError as exc:
        for position, message in enumerate(request.messages):
            for part in message.parts:
                if isinstance(part, TextPart):
                    try:
                        part.text.encode("utf-8")
                    except UnicodeEncodeError:
                        raise ConfigurationError(
                            f"message {position} ({message.role}) has text that is not valid "
                            "Unicode (a lone surrogate); it cannot be sent"
                        ) from None
        raise ConfigurationError(f"the request cannot be encoded as JSON: {exc}") from None


def _static_auth(auth: Auth | None) -> bool:
    """Whether ``auth`` needs no effects (no auth, or a step that only applies headers: its
    ``auth_flow`` is the base class's, which calls ``apply``)."""
    return auth is None or type(auth).auth_flow is Auth.auth_flow


def _placed(ctx: CallContext, encoded: EncodedRequest, options: CallOptions) -> WireRequest:
    """The request placed by the host, with the call's own headers."""
    request = ctx.config.host.prepare(encoded, ctx.config.model)
    if options.extra_headers:
        request = request.with_headers(options.extra_headers)
    return request


def place_static(ctx: CallContext, encoded: EncodedRequest, options: CallOptions) -> WireRequest:
    """The final request of a static auth step, built in one pass when it is a plain header
    credential and the call adds no headers of its own (which the credential must win over)."""
    auth = ctx.config.auth
    if type(auth) is HeaderAuth and not options.extra_headers:
        credential = ((auth.header, auth.prefix + auth.key.get()),)
        return ctx.config.host.prepare(encoded, ctx.config.model, credential)
    request = _placed(ctx, encoded, options)
    return auth.apply(request) if auth is not None else request


def authenticate(
    ctx: CallContext, encoded: EncodedRequest, options: CallOptions
) -> Generator[Any, Any, WireRequest]:
    """The final request: placed by the host, the call's headers added, then authenticated."""
    request = _placed(ctx, encoded, options)
    auth = ctx.config.auth
    if auth is None:
        return request
    return (yield from auth.auth_flow(request))


def transport_error(
    ctx: CallContext,
    failure: TransportFailure,
    request: WireRequest,
    timeout: float | None = None,
    *,
    during: str = "",
) -> TransportError:
    """The typed error for a transport failure, naming the host and the limit that fired
    (the request's timeout, or the call's deadline)."""
    provider, host = ctx.config.provider, request.host
    deadline = ctx.config.retry.deadline
    if failure.kind == "deadline" or (
        failure.kind == "timeout" and deadline is not None and ctx.past_deadline()
    ):
        assert deadline is not None
        return APITimeoutError(
            f"the call to {host} did not finish within its deadline of {deadline:g}s"
            f"{during}: {failure.message}",
            provider=provider,
            host=host,
            timeout=deadline,
            deadline=True,
        )
    if failure.kind == "timeout":
        limit = f" after {timeout:g}s" if timeout is not None else ""
        return APITimeoutError(
            f"the request to {host} timed out{limit}{during}: {failure.message}",
            provider=provider,
            host=host,
            timeout=timeout,
        )
    if failure.kind == "decode":
        return ProtocolError(
            f"the body from {host} could not be decoded (its Content-Encoding does not match "
            f"its bytes){during}: {failure.message}",
            provider=provider,
        )
    return APIConnectionError(
        f"could not reach {host}{during}: {failure.message}", provider=provider, host=host
    )


def failed(
    ctx: CallContext, failure: TransportFailure, request: WireRequest, timeout: float | None
) -> tuple[TransportError, bool]:
    """The typed error of a transport failure, and whether it is worth retrying (a connection
    that failed or timed out; not a body that cannot be decoded, not a deadline that passed)."""
    retryable = failure.kind in ("connect", "timeout")
    return transport_error(ctx, failure, request, timeout), retryable


def retry_delay(
    ctx: CallContext, attempt: int, error: TransportError, retryable: bool
) -> float | None:
    """Seconds to wait before retrying ``error`` (and the retry reported), or ``None`` to
    raise it now."""
    if not retryable:
        return None
    policy = ctx.config.retry
    status: int | None = None
    if isinstance(error, APIStatusError):
        status = error.status_code
        delay = policy.delay(
            attempt, kind="status", retry_after=error.retry_after, elapsed=ctx.elapsed()
        )
        reason: Literal["status", "connection", "timeout"] = "status"
    else:
        delay = policy.delay(attempt, kind="connection", elapsed=ctx.elapsed())
        reason = "timeout" if isinstance(error, APITimeoutError) else "connection"
    if delay is not None:
        ctx.emit(RetryScheduled(ctx.call, attempt + 1, reason, delay, status, error))
    return delay


def status_error(ctx: CallContext, response: WireResponse) -> tuple[APIStatusError, bool]:
    """The typed (scrubbed) error of an error response, and whether the policy retries it."""
    error = ctx.scrub(ctx.codec.decode_error(ctx.config.provider, response))
    # A codec that reads a 5xx answer as a request-validation error (Ollama's invalid
    # ``format``, llama-cpp-python's rejected ``json_schema``) returns a BadRequestError:
    # the same request cannot succeed on a retry, so it is not retried as an overload.
    if isinstance(error, BadRequestError) and response.status >= 500:
        return error, False
    return error, ctx.config.retry.retries_status(response.status, response.headers)


def send_request(
    ctx: CallContext,
    encoded: EncodedRequest | None,
    options: CallOptions,
    *,
    round: int = 0,
    placed: WireRequest | None = None,
) -> Generator[Any, Any, WireResponse]:
    """Send one request, retrying transport failures and retryable statuses per the policy;
    return the successful response. ``placed`` is a final request made already (from a
    request template: static auth only), sent as it is on every attempt."""
    config = ctx.config
    static = placed is not None or _static_auth(config.auth)
    for attempt in range(config.retry.max_attempts):
        if placed is not None:
            request = placed
        elif static:  # no effects to yield: skip the generators of the auth step
            assert encoded is not None
            request = place_static(ctx, encoded, options)
        else:
            assert encoded is not None
            request = yield from authenticate(ctx, encoded, options)
        if ctx.observed:
            ctx.sent(request, attempt, round)
        if config.retry.deadline is None:  # ctx.timeout() and ctx.budget(), without a deadline
            timeout, budget = options.timeout or config.timeout, None
        else:
            timeout, budget = ctx.timeout(options), ctx.budget()
        reply = yield Send(request, timeout, budget)
        error: TransportError
        if isinstance(reply, TransportFailure):
            error, retryable = failed(ctx, reply, request, timeout)
        else:
            response: WireResponse = reply  # (reply is Any: no cast() call per call)
            if ctx.observed:
                ctx.received(response.status, response.headers)
            if response.status < 300:  # a 3xx is not followed: it is no answer
                return response
            error, retryable = status_error(ctx, response)
        delay = retry_delay(ctx, attempt, error, retryable)
        if delay is None:
            raise error
        yield Sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def decode_answer(ctx: CallContext, response: WireResponse) -> DecodedCompletion:
    """Decode a successful response (an error body under HTTP 200 raises, scrubbed)."""
    try:
        return ctx.codec.decode(ctx.config.provider, response)
    except TransportError as error:
        raise ctx.scrub(error) from None


def _reask_message(failure: ValidationFailure) -> Message:
    return Message(
        "user",
        "Your previous answer did not match the required JSON schema:\n"
        f"{failure.message}\n"
        "Reply again with only the corrected JSON.",
    )


def validation_error(
    invalid: InvalidAnswer, attempts: Sequence[Attempt], spec: OutputSpec, *, streamed: bool
) -> OutputValidationError:
    """The :class:`OutputValidationError` for an answer that did not validate."""
    failure = invalid.failure
    what = (
        "the streamed answer did not validate"
        if streamed
        else (f"the answer did not validate after {len(attempts)} attempt(s)")
    )
    return OutputValidationError(
        f"{what}: {failure.message}",
        errors=failure.errors,
        raw_text=invalid.attempt.raw_text,
        usage=invalid.usage,
        attempts=attempts,
        schema=spec.compiled.schema,
        schema_changes=spec.compiled.changes,
    )


def complete_flow(
    config: ClientConfig,
    codec: Codec,
    prompt: Prompt,
    schema: Any = None,
    *,
    has_schema: bool,
    options: CallOptions | None = None,
    clock: Clock = time.monotonic,
) -> Generator[Any, Any, Completion[Any]]:
    """The whole ``complete`` call: encode, send (with retries), check, validate, re-ask."""
    ctx = new_context(config, codec, "complete", clock)
    # observed()'s reporting, inlined around the whole call: one generator per call (it is
    # resumed at every step, and the collector walks it while the request is out).
    try:
        template = None
        # A template is made for string prompts only (and checks that): typed as one here
        # without a cast() call per call.
        text: Any = prompt
        if options is None and not ctx.observed:  # (events report the chat request it skips)
            template = template_for(config, prompt, schema, has_schema, _first_request, ctx)
        first = template.request(text) if template is not None else None
        if template is None or first is None:
            call = prepare_call(
                config, ctx.codec, prompt, schema, has_schema=has_schema, options=options
            )
            conversation: tuple[Message, ...] | None = call.conversation
            messages, spec, merged = call.messages, call.spec, call.options
            first_request: ChatRequest | None = call.request
        else:
            # The template's checks (gates, schema) ran when it was made: only the prompt is
            # new. Its messages are made once the answer is in (not held while the request is
            # out).
            conversation, messages = None, ()
            spec, merged, first_request = template.spec, template.options, None
        ctx = ctx.for_call(merged)
        usage = _NO_USAGE
        attempts: Sequence[Attempt] = ()
        for round in range(config.max_reasks + 1):
            if round == 0 and first is not None:
                response = yield from send_request(ctx, None, merged, placed=first)
            else:
                request = (
                    first_request
                    if round == 0 and first_request is not None
                    else ChatRequest(messages, spec, merged)
                )
                encoded = encode_request(ctx, request, stream=False)
                if ctx.observed:
                    ctx.request = request
                response = yield from send_request(ctx, encoded, merged, round=round)
            decoded = decode_answer(ctx, response)
            if conversation is None:
                assert template is not None
                conversation = caller_messages(text)
                messages = (*template.system, *conversation) if template.system else conversation
            try:
                completion = finish_answer(
                    decoded,
                    spec=spec,
                    schema=schema,
                    usage=usage,
                    attempts=attempts,
                    conversation=conversation,
                    model_info=config.model_info,
                )
            except InvalidAnswer as invalid:
                assert spec is not None
                attempts = [*attempts, invalid.attempt]
                usage = invalid.usage
                budget = config.reask_token_budget
                spent = budget is not None and usage.total_tokens >= budget
                if round == config.max_reasks or spent:
                    raise validation_error(invalid, attempts, spec, streamed=False) from None
                ctx.emit(Reasked(ctx.call, round, invalid.failure.errors))
                # New tuple: the caller's messages are never touched.
                messages = (
                    *messages,
                    Message("assistant", invalid.attempt.raw_text or ""),
                    _reask_message(invalid.failure),
                )
                continue
            return finished(ctx, completion)
        raise AssertionError("unreachable")  # pragma: no cover
    except Exception as error:
        ctx.emit(Failed(ctx.call, error, ctx.elapsed()))
        raise


def observed(
    ctx: CallContext, flow: Generator[Any, Any, T], *, stream: bool = False
) -> Generator[Any, Any, T]:
    """``flow``, with its failure reported to the hooks; a stream the caller closes early
    reports a :class:`~typedllm.StreamClosedError` (it ended without a result)."""
    try:
        return (yield from flow)
    except GeneratorExit:
        if stream:
            closed = StreamClosedError("the stream was closed before it finished")
            ctx.emit(Failed(ctx.call, closed, ctx.elapsed()))
        raise
    except Exception as error:
        ctx.emit(Failed(ctx.call, error, ctx.elapsed()))
        raise


_NO_USAGE = Usage()


def _first_request(ctx: CallContext, schema: Any, has_schema: bool, prompt: str) -> FirstRequest:
    """The general path's first request for ``prompt`` (to make a request template from)."""
    config = ctx.config
    call = prepare_call(config, ctx.codec, prompt, schema, has_schema=has_schema, options=None)
    encoded = encode_request(ctx.for_call(call.options), call.request, stream=False)
    request = place_static(ctx, encoded, call.options)
    system = call.messages[: len(call.messages) - len(call.conversation)]
    return FirstRequest(request, system, call.options, call.spec)


def finished(ctx: CallContext, completion: Completion[Any]) -> Completion[Any]:
    """Report the call's success to the hooks; return ``completion``."""
    if not ctx.observed:
        return completion
    ctx.emit(
        Finished(
            ctx.call,
            completion.usage,
            completion.finish_reason,
            completion.cost,
            ctx.elapsed(),
            len(completion.attempts),
            completion,
        )
    )
    return completion


def dry_run(
    config: ClientConfig,
    codec: Codec,
    prompt: Prompt,
    schema: Any = None,
    *,
    has_schema: bool,
    options: CallOptions | None = None,
    stream: bool = False,
) -> WireRequest:
    """The final request a call would send first, without sending it (static auth only: an
    auth step that must fetch a token is a :class:`~typedllm.ConfigurationError` here)."""
    ctx = new_context(config, codec, "stream" if stream else "complete", time.monotonic)
    call = prepare_call(config, codec, prompt, schema, has_schema=has_schema, options=options)
    ctx = ctx.for_call(call.options)
    encoded = encode_request(ctx, call.request, stream=stream)
    steps = authenticate(ctx, encoded, call.options)
    try:
        effect = next(steps)
    except StopIteration as done:
        request: WireRequest = done.value
        return request
    steps.close()
    raise ConfigurationError(
        f"the auth step needs I/O ({type(effect).__name__}) to build the request"
    )
