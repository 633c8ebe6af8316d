"""Typed extraction on Ray Data: a callable class for ``Dataset.map_batches``.

>>> import typedllm as tl
>>> from typedllm.integrations.ray import TypedExtractor, extract, usage_of
>>> def make_client() -> tl.Client:  # built in each worker: no client, no key is pickled
...     return tl.openai().model("gpt-4o-mini").build()  # reads the worker's OPENAI_API_KEY
>>> # out = extract(ds, make_client, schema=Invoice, prompt="Extract: {text}", actors=4)
>>> # out = out.materialize(); print(usage_of(out))

:class:`TypedExtractor` takes a batch (a pandas ``DataFrame``, a dict of numpy arrays or of
lists, a pyarrow ``Table``), runs its rows concurrently through the client, and returns the
batch with the typed record's fields added as columns (values that are records or lists as
JSON text), plus the status columns :data:`STATUS_COLUMNS`: ``_ok``, ``_error``,
``_input_tokens``, ``_output_tokens`` and ``_cost``. :func:`extract` is the
``ds.map_batches(TypedExtractor, ...)`` call written once; :func:`usage_of` sums the status
columns of a dataset (or one batch).

The client comes from a zero-argument factory called in the worker (nothing about the client
is pickled), or is given and pickled with the usual rules (a key read from the environment
travels as the variable's *name*, an explicit ``.api_key()`` refuses to be pickled). See
``docs/ray.md`` for a cluster recipe. Ray itself is never imported here: the module works on
batches and datasets it is handed, so it imports (and type-checks) without Ray installed.
"""

from __future__ import annotations

import asyncio
import dataclasses
import importlib
import math
import pickle
import string
import threading
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any, Literal, TypeVar

import orjson

from .._client import Client
from .._completion import Completion, Usage
from .._errors import ConfigurationError, OutputError, RateLimitError
from .._events import RetryScheduled
from .._options import CallOptions
from .._output import adapter_for
from .._protocol import Call, ClientWrapper, Completer
from .._routing import estimate_tokens
from ..pipeline import ItemResult, PromptSpec, RateLimit, RateLimiter, amap

__all__ = [
    "STATUS_COLUMNS",
    "ClientSource",
    "DatasetUsage",
    "OutputMode",
    "TypedExtractor",
    "extract",
    "usage_of",
]

_T = TypeVar("_T")

STATUS_COLUMNS = ("_ok", "_error", "_input_tokens", "_output_tokens", "_cost")
"""The columns every extracted row gets: whether it succeeded, the error (``"Type: message"``,
``None`` on success), its input and output tokens (every attempt, re-asks included) and its
cost in USD (``None`` when the model's price is unknown, or the row failed before using any
tokens: a row that failed validation after the model answered has its tokens and cost)."""

ClientSource = Completer | Callable[[], Completer]
"""A client (pickled to the workers) or a zero-argument function that builds one (called in
each worker)."""

OutputMode = Literal["columns", "json"]
"""``"columns"``: one column per field of the record; ``"json"``: one ``output`` column with
the record as JSON text."""

_SCALARS = (str, int, float, bool)
_FORMATTER = string.Formatter()


class TypedExtractor:
    """Extract a typed record from every row of a batch; for ``Dataset.map_batches``.

    >>> import typedllm as tl
    >>> from typedllm.testing import FakeProvider
    >>> from pydantic import BaseModel
    >>> class Invoice(BaseModel):
    ...     vendor: str
    ...     total: float
    >>> def make() -> tl.Client:
    ...     return tl.openai().model("gpt-4o-mini").api_key("k").transport(FakeProvider()).build()
    >>> step = TypedExtractor(make, schema=Invoice, text_column="text")
    >>> out = step({"text": ["ACME, 12.50", "Initech, 99"]})
    >>> out["_ok"], list(out)[:3], out["_input_tokens"][0] > 0
    ([True, True], ['text', 'vendor', 'total'], True)

    With Ray: ``ds.map_batches(TypedExtractor, fn_constructor_args=(make,),
    fn_constructor_kwargs={"schema": Invoice, ...}, compute=ray.data.ActorPoolStrategy(size=4),
    batch_format="pandas")``, or :func:`extract`, which writes that call.

    Args:
        client_or_factory: a client (any :class:`~typedllm.Completer`: a client, a fallback,
            a router), pickled to the workers; or a zero-argument function returning one,
            called once per extractor in the worker (nothing about the client is pickled).
        schema: the record type (a pydantic model, a dataclass, a TypedDict); any type with
            ``output="json"``.
        prompt: how a row becomes a prompt: a template over the row's columns
            (``"Extract: {text}"``), or a function of the row (a dict of column to value).
        text_column: the column that holds each row's text: without ``prompt`` it is the
            prompt itself; in a template it is also ``{input}``; a prompt function then gets
            it instead of the row.
        concurrency: rows of one batch in flight at once (per extractor, i.e. per Ray actor).
        output: ``"columns"`` (one column per field) or ``"json"`` (an ``output`` column).
        prefix: put before every output column's name (to keep clear of the input columns:
            a clash is an error, never an overwrite).
        options: per-call overrides of the client's defaults.
        on_error: ``"collect"`` (a failed row gets ``_ok=False`` and its ``_error``) or
            ``"raise"`` (the first failure fails the batch, and Ray's task with it).
        rate_limit: the requests and tokens per minute *this extractor* may use (one actor's
            share of the account's limit: :func:`extract` divides it for you), kept across
            batches; a 429 pauses this extractor's calls.

    Rows go through :func:`typedllm.amap` (prompts, typed failures, usage and cost per row).
    Each extractor runs its calls on an event loop of its own, in a daemon thread, and keeps
    its client, connections and rate limiter from batch to batch; :meth:`close` releases
    them.
    """

    def __init__(
        self,
        client_or_factory: ClientSource,
        *,
        schema: Any,
        prompt: PromptSpec = None,
        text_column: str | None = None,
        concurrency: int = 16,
        output: OutputMode = "columns",
        prefix: str = "",
        options: CallOptions | None = None,
        on_error: Literal["collect", "raise"] = "collect",
        rate_limit: RateLimit | None = None,
    ) -> None:
        if not isinstance(client_or_factory, Completer) and not callable(client_or_factory):
            raise ConfigurationError(
                "TypedExtractor takes a client or a zero-argument function that builds one, "
                f"got {type(client_or_factory).__name__}"
            )
        if prompt is None and text_column is None:
            raise ConfigurationError(
                "say how a row becomes a prompt: text_column= (the column holding the text) "
                "or prompt= (a template such as 'Extract: {text}', or a function of the row)"
            )
        if prompt is not None and not isinstance(prompt, str) and not callable(prompt):
            raise ConfigurationError(
                f"prompt= takes a template string or a function, got {prompt!r}"
            )
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"concurrency must be a positive integer, got {concurrency!r}")
        if output not in ("columns", "json"):
            raise ConfigurationError(f'output must be "columns" or "json", got {output!r}')
        if on_error not in ("collect", "raise"):
            raise ConfigurationError(f'on_error must be "collect" or "raise", got {on_error!r}')
        if rate_limit is not None and not isinstance(rate_limit, RateLimit):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"rate_limit takes a tl.RateLimit, got {rate_limit!r}")
        self._source: ClientSource = client_or_factory
        self._schema = schema
        self._prompt = prompt
        self._text_column = text_column
        self._concurrency = concurrency
        self._output: OutputMode = output
        self._prefix = prefix
        self._options = options
        self._on_error: Literal["collect", "raise"] = on_error
        self._rate_limit = rate_limit
        # Checked now, on the driver (when the extractor is built there): a schema that has
        # no fields cannot become columns, and the names must not clash with the status ones.
        self._fields = _field_names(schema) if output == "columns" else ("output",)
        self._out_columns = tuple(prefix + f for f in self._fields)
        clash = set(self._out_columns) & set(STATUS_COLUMNS)
        if clash:
            raise ConfigurationError(
                f"output column {sorted(clash)[0]!r} clashes with a status column; "
                "pass prefix= to rename the output columns"
            )
        self._init_runtime()

    def _init_runtime(self) -> None:
        # The parts that live in one process only: never pickled (see __getstate__).
        self._lock = threading.Lock()
        self._worker: _Worker | None = None
        self._owned: Client | None = None  # a client this extractor made, and closes
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    # -- pickling (Ray ships the extractor, or its constructor arguments) ---------------------

    def __getstate__(self) -> dict[str, Any]:
        # The loop, its thread and a client built by the factory stay in this process; a
        # given client is part of the source and pickles by its own rules (an explicit key
        # refuses with SecretPicklingError).
        return {
            "source": self._source,
            "schema": self._schema,
            "prompt": self._prompt,
            "text_column": self._text_column,
            "concurrency": self._concurrency,
            "output": self._output,
            "prefix": self._prefix,
            "options": self._options,
            "on_error": self._on_error,
            "rate_limit": self._rate_limit,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        source = state.pop("source")
        self.__init__(source, **state)  # type: ignore[misc]

    # -- the batch step --------------------------------------------------------------------------

    def __call__(self, batch: Any) -> Any:
        """Extract every row of ``batch``; return the batch (same format) with the output and
        status columns added."""
        table = _Batch.of(batch)
        clash = set(self._out_columns) & set(table.columns)
        if clash:
            raise ConfigurationError(
                f"output column {sorted(clash)[0]!r} is already a column of the batch; "
                "pass prefix= to rename the output columns"
            )
        if self._text_column is not None and self._text_column not in table.columns:
            raise ConfigurationError(
                f"text_column {self._text_column!r} is not a column of the batch "
                f"(columns: {', '.join(table.columns) or 'none'})"
            )
        inputs = self._inputs(table)
        results = self._run(self._extract(inputs)) if inputs else []
        return table.with_columns(self._columns(results))

    def run(self, inputs: Sequence[Any]) -> list[ItemResult[Any]]:
        """Extract ``inputs`` (rows, or texts when ``text_column`` is set) and return one
        result per input, in order: the batch step without the batch."""
        rows = list(inputs)
        if self._text_column is not None and isinstance(self._prompt, str):
            rows = [{self._text_column: text} for text in rows]  # what the template reads
        return self._run(self._extract(rows)) if rows else []

    def close(self) -> None:
        """Release the connections of the clients this extractor made (one a factory built,
        or its rate-limited copy of a given client) and stop its event loop; a later batch
        starts again. A given client is left open: it is the caller's."""
        with self._lock:
            loop, thread, owned = self._loop, self._thread, self._owned
            self._loop = self._thread = self._worker = self._owned = None
        if loop is None:
            return
        if owned is not None:
            asyncio.run_coroutine_threadsafe(owned.aclose(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join()
        loop.close()

    def __repr__(self) -> str:
        schema = getattr(self._schema, "__name__", repr(self._schema))
        return (
            f"TypedExtractor(schema={schema}, output={self._output!r}, "
            f"concurrency={self._concurrency})"
        )

    # -- internals ---------------------------------------------------------------------------------

    def _worker_for_run(self) -> _Worker:
        # Called on the extractor's loop, once: what it builds then serves every batch.
        with self._lock:
            if self._worker is not None:
                return self._worker
            source: Any = self._source
            client = source if isinstance(source, Completer) else source()
            if not isinstance(client, Completer):
                raise ConfigurationError(
                    f"the client factory must return a typedllm client, got {type(client).__name__}"
                )
            owned = client if client is not source and isinstance(client, Client) else None
            limiter = RateLimiter(self._rate_limit) if self._rate_limit is not None else None
            if limiter is not None and isinstance(client, Client):
                # A copy that also tells the limiter of the 429s the client retries itself.
                config = client.config
                pause = _PauseOn429(limiter)
                client = owned = Client(dataclasses.replace(config, hooks=(*config.hooks, pause)))
            self._worker, self._owned = _Worker(client, limiter), owned
            return self._worker

    def _run(self, coro: Coroutine[Any, Any, _T]) -> _T:
        # One loop per extractor, kept across batches: the client's async HTTP connections
        # belong to the loop that opened them, and a fresh asyncio.run per batch would strand
        # them. A thread of its own also makes the step callable from code already inside an
        # event loop (a notebook), and from several threads at once.
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=loop.run_forever, name="typedllm-ray-extractor", daemon=True
                )
                thread.start()
                self._loop, self._thread = loop, thread
            loop = self._loop
        return asyncio.run_coroutine_threadsafe(coro, loop).result()

    def _inputs(self, table: _Batch) -> list[Any]:
        """What amap gets per row: the text column's values, or (for a template, which may
        name any column besides ``{input}``, and without a text column) whole rows."""
        if self._text_column is not None and not isinstance(self._prompt, str):
            return table.column(self._text_column)
        return table.rows()

    def _prompt_spec(self) -> PromptSpec:
        if self._text_column is not None and isinstance(self._prompt, str):
            return _TextTemplate(self._prompt, self._text_column)
        return self._prompt

    async def _extract(self, inputs: list[Any]) -> list[ItemResult[Any]]:
        # amap sees a wrapper, not a Client, so it neither copies nor closes the client per
        # batch: connections (and the limiter) outlive the batch, as a Ray actor wants.
        results = await amap(
            self._worker_for_run(),
            inputs,
            schema=self._schema,
            prompt=self._prompt_spec(),
            concurrency=self._concurrency,
            options=self._options,
            on_error=self._on_error,
        )
        return list(results)

    def _columns(self, results: Sequence[ItemResult[Any]]) -> dict[str, list[Any]]:
        columns: dict[str, list[Any]] = {name: [] for name in self._out_columns}
        status: dict[str, list[Any]] = {name: [] for name in STATUS_COLUMNS}
        adapter = adapter_for(self._schema)
        for result in results:
            if result.error is None:
                if self._output == "json":
                    values: list[Any] = [adapter.dump_json(result.output).decode()]
                else:
                    # A record type (checked by _field_names) dumps to a dict of its fields.
                    record: Any = adapter.dump_python(result.output, mode="json")
                    values = [_cell(record.get(f)) for f in self._fields]
                error = None
            else:
                values = [None] * len(self._fields)
                error = f"{type(result.error).__name__}: {result.error}"
            for name, value in zip(self._out_columns, values, strict=True):
                columns[name].append(value)
            status["_ok"].append(result.error is None)
            status["_error"].append(error)
            status["_input_tokens"].append(result.usage.input_tokens)
            status["_output_tokens"].append(result.usage.output_tokens)
            status["_cost"].append(result.cost)
        return {**columns, **status}


def _cell(value: Any) -> Any:
    """A column value: scalars as they are, records and lists as JSON text (a column of
    nested values would need a schema of its own in every batch format)."""
    if value is None or isinstance(value, _SCALARS):
        return value
    return orjson.dumps(value).decode()


def _field_names(schema: Any) -> tuple[str, ...]:
    """The top-level field names of a record type, as its JSON serialization has them."""
    try:
        described = adapter_for(schema).json_schema(mode="serialization")
    except Exception as exc:  # pydantic raises several kinds for types it cannot describe
        raise ConfigurationError(f"cannot describe schema {schema!r}: {exc}") from exc
    ref = described.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        # A recursive model is described as a reference to its own definition.
        described = described.get("$defs", {}).get(ref.removeprefix("#/$defs/"), {})
    properties = described.get("properties")
    if described.get("type") != "object" or not isinstance(properties, dict) or not properties:
        raise ConfigurationError(
            f"schema {getattr(schema, '__name__', schema)!r} has no fields to make columns "
            'of: use a record type (a pydantic model, a dataclass, a TypedDict), or output="json"'
        )
    return tuple(str(name) for name in properties)  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]


class _Worker(ClientWrapper):
    """The completer an extractor hands to :func:`typedllm.amap`, kept across batches: its
    client, and the extractor's rate limiter (``amap``'s own limiter lives for one run, that
    is one batch, and would start every batch with a full minute's allowance)."""

    __slots__ = ("limiter",)

    def __init__(self, inner: Completer, limiter: RateLimiter | None) -> None:
        super().__init__(inner)
        self.limiter = limiter

    async def _acompletion(self, call: Call) -> Completion[Any]:
        limiter = self.limiter
        if limiter is None:
            return await super()._acompletion(call)
        estimate = estimate_tokens(call.prompt)
        await limiter.acquire(estimate)
        used = 0
        try:
            completion = await super()._acompletion(call)
            used = completion.usage.total_tokens
            return completion
        except RateLimitError as error:
            limiter.pause(error.retry_after if error.retry_after is not None else 1.0)
            raise
        except OutputError as error:
            used = error.usage.total_tokens if error.usage is not None else 0
            raise
        finally:
            limiter.settle(estimate, used)


class _TextTemplate:
    """A template over a row's columns whose ``{input}`` is the text column's value (amap's own
    templates make ``{input}`` the whole input, here the row)."""

    __slots__ = ("column", "template")

    def __init__(self, template: str, column: str) -> None:
        self.template = template
        self.column = column

    def __call__(self, row: Mapping[str, Any]) -> str:
        fields = {**row, "input": row.get(self.column)}
        try:
            return _FORMATTER.vformat(self.template, (), fields)
        except KeyError as exc:
            raise ConfigurationError(
                f"the prompt template names {{{exc.args[0]}}}, which the row does not have "
                f"(columns: {', '.join(row)})"
            ) from None
        except (IndexError, ValueError) as exc:
            raise ConfigurationError(f"the prompt template is invalid: {exc}") from None


class _PauseOn429:
    """A client hook: a 429 the client retries pauses the extractor's limiter too."""

    __slots__ = ("limiter",)

    def __init__(self, limiter: RateLimiter) -> None:
        self.limiter = limiter

    def __call__(self, event: object) -> None:
        if isinstance(event, RetryScheduled) and event.status == 429:
            self.limiter.pause(event.delay)


# -- batch formats --------------------------------------------------------------------------------


class _Batch:
    """One batch, whatever its format: its columns, its rows, and a copy with columns added."""

    columns: tuple[str, ...]

    @staticmethod
    def of(batch: Any) -> _Batch:
        # Told apart by shape, not by importing pandas or pyarrow: a process only has the
        # libraries of the batch format it was given.
        if hasattr(batch, "iloc") and hasattr(batch, "columns"):
            return _PandasBatch(batch)
        if hasattr(batch, "to_pylist") and hasattr(batch, "append_column"):
            return _ArrowBatch(batch)
        if isinstance(batch, Mapping):
            return _DictBatch(batch)  # pyright: ignore[reportUnknownArgumentType]
        raise ConfigurationError(
            f"cannot read a batch of type {type(batch).__name__}: use batch_format "
            '"pandas", "numpy" or "pyarrow" (a dict of arrays or lists works too)'
        )

    def column(self, name: str) -> list[Any]:
        """The values of one column, as Python values."""
        raise NotImplementedError

    def rows(self) -> list[dict[str, Any]]:
        """Every row as a dict of column to Python value."""
        columns = {name: self.column(name) for name in self.columns}
        count = len(next(iter(columns.values()))) if columns else 0
        return [{name: values[i] for name, values in columns.items()} for i in range(count)]

    def with_columns(self, columns: dict[str, list[Any]]) -> Any:
        """The batch, in its own format, with ``columns`` added."""
        raise NotImplementedError


def _plain(values: list[Any]) -> bool:
    """Whether a column's values are all present and of one scalar type (a typed array);
    otherwise it is kept as Python objects, which Ray turns into a nullable Arrow column."""
    kinds: set[type[Any]] = {type(v) for v in values}
    return len(kinds) == 1 and next(iter(kinds)) in _SCALARS


class _PandasBatch(_Batch):
    def __init__(self, frame: Any) -> None:
        self._frame = frame
        self.columns = tuple(str(c) for c in frame.columns)

    def column(self, name: str) -> list[Any]:
        values: list[Any] = self._frame[name].tolist()
        return values

    def rows(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self._frame.to_dict("records")
        return rows

    def with_columns(self, columns: dict[str, list[Any]]) -> Any:
        pandas = importlib.import_module("pandas")
        index = self._frame.index
        added = {
            # Object columns keep None as None and ints as ints (pandas would turn a column
            # of ints with a gap into floats with NaN).
            name: pandas.Series(values, index=index, dtype=None if _plain(values) else object)
            for name, values in columns.items()
        }
        return self._frame.assign(**added)


class _ArrowBatch(_Batch):
    def __init__(self, table: Any) -> None:
        self._table = table
        self.columns = tuple(str(c) for c in table.column_names)

    def column(self, name: str) -> list[Any]:
        values: list[Any] = self._table.column(name).to_pylist()
        return values

    def rows(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self._table.to_pylist()
        return rows

    def with_columns(self, columns: dict[str, list[Any]]) -> Any:
        pyarrow = importlib.import_module("pyarrow")
        table = self._table
        for name, values in columns.items():
            try:
                array = pyarrow.array(values)
            except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError):
                # A union field (int | str) has no single Arrow type: keep it as JSON text.
                array = pyarrow.array(
                    [None if v is None else orjson.dumps(v).decode() for v in values],
                    type=pyarrow.string(),
                )
            table = table.append_column(name, array)
        return table


class _DictBatch(_Batch):
    def __init__(self, batch: Mapping[str, Any]) -> None:
        self._batch = batch
        self.columns = tuple(str(c) for c in batch)
        # Ray's "numpy" format is a dict of arrays: answer in arrays then; a dict of lists
        # (direct use, tests) gets lists back.
        self._numpy = any(hasattr(v, "dtype") for v in batch.values())

    def column(self, name: str) -> list[Any]:
        values: Any = self._batch[name]
        if hasattr(values, "tolist"):  # numpy arrays: Python values, not numpy scalars
            values = values.tolist()
        return [v for v in values]

    def with_columns(self, columns: dict[str, list[Any]]) -> Any:
        out: dict[str, Any] = dict(self._batch)
        if not self._numpy:
            out.update(columns)
            return out
        numpy = importlib.import_module("numpy")
        for name, values in columns.items():
            if _plain(values):
                out[name] = numpy.asarray(values)
            else:
                array = numpy.empty(len(values), dtype=object)
                array[:] = values  # element-wise: a list value must not become a 2-D array
                out[name] = array
        return out


# -- running on a dataset --------------------------------------------------------------------------


def extract(
    ds: Any,
    client_or_factory: ClientSource,
    *,
    schema: Any,
    prompt: PromptSpec = None,
    text_column: str | None = None,
    concurrency: int = 16,
    output: OutputMode = "columns",
    prefix: str = "",
    options: CallOptions | None = None,
    on_error: Literal["collect", "raise"] = "collect",
    rate_limit: RateLimit | None = None,
    actors: int | tuple[int, int] = 1,
    batch_size: int | None = 64,
    batch_format: Literal["pandas", "numpy", "pyarrow"] = "pandas",
    **map_batches_kwargs: Any,
) -> Any:
    """``ds.map_batches(TypedExtractor, ..., compute=ActorPoolStrategy(...))``: the dataset
    with the extracted columns (lazy, like every Ray Data step).

    The extractor's arguments are checked here, on the driver, before any actor starts, and
    so is a given client's picklability (an explicit ``.api_key()`` refuses: pass a factory).
    ``actors`` is the actor pool (a size, or ``(min, max)`` to autoscale); each actor keeps
    ``concurrency`` calls in flight, so up to ``actors * concurrency`` calls run at once.
    ``rate_limit`` is the whole job's limit (the account's, or the part of it this job may
    use): each actor gets an equal share, ``1/actors`` of it (``1/max`` for an autoscaling
    pool, so that the largest pool stays under it). Further keyword arguments go to
    ``map_batches`` (``num_cpus=0.25``: the calls wait on the network, so an actor needs
    little CPU).
    """
    kwargs: dict[str, Any] = {
        "schema": schema,
        "prompt": prompt,
        "text_column": text_column,
        "concurrency": concurrency,
        "output": output,
        "prefix": prefix,
        "options": options,
        "on_error": on_error,
        "rate_limit": _share(rate_limit, actors),
    }
    # Mistakes fail here, once, rather than in every actor: the arguments, and a client that
    # cannot travel (an explicit key raises SecretPicklingError, naming the ways out).
    TypedExtractor(client_or_factory, **kwargs)
    if isinstance(client_or_factory, Completer):
        pickle.dumps(client_or_factory)
    return ds.map_batches(
        TypedExtractor,
        fn_constructor_args=(client_or_factory,),
        fn_constructor_kwargs=kwargs,
        compute=_actor_pool(actors),
        batch_size=batch_size,
        batch_format=batch_format,
        **map_batches_kwargs,
    )


def _actor_pool(actors: int | tuple[int, int]) -> Any:
    """Ray Data's actor pool strategy (``map_batches(concurrency=)`` is deprecated since Ray
    2.51; ``compute=ActorPoolStrategy`` works from 2.9 on)."""
    try:
        ray_data = importlib.import_module("ray.data")
    except ImportError as exc:
        raise ConfigurationError(
            "extract() runs on Ray Data, which is not installed: pip install 'typedllm[ray]'"
        ) from exc
    if isinstance(actors, tuple):
        low, high = actors
        return ray_data.ActorPoolStrategy(min_size=low, max_size=high)
    return ray_data.ActorPoolStrategy(size=actors)


def _most_actors(actors: int | tuple[int, int]) -> int:
    """The largest pool ``actors`` allows (checked: a size, or ``(min, max)``)."""
    sizes = actors if isinstance(actors, tuple) else (actors,)
    valid = all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in sizes)  # pyright: ignore[reportUnnecessaryIsInstance]
    if not valid or len(sizes) not in (1, 2) or sizes[0] > sizes[-1]:
        raise ConfigurationError(f"actors must be a positive int or (min, max), got {actors!r}")
    return sizes[-1]


def _share(limit: RateLimit | None, actors: int | tuple[int, int]) -> RateLimit | None:
    """One actor's share of a job's rate limit."""
    most = _most_actors(actors)
    if limit is None:
        return None
    if not isinstance(limit, RateLimit):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(f"rate_limit takes a tl.RateLimit, got {limit!r}")
    rpm, tpm = limit.requests_per_minute, limit.tokens_per_minute
    return RateLimit(
        requests_per_minute=rpm / most if rpm is not None else None,
        tokens_per_minute=tpm / most if tpm is not None else None,
    )


@dataclasses.dataclass(frozen=True, slots=True)
class DatasetUsage:
    """The status columns of an extraction, summed.

    Attributes:
        rows: rows seen.
        ok: rows that produced a record.
        failed: rows that ended in an error.
        usage: input and output tokens of every row (failed ones included, when known).
        cost: USD of the rows whose price was known (``None`` when none was).
    """

    rows: int
    ok: int
    failed: int
    usage: Usage
    cost: float | None

    def __str__(self) -> str:
        cost = f"${self.cost:.4f}" if self.cost is not None else "unknown cost"
        return (
            f"{self.ok} ok, {self.failed} failed of {self.rows}; {self.usage.input_tokens} "
            f"tokens in / {self.usage.output_tokens} out, {cost}"
        )


def usage_of(data: Any) -> DatasetUsage:
    """Sum the status columns of an extracted Ray ``Dataset`` (or of one batch: a pandas
    ``DataFrame``, a dict of arrays or lists, a pyarrow ``Table``).

    A dataset is read once, status columns only. It is lazy: on a dataset that was not
    materialized, reading it runs the extraction (and its calls) again, so call
    ``ds = ds.materialize()`` first, or sum the output you wrote.
    """
    batches: Any
    if hasattr(data, "iter_batches") and hasattr(data, "select_columns"):
        wanted = [c for c in STATUS_COLUMNS if c != "_error"]
        batches = data.select_columns(wanted).iter_batches(batch_format="numpy", batch_size=4096)
    else:
        batches = [data]
    rows = ok = input_tokens = output_tokens = 0
    cost: float | None = None
    for batch in batches:
        table = _Batch.of(batch)
        missing = [c for c in STATUS_COLUMNS if c != "_error" and c not in table.columns]
        if missing:
            raise ConfigurationError(
                f"no {missing[0]} column: usage_of reads the output of TypedExtractor"
            )
        flags = table.column("_ok")
        rows += len(flags)
        ok += sum(1 for f in flags if f)
        input_tokens += sum(int(n) for n in table.column("_input_tokens"))
        output_tokens += sum(int(n) for n in table.column("_output_tokens"))
        for value in table.column("_cost"):
            # A missing cost is None in lists and Arrow, NaN in a float array or frame.
            if value is not None and not math.isnan(value):
                cost = (cost or 0.0) + float(value)
    return DatasetUsage(rows, ok, rows - ok, Usage(input_tokens, output_tokens), cost)
