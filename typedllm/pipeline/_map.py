"""Batch extraction: many inputs through one client, concurrently, as one job.

Theory of operation. One asynchronous engine serves every entry point (:func:`amap`,
:func:`amap_as_completed`, and the synchronous :func:`map` and :func:`map_as_completed`,
which run it on an event loop of their own). ``concurrency`` workers pull inputs from one
iterator (so an input is read only when a worker is free: a generator of a million records
costs one record at a time). For each input a worker

1. makes its prompt and id (:mod:`._inputs`; a bad record is that item's
   :class:`~typedllm.ConfigurationError`, not the run's),
2. asks the journal, if any, for a stored result of the same id and request hash,
3. checks the budgets (past ``max_cost``/``max_tokens`` nothing new is scheduled),
4. acquires the rate limiter (requests and estimated tokens, shared by all workers),
5. calls the client's ``_acompletion`` primitive (any :class:`~typedllm.Completer` works:
   clients, fallbacks, routers), and turns the outcome into an :class:`ItemResult`: the
   output, or the typed error with the usage and attempts it carries,
6. settles the limiter with the real usage, stores the result in the journal, and reports
   progress.

A 429 anywhere pauses every worker: the engine listens to the client's retry events (for a
:class:`~typedllm.Client`) and to the errors items end with. A failure is collected in its
item and the run goes on, unless ``on_error="raise"``: then nothing new is scheduled, the
items in flight are cancelled and the error is raised. A journal keeps what ended, so a run
stopped by Ctrl-C or a crash is resumed by running it again.
"""

from __future__ import annotations

import asyncio
import builtins
import dataclasses
import os
import queue
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence, Sized
from typing import Any, Literal, TypeVar, cast, overload

from typing_extensions import TypedDict, TypeForm, Unpack

from .._call import make_call
from .._client import Client, pipeline_client
from .._completion import Completion
from .._errors import ConfigurationError, OutputError, RateLimitError, TypedLLMError
from .._events import RetryScheduled
from .._options import CallOptions
from .._protocol import Completer
from .._routing import estimate_tokens, model_info_of
from .._usage import Usage, make_usage
from ._inputs import PromptSpec, item_id, prompt_for, request_hash
from ._limits import RateLimit, RateLimiter
from ._results import (
    ItemResult,
    MapResults,
    Progress,
    ResultColumns,
    ResultStore,
    RunSummary,
    StopReason,
    make_result,
)

__all__ = ["MapOptions", "amap", "amap_as_completed", "map", "map_as_completed"]

T = TypeVar("T")
OnError = Literal["collect", "raise"]
ProgressCallback = Callable[[Progress], None]
JournalArg = ResultStore | str | os.PathLike[str] | None


@dataclasses.dataclass(frozen=True, slots=True)
class _Spec:
    """Everything a run was asked for, checked. The fields after ``has_schema`` are the
    :class:`MapOptions`, with their defaults (the journal opened when a path was given)."""

    schema: Any
    has_schema: bool
    prompt: PromptSpec = None
    concurrency: int = 8
    options: CallOptions | None = None
    id_of: Callable[[Any], Any] | None = None
    on_error: OnError = "collect"
    rate_limit: RateLimit | RateLimiter | None = None
    max_cost: float | None = None
    max_tokens: int | None = None
    progress: ProgressCallback | None = None
    journal: ResultStore | None = None
    retry_failed: bool = False
    keep_completions: bool = False
    owns_journal: bool = False
    """Whether the run opened the journal (from a path), and so closes it at its end."""


_OPTION_NAMES = tuple(f.name for f in dataclasses.fields(_Spec))[2:-1]
"""The keyword options map takes (the fields of :class:`MapOptions`)."""


def _spec_of(schema: Any, options: dict[str, Any]) -> _Spec:
    """The checked :class:`_Spec` of a call's schema and keyword options."""
    unknown = sorted(set(options) - set(_OPTION_NAMES))
    if unknown:
        raise ConfigurationError(
            f"unknown option(s) {', '.join(unknown)}; map takes {', '.join(_OPTION_NAMES)}"
        )
    concurrency = options.get("concurrency", 8)
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ConfigurationError(f"concurrency must be a positive int, got {concurrency!r}")
    on_error = options.get("on_error", "collect")
    if on_error not in ("collect", "raise"):
        raise ConfigurationError(f'on_error must be "collect" or "raise", got {on_error!r}')
    rate_limit = options.get("rate_limit")
    if rate_limit is not None and not isinstance(rate_limit, (RateLimit, RateLimiter)):
        raise ConfigurationError(
            f"rate_limit takes a tl.RateLimit (or a RateLimiter to share), got {rate_limit!r}"
        )
    for name in ("max_cost", "max_tokens"):
        value = options.get(name)
        bad = isinstance(value, bool) or not isinstance(value, (int, float))
        if value is not None and (bad or value < 0):
            raise ConfigurationError(f"{name} must be a non-negative number, got {value!r}")
    progress = options.get("progress")
    if progress is not None and not callable(progress):
        raise ConfigurationError("progress takes a callable")
    call_options = options.get("options")
    if call_options is not None and not isinstance(call_options, CallOptions):
        raise ConfigurationError(
            f"options must be tl.CallOptions, got {type(call_options).__name__}"
        )
    journal: Any = options.get("journal")
    opened = isinstance(journal, (str, os.PathLike))
    store = _journal_at(cast("str | os.PathLike[str]", journal)) if opened else journal
    given: dict[str, Any] = {**options, "journal": store}
    if "keep_completions" in given:
        given["keep_completions"] = bool(given["keep_completions"])
    return _Spec(schema, schema is not None, **given, owns_journal=opened)


def _journal_at(path: str | os.PathLike[str]) -> ResultStore:
    """The SQLite journal at ``path``."""
    from ._journal import Journal

    return Journal(os.fspath(path))


_INSTANT = 0.001
"""An item that took less than this (seconds) probably never waited on I/O."""


class _Run:
    """The state of one run: counters, totals, the stop decision, the limiter."""

    def __init__(self, client: Completer, spec: _Spec, total: int | None) -> None:
        self.spec = spec
        self.client = client
        self.info = model_info_of(client)
        self.total = total
        self.started = time.monotonic()
        self.done = self.failed = self.cached = self.in_flight = self.scheduled = 0
        self._tokens = [0, 0, 0, 0, 0]
        # USD of this run's calls at a known price (what max_cost counts), and whether a call
        # of this run had no known price (then the total is unknown). Journal hits made no
        # call: they cost this run nothing (their recorded cost is in Journal.summary()).
        self.spent = 0.0
        self.unpriced = False
        self.stopped: StopReason = "finished"
        self.error: TypedLLMError | None = None
        limit = spec.rate_limit
        # A RateLimiter is shared with other runs on the same event loop (batches of one
        # Ray actor, successive jobs): its buckets and pauses carry over.
        self.limiter = RateLimiter(limit) if isinstance(limit, RateLimit) else limit

    # -- decisions ---------------------------------------------------------------------------

    @property
    def usage(self) -> Usage:
        """The tokens of every item that ended so far (journal hits excluded)."""
        return make_usage(*self._tokens)

    def budget_reached(self) -> StopReason | None:
        spec = self.spec
        if spec.max_cost is not None and self.spent >= spec.max_cost:
            return "cost_budget"
        if spec.max_tokens is not None and self._tokens[0] + self._tokens[1] >= spec.max_tokens:
            return "token_budget"
        return None

    def observe(self, event: object) -> None:
        """A client hook: a 429 retried inside the client pauses every worker too."""
        if self.limiter is not None and isinstance(event, RetryScheduled) and event.status == 429:
            self.limiter.pause(event.delay)

    # -- one item -----------------------------------------------------------------------------

    async def item(self, index: int, value: Any) -> ItemResult[Any]:
        spec = self.spec
        started = time.monotonic()
        try:
            ident = item_id(value, index, spec.id_of)
            prompt = prompt_for(value, spec.prompt, index)
        except ConfigurationError as error:
            return ItemResult(index, str(index), error=error)
        key = ""
        if spec.journal is not None:
            key = self.request_key(prompt)
            stored = spec.journal.load(ident, key, spec.schema)
            if stored is not None and (stored.ok or not spec.retry_failed):
                return dataclasses.replace(stored, index=index, id=ident, cached=True)
        estimate = estimate_tokens(prompt) if self.limiter is not None else 0
        if self.limiter is not None:
            await self.limiter.acquire(estimate)
        # The call is made inside the await: nothing of it stays alive in this frame while the
        # request is out (the collector walks what is alive, per call in flight).
        try:
            completion = await self.client._acompletion(  # pyright: ignore[reportPrivateUsage]
                make_call(prompt, spec.schema, spec.has_schema, spec.options)
            )
            kept = completion if spec.keep_completions else None
            result = _success(index, ident, completion, time.monotonic() - started, kept)
        except TypedLLMError as error:
            result = self.failure(index, ident, error, time.monotonic() - started)
        if self.limiter is not None:
            self.limiter.settle(estimate, result.usage.total_tokens)
        if spec.journal is not None:
            spec.journal.save(result, key)
        return result

    def failure(
        self, index: int, ident: str, error: TypedLLMError, seconds: float
    ) -> ItemResult[Any]:
        usage = error.usage if isinstance(error, OutputError) and error.usage else Usage()
        attempts = len(error.attempts) if isinstance(error, OutputError) else 0
        cost = self.info.cost(usage) if self.info is not None and usage.total_tokens else None
        if isinstance(error, RateLimitError) and self.limiter is not None:
            self.limiter.pause(error.retry_after if error.retry_after is not None else 1.0)
        return ItemResult(index, ident, None, error, usage, cost, attempts, seconds)

    def request_key(self, prompt: Any) -> str:
        """The hash of the exact request (URL and body) when it can be built offline; else of
        the client, prompt, schema and options."""
        spec = self.spec
        if isinstance(self.client, Client):
            try:
                request = self.client.request_for(prompt, schema=spec.schema, options=spec.options)
            except ConfigurationError:
                pass
            else:
                return request_hash([request.url, request.body])
        parts = [repr(self.client), repr(prompt), repr(spec.schema), repr(spec.options)]
        return request_hash(parts)

    # -- bookkeeping --------------------------------------------------------------------------

    def ended(self, result: ItemResult[Any]) -> None:
        # (Fields, not properties such as result.ok: this runs once per item.)
        if result.error is None:
            self.done += 1
        else:
            self.failed += 1
        if result.cached:
            self.cached += 1
            return
        # Summed as counts, one Usage per read (a Usage per item costs more than the sum).
        usage, tokens = result.usage, self._tokens
        tokens[0] += usage.input_tokens
        tokens[1] += usage.output_tokens
        tokens[2] += usage.cache_read_tokens
        tokens[3] += usage.reasoning_tokens
        tokens[4] += usage.cache_write_tokens
        cost = result.cost
        if cost is not None:
            self.spent += cost
        elif usage.total_tokens or self.info is None:
            self.unpriced = True

    @property
    def cost(self) -> float | None:
        """USD of every call made in this run: 0.0 when none was made (every item from the
        journal), ``None`` when a call's price is unknown."""
        return None if self.unpriced else self.spent

    def progress(self) -> None:
        if self.spec.progress is not None:
            self.spec.progress(
                Progress(
                    self.total,
                    self.done,
                    self.failed,
                    self.in_flight,
                    self.cached,
                    self.usage,
                    self.cost,
                    time.monotonic() - self.started,
                )
            )

    def summary(self) -> RunSummary:
        ended = self.done + self.failed
        skipped = max(0, self.total - ended) if self.total is not None else 0
        return RunSummary(
            total=self.total if self.total is not None else ended,
            done=self.done,
            failed=self.failed,
            skipped=skipped,
            cached=self.cached,
            usage=self.usage,
            cost=self.cost,
            seconds=time.monotonic() - self.started,
            stopped=self.stopped,
        )


def _success(
    index: int,
    ident: str,
    completion: Completion[Any],
    seconds: float,
    kept: Completion[Any] | None,
) -> ItemResult[Any]:
    return make_result(
        index,
        ident,
        completion.output,
        None,
        completion.usage,
        completion.cost,
        len(completion.attempts),
        seconds,
        kept,
        False,  # cached
    )


def _run_client(client: Completer, run: _Run) -> tuple[Completer, Client | None]:
    """The completer the run calls, and a copy to close at the run's end (or ``None``). A
    plain :class:`~typedllm.Client` runs on the aiohttp driver when it is installed and the
    client has no httpx-only objects (a transport, an httpx client), since a pipeline is
    where the driver's throughput shows; those connections are kept by the client (the next
    run reuses them, the client's ``aclose()`` closes them). Under a rate limit the run adds
    a hook that reports the client's retries to it (events are built only when someone
    listens, so only then)."""
    if not isinstance(client, Client):
        return client, None
    return pipeline_client(client, (run.observe,) if run.limiter is not None else ())


async def _execute(
    client: Completer,
    inputs: Iterable[Any],
    spec: _Spec,
    sink: Callable[[ItemResult[Any]], None],
    *,
    owns_loop: bool = False,
) -> RunSummary:
    """Run the job; hand every ended item to ``sink``; return the summary (or raise the first
    error under ``on_error="raise"``). ``owns_loop``: the loop ends with the run (the sync
    entry points), so the client's connections on it are closed at the end."""
    if not isinstance(client, Completer):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(f"map takes a client (or another completer), got {client!r}")
    total = len(inputs) if isinstance(inputs, Sized) else None
    run = _Run(client, spec, total)
    run.client, owned = _run_client(client, run)
    source = enumerate(inputs)
    stop = asyncio.Event()

    budgeted = spec.max_cost is not None or spec.max_tokens is not None
    progress = spec.progress

    async def worker() -> None:
        while not stop.is_set():
            reached = run.budget_reached() if budgeted else None
            if reached is not None:
                run.stopped = reached
                stop.set()
                return
            try:
                index, value = next(source)
            except StopIteration:
                return
            run.scheduled += 1
            run.in_flight += 1
            try:
                result = await run.item(index, value)
            finally:
                run.in_flight -= 1
            if result.seconds < _INSTANT:
                # A client that answers without waiting (an in-process fake, a cache, a journal
                # hit) would run every item in one step, starving the other workers and a
                # Ctrl-C: yield to the loop. A real call waited on I/O already.
                await asyncio.sleep(0)
            run.ended(result)
            sink(result)
            if progress is not None:
                run.progress()
            if result.error is not None and spec.on_error == "raise" and run.error is None:
                run.error, run.stopped = result.error, "error"
                stop.set()
            del result  # not held (with its usage) while the next item is out

    workers = [asyncio.ensure_future(worker()) for _ in range(spec.concurrency)]
    try:
        await _until_stopped(workers, stop, spec.on_error == "raise")
    except asyncio.CancelledError:
        run.stopped = "cancelled"
        raise
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        if owned is not None:
            await owned.aclose()
        if owns_loop and isinstance(client, Client):
            await client._release_loop()  # pyright: ignore[reportPrivateUsage]
        if spec.owns_journal and spec.journal is not None:
            close = getattr(spec.journal, "close", None)
            if callable(close):
                close()
    if run.total is None:
        run.total = run.scheduled
    if run.error is not None:
        raise run.error
    return run.summary()


async def _until_stopped(
    workers: Sequence[asyncio.Future[None]], stop: asyncio.Event, fast: bool
) -> None:
    """Wait for every worker; under ``on_error="raise"``, stop waiting at the first error (the
    items in flight are then cancelled by the caller)."""
    if not fast:
        await asyncio.gather(*workers)
        return
    stopped = asyncio.ensure_future(stop.wait())
    try:
        pending: set[asyncio.Future[Any]] = set(workers)
        while pending and not stop.is_set():
            done, pending = await asyncio.wait(
                pending | {stopped}, return_when=asyncio.FIRST_COMPLETED
            )
            pending.discard(stopped)
            for task in done:
                failure = task.exception() if task is not stopped else None
                if failure is not None:
                    raise failure  # a bug, not an item's error (those are collected)
    finally:
        stopped.cancel()


# -- the public entry points --------------------------------------------------------------------


class MapOptions(TypedDict, total=False):
    """The keyword options of :func:`map`, :func:`amap` and their as-completed twins (all
    optional; the defaults are in brackets).

    Attributes:
        prompt: how a record becomes a prompt: a template over its fields, or a function
            [``None``: each input is a prompt].
        concurrency: calls in flight at once [8].
        options: per-call overrides of the client's defaults [``None``].
        id_of: each item's id (the journal's key) [its index].
        on_error: ``"collect"`` failures in their items, or ``"raise"`` the first one
            [``"collect"``].
        rate_limit: requests and tokens per minute across every worker [``None``]; a
            :class:`RateLimiter` instead shares its state with the other runs given it
            (on one event loop).
        max_cost: USD past which nothing new is scheduled [``None``].
        max_tokens: tokens past which nothing new is scheduled [``None``].
        progress: called with a :class:`Progress` after each item [``None``].
        journal: a :class:`ResultStore`, or the path of a SQLite journal [``None``].
        retry_failed: with a journal, call again the items stored as failed [``False``].
        keep_completions: keep each item's whole :class:`~typedllm.Completion` in its
            result (finish reason, raw body, messages) [``False``: the output, usage, cost
            and attempts are kept; a run of many items stays small and fast].
    """

    prompt: PromptSpec
    concurrency: int
    options: CallOptions | None
    id_of: Callable[[Any], Any] | None
    on_error: OnError
    rate_limit: RateLimit | RateLimiter | None
    max_cost: float | None
    max_tokens: int | None
    progress: ProgressCallback | None
    journal: JournalArg
    retry_failed: bool
    keep_completions: bool


@overload
async def amap(
    client: Completer, inputs: Iterable[Any], *, schema: None = None, **options: Unpack[MapOptions]
) -> MapResults[str]: ...
@overload
async def amap(
    client: Completer, inputs: Iterable[Any], *, schema: TypeForm[T], **options: Unpack[MapOptions]
) -> MapResults[T]: ...
async def amap(
    client: Completer, inputs: Iterable[Any], *, schema: Any = None, **options: Unpack[MapOptions]
) -> MapResults[Any]:
    """Run ``client`` over every input, ``concurrency`` at a time; return the results in
    input order (each an :class:`ItemResult`: the output or the typed error, usage, cost,
    attempts) with the run's :class:`RunSummary` (``results.summary``).

    Inputs are prompts (strings or message lists), or records turned into prompts by
    ``prompt=``: a template over their fields (``"Extract the invoice: {text}"``; ``{input}``
    is the whole input) or a function. ``id_of`` gives each item's id (default: its index),
    the key of the ``journal`` (a :class:`ResultStore`, or a path: a SQLite journal), which
    makes a rerun skip the items already done (and, with ``retry_failed``, retry the failed
    ones). ``rate_limit`` bounds requests and tokens per minute across every worker, and a
    429 pauses them all. Past ``max_cost`` (USD) or ``max_tokens`` nothing new is scheduled
    (``summary.stopped`` says why). ``progress`` is called with a :class:`Progress` after each
    item. One item's failure is collected and the run goes on, unless ``on_error="raise"``.
    Every option is described in :class:`MapOptions`.

    >>> results = await tl.amap(llm, texts, schema=Invoice, concurrency=32)  # doctest: +SKIP
    >>> invoices = results.outputs()  # doctest: +SKIP
    """
    return await _collected(client, inputs, _spec_of(schema, dict(options)))


@overload
def map(
    client: Completer, inputs: Iterable[Any], *, schema: None = None, **options: Unpack[MapOptions]
) -> MapResults[str]: ...
@overload
def map(
    client: Completer, inputs: Iterable[Any], *, schema: TypeForm[T], **options: Unpack[MapOptions]
) -> MapResults[T]: ...
def map(
    client: Completer, inputs: Iterable[Any], *, schema: Any = None, **options: Unpack[MapOptions]
) -> MapResults[Any]:
    """The synchronous :func:`amap` (it runs the same engine on an event loop of its own; in
    a thread when the caller already runs one, e.g. in a notebook). Ctrl-C stops the run:
    the items in flight are cancelled, a journal keeps every item that ended.

    >>> results = tl.map(llm, texts, schema=Invoice, concurrency=32)  # doctest: +SKIP
    >>> print(results.summary)  # doctest: +SKIP
    """
    spec = _spec_of(schema, dict(options))  # checked here, before any thread starts

    results: MapResults[Any] = _run_sync(_collected(client, inputs, spec, owns_loop=True))
    return results


async def _collected(
    client: Completer, inputs: Iterable[Any], spec: _Spec, *, owns_loop: bool = False
) -> MapResults[Any]:
    """Run the job, keeping every result (in input order) with the summary."""
    ended = ResultColumns()
    summary = await _execute(client, inputs, spec, ended.add, owns_loop=owns_loop)
    return MapResults(ended, summary)


def _run_sync(coroutine: Any) -> Any:
    """Run ``coroutine`` to the end: on this thread, or on a thread of its own when this one
    already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    outcome: builtins.list[Any] = []

    def target() -> None:
        try:
            outcome.append((True, asyncio.run(coroutine)))
        except BaseException as error:  # handed to the caller's thread
            outcome.append((False, error))

    thread = threading.Thread(target=target, name="typedllm-map", daemon=True)
    thread.start()
    thread.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


@overload
def amap_as_completed(
    client: Completer, inputs: Iterable[Any], *, schema: None = None, **options: Unpack[MapOptions]
) -> AsyncIterator[ItemResult[str]]: ...
@overload
def amap_as_completed(
    client: Completer, inputs: Iterable[Any], *, schema: TypeForm[T], **options: Unpack[MapOptions]
) -> AsyncIterator[ItemResult[T]]: ...
async def amap_as_completed(
    client: Completer, inputs: Iterable[Any], *, schema: Any = None, **options: Unpack[MapOptions]
) -> AsyncIterator[ItemResult[Any]]:
    """:func:`amap`, yielding each :class:`ItemResult` as soon as it ends (``result.index``
    says which input it was). Leaving the loop early stops the run (the items in flight are
    cancelled)."""
    spec = _spec_of(schema, dict(options))
    ended: asyncio.Queue[ItemResult[Any] | None] = asyncio.Queue()
    job = asyncio.ensure_future(_execute(client, inputs, spec, ended.put_nowait))
    job.add_done_callback(lambda _: ended.put_nowait(None))
    try:
        while (result := await ended.get()) is not None:
            yield result
        job.result()  # the run's error, under on_error="raise"
    finally:
        if not job.done():
            job.cancel()
            await asyncio.gather(job, return_exceptions=True)


@overload
def map_as_completed(
    client: Completer, inputs: Iterable[Any], *, schema: None = None, **options: Unpack[MapOptions]
) -> Iterator[ItemResult[str]]: ...
@overload
def map_as_completed(
    client: Completer, inputs: Iterable[Any], *, schema: TypeForm[T], **options: Unpack[MapOptions]
) -> Iterator[ItemResult[T]]: ...
def map_as_completed(
    client: Completer, inputs: Iterable[Any], *, schema: Any = None, **options: Unpack[MapOptions]
) -> Iterator[ItemResult[Any]]:
    """The synchronous :func:`amap_as_completed`: the engine runs on a thread of its own and
    each result is yielded here as it ends. Leaving the loop early (or Ctrl-C) stops the run."""
    return _threaded(client, inputs, _spec_of(schema, dict(options)))


_END = object()


def _threaded(client: Completer, inputs: Iterable[Any], spec: _Spec) -> Iterator[ItemResult[Any]]:
    ended: queue.Queue[Any] = queue.Queue()
    loop = asyncio.new_event_loop()
    job: builtins.list[asyncio.Future[RunSummary]] = []

    def target() -> None:
        asyncio.set_event_loop(loop)
        task = loop.create_task(_execute(client, inputs, spec, ended.put, owns_loop=True))
        job.append(task)
        try:
            loop.run_until_complete(task)
        except BaseException as error:  # handed to the consumer
            ended.put(error if not isinstance(error, asyncio.CancelledError) else _END)
        finally:
            ended.put(_END)
            loop.close()

    thread = threading.Thread(target=target, name="typedllm-map", daemon=True)
    thread.start()
    try:
        while True:
            got = ended.get()
            if got is _END:
                return
            if isinstance(got, BaseException):
                raise got
            yield got
    finally:
        if thread.is_alive() and job:
            loop.call_soon_threadsafe(job[0].cancel)
        thread.join()
