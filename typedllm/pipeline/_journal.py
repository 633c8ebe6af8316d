"""The resumable journal: finished items of a pipeline run, in SQLite (stdlib ``sqlite3``).

Theory of operation:

* One row per item, keyed by ``(job, item id, request hash)``: a rerun of the same job finds
  what is done and skips it; a changed prompt, schema or model changes the request hash, so
  the item is a new one (the old row stays, as history).
* Every :meth:`Journal.save` is one short ``BEGIN IMMEDIATE`` ... ``COMMIT`` transaction, so a
  crash, a ``SIGKILL`` or Ctrl-C loses at most the items in flight: what ``save`` returned
  from is on disk.
* The database is in WAL mode with a busy timeout: several processes can write to one
  journal at once (SQLite serialises their short write transactions; readers never block).
  Within a process one connection is shared by every thread behind a lock.
* Outputs are stored as JSON (``TypeAdapter(...).dump_json``) and validated back into the
  caller's schema on :meth:`Journal.load`; a ``str`` output is stored as text. Errors are
  stored by type name and message, plus the pickled error so that ``load`` hands back the
  same typed error (errors are scrubbed of credentials before they reach a result, so none is
  written here). Unpickling only rebuilds typedllm classes and plain values: a journal file
  from elsewhere cannot run code through it.
* A success is never overwritten by a failure of the same item (two processes working one
  job); a failure is replaced by a later success (``retry_failed``).
"""

from __future__ import annotations

import builtins
import contextlib
import enum
import io
import os
import pickle
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import orjson
from pydantic import TypeAdapter, ValidationError

from .._errors import ConfigurationError, TypedLLMError
from .._usage import Usage
from ._results import ItemResult

__all__ = ["DEFAULT_JOB", "Journal", "JournalSummary"]

DEFAULT_JOB = "default"
"""The job name of a journal opened without ``job=``."""

_SCHEMA_VERSION = 1

_CREATE = """
CREATE TABLE IF NOT EXISTS items (
    job TEXT NOT NULL,
    item_id TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    item_index INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    output_kind TEXT,
    output TEXT,
    error_type TEXT,
    error_message TEXT,
    error_pickle BLOB,
    error_fields TEXT,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cache_read_tokens INTEGER NOT NULL DEFAULT 0,
    reasoning_tokens INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens INTEGER NOT NULL DEFAULT 0,
    cost REAL,
    attempts INTEGER NOT NULL DEFAULT 0,
    seconds REAL NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (job, item_id, request_hash)
)
"""

_COLUMNS = (
    "job, item_id, request_hash, item_index, ok, output_kind, output, error_type, "
    "error_message, error_pickle, error_fields, input_tokens, output_tokens, cache_read_tokens, "
    "reasoning_tokens, cache_write_tokens, cost, attempts, seconds, created_at, updated_at"
)

# An upsert: a success or a retried failure replaces the row (keeping when it was first
# written); a failure never replaces a success another worker stored first.
_SAVE = f"""
INSERT INTO items ({_COLUMNS}) VALUES ({", ".join("?" * 21)})
ON CONFLICT (job, item_id, request_hash) DO UPDATE SET
    item_index = excluded.item_index, ok = excluded.ok, output_kind = excluded.output_kind,
    output = excluded.output, error_type = excluded.error_type,
    error_message = excluded.error_message, error_pickle = excluded.error_pickle,
    error_fields = excluded.error_fields,
    input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
    cache_read_tokens = excluded.cache_read_tokens, reasoning_tokens = excluded.reasoning_tokens,
    cache_write_tokens = excluded.cache_write_tokens, cost = excluded.cost,
    attempts = excluded.attempts, seconds = excluded.seconds, updated_at = excluded.updated_at
WHERE excluded.ok = 1 OR items.ok = 0
"""

_READ = (
    "SELECT item_id, item_index, ok, output_kind, output, error_type, error_message, "
    "error_pickle, error_fields, input_tokens, output_tokens, cache_read_tokens, reasoning_tokens, "
    "cache_write_tokens, cost, attempts, seconds FROM items"
)

_ANY = TypeAdapter[Any](Any)


@dataclass(frozen=True, slots=True)
class JournalSummary:
    """What a journal holds for one job (latest row per item id).

    Attributes:
        job: the job name.
        total: items stored.
        done: items with an output.
        failed: items that ended in an error.
        usage: tokens of every stored item.
        cost: USD of every stored item (``None`` when no price was known).
        seconds: the items' own wall times, added up.
        first_at, last_at: Unix times of the first and the latest write (``None`` when empty).
    """

    job: str
    total: int
    done: int
    failed: int
    usage: Usage = field(default_factory=Usage)
    cost: float | None = None
    seconds: float = 0.0
    first_at: float | None = None
    last_at: float | None = None

    def __str__(self) -> str:
        cost = f"${self.cost:.4f}" if self.cost is not None else "unknown cost"
        return (
            f"job {self.job!r}: {self.done} done, {self.failed} failed of {self.total}; "
            f"{self.usage.input_tokens} tokens in / {self.usage.output_tokens} out, {cost}"
        )


class Journal:
    """A :class:`~typedllm.pipeline.ResultStore` on a SQLite file: pass it (or its path) as
    ``journal=`` to :func:`typedllm.map`, and a rerun skips what is already done.

    >>> from typedllm.pipeline import Journal
    >>> with Journal("run.db", job="invoices") as journal:   # doctest: +SKIP
    ...     print(journal.summary())

    Safe to share between threads; several processes may open the same file and write at
    once. A journal pickles as its path and job (the receiver opens its own connection).

    Args:
        path: the database file (created with its tables when missing); ``":memory:"`` for a
            journal that lives as long as the object (tests).
        job: the name items are stored under (default ``"default"``): one file can hold many
            jobs.
        timeout: seconds a write waits for another process's transaction before failing.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, job: str | None = None, timeout: float = 60.0
    ) -> None:
        if job is not None and (not isinstance(job, str) or not job):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"job must be a non-empty string, got {job!r}")
        self.path = os.fspath(path)
        self.job = job if job is not None else DEFAULT_JOB
        self._timeout = timeout
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = self._connect()

    # -- connection --------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.path,
                timeout=self._timeout,
                isolation_level=None,  # transactions are begun explicitly (BEGIN IMMEDIATE)
                check_same_thread=False,  # shared by threads behind self._lock
            )
        except sqlite3.Error as exc:
            raise ConfigurationError(f"cannot open the journal {self.path!r}: {exc}") from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
            # Switching to WAL takes a lock of its own; several processes opening a new file at
            # once can see SQLITE_BUSY here even with a busy timeout, so it is retried.
            self._retry_busy(lambda: conn.execute("PRAGMA journal_mode = WAL"))
            # WAL + NORMAL: a commit survives a crash or a kill of the process (not a power
            # loss of the last transactions, which still leaves a consistent file).
            conn.execute("PRAGMA synchronous = NORMAL")
            self._retry_busy(lambda: self._create(conn))
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise ConfigurationError(f"{self.path!r} is not a usable journal: {exc}") from None
        return conn

    def _create(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(_CREATE)
            conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            conn.execute(
                "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(_SCHEMA_VERSION),)
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _retry_busy(self, action: Any) -> Any:
        deadline = time.monotonic() + self._timeout
        delay = 0.005
        while True:
            try:
                return action()
            except sqlite3.OperationalError as exc:
                busy = "locked" in str(exc) or "busy" in str(exc)
                if not busy or time.monotonic() > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.2)

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ConfigurationError(f"the journal {self.path!r} is closed")
        return self._conn

    def close(self) -> None:
        """Close the connection (idempotent); later calls raise ``ConfigurationError``."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __del__(self) -> None:
        # A journal dropped without close() (a user's, or one left by an error) closes its
        # connection here, so Python 3.13+ does not warn about an unclosed connection.
        conn = getattr(self, "_conn", None)
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __reduce__(self) -> tuple[Any, ...]:
        if self.path == ":memory:" or self.path == "":
            raise TypeError("an in-memory journal cannot be pickled (use a file path)")
        return (_reopen, (self.path, self.job, self._timeout))

    def __repr__(self) -> str:
        state = "closed" if self._conn is None else "open"
        return f"Journal({self.path!r}, job={self.job!r}, {state})"

    # -- the ResultStore protocol ------------------------------------------------------------

    def save(self, result: ItemResult[Any], request_hash: str) -> None:
        """Store a finished item (success or failure) under this journal's job, committed
        before returning."""
        row = _row(self.job, result, request_hash)
        with self._lock:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(_SAVE, row)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def load(self, item_id: str, request_hash: str, schema: Any) -> ItemResult[Any] | None:
        """The stored result of this item and request (``cached=True``; a stored failure too,
        with its typed error: the caller decides whether to retry it), or ``None``.

        A stored output that no longer validates into ``schema`` counts as not stored."""
        with self._lock:
            found = (
                self._connection()
                .execute(
                    _READ + " WHERE job = ? AND item_id = ? AND request_hash = ?",
                    (self.job, item_id, request_hash),
                )
                .fetchone()
            )
        if found is None:
            return None
        try:
            return _result(found, schema, seconds=False)
        except ValidationError:
            return None

    # -- reading a journal -------------------------------------------------------------------

    def results(self, job: str | None = None, *, schema: Any = None) -> list[ItemResult[Any]]:
        """Every stored item of ``job`` (default: this journal's job), in input order: the
        latest row of each item id (an item rerun with a changed request counts once).

        Outputs are validated into ``schema`` when it is given, else returned as plain JSON
        values (dicts, lists, numbers, strings)."""
        rows = self._latest(job if job is not None else self.job)
        return [_result(row, schema, seconds=True) for row in rows]

    def _latest(self, job: str) -> list[Any]:
        query = (
            _READ + " WHERE job = ? AND rowid IN (SELECT rowid FROM items AS i WHERE i.job = ? "
            "AND i.item_id = items.item_id ORDER BY updated_at DESC LIMIT 1) "
            "ORDER BY item_index, item_id"
        )
        with self._lock:
            return self._connection().execute(query, (job, job)).fetchall()

    def summary(self, job: str | None = None) -> JournalSummary:
        """Counts, tokens and cost of what ``job`` (default: this journal's job) holds."""
        name = job if job is not None else self.job
        query = (
            "SELECT COUNT(*), COALESCE(SUM(ok), 0), COALESCE(SUM(input_tokens), 0), "
            "COALESCE(SUM(output_tokens), 0), COALESCE(SUM(cache_read_tokens), 0), "
            "COALESCE(SUM(reasoning_tokens), 0), COALESCE(SUM(cache_write_tokens), 0), "
            "SUM(cost), COALESCE(SUM(seconds), 0), MIN(created_at), MAX(updated_at) "
            "FROM items WHERE job = ? AND rowid IN (SELECT rowid FROM items AS i "
            "WHERE i.job = ? AND i.item_id = items.item_id ORDER BY updated_at DESC LIMIT 1)"
        )
        with self._lock:
            row = self._connection().execute(query, (name, name)).fetchone()
        total, done = int(row[0]), int(row[1])
        return JournalSummary(
            job=name,
            total=total,
            done=done,
            failed=total - done,
            usage=Usage(*(int(v) for v in row[2:7])),
            cost=row[7],
            seconds=float(row[8]),
            first_at=row[9],
            last_at=row[10],
        )

    def jobs(self) -> list[str]:
        """The job names the file holds, sorted."""
        with self._lock:
            rows = self._connection().execute("SELECT DISTINCT job FROM items ORDER BY job")
            return [r[0] for r in rows]

    def __len__(self) -> int:
        """Rows stored for this journal's job (every request hash counted)."""
        with self._lock:
            row = (
                self._connection()
                .execute("SELECT COUNT(*) FROM items WHERE job = ?", (self.job,))
                .fetchone()
            )
        return int(row[0])

    def __iter__(self) -> Iterator[ItemResult[Any]]:
        return iter(self.results())


def _reopen(path: str, job: str, timeout: float) -> Journal:
    return Journal(path, job=job, timeout=timeout)


# -- rows <-> results --------------------------------------------------------------------------


def _row(job: str, result: ItemResult[Any], request_hash: str) -> tuple[Any, ...]:
    output_kind: str | None = None
    output: str | None = None
    error_type = error_message = None
    error_pickle: bytes | None = None
    error_fields: str | None = None
    if result.error is None:
        if isinstance(result.output, str):
            output_kind, output = "text", result.output
        else:
            output_kind, output = "json", _ANY.dump_json(result.output).decode()
    else:
        error = result.error
        error_type, error_message = type(error).__name__, str(error)
        try:
            error_pickle = pickle.dumps(error, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an error holding something unpicklable keeps its type and fields
            error_pickle = None
        # The fields as JSON too (repr for what JSON cannot hold): the error can be rebuilt
        # from them when its pickle cannot be read (or was refused).
        error_fields = orjson.dumps(vars(error), default=repr).decode()
    usage = result.usage
    now = time.time()
    return (
        job,
        result.id,
        request_hash,
        result.index,
        1 if result.error is None else 0,
        output_kind,
        output,
        error_type,
        error_message,
        error_pickle,
        error_fields,
        usage.input_tokens,
        usage.output_tokens,
        usage.cache_read_tokens,
        usage.reasoning_tokens,
        usage.cache_write_tokens,
        result.cost,
        result.attempts,
        result.seconds,
        now,
        now,
    )


def _result(row: Any, schema: Any, *, seconds: bool) -> ItemResult[Any]:
    (item_id, index, ok, kind, output, error_type, message, pickled, fields, *rest) = row
    usage = Usage(*(int(v) for v in rest[:5]))
    cost, attempts, took = rest[5], int(rest[6]), float(rest[7])
    value: Any = None
    error: TypedLLMError | None = None
    if ok:
        value = _output(kind, output, schema)
    else:
        error = _error(error_type, message, pickled, fields)
    return ItemResult(
        index=int(index),
        id=item_id,
        output=value,
        error=error,
        usage=usage,
        cost=cost,
        attempts=attempts,
        seconds=took if seconds else 0.0,
        cached=True,
    )


def _output(kind: str | None, text: str | None, schema: Any) -> Any:
    if text is None:
        return None
    if kind == "text":
        if schema is None or schema is str:
            return text
        return _adapter(schema).validate_python(text)
    if schema is None:
        return _ANY.validate_json(text)
    return _adapter(schema).validate_json(text)


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}
_ADAPTERS_LOCK = threading.Lock()


def _adapter(schema: Any) -> TypeAdapter[Any]:
    """A cached TypeAdapter (building one is the slow part of a load)."""
    try:
        cached = _ADAPTERS.get(schema)
    except TypeError:  # an unhashable schema (a parametrised alias of a list, say)
        return TypeAdapter(schema)
    if cached is None:
        cached = TypeAdapter(schema)
        with _ADAPTERS_LOCK:
            _ADAPTERS[schema] = cached
    return cached


def _error(
    type_name: str | None, message: str | None, pickled: bytes | None, fields: str | None
) -> TypedLLMError:
    """The stored error: unpickled when it can be (the same typed error, every field), else
    rebuilt from its type name and its fields as JSON (nested values as plain JSON)."""
    if pickled is not None:
        try:
            error = _SafeUnpickler(io.BytesIO(pickled)).load()
        except Exception:
            error = None
        if isinstance(error, TypedLLMError):
            return error
    from .. import errors

    cls = getattr(errors, type_name or "", None)
    if not (isinstance(cls, type) and issubclass(cls, TypedLLMError)):
        cls = TypedLLMError
    state: dict[str, Any] = {}
    if fields is not None:
        with contextlib.suppress(orjson.JSONDecodeError):
            loaded = orjson.loads(fields)
            if isinstance(loaded, dict):
                state = cast("dict[str, Any]", loaded)
    rebuilt = cls.__new__(cls)
    rebuilt.args = (state.get("message", message or ""),)
    rebuilt.__dict__.update(state)
    return rebuilt


# What an unpickled error may be made of: typedllm's errors and frozen values (usage,
# attempts, schema changes), the helpers pickle rebuilds them with, and plain value types.
# Anything else (os.system, eval, a class whose constructor does I/O) is refused, so a journal
# file handed over by someone else cannot run code when it is read.
_SAFE_NAMES = {
    ("copyreg", "_reconstructor"),
    ("copyreg", "__newobj__"),
    ("copyreg", "__newobj_ex__"),
    ("collections", "OrderedDict"),
    ("decimal", "Decimal"),
    ("datetime", "datetime"),
    ("datetime", "date"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("uuid", "UUID"),
    ("typedllm._errors", "_rebuild"),
}


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == "builtins":
            found = getattr(builtins, name, None)
            if isinstance(found, type):  # classes (object, set, exceptions), not functions
                return found
        elif (module, name) in _SAFE_NAMES:
            return super().find_class(module, name)
        elif module == "typedllm" or module.startswith("typedllm."):
            value_class: Any = super().find_class(module, name)
            if _is_value_class(value_class):
                return value_class
        raise pickle.UnpicklingError(f"the journal refuses to rebuild {module}.{name}")


def _is_value_class(found: object) -> bool:
    """An error, an enum or a dataclass (typedllm's frozen values): classes whose
    construction does nothing but set fields."""
    if not isinstance(found, type):
        return False
    cls = cast("type[object]", found)
    return issubclass(cls, (BaseException, enum.Enum)) or hasattr(cls, "__dataclass_fields__")
