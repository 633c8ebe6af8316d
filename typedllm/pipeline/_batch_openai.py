"""OpenAI Batch API: a JSONL file of Chat Completions requests, uploaded and run as one job.

* Guide: https://platform.openai.com/docs/guides/batch
* Reference: https://platform.openai.com/docs/api-reference/batch (create ``POST /batches``
  with ``input_file_id``, ``endpoint``, ``completion_window: "24h"``, ``metadata``; retrieve
  ``GET /batches/{id}``; cancel ``POST /batches/{id}/cancel``; the request input and output
  line formats) and https://platform.openai.com/docs/api-reference/files (upload
  ``POST /files`` as multipart with ``purpose=batch``; ``GET /files/{id}/content``).

Each input line is ``{"custom_id", "method": "POST", "url": "/v1/chat/completions", "body"}``
with the body ``complete`` would send; each output line is ``{"id", "custom_id", "response":
{"status_code", "request_id", "body"}, "error"}``. Requests that failed are in the error file
(``error_file_id``), with a response of an error status, or with ``error: {code, message}``
and no response (``batch_expired``, ``batch_cancelled``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import orjson

from .._config import ClientConfig
from .._jsonutil import as_dict, as_list
from ._batch_http import jsonl, parse_time, request, send_json
from ._batch_types import BatchItemError, BatchState, BatchStatus, Flow, RawItem, Submission

__all__ = ["ADAPTER", "OpenAIBatches"]

_STATES: dict[str, BatchState] = {
    "validating": "pending",
    "in_progress": "running",
    "finalizing": "running",
    "cancelling": "cancelling",
    "completed": "completed",
    "failed": "failed",
    "expired": "expired",
    "cancelled": "cancelled",
}
_REASONS = {"batch_expired": "expired", "batch_cancelled": "cancelled"}


def _multipart(jsonl_body: bytes) -> tuple[bytes, str]:
    """The ``multipart/form-data`` body of a file upload with ``purpose=batch``."""
    boundary = f"typedllm-{uuid.uuid4().hex}"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n'
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="typedllm-batch.jsonl"\r\n'
        "Content-Type: application/jsonl\r\n\r\n"
    ).encode()
    return head + jsonl_body + f"\r\n--{boundary}--\r\n".encode(), boundary


def parse_status(body: dict[str, Any]) -> BatchStatus:
    """The normalised status of an OpenAI batch object."""
    raw_state = str(body.get("status", ""))
    counts = as_dict(body.get("request_counts"))
    total = int(counts.get("total") or 0)
    done = int(counts.get("completed") or 0)
    failed = int(counts.get("failed") or 0)
    ended = next(
        (
            body[k]
            for k in ("completed_at", "failed_at", "expired_at", "cancelled_at")
            if body.get(k)
        ),
        None,
    )
    return BatchStatus(
        id=str(body.get("id", "")),
        provider="openai",
        state=_STATES.get(raw_state, "running"),
        total=total,
        succeeded=done,
        failed=failed,
        pending=max(0, total - done - failed),
        raw_state=raw_state,
        created_at=parse_time(body.get("created_at")),
        ended_at=parse_time(ended),
        errors=tuple(
            str(as_dict(e).get("message") or as_dict(e).get("code") or "error")
            for e in as_list(as_dict(body.get("errors")).get("data"))
        ),
        raw=body,
    )


def _raw_item(line: dict[str, Any]) -> RawItem:
    custom_id = str(line.get("custom_id", ""))
    response = line.get("response")
    if isinstance(response, dict):
        answer = as_dict(response)
        request_id = answer.get("request_id")
        return RawItem(
            custom_id,
            status=int(answer.get("status_code") or 200),
            body=orjson.dumps(answer.get("body")),
            request_id=request_id if isinstance(request_id, str) else None,
        )
    error = as_dict(line.get("error"))
    code = str(error.get("code") or "error")
    message = str(error.get("message") or f"the request got no response ({code})")
    return RawItem(
        custom_id,
        error=BatchItemError(message, reason=_REASONS.get(code, code), provider="openai"),
    )


class OpenAIBatches:
    """The OpenAI Batch API as flows (see the module docstring)."""

    name = "openai"
    max_requests = 50_000

    def submit(self, config: ClientConfig, items: Sequence[Submission], path: str) -> Flow:
        """Upload the JSONL file, then create the batch over it."""
        url = orjson.dumps(path)
        # The bodies are spliced in as the exact bytes the codec encoded (no re-serialising).
        lines = b"".join(
            b'{"custom_id":'
            + orjson.dumps(item.custom_id)
            + b',"method":"POST","url":'
            + url
            + b',"body":'
            + item.body
            + b"}\n"
            for item in items
        )
        body, boundary = _multipart(lines)
        uploaded = yield from send_json(
            config,
            "POST",
            "/files",
            raw=body,
            headers={"content-type": f"multipart/form-data; boundary={boundary}"},
            operation="batch_upload",
        )
        created = yield from send_json(
            config,
            "POST",
            "/batches",
            payload={
                "input_file_id": uploaded.get("id"),
                "endpoint": path,
                "completion_window": "24h",
                "metadata": {"typedllm_items": str(len(items))},
            },
        )
        return parse_status(created)

    def status(self, config: ClientConfig, job_id: str) -> Flow:
        """``GET /batches/{id}``."""
        body = yield from send_json(config, "GET", f"/batches/{job_id}")
        return parse_status(body)

    def results(self, config: ClientConfig, status: BatchStatus) -> Flow:
        """Every line of the output file and of the error file."""
        raw = as_dict(status.raw)
        items: list[RawItem] = []
        for key in ("output_file_id", "error_file_id"):
            file_id = raw.get(key)
            if not file_id:
                continue
            response = yield from request(
                config,
                "GET",
                f"/files/{file_id}/content",
                headers={"accept": "application/jsonl"},
                operation="batch_results",
            )
            items.extend(_raw_item(line) for line in jsonl("openai", response.body))
        return items

    def cancel(self, config: ClientConfig, job_id: str) -> Flow:
        """``POST /batches/{id}/cancel``."""
        body = yield from send_json(config, "POST", f"/batches/{job_id}/cancel", raw=b"")
        return parse_status(body)


ADAPTER = OpenAIBatches()
