"""The fake provider's batch jobs: what was submitted, each request's answer, and how many
status requests remain before the job ends (so polling loops are exercised).

Each request of a batch is answered when the batch is created, with exactly what the fake
answers to the same single call (auto mode's schema-valid data, the next scripted reply, or
the responder's), in submission order, so scripted replies line up with the inputs. The
answers are released when the job ends; a job cancelled before it ends answers none.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Answer", "FakeBatch", "FakeBatchStore"]


@dataclass(frozen=True, slots=True)
class Answer:
    """The single call's answer to one request of a batch."""

    custom_id: str
    status: int
    body: bytes
    request_id: str


@dataclass(slots=True)
class FakeBatch:
    """One batch job of the fake.

    Attributes:
        id: its id in the provider's format.
        provider: ``openai``, ``anthropic`` or ``gemini``.
        requests: ``(custom_id, request JSON)`` of each request, as submitted.
        answers: each request's answer.
        polls_left: status requests before it ends.
        state: ``running``, ``cancelling``, ``ended`` or ``cancelled``.
        extra: what the provider's renderer keeps (file ids, the endpoint, the model).
    """

    id: str
    provider: str
    requests: list[tuple[str, dict[str, Any]]]
    answers: list[Answer]
    polls_left: int
    state: str = "running"
    created_at: float = field(default_factory=time.time)
    ended_at: float | None = None
    extra: dict[str, Any] = field(default_factory=dict[str, Any])

    @property
    def ended(self) -> bool:
        """Whether the job ended (its answers, or their cancellation, are final)."""
        return self.state in ("ended", "cancelled")

    def poll(self) -> None:
        """One status request: the job ends on the last one it waits for."""
        if self.ended:
            return
        self.polls_left -= 1
        if self.polls_left <= 0:
            self.state = "cancelled" if self.state == "cancelling" else "ended"
            self.ended_at = time.time()

    def cancel(self) -> None:
        """Ask for cancellation: it takes effect at the next status request."""
        if not self.ended:
            self.state = "cancelling"
            self.polls_left = 1


Answerer = Callable[[dict[str, Any], Any], tuple[int, dict[str, str], bytes]]
"""Answers one request JSON on a wire module, as the fake answers the single call."""


class FakeBatchStore:
    """The fake's files and batch jobs (plain data: it pickles with the fake).

    Args:
        polls: how many status requests a job takes to end (``1``: the first poll sees it
            ended; ``3``: two polls see it running, the third sees it ended).
    """

    def __init__(self, polls: int = 1) -> None:
        if polls < 1:
            raise ValueError("batch_polls must be at least 1")
        self.polls = polls
        self.jobs: dict[str, FakeBatch] = {}
        self.files: dict[str, bytes] = {}
        self._ids = itertools.count(1)
        self._answers = itertools.count(1)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_ids"] = next(self._ids)
        state["_answers"] = next(self._answers)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._ids = itertools.count(state["_ids"])
        self._answers = itertools.count(state["_answers"])

    def next_answer(self) -> int:
        """The number of the next request answered inside a batch (for its ids)."""
        return 1_000_000 + next(self._answers)

    def new_id(self, prefix: str) -> str:
        """A fresh id with the provider's prefix."""
        return f"{prefix}{next(self._ids):06d}"

    def create(
        self,
        provider: str,
        job_id: str,
        requests: list[tuple[str, dict[str, Any]]],
        wire: Any,
        answer: Answerer,
    ) -> FakeBatch:
        """A new job, every request answered now (see the module docstring)."""
        answers: list[Answer] = []
        for number, (custom_id, body) in enumerate(requests):
            status, headers, data = answer(body, wire)
            request_id = headers.get("x-request-id") or headers.get("request-id") or ""
            answers.append(Answer(custom_id, status, data, request_id or f"req_{number}"))
        job = FakeBatch(job_id, provider, requests, answers, self.polls)
        self.jobs[job_id] = job
        return job
