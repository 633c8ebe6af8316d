"""The fake OpenAI Batch API: file upload and content, batches create/get/cancel.

Shapes follow https://platform.openai.com/docs/api-reference/batch and
https://platform.openai.com/docs/api-reference/files: lines that answered 2xx go to the
output file, the others (error statuses, and every request of a cancelled batch, with
``error.code`` ``batch_cancelled``) to the error file.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
from typing import Any

from .._jsonutil import as_dict
from . import _openai_wire
from ._batch_store import Answerer, FakeBatch, FakeBatchStore

__all__ = ["handle", "jsonl_lines", "parse_upload"]

Rendered = tuple[int, dict[str, str], bytes]

_FILES = re.compile(r"(?:/[^/]+)*/files")
_CONTENT = re.compile(r"(?:/[^/]+)*/files/([^/]+)/content")
_BATCHES = re.compile(r"(?:/[^/]+)*/batches")
_BATCH = re.compile(r"(?:/[^/]+)*/batches/(batch_[^/]+?)(/cancel)?")


def _json(status: int, value: Any) -> Rendered:
    return status, {"content-type": "application/json"}, json.dumps(value).encode()


def _error(status: int, message: str) -> Rendered:
    kind = "invalid_request_error"
    return _json(status, {"error": {"message": message, "type": kind, "param": None, "code": None}})


def parse_upload(content_type: str, body: bytes) -> tuple[str | None, bytes | None]:
    """The ``purpose`` field and the file bytes of a multipart upload."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    purpose: str | None = None
    data: bytes | None = None
    for part in message.iter_parts():  # pyright: ignore[reportAttributeAccessIssue]
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if name == "purpose" and isinstance(payload, bytes):
            purpose = payload.decode()
        elif name == "file" and isinstance(payload, bytes):
            data = payload
    return purpose, data


def jsonl_lines(data: bytes) -> list[dict[str, Any]]:
    """The JSON objects of a JSONL file."""
    return [as_dict(json.loads(line)) for line in data.splitlines() if line.strip()]


def _batch_object(store: FakeBatchStore, job: FakeBatch) -> dict[str, Any]:
    if job.ended and "output_file_id" not in job.extra:
        _write_outputs(store, job)
    ok = sum(1 for a in job.answers if a.status < 400) if job.state == "ended" else 0
    failed = len(job.answers) - ok if job.ended else 0
    status = {"running": "in_progress", "cancelling": "cancelling", "ended": "completed"}.get(
        job.state, "cancelled"
    )
    ended = int(job.ended_at) if job.ended_at is not None else None
    return {
        "id": job.id,
        "object": "batch",
        "endpoint": job.extra["endpoint"],
        "errors": None,
        "input_file_id": job.extra["input_file_id"],
        "completion_window": "24h",
        "status": status,
        "output_file_id": job.extra.get("output_file_id"),
        "error_file_id": job.extra.get("error_file_id"),
        "created_at": int(job.created_at),
        "in_progress_at": int(job.created_at),
        "expires_at": int(job.created_at) + 86_400,
        "completed_at": ended if job.state == "ended" else None,
        "cancelled_at": ended if job.state == "cancelled" else None,
        "request_counts": {"total": len(job.answers), "completed": ok, "failed": failed},
        "metadata": job.extra["metadata"],
    }


def _write_outputs(store: FakeBatchStore, job: FakeBatch) -> None:
    """The output and error files of an ended job."""
    output: list[bytes] = []
    errors: list[bytes] = []
    for number, answer in enumerate(job.answers):
        line: dict[str, Any] = {"id": f"batch_req_{number:06d}", "custom_id": answer.custom_id}
        if job.state == "cancelled":
            line["response"] = None
            line["error"] = {"code": "batch_cancelled", "message": "the batch was cancelled"}
            errors.append(json.dumps(line).encode())
            continue
        line["response"] = {
            "status_code": answer.status,
            "request_id": answer.request_id,
            "body": json.loads(answer.body),
        }
        line["error"] = None
        (output if answer.status < 400 else errors).append(json.dumps(line).encode())
    for key, lines in (("output_file_id", output), ("error_file_id", errors)):
        if lines:
            file_id = store.new_id("file-")
            store.files[file_id] = b"\n".join(lines) + b"\n"
            job.extra[key] = file_id
        else:
            job.extra[key] = None


def handle(
    store: FakeBatchStore,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes,
    answer: Answerer,
) -> tuple[Rendered, Any] | None:
    """Answer an OpenAI files/batches request (and what to record as its JSON), or ``None``
    when the path is not one of them."""
    if method == "POST" and _FILES.fullmatch(path):
        purpose, data = parse_upload(headers.get("content-type", ""), body)
        if purpose != "batch" or data is None:
            return _error(400, "a batch file upload needs purpose=batch and a file"), None
        file_id = store.new_id("file-")
        store.files[file_id] = data
        lines = jsonl_lines(data)
        created = {"id": file_id, "object": "file", "bytes": len(data), "purpose": "batch"}
        return _json(200, {**created, "filename": "batch.jsonl", "created_at": 0}), lines
    match = _CONTENT.fullmatch(path)
    if method == "GET" and match:
        content = store.files.get(match.group(1))
        if content is None:
            return _error(404, f"No such File object: {match.group(1)}"), None
        return (200, {"content-type": "application/octet-stream"}, content), None
    if method == "POST" and _BATCHES.fullmatch(path):
        payload = as_dict(json.loads(body or b"{}"))
        data = store.files.get(str(payload.get("input_file_id")))
        if data is None:
            return _error(400, "input_file_id is not an uploaded file"), payload
        requests = [(str(x.get("custom_id")), as_dict(x.get("body"))) for x in jsonl_lines(data)]
        job = store.create("openai", store.new_id("batch_"), requests, _openai_wire, answer)
        job.extra.update(
            endpoint=payload.get("endpoint"),
            input_file_id=payload.get("input_file_id"),
            metadata=payload.get("metadata"),
        )
        return _json(200, _batch_object(store, job)), payload
    match = _BATCH.fullmatch(path)
    found = store.jobs.get(match.group(1)) if match else None
    if match and found is not None:
        if match.group(2) and method == "POST":
            found.cancel()
        elif method == "GET":
            found.poll()
        else:
            return None
        return _json(200, _batch_object(store, found)), None
    if match:
        return _error(404, f"No batch found with id '{match.group(1)}'."), None
    return None
