"""The fake Anthropic Message Batches API: create, retrieve, results, cancel.

Shapes follow https://docs.anthropic.com/en/api/creating-message-batches and its siblings:
the results are JSONL lines ``{custom_id, result: {type: succeeded|errored|canceled, ...}}``.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from typing import Any

from .._jsonutil import as_dict, as_list
from . import _anthropic_wire
from ._batch_store import Answerer, FakeBatch, FakeBatchStore

__all__ = ["handle"]

Rendered = tuple[int, dict[str, str], bytes]

_CREATE = "/v1/messages/batches"
_ONE = re.compile(r"/v1/messages/batches/(msgbatch_[^/]+?)(/results|/cancel)?")
_CUSTOM_ID = re.compile(r"[a-zA-Z0-9_-]{1,64}")


def _json(status: int, value: Any) -> Rendered:
    return status, {"content-type": "application/json"}, json.dumps(value).encode()


def _error(status: int, kind: str, message: str) -> Rendered:
    return _json(status, {"type": "error", "error": {"type": kind, "message": message}})


def _time(value: float | None) -> str | None:
    if value is None:
        return None
    return _dt.datetime.fromtimestamp(value, _dt.timezone.utc).isoformat().replace("+00:00", "Z")


def _batch_object(job: FakeBatch, url: str) -> dict[str, Any]:
    ended = job.ended
    succeeded = sum(1 for a in job.answers if a.status < 400) if job.state == "ended" else 0
    errored = len(job.answers) - succeeded if job.state == "ended" else 0
    canceled = len(job.answers) if job.state == "cancelled" else 0
    return {
        "id": job.id,
        "type": "message_batch",
        "processing_status": "ended"
        if ended
        else ("canceling" if job.state == "cancelling" else "in_progress"),
        "request_counts": {
            "processing": 0 if ended else len(job.answers),
            "succeeded": succeeded,
            "errored": errored,
            "canceled": canceled,
            "expired": 0,
        },
        "ended_at": _time(job.ended_at),
        "created_at": _time(job.created_at),
        "expires_at": _time(job.created_at + 86_400),
        "archived_at": None,
        "cancel_initiated_at": _time(job.extra.get("cancelled_at")),
        "results_url": f"{url}/v1/messages/batches/{job.id}/results" if ended else None,
    }


def _results(job: FakeBatch) -> bytes:
    lines: list[bytes] = []
    for answer in job.answers:
        result: dict[str, Any]
        if job.state == "cancelled":
            result = {"type": "canceled"}
        elif answer.status < 400:
            result = {"type": "succeeded", "message": json.loads(answer.body)}
        else:
            error = as_dict(json.loads(answer.body))
            result = {"type": "errored", "error": {**error, "request_id": answer.request_id}}
        lines.append(json.dumps({"custom_id": answer.custom_id, "result": result}).encode())
    return b"\n".join(lines) + b"\n"


def handle(
    store: FakeBatchStore,
    method: str,
    path: str,
    origin: str,
    body: bytes,
    answer: Answerer,
) -> tuple[Rendered, Any] | None:
    """Answer a Message Batches request (and what to record as its JSON), or ``None``."""
    if path == _CREATE and method == "POST":
        payload = as_dict(json.loads(body or b"{}"))
        requests = [as_dict(r) for r in as_list(payload.get("requests"))]
        if not requests:
            return _error(400, "invalid_request_error", "requests: at least 1 item"), payload
        for r in requests:
            if not _CUSTOM_ID.fullmatch(str(r.get("custom_id"))):
                message = f"custom_id {r.get('custom_id')!r} must match ^[a-zA-Z0-9_-]{{1,64}}$"
                return _error(400, "invalid_request_error", message), payload
        pairs = [(str(r["custom_id"]), as_dict(r.get("params"))) for r in requests]
        job = store.create("anthropic", store.new_id("msgbatch_"), pairs, _anthropic_wire, answer)
        return _json(200, _batch_object(job, origin)), payload
    match = _ONE.fullmatch(path)
    if match is None:
        return None
    found = store.jobs.get(match.group(1))
    if found is None:
        return _error(404, "not_found_error", f"message batch {match.group(1)} not found"), None
    action = match.group(2)
    if action == "/results" and method == "GET":
        if not found.ended:
            return _error(400, "invalid_request_error", "the batch is still processing"), None
        return (200, {"content-type": "application/binary"}, _results(found)), None
    if action == "/cancel" and method == "POST":
        import time

        found.cancel()
        found.extra["cancelled_at"] = time.time()
        return _json(200, _batch_object(found, origin)), None
    if action is None and method == "GET":
        found.poll()
        return _json(200, _batch_object(found, origin)), None
    return None
