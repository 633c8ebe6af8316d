"""Pipelines: many calls as one job (concurrency, rate limits, budgets, progress, a journal).

The records a run hands back (:class:`ItemResult`, :class:`MapResults`, :class:`RunSummary`,
:class:`Progress`) and the interface a journal implements (:class:`ResultStore`) live in
:mod:`typedllm.pipeline._results`; how inputs become prompts in :mod:`typedllm.pipeline._inputs`.
"""

from __future__ import annotations

from ._inputs import PromptSpec, prompt_for
from ._limits import RateLimit, RateLimiter
from ._map import amap, amap_as_completed, map, map_as_completed
from ._results import ItemResult, MapResults, Progress, ResultStore, RunSummary, StopReason

__all__ = [
    "ItemResult",
    "MapResults",
    "Progress",
    "PromptSpec",
    "RateLimit",
    "RateLimiter",
    "ResultStore",
    "RunSummary",
    "StopReason",
    "amap",
    "amap_as_completed",
    "map",
    "map_as_completed",
    "prompt_for",
]
