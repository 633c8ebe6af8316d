"""``tl.batch``: many inputs through a provider's batch API (half price, answered within 24
hours), as one job handle that can be polled, waited on, cancelled, and resumed by id from
another process; its results are the same :class:`ItemResult` records ``tl.map`` gives.

Each request is built exactly as ``complete`` would build it (``prepare_call`` and the
wire's encoder: the same messages, options, capability gates and compiled schema), and each
answer is decoded by the same codec and finished by the same :func:`finish_answer`, so the
outputs and the typed errors are those of ``complete``. Every HTTP exchange goes through the
client's host, auth step, retry policy and driver (``_batch_http``).

The providers' APIs live in ``_batch_openai``, ``_batch_anthropic`` and ``_batch_gemini``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar, overload
from urllib.parse import urlsplit

from typing_extensions import Self, TypeForm

from .._client import Client
from .._errors import ConfigurationError
from .._flow import encode_request, new_context, prepare_call
from .._messages import Message
from .._options import CallOptions
from ..codecs import get_codec
from ._batch_decode import Decoding, item_results
from ._batch_http import batch_model_info, encode_custom_id
from ._batch_types import BatchAdapter, BatchNotReadyError, BatchStatus, Submission
from ._inputs import PromptSpec, item_id, prompt_for
from ._results import MapResults

__all__ = ["BatchJob", "abatch", "batch", "batch_job"]

T = TypeVar("T")


def _adapter(client: Client) -> BatchAdapter:
    """The batch API of the client's wire."""
    if not isinstance(client, Client):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(
            f"tl.batch needs a tl.Client (a built builder), got {type(client).__name__}: a "
            "batch job belongs to one provider, so wrappers (fallback, router) cannot run it"
        )
    wire = client.config.wire
    if wire == "openai-chat":
        _check_preset_batch(client.config.provider)
        from ._batch_openai import ADAPTER as openai_adapter

        return openai_adapter
    if wire == "anthropic-messages":
        from ._batch_anthropic import ADAPTER as anthropic_adapter

        return anthropic_adapter
    if wire == "gemini-generate-content":
        from ._batch_gemini import ADAPTER as gemini_adapter

        return gemini_adapter
    hint = _NO_BATCH_HINTS.get(wire, "")
    raise ConfigurationError(
        f"the {wire} wire has no batch API in typedllm (OpenAI Chat Completions, Anthropic "
        f"and Gemini have): use tl.map for concurrent calls{hint}"
    )


def _check_preset_batch(provider: str) -> None:
    """OpenAI-compatible host presets speak Chat Completions, not necessarily OpenAI's Batch
    API (Together's file purpose differs, Mistral's batch jobs live elsewhere, local servers
    have none): refused rather than sent to endpoints the host may not have."""
    from ..hosts._presets import PRESETS

    preset = PRESETS.get(provider)
    if preset is not None:
        raise ConfigurationError(
            f"tl.batch speaks OpenAI's Batch API (/files and /batches), which the {preset.title} "
            "preset is not known to serve: use tl.map for concurrent calls, or "
            "tl.openai_compatible(base_url) for a server that has OpenAI's Batch API"
        )


# What to do instead, where a sibling wire of the same provider has a batch API.
_NO_BATCH_HINTS = {
    "openai-responses": ", or build the client with .api('chat') for OpenAI's Batch API",
    "anthropic-bedrock": " (Bedrock's batch inference is an S3 job, not spoken here)",
    "anthropic-vertex": " (Vertex AI batch prediction is not spoken here)",
}


class BatchJob(Generic[T]):
    """A provider batch job: poll it, wait for it, read its results, cancel it.

    Made by :func:`batch` (which submits the inputs) or :func:`batch_job` (which resumes a job
    by id, in any process). Every method that talks to the provider has an async twin
    (``astatus``, ``apoll``, ``await_done``, ``aresults``, ``await_results``, ``acancel``),
    run on the client's async driver.

    The job handle pickles (its client pickles as its configuration), so it can be stored and
    resumed elsewhere with every item id and conversation it knew.

    Attributes:
        id: the provider's job id.
        provider: ``openai``, ``anthropic`` or ``gemini``.
        client: the client the job's requests go through.
    """

    __slots__ = (
        "_adapter",
        "_conversations",
        "_has_schema",
        "_ids",
        "_last",
        "_schema",
        "_total",
        "client",
        "id",
        "provider",
    )

    def __init__(
        self,
        client: Client,
        job_id: str,
        *,
        schema: Any = None,
        has_schema: bool | None = None,
        ids: Mapping[int, str] | None = None,
        conversations: Mapping[int, tuple[Message, ...]] | None = None,
        total: int | None = None,
        status: BatchStatus | None = None,
    ) -> None:
        if not job_id:
            raise ConfigurationError("a batch job needs the provider's job id")
        self._adapter = _adapter(client)
        self.client = client
        self.id = job_id
        self.provider = self._adapter.name
        self._schema = schema
        self._has_schema = schema is not None if has_schema is None else has_schema
        self._ids = dict(ids or {})
        self._conversations = dict(conversations or {})
        self._total = total
        self._last = status

    @classmethod
    def resume(
        cls,
        client: Client,
        job_id: str,
        *,
        schema: Any = None,
        ids: Sequence[str] | Mapping[int, str] | None = None,
    ) -> Self:
        """The handle of job ``job_id``, submitted earlier (by any process) through a client
        of the same provider; see :func:`batch_job`."""
        known = dict(ids) if isinstance(ids, Mapping) else dict(enumerate(ids or ()))
        total = None if ids is None or isinstance(ids, Mapping) else len(known)
        return cls(client, job_id, schema=schema, ids=known, total=total)

    def __repr__(self) -> str:
        state = self._last.state if self._last is not None else "not polled"
        return f"BatchJob(provider={self.provider!r}, id={self.id!r}, state={state!r})"

    # -- pickling: the client as its configuration, the rest as it is ---------------------------

    def __getstate__(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "id": self.id,
            "schema": self._schema,
            "has_schema": self._has_schema,
            "ids": self._ids,
            "conversations": self._conversations,
            "total": self._total,
            "status": self._last,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(  # type: ignore[misc]
            state["client"],
            state["id"],
            schema=state["schema"],
            has_schema=state["has_schema"],
            ids=state["ids"],
            conversations=state["conversations"],
            total=state["total"],
            status=state["status"],
        )

    # -- drivers -----------------------------------------------------------------------------

    def _run(self, flow: Any) -> Any:
        return self.client._sync().run(flow)  # pyright: ignore[reportPrivateUsage]

    async def _arun(self, flow: Any) -> Any:
        return await self.client._async().run(flow)  # pyright: ignore[reportPrivateUsage]

    def _seen(self, status: BatchStatus) -> BatchStatus:
        self._last = status
        return status

    @property
    def last_status(self) -> BatchStatus | None:
        """The status of the last poll (``None`` before the first one)."""
        return self._last

    # -- status --------------------------------------------------------------------------------

    def status(self) -> BatchStatus:
        """Ask the provider for the job's status (one request)."""
        return self._seen(self._run(self._adapter.status(self.client.config, self.id)))

    async def astatus(self) -> BatchStatus:
        """Async :meth:`status`."""
        return self._seen(await self._arun(self._adapter.status(self.client.config, self.id)))

    def poll(self) -> bool:
        """Ask for the status once; return whether the job ended."""
        return self.status().ended

    async def apoll(self) -> bool:
        """Async :meth:`poll`."""
        return (await self.astatus()).ended

    def wait(self, poll_interval: float = 30.0, timeout: float | None = None) -> BatchStatus:
        """Poll every ``poll_interval`` seconds until the job ends; return its final status.

        Raises :class:`BatchNotReadyError` when ``timeout`` seconds pass first (the job goes
        on: wait again, or resume it later)."""
        started = time.monotonic()
        while True:
            status = self.status()
            if status.ended:
                return status
            left = _left(started, timeout, status, self.id)
            time.sleep(min(poll_interval, left))

    async def await_done(
        self, poll_interval: float = 30.0, timeout: float | None = None
    ) -> BatchStatus:
        """Async :meth:`wait` (sleeps without blocking the event loop)."""
        import asyncio

        started = time.monotonic()
        while True:
            status = await self.astatus()
            if status.ended:
                return status
            left = _left(started, timeout, status, self.id)
            await asyncio.sleep(min(poll_interval, left))

    # -- results -------------------------------------------------------------------------------

    def _ended(self, status: BatchStatus) -> BatchStatus:
        if not status.ended:
            raise BatchNotReadyError(
                f"the {self.provider} batch {self.id} has not ended (state {status.state}, "
                f"{status.pending} of {status.total} requests pending): wait() for it first",
                status=status,
            )
        return status

    def _decoding(self) -> Decoding:
        config = self.client.config
        codec = get_codec(config.wire)
        spec = codec.output_spec(config, self._schema) if self._has_schema else None
        return Decoding(
            config,
            codec,
            self._schema,
            spec,
            batch_model_info(config.model_info),
            self._ids,
            self._conversations,
        )

    def results(self) -> MapResults[T]:
        """The results of the ended job, one :class:`ItemResult` per input, in input order
        (outputs validated into the schema, or the typed errors; usage and cost at the batch
        prices). Polls once when the last status seen was not final; raises
        :class:`BatchNotReadyError` when the job is still running."""
        status = self._last if self._last is not None and self._last.ended else self.status()
        status = self._ended(status)
        raws = self._run(self._adapter.results(self.client.config, status))
        return item_results(self._decoding(), status, raws, total=self._total)

    async def aresults(self) -> MapResults[T]:
        """Async :meth:`results`."""
        last = self._last
        status = last if last is not None and last.ended else await self.astatus()
        status = self._ended(status)
        raws = await self._arun(self._adapter.results(self.client.config, status))
        return item_results(self._decoding(), status, raws, total=self._total)

    def wait_results(
        self, poll_interval: float = 30.0, timeout: float | None = None
    ) -> MapResults[T]:
        """:meth:`wait`, then :meth:`results`."""
        self.wait(poll_interval, timeout)
        return self.results()

    async def await_results(
        self, poll_interval: float = 30.0, timeout: float | None = None
    ) -> MapResults[T]:
        """:meth:`await_done`, then :meth:`aresults`."""
        await self.await_done(poll_interval, timeout)
        return await self.aresults()

    # -- cancel --------------------------------------------------------------------------------

    def cancel(self) -> BatchStatus:
        """Ask the provider to cancel the job; return the status it answers (``cancelling``
        until requests in flight finish). Requests that never ran end as
        :class:`BatchItemError` with reason ``cancelled``."""
        return self._seen(self._run(self._adapter.cancel(self.client.config, self.id)))

    async def acancel(self) -> BatchStatus:
        """Async :meth:`cancel`."""
        return self._seen(await self._arun(self._adapter.cancel(self.client.config, self.id)))


def _left(started: float, timeout: float | None, status: BatchStatus, job_id: str) -> float:
    """Seconds left before ``timeout`` (raising when none are)."""
    if timeout is None:
        return float("inf")
    left = timeout - (time.monotonic() - started)
    if left <= 0:
        raise BatchNotReadyError(
            f"the {status.provider} batch {job_id} did not end within {timeout:g}s "
            f"(state {status.state}); it goes on: wait again or resume it later",
            status=status,
        )
    return left


class _Prepared:
    """The requests of a batch, built as ``complete`` builds them."""

    __slots__ = ("conversations", "ids", "items", "path")

    def __init__(
        self,
        client: Client,
        inputs: Iterable[Any],
        schema: Any,
        prompt: PromptSpec,
        id_of: Callable[[Any], Any] | None,
        options: CallOptions | None,
        limit: int,
    ) -> None:
        config = client.config
        codec = get_codec(config.wire)
        ctx = new_context(config, codec, "complete", time.monotonic)
        self.items: list[Submission] = []
        self.ids: dict[int, str] = {}
        self.conversations: dict[int, tuple[Message, ...]] = {}
        self.path = ""
        for index, value in enumerate(inputs):
            if index >= limit:
                raise ConfigurationError(
                    f"a {config.provider} batch holds at most {limit} requests: split the "
                    "inputs into several batches"
                )
            call = prepare_call(
                config,
                codec,
                prompt_for(value, prompt, index),
                schema,
                has_schema=schema is not None,
                options=options,
            )
            encoded = encode_request(ctx, call.request, stream=False)
            if not self.path:
                # The path the single call goes to, as the provider's root sees it
                # (``/v1/chat/completions``): OpenAI names it in every line.
                self.path = urlsplit(config.host.prepare(encoded, config.model).url).path
            ident = item_id(value, index, id_of)
            self.ids[index] = ident
            self.conversations[index] = call.conversation
            self.items.append(Submission(encode_custom_id(index, ident), encoded.body))
        if not self.items:
            raise ConfigurationError("tl.batch got no inputs: a batch needs at least one")


@overload
def batch(
    client: Client,
    inputs: Iterable[Any],
    *,
    schema: None = None,
    prompt: PromptSpec = None,
    id_of: Callable[[Any], Any] | None = None,
    options: CallOptions | None = None,
) -> BatchJob[str]: ...
@overload
def batch(
    client: Client,
    inputs: Iterable[Any],
    *,
    schema: TypeForm[T],
    prompt: PromptSpec = None,
    id_of: Callable[[Any], Any] | None = None,
    options: CallOptions | None = None,
) -> BatchJob[T]: ...
def batch(
    client: Client,
    inputs: Iterable[Any],
    *,
    schema: Any = None,
    prompt: PromptSpec = None,
    id_of: Callable[[Any], Any] | None = None,
    options: CallOptions | None = None,
) -> BatchJob[Any]:
    """Submit ``inputs`` through the provider's batch API; return the job handle.

    Inputs are prompts, or records made prompts by ``prompt=`` (a template over their fields,
    or a function), as for ``tl.map``; ``id_of`` gives each item's id (default: its index).
    Each request is exactly what ``client.complete(prompt, schema=schema, options=options)``
    would send. Nothing is sent before every input has been turned into a request, so a bad
    input fails the submission, not the job.

    >>> job = tl.batch(llm, texts, schema=Invoice, prompt="Extract: {input}")  # doctest: +SKIP
    >>> invoices = job.wait_results(poll_interval=60).outputs()  # doctest: +SKIP
    """
    adapter = _adapter(client)
    prepared = _Prepared(client, inputs, schema, prompt, id_of, options, adapter.max_requests)
    flow = adapter.submit(client.config, prepared.items, prepared.path)
    status: BatchStatus = client._sync().run(flow)  # pyright: ignore[reportPrivateUsage]
    return _job(client, status, schema, prepared)


@overload
async def abatch(
    client: Client,
    inputs: Iterable[Any],
    *,
    schema: None = None,
    prompt: PromptSpec = None,
    id_of: Callable[[Any], Any] | None = None,
    options: CallOptions | None = None,
) -> BatchJob[str]: ...
@overload
async def abatch(
    client: Client,
    inputs: Iterable[Any],
    *,
    schema: TypeForm[T],
    prompt: PromptSpec = None,
    id_of: Callable[[Any], Any] | None = None,
    options: CallOptions | None = None,
) -> BatchJob[T]: ...
async def abatch(
    client: Client,
    inputs: Iterable[Any],
    *,
    schema: Any = None,
    prompt: PromptSpec = None,
    id_of: Callable[[Any], Any] | None = None,
    options: CallOptions | None = None,
) -> BatchJob[Any]:
    """Async :func:`batch` (the submission runs on the client's async driver)."""
    adapter = _adapter(client)
    prepared = _Prepared(client, inputs, schema, prompt, id_of, options, adapter.max_requests)
    flow = adapter.submit(client.config, prepared.items, prepared.path)
    status: BatchStatus = await client._async().run(flow)  # pyright: ignore[reportPrivateUsage]
    return _job(client, status, schema, prepared)


def _job(client: Client, status: BatchStatus, schema: Any, prepared: _Prepared) -> BatchJob[Any]:
    return BatchJob(
        client,
        status.id,
        schema=schema,
        ids=prepared.ids,
        conversations=prepared.conversations,
        total=len(prepared.items),
        status=status,
    )


@overload
def batch_job(
    client: Client,
    job_id: str,
    *,
    schema: None = None,
    ids: Sequence[str] | Mapping[int, str] | None = None,
) -> BatchJob[str]: ...
@overload
def batch_job(
    client: Client,
    job_id: str,
    *,
    schema: TypeForm[T],
    ids: Sequence[str] | Mapping[int, str] | None = None,
) -> BatchJob[T]: ...
def batch_job(
    client: Client,
    job_id: str,
    *,
    schema: Any = None,
    ids: Sequence[str] | Mapping[int, str] | None = None,
) -> BatchJob[Any]:
    """The handle of a job submitted earlier, by id (no request is sent until you poll).

    Use it from another process or after a restart: each request's custom id carries its
    item's index and id, so results land in input order with their ids, from the provider's
    data alone. Pass the same ``schema`` the job was submitted with, and a client of the same
    provider and model. ``ids`` (the item ids in input order, or by index) is only needed for
    ids too long to travel in a custom id (over about 40 characters, see
    ``_batch_http.encode_custom_id``); giving the full sequence also fixes the item count.
    """
    job: BatchJob[Any] = BatchJob[Any].resume(client, job_id, schema=schema, ids=ids)
    return job
