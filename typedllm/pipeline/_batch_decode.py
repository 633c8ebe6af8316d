"""Turning a batch's raw outcomes into the same :class:`ItemResult` records ``tl.map`` gives
(pure): each answer goes through the wire's ``decode`` and :func:`finish_answer`, exactly as a
``complete`` call's would, so refusals, truncation, pending tool calls and invalid output are
the same typed errors; error statuses go through the wire's ``decode_error``.

A batch has no second round, so an answer that does not validate is an
:class:`~typedllm.OutputValidationError` at once (no re-ask).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .._answer import InvalidAnswer, finish_answer
from .._catalog import ModelInfo
from .._completion import Completion, Usage
from .._config import ClientConfig
from .._errors import OutputError, TransportError, TypedLLMError, scrub_secret
from .._flow import validation_error
from .._messages import Message
from .._wire import WireResponse
from ..codecs._base import Codec, OutputSpec
from ._batch_http import decode_custom_id
from ._batch_types import BatchItemError, BatchStatus, RawItem
from ._results import ItemResult, MapResults, RunSummary

__all__ = ["Decoding", "item_results"]


@dataclass(frozen=True, slots=True)
class Decoding:
    """What decoding the answers of one job needs."""

    config: ClientConfig
    codec: Codec
    schema: Any
    spec: OutputSpec | None
    model_info: ModelInfo
    """Priced at the batch prices."""
    ids: Mapping[int, str]
    """Item ids known to the job handle (every id, for the handle that submitted the job)."""
    conversations: Mapping[int, tuple[Message, ...]]
    """The caller's messages per item, when the handle knows them (for ``Completion``)."""


def _decode(decoding: Decoding, raw: RawItem, index: int) -> tuple[Completion[Any] | None, Any]:
    """The completion of one raw outcome, or the typed error it ends in."""
    if raw.error is not None:
        return None, raw.error
    config = decoding.config
    headers = {"x-request-id": raw.request_id} if raw.request_id else {}
    response = WireResponse(raw.status, headers, raw.body)
    try:
        if raw.status >= 400:
            raise decoding.codec.decode_error(config.provider, response)
        decoded = decoding.codec.decode(config.provider, response)
        completion = finish_answer(
            decoded,
            spec=decoding.spec,
            schema=decoding.schema,
            usage=Usage(),
            attempts=(),
            conversation=decoding.conversations.get(index, ()),
            model_info=decoding.model_info,
        )
    except TransportError as error:
        return None, scrub_secret(error, *config.secrets())
    except InvalidAnswer as invalid:
        assert decoding.spec is not None  # only a schema makes an answer invalid
        return None, validation_error(invalid, [invalid.attempt], decoding.spec, streamed=False)
    except OutputError as error:
        return None, error
    return completion, None


def _result(decoding: Decoding, raw: RawItem, index: int, item_id: str) -> ItemResult[Any]:
    completion, error = _decode(decoding, raw, index)
    if completion is not None:
        return ItemResult(
            index=index,
            id=item_id,
            output=completion.output,
            usage=completion.usage,
            cost=completion.cost,
            attempts=len(completion.attempts),
            completion=completion,
        )
    usage = error.usage if isinstance(error, OutputError) and error.usage is not None else Usage()
    answered = isinstance(error, OutputError)
    return ItemResult(
        index=index,
        id=item_id,
        error=error,
        usage=usage,
        cost=decoding.model_info.cost(usage) if answered else None,
        attempts=1 if answered or raw.status else 0,
    )


def _missing(status: BatchStatus, index: int) -> TypedLLMError:
    """The error of an item the provider reported nothing for."""
    reason = {
        "cancelled": "cancelled",
        "expired": "expired",
        "failed": "batch_failed",
    }.get(status.state, "missing")
    why = "; ".join(status.errors)
    message = {
        "cancelled": "the batch was cancelled before this request ran",
        "expired": "the batch expired before this request ran",
        "batch_failed": f"the batch failed as a whole{': ' + why if why else ''}",
    }.get(reason, f"the {status.provider} batch {status.id} reported no result for item {index}")
    return BatchItemError(message, reason=reason, provider=status.provider)


def item_results(
    decoding: Decoding, status: BatchStatus, raws: Sequence[RawItem], *, total: int | None
) -> MapResults[Any]:
    """The results of an ended job, in input order, with the run's summary.

    Items are placed by the index their custom id carries; ``total`` (the number of inputs,
    when the job handle knows it) or the provider's count says how many there are, and every
    item with no result gets a :class:`BatchItemError`. Results whose custom id this scheme
    did not make come last, with the custom id as their id.
    """
    placed: dict[int, ItemResult[Any]] = {}
    strangers: list[tuple[RawItem, str]] = []
    for raw in raws:
        decoded = decode_custom_id(raw.custom_id)
        if decoded is None:
            strangers.append((raw, raw.custom_id))
            continue
        index, carried = decoded
        item_id = decoding.ids.get(index) or carried or raw.custom_id
        placed[index] = _result(decoding, raw, index, item_id)
    count = total if total is not None else max(status.total, max(placed, default=-1) + 1)
    items: list[ItemResult[Any]] = []
    for index in range(count):
        found: ItemResult[Any] | None = placed.pop(index, None)
        if found is None:
            item_id = decoding.ids.get(index, str(index))
            found = ItemResult(index=index, id=item_id, error=_missing(status, index))
        items.append(found)
    extra = [*placed.values(), *(_result(decoding, raw, -1, cid) for raw, cid in strangers)]
    for result in extra:
        items.append(_reindexed(result, len(items)))
    return MapResults(items, _summary(items, status))


def _reindexed(result: ItemResult[Any], index: int) -> ItemResult[Any]:
    from dataclasses import replace

    return replace(result, index=index)


def _summary(items: Sequence[ItemResult[Any]], status: BatchStatus) -> RunSummary:
    usage = Usage()
    costs = [r.cost for r in items if r.cost is not None]
    for r in items:
        usage = usage + r.usage
    done = sum(1 for r in items if r.ok)
    return RunSummary(
        total=len(items),
        done=done,
        failed=len(items) - done,
        skipped=0,
        cached=0,
        usage=usage,
        cost=sum(costs) if costs else None,
        seconds=status.seconds,
        stopped="cancelled" if status.state == "cancelled" else "finished",
    )
