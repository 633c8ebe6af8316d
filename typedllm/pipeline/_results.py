"""What a pipeline run hands back (pure records): one :class:`ItemResult` per input, the
:class:`RunSummary` of the run, the :class:`Progress` snapshots a callback receives, and the
:class:`ResultStore` interface a journal implements.

Every record is a frozen value that pickles (errors included), so results can cross process
boundaries (Ray, process pools) and be stored by a journal.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar, overload

from .._completion import Completion
from .._errors import TypedLLMError
from .._usage import Usage

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


class MapResults(Sequence[ItemResult[T_co]]):
    """The results of :func:`typedllm.map`, in input order, with the run's :attr:`summary`.

    It is a sequence of :class:`ItemResult`; :meth:`outputs` gives the successful outputs,
    :meth:`errors` the failures.
    """

    __slots__ = ("_items", "summary")

    def __init__(self, items: Sequence[ItemResult[T_co]], summary: RunSummary) -> None:
        self._items = tuple(items)
        self.summary = summary

    @overload
    def __getitem__(self, index: int) -> ItemResult[T_co]: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[ItemResult[T_co]]: ...
    def __getitem__(self, index: int | slice) -> ItemResult[T_co] | Sequence[ItemResult[T_co]]:
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[ItemResult[T_co]]:
        return iter(self._items)

    def outputs(self) -> list[T_co]:
        """The outputs of the items that succeeded, in input order."""
        return [r.output for r in self._items if r.error is None]  # type: ignore[misc]

    def errors(self) -> list[ItemResult[T_co]]:
        """The items that failed, in input order."""
        return [r for r in self._items if r.error is not None]

    def __repr__(self) -> str:
        return f"MapResults({len(self._items)} items: {self.summary})"


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
