"""What a pipeline run hands back (pure records): one :class:`ItemResult` per input, the
:class:`RunSummary` of the run, the :class:`Progress` snapshots a callback receives, and the
:class:`ResultStore` interface a journal implements.

Every record is a frozen value that pickles (errors included), so results can cross process
boundaries (Ray, process pools) and be stored by a journal.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar, overload

from .._completion import Completion
from .._errors import TypedLLMError
from .._records import positional_maker
from .._usage import Usage, make_usage

__all__ = [
    "ItemResult",
    "MapResults",
    "Progress",
    "ResultStore",
    "RunSummary",
    "StopReason",
]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

StopReason = Literal["finished", "cost_budget", "token_budget", "error", "cancelled"]
"""Why a run stopped scheduling items: all were scheduled (``finished``), a budget was
reached, ``on_error="raise"`` met a failure, or the run was cancelled (Ctrl-C)."""


@dataclass(frozen=True, slots=True)
class ItemResult(Generic[T_co]):
    """The outcome of one input: its output, or the typed error it ended with.

    Attributes:
        index: the input's position (0-based).
        id: the input's id (``id_of(input)``, else the index as text): the journal's key.
        output: the validated value (``None`` when the item failed).
        error: the typed error the item ended with (``None`` when it succeeded).
        usage: tokens the item used, every attempt included (failed ones too, when known).
        cost: its price in USD, from the model catalog (``None`` when unknown).
        attempts: requests that answered (the first try plus re-asks), from the completion.
        seconds: wall time the item took (``0.0`` when it came from a journal).
        completion: the full record of the call, when the run kept it
            (``keep_completions=True``; ``None`` otherwise, for a failure and a journal hit).
        cached: whether the result came from a journal instead of a call.
    """

    index: int
    id: str
    output: T_co | None = None
    error: TypedLLMError | None = None
    usage: Usage = field(default_factory=Usage)
    cost: float | None = None
    attempts: int = 0
    seconds: float = 0.0
    completion: Completion[T_co] | None = field(default=None, repr=False)
    cached: bool = False

    @property
    def ok(self) -> bool:
        """Whether the item produced an output."""
        return self.error is None

    def unwrap(self) -> T_co:
        """The output; raise the item's error when it failed."""
        if self.error is not None:
            raise self.error
        return self.output  # type: ignore[return-value]  # ok: output was validated


@dataclass(frozen=True, slots=True)
class RunSummary:
    """The totals of a run.

    Attributes:
        total: inputs seen.
        done: items that produced an output (journal hits included).
        failed: items that ended in an error.
        skipped: items never scheduled (a budget was reached, or the run stopped early).
        cached: items whose result came from the journal.
        usage: tokens of every call made in this run.
        cost: USD of every call made in this run (``None`` when a call's price was unknown;
            0.0 when no call was made: journal hits cost this run nothing, their recorded
            cost is in the journal's ``summary()``).
        seconds: wall time of the run.
        stopped: why the run stopped scheduling.
    """

    total: int
    done: int
    failed: int
    skipped: int
    cached: int
    usage: Usage
    cost: float | None
    seconds: float
    stopped: StopReason = "finished"

    def __str__(self) -> str:
        cost = _money(self.cost) if self.cost is not None else "unknown cost"
        text = (
            f"{self.done} done, {self.failed} failed, {self.skipped} skipped "
            f"({self.cached} from the journal) of {self.total}; "
            f"{self.usage.input_tokens} tokens in / {self.usage.output_tokens} out, {cost}, "
            f"{self.seconds:.1f}s"
        )
        if self.stopped != "finished":
            text += f"; stopped: {self.stopped.replace('_', ' ')}"
        return text


def _money(usd: float) -> str:
    """``$1.2345``, or six decimals below a cent (a fake run's ``$0.000057``)."""
    return f"${usd:.4f}" if usd >= 0.01 or usd == 0 else f"${usd:.6f}"


@dataclass(frozen=True, slots=True)
class Progress:
    """A snapshot of a running job, handed to the ``progress`` callback after each item.

    Attributes:
        total: inputs known so far (``None`` while an iterator is still being read).
        done: items that produced an output.
        failed: items that ended in an error.
        in_flight: items being worked on.
        cached: items answered from the journal.
        usage: tokens used so far.
        cost: USD spent so far (``None`` when no price is known).
        elapsed: seconds since the run started.
    """

    total: int | None
    done: int
    failed: int
    in_flight: int
    cached: int
    usage: Usage
    cost: float | None
    elapsed: float

    @property
    def finished(self) -> int:
        """Items that ended, either way."""
        return self.done + self.failed

    @property
    def rate(self) -> float:
        """Items ended per second (journal hits excluded)."""
        worked = self.finished - self.cached
        return worked / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds until every known item has ended, at the current rate (``None`` when it
        cannot be told yet)."""
        if self.total is None or self.rate <= 0:
            return None
        return max(0, self.total - self.finished) / self.rate


make_result: Callable[..., ItemResult[Any]] = positional_maker(ItemResult)
"""``ItemResult`` from all ten fields, positionally, built fast (one per item of a run)."""

_NO_COST = math.nan
"""The stored cost of an item whose price is unknown (a price is never NaN)."""


class ResultColumns:
    """The results of a run as they end, kept in columns: each plain success (an output, no
    error, no kept completion, not from the journal) as its output and a row of numbers,
    anything else as its :class:`ItemResult`. :class:`MapResults` reads them back as records.

    Why columns: a run of many items keeps every result until it returns. Kept as records, an
    item is its output plus two more objects the garbage collector must walk at every
    collection (the ``ItemResult`` and its ``Usage``), and they make collections come more
    often: measured at 64 calls in flight, the collector then takes twice the time per item
    (a full collection within 5,000 items, none with columns). Numbers in arrays are no
    objects to it; the records are made again when read (equal to the ones that ended).
    """

    __slots__ = ("_floats", "_ids", "_ints", "_others", "_outputs")

    _INTS = 7  # per row: index, the five token counts of its Usage, attempts
    _FLOATS = 2  # cost (NaN: unknown), seconds

    def __init__(self) -> None:
        self._ints = array("q")
        self._floats = array("d")
        self._ids: list[str] = []
        self._outputs: list[Any] = []
        self._others: dict[int, ItemResult[Any]] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, result: ItemResult[Any]) -> None:
        """Keep ``result`` (the sink of a run)."""
        if self._numbers_of(result):
            self._ids.append(result.id)
            self._outputs.append(result.output)
            return
        self._others[len(self._ids)] = result
        self._ints.fromlist([result.index, 0, 0, 0, 0, 0, 0])
        self._floats.fromlist([0.0, 0.0])
        self._ids.append("")
        self._outputs.append(None)

    def _numbers_of(self, result: ItemResult[Any]) -> bool:
        """Append the row of numbers of a plain success; ``False`` (nothing appended) for any
        other result, and for one whose numbers do not fit (not numbers, a count beyond 64
        bits): it is kept as a record."""
        usage = result.usage
        if (
            result.error is not None
            or result.completion is not None
            or result.cached
            or type(usage) is not Usage
            or type(result.id) is not str
        ):
            return False
        # fromlist() appends all or nothing (and a list is the cheapest row to build: a
        # context manager around it cost more than the rest of a run's bookkeeping per item).
        try:
            self._ints.fromlist([result.index, usage.input_tokens, usage.output_tokens,
                                 usage.cache_read_tokens, usage.reasoning_tokens,
                                 usage.cache_write_tokens, result.attempts])  # fmt: skip
        except (TypeError, OverflowError):
            return False
        cost = _NO_COST if result.cost is None else result.cost
        try:
            self._floats.fromlist([cost, result.seconds])
        except (TypeError, OverflowError):
            del self._ints[-self._INTS :]
            return False
        return True

    def index_of(self, row: int) -> int:
        """The input index of the result kept at ``row``."""
        return self._ints[row * self._INTS]

    def result(self, row: int) -> ItemResult[Any]:
        """The result kept at ``row``, as a record."""
        other = self._others.get(row)
        if other is not None:
            return other
        n = self._ints[row * self._INTS : (row + 1) * self._INTS]
        cost, seconds = self._floats[row * self._FLOATS : (row + 1) * self._FLOATS]
        usage = make_usage(n[1], n[2], n[3], n[4], n[5])
        return make_result(n[0], self._ids[row], self._outputs[row], None, usage,
                           None if cost != cost else cost, n[6], seconds, None, False)  # fmt: skip

    def output(self, row: int) -> Any:
        """The output kept at ``row`` (``None`` for a failure)."""
        other = self._others.get(row)
        return self._outputs[row] if other is None else other.output

    def failed(self, row: int) -> bool:
        """Whether the result kept at ``row`` is a failure."""
        other = self._others.get(row)
        return other is not None and other.error is not None


class MapResults(Sequence[ItemResult[T_co]]):
    """The results of :func:`typedllm.map`, in input order, with the run's :attr:`summary`.

    It is a sequence of :class:`ItemResult`; :meth:`outputs` gives the successful outputs,
    :meth:`errors` the failures. (The results are kept compactly and each record is made when
    it is read: equal every time, not the same object.)
    """

    __slots__ = ("_columns", "_order", "summary")

    def __init__(
        self, items: Sequence[ItemResult[T_co]] | ResultColumns, summary: RunSummary
    ) -> None:
        if isinstance(items, ResultColumns):
            columns = items
        else:
            columns = ResultColumns()
            for item in items:
                columns.add(item)
        self._columns = columns
        # Rows are kept in the order items ended; read in the order of their input index.
        self._order = sorted(range(len(columns)), key=columns.index_of)
        self.summary = summary

    @overload
    def __getitem__(self, index: int) -> ItemResult[T_co]: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[ItemResult[T_co]]: ...
    def __getitem__(self, index: int | slice) -> ItemResult[T_co] | Sequence[ItemResult[T_co]]:
        if isinstance(index, slice):
            return tuple(self._columns.result(row) for row in self._order[index])
        return self._columns.result(self._order[index])

    def __len__(self) -> int:
        return len(self._order)

    def __iter__(self) -> Iterator[ItemResult[T_co]]:
        result = self._columns.result
        return (result(row) for row in self._order)

    def outputs(self) -> list[T_co]:
        """The outputs of the items that succeeded, in input order."""
        columns = self._columns
        return [columns.output(row) for row in self._order if not columns.failed(row)]

    def errors(self) -> list[ItemResult[T_co]]:
        """The items that failed, in input order."""
        columns = self._columns
        return [columns.result(row) for row in self._order if columns.failed(row)]

    def __repr__(self) -> str:
        return f"MapResults({len(self._order)} items: {self.summary})"


class ResultStore(Protocol):
    """Where a run keeps finished items, so that a rerun skips them (a journal).

    Items are keyed by their id and a hash of the exact request (a changed prompt, schema or
    model is a new item). Implementations must be safe to call from several threads.
    """

    def load(self, item_id: str, request_hash: str, schema: Any) -> ItemResult[Any] | None:
        """The stored result of this item and request, validated into ``schema`` again (or
        ``None`` when there is none)."""
        ...

    def save(self, result: ItemResult[Any], request_hash: str) -> None:
        """Store a finished item (a success or a failure), durably, before returning."""
        ...
