"""Anthropic Message Batches: Messages requests sent in one body, run as one job.

* Guide: https://docs.anthropic.com/en/docs/build-with-claude/batch-processing
* Reference: https://docs.anthropic.com/en/api/creating-message-batches
  (``POST /v1/messages/batches`` with ``requests: [{custom_id, params}]``; a custom id matches
  ``^[a-zA-Z0-9_-]{1,64}$``), https://docs.anthropic.com/en/api/retrieving-message-batches
  (``GET /v1/messages/batches/{id}``: ``processing_status`` ``in_progress``/``canceling``/
  ``ended``, ``request_counts``, ``results_url``),
  https://docs.anthropic.com/en/api/retrieving-message-batch-results (JSONL lines
  ``{custom_id, result: {type: succeeded|errored|canceled|expired, message|error}}``, in any
  order) and https://docs.anthropic.com/en/api/canceling-message-batches.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from .._config import AnthropicOptions, ClientConfig
from .._jsonutil import as_dict
from ._batch_http import jsonl, parse_time, request, send_json
from ._batch_types import BatchItemError, BatchState, BatchStatus, Flow, RawItem, Submission

__all__ = ["ADAPTER", "AnthropicBatches"]

_PATH = "/v1/messages/batches"
# The HTTP status each error type comes with on the Messages API (errors.md), so an errored
# line becomes the same typed error the single call would have raised.
_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "overloaded_error": 529,
}


def _headers(config: ClientConfig) -> dict[str, str]:
    """The version and beta headers every Anthropic request carries (as ``complete`` sends)."""
    wire = config.options_of(AnthropicOptions)
    headers = {"anthropic-version": wire.version}
    if wire.betas:
        headers["anthropic-beta"] = ",".join(dict.fromkeys(wire.betas))
    return headers


def parse_status(body: dict[str, Any]) -> BatchStatus:
    """The normalised status of a Message Batch."""
    raw_state = str(body.get("processing_status", ""))
    counts = as_dict(body.get("request_counts"))
    numbers = {k: int(counts.get(k) or 0) for k in ("processing", "succeeded", "errored")}
    canceled, expired = int(counts.get("canceled") or 0), int(counts.get("expired") or 0)
    total = sum(numbers.values()) + canceled + expired
    state: BatchState
    if raw_state == "ended":
        if body.get("cancel_initiated_at"):
            state = "cancelled"
        elif expired and expired == total:
            state = "expired"
        else:
            state = "completed"
    else:
        state = "cancelling" if raw_state == "canceling" else "running"
    return BatchStatus(
        id=str(body.get("id", "")),
        provider="anthropic",
        state=state,
        total=total,
        succeeded=numbers["succeeded"],
        failed=numbers["errored"] + canceled + expired,
        pending=numbers["processing"],
        raw_state=raw_state,
        created_at=parse_time(body.get("created_at")),
        ended_at=parse_time(body.get("ended_at")),
        raw=body,
    )


def _raw_item(line: dict[str, Any]) -> RawItem:
    custom_id = str(line.get("custom_id", ""))
    result = as_dict(line.get("result"))
    kind = result.get("type")
    if kind == "succeeded":
        return RawItem(custom_id, status=200, body=orjson.dumps(result.get("message")))
    if kind == "errored":
        error = as_dict(result.get("error"))
        inner = as_dict(error.get("error"))
        request_id = error.get("request_id")
        return RawItem(
            custom_id,
            status=_STATUS.get(str(inner.get("type")), 500),
            body=orjson.dumps(error),
            request_id=request_id if isinstance(request_id, str) else None,
        )
    reason = "cancelled" if kind == "canceled" else "expired" if kind == "expired" else "missing"
    message = {
        "cancelled": "the batch was cancelled before this request ran",
        "expired": "the batch expired (24 hours) before this request ran",
    }.get(reason, f"the result of this request has an unknown type {kind!r}")
    return RawItem(custom_id, error=BatchItemError(message, reason=reason, provider="anthropic"))


class AnthropicBatches:
    """The Message Batches API as flows (see the module docstring)."""

    name = "anthropic"
    max_requests = 100_000

    def submit(self, config: ClientConfig, items: Sequence[Submission], path: str) -> Flow:
        """``POST /v1/messages/batches`` with every request's params."""
        # The params are spliced in as the exact bytes the codec encoded.
        requests = b",".join(
            b'{"custom_id":' + orjson.dumps(item.custom_id) + b',"params":' + item.body + b"}"
            for item in items
        )
        created = yield from send_json(
            config,
            "POST",
            _PATH,
            raw=b'{"requests":[' + requests + b"]}",
            headers=_headers(config),
        )
        return parse_status(created)

    def status(self, config: ClientConfig, job_id: str) -> Flow:
        """``GET /v1/messages/batches/{id}``."""
        body = yield from send_json(config, "GET", f"{_PATH}/{job_id}", headers=_headers(config))
        return parse_status(body)

    def results(self, config: ClientConfig, status: BatchStatus) -> Flow:
        """The results JSONL. It is read from the documented path under the client's own host
        rather than from ``results_url`` as given: the credential is only ever sent to the
        host the client was configured with."""
        response = yield from request(
            config,
            "GET",
            f"{_PATH}/{status.id}/results",
            headers={**_headers(config), "accept": "application/binary"},
            operation="batch_results",
        )
        return [_raw_item(line) for line in jsonl("anthropic", response.body)]

    def cancel(self, config: ClientConfig, job_id: str) -> Flow:
        """``POST /v1/messages/batches/{id}/cancel``."""
        body = yield from send_json(
            config, "POST", f"{_PATH}/{job_id}/cancel", raw=b"", headers=_headers(config)
        )
        return parse_status(body)


ADAPTER = AnthropicBatches()
