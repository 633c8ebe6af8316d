"""What every provider's batch adapter shares: HTTP through the client's own machinery, the
custom ids that carry each item's index and id, and batch prices.

Every batch request goes through the same steps as a ``complete`` call (``_flow``): the host
places it (base URL, its query, the user's headers), the auth step signs it, the retry
policy retries connection failures and retryable statuses, and an error status becomes the
typed error of the wire's ``decode_error``. So ``.transport(fake)``, proxies, custom hosts
and hooks work for batches as they do for single calls.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as _dt
import re
import time
from collections.abc import Generator, Mapping
from typing import Any

import orjson

from .._catalog import ModelInfo
from .._config import ClientConfig
from .._errors import ProtocolError
from .._flow import new_context, send_request
from .._wire import EncodedRequest, WireResponse
from ..codecs import get_codec
from ..codecs._base import answer_body

__all__ = [
    "BATCH_DISCOUNT",
    "batch_model_info",
    "decode_custom_id",
    "encode_custom_id",
    "json_object",
    "jsonl",
    "parse_time",
    "request",
    "send_json",
]

BATCH_DISCOUNT = 0.5
"""Batch APIs bill half the standard price (OpenAI, Anthropic and Gemini all document 50%);
used where the catalog lists no batch price of its own."""


def request(
    config: ClientConfig,
    method: Any,
    path: str,
    *,
    body: bytes = b"",
    headers: Mapping[str, str] | None = None,
    operation: str = "batch",
    query: tuple[tuple[str, str], ...] = (),
) -> Generator[Any, Any, WireResponse]:
    """Send one request below the client's base URL (retried per its policy); return the
    successful response or raise the typed error of its status."""
    codec = get_codec(config.wire)
    ctx = new_context(config, codec, "batch", time.monotonic)
    encoded = EncodedRequest(operation, path, body, dict(headers or {}), query, method)
    response: WireResponse = yield from send_request(ctx, encoded, config.defaults)
    return response


def send_json(
    config: ClientConfig,
    method: Any,
    path: str,
    *,
    payload: Any = None,
    raw: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    operation: str = "batch",
) -> Generator[Any, Any, dict[str, Any]]:
    """Send ``payload`` as JSON (or the ready ``raw`` bytes, or nothing) and return the JSON
    object answered."""
    sent = {"accept": "application/json", **(headers or {})}
    data = raw if raw is not None else b""
    if payload is not None:
        data = orjson.dumps(payload)
    if data and "content-type" not in sent:
        sent["content-type"] = "application/json"
    response = yield from request(
        config, method, path, body=data, headers=sent, operation=operation
    )
    return json_object(config.provider, response)


def json_object(provider: str, response: WireResponse) -> dict[str, Any]:
    """The JSON object of a successful response (anything else is a ProtocolError)."""
    body = answer_body(provider, response)
    if not isinstance(body, dict):
        raise ProtocolError(
            f"{provider} answered a batch request with a body that is not a JSON object",
            provider=provider,
            status_code=response.status,
            body=response.body[:500].decode("utf-8", errors="replace"),
        )
    return body  # pyright: ignore[reportUnknownVariableType]


def jsonl(provider: str, data: bytes) -> list[dict[str, Any]]:
    """The objects of a JSON Lines body (blank lines skipped; a line that is not a JSON object
    is a ProtocolError: a results file must never lose an answer silently)."""
    lines: list[dict[str, Any]] = []
    for number, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError:
            value = None
        if not isinstance(value, dict):
            raise ProtocolError(
                f"line {number} of a {provider} batch results file is not a JSON object",
                provider=provider,
                body=line[:500].decode("utf-8", errors="replace"),
            )
        lines.append(value)  # pyright: ignore[reportUnknownArgumentType]
    return lines


# -- custom ids --------------------------------------------------------------------------------
#
# A custom id carries the item's index and its id, so that results map back to the inputs in
# any process, with no local state: a job resumed by id alone (``tl.batch_job``) still knows
# where each answer goes and what its item's id was. Anthropic is the strictest provider
# (``^[a-zA-Z0-9_-]{1,64}$``), so every custom id fits that: the index in decimal, then a tag
# letter, then the id:
#
#   ``17``             the id is the index itself (no ``id_of``);
#   ``17r-inv_2024``   ``r``: the id as is (it only uses ``[a-zA-Z0-9_-]``);
#   ``17b5pyr5p``      ``b``: the id's UTF-8 in unpadded URL-safe base64;
#   ``17h3f2a...``     ``h``: the id is too long to fit: a digest; a resumed job cannot tell
#                      the id from it (pass ``ids=`` to ``batch_job``), the job handle that
#                      submitted it (pickled or not) keeps every id.

_LIMIT = 64
_SAFE = re.compile(r"[A-Za-z0-9_-]+")
_CUSTOM_ID = re.compile(r"(\d+)(?:([rbh])(.*))?")


def encode_custom_id(index: int, item_id: str) -> str:
    """The custom id of item ``index`` whose id is ``item_id`` (see the scheme above)."""
    prefix = str(index)
    if item_id == prefix:
        return prefix
    room = _LIMIT - len(prefix) - 1
    if _SAFE.fullmatch(item_id) and len(item_id) <= room:
        return f"{prefix}r{item_id}"
    encoded = base64.urlsafe_b64encode(item_id.encode("utf-8")).decode("ascii").rstrip("=")
    if len(encoded) <= room:
        return f"{prefix}b{encoded}"
    import hashlib

    return f"{prefix}h{hashlib.sha256(item_id.encode('utf-8')).hexdigest()[:room]}"


def decode_custom_id(custom_id: str) -> tuple[int, str | None] | None:
    """The index and id a custom id carries (the id is ``None`` for a digest), or ``None`` for
    a custom id this scheme did not make."""
    match = _CUSTOM_ID.fullmatch(custom_id)
    if match is None:
        return None
    index_text, tag, rest = match.groups()
    index = int(index_text)
    if tag is None:
        return index, index_text
    if tag == "r":
        return index, rest
    if tag == "b":
        try:
            padded = rest + "=" * (-len(rest) % 4)
            return index, base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return None
    return index, None


# -- prices -------------------------------------------------------------------------------------


def batch_model_info(info: ModelInfo) -> ModelInfo:
    """``info`` priced at its batch prices, so ``Completion.cost`` is what the batch bills: the
    catalog's batch prices where it lists them, else half the standard ones (cache prices
    halved too: the providers apply the batch discount on top of caching)."""

    def half(price: float | None) -> float | None:
        return None if price is None else price * BATCH_DISCOUNT

    return dataclasses.replace(
        info,
        input_price=(
            info.batch_input_price if info.batch_input_price is not None else half(info.input_price)
        ),
        output_price=(
            info.batch_output_price
            if info.batch_output_price is not None
            else half(info.output_price)
        ),
        cached_input_price=half(info.cached_input_price),
        cache_write_price=half(info.cache_write_price),
    )


def parse_time(value: Any) -> float | None:
    """A Unix time from a Unix number or an RFC 3339 string (``None`` when absent)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and value:
        text = value.replace("Z", "+00:00")
        # fromisoformat before 3.11 takes at most 6 fractional digits (Gemini sends 9).
        text = re.sub(r"(\.\d{6})\d+", r"\1", text)
        try:
            return _dt.datetime.fromisoformat(text).timestamp()
        except ValueError:
            return None
    return None
