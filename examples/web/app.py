"""A streaming web endpoint: an ASGI app (Starlette) that streams LLM answers over SSE.

* ``POST /generate`` ``{"prompt": "..."}`` streams the answer's text: ``event: delta`` events
  (``{"text": "..."}``), then ``event: done`` (finish reason, model, usage).
* ``POST /extract`` ``{"text": "..."}`` extracts an :class:`Invoice`: ``event: partial`` events
  (the JSON written so far: fields appear only once complete), then ``event: final`` (the
  validated invoice) and ``event: done``.
* ``GET /`` serves a small page (``index.html``) that renders both streams.

Errors: a body that is not JSON is a ``400``, one that is JSON of the wrong shape a ``422``,
both before anything is streamed. The app waits for the stream's first event before it answers,
so a provider error before the first byte (a rate limit, a rejected key, an unreachable host)
becomes a JSON error with an HTTP status (:func:`http_status_for`); an error after that (the
answer cut off, invalid output, an error event inside the provider's stream) is an
``event: error`` carrying the typed error's class and message. Credentials never appear in
either: typedllm scrubs them from its errors, and a rejected key is reported without the
provider's message (it can quote part of the key).

Runs against the real OpenAI API when ``OPENAI_API_KEY`` is set, and offline on the embedded
fake provider otherwise. Needs the ``web`` extra::

    pip install 'typedllm[web]'
    python examples/web/app.py            # then open http://127.0.0.1:8000/
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar, cast

import orjson
from pydantic import BaseModel, Field, ValidationError

import typedllm as tl
from typedllm.testing import FakeProvider

try:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
    from starlette.routing import Route
except ImportError as missing:  # the example's own dependencies, not typedllm's
    raise SystemExit(
        f"this example needs Starlette and uvicorn ({missing.name} is missing): "
        "pip install 'typedllm[web]'"
    ) from missing

PAGE = Path(__file__).with_name("index.html")
log = logging.getLogger("typedllm.examples.web")
B = TypeVar("B", bound=BaseModel)


class GenerateRequest(BaseModel):
    """The body of ``POST /generate``."""

    prompt: str = Field(min_length=1, max_length=20_000)


class ExtractRequest(BaseModel):
    """The body of ``POST /extract``: the text to extract an invoice from."""

    text: str = Field(min_length=1, max_length=20_000)


class LineItem(BaseModel):
    """One line of an invoice."""

    description: str
    quantity: int = Field(ge=1)
    unit_price: float = Field(ge=0)


class Invoice(BaseModel):
    """What ``POST /extract`` streams and finally returns, validated."""

    invoice_number: str
    customer: str
    issued_on: date
    items: list[LineItem]
    notes: str | None = None


def make_client() -> tl.Client:
    """The real OpenAI API with a key in the environment, else the offline fake provider."""
    builder = tl.openai().model("gpt-4o-mini").temperature(0)
    if os.environ.get("OPENAI_API_KEY"):
        return builder.build()
    log.warning("OPENAI_API_KEY is not set: answering offline from the embedded fake provider")
    return builder.api_key("offline").transport(FakeProvider()).build()


# -- errors -----------------------------------------------------------------------------------


def http_status_for(error: BaseException) -> int:
    """The HTTP status this app answers when ``error`` happens before the first byte.

    The provider is this server's upstream, so its failures are gateway errors (``502``, and
    ``504`` for a timeout), except a rate limit, which the caller can act on (``429``, with the
    provider's ``Retry-After``), and a refusal, which is about the request's content (``422``).
    """
    if isinstance(error, tl.RateLimitError):
        return 429
    if isinstance(error, tl.APITimeoutError):
        return 504
    if isinstance(error, tl.CircuitOpenError):
        return 503
    if isinstance(error, tl.RefusalError):
        return 422
    if isinstance(error, (tl.TransportError, tl.OutputError)):
        return 502
    return 500


def error_payload(error: BaseException) -> dict[str, Any]:
    """What the client is told about ``error``: its class, a message and the HTTP status it
    maps to. Only typedllm's errors are described (their messages are scrubbed of
    credentials); a rejected key and anything unexpected are reported without details, which
    go to the server's log instead."""
    status = http_status_for(error)
    if isinstance(error, (tl.AuthenticationError, tl.PermissionDeniedError)):
        message = "the provider rejected this server's credentials"
    elif isinstance(error, tl.TypedLLMError):
        message = str(error)
    else:
        message = "internal server error"
    if status >= 500 or message != str(error):
        log.error("request failed: %s", error, exc_info=error)
    return {"type": type(error).__name__, "message": message, "status": status}


def error_response(error: BaseException) -> JSONResponse:
    """``error`` as a JSON answer with its HTTP status (before anything was streamed)."""
    payload = error_payload(error)
    headers: dict[str, str] = {}
    retry_after = getattr(error, "retry_after", None)
    if isinstance(error, tl.RateLimitError) and retry_after is not None:
        headers["retry-after"] = str(max(1, round(retry_after)))
    return JSONResponse({"error": payload}, status_code=payload["status"], headers=headers)


async def read_body(request: Request, model: type[B]) -> B | JSONResponse:
    """The request body validated as ``model``, or the ``400``/``422`` answer."""
    try:
        return model.model_validate_json(await request.body())
    except ValidationError as invalid:
        errors = invalid.errors(include_url=False, include_input=False, include_context=False)
        status = 400 if any(e["type"] == "json_invalid" for e in errors) else 422
        kind = "MalformedJSON" if status == 400 else "RequestValidationError"
        message = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in errors)
        return JSONResponse(
            {"error": {"type": kind, "message": message, "status": status, "details": errors}},
            status_code=status,
        )


# -- server-sent events -----------------------------------------------------------------------

Event = tuple[str, Any]


def sse(event: str, data: Any) -> bytes:
    """One SSE event; ``data`` as one line of JSON (orjson escapes newlines in strings)."""
    return b"event: " + event.encode() + b"\ndata: " + orjson.dumps(data) + b"\n\n"


def usage_of(completion: tl.Completion[Any]) -> dict[str, Any]:
    """The ``done`` event: why the model stopped, which model answered, the tokens used."""
    usage = completion.usage
    return {
        "finish_reason": completion.finish_reason,
        "model": completion.model,
        "usage": {"input_tokens": usage.input_tokens, "output_tokens": usage.output_tokens},
    }


_END = object()


async def stream_response(
    stream: tl.AsyncStream[Any, Any],
    render: Callable[[Any], Event | None],
    finish: Callable[[tl.Completion[Any]], Iterable[Event]],
) -> Response:
    """Answer with ``stream`` as SSE, or with an HTTP error if it fails before its first event.

    ``render`` turns each update into an event (``None``: nothing to send); ``finish`` gives
    the events after the last one, from the stream's completion. The stream is closed
    whatever happens (a client that disconnects cancels the response, which closes the
    provider's response too).
    """
    # an async generator: closed explicitly below, not left to the garbage collector
    updates = cast("AsyncGenerator[Any, None]", stream.__aiter__())
    try:
        first = await updates.__anext__()
    except StopAsyncIteration:
        first = _END
    except Exception as error:
        await updates.aclose()
        await stream.aclose()
        return error_response(error)

    async def events() -> AsyncIterator[bytes]:
        try:
            update = first
            while update is not _END:
                event = render(update)
                if event is not None:
                    yield sse(*event)
                update = await anext(updates, _END)
            for event in finish(stream.completion):
                yield sse(*event)
        except Exception as error:  # after the first byte, errors are events
            yield sse("error", error_payload(error))
        finally:
            await updates.aclose()
            await stream.aclose()

    # no-cache and no proxy buffering: each event must reach the browser as it is written
    headers = {"cache-control": "no-cache", "x-accel-buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)


def changed_partials() -> Callable[[tl.Partial[Any]], Event | None]:
    """Renders a stream's partials as ``partial`` events, skipping those that add nothing: the
    stream hands out one after every delta, and most deltas only extend a string that is not
    complete yet (so not shown). Serialising also copies the partial's live data."""
    last = b""

    def render(partial: tl.Partial[Any]) -> Event | None:
        nonlocal last
        data = orjson.dumps(partial.data)
        if data == last:
            return None
        last = data
        return "partial", orjson.Fragment(data)

    return render


# -- the app ----------------------------------------------------------------------------------


def extraction_prompt(text: str) -> str:
    """The instruction sent to the model for ``POST /extract``."""
    return f"Extract the invoice from this email. Use ISO dates.\n\n{text}"


def create_app(llm: tl.Client | None = None) -> Starlette:
    """The ASGI app, answering with ``llm`` (default: :func:`make_client`); it closes the
    client when the server shuts down."""
    client = llm if llm is not None else make_client()

    async def page(request: Request) -> Response:
        return HTMLResponse(PAGE.read_text(encoding="utf-8"))

    async def generate(request: Request) -> Response:
        body = await read_body(request, GenerateRequest)
        if isinstance(body, Response):
            return body
        return await stream_response(
            client.astream(body.prompt),
            lambda delta: ("delta", {"text": delta}),
            lambda completion: [("done", usage_of(completion))],
        )

    async def extract(request: Request) -> Response:
        body = await read_body(request, ExtractRequest)
        if isinstance(body, Response):
            return body
        return await stream_response(
            client.astream(extraction_prompt(body.text), schema=Invoice),
            changed_partials(),
            lambda completion: [
                ("final", completion.output.model_dump(mode="json")),
                ("done", usage_of(completion)),
            ],
        )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncGenerator[None, None]:
        try:
            yield
        finally:
            await client.aclose()

    routes = [
        Route("/", page, methods=["GET"]),
        Route("/generate", generate, methods=["POST"]),
        Route("/extract", extract, methods=["POST"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def main() -> None:
    """``python examples/web/app.py [--host H] [--port P]``."""
    parser = argparse.ArgumentParser(description="Serve the streaming web example.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    uvicorn.run(create_app(), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
