"""The one implementation of a streaming call, shared by the sync and async stream objects.

Like :func:`~typedllm._flow.complete_flow`, ``stream_flow`` is a generator of effects. Per
attempt it yields :class:`~typedllm._wire.OpenStream` and receives the response head; an error
status is read whole (:class:`~typedllm._wire.ReadBody`) and retried per the
:class:`~typedllm.RetryPolicy`; a success is read chunk by chunk
(:class:`~typedllm._wire.ReadChunk`) into a fresh decoding session from the codec
(``codec.new_stream()``: its own framing and state). What the caller iterates leaves the flow
as :class:`~typedllm._wire.Emit` effects: ``("update", text_or_partial)``, ``("tool", piece)``
(a piece of a tool call's arguments, for the tool stream's events) and
``("item", validated_list_item)``.

* Once anything has been handed to the caller, a transport failure is raised, never retried
  (the caller would see the answer twice).
* The wire's end event (``[DONE]``, ``message_stop`` ...) ends the read: the flow closes the
  response at once (:class:`~typedllm._wire.CloseStream`) instead of waiting for the server.
* Streaming calls do not re-ask: an answer that does not validate raises
  :class:`~typedllm.OutputValidationError` when the stream ends.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from typing import Any, cast

from ._answer import InvalidAnswer, finish_answer
from ._completion import Completion, Usage
from ._config import ClientConfig
from ._errors import ProtocolError, TransportError
from ._events import Failed, FirstByte
from ._flow import (
    CallContext,
    Clock,
    PreparedCall,
    authenticate,
    decode_answer,
    encode_request,
    failed,
    finished,
    new_context,
    observed,
    prepare_call,
    retry_delay,
    status_error,
    transport_error,
    validation_error,
)
from ._messages import Prompt
from ._options import CallOptions
from ._partials import PartialTracker
from ._wire import (
    READ_CHUNK,
    CloseStream,
    Emit,
    OpenStream,
    ReadBody,
    ReadChunk,
    ResponseHead,
    Sleep,
    StreamEnd,
    TransportFailure,
    WireRequest,
    WireResponse,
)
from .codecs._base import Codec, DecodedCompletion, Delta, StreamDecoder, request_id_of

__all__ = ["stream_flow"]


def stream_flow(
    config: ClientConfig,
    codec: Codec,
    prompt: Prompt,
    schema: Any = None,
    *,
    has_schema: bool,
    options: CallOptions | None = None,
    clock: Clock = time.monotonic,
) -> Generator[Any, Any, Completion[Any]]:
    """The whole streaming call: open (with retries), decode incrementally, emit deltas,
    partials and items, then check and validate the complete answer.

    The call is prepared at once (an invalid prompt, option or schema raises here, before the
    stream is iterated); the returned generator does the I/O."""
    ctx = new_context(config, codec, "stream", clock)
    try:
        call = prepare_call(config, codec, prompt, schema, has_schema=has_schema, options=options)
    except Exception as error:
        ctx.emit(Failed(ctx.call, error, ctx.elapsed()))
        raise
    ctx = ctx.for_call(call.options)
    if ctx.observed:
        ctx.request = call.request
    return observed(ctx, _stream(ctx, call, schema), stream=True)


def _stream(
    ctx: CallContext, call: PreparedCall, schema: Any
) -> Generator[Any, Any, Completion[Any]]:
    encoded = encode_request(ctx, call.request, stream=True)
    for attempt in range(ctx.config.retry.max_attempts):
        wire = yield from authenticate(ctx, encoded, call.options)
        ctx.sent(wire, attempt, stream=True)
        timeout = ctx.timeout(call.options)
        head = yield OpenStream(wire, timeout)
        error: TransportError
        if isinstance(head, TransportFailure):
            error, retryable = failed(ctx, head, wire, timeout)
        else:
            head = cast(ResponseHead, head)
            ctx.received(head.status, head.headers)
            if head.status < 300 and not _whole_json(head):
                decoder = ctx.codec.new_stream(ctx.config.provider)
                outcome = yield from _read(ctx, decoder, call, schema, wire, timeout, head)
                if not isinstance(outcome, TransportFailure):
                    request_id = request_id_of(head.headers)
                    return _finish(ctx, call, schema, outcome.result(request_id))
                error, retryable = failed(ctx, outcome, wire, timeout)
            else:
                body = yield ReadBody()
                if isinstance(body, TransportFailure):
                    error, retryable = failed(ctx, body, wire, timeout)
                else:
                    response = WireResponse(head.status, head.headers, cast(bytes, body))
                    if head.status >= 300:
                        error, retryable = status_error(ctx, response)
                    else:
                        # A host that ignored ``stream: true`` (or a proxy's JSON error): the
                        # body is one answer; decode it as `complete` would, hand it out whole.
                        decoded = decode_answer(ctx, response)
                        yield from _hand_out_whole(ctx, call, schema, decoded)
                        return _finish(ctx, call, schema, decoded)
        yield CloseStream()
        delay = retry_delay(ctx, attempt, error, retryable)
        if delay is None:
            raise error
        yield Sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def _read(
    ctx: CallContext,
    decoder: StreamDecoder,
    call: PreparedCall,
    schema: Any,
    wire: WireRequest,
    timeout: float,
    head: ResponseHead,
) -> Generator[Any, Any, StreamDecoder | TransportFailure]:
    """Read one attempt's body into ``decoder``; a transport failure before anything was
    handed to the caller is returned (to be retried), after it raised. With a deadline, each
    read is bounded by what is left of it, so a stream that trickles cannot outlast it."""
    tracker = PartialTracker(call.spec, schema)
    answer_tool = call.spec.answer_tool if call.spec is not None else None
    delivered = False
    first = True
    bounded = ctx.config.retry.deadline is not None
    while not decoder.done:
        chunk = yield (ReadChunk(ctx.budget()) if bounded else READ_CHUNK)
        if isinstance(chunk, TransportFailure):
            if delivered or chunk.kind == "deadline":
                during = " (the stream broke after part of the answer was delivered)"
                raise transport_error(ctx, chunk, wire, timeout, during=during)
            return chunk
        if first:
            first = False
            ctx.emit(FirstByte(ctx.call, ctx.elapsed()))
        end = isinstance(chunk, StreamEnd)
        try:
            deltas = decoder.flush() if end else decoder.feed(cast(bytes, chunk))
        except TransportError as error:  # an error event inside the stream, a bad event
            raise ctx.scrub(error) from None
        for delta in deltas:
            piece = _tool_piece(delta, decoder, answer_tool)
            if piece is not None:
                delivered = True
                yield Emit(("tool", piece))
            for update in tracker.updates(delta, decoder):
                delivered = True
                yield Emit(("update", update))
        for item in tracker.new_items():
            delivered = True
            yield Emit(("item", item))
        pending = getattr(decoder, "raise_pending", None)
        if pending is not None:
            try:
                pending()  # an error event that came after the deltas just handed out
            except TransportError as error:
                raise ctx.scrub(error) from None
        if end:
            break
        if bounded and ctx.past_deadline():
            deadline = TransportFailure("deadline", f"{decoder.events} event(s) read")
            raise transport_error(ctx, deadline, wire, timeout, during=" (streaming)")
    yield CloseStream()  # the end event arrived (or the body ended): never wait for the socket
    if decoder.events == 0:
        # Nothing the wire knows arrived: an empty body, or a page that is not an event
        # stream (a proxy's HTML). It must not pass as an empty answer.
        raise ProtocolError(
            f"{ctx.config.provider} answered the stream request with a body that holds no "
            f"stream event (content type {head.headers.get('content-type') or 'none'})",
            provider=ctx.config.provider,
            status_code=head.status,
            request_id=request_id_of(head.headers),
        )
    return decoder


def _tool_piece(
    delta: Delta, decoder: StreamDecoder, answer_tool: str | None
) -> tuple[int, str, str, str] | None:
    """A piece of a tool call's arguments as ``(index, id, name, text)`` (for the tool
    stream's events; plain iteration ignores it), or ``None`` for text and for the answer
    tool of the schema's tool route (that is the answer, not a call)."""
    channel, text = delta
    if not isinstance(channel, int):
        return None
    name = decoder.call_name(channel)
    if answer_tool is not None and name == answer_tool:
        return None
    # ``call_id`` is not in the decoder protocol: every built-in decoder has it, a
    # third-party one may not (its calls then start with the id "").
    id_of = getattr(decoder, "call_id", None)
    call_id = id_of(channel) if callable(id_of) else ""
    return channel, call_id if isinstance(call_id, str) else "", name, text


def _whole_json(head: ResponseHead) -> bool:
    """Whether a streamed request was answered with one JSON document (not events, not
    NDJSON lines)."""
    kind = head.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind == "application/json" or (kind.endswith("+json") and "ndjson" not in kind)


def _hand_out_whole(
    ctx: CallContext, call: PreparedCall, schema: Any, decoded: DecodedCompletion
) -> Generator[Any, Any, None]:
    """Hand a whole (non-streamed) answer to the caller as one delta."""
    tracker = PartialTracker(call.spec, schema)
    decoder = ctx.codec.new_stream(ctx.config.provider)
    deltas: list[Delta] = [("text", decoded.text)] if decoded.text else []
    deltas += [(i, c.arguments) for i, c in enumerate(decoded.tool_calls) if c.arguments]
    for delta in deltas:
        for update in tracker.updates(delta, decoder):
            yield Emit(("update", update))
    for item in tracker.new_items():
        yield Emit(("item", item))


def _finish(
    ctx: CallContext, call: PreparedCall, schema: Any, decoded: DecodedCompletion
) -> Completion[Any]:
    try:
        completion = finish_answer(
            decoded,
            spec=call.spec,
            schema=schema,
            usage=Usage(),
            attempts=(),
            conversation=call.conversation,
            model_info=ctx.config.model_info,
        )
    except InvalidAnswer as invalid:
        assert call.spec is not None, "text answers always validate"
        raise validation_error(invalid, [invalid.attempt], call.spec, streamed=True) from None
    return finished(ctx, completion)
