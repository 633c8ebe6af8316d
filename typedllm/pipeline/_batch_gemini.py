"""Gemini Batch Mode: ``generateContent`` requests inlined in one body, run as one job.

* Guide: https://ai.google.dev/gemini-api/docs/batch-mode (inline requests up to 20 MB in
  all; larger jobs need an uploaded JSONL file, which typedllm does not do yet)
* Reference: https://ai.google.dev/api/batch-mode (``POST models/{model}:batchGenerateContent``
  with ``batch: {display_name, input_config: {requests: {requests: [{request, metadata}]}}}``,
  answered with an operation named ``batches/{id}``; ``GET batches/{id}``: its ``metadata``
  holds the ``state`` (``BATCH_STATE_*``) and ``batchStats``, ``done`` and ``response``
  (``inlinedResponses.inlinedResponses: [{response | error, metadata}]``) once it ended;
  ``POST batches/{id}:cancel``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from .._config import ClientConfig
from .._errors import ConfigurationError
from .._jsonutil import as_dict, as_list
from ._batch_http import parse_time, send_json
from ._batch_types import BatchState, BatchStatus, Flow, RawItem, Submission

__all__ = ["ADAPTER", "GeminiBatches"]

INLINE_LIMIT = 20 * 1024 * 1024
"""The most bytes of inline requests one batch may hold (the batch mode guide)."""

_STATES: dict[str, BatchState] = {
    "PENDING": "pending",
    "QUEUED": "pending",
    "RUNNING": "running",
    "SUCCEEDED": "completed",
    "FAILED": "failed",
    "CANCELLING": "cancelling",
    "CANCELLED": "cancelled",
    "EXPIRED": "expired",
}
# google.rpc.Status carries gRPC codes; the HTTP status of each, so a failed request becomes
# the typed error the single call would have raised (https://google.aip.dev/193).
_HTTP = {
    "INVALID_ARGUMENT": 400,
    "FAILED_PRECONDITION": 400,
    "OUT_OF_RANGE": 400,
    "UNAUTHENTICATED": 401,
    "PERMISSION_DENIED": 403,
    "NOT_FOUND": 404,
    "ALREADY_EXISTS": 409,
    "ABORTED": 409,
    "RESOURCE_EXHAUSTED": 429,
    "CANCELLED": 499,
    "INTERNAL": 500,
    "UNKNOWN": 500,
    "DATA_LOSS": 500,
    "UNIMPLEMENTED": 501,
    "UNAVAILABLE": 503,
    "DEADLINE_EXCEEDED": 504,
}
_GRPC = {3: 400, 9: 400, 11: 400, 16: 401, 7: 403, 5: 404, 6: 409, 10: 409, 8: 429}


def _count(value: Any) -> int:
    # int64 fields arrive as JSON strings.
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def parse_status(body: dict[str, Any]) -> BatchStatus:
    """The normalised status of a batch operation (or of a bare batch resource)."""
    meta = as_dict(body.get("metadata")) or body
    raw_state = str(meta.get("state", ""))
    state = _STATES.get(raw_state.rpartition("_STATE_")[2] or raw_state, "pending")
    error = as_dict(body.get("error"))
    if body.get("done") and error and state not in ("cancelled", "expired"):
        state = "failed"
    stats = as_dict(meta.get("batchStats"))
    total = _count(stats.get("requestCount"))
    succeeded = _count(stats.get("successfulRequestCount"))
    failed = _count(stats.get("failedRequestCount"))
    pending = _count(stats.get("pendingRequestCount"))
    return BatchStatus(
        id=str(body.get("name") or meta.get("name") or ""),
        provider="gemini",
        state=state,
        total=total,
        succeeded=succeeded,
        failed=failed,
        pending=pending if "pendingRequestCount" in stats else max(0, total - succeeded - failed),
        raw_state=raw_state,
        created_at=parse_time(meta.get("createTime")),
        ended_at=parse_time(meta.get("endTime")),
        errors=(str(error.get("message") or "the batch failed"),) if error else (),
        raw=body,
    )


def _inlined(body: dict[str, Any]) -> list[Any]:
    """The inline responses of an ended operation (``response``, or the batch's ``output``)."""
    for holder in (
        as_dict(body.get("response")),
        as_dict(as_dict(body.get("metadata")).get("output")),
    ):
        inlined = holder.get("inlinedResponses")
        if isinstance(inlined, dict):
            inlined = as_dict(inlined).get("inlinedResponses")
        if isinstance(inlined, list):
            return as_list(inlined)
    return []


def _raw_item(position: int, entry: Any) -> RawItem:
    item = as_dict(entry)
    # Responses come in request order; the key is used when the API echoes it (it has been
    # seen not to: https://discuss.ai.google.dev/t/gemini-batch-api-doesnt-return-the-user-metadata-back/112386).
    key = as_dict(item.get("metadata")).get("key")
    custom_id = key if isinstance(key, str) and key else str(position)
    if "error" in item:
        status = as_dict(item.get("error"))
        code = _HTTP.get(str(status.get("status")))
        if code is None:
            raw_code = status.get("code")
            code = _GRPC.get(raw_code, 500) if isinstance(raw_code, int) else 500
        return RawItem(custom_id, status=code, body=orjson.dumps({"error": status}))
    return RawItem(custom_id, status=200, body=orjson.dumps(item.get("response")))


class GeminiBatches:
    """Gemini Batch Mode with inline requests, as flows (see the module docstring)."""

    name = "gemini"
    max_requests = 100_000

    def submit(self, config: ClientConfig, items: Sequence[Submission], path: str) -> Flow:
        """``POST models/{model}:batchGenerateContent`` with the requests inlined."""
        if config.host.name == "vertex":
            raise ConfigurationError(
                "tl.batch does not speak Vertex AI batch prediction jobs yet; use a Gemini "
                "API client (tl.gemini() with an API key)"
            )
        requests = b",".join(
            b'{"request":'
            + item.body
            + b',"metadata":{"key":'
            + orjson.dumps(item.custom_id)
            + b"}}"
            for item in items
        )
        if len(requests) > INLINE_LIMIT:
            raise ConfigurationError(
                f"the batch's requests take {len(requests)} bytes, over Gemini's 20 MB limit "
                "for inline requests: split the inputs into several batches"
            )
        head = orjson.dumps(f"typedllm-{len(items)}-items")
        body = (
            b'{"batch":{"display_name":'
            + head
            + b',"input_config":{"requests":{"requests":['
            + requests
            + b"]}}}}"
        )
        created = yield from send_json(
            config, "POST", f"/models/{config.model}:batchGenerateContent", raw=body
        )
        return parse_status(created)

    def status(self, config: ClientConfig, job_id: str) -> Flow:
        """``GET batches/{id}`` (the operation)."""
        body = yield from send_json(config, "GET", f"/{_name(job_id)}")
        return parse_status(body)

    def results(self, config: ClientConfig, status: BatchStatus) -> Flow:
        """The inline responses of the ended operation (fetched again if the status at hand
        does not hold them)."""
        body = as_dict(status.raw)
        entries = _inlined(body)
        if not entries:
            body = yield from send_json(config, "GET", f"/{_name(status.id)}")
            entries = _inlined(body)
        return [_raw_item(position, entry) for position, entry in enumerate(entries)]

    def cancel(self, config: ClientConfig, job_id: str) -> Flow:
        """``POST batches/{id}:cancel``, then the new status."""
        yield from send_json(config, "POST", f"/{_name(job_id)}:cancel", raw=b"{}")
        body = yield from send_json(config, "GET", f"/{_name(job_id)}")
        return parse_status(body)


def _name(job_id: str) -> str:
    """The resource name of a job id given with or without its ``batches/`` prefix."""
    return job_id if job_id.startswith("batches/") else f"batches/{job_id}"


ADAPTER = GeminiBatches()
