"""The fake Gemini Batch Mode: ``models/{model}:batchGenerateContent`` with inline requests,
the operation ``batches/{id}`` and its ``:cancel``.

Shapes follow https://ai.google.dev/api/batch-mode: the operation's ``metadata`` is the
batch (``state``, ``batchStats`` with int64 counts as strings), and once it is ``done`` its
``response`` holds ``inlinedResponses.inlinedResponses`` in request order. A cancelled batch
answers no request.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from typing import Any

from .._jsonutil import as_dict, as_list
from . import _gemini_wire
from ._batch_store import Answerer, FakeBatch, FakeBatchStore

__all__ = ["handle"]

Rendered = tuple[int, dict[str, str], bytes]

_VERSION = r"(?:/[^/]+)*/(?:v1|v1beta|v1alpha)"
_CREATE = re.compile(_VERSION + r"/models/([^/:]+):batchGenerateContent")
_ONE = re.compile(_VERSION + r"/(batches/[^/:]+)(:cancel)?")
_TYPE = "type.googleapis.com/google.ai.generativelanguage.v1beta."


def _json(status: int, value: Any) -> Rendered:
    return status, {"content-type": "application/json; charset=UTF-8"}, json.dumps(value).encode()


def _error(status: int, name: str, message: str) -> Rendered:
    return _json(status, {"error": {"code": status, "message": message, "status": name}})


def _time(value: float | None) -> str | None:
    if value is None:
        return None
    return _dt.datetime.fromtimestamp(value, _dt.timezone.utc).isoformat().replace("+00:00", "Z")


def _operation(job: FakeBatch) -> dict[str, Any]:
    total = len(job.answers)
    ok = sum(1 for a in job.answers if a.status < 400) if job.state == "ended" else 0
    failed = total - ok if job.state == "ended" else 0
    state = {
        "running": "BATCH_STATE_RUNNING",
        "cancelling": "BATCH_STATE_RUNNING",
        "ended": "BATCH_STATE_SUCCEEDED",
    }.get(job.state, "BATCH_STATE_CANCELLED")
    meta: dict[str, Any] = {
        "@type": _TYPE + "GenerateContentBatch",
        "name": job.id,
        "model": f"models/{job.extra['model']}",
        "displayName": job.extra["display_name"],
        "createTime": _time(job.created_at),
        "updateTime": _time(job.ended_at or job.created_at),
        "batchStats": {
            "requestCount": str(total),
            "successfulRequestCount": str(ok),
            "failedRequestCount": str(failed),
            "pendingRequestCount": str(0 if job.ended else total),
        },
        "state": state,
    }
    if job.ended_at is not None:
        meta["endTime"] = _time(job.ended_at)
    operation: dict[str, Any] = {"name": job.id, "metadata": meta}
    if job.ended:
        operation["done"] = True
    if job.state == "ended":
        operation["response"] = {
            "@type": _TYPE + "GenerateContentBatchOutput",
            "inlinedResponses": {"inlinedResponses": [_inlined(job, n) for n in range(total)]},
        }
    return operation


def _inlined(job: FakeBatch, number: int) -> dict[str, Any]:
    answer = job.answers[number]
    body = as_dict(json.loads(answer.body))
    entry: dict[str, Any] = (
        {"error": as_dict(body.get("error"))} if answer.status >= 400 else {"response": body}
    )
    if job.extra.get("echo_keys", True):
        entry["metadata"] = {"key": answer.custom_id}
    return entry


def handle(
    store: FakeBatchStore,
    method: str,
    path: str,
    body: bytes,
    answer: Answerer,
) -> tuple[Rendered, Any] | None:
    """Answer a Gemini batch request (and what to record as its JSON), or ``None``."""
    match = _CREATE.fullmatch(path)
    if match and method == "POST":
        payload = as_dict(json.loads(body or b"{}"))
        batch = as_dict(payload.get("batch"))
        config = as_dict(batch.get("input_config") or batch.get("inputConfig"))
        inline = as_list(as_dict(config.get("requests")).get("requests"))
        if not inline:
            return _error(400, "INVALID_ARGUMENT", "the batch has no inline requests"), payload
        pairs: list[tuple[str, dict[str, Any]]] = []
        for number, raw in enumerate(inline):
            entry = as_dict(raw)
            key = as_dict(entry.get("metadata")).get("key")
            pairs.append((str(key) if key else str(number), as_dict(entry.get("request"))))
        job = store.create("gemini", store.new_id("batches/fakebatch"), pairs, _gemini_wire, answer)
        name = batch.get("display_name") or batch.get("displayName") or ""
        job.extra.update(model=match.group(1), display_name=name)
        return _json(200, _operation(job)), payload
    match = _ONE.fullmatch(path)
    if match is None:
        return None
    found = store.jobs.get(match.group(1))
    if found is None or found.provider != "gemini":
        # Not a job of this fake's Gemini API (``/v1/batches/batch_...`` is OpenAI's): an
        # unknown id ends in the fake's ordinary 404.
        return None
    if match.group(2) and method == "POST":
        found.cancel()
        return _json(200, {}), None
    if match.group(2) is None and method == "GET":
        found.poll()
        return _json(200, _operation(found)), None
    return None
