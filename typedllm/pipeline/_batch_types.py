"""The records of a provider batch job (pure): its normalised status, the raw outcome of one
request as a provider reports it, the errors of items that never got an answer, and the
interface each provider's adapter implements.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from .._config import ClientConfig
from .._errors import TypedLLMError

__all__ = [
    "BatchAdapter",
    "BatchItemError",
    "BatchNotReadyError",
    "BatchState",
    "BatchStatus",
    "RawItem",
    "Submission",
]

BatchState = Literal[
    "pending", "running", "cancelling", "completed", "failed", "cancelled", "expired"
]
"""A batch job's state, the same for every provider:

* ``pending``: accepted, not started (OpenAI ``validating``, Gemini ``BATCH_STATE_PENDING``);
* ``running``: requests are being answered (OpenAI ``in_progress``/``finalizing``,
  Anthropic ``in_progress``);
* ``cancelling``: a cancel was asked for and is being applied;
* ``completed``, ``failed``, ``cancelled``, ``expired``: ended; results can be read (a failed
  or cancelled batch may have answered some requests, or none)."""

ENDED: frozenset[str] = frozenset({"completed", "failed", "cancelled", "expired"})


@dataclass(frozen=True, slots=True)
class BatchStatus:
    """What a provider says about a batch job, normalised.

    Attributes:
        id: the job's id (OpenAI ``batch_...``, Anthropic ``msgbatch_...``, Gemini
            ``batches/...``).
        provider: ``openai``, ``anthropic`` or ``gemini``.
        state: the normalised state (see :data:`BatchState`).
        total: requests in the batch (``0`` when the provider has not counted them yet).
        succeeded: requests answered successfully so far.
        failed: requests that ended in an error (expired and cancelled ones included).
        pending: requests not answered yet.
        raw_state: the provider's own state name (``in_progress``, ``BATCH_STATE_RUNNING``).
        created_at, ended_at: Unix times, when the provider reports them.
        errors: why the batch as a whole failed (the provider's messages), if it did.
        raw: the provider's status body.
    """

    id: str
    provider: str
    state: BatchState
    total: int = 0
    succeeded: int = 0
    failed: int = 0
    pending: int = 0
    raw_state: str = ""
    created_at: float | None = None
    ended_at: float | None = None
    errors: tuple[str, ...] = ()
    raw: Any = field(default=None, repr=False, compare=False)

    @property
    def ended(self) -> bool:
        """Whether the job ended (its results can be read)."""
        return self.state in ENDED

    @property
    def seconds(self) -> float:
        """Seconds from creation to the end (``0.0`` while running or when unknown)."""
        if self.created_at is None or self.ended_at is None:
            return 0.0
        return max(0.0, self.ended_at - self.created_at)


class BatchItemError(TypedLLMError):
    """A request of a batch got no answer: the batch expired or was cancelled before it ran,
    the batch failed as a whole, or the provider reported no result for it.

    Errors the provider answered for one request (a 400 for that request) are the usual
    :class:`~typedllm.APIStatusError` subclasses instead, and unusable answers the usual
    :class:`~typedllm.OutputError` subclasses.

    Attributes:
        reason: ``expired``, ``cancelled``, ``batch_failed``, ``missing`` or the provider's
            own error code for the line.
        provider: the provider's name.
    """

    def __init__(self, message: str, *, reason: str, provider: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason
        self.provider = provider


class BatchNotReadyError(TypedLLMError, RuntimeError):
    """The batch job has not ended: :meth:`BatchJob.results` was called too early, or
    :meth:`BatchJob.wait` reached its timeout. ``status`` is the last status seen."""

    def __init__(self, message: str, *, status: BatchStatus) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True, slots=True)
class RawItem:
    """The outcome of one request as the provider reports it, before decoding.

    Either a response (``status`` and the JSON ``body`` of what the single call would have
    answered) or ``error``, the typed error of a request that got no response.
    """

    custom_id: str
    status: int = 0
    body: bytes = b""
    request_id: str | None = None
    error: TypedLLMError | None = None


@dataclass(frozen=True, slots=True)
class Submission:
    """One request to submit: its custom id and the exact body ``complete`` would send."""

    custom_id: str
    body: bytes


Flow = Generator[Any, Any, Any]


class BatchAdapter(Protocol):
    """One provider's batch API, as flows of effects (the client's driver performs them, so
    the same code serves sync and async jobs)."""

    name: str
    """``openai``, ``anthropic`` or ``gemini``."""
    max_requests: int
    """The most requests one batch may hold."""

    def submit(self, config: ClientConfig, items: Sequence[Submission], path: str) -> Flow:
        """Create the job; the flow returns its :class:`BatchStatus`. ``path`` is the URL path
        the single call goes to (OpenAI names it in each line)."""
        ...

    def status(self, config: ClientConfig, job_id: str) -> Flow:
        """The flow returning the job's current :class:`BatchStatus`."""
        ...

    def results(self, config: ClientConfig, status: BatchStatus) -> Flow:
        """The flow returning the list of :class:`RawItem` of an ended job."""
        ...

    def cancel(self, config: ClientConfig, job_id: str) -> Flow:
        """The flow asking the provider to cancel the job; it returns the new status."""
        ...
