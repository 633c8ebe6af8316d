"""The fake's Gemini cached contents (``/cachedContents``): create, get and delete, held in
memory per fake, in the shapes of https://ai.google.dev/api/caching."""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from typing import Any
from urllib.parse import urlsplit

import orjson

from .._wire import redact_headers
from ._replies import RecordedRequest

__all__ = ["FakeCacheStore", "route"]

Rendered = tuple[int, dict[str, str], bytes]
_PATH = re.compile(r".*/cachedContents(?:/(?P<id>[\w-]+))?")
_JSON = {"content-type": "application/json"}


class FakeCacheStore:
    """The cached contents a fake holds, by name."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}


def _error(status: int, message: str, kind: str) -> Rendered:
    body = {"error": {"code": status, "message": message, "status": kind}}
    return status, dict(_JSON), orjson.dumps(body)


def _tokens(payload: dict[str, Any]) -> int:
    """A deterministic token count: one per 4 bytes of the cached JSON."""
    return max(1, len(orjson.dumps(payload.get("contents"))) // 4)


def _create(store: FakeCacheStore, payload: dict[str, Any]) -> Rendered:
    ttl = str(payload.get("ttl") or "3600s")
    if "contents" not in payload or "model" not in payload or not ttl.endswith("s"):
        return _error(400, "model, contents and a ttl in seconds are required", "INVALID_ARGUMENT")
    digest = hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()
    name = f"cachedContents/{digest[:12]}"
    now = _dt.datetime(2026, 1, 1, tzinfo=_dt.timezone.utc)
    expire = now + _dt.timedelta(seconds=float(ttl[:-1]))
    item = {
        "name": name,
        "model": payload["model"],
        "createTime": now.isoformat().replace("+00:00", "Z"),
        "updateTime": now.isoformat().replace("+00:00", "Z"),
        "expireTime": expire.isoformat().replace("+00:00", "Z"),
        "usageMetadata": {"totalTokenCount": _tokens(payload)},
    }
    if "displayName" in payload:
        item["displayName"] = payload["displayName"]
    store.items[name] = item
    return 200, dict(_JSON), orjson.dumps(item)


def route(
    store: FakeCacheStore,
    requests: list[RecordedRequest],
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes,
) -> Rendered | None:
    """The answer to a ``cachedContents`` request, or ``None`` when ``url`` is not one."""
    path = urlsplit(url).path
    match = _PATH.fullmatch(path)
    if match is None:
        return None
    payload: Any = orjson.loads(body) if body else None
    requests.append(RecordedRequest(method, path, redact_headers(headers), payload))
    ident = match.group("id")
    if ident is None:
        if method != "POST" or not isinstance(payload, dict):
            return _error(400, "POST a cached content", "INVALID_ARGUMENT")
        return _create(store, payload)  # pyright: ignore[reportUnknownArgumentType]
    name = f"cachedContents/{ident}"
    item = store.items.get(name)
    if item is None:
        return _error(
            403, f"CachedContent not found (or permission denied): {name}", "PERMISSION_DENIED"
        )
    if method == "DELETE":
        del store.items[name]
        return 200, dict(_JSON), b"{}"
    return 200, dict(_JSON), orjson.dumps(item)
