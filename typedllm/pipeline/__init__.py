"""Pipelines: many calls as one job (concurrency, rate limits, budgets, progress, a journal).

The records a run hands back (:class:`ItemResult`, :class:`MapResults`, :class:`RunSummary`,
:class:`Progress`) and the interface a journal implements (:class:`ResultStore`) live in
:mod:`typedllm.pipeline._results`; how inputs become prompts in
:mod:`typedllm.pipeline._inputs`; provider batch APIs (:func:`batch`, :class:`BatchJob`) in
:mod:`typedllm.pipeline._batch`.
"""

from __future__ import annotations

from ._batch import BatchJob, abatch, batch, batch_job
from ._batch_types import BatchItemError, BatchNotReadyError, BatchState, BatchStatus
from ._export import to_csv, to_jsonl, to_parquet
from ._inputs import PromptSpec, prompt_for
from ._journal import Journal, JournalSummary
from ._limits import RateLimit, RateLimiter
from ._map import amap, amap_as_completed, map, map_as_completed
from ._results import ItemResult, MapResults, Progress, ResultStore, RunSummary, StopReason

__all__ = [
    "BatchItemError",
    "BatchJob",
    "BatchNotReadyError",
    "BatchState",
    "BatchStatus",
    "ItemResult",
    "Journal",
    "JournalSummary",
    "MapResults",
    "Progress",
    "PromptSpec",
    "RateLimit",
    "RateLimiter",
    "ResultStore",
    "RunSummary",
    "StopReason",
    "abatch",
    "amap",
    "amap_as_completed",
    "batch",
    "batch_job",
    "map",
    "map_as_completed",
    "prompt_for",
    "to_csv",
    "to_jsonl",
    "to_parquet",
]
